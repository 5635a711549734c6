#!/bin/bash
# SIGKILL of rgsd while it runs commands forwarded to it through its control socket (set-*,
# new-*, restore-revision). After every kill: rgs ends with exit 0 and the command done (it ran
# there before rgsd went, or rgs ran it itself when rgsd was already gone), or with exit 1 saying
# the command may or may not have taken effect; the store passes PRAGMA integrity_check, its
# history is intact, and it is exactly the state before or after the command. rgsd is started
# again on a fresh copy for the next trial. Timing makes the test interesting, never decides it.
. "$(dirname "$0")/lib.sh"

plan fault-kill-rgsd \
  "a base store, its state and each command's complete result" \
  "SIGKILL of rgsd during forwarded set-*, new-* and restore-revision"

KILLS_EACH=${RGS_FAULT_RGSD_KILLS:-12}   # per command
BASE="$TMP/base.db"
export RGS_STORE="$TMP/trial.db"
KILLS=0 BEFORE=0 DURING=0 AFTER=0 ANSWERED=0 NO_ANSWER=0

tcase fault-kill-rgsd-1.1 "a base store with groups, a queue, a workflow, hours, holidays and 6 revisions"
base_store "$BASE"

# rgsd_on_fresh_copy: a fresh copy of the base store as $RGS_STORE, served by a new rgsd.
rgsd_on_fresh_copy() {
  fresh "$BASE" "$RGS_STORE"
  rm -f "$TMP/rgsd.sock"
  : >"$TMP/rgsd.log"
  PIDS=()
  start_rgsd || fail "rgsd did not start"
}

# reference NAME ARGS...: the command forwarded to rgsd, complete: the store's dump in
# $TMP/NAME.canon, the command's duration through rgsd in $DURATION (µs).
reference() {
  local name=$1
  shift
  rgsd_on_fresh_copy
  DURATION=$($KILLAT measure 1 "$RGS" "$@")
  grep -q "ran for .*: rgs .*: exit 0 in" "$TMP/rgsd.log" || fail "rgsd did not log that it ran the command"
  stop_rgsd
  canon "$RGS_STORE" "$TMP/$name.canon"
  [ "$(store_rev "$RGS_STORE")" = $((BASE_REV + 1)) ] || fail "the complete run did not write one revision"
  cmp -s "$TMP/$name.canon" "$TMP/old.canon" && fail "$name changes nothing"
}

# trial NEW_CANON DELAY_US ARGS...: rgs ARGS forwarded to a new rgsd, which is killed after
# DELAY_US; rgs's answer and the store checked, the kill counted.
trial() {
  local new=$1 delay=$2 res wal
  shift 2
  fault_begin
  rgsd_on_fresh_copy
  CMD="$(_quote_cmd "$@") (SIGKILL of rgsd after $delay us)"
  res=$($KILLAT "$delay" "$RGSD_PID" "$RGS" "$@" 2>"$TMP/trial.err")
  RC=${res#* }
  ERR=$(cat "$TMP/trial.err")
  { wait "$RGSD_PID"; } 2>/dev/null
  wal=$(stat -c %s "$RGS_STORE-wal" 2>/dev/null || echo 0)
  check_store "$RGS_STORE" "$BASE_REV" "$TMP/old.canon" "$new"
  case "$RC" in
    0) ANSWERED=$((ANSWERED + 1)); [ "$STATE" = new ] || fail "rgs exited 0 but the store is in its old state" ;;
    1) NO_ANSWER=$((NO_ANSWER + 1)); expect_stderr_contains "closed the connection without an answer; the command may or may not have taken effect" ;;
    *) fail "rgs exited $RC" ;;
  esac
  case "$res" in
    killed*)
      count_kill "$wal" ;;
    late*)
      fail "rgsd had ended before its kill (its log: $(tail -c 300 "$TMP/rgsd.log"))" ;;
    *) fail "killat.py: '$res'" ;;
  esac
}

# The writes rgsd runs (set-configuration is not one: rgs runs it itself).
each_write fault-kill-rgsd-2 "SIGKILL of rgsd during a forwarded" "$KILLS_EACH" "${WRITES[@]:0:6}" "${WRITES[7]}"

echo "# $KILLS kills of rgsd: $BEFORE before it wrote, $DURING while it wrote (rolled back), $AFTER after its" \
  "commit (or the command's end); rgs answered $ANSWERED times," \
  "$NO_ANSWER times 'may or may not have taken effect'; $(elapsed) s"
finish
