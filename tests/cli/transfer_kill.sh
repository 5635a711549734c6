#!/bin/bash
# Crash safety of import-configuration: an import killed with SIGKILL at any moment leaves the
# store intact, at the old revision or at old+1 with the import complete (DESIGN §3, §4).
. "$(dirname "$0")/lib.sh"

plan transfer_kill \
  "a large configuration exported, a target store at a known revision, one import timed" \
  "SIGKILL trials: integrity, revision old or old+1, nothing partial"

START=$(date +%s)
SEED=${RGS_BENCH_SEED:-$(dirname "$RGS")/bench/rgs-bench-seed}
SRC="$TMP/src.db"
TARGET="$TMP/target.db"
ARCHIVE="$TMP/large.zip"
TRIALS=24
BEFORE=0 DURING=0 AFTER=0 FINISHED=0

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# store_revision STORE: the newest revision, read through rgs.
store_revision() {
  timeout 20 "$RGS" --store "$1" get-revision --last 1 -o json </dev/null 2>/dev/null |
    sed -n 's/^ *"Revision": \([0-9]*\),*$/\1/p'
}
# config_of STORE OUT: the store's configuration.yaml, through export-configuration.
config_of() {
  rm -f "$TMP/cfg.zip"
  timeout 30 "$RGS" --store "$1" export-configuration --file "$TMP/cfg.zip" </dev/null >/dev/null 2>&1 &&
    timeout 10 unzip -p "$TMP/cfg.zip" configuration.yaml >"$2"
}
# counts FILE: "Key=count" for every object list of a configuration.yaml.
counts() {
  awk '/^[A-Za-z]+:/ { k = $1; sub(":", "", k); if (!(k in n)) { n[k] = 0; o[++m] = k } }
    /^  - Identity:/ { n[k]++ } END { for (i = 1; i <= m; i++) if (o[i] != "ServiceSettings") printf "%s=%d ", o[i], n[o[i]] }' "$1"
}
# fresh_copy: a copy of the target store (its file only: the target was checkpointed).
fresh_copy() {
  rm -f "$TMP/trial.db" "$TMP/trial.db-wal" "$TMP/trial.db-shm"
  cp "$TARGET" "$TMP/trial.db"
}

