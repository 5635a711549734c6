#!/bin/bash
# Hostile archives for import-configuration, each built from a real exported archive plus one
# attack (tests/faults/hostile_zip.py): path traversal, an absolute path, a symbolic link,
# duplicate names, zip bombs, 10,000 entries, a 2 GiB declared size. Each: exit 5, a message naming
# the archive and the entry, the store unchanged (same revision, same dump), no file created
# anywhere, and rgs's memory small (nothing inflated).
. "$(dirname "$0")/lib.sh"

plan fault-hostile-archive \
  "a real archive, exported, and a store to import into" \
  "hostile archives refused: exit 5, the archive and the entry named, nothing written"

ZIPS="$TMP/zips"
mkdir -p "$ZIPS" "$TMP/outside"
STORE="$TMP/store.db"

tcase fault-hostile-archive-1.1 "a real archive from a store with groups, a queue, a workflow"
setup --store "$TMP/src.db" -q --pool pool-h.example.com new-agentgroup Sales --agent sip:ann@example.com
setup --store "$TMP/src.db" -q new-queue Sales --agent-group Sales
setup --store "$TMP/src.db" -q new-workflow Sales --primary-uri sip:sales@example.com --default-action queue:Sales
run --store "$TMP/src.db" export-configuration --file "$ZIPS/real.zip"
expect_ok
setup --store "$STORE" -q --pool pool-h.example.com new-agentgroup Local --agent sip:loc@example.com
keep_state "$STORE"
# The real archive imports (the attacks below are what makes the others fail).
cp "$STORE" "$TMP/check.db"
run --store "$TMP/check.db" -q import-configuration --file "$ZIPS/real.zip"
expect_ok

# files_now: every file under $TMP (but its scratch files and the WAL and shared memory, which come
# and go with any reader) and what this test could have put in /tmp.
files_now() {
  { find "$TMP" -path "$TMP/.*" -prune -o -print; find /tmp -maxdepth 1 -name 'rgs-fault-*'; } | grep -Ev '\.db-(wal|shm)$' | sort
}

# hostile KIND ENTRY-MESSAGE [PATH]: the archive of KIND (PATH: hostile_zip.py's) is refused and
# nothing is written.
hostile() {
  local kind=$1 message=$2 path=${3:-} peak
  python3 "$RGS_SOURCE_DIR/tests/faults/hostile_zip.py" "$kind" "$ZIPS/real.zip" "$ZIPS/$kind.zip" "$path" ||
    { fail "cannot build the $kind archive"; return; }
  fault_begin
  files_now >"$TMP/.files-before"
  # rgs's peak memory (kB), from the kernel, so that a bomb inflated in memory shows.
  run --store "$STORE" import-configuration --file "$ZIPS/$kind.zip"
  peak=$(python3 -S -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$RGS" --store "$STORE" import-configuration --file "$ZIPS/$kind.zip")
  expect_error 5 "rgs: '$ZIPS/$kind.zip' cannot be imported; nothing was changed:" "$message"
  files_now >"$TMP/.files-after"
  cmp -s "$TMP/.files-before" "$TMP/.files-after" ||
    fail "files appeared or went: $(diff "$TMP/.files-before" "$TMP/.files-after" | grep '^[<>]' | head -3 | tr '\n' ' ')"
  expect_unchanged "$STORE"
  [ "${peak:-0}" -lt 100000 ] || fail "rgs used $peak kB of memory: the archive was inflated"
  fault_end
  echo "# $kind: $(printf '%s' "$ERR" | sed -n 2p | cut -c1-160) (peak $peak kB)"
}

n=0
next() { n=$((n + 1)); tcase "fault-hostile-archive-2.$n" "$1"; }
next "path traversal: an entry ../NAME"
hostile traversal "../tmp/rgs-fault-$$-traversal: an entry name must be relative and stay inside the archive" \
  "/tmp/rgs-fault-$$-traversal"
[ -e "/tmp/rgs-fault-$$-traversal" ] && fail "/tmp/rgs-fault-$$-traversal was created"
next "an absolute path"
hostile absolute "$TMP/outside/absolute.yaml: an entry name must be relative" "$TMP/outside/absolute.yaml"
[ -e "$TMP/outside/absolute.yaml" ] && fail "$TMP/outside/absolute.yaml was created"
next "a symbolic link entry (to /etc/passwd)"
hostile symlink "audio/$(printf 'ab%.0s' $(seq 32)).wav: only plain files may be in an archive" /etc/passwd
next "duplicate names: configuration.yaml twice"
hostile duplicate "configuration.yaml: the entry appears twice"
next "a zip bomb: 1 MB inflating to 1 GiB, declared"
hostile bomb "configuration.yaml: declares 1073741824 bytes; at most 268435456 allowed"
next "a zip bomb whose header declares the real size"
hostile bomb-lying "configuration.yaml: holds more than the"
next "300 entries of 4 KB, each inflating to its 4 MiB limit: 1.2 GiB together"
hostile bomb-spread "the entries declare more than 1073741824 bytes in all"
next "10,000 entries: refused, the first 100 problems listed and the rest counted"
hostile many "in the archive but not in the manifest"
expect_stderr_contains "more problems ("
[ "$(printf '%s' "$ERR" | wc -l)" -le 110 ] || fail "$(printf '%s' "$ERR" | wc -l) lines of messages"
next "a 2 GiB declared size"
hostile declared-2g "configuration.yaml: declares 2147483648 bytes; at most 268435456 allowed"
next "not a zip at all"
printf 'PK\003\004 not really a zip\n' >"$ZIPS/fake.zip"
run --store "$STORE" import-configuration --file "$ZIPS/fake.zip"
expect_error 5 "$ZIPS/fake.zip: the zip is truncated or corrupt"
[ "$(store_rev "$STORE")" = "$OLD_REV" ] || fail "the store's revision changed"

finish
