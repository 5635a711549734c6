#!/bin/bash
# Black-box tests of what every cmdlet shares: usage, help, names, global options, the store
# file, stdout/stderr discipline and --version.
. "$(dirname "$0")/lib.sh"

plan global \
  "usage and help: rgs alone, --help, help, help CMDLET, CMDLET --help" \
  "cmdlet names: unknown ones with a suggestion, case, Lync aliases" \
  "global options: -o values, before or after the cmdlet, RGS_STORE and --store, -q" \
  "the store file: created on the first write, mode 0600, only by a write that succeeds" \
  "stdout for results, stderr for 'rgs: ' messages" \
  "--version" \
  "the actor a revision names" \
  "file options: regular files only (or - for standard input), at most 16 MiB for documents"

# --- 1. usage and help ---------------------------------------------------------------------------

tcase global-1.1 "rgs alone: exit 2, usage on stderr, nothing on stdout"
run
expect_status 2
expect_stdout_empty
expect_stderr_contains "usage: rgs" "new-agentgroup" "get-revision"

tcase global-1.2 "rgs --help and rgs -h: exit 0, usage on stdout, nothing on stderr"
run --help
expect_ok
expect_stdout_contains "usage: rgs" "new-queue" "--store"
run -h
expect_ok
expect_stdout_contains "usage: rgs"

tcase global-1.3 "rgs help: exit 0, every cmdlet with its summary"
run help
expect_ok
for c in new-agentgroup get-agentgroup set-agentgroup remove-agentgroup new-queue get-queue set-queue \
  remove-queue get-revision compare-revision restore-revision; do
  printf '%s' "$OUT" | grep -Eq "^  $c +[a-z]" || fail "rgs help does not list $c"
done

tcase global-1.4 "rgs help new-queue: exit 0, the options on stdout"
run help new-queue
expect_ok
expect_stdout_contains "--timeout-threshold" "--agent-group" "--overflow-candidate" "--store" "--whatif"

tcase global-1.5 "rgs new-queue --help and rgs NEW-QUEUE -h: exit 0, the options on stdout"
run new-queue --help
expect_ok
expect_stdout_contains "--timeout-threshold" "--timeout-action" "--overflow-action"
run NEW-QUEUE -h
expect_ok
expect_stdout_contains "--timeout-threshold"

tcase global-1.6 "--help needs no store and makes none"
run --store "$TMP/nohelp.db" set-agentgroup --help
expect_ok
expect_stdout_contains "--add-agent" "--remove-agent" "--agents" "--instance"
[ -e "$TMP/nohelp.db" ] && fail "--help created a store"

tcase global-1.7 "rgs help nosuchthing: exit 2; rgs help new-queu: did you mean"
run help nosuchthing
expect_error 2 "'nosuchthing' is not an rgs cmdlet; see 'rgs help'"
run help new-queu
expect_error 2 "did you mean 'new-queue'?"

tcase global-1.8 "rgs help with a surplus argument: exit 2"
run help new-queue get-queue
expect_error 2 "get-queue"

# --- 2. cmdlet names -----------------------------------------------------------------------------

tcase global-2.1 "an unknown cmdlet: exit 2 with 'did you mean'"
run new-queu Sales
expect_error 2 "'new-queu' is not an rgs cmdlet" "did you mean 'new-queue'?"

tcase global-2.2 "a mistyped Lync name: the suggestion is the rgs name"
run Get-CsRgsAgentGrop
expect_error 2 "did you mean 'get-agentgroup'?"

tcase global-2.3 "nothing like any cmdlet: exit 2, pointing at rgs help"
run frobnicate-everything
expect_error 2 "frobnicate-everything" "rgs help"

tcase global-2.4 "cmdlet names are case-insensitive; Lync aliases work"
run --pool g.example.com NEW-AGENTGROUP Case1 -q
expect_ok
run New-CsRgsAgentGroup Case2 -q
expect_ok
run Get-CsRgsAgentGroup Case1 -o json
expect_ok
expect_json 'Name="Case1"'
run get-csrgsqueue
expect_ok

tcase global-2.5 "a cmdlet that does not exist in Lync either (get-workflowz): exit 2, stdout empty"
run get-workflowz
expect_error 2

