#!/bin/bash
# Tests of the set-up commands README.md documents, `bash scripts/run` and `bash scripts/test`:
# they work as written from a root shell without sudo (a minimal Debian has none) and from a
# user's shell with sudo. The scripts run on a copy of scripts/ with apt-get, dpkg-query, sudo,
# id, cmake and ctest replaced by stubs that record how they were called; build/rgs is the rgs
# under test, build/rgsd a stub.
. "$(dirname "$0")/lib.sh"

plan scripts \
  "README.md documents the set-up commands without sudo" \
  "as root: packages installed with apt-get directly, sudo never called" \
  "as a user: packages installed through sudo; nothing else through it"

TREE="$TMP/tree"
STUBS="$TMP/stubs"
LOG="$TMP/calls.log"
mkdir -p "$TREE/scripts" "$TREE/build" "$STUBS"
cp "$RGS_SOURCE_DIR"/scripts/{setup,run,test,example-config} "$TREE/scripts/"
ln -s "$RGS" "$TREE/build/rgs"

# stub NAME BODY: a command that logs "NAME ARGS" (with the user it runs as) and runs BODY.
stub() {
  printf '#!/bin/bash\necho "$(basename "$0") [uid ${FAKE_UID}${VIA_SUDO:+ via sudo}] $*" >>"%s"\n%s\n' "$LOG" "$2" \
    >"$STUBS/$1"
  chmod +x "$STUBS/$1"
}
# dpkg-query: every package installed except the one named by $MISSING.
stub dpkg-query '[ "${@: -1}" = "${MISSING:-}" ] && exit 1; echo "install ok installed"'
stub apt-get ''
stub sudo 'VIA_SUDO=1 FAKE_UID=0 exec "$@"'
stub id '[ "$1" = -u ] && { echo "$FAKE_UID"; exit 0; }; exec /usr/bin/id "$@"'
stub cmake ''
stub ctest 'echo "ctest ran in $PWD"'
stub rgsd 'exit 0'
cp "$STUBS/rgsd" "$TREE/build/rgsd"
rm "$STUBS/rgsd"

# as UID MISSING SCRIPT: runs `bash scripts/SCRIPT` in the tree as user UID with package MISSING
# not installed ("" for none); output in $OUT/$ERR/$RC, the stubs' calls in $CALLS.
as() {
  : >"$LOG"
  CMD="bash scripts/$3 (uid $1, missing '${2}')"
  (cd "$TREE" && env -u RGS -u RGS_STORE PATH="$STUBS:/usr/bin:/bin" FAKE_UID="$1" MISSING="$2" \
    RGS_STORE="$TREE/store-$1-$3.db" bash "scripts/$3" </dev/null >"$TMP/.out" 2>"$TMP/.err")
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
  CALLS=$(cat "$LOG")
}
expect_call() {
  printf '%s\n' "$CALLS" | grep -Fxq -- "$1" || fail "expected the call '$1' among: ${CALLS//$'\n'/ | }"
}
expect_no_call() {
  ! printf '%s\n' "$CALLS" | grep -Eq -- "$1" || fail "expected no call matching '$1' among: ${CALLS//$'\n'/ | }"
}

# --- 1. README --------------------------------------------------------------------------------

tcase scripts-1.1 "the set-up commands of README.md are 'bash scripts/run' and 'bash scripts/test'"
CMD="grep README.md"
grep -Eq '^    bash scripts/run$' "$RGS_SOURCE_DIR/README.md" || fail "no line '    bash scripts/run'"
grep -Eq '^    bash scripts/test$' "$RGS_SOURCE_DIR/README.md" || fail "no line '    bash scripts/test'"
! grep -Eq '^ *sudo ' "$RGS_SOURCE_DIR/README.md" || fail "a documented command still starts with sudo"

# --- 2. root ----------------------------------------------------------------------------------

tcase scripts-2.1 "bash scripts/test as root, a package missing: apt-get as root, then cmake and ctest"
as 0 sip-tester test
expect_status 0
expect_call "apt-get [uid 0] update -qq"
expect_call "apt-get [uid 0] install -y -qq --no-install-recommends sip-tester"
expect_no_call '^sudo '
expect_call "ctest [uid 0] --output-on-failure --timeout 600 -j$(nproc)"
expect_stdout_contains "ctest ran in $TREE/build"

tcase scripts-2.2 "bash scripts/run as root, nothing missing: no apt-get, no sudo; the example store, then rgsd"
as 0 "" run
expect_status 0
expect_no_call '^(sudo|apt-get) '
expect_call "rgsd [uid 0] --config $TREE/rgsd.yaml"
expect_stdout_contains "== store: $TREE/store-0-run.db" "Help Desk" "Sales Line"

# --- 3. user ----------------------------------------------------------------------------------

tcase scripts-3.1 "bash scripts/test as a user, a package missing: apt-get through sudo, the rest as the user"
as 1000 catch2 test
expect_status 0
expect_call "sudo [uid 1000] apt-get update -qq"
expect_call "apt-get [uid 0 via sudo] install -y -qq --no-install-recommends catch2"
expect_no_call '^sudo .*(cmake|ctest)'
expect_call "ctest [uid 1000] --output-on-failure --timeout 600 -j$(nproc)"

tcase scripts-3.2 "bash scripts/run as a user, nothing missing: sudo never called"
as 1000 "" run
expect_status 0
expect_no_call '^(sudo|apt-get) '
expect_call "rgsd [uid 1000] --config $TREE/rgsd.yaml"

finish
