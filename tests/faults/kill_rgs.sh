#!/bin/bash
# SIGKILL of rgs in the middle of writes: set-* and new-* cmdlets, restore-revision, and an
# import-configuration of an archive export-configuration wrote. After every kill the store passes
# PRAGMA integrity_check, `rgs get-revision` lists its whole history, and the store is exactly
# what it was before the command or what the command makes of it (a canonical dump of the
# configuration tables, compared with one taken before and one after a complete run).
# The kill lands after a random delay drawn within the command's measured duration: timing makes
# the test interesting (the counts of kills before, during and after the commit are printed), it
# never decides whether it passes.
. "$(dirname "$0")/lib.sh"

plan fault-kill-rgs \
  "a base store with a little of everything, its state and each command's complete result" \
  "SIGKILL of rgs during set-*, new-* and restore-revision" \
  "SIGKILL of rgs during import-configuration of an exported archive"

WRITE_KILLS=${RGS_FAULT_WRITE_KILLS:-12}    # per command
IMPORT_KILLS=${RGS_FAULT_IMPORT_KILLS:-30}
BASE="$TMP/base.db"
TRIAL="$TMP/trial.db"
KILLS=0 BEFORE=0 DURING=0 AFTER=0 LATE=0

tcase fault-kill-rgs-1.1 "a base store with groups, queues, workflows, hours, holidays and 6 revisions"
base_store "$BASE"

# trial NEW_CANON DELAY_US ARGS...: one rgs ARGS on a fresh copy of the base store, killed after
# DELAY_US; the store checked and the kill counted.
trial() {
  local new=$1 delay=$2 res wal
  shift 2
  fault_begin
  fresh "$BASE" "$TRIAL"
  CMD="$(_quote_cmd "$@") (SIGKILL after $delay us)"
  res=$($KILLAT "$delay" cmd "$RGS" --store "$TRIAL" "$@" 2>"$TMP/trial.err")
  RC=${res#* }
  ERR=$(cat "$TMP/trial.err")
  wal=$(stat -c %s "$TRIAL-wal" 2>/dev/null || echo 0)
  check_store "$TRIAL" "$BASE_REV" "$TMP/old.canon" "$new"
  case "$res" in
    killed*)
      count_kill "$wal" ;;
    late*)
      LATE=$((LATE + 1))
      [ "$RC" = 0 ] || fail "rgs ended on its own with exit $RC"
      [ "$STATE" = new ] || fail "rgs ended with exit 0 but the store is in its old state" ;;
    *) fail "killat.py: '$res'" ;;
  esac
}

# reference NAME ARGS...: complete runs on fresh copies: the store's dump in $TMP/NAME.canon,
# the median of 3 durations in $DURATION (µs).
reference() {
  local name=$1 d=()
  shift
  fresh "$BASE" "$TRIAL"
  "$RGS" --store "$TRIAL" "$@" </dev/null >/dev/null 2>"$TMP/ref.err" || { CMD=$(_quote_cmd "$@"); ERR=$(cat "$TMP/ref.err"); fail "the complete run failed"; }
  canon "$TRIAL" "$TMP/$name.canon"
  cmp -s "$TMP/$name.canon" "$TMP/old.canon" && fail "$name changes nothing"
  for _ in 1 2 3; do
    fresh "$BASE" "$TRIAL"
    d+=("$($KILLAT measure 1 "$RGS" --store "$TRIAL" "$@")")
  done
  DURATION=$(printf '%s\n' "${d[@]}" | sort -n | sed -n 2p)
}

tcase fault-kill-rgs-1.2 "an archive exported from a seeded store"
SEED=$(dirname "$RGS")/bench/rgs-bench-seed
[ -x "$SEED" ] || fail "no $SEED"
timeout 60 "$SEED" "$TMP/src.db" pool-s.example.com 300 150 50 3 >/dev/null 2>&1 || fail "rgs-bench-seed failed"
run --store "$TMP/src.db" export-configuration --file "$TMP/archive.zip"
expect_ok
echo "# the archive: 300 groups, 150 queues, 50 workflows"

each_write fault-kill-rgs-2 "SIGKILL during" "$WRITE_KILLS" "${WRITES[@]}"

each_write fault-kill-rgs-3 "SIGKILL during" "$IMPORT_KILLS" "import-configuration --file $TMP/archive.zip --overwrite-owner"

echo "# $KILLS kills of rgs: $BEFORE before it wrote, $DURING while it wrote (uncommitted, rolled back)," \
  "$AFTER after its commit; $LATE trials ended before the kill; $(elapsed) s"
finish
