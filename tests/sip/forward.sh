#!/bin/bash
# Commands forwarded to rgsd: when rgsd serves the store a command names, rgs sends the command to
# rgsd's control socket and rgsd runs it on its open store, with the same output, errors and exit
# status as rgs alone; what rgsd declines (another store, another user, files to read, questions
# to ask) and an rgsd that is not there leave the command to rgs.
. "$(dirname "$0")/lib.sh"

plan sip-forward \
  "commands rgsd runs: same output, errors, exit statuses and revisions as rgs alone; changes logged; any argument, any answer length" \
  "commands rgs keeps: another store, files and standard input, --pool, help" \
  "no rgsd, or a user who may not write the store: nothing changes for rgs"

setup -q new-agentgroup Desk --agent sip:alice@example.com --agent sip:bob@example.com
setup -q new-queue Help --agent-group Desk
start_rgsd "log_level: debug"   # reads run for rgs are logged at debug
SOCKET=$RGS_CONTROL

# direct ARGS...: runs rgs without rgsd (no control socket) into DOUT, DERR, DRC.
direct() {
  RGS_CONTROL=$TMP/none.sock "$RGS" "$@" </dev/null >"$TMP/.dout" 2>"$TMP/.derr"
  DRC=$?
  DOUT=$(cat "$TMP/.dout"; echo x)
  DOUT=${DOUT%x}
  DERR=$(cat "$TMP/.derr"; echo x)
  DERR=${DERR%x}
}

tcase sip-forward-1.1 "a read runs in rgsd and prints what rgs alone prints"
for args in "get-agentgroup Desk" "get-queue -o json" "get-agentgroup -o yaml" "get-revision --last 2"; do
  # shellcheck disable=SC2086
  direct $args
  # shellcheck disable=SC2086
  run $args
  expect_status 0
  [ "$OUT" = "$DOUT" ] || fail "'rgs $args' printed something else through rgsd"
done
run get-agentgroup Desk
expect_stdout_contains "Name                     : Desk"
expect_log "debug ran for root \(uid 0\): rgs get-agentgroup Desk: exit 0 in [0-9.]+ ms"
expect_log "debug ran for root \(uid 0\): rgs get-queue -o json: exit 0 in [0-9.]+ ms"

tcase sip-forward-1.2 "a write runs in rgsd: one revision by the user who ran rgs, logged by rgsd"
expect_revision 2
run new-agentgroup Sales --agent sip:carol@example.com
expect_status 0
expect_stdout_contains "Name                     : Sales"
expect_revision 3
run get-revision --last 1 -o json
expect_json '[0].Actor="root"' '[0].Command="rgs new-agentgroup Sales --agent sip:carol@example.com"'
expect_log "info ran for root \(uid 0\): rgs new-agentgroup Sales --agent sip:carol@example.com: exit 0 in [0-9.]+ ms"

tcase sip-forward-1.3 "errors come back with rgs's messages and exit statuses, and change nothing"
direct new-agentgroup Sales
run new-agentgroup Sales
expect_status 4
[ "$RC" = "$DRC" ] && [ "$ERR" = "$DERR" ] || fail "rgsd answered '$ERR' ($RC), rgs alone '$DERR' ($DRC)"
run set-queue Help --timeout-threshold 5
expect_status 5
expect_stderr_contains "--timeout-threshold"
run get-queue Nowhere
expect_status 3
run set-agentgroup Desk --agent-alert-time lots
expect_status 2
run set-queue Help --description x --expect-revision 1
expect_status 6
expect_revision 3
expect_log "rgs new-agentgroup Sales: exit 4 in [0-9.]+ ms"

tcase sip-forward-1.4 "--whatif through rgsd shows the change and writes nothing"
run --whatif set-agentgroup Desk --description "front desk"
expect_status 0
expect_stdout_contains "What if: revision 4 would make these changes"
expect_revision 3

tcase sip-forward-1.5 "rgsd serves what it was told through the socket"
run -q new-workflow Front --primary-uri sip:front@example.com --default-action queue:Help --active true
expect_status 0
expect_log "now serving revision 4 of pool .*: 1 active workflow"

tcase sip-forward-1.6 "any argument reaches rgsd as typed, and a long answer comes back whole"
# description ARGS...: the Description that `rgs ARGS` (a get -o json of one group) printed.
description() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print((d[0] if isinstance(d,list) else d)["Description"], end="")' "$1"; }
odd=$'say "hi" \\ back\tslash\nnew line, \x01, \u00e9 \u2713'
run -q set-agentgroup Desk --description "$odd"
expect_status 0
expect_log "ran for root \(uid 0\): rgs -q set-agentgroup Desk --description"
direct get-agentgroup Desk -o json
[ "$(description "$DOUT")" = "$odd" ] || fail "the description rgsd stored is '$(description "$DOUT")', not '$odd'"
# One argument of about 100,000 characters (longer than rgs's request and answer buffers; a
# Description may have 4,096): 3,800 agents, and an answer of about 130 KB.
long=$(seq -f 'sip:agent%05g@example.com' 1 3800 | paste -sd,)
run -q set-agentgroup Desk --agents "$long"
expect_status 0
run get-agentgroup Desk -o json
expect_status 0
direct get-agentgroup Desk -o json
agents() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(",".join((d[0] if isinstance(d,list) else d)["AgentsByUri"]), end="")' "$1"; }
[ "$OUT" = "$DOUT" ] && [ "$(agents "$OUT")" = "$long" ] || fail "a 100,000-character argument did not come back whole through rgsd"
before=$(log_count "ran for")
direct -q set-agentgroup Desk --description $'not UTF-8: \xff'
run -q set-agentgroup Desk --description $'not UTF-8: \xff'   # rgsd cannot read it: rgs refuses it
expect_status 2
expect_stderr_contains "is not UTF-8 text (byte 0xff at position 12)"
[ "$RC" = "$DRC" ] && [ "$ERR" = "$DERR" ] || fail "rgs through rgsd answered '$ERR' ($RC), rgs alone '$DERR' ($DRC)"
[ "$(log_count "ran for")" -eq "$before" ] || fail "rgsd ran a request that is not UTF-8"
setup -q set-agentgroup Desk --description ""