# --- 3. global options ---------------------------------------------------------------------------

tcase global-3.1 "-o bogus: exit 2 naming the value; nothing written"
r0=$(revision)
run -o bogus get-agentgroup
expect_error 2 "bogus"
run new-agentgroup NotMade -o xml
expect_error 2 "xml"
expect_revision "$r0"
run get-agentgroup NotMade
expect_status 3

tcase global-3.2 "-o accepts any case and --output"
run get-agentgroup Case1 -o JSON
expect_ok
expect_json 'Name="Case1"'
run get-agentgroup Case1 --output yaml
expect_ok
expect_stdout_line "Name: Case1"

tcase global-3.3 "global options before the cmdlet"
run --store "$TMP/other.db" --pool other.example.com -o json new-agentgroup Before
expect_ok
expect_json 'Name="Before"' 'OwnerPool="other.example.com"'

tcase global-3.4 "global options after the cmdlet and its options"
run get-agentgroup Before -o json --store "$TMP/other.db"
expect_ok
expect_json 'Name="Before"'

tcase global-3.5 "RGS_STORE is used without --store; --store wins over RGS_STORE"
run get-agentgroup Before
expect_error 3 "Before"
RGS_STORE="$TMP/other.db" run get-agentgroup Before
expect_ok
RGS_STORE="$TMP/other.db" run get-agentgroup Case1 --store "$TMP/store.db"
expect_ok
RGS_STORE="$TMP/other.db" run get-agentgroup Before --store "$TMP/store.db"
expect_error 3 "Before"

tcase global-3.6 "--pool of another pool on an existing store: refused"
run get-agentgroup --store "$TMP/other.db" --pool not-this-one.example.com
[ "$RC" != 0 ] || fail "expected a failure"
expect_stdout_empty
expect_stderr_contains "other.example.com"

tcase global-3.7 "-q silences a writing cmdlet's output and warnings"
run -q new-agentgroup Loud --agent-alert-time 300
expect_ok
expect_stdout_empty
run get-agentgroup Loud -q
expect_ok
expect_stdout_contains "Loud"

tcase global-3.8 "an option that needs a value, at the end: exit 2"
run get-agentgroup Case1 --store
expect_error 2 "--store"

# --- 4. the store file ---------------------------------------------------------------------------

tcase global-4.1 "a new store is created mode 0600, even with umask 000"
( umask 000; "$RGS" -q --pool p.example.com new-agentgroup M --store "$TMP/mode.db" </dev/null >/dev/null 2>&1 )
mode=$(stat -c %a "$TMP/mode.db" 2>/dev/null)
[ "$mode" = 600 ] || { CMD="rgs new-agentgroup M --store $TMP/mode.db (umask 000)"; fail "expected mode 600, got '$mode'"; }

tcase global-4.2 "a reading cmdlet on a missing store: exit 1, no file made"
run get-queue --store "$TMP/none.db"
expect_error 1 "$TMP/none.db"
[ -e "$TMP/none.db" ] && fail "the store was created"

tcase global-4.3 "--whatif on a missing store: exit 0, no store file made"
run new-agentgroup W --whatif --store "$TMP/whatif.db" --pool p.example.com
expect_ok
expect_stdout_contains "What if"
[ -e "$TMP/whatif.db" ] && fail "--whatif created the store file"

tcase global-4.4 "a refused write on a missing store: no store file made"
run new-agentgroup R --agent-alert-time 5 --store "$TMP/refused.db" --pool p.example.com
expect_error 5 "--agent-alert-time"
[ -e "$TMP/refused.db" ] && fail "a refused command created the store file"

tcase global-4.5 "a store in a directory that does not exist: exit 1"
run new-agentgroup X --store "$TMP/no/such/dir/s.db"
expect_error 1 "$TMP/no/such/dir/s.db"

tcase global-4.6 "a store the user may not read or write: exit 7 (permission denied), naming it"
mkdir -p "$TMP/perm"
run --store "$TMP/perm/s.db" --pool p.example.com -q new-agentgroup G
expect_ok
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  # root may read anything: another user is refused. The binary goes where that user can run it.
  shared=$(mktemp -d /tmp/rgs-perm.XXXXXX) && chmod 755 "$shared" && cp "$RGS" "$shared/rgs"
  chmod 755 "$TMP" "$TMP/perm"
  as_other() { setpriv --reuid 4321 --regid 4321 --clear-groups "$shared/rgs" "$@" </dev/null >"$TMP/.out" 2>"$TMP/.err"; }
