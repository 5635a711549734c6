# Helpers for the black-box tests of rgs (tests/cli/*.sh); sourced, not run.
# shellcheck shell=bash disable=SC2034
#
# A script sources this file, prints its plan with `plan`, then runs cases:
#
#   tcase agentgroup-1.1 "new-agentgroup creates a group"
#   run new-agentgroup Sales
#   expect_status 0
#   expect_stdout_contains "Name                     : Sales"
#
# `run` captures stdout, stderr and the exit status of one rgs process in $OUT, $ERR and $RC.
# Each failed expectation marks the case failed; the first one prints one line with the case
# id, the command, what was expected and what happened. `finish` prints "N passed, M failed"
# and exits 0 only when nothing failed.

set -u

RGS=${RGS:-/work/main/build/rgs}
RGS_SOURCE_DIR=${RGS_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export LC_ALL=C

TMP=$(mktemp -d "${TMPDIR:-/tmp}/rgs-cli.XXXXXX") || { echo "cannot make a temp dir" >&2; exit 1; }
trap 'rm -rf "$TMP"' EXIT
export RGS_STORE="$TMP/store.db"

PASSED=0
FAILED=0
CASE=""
CASE_DESC=""
CASE_FAILED=0
CMD=""
OUT=""
ERR=""
RC=""

# plan NAME "GROUP: what it covers" ...: the numbered groups of the test plan (STYLE.md §6).
plan() {
  local name=$1
  shift
  echo "# test plan: $name"
  local i=1
  for g in "$@"; do
    echo "#   $name-$i.*  $g"
    i=$((i + 1))
  done
}

_close_case() {
  if [ -n "$CASE" ]; then
    if [ "$CASE_FAILED" -eq 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  fi
  CASE=""
  CASE_FAILED=0
}

# tcase ID [DESCRIPTION]: starts a case; the previous one is counted.
tcase() {
  _close_case
  CASE=$1
  CASE_DESC=${2:-}
  CASE_FAILED=0
  CMD="(no command run)"
  OUT=""
  ERR=""
  RC=""
}

# fail WHAT: marks the current case failed; prints only its first failure.
fail() {
  if [ "$CASE_FAILED" -eq 0 ]; then
    local e=${ERR//$'\n'/ | }
    [ ${#e} -gt 300 ] && e="${e:0:300}..."
    echo "FAIL $CASE: $CMD: $1 [exit $RC; stderr: $e]"
  fi
  CASE_FAILED=1
}

_quote_cmd() {
  local s="rgs" a
  for a in "$@"; do
    if [[ "$a" =~ ^[A-Za-z0-9_./:=@+,%-]+$ ]]; then s+=" $a"; else s+=" $(printf '%q' "$a")"; fi
  done
  echo "$s"
}

_wait_for_binary() {
  local i
  for i in $(seq 1 60); do
    [ -x "$RGS" ] && return 0
    sleep 1
  done
  echo "rgs binary '$RGS' is missing" >&2
}

# run ARGS...: runs rgs with ARGS, stdin from /dev/null.
run() {
  _wait_for_binary
  CMD=$(_quote_cmd "$@")
  "$RGS" "$@" </dev/null >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT=$(cat "$TMP/.out"; echo x)
  OUT=${OUT%x}
  ERR=$(cat "$TMP/.err"; echo x)
  ERR=${ERR%x}
}

# run_stdin FILE ARGS...: runs rgs with ARGS and FILE on stdin.
run_stdin() {
  local in=$1
  shift
  _wait_for_binary
  CMD="$(_quote_cmd "$@") < $in"
  "$RGS" "$@" <"$in" >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT=$(cat "$TMP/.out"; echo x)
  OUT=${OUT%x}
  ERR=$(cat "$TMP/.err"; echo x)
  ERR=${ERR%x}
}

# setup ARGS...: runs rgs to prepare a case (stdout kept in $SETUP_OUT); a failure fails the case.
# Call it directly, not in $(...), so that the failure is counted.
SETUP_OUT=""
setup() {
  local rc
  _wait_for_binary
  "$RGS" "$@" </dev/null >"$TMP/.setup_out" 2>"$TMP/.setup_err"
  rc=$?
  SETUP_OUT=$(cat "$TMP/.setup_out")
  if [ $rc -ne 0 ]; then
    local save_cmd=$CMD save_rc=$RC save_err=$ERR
    CMD="setup: $(_quote_cmd "$@")"
    RC=$rc
    ERR=$(cat "$TMP/.setup_err")
    fail "setup command failed"
    CMD=$save_cmd RC=$save_rc ERR=$save_err
  fi
  return $rc
}

expect_status() {
  [ "$RC" = "$1" ] || fail "expected exit $1, got $RC"
}

expect_stdout_contains() {
  local s
  for s in "$@"; do
    [[ "$OUT" == *"$s"* ]] || fail "expected stdout to contain '$s', got '${OUT:0:200}'"
  done
}

expect_stdout_not_contains() {
  [[ "$OUT" != *"$1"* ]] || fail "expected stdout not to contain '$1'"
}

expect_stderr_contains() {
  local s
  for s in "$@"; do
    [[ "$ERR" == *"$s"* ]] || fail "expected stderr to contain '$s'"
  done
}

# expect_stderr_contains_i SUBSTRING: the same, ignoring case.
expect_stderr_contains_i() {
  printf '%s' "$ERR" | grep -Fiq -- "$1" || fail "expected stderr to contain '$1' (any case)"
}

expect_stderr_not_contains() {
  [[ "$ERR" != *"$1"* ]] || fail "expected stderr not to contain '$1'"
}

expect_stdout_empty() {
  [ -z "$OUT" ] || fail "expected empty stdout, got '${OUT:0:200}'"
}

expect_stderr_empty() {
  [ -z "$ERR" ] || fail "expected empty stderr"
}

expect_stdout_equals() {
  [ "$OUT" = "$1" ] || fail "expected stdout '$1', got '$OUT'"
}

expect_stderr_equals() {
  [ "$ERR" = "$1" ] || fail "expected stderr '$1'"
}

# expect_stdout_line LINE: stdout has a line exactly LINE.
expect_stdout_line() {
  printf '%s' "$OUT" | grep -Fxq -- "$1" || fail "expected a stdout line '$1'"
}

# Every stderr line begins with "rgs: " (STYLE.md §4).
expect_stderr_prefixed() {
  local line
  [ -n "$ERR" ] || { fail "expected a message on stderr, got none"; return; }
  while IFS= read -r line; do
    [[ "$line" == "rgs: "* ]] || { fail "stderr line without 'rgs: ' prefix: '$line'"; return; }
  done <<<"${ERR%$'\n'}"
}

# expect_ok: exit 0 and nothing on stderr.
expect_ok() {
  expect_status 0
  expect_stderr_empty
}

# expect_warning SUBSTRING...: exit 0, and stderr holds only "rgs: warning: " lines naming each.
expect_warning() {
  expect_status 0
  expect_stderr_prefixed
  expect_stderr_contains "rgs: warning:" "$@"
}

# expect_error N [SUBSTRING...]: exit N, nothing on stdout, "rgs: " messages naming each SUBSTRING.
expect_error() {
  local n=$1
  shift
  expect_status "$n"
  expect_stdout_empty
  expect_stderr_prefixed
  expect_stderr_contains "$@"
}

# expect_json 'PATH=JSON' ...: stdout is one JSON document whose value at PATH equals JSON.
# PATH is dotted keys and [n] indexes (AgentsByUri[0], TimeoutAction.Action, [0].Name);
# 'PATH?' alone checks presence, 'len(PATH)=N' a length, '=' with an empty PATH the whole document.
expect_json() {
  local r
  r=$(printf '%s' "$OUT" | python3 -S -c '
import json, re, sys
try:
    doc = json.loads(sys.stdin.read())
except Exception as e:
    print("stdout is not JSON: %s" % e); sys.exit(0)
def walk(d, path):
    for key, idx in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if idx != "":
            d = d[int(idx)]
        else:
            d = d[key]
    return d
for check in sys.argv[1:]:
    try:
        if check.startswith("len(") and ")=" in check:
            path, want = check[4:].split(")=", 1)
            got = len(walk(doc, path))
            if got != int(want):
                print("%s: got length %d" % (check, got)); break
        elif check.endswith("?"):
            walk(doc, check[:-1])
        else:
            path, want = check.split("=", 1)
            got = walk(doc, path)
            if got != json.loads(want):
                print("%s: got %s" % (check, json.dumps(got))); break
    except (KeyError, IndexError, TypeError) as e:
        print("%s: no such path (%r)" % (check, e)); break
' "$@")
  [ -z "$r" ] || fail "json check failed: $r"
}

# revision: the store's newest revision number (0 when it has none).
revision() {
  local n
  _wait_for_binary
  n=$("$RGS" get-revision --last 1 "$@" </dev/null 2>/dev/null | sed -n 's/^Revision *: *//p')
  echo "${n:-0}"
}

expect_revision() {
  local want=$1 got
  shift
  got=$(revision "$@")
  [ "$got" = "$want" ] || fail "expected the store at revision $want, got $got"
}

# same_json FILE_A FILE_B: the two files hold equal JSON documents.
same_json() {
  python3 -S -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
sys.exit(0 if a == b else 1)' "$1" "$2" 2>/dev/null
}

finish() {
  _close_case
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
  exit $?
}