tcase transfer_kill-1.1 "seed a large configuration and export it"
[ -x "$SEED" ] || fail "no $SEED"
timeout 60 "$SEED" "$SRC" pool-k.example.com 900 450 150 3 >/dev/null 2>&1 || fail "rgs-bench-seed failed"
run --store "$SRC" export-configuration --file "$ARCHIVE"
expect_ok
timeout 10 unzip -p "$ARCHIVE" configuration.yaml >"$TMP/archive.yaml"
ARCHIVE_COUNTS=$(counts "$TMP/archive.yaml")
[ "$ARCHIVE_COUNTS" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=900 Queues=450 Workflows=150 " ] ||
  fail "archive counts: $ARCHIVE_COUNTS"

tcase transfer_kill-1.2 "the target store at a known revision, checkpointed"
setup --store "$TARGET" --pool pool-t.example.com new-queue TQ
setup --store "$TARGET" new-agentgroup TG
setup --store "$TARGET" set-configuration --agent-ringback-grace-period 45
OLD=$(store_revision "$TARGET")
[ "$OLD" = 3 ] || fail "the target is at revision '$OLD', not 3"
[ "$(timeout 20 sqlite3 "$TARGET" 'PRAGMA wal_checkpoint(TRUNCATE)' | cut -d'|' -f1)" = 0 ] || fail "cannot checkpoint the target"
config_of "$TARGET" "$TMP/old.yaml" || fail "cannot export the target"
OLD_COUNTS=$(counts "$TMP/old.yaml")

tcase transfer_kill-1.3 "one import, timed, complete: the reference for old+1"
fresh_copy
t0=$(now_ms)
run --store "$TMP/trial.db" -q import-configuration --file "$ARCHIVE" --overwrite-owner
DURATION=$(($(now_ms) - t0))
expect_ok
[ "$(store_revision "$TMP/trial.db")" = $((OLD + 1)) ] || fail "the import did not write revision $((OLD + 1))"
config_of "$TMP/trial.db" "$TMP/new.yaml" || fail "cannot export the imported store"
NEW_COUNTS=$(counts "$TMP/new.yaml")
[ "$NEW_COUNTS" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=901 Queues=451 Workflows=150 " ] ||
  fail "counts after the import: $NEW_COUNTS"
echo "# one import takes $DURATION ms"

# trial DELAY_MS: one trial; sets RESULT to old or new.
RESULT=""
trial() {
  local delay=$1 pid wal ok rev
  RESULT=""
  fresh_copy
  CMD="rgs --store trial.db import-configuration --file large.zip --overwrite-owner (SIGKILL after $delay ms)"
  "$RGS" --store "$TMP/trial.db" -q import-configuration --file "$ARCHIVE" --overwrite-owner </dev/null >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -KILL "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null
  RC=$?
  wal=$(stat -c %s "$TMP/trial.db-wal" 2>/dev/null || echo 0)
  ok=$(timeout 20 sqlite3 "$TMP/trial.db" 'PRAGMA integrity_check' 2>&1)
  [ "$ok" = ok ] || fail "integrity_check: $ok"
  rev=$(store_revision "$TMP/trial.db")
  config_of "$TMP/trial.db" "$TMP/trial.yaml" || fail "cannot export the store after the kill"
  if [ "$rev" = "$OLD" ]; then
    RESULT=old
    [ "$(counts "$TMP/trial.yaml")" = "$OLD_COUNTS" ] || fail "at the old revision with counts $(counts "$TMP/trial.yaml")"
    cmp -s "$TMP/trial.yaml" "$TMP/old.yaml" || fail "at the old revision but the configuration changed"
    if [ "$wal" -gt 0 ]; then DURING=$((DURING + 1)); else BEFORE=$((BEFORE + 1)); fi
  elif [ "$rev" = $((OLD + 1)) ]; then
    RESULT=new
    [ "$(counts "$TMP/trial.yaml")" = "$NEW_COUNTS" ] || fail "at old+1 with counts $(counts "$TMP/trial.yaml")"
    cmp -s "$TMP/trial.yaml" "$TMP/new.yaml" || fail "at old+1 but the import is not complete"
    if [ "$RC" = 0 ]; then FINISHED=$((FINISHED + 1)); else AFTER=$((AFTER + 1)); fi
  else
    fail "revision '$rev': neither $OLD nor $((OLD + 1))"
  fi
}

# 14 delays spread evenly from 0 to 1.25 x the import's duration; then 10 that bisect between
# the longest delay that left the old revision and the shortest that gave old+1, to land as
# close to the commit as the timer allows.
n=0
lo=0
hi=$((DURATION * 5 / 4))
for i in $(seq 0 23); do
  n=$((n + 1))
  if [ "$i" -lt 14 ]; then delay=$((DURATION * 125 * i / 1300)); else delay=$(((lo + hi) / 2)); fi
  tcase "transfer_kill-2.$n" "SIGKILL after $delay ms"
  if [ $(($(date +%s) - START)) -gt 105 ]; then
    fail "out of time before trial $n"
    continue
  fi
  trial "$delay"
  if [ "$RESULT" = old ] && [ "$delay" -gt "$lo" ]; then lo=$delay; fi
  if [ "$RESULT" = new ] && [ "$delay" -lt "$hi" ]; then hi=$delay; fi
done

echo "# $n trials: $BEFORE killed before the commit (nothing in the WAL), $DURING during it (uncommitted frames" \
  "in the WAL, rolled back), $AFTER after it (killed while closing), $FINISHED finished before the kill;" \
  "the commit lies between $lo and $hi ms; $(($(date +%s) - START)) s"
finish
