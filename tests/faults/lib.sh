# Helpers for the fault tests (tests/faults/*.sh); sourced, not run. They build on the SIP tests'
# helpers (tests/sip/lib.sh: rgsd on 127.0.0.1, every process stopped by its PID), which build on
# the CLI tests' (tests/cli/lib.sh: tcase, run, expect_*, finish).
# shellcheck shell=bash disable=SC2034

. "$(dirname "${BASH_SOURCE[0]}")/../sip/lib.sh"

KILLAT="python3 -S $RGS_SOURCE_DIR/tests/faults/killat.py"
START=$(date +%s)

# The tables that hold the configuration and its history (the others hold what rgsd records).
CONFIG_TABLES="store_info revisions objects refs audio_blobs"

# checkpoint STORE: folds the WAL into STORE, so that the file alone is the whole store.
checkpoint() {
  [ "$(timeout 20 sqlite3 "$1" 'PRAGMA wal_checkpoint(TRUNCATE)' | cut -d'|' -f1)" = 0 ] ||
    fail "cannot checkpoint $1"
}

# fresh STORE COPY: COPY becomes a copy of the checkpointed STORE, without WAL or shared memory.
fresh() {
  rm -f "$2" "$2-wal" "$2-shm"
  cp "$1" "$2"
}

# known_guids STORE: remembers the GUIDs STORE holds; canon keeps those and calls others NEW.
known_guids() {
  timeout 20 sqlite3 "$1" 'SELECT guid FROM objects' | sort -u >"$TMP/known-guids"
}

