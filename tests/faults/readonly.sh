#!/bin/bash
# A store that may not be written: the file read-only, or the file and its -wal and -shm
# read-only in a read-only folder: writes fail with exit 7 and "permission denied" naming the
# store, reads work, nothing changes. A folder that may not be written, holding a store without
# its -wal and -shm files (copied there): SQLite cannot create them, for a read as for a write:
# exit 7 naming the folder. Run as root, the commands run as the user nobody (root may write any
# file).
. "$(dirname "$0")/lib.sh"

plan fault-readonly \
  "the store files read-only: writes exit 7, reads work" \
  "the store, its -wal, -shm and folder read-only: writes exit 7, reads work" \
  "a read-only folder without the -wal and -shm files: exit 7 naming the folder"

AS=()
if [ "$(id -u)" = 0 ]; then
  AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  chmod 755 "$TMP"   # nobody must reach the stores below
fi
# as_user ARGS...: rgs ARGS as the unprivileged user, into OUT, ERR, RC.
as_user() {
  CMD=$(_quote_cmd "$@")
  "${AS[@]}" "$RGS" "$@" </dev/null >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
}
# a_store DIR: DIR/s.db, a store with a group and a queue, used once (its -wal and -shm exist).
a_store() {
  mkdir -p "$1"
  setup --store "$1/s.db" -q --pool pool-r.example.com new-agentgroup Desk --agent sip:ann@example.com
  setup --store "$1/s.db" -q new-queue Desk --agent-group Desk
}
# unchanged DIR: the files of DIR are as they were when `snapshot DIR` ran.
snapshot() { md5sum "$1"/* >"$TMP/.sums"; }
unchanged() { md5sum "$1"/* | cmp -s - "$TMP/.sums" || fail "the store's files changed"; }

# reads_and_writes STORE: the checks common to a store that may be read but not written.
reads_and_writes() {
  local s=$1
  fault_begin
  as_user --store "$s" set-queue Desk --description changed
  expect_error 7 "rgs: cannot write store '$s': permission denied"
  as_user --store "$s" new-agentgroup Night --agent sip:bob@example.com
  expect_error 7 "rgs: cannot write store '$s': permission denied"
  as_user --store "$s" get-queue Desk -o json
  expect_status 0
  expect_json 'Name="Desk"' 'Description=""'
  as_user --store "$s" get-revision --last 1
  expect_status 0
  expect_stdout_contains "Revision : 2"
  fault_end
}

tcase fault-readonly-1.1 "the store, -wal and -shm 0444 in a folder the user may write"
a_store "$TMP/r1"
chmod 444 "$TMP/r1"/*
[ ${#AS[@]} -gt 0 ] && chown 65534 "$TMP/r1"   # the folder is the user's: only the files are read-only
snapshot "$TMP/r1"
reads_and_writes "$TMP/r1/s.db"
unchanged "$TMP/r1"

tcase fault-readonly-2.1 "the store, -wal and -shm 0444 in a folder 0555"
a_store "$TMP/r2"
chmod 444 "$TMP/r2"/*
chmod 555 "$TMP/r2"
snapshot "$TMP/r2"
reads_and_writes "$TMP/r2/s.db"
unchanged "$TMP/r2"
chmod 755 "$TMP/r2"

tcase fault-readonly-3.1 "a store copied into a folder 0555 (no -wal, -shm): exit 7 naming the folder"
a_store "$TMP/src"
checkpoint "$TMP/src/s.db"
mkdir "$TMP/r3"
cp "$TMP/src/s.db" "$TMP/r3/s.db"
[ ${#AS[@]} -gt 0 ] && chown 65534 "$TMP/r3/s.db"
chmod 555 "$TMP/r3"
snapshot "$TMP/r3"
fault_begin
as_user --store "$TMP/r3/s.db" set-queue Desk --description changed
expect_error 7 "rgs: cannot open store '$TMP/r3/s.db': its folder '$TMP/r3/' may not be written"
as_user --store "$TMP/r3/s.db" get-queue Desk
expect_error 7 "its folder '$TMP/r3/' may not be written"
unchanged "$TMP/r3"
[ "$(ls "$TMP/r3")" = s.db ] || fail "files appeared in the read-only folder"
fault_end
chmod 755 "$TMP/r3"

finish
