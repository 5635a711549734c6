#!/bin/bash
# Black-box tests of the queue cmdlets: new-, get-, set-, remove-queue.
. "$(dirname "$0")/lib.sh"

plan queue \
  "new-queue: success, defaults, every property, agent groups in order" \
  "new-queue: usage errors (missing name or value, surplus argument, malformed value): exit 2" \
  "new-queue: ranges of TimeoutThreshold (10-65535) and OverflowThreshold (0-1000): exit 5" \
  "new-queue: duplicate names, case-insensitive: exit 4" \
  "call actions: every kind, prompts, question refused, malformed, missing or self target" \
  "get-queue: by name and identity; list; not found; usage; every output format" \
  "set-queue: every property, the agent group list options, 'none', no-op, errors" \
  "set-queue --instance: YAML, JSON, stdin; edited and refused documents" \
  "remove-queue and integrity: usage, not found, missing groups, queues that use a queue" \
  "--whatif on new, set and remove changes nothing" \
  "Lync aliases"

POOL=pool2.example.com
# qline KEY VALUE: one line of get-queue's list output.
qline() { printf '%-17s : %s' "$1" "$2"; }
# identity_of KIND NAME: the Identity of an object, from get-KIND -o json.
identity_of() {
  "$RGS" "get-$1" "$2" -o json </dev/null 2>/dev/null | sed -n 's/^  "Identity": "\(.*\)",$/\1/p'
}

tcase queue-0.1 "set up three agent groups"
setup --pool "$POOL" new-agentgroup G1
setup new-agentgroup G2
setup new-agentgroup G3
ID1=$(identity_of agentgroup G1)
ID2=$(identity_of agentgroup G2)
ID3=$(identity_of agentgroup G3)
[ -n "$ID1" ] && [ -n "$ID2" ] && [ -n "$ID3" ] || fail "no identities for the groups"

# --- 1. new-queue: success ----------------------------------------------------------------------

tcase queue-1.1 "new-queue with defaults prints the new queue, nothing on stderr"
run new-queue Q1
expect_ok
first=${OUT%%$'\n'*}
[[ "$first" =~ ^Identity\ +:\ service:ApplicationServer:$POOL/[0-9a-f-]{36}$ ]] || fail "Identity line: '$first'"
want="$(qline Parent "service:ApplicationServer:$POOL")
$(qline OwnerPool "$POOL")
$(qline Name Q1)
$(qline Description '')
$(qline AgentGroupIDList '{}')
$(qline TimeoutThreshold '')
$(qline TimeoutAction '')
$(qline OverflowThreshold '')
$(qline OverflowCandidate NewestCall)
$(qline OverflowAction '')
"
[ "${OUT#*$'\n'}" = "$want" ] || fail "expected the default queue in list form, got '$OUT'"

tcase queue-1.2 "new-queue sets every property (json output)"
run new-queue --name Full --description "Main line" --agent-group G2 --agent-group G1,G3 \
  --timeout-threshold 300 --timeout-action voicemail:sip:vm@example.com --timeout-prompt "text:Please leave a message" \
  --overflow-threshold 12 --overflow-candidate OldestCall --overflow-action terminate -o json
expect_ok
expect_json 'Name="Full"' 'Description="Main line"' "AgentGroupIDList=[\"$ID2\",\"$ID1\",\"$ID3\"]" \
  'TimeoutThreshold=300' 'TimeoutAction.Action="TransferToVoiceMailUri"' 'TimeoutAction.Uri="sip:vm@example.com"' \
  'TimeoutAction.Prompt.TextToSpeechPrompt="Please leave a message"' 'OverflowThreshold=12' \
  'OverflowCandidate="OldestCall"' 'OverflowAction.Action="Terminate"' 'OverflowAction.Prompt=null'

tcase queue-1.3 "agent groups by identity and GUID, order kept"
run new-queue Q3 --agent-group "$ID3" --agent-group "${ID1##*/}" --agent-group g2
expect_ok
expect_stdout_line "$(qline AgentGroupIDList "{$ID3, $ID1, $ID2}")"

