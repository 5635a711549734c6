#!/bin/bash
# A full disk during import-configuration and export-configuration, made with the file size
# limit (RLIMIT_FSIZE, `ulimit -f`), which needs no privilege: a write past it fails (EFBIG) as on
# a full disk. rgs says so naming the store, exits 1, and the store is unchanged and intact;
# an export leaves no partial archive and no temporary file.
. "$(dirname "$0")/lib.sh"

plan fault-disk-full \
  "an exported archive of 500 objects and an audio file, and a store to import it into" \
  "the file size limit reached during the import: exit 1, the store named, nothing changed" \
  "the file size limit reached during an export: exit 1, no archive, no temporary file"

STORE="$TMP/store.db"
SEED=$(dirname "$RGS")/bench/rgs-bench-seed

tcase fault-disk-full-1.1 "an archive of 300 groups, 150 queues, 50 workflows and 200 KB of audio; a small store"
[ -x "$SEED" ] || fail "no $SEED"
timeout 60 "$SEED" "$TMP/src.db" pool-s.example.com 300 150 50 3 >/dev/null 2>&1 || fail "rgs-bench-seed failed"
# Noise does not compress: the archive is larger than the 64 kB an export gets below.
python3 -S -c 'import os, sys, wave
f = wave.open(sys.argv[1], "wb"); f.setnchannels(1); f.setsampwidth(2); f.setframerate(16000)
f.writeframes(os.urandom(200000)); f.close()' "$TMP/noise.wav"
setup --store "$TMP/src.db" -q import-audiofile --file "$TMP/noise.wav" --name Noise
run --store "$TMP/src.db" export-configuration --file "$TMP/archive.zip"
expect_ok
setup --store "$STORE" -q --pool pool-d.example.com new-agentgroup Local --agent sip:loc@example.com
keep_state "$STORE"
STORE_KB=$(($(stat -c %s "$STORE") / 1024))

# limited KB ARGS...: rgs ARGS with files limited to KB kilobytes (rgs ignores SIGXFSZ itself).
limited() {
  local kb=$1
  shift
  CMD="(ulimit -f $kb) $(_quote_cmd "$@")"
  (ulimit -f "$kb" && exec "$RGS" "$@" </dev/null >"$TMP/.out" 2>"$TMP/.err")
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
}

n=0
for extra in 16 64 160; do
  n=$((n + 1))
  kb=$((STORE_KB + extra))
  tcase "fault-disk-full-2.$n" "import with $kb kB per file (the store is $STORE_KB kB)"
  fault_begin
  limited "$kb" --store "$STORE" -q import-configuration --file "$TMP/archive.zip" --overwrite-owner
  expect_error 1 "rgs: store '$STORE': disk I/O error"
  expect_unchanged "$STORE"
  fault_end
done
tcase fault-disk-full-2.4 "without the limit the same import succeeds"
run --store "$STORE" -q import-configuration --file "$TMP/archive.zip" --overwrite-owner
expect_ok
[ "$(store_rev "$STORE")" = $((OLD_REV + 1)) ] || fail "the import did not write a revision"

tcase fault-disk-full-3.1 "export with 64 kB per file: exit 1, the archive named, nothing left"
mkdir "$TMP/out"
fault_begin
limited 64 --store "$STORE" export-configuration --file "$TMP/out/full.zip"
expect_error 1 "rgs: cannot write '$TMP/out/full.zip'"
[ -z "$(ls -A "$TMP/out")" ] || fail "files left: $(ls -A "$TMP/out" | tr '\n' ' ')"
fault_end

finish