# canon STORE OUT: a canonical dump of the configuration tables: SQLite's .dump, revision times
# written TIME, GUIDs not seen by known_guids written NEW (a new object's GUID is random), lines
# sorted (rows keyed by such a GUID come in any order).
canon() {
  timeout 20 sqlite3 "$1" ".dump $CONFIG_TABLES" |
    sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'TIME'/g" |
    awk -v known="$TMP/known-guids" '
      BEGIN { while ((getline g < known) > 0) k[g] = 1 }
      { line = $0; out = ""
        while (match(line, /[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+/) && RLENGTH == 36) {
          g = substr(line, RSTART, RLENGTH)
          out = out substr(line, 1, RSTART - 1) ((g in k) ? g : "NEW")
          line = substr(line, RSTART + RLENGTH)
        }
        print out line }' | sort >"$2"
}

# store_rev STORE: the newest revision, through rgs (empty when rgs cannot read it).
store_rev() {
  timeout 20 "$RGS" --store "$1" get-revision --last 1 </dev/null 2>/dev/null | sed -n 's/^Revision *: *//p'
}

# check_history STORE N: `rgs get-revision` lists exactly revisions N, N-1, ... 1.
check_history() {
  local got want
  got=$(timeout 20 "$RGS" --store "$1" get-revision </dev/null 2>"$TMP/history.err" | sed -n 's/^Revision *: *//p' | tr '\n' ' ')
  want=$(seq "$2" -1 1 | tr '\n' ' ')
  [ "$got" = "$want" ] || fail "the revision history is '$got', not '$want' ($(head -c 200 "$TMP/history.err"))"
}

# check_store STORE OLD_REV OLD_CANON NEW_CANON: after a kill, STORE passes PRAGMA
# integrity_check, its history is intact and it equals either the state before the command
# (revision OLD_REV, dump OLD_CANON) or after it (OLD_REV+1, NEW_CANON). Sets STATE to old or new.
STATE=""
check_store() {
  local store=$1 old=$2 ok rev
  STATE=""
  ok=$(timeout 20 sqlite3 "$store" 'PRAGMA integrity_check' 2>&1)
  [ "$ok" = ok ] || { fail "PRAGMA integrity_check: ${ok:0:200}"; return; }
  rev=$(store_rev "$store")
  canon "$store" "$TMP/trial.canon"
  if [ "$rev" = "$old" ]; then
    STATE=old
    cmp -s "$TMP/trial.canon" "$3" || fail "at the old revision $old but not the old state: $(diff "$3" "$TMP/trial.canon" | head -3)"
  elif [ "$rev" = $((old + 1)) ]; then
    STATE=new
    cmp -s "$TMP/trial.canon" "$4" || fail "at revision $rev but not the state after the command: $(diff "$4" "$TMP/trial.canon" | head -3)"
  else
    fail "revision '$rev': neither $old nor $((old + 1))"
    return
  fi
  check_history "$store" "$rev"
}

# base_store STORE: a store with a little of everything in 6 revisions, checkpointed; its
# revision in BASE_REV, its GUIDs known (known_guids), its dump in $TMP/old.canon.
base_store() {
  setup --store "$1" -q --pool pool-f.example.com new-agentgroup Sales --agent sip:ann@example.com --agent sip:bob@example.com
  setup --store "$1" -q new-agentgroup Support --agent sip:cy@example.com --routing-method round-robin
  setup --store "$1" -q new-queue Sales --agent-group Sales --timeout-threshold 60
  setup --store "$1" -q new-hoursofbusiness Office --monday 08:00-17:00 --tuesday 08:00-17:00
  setup --store "$1" -q new-holidayset Xmas --holiday "Christmas=2026-12-25/2026-12-26"
  setup --store "$1" -q new-workflow Sales --primary-uri sip:sales@example.com --default-action queue:Sales --active true
  checkpoint "$1"
  BASE_REV=$(store_rev "$1")
  [ "$BASE_REV" = 6 ] || fail "the base store is at revision '$BASE_REV', not 6"
  known_guids "$1"
  canon "$1" "$TMP/old.canon"
}

# keep_state STORE: checkpoints STORE and keeps its state (OLD_REV, $TMP/old.canon) for
# expect_unchanged.
keep_state() {
  checkpoint "$1"
  known_guids "$1"
  canon "$1" "$TMP/old.canon"
  OLD_REV=$(store_rev "$1")
}

# expect_unchanged STORE: STORE passes PRAGMA integrity_check and is in the state keep_state kept.
expect_unchanged() {
  [ "$(timeout 20 sqlite3 "$1" 'PRAGMA integrity_check' 2>&1)" = ok ] || fail "PRAGMA integrity_check failed"
  [ "$(store_rev "$1")" = "$OLD_REV" ] || fail "the store's revision changed"
  check_history "$1" "$OLD_REV"
  canon "$1" "$TMP/now.canon"
  cmp -s "$TMP/now.canon" "$TMP/old.canon" || fail "the store changed: $(diff "$TMP/old.canon" "$TMP/now.canon" | head -3)"
}

# count_kill WAL_BYTES: a kill that hit, after check_store: before the command wrote (old state,
# nothing in the WAL), while it wrote (old state, uncommitted frames in the WAL) or after its commit.
count_kill() {
  KILLS=$((KILLS + 1))
  if [ "$STATE" = new ]; then
    AFTER=$((AFTER + 1))
  elif [ "$1" -gt 0 ]; then
    DURING=$((DURING + 1))
  else
    BEFORE=$((BEFORE + 1))
  fi
  fault_end
}

# The writes whose interruption the kill tests try: rgs ARGS, each in one string (no quoting).
WRITES=(
  "set-agentgroup Sales --routing-method serial --description renamed"
  "new-agentgroup Night --agent sip:dee@example.com --agent sip:eve@example.com"
  "set-queue Sales --overflow-threshold 5 --overflow-action terminate"
  "new-queue Night --agent-group Support"
  "set-workflow Sales --business-hours Office --holiday-sets Xmas"
  "new-workflow Night --primary-uri sip:night@example.com --default-action terminate"
  "set-configuration --agent-ringback-grace-period 45"
  "restore-revision 2"
)

# each_write ID WHAT KILLS COMMAND...: for each COMMAND (rgs arguments in one string), case ID.N:
# the script's `reference NAME ARGS...` (a complete run: $TMP/NAME.canon, $DURATION), then its
# `trial NEW_CANON DELAY_US ARGS...` with random delays within $DURATION until KILLS kills hit
# ($KILLS counts them; a command that ends before its kill is checked too), at most 2 x KILLS.
each_write() {
  local id=$1 what=$2 kills=$3 n=0 cmd k0
  shift 3
  for cmd in "$@"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    set -- $cmd
    tcase "$id.$n" "$what rgs $cmd"
    reference "cmd$n" -q "$@"
    echo "# rgs $cmd: $DURATION us"
    k0=$KILLS
    for _ in $(seq 1 $((2 * kills))); do
      [ $((KILLS - k0)) -ge "$kills" ] && break
      trial "$TMP/cmd$n.canon" "$(rand_us "$DURATION")" -q "$@"
    done
  done
}

# rand_us MAX: a random whole number in [0, MAX].
rand_us() { echo $(((RANDOM * 32768 + RANDOM) % ($1 + 1))); }

# elapsed: seconds since the script started.
elapsed() { echo $(($(date +%s) - START)); }

# Each fault a script injects (a kill that hit, a hostile archive, a full disk...) is counted:
# fault_begin before it, fault_end after its checks; it survived when no check failed in between.
# finish prints "# faults: N injected, M survived", which bench/faults.sh adds up.
FAULTS=0 SURVIVED=0 FAIL_COUNT=0 _FAULT_FAILS0=0
eval "$(declare -f fail | sed '1s/^fail/_case_fail/')"
fail() {
  FAIL_COUNT=$((FAIL_COUNT + 1))
  _case_fail "$@"
}
fault_begin() { _FAULT_FAILS0=$FAIL_COUNT; }
fault_end() {
  FAULTS=$((FAULTS + 1))
  [ "$FAIL_COUNT" = "$_FAULT_FAILS0" ] && SURVIVED=$((SURVIVED + 1))
  return 0
}
eval "$(declare -f finish | sed '1s/^finish/_cases_finish/')"
finish() {
  echo "# faults: $FAULTS injected, $SURVIVED survived"
  _cases_finish
}