else
  chmod 000 "$TMP/perm/s.db"
  as_other() { "$RGS" "$@" </dev/null >"$TMP/.out" 2>"$TMP/.err"; }
fi
for cmd in get-agentgroup "new-agentgroup H"; do
  CMD="$cmd on a store the user may not open"
  as_other --store "$TMP/perm/s.db" $cmd
  RC=$?
  OUT=$(cat "$TMP/.out")
  ERR=$(cat "$TMP/.err")
  expect_error 7 "store '$TMP/perm/s.db': permission denied"
done
CMD="new-agentgroup in a folder the user may not write"
[ "$(id -u)" = 0 ] || chmod 555 "$TMP/perm"
as_other --store "$TMP/perm/new.db" --pool p.example.com new-agentgroup G
RC=$?
OUT=$(cat "$TMP/.out")
ERR=$(cat "$TMP/.err")
expect_error 7 "cannot create store '$TMP/perm/new.db': permission denied"
chmod 700 "$TMP/perm" "$TMP"
chmod 600 "$TMP/perm/s.db"
[ -n "${shared:-}" ] && rm -rf "$shared"

# --- 5. stdout and stderr ------------------------------------------------------------------------

tcase global-5.1 "errors: nothing on stdout, every stderr line begins with 'rgs: '"
for args in "get-agentgroup Nobody" "new-agentgroup Case1" "new-agentgroup X --agent bob" \
  "set-queue Nowhere --description x" "new-queue X --timeout-threshold 5" "remove-agentgroup"; do
  # shellcheck disable=SC2086
  run $args
  [ "$RC" != 0 ] || fail "expected a failure"
  expect_stdout_empty
  expect_stderr_prefixed
done

tcase global-5.2 "results: stdout only, stderr empty, output pipeable"
run get-agentgroup -o json
expect_ok
expect_json '[0].Name?'
run get-revision
expect_ok

tcase global-5.3 "warnings go to stderr as 'rgs: warning: ', the result to stdout"
run new-agentgroup Warned --agent-alert-time 200 -o json
expect_status 0
expect_json 'AgentAlertTime=200'
expect_stderr_prefixed
expect_stderr_contains "rgs: warning: "

# --- 6. --version --------------------------------------------------------------------------------

