#!/bin/bash
# Black-box tests of concurrent writers on one store: every command succeeds, one revision each.
. "$(dirname "$0")/lib.sh"

plan concurrency \
  "8 writers x 50 commands on one existing store: all succeed, 400 revisions, 400 groups" \
  "8 writers racing to create a new store: all succeed" \
  "readers while writers write: no errors"

WRITERS=8
EACH=50

# writer N COUNT PREFIX: COUNT new-agentgroup commands; one line per failure in its log.
writer() {
  local n=$1 count=$2 prefix=$3 i rc
  for i in $(seq 1 "$count"); do
    "$RGS" -q new-agentgroup "$prefix-$n-$i" --agent "sip:agent$n.$i@example.com" </dev/null \
      >>"$TMP/w$prefix$n.out" 2>>"$TMP/w$prefix$n.err"
    rc=$?
    [ $rc -eq 0 ] || echo "writer $n command $i: exit $rc" >>"$TMP/w$prefix$n.status"
  done
}
export -f writer
export RGS TMP

# check_writers PREFIX: every writer's stderr is empty and every status was 0.
check_writers() {
  local n
  for n in $(seq 1 "$WRITERS"); do
    if [ -s "$TMP/w$1$n.status" ]; then
      CMD="writer $n"
      fail "expected every exit 0: $(head -1 "$TMP/w$1$n.status") ($(wc -l <"$TMP/w$1$n.status") failures): $(head -c 400 "$TMP/w$1$n.err")"
    fi
    if [ -s "$TMP/w$1$n.err" ]; then
      CMD="writer $n"
      ERR=$(head -3 "$TMP/w$1$n.err")
      fail "expected no stderr from any writer"
    fi
  done
  grep -l "database is locked" "$TMP"/w"$1"*.err >/dev/null 2>&1 && fail "'database is locked' in a writer's stderr"
}

# --- 1. one existing store -----------------------------------------------------------------------

tcase concurrency-1.1 "8 processes x 50 writes in parallel all succeed"
setup --pool pool4.example.com new-agentgroup Seed
r0=$(revision)
pids=()
for n in $(seq 1 "$WRITERS"); do
  timeout 240 bash -c "writer $n $EACH a" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { CMD="writer pid $p"; fail "a writer did not finish (timeout?)"; }; done
check_writers a

tcase concurrency-1.2 "exactly 400 new revisions"
expect_revision $((r0 + WRITERS * EACH))

tcase concurrency-1.3 "exactly 400 new groups, each once"
run get-agentgroup -o csv
expect_ok
got=$(printf '%s' "$OUT" | tr -d '\r' | awk -F, 'NR > 1 { print $4 }' | grep -c '^a-')
[ "$got" = $((WRITERS * EACH)) ] || fail "expected $((WRITERS * EACH)) groups, got $got"
dups=$(printf '%s' "$OUT" | tr -d '\r' | awk -F, 'NR > 1 { print $4 }' | sort | uniq -d | head -3)
[ -z "$dups" ] || fail "groups listed twice: $dups"

tcase concurrency-1.4 "revisions are numbered without gaps and each records one group"
run get-revision -o json
expect_ok
printf '%s' "$OUT" | python3 -S -c '
import json, sys
revs = json.load(sys.stdin)
nums = [r["Revision"] for r in revs]
assert nums == list(range(len(nums), 0, -1)), "gaps or disorder in revision numbers"
names = [r["Summary"] for r in revs if "new-agentgroup a-" in r["Command"]]
assert len(names) == len(set(names)) == int(sys.argv[1]), "%d summaries" % len(names)
' $((WRITERS * EACH)) 2>"$TMP/py.err" || fail "$(tail -1 "$TMP/py.err")"

# --- 2. racing to create the store ---------------------------------------------------------------

tcase concurrency-2.1 "8 processes creating one new store at once all succeed"
export RGS_STORE="$TMP/fresh.db"
pids=()
for n in $(seq 1 "$WRITERS"); do
  timeout 120 bash -c "writer $n 3 b" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { CMD="writer pid $p"; fail "a writer did not finish (timeout?)"; }; done
check_writers b
expect_revision $((WRITERS * 3))

# --- 3. readers during writes --------------------------------------------------------------------

tcase concurrency-3.1 "readers while 4 writers write: every read and write succeeds"
export RGS_STORE="$TMP/store.db"
pids=()
for n in 1 2 3 4; do
  timeout 120 bash -c "writer $n 15 c" &
  pids+=($!)
done
reader_fail=0
for i in $(seq 1 40); do
  "$RGS" get-revision --last 1 </dev/null >/dev/null 2>"$TMP/reader.err" || reader_fail=1
  [ -s "$TMP/reader.err" ] && reader_fail=1
  "$RGS" get-agentgroup Seed </dev/null >/dev/null 2>>"$TMP/reader.err" || reader_fail=1
done
for p in "${pids[@]}"; do wait "$p" || { CMD="writer pid $p"; fail "a writer did not finish"; }; done
WRITERS=4 check_writers c
[ $reader_fail -eq 0 ] || { CMD="get-revision/get-agentgroup"; ERR=$(head -3 "$TMP/reader.err"); fail "a reader failed"; }

finish