tcase sip-forward-1.7 "standard output closed or full: exit 1, as rgs alone"
before=$(log_count "ran for root \(uid 0\): rgs get-agentgroup Desk: exit 0")
"$RGS" get-agentgroup Desk </dev/null >&- 2>/dev/null
RC=$?
RGS_CONTROL=$TMP/none.sock "$RGS" get-agentgroup Desk </dev/null >&- 2>/dev/null
DRC=$?
[ "$RC" = 1 ] && [ "$DRC" = 1 ] || fail "standard output closed: exit $RC through rgsd, $DRC alone; 1 expected"
"$RGS" get-agentgroup Desk </dev/null >/dev/full 2>/dev/null
RC=$?
RGS_CONTROL=$TMP/none.sock "$RGS" get-agentgroup Desk </dev/null >/dev/full 2>/dev/null
DRC=$?
[ "$RC" = 1 ] && [ "$DRC" = 1 ] || fail "standard output full: exit $RC through rgsd, $DRC alone; 1 expected"
[ "$(log_count "ran for root \(uid 0\): rgs get-agentgroup Desk: exit 0")" -eq $((before + 2)) ] ||
  fail "rgsd did not run the two commands whose output could not be written"

tcase sip-forward-2.1 "another store: rgs runs the command itself"
RGS_STORE=$TMP/other.db run -q new-agentgroup Elsewhere --pool other.example.com
expect_status 0
before=$(log_count "ran for")
RGS_STORE=$TMP/other.db run -q new-agentgroup Elsewhere2
expect_status 0
RGS_STORE=$TMP/other.db run get-agentgroup Elsewhere2
expect_status 0
expect_stdout_contains "OwnerPool                : other.example.com"
[ "$(log_count "ran for")" -eq "$before" ] || fail "rgsd ran a command on a store it does not serve"

tcase sip-forward-2.2 "files, standard input, --pool and help stay with rgs"
run get-agentgroup Desk -o yaml
printf '%s' "$OUT" | sed 's/^Description: .*/Description: from a file/' >"$TMP/desk.yaml"
run set-agentgroup Desk --instance "$TMP/desk.yaml"
expect_status 0
run_stdin "$TMP/desk.yaml" set-agentgroup Desk --instance -
expect_status 0
run get-agentgroup --help
expect_status 0
expect_stdout_contains "get-agentgroup"
run --pool wrong.example.com get-agentgroup Desk
expect_status 5
expect_stderr_contains "not 'wrong.example.com'"
[ "$(log_count "ran for .*--instance")" -eq 0 ] || fail "rgsd ran a command that reads a file or standard input"
run get-agentgroup Desk
expect_stdout_contains "Description              : from a file"

tcase sip-forward-3.1 "a socket nobody listens on: rgs runs the command itself"
stop_rgsd
python3 -S -c "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])" "$SOCKET"
run -q new-agentgroup Later
expect_status 0
run get-agentgroup Later
expect_status 0
expect_revision 9
rm -f "$SOCKET"

tcase sip-forward-3.2 "a user who may not write the store: rgsd declines, and rgs alone refuses as before"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  start_rgsd "log_level: debug"
  shared=$(mktemp -d /tmp/rgs-uid.XXXXXX) && chmod 755 "$shared" && cp "$RGS" "$shared/rgs"
  chmod 711 "$TMP"
  chmod 600 "$RGS_STORE"
  chmod 666 "$RGS_CONTROL"   # the user reaches rgsd, which declines
  CMD="rgs as uid 4321: new-agentgroup Intruder"
  ERR=$(setpriv --reuid 4321 --regid 4321 --clear-groups env RGS_STORE="$RGS_STORE" RGS_CONTROL="$RGS_CONTROL" \
    "$shared/rgs" -q new-agentgroup Intruder --agent sip:x@example.com </dev/null 2>&1 >/dev/null)
  RC=$?
  expect_status 7
  expect_stderr_contains "permission denied"
  ERR=$(setpriv --reuid 4321 --regid 4321 --clear-groups env RGS_STORE="$RGS_STORE" RGS_CONTROL="$RGS_CONTROL" \
    "$shared/rgs" get-agentgroup Desk </dev/null 2>&1 >/dev/null)
  RC=$?
  expect_status 7
  expect_revision 9
  [ "$(log_count "uid 4321")" -eq 0 ] || fail "rgsd ran a command for uid 4321"
  chmod 700 "$TMP"
  rm -rf "$shared"
else
  echo "  (not root: no other user to run as)"
  run get-agentgroup Desk
  expect_status 0
fi

finish