tcase global-6.1 "--version: exit 0, 'rgs X.Y.Z' on stdout"
run --version
expect_ok
[[ "$OUT" =~ ^rgs\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "expected 'rgs X.Y.Z', got '$OUT'"

# --- 7. the actor ----------------------------------------------------------------------------------

tcase global-7.1 "a user the passwd file does not know (other NSS sources asked): the revision's actor is 'uid N'"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  # $TMP, and maybe the build tree, are root's alone: the binary and the store go to a shared place.
  shared=$(mktemp -d /tmp/rgs-uid.XXXXXX) && chmod 777 "$shared" && cp "$RGS" "$shared/rgs"
  setpriv --reuid 4321 --regid 4321 --clear-groups "$shared/rgs" --store "$shared/s.db" --pool p.example.com -q \
    new-agentgroup G --agent sip:a@example.com </dev/null >"$TMP/.out" 2>"$TMP/.err"
  [ $? = 0 ] || fail "a write as uid 4321 failed: $(cat "$TMP/.err")"
  run --store "$shared/s.db" get-revision --last 1 -o json
  expect_stdout_contains '"Actor": "uid 4321"'
  rm -rf "$shared"
else
  echo "  (not root: the actor of the current user instead)"
  run --store "$TMP/actor.db" --pool p.example.com -q new-agentgroup G --agent sip:a@example.com
  expect_ok
  run --store "$TMP/actor.db" get-revision --last 1 -o json
  expect_stdout_contains "\"Actor\": \"$(id -un)\""
fi

# --- 8. file options -------------------------------------------------------------------------------

# Every option that reads a file, with the arguments its cmdlet needs around it.
setup --store "$TMP/files.db" new-agentgroup G
setup --store "$TMP/files.db" new-queue Q --agent-group G
setup --store "$TMP/files.db" new-hoursofbusiness H --monday 08:00-17:00
setup --store "$TMP/files.db" new-holidayset S --holiday "X=2026-12-25/2026-12-26"
setup --store "$TMP/files.db" new-workflow W --primary-uri sip:w@example.com --default-action queue:Q
file_options=(
  "set-agentgroup G --instance" "set-queue Q --instance" "set-workflow W --instance"
  "set-hoursofbusiness H --instance" "set-holidayset S --instance" "set-configuration --instance"
  "set-workflow W --default-action question --question-file" "test-workflow W --agent-state"
  "import-audiofile --file" "import-configuration --file")
mkfifo "$TMP/fifo"
R_FILES=$(revision --store "$TMP/files.db")

# A folder made rgs abort on an uncaught exception (134); a device was read without end, a FIFO
# waited for a writer.
tcase global-8.1 "a folder, a device or a FIFO given to any file option: exit 2 naming the option and the file"
for o in "${file_options[@]}"; do
  read -ra words <<<"$o"
  option=${words[${#words[@]} - 1]}
  for f in "$TMP" /dev/zero "$TMP/fifo"; do
    run --store "$TMP/files.db" "${words[@]}" "$f"
    expect_error 2 "$option: '$f' is "
    case $f in
      "$TMP") expect_stderr_contains "is a folder, not a regular file" ;;
      /dev/zero) expect_stderr_contains "is a device, not a regular file" ;;
      *) expect_stderr_contains "is a FIFO, not a regular file" ;;
    esac
  done
done
expect_revision "$R_FILES" --store "$TMP/files.db"

tcase global-8.2 "a document of more than 16 MiB: exit 5 naming the option, the file, its size and the limit"
{ echo "Name: Q"; head -c $((16 * 1024 * 1024 - 7)) /dev/zero | tr '\0' '#'; } >"$TMP/big.yaml"
run --store "$TMP/files.db" set-queue Q --instance "$TMP/big.yaml"
expect_error 5 "--instance: '$TMP/big.yaml' is 16777217 bytes: at most 16 MiB (16777216 bytes) allowed"
run --store "$TMP/files.db" test-workflow W --agent-state "$TMP/big.yaml"
expect_error 5 "--agent-state: '$TMP/big.yaml' is 16777217 bytes"

tcase global-8.3 "a document of exactly 16 MiB is read"
"$RGS" --store "$TMP/files.db" get-queue Q -o yaml >"$TMP/q.yaml"
{ cat "$TMP/q.yaml"; printf '#'; head -c $((16 * 1024 * 1024 - $(wc -c <"$TMP/q.yaml") - 2)) /dev/zero | tr '\0' x
  echo; } >"$TMP/exact.yaml"
[ "$(wc -c <"$TMP/exact.yaml")" = 16777216 ] || fail "the test file is not 16777216 bytes"
run --store "$TMP/files.db" set-queue --instance "$TMP/exact.yaml"
expect_ok

tcase global-8.4 "standard input is capped the same: more than 16 MiB, or endless, is exit 5"
run_stdin "$TMP/big.yaml" --store "$TMP/files.db" set-queue --instance -
expect_error 5 "--instance: standard input holds more than 16 MiB (16777216 bytes), the most allowed"
run_stdin /dev/zero --store "$TMP/files.db" set-queue Q --instance -
expect_error 5 "--instance: standard input holds more than 16 MiB"
run_stdin /dev/zero --store "$TMP/files.db" test-workflow W --agent-state -
expect_error 5 "--agent-state: standard input holds more than 16 MiB"
run_stdin "$TMP/exact.yaml" --store "$TMP/files.db" set-queue --instance -
expect_ok
expect_revision "$R_FILES" --store "$TMP/files.db"

tcase global-8.5 "a file that does not exist: exit 1 naming the option and the file"
for o in "${file_options[@]}"; do
  read -ra words <<<"$o"
  run --store "$TMP/files.db" "${words[@]}" "$TMP/no-such-file"
  expect_error 1 "${words[${#words[@]} - 1]}: cannot read '$TMP/no-such-file': No such file or directory"
done

finish