tcase queue-1.4 "--overflow-candidate newest / oldest / NewestCall / oldest-call"
n=0
for pair in newest:NewestCall oldest:OldestCall NewestCall:NewestCall oldest-call:OldestCall; do
  n=$((n + 1))
  run new-queue "Cand$n" --overflow-candidate "${pair%%:*}"
  expect_ok
  expect_stdout_line "$(qline OverflowCandidate "${pair##*:}")"
done

# --- 2. new-queue: usage errors -----------------------------------------------------------------

tcase queue-2.1 "no name: exit 2"
r0=$(revision)
run new-queue --agent-group G1
expect_error 2 "name"
expect_revision "$r0"

tcase queue-2.2 "surplus argument: exit 2"
run new-queue Bad1 surplus
expect_error 2 "surplus"

tcase queue-2.3 "--timeout-threshold without a value: exit 2"
run new-queue Bad2 --timeout-threshold
expect_error 2 "--timeout-threshold"

tcase queue-2.4 "--timeout-threshold abc: exit 2, naming option and value"
run new-queue Bad3 --timeout-threshold abc
expect_error 2 "--timeout-threshold" "abc"

tcase queue-2.5 "--overflow-threshold many: exit 2"
run new-queue Bad4 --overflow-threshold many
expect_error 2 "--overflow-threshold" "many"

tcase queue-2.6 "--overflow-candidate bogus: exit 2"
run new-queue Bad5 --overflow-candidate middle
expect_error 2 "--overflow-candidate" "middle"

tcase queue-2.7 "--timeout-action bogus:x: exit 2, naming option and value"
run new-queue Bad6 --timeout-action bogus:x
expect_error 2 "--timeout-action" "bogus:x"

tcase queue-2.8 "--overflow-action without a value: exit 2"
run new-queue Bad7 --overflow-action
expect_error 2 "--overflow-action"

tcase queue-2.9 "--timeout-prompt without --timeout-action: exit 2"
run new-queue Bad8 --timeout-prompt text:hello
expect_error 2 "--timeout-prompt"

tcase queue-2.10 "--timeout-prompt not text: or audio:: exit 2"
run new-queue Bad9 --timeout-action terminate --timeout-prompt hello
expect_error 2 "--timeout-prompt" "hello"

tcase queue-2.11 "NAME and a different --name: exit 2"
run new-queue TwiceA --name TwiceB
expect_error 2 "Twice"
run get-queue TwiceB
expect_status 3

# --- 3. ranges ----------------------------------------------------------------------------------

tcase queue-3.1 "timeout 9: exit 5, naming option and value"
r0=$(revision)
run new-queue T9 --timeout-threshold 9
expect_error 5 "--timeout-threshold" "9" "10 to 65535"
expect_revision "$r0"

tcase queue-3.2 "timeout 65536: exit 5"
run new-queue T65536 --timeout-threshold 65536
expect_error 5 "--timeout-threshold" "65536"

tcase queue-3.3 "timeout 10 and 65535 accepted"
run new-queue T10 --timeout-threshold 10
expect_ok
expect_stdout_line "$(qline TimeoutThreshold 10)"
run new-queue T65535 --timeout-threshold 65535
expect_ok
expect_stdout_line "$(qline TimeoutThreshold 65535)"

tcase queue-3.4 "overflow -1: exit 5"
run new-queue Om1 --overflow-threshold -1
expect_error 5 "--overflow-threshold" "-1" "0 to 1000"

tcase queue-3.5 "overflow 1001: exit 5"
run new-queue O1001 --overflow-threshold 1001
expect_error 5 "--overflow-threshold" "1001"

tcase queue-3.6 "overflow 0 and 1000 accepted"
run new-queue O0 --overflow-threshold 0
expect_ok
expect_stdout_line "$(qline OverflowThreshold 0)"
run new-queue O1000 --overflow-threshold 1000
expect_ok
expect_stdout_line "$(qline OverflowThreshold 1000)"

tcase queue-3.7 "timeout 'none' means no timeout"
run new-queue Tnone --timeout-threshold none
expect_ok
expect_stdout_line "$(qline TimeoutThreshold '')"

tcase queue-3.8 "timeout 99999999999: out of range (exit 5), not 'not a whole number'"
run new-queue Thuge --timeout-threshold 99999999999
expect_error 5 "--timeout-threshold" "99999999999"

tcase queue-3.9 "an agent group listed twice: exit 5"
run new-queue DupG --agent-group G1,G2,g1
expect_error 5 "twice"

tcase queue-3.10 "a description of 4097 characters: exit 5 naming the option and the limit; 4096 taken"
run new-queue Desc --description "$(printf '%*s' 4097 '' | tr ' ' d)"
expect_error 5 "--description (Description): is 4097 characters: at most 4096 allowed"
run new-queue Desc --description "$(printf '%*s' 4096 '' | tr ' ' d)"
expect_ok
run remove-queue Desc
expect_ok

# --- 4. duplicates ------------------------------------------------------------------------------

tcase queue-4.1 "the same name: exit 4, naming the queue"
r0=$(revision)
run new-queue Q1
expect_error 4 "queue 'Q1' already exists"
expect_revision "$r0"

tcase queue-4.2 "another case of the name: exit 4"
run new-queue Sales
expect_ok
run new-queue SALES
expect_error 4 "already exists" "Sales"

tcase queue-4.3 "a queue may have the name of an agent group"
run new-queue G1
expect_ok

# --- 5. call actions ----------------------------------------------------------------------------

n=0
for spec in "terminate|Terminate|" "queue:Q1|TransferToQueue|" "uri:sip:bob@example.com|TransferToUri|sip:bob@example.com" \
  "voicemail:sip:vm@example.com|TransferToVoiceMailUri|sip:vm@example.com" \
  "pstn:tel:+14255550121|TransferToPSTN|tel:+14255550121" \
  "pstn:sip:+14255550121@example.com|TransferToPSTN|sip:+14255550121@example.com" \
  "TERMINATE|Terminate|"; do
  IFS='|' read -r arg kind uri <<<"$spec"
  for slot in timeout overflow; do
    n=$((n + 1))
    tcase "queue-5.$n" "--$slot-action $arg"
    run new-queue "Act$n" "--$slot-action" "$arg"
    # An action without its threshold never runs: accepted, with a warning that says so.
    expect_warning "${slot^}Action is set but ${slot^}Threshold is not"
    if [ "$kind" = TransferToQueue ]; then
      expect_stdout_line "$(qline "${slot^}Action" "Action=$kind; QueueID=$(identity_of queue Q1)")"
    elif [ -n "$uri" ]; then
      expect_stdout_line "$(qline "${slot^}Action" "Action=$kind; Uri=$uri")"
    else
      expect_stdout_line "$(qline "${slot^}Action" "Action=$kind")"
    fi
  done
done

tcase queue-5.20 "--timeout-prompt text: is kept in the action"
run new-queue Prompted --timeout-action uri:sip:desk@example.com --timeout-prompt "text:Transferring you now" -o json
expect_warning "TimeoutAction is set but TimeoutThreshold is not"
expect_json 'TimeoutAction.Prompt.TextToSpeechPrompt="Transferring you now"' 'TimeoutAction.Uri="sip:desk@example.com"'

tcase queue-5.21 "question: in a queue action is refused with exit 5"
r0=$(revision)
run new-queue Quest --timeout-action question:Which
expect_error 5 "--timeout-action" "TransferToQuestion"
run new-queue Quest --overflow-action question:Which
expect_error 5 "--overflow-action" "TransferToQuestion"
expect_revision "$r0"

tcase queue-5.22 "queue:MISSING: exit 3, naming it"
run new-queue Lost --timeout-action queue:Nowhere
expect_error 3 "Nowhere"

tcase queue-5.23 "uri:bob (not a SIP URI): exit 2"
run new-queue BadUri --overflow-action uri:bob
expect_error 2 "--overflow-action" "bob"

tcase queue-5.24 "pstn:tel:123 (no +): exit 2"
run new-queue BadTel --timeout-action pstn:tel:123
expect_error 2 "--timeout-action" "tel:123"

tcase queue-5.25 "pstn:sip:bob@example.com (not digits): exit 2"
run new-queue BadPstn --timeout-action pstn:sip:bob@example.com
expect_error 2 "--timeout-action" "sip:bob@example.com"

tcase queue-5.26 "voicemail: with nothing after it: exit 2"
run new-queue BadVm --timeout-action voicemail:
expect_error 2 "--timeout-action"

tcase queue-5.27 "a queue transferring to itself is refused (exit 5), both slots"
r0=$(revision)
run set-queue Q1 --timeout-action queue:Q1
expect_error 5 "--timeout-action" "itself"
run set-queue Q1 --overflow-action queue:q1
expect_error 5 "--overflow-action" "itself"
expect_revision "$r0"

tcase queue-5.28 "--timeout-prompt audio: of a file that does not exist: exit 3"
run new-queue NoAudio --timeout-action terminate --timeout-prompt audio:hold.wav
expect_error 3 "hold.wav"

# --- 6. get-queue -------------------------------------------------------------------------------

tcase queue-6.1 "get-queue NAME in any case"
run get-queue fULL
expect_ok
expect_stdout_line "$(qline Name Full)"
expect_stdout_line "$(qline AgentGroupIDList "{$ID2, $ID1, $ID3}")"
expect_stdout_line "$(qline OverflowCandidate OldestCall)"

tcase queue-6.2 "get-queue by identity"
run get-queue "$(identity_of queue Full)"
expect_ok
expect_stdout_line "$(qline Name Full)"

tcase queue-6.3 "get-queue lists every queue as 'Name : value' blocks"
run get-queue
expect_ok
expect_stdout_line "$(qline Name Q1)"
expect_stdout_line "$(qline Name Full)"
printf '%s' "$OUT" | grep -vq '^$\|^[A-Za-z]* *: ' && fail "a line is neither blank nor 'Name : value'"

tcase queue-6.4 "not found: exit 3"
run get-queue Nowhere
expect_error 3 "queue 'Nowhere' not found"

tcase queue-6.5 "surplus argument: exit 2"
run get-queue Q1 Full
expect_error 2 "Full"

tcase queue-6.6 "-o json of the list parses"
run get-queue -o json
expect_ok
expect_json '[0].Name?' '[0].AgentGroupIDList?' '[0].OverflowCandidate?'

tcase queue-6.7 "-o yaml of a queue reads back (via set-queue --instance) to the same queue"
run get-queue Full -o json
cp "$TMP/.out" "$TMP/full.json"
run get-queue Full -o yaml
expect_ok
expect_stdout_line "Name: Full"
expect_stdout_line "TimeoutThreshold: 300"
expect_stdout_line "  Action: TransferToVoiceMailUri"
cp "$TMP/.out" "$TMP/full.yaml"
r0=$(revision)
run set-queue --instance "$TMP/full.yaml"
expect_ok
expect_revision "$r0"
run get-queue Full -o json
same_json "$TMP/.out" "$TMP/full.json" || fail "the queue changed"

tcase queue-6.8 "-o table and -o csv have a header row"
run get-queue -o table
expect_ok
[[ "$(printf '%s' "$OUT" | sed -n 1p)" == Identity*Name*AgentGroupIDList*TimeoutThreshold*OverflowAction* ]] ||
  fail "table header"
run get-queue Full -o csv
expect_ok
[ "$(printf '%s' "$OUT" | sed -n 1p | tr -d '\r')" = "Identity,Parent,OwnerPool,Name,Description,AgentGroupIDList,TimeoutThreshold,TimeoutAction,OverflowThreshold,OverflowCandidate,OverflowAction" ] ||
  fail "csv header: $(printf '%s' "$OUT" | sed -n 1p)"
[ "$(printf '%s' "$OUT" | wc -l)" = 2 ] || fail "expected a header and one row"

# --- 7. set-queue -------------------------------------------------------------------------------

tcase queue-7.1 "set --description: no output, one revision"
r0=$(revision)
run set-queue Q1 --description "First queue"
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-queue Q1
expect_stdout_line "$(qline Description 'First queue')"

tcase queue-7.2 "--add-agent-group appends in order"
run set-queue Q1 --add-agent-group G3 --add-agent-group G1
expect_ok
run set-queue Q1 --add-agent-group G2
expect_ok
run get-queue Q1
expect_stdout_line "$(qline AgentGroupIDList "{$ID3, $ID1, $ID2}")"

tcase queue-7.3 "--add-agent-group of a group already there: exit 4"
run set-queue Q1 --add-agent-group g1
expect_error 4 "already" "--add-agent-group"
expect_stderr_contains_i "'g1'"

tcase queue-7.4 "--add-agent-group of a missing group: exit 3"
run set-queue Q1 --add-agent-group Nobody
expect_error 3 "Nobody"

tcase queue-7.5 "--remove-agent-group keeps the order of the rest"
run set-queue Q1 --remove-agent-group G1
expect_ok
run get-queue Q1
expect_stdout_line "$(qline AgentGroupIDList "{$ID3, $ID2}")"

tcase queue-7.6 "--remove-agent-group of a group not in the queue: exit 3"
run set-queue Q1 --remove-agent-group G1
expect_error 3 "--remove-agent-group" "'G1'"

tcase queue-7.7 "--agent-groups replaces the list"
run set-queue Q1 --agent-groups G2,G1
expect_ok
run get-queue Q1
expect_stdout_line "$(qline AgentGroupIDList "{$ID2, $ID1}")"

tcase queue-7.8 "--agent-groups '' empties the list"
run set-queue Q1 --agent-groups ''
expect_ok
run get-queue Q1
expect_stdout_line "$(qline AgentGroupIDList '{}')"

tcase queue-7.9 "--timeout-threshold, then 'none'"
run set-queue Q1 --timeout-threshold 45
expect_ok
run get-queue Q1
expect_stdout_line "$(qline TimeoutThreshold 45)"
run set-queue Q1 --timeout-threshold none
expect_ok
run get-queue Q1
expect_stdout_line "$(qline TimeoutThreshold '')"

tcase queue-7.10 "--timeout-threshold 9 / 65536, --overflow-threshold -1 / 1001 on set: exit 5, unchanged"
r0=$(revision)
run set-queue Q1 --timeout-threshold 9
expect_error 5 "--timeout-threshold" "9"
run set-queue Q1 --timeout-threshold 65536
expect_error 5 "--timeout-threshold" "65536"
run set-queue Q1 --overflow-threshold -1
expect_error 5 "--overflow-threshold" "-1"
run set-queue Q1 --overflow-threshold 1001
expect_error 5 "--overflow-threshold" "1001"
expect_revision "$r0"

tcase queue-7.11 "--overflow-threshold, --overflow-candidate, --overflow-action"
run set-queue Q1 --overflow-threshold 5 --overflow-candidate oldest --overflow-action pstn:tel:+3312345678
expect_ok
run get-queue Q1
expect_stdout_line "$(qline OverflowThreshold 5)"
expect_stdout_line "$(qline OverflowCandidate OldestCall)"
expect_stdout_line "$(qline OverflowAction 'Action=TransferToPSTN; Uri=tel:+3312345678')"

tcase queue-7.12 "--timeout-action queue:OTHER, then --timeout-prompt alone changes the prompt"
run set-queue Q1 --timeout-action queue:Full
expect_warning "TimeoutAction is set but TimeoutThreshold is not"
run set-queue Q1 --timeout-prompt "text:Hold on"
expect_warning "TimeoutAction is set but TimeoutThreshold is not"
run get-queue Q1 -o json
expect_json 'TimeoutAction.Action="TransferToQueue"' "TimeoutAction.QueueID=\"$(identity_of queue Full)\"" \
  'TimeoutAction.Prompt.TextToSpeechPrompt="Hold on"'

tcase queue-7.13 "--timeout-action none and --overflow-action none clear the actions"
run set-queue Q1 --timeout-action none --overflow-action none
expect_ok
run get-queue Q1
expect_stdout_line "$(qline TimeoutAction '')"
expect_stdout_line "$(qline OverflowAction '')"

tcase queue-7.14 "--name renames; to a taken name (other case): exit 4"
run set-queue Q3 --name Q3b
expect_ok
run get-queue Q3b
expect_status 0
run set-queue Q3b --name FULL
expect_error 4 "already exists"

tcase queue-7.15 "a set that changes nothing writes no revision"
r0=$(revision)
run set-queue Full --timeout-threshold 300
expect_ok
expect_revision "$r0"

tcase queue-7.16 "no IDENTITY: exit 2; surplus argument: exit 2; not found: exit 3"
run set-queue --description x
expect_error 2
run set-queue Q1 Full --description x
expect_error 2 "Full"
run set-queue Nowhere --description x
expect_error 3 "queue 'Nowhere' not found"

tcase queue-7.17 "--overflow-candidate bogus and --timeout-action bogus:x on set: exit 2"
run set-queue Q1 --overflow-candidate bogus
expect_error 2 "--overflow-candidate" "bogus"
run set-queue Q1 --timeout-action bogus:x
expect_error 2 "--timeout-action" "bogus:x"

# --- 8. set-queue --instance ---------------------------------------------------------------------

tcase queue-8.1 "the printed JSON fed back from a file changes nothing"
r0=$(revision)
run set-queue --instance "$TMP/full.json"
expect_ok
expect_revision "$r0"

tcase queue-8.2 "the printed YAML on stdin changes nothing"
run_stdin "$TMP/full.yaml" set-queue --instance -
expect_ok
expect_revision "$r0"

tcase queue-8.3 "an edited document (threshold and group order) is applied"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["TimeoutThreshold"] = 120; d["AgentGroupIDList"].reverse(); d["OverflowCandidate"] = "NewestCall"
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$TMP/full.json" "$TMP/full2.json"
run_stdin "$TMP/full2.json" set-queue --instance -
expect_ok
expect_revision $((r0 + 1))
run get-queue Full
expect_stdout_line "$(qline TimeoutThreshold 120)"
expect_stdout_line "$(qline AgentGroupIDList "{$ID3, $ID1, $ID2}")"
expect_stdout_line "$(qline OverflowCandidate NewestCall)"

tcase queue-8.4 "a YAML edit with sed ('null' threshold) is applied"
sed 's/^TimeoutThreshold: 300$/TimeoutThreshold: null/' "$TMP/full.yaml" >"$TMP/full3.yaml"
run set-queue --instance "$TMP/full3.yaml"
expect_warning "TimeoutAction is set but TimeoutThreshold is not"
run get-queue Full
expect_stdout_line "$(qline TimeoutThreshold '')"

tcase queue-8.5 "an unknown property: exit 5 with file:line:column, nothing written"
r0=$(revision)
{ cat "$TMP/full.yaml"; echo "Priority: high"; } >"$TMP/bad1.yaml"
line=$(wc -l <"$TMP/bad1.yaml")
run set-queue --instance "$TMP/bad1.yaml"
expect_error 5 "$TMP/bad1.yaml:$line:1:" "Priority"
expect_revision "$r0"

tcase queue-8.6 "a wrong type (text for TimeoutThreshold): exit 5 with file:line:column"
sed 's/"TimeoutThreshold": 300/"TimeoutThreshold": "soon"/' "$TMP/full.json" >"$TMP/bad2.json"
line=$(grep -n '"TimeoutThreshold"' "$TMP/bad2.json" | cut -d: -f1)
run set-queue --instance "$TMP/bad2.json"
expect_error 5 "$TMP/bad2.json:$line:3:" "TimeoutThreshold"
expect_revision "$r0"

tcase queue-8.7 "a document naming a missing agent group: exit 3 or 5 with its position, nothing written"
sed "s#$ID1#service:ApplicationServer:$POOL/00000000-0000-4000-8000-000000000000#" "$TMP/full.yaml" >"$TMP/bad3.yaml"
run set-queue --instance "$TMP/bad3.yaml"
[ "$RC" = 3 ] || [ "$RC" = 5 ] || fail "expected exit 3 or 5"
expect_stdout_empty
expect_stderr_contains "$TMP/bad3.yaml:" "AgentGroupIDList"
expect_revision "$r0"

tcase queue-8.8 "a document with a TransferToQuestion action: exit 5"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["OverflowAction"] = {"Action": "TransferToQuestion", "Prompt": None, "Question": {"Name": "q", "Prompt": {"TextToSpeechPrompt": "Sales or support?", "AudioFilePrompt": None}, "AnswerList": []}}
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$TMP/full.json" "$TMP/bad4.json"
run set-queue --instance "$TMP/bad4.json"
expect_error 5 "OverflowAction" "TransferToQuestion"
expect_revision "$r0"

# --- 9. remove-queue and integrity ---------------------------------------------------------------

tcase queue-9.1 "remove-queue: no output, one revision, then not found"
r0=$(revision)
run remove-queue Tnone
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-queue Tnone
expect_status 3

tcase queue-9.2 "no IDENTITY / surplus argument: exit 2; not found: exit 3"
run remove-queue
expect_error 2
run remove-queue T10 T65535
expect_error 2 "T65535"
run get-queue T10
expect_status 0
run remove-queue Nowhere
expect_error 3 "queue 'Nowhere' not found"

tcase queue-9.3 "a queue naming a missing agent group: exit 3, nothing written"
r0=$(revision)
run new-queue Orphan --agent-group G1,Missing
expect_error 3 "Missing"
expect_revision "$r0"
run get-queue Orphan
expect_status 3

tcase queue-9.4 "removing a group that a queue uses, without --force: exit 5 naming the queue"
setup new-agentgroup Used
setup new-queue User1 --agent-group Used
r0=$(revision)
run remove-agentgroup Used
expect_error 5 "queue 'User1'"
expect_revision "$r0"
run get-agentgroup Used
expect_status 0

tcase queue-9.5 "with --force the group goes, with a warning naming the queue"
run remove-agentgroup Used --force
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning:" "queue 'User1'"
run get-agentgroup Used
expect_status 3

tcase queue-9.6 "removing a queue that another queue transfers to: exit 5 naming that queue"
setup new-queue Target
setup new-queue Source --overflow-action queue:Target
r0=$(revision)
run remove-queue Target
expect_error 5 "queue 'Source'"
expect_revision "$r0"

tcase queue-9.7 "with --force it goes, with a warning naming the queue"
run remove-queue Target --force
expect_status 0
expect_stderr_contains "rgs: warning:" "queue 'Source'"
run get-queue Target
expect_status 3

# --- 10. --whatif ---------------------------------------------------------------------------------

tcase queue-10.1 "new-queue --whatif: exit 0, prints the addition, writes nothing"
r0=$(revision)
run new-queue WhatIf --agent-group G1 --whatif
expect_ok
expect_stdout_contains "What if" "queue 'WhatIf'"
expect_revision "$r0"
run get-queue WhatIf
expect_status 3

tcase queue-10.2 "set-queue --whatif: prints the change, writes nothing"
run set-queue T10 --timeout-threshold 20 --whatif
expect_ok
expect_stdout_contains "What if" "TimeoutThreshold" "20"
expect_revision "$r0"
run get-queue T10
expect_stdout_line "$(qline TimeoutThreshold 10)"

tcase queue-10.3 "remove-queue --whatif: prints the removal, removes nothing"
run remove-queue T10 --whatif
expect_ok
expect_stdout_contains "What if" "T10"
expect_revision "$r0"
run get-queue T10
expect_status 0

# --- 11. Lync aliases ---------------------------------------------------------------------------

tcase queue-11.1 "New-CsRgsQueue, get-csrgsqueue, Set-CsRgsQueue, Remove-CsRgsQueue"
run New-CsRgsQueue AliasQ --timeout-threshold 60
expect_ok
run get-csrgsqueue AliasQ
expect_ok
expect_stdout_line "$(qline TimeoutThreshold 60)"
run Set-CsRgsQueue AliasQ --timeout-threshold 70
expect_ok
run GET-CSRGSQUEUE aliasq
expect_stdout_line "$(qline TimeoutThreshold 70)"
run Remove-CsRgsQueue AliasQ
expect_ok
run get-queue AliasQ
expect_status 3

finish
