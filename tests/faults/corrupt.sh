#!/bin/bash
# A corrupt store file: truncated, pages overwritten with garbage, not SQLite at all (text, random
# bytes). A read and a write each fail with a message naming the file and exit 1 (DESIGN: corrupt
# is status 1, see rgs(1) EXIT STATUS); the file is not written (same bytes, no WAL content).
. "$(dirname "$0")/lib.sh"

plan fault-corrupt \
  "a store of 500 objects, checkpointed" \
  "truncated, garbage pages, a text file, random bytes: read and write refused, nothing written"

SEED=$(dirname "$RGS")/bench/rgs-bench-seed
GOOD="$TMP/good.db"
S="$TMP/bad.db"

tcase fault-corrupt-1.1 "a store of 300 groups, 150 queues, 50 workflows"
[ -x "$SEED" ] || fail "no $SEED"
timeout 60 "$SEED" "$GOOD" pool-c.example.com 300 150 50 3 >/dev/null 2>&1 || fail "rgs-bench-seed failed"
checkpoint "$GOOD"
PAGES=$(($(stat -c %s "$GOOD") / 4096))
[ "$PAGES" -gt 20 ] || fail "the store has only $PAGES pages"

# corrupt KIND: $S becomes a corrupt copy of the good store.
corrupt() {
  rm -f "$S" "$S-wal" "$S-shm"
  case $1 in
    truncated) head -c $((PAGES * 4096 / 2)) "$GOOD" >"$S" ;;
    garbage)   # every page but the first (the header and the schema's root) overwritten
      cp "$GOOD" "$S"
      python3 -S -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(4096); f.write(b"\x5a" * (int(sys.argv[2]) * 4096 - 4096))' "$S" "$PAGES" ;;
    text)      printf 'store: /var/lib/rgs/rgs.db\nsip:\n  listen: sip:0.0.0.0:5060\n' >"$S" ;;
    random)    head -c 65536 /dev/urandom >"$S" ;;
  esac
  md5sum <"$S" >"$TMP/.sum"
}
# untouched: the corrupt file has its bytes, and no WAL holds anything for it.
untouched() {
  md5sum <"$S" | cmp -s - "$TMP/.sum" || fail "the store file was written"
  [ "$(stat -c %s "$S-wal" 2>/dev/null || echo 0)" = 0 ] || fail "a WAL was written for the corrupt store"
}

n=0
for kind in truncated garbage text random; do
  n=$((n + 1))
  tcase "fault-corrupt-2.$n" "a $kind store: a read and a write refused, naming the file"
  corrupt "$kind"
  fault_begin
  run --store "$S" get-queue -o csv
  expect_error 1 "rgs: store '$S' is "
  run --store "$S" get-revision
  expect_error 1 "'$S'"
  run --store "$S" new-agentgroup Night --agent sip:bob@example.com
  expect_error 1 "rgs: store '$S' is "
  untouched
  fault_end
done

finish
