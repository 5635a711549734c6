#!/bin/bash
# Black-box tests of the workflow cmdlets: new-, get-, set-, remove-workflow.
. "$(dirname "$0")/lib.sh"

plan workflow \
  "new-workflow: defaults, every property, get by name, list" \
  "usage and uniqueness: name, --primary-uri (required, sip:, unique), --line-uri, duplicates" \
  "language and time zone" \
  "action slots: default, after-hours and holiday actions and prompts" \
  "validation: active workflows fully checked, inactive ones saved with warnings" \
  "question files: nesting, keys, keywords, actions, unknown properties" \
  "set-workflow: managers, holiday sets, business hours, music, clearing, no-op" \
  "managed workflows: created active, a manager, nothing shared (directly or through a queue)" \
  "--instance round trip and edits" \
  "removal: active workflows, queues and holiday sets a workflow uses"

wline() { printf '%-22s : %s' "$1" "$2"; }
identity_of() {
  "$RGS" "get-$1" "$2" -o json </dev/null 2>/dev/null | sed -n 's/^  "Identity": "\(.*\)",$/\1/p'
}

tcase workflow-0.1 "set up agent groups, queues, hours, holiday sets, audio"
setup new-agentgroup G1 --agent sip:a1@example.com
setup new-agentgroup G2 --agent sip:a2@example.com
setup new-agentgroup G3 --agent sip:a3@example.com
setup new-queue Sales --agent-group G1
setup new-queue Support --agent-group G2
setup new-queue Spare
setup new-hoursofbusiness Office --monday 08:00-17:00
setup new-hoursofbusiness Late --monday 12:00-20:00
setup new-holidayset HA --holiday "Xmas=2026-12-25/2026-12-26"
setup new-holidayset HB --holiday "NewYear=2027-01-01/2027-01-02"
setup new-holidayset HC --holiday "May=2026-05-01/2026-05-02"
python3 -S -c '
import sys, wave
with wave.open(sys.argv[1], "wb") as f:
    f.setnchannels(1); f.setsampwidth(2); f.setframerate(16000); f.writeframes(b"\0\1" * 1600)' "$TMP/hold.wav"
setup import-audiofile --file "$TMP/hold.wav" --name Hold
SALES_ID=$(identity_of queue Sales)
OFFICE_ID=$(identity_of hoursofbusiness Office)
HA_ID=$(identity_of holidayset HA)
HB_ID=$(identity_of holidayset HB)
HOLD_ID=$(identity_of audiofile Hold)
HOLD_SHA=$(sha256sum "$TMP/hold.wav" | cut -d' ' -f1)

# The IVR question tree used below: three levels.
cat >"$TMP/q.yaml" <<'EOF'
Name: Main
Prompt:
  TextToSpeechPrompt: "Press 1 for sales, 2 for more"
InvalidAnswerPrompt:
  TextToSpeechPrompt: "Sorry, I did not get that"
AnswerList:
  - Name: Sales
    DtmfResponse: "1"
    VoiceResponseList: [sales, buy]
    Action:
      Action: TransferToQueue
      QueueID: Sales
  - Name: More
    DtmfResponse: "2"
    Action:
      Action: TransferToQuestion
      Question:
        Name: Second
        Prompt: {TextToSpeechPrompt: "Level two"}
        AnswerList:
          - Name: Deeper
            DtmfResponse: "3"
            Action:
              Action: TransferToQuestion
              Question:
                Name: Third
                Prompt: {TextToSpeechPrompt: "Level three"}
                AnswerList:
                  - Name: Support
                    DtmfResponse: "1"
                    Action: {Action: TransferToQueue, QueueID: Support}
EOF

# --- 1. new --------------------------------------------------------------------------------------

tcase workflow-1.1 "new-workflow with defaults: inactive, en-US, UTC; warns that it has no default action"
run new-workflow Basic --primary-uri sip:basic@example.com
expect_warning "DefaultAction"
expect_stdout_line "$(wline Name Basic)"
expect_stdout_line "$(wline PrimaryUri sip:basic@example.com)"
expect_stdout_line "$(wline Active False)"
expect_stdout_line "$(wline Language en-US)"
expect_stdout_line "$(wline TimeZone UTC)"
expect_stdout_line "$(wline ManagersByUri '{}')"

tcase workflow-1.2 "every property on create (json)"
run new-workflow Full --primary-uri sip:full@example.com --line-uri tel:+33123456789 --display-number "+33 1 23 45 67 89" \
  --description "Help desk" --active true --anonymous true --enabled-for-federation true --managed false \
  --manager sip:m1@example.com --manager sip:m2@example.com --language fr-FR --time-zone Europe/Paris \
  --business-hours Office --holiday-set HA --holiday-set HB --default-action queue:Sales --default-prompt "text:Bienvenue" \
  --non-business-hours-action voicemail:sip:vm@example.com --non-business-hours-prompt "text:Closed" \
  --holiday-action pstn:tel:+33100000000 --holiday-prompt "text:Holiday" --custom-music-on-hold-file Hold -o json
expect_ok
expect_json 'Name="Full"' 'PrimaryUri="sip:full@example.com"' 'LineUri="tel:+33123456789"' \
  'DisplayNumber="+33 1 23 45 67 89"' 'Description="Help desk"' 'Active=true' 'Anonymous=true' \
  'EnabledForFederation=true' 'Managed=false' 'ManagersByUri=["sip:m1@example.com","sip:m2@example.com"]' \
  'Language="fr-FR"' 'TimeZone="Europe/Paris"' "BusinessHoursID=\"$OFFICE_ID\"" "HolidaySetIDList=[\"$HA_ID\",\"$HB_ID\"]" \
  'DefaultAction.Action="TransferToQueue"' "DefaultAction.QueueID=\"$SALES_ID\"" \
  'DefaultAction.Prompt.TextToSpeechPrompt="Bienvenue"' 'NonBusinessHoursAction.Action="TransferToVoiceMailUri"' \
  'NonBusinessHoursAction.Uri="sip:vm@example.com"' 'NonBusinessHoursAction.Prompt.TextToSpeechPrompt="Closed"' \
  'HolidayAction.Action="TransferToPSTN"' 'HolidayAction.Uri="tel:+33100000000"' \
  'HolidayAction.Prompt.TextToSpeechPrompt="Holiday"' "CustomMusicOnHoldFile=\"$HOLD_ID\""

tcase workflow-1.3 "get-workflow NAME (any case) in list form"
run get-workflow fULL
expect_ok
expect_stdout_line "$(wline Name Full)"
expect_stdout_line "$(wline ManagersByUri '{sip:m1@example.com, sip:m2@example.com}')"
expect_stdout_line "$(wline Active True)"

tcase workflow-1.4 "get-workflow lists every workflow; not found: exit 3; surplus: exit 2"
run get-workflow -o json
expect_ok
expect_json 'len()=2'
run get-workflow Nowhere
expect_error 3 "workflow 'Nowhere' not found"
run get-workflow Full Basic
expect_error 2 "Basic"

tcase workflow-1.5 "--default-action uri:, --holiday-action terminate, uri: and pstn:sip:+DIGITS@DOMAIN"
run new-workflow Slots --primary-uri sip:slots@example.com --default-action queue:Spare --holiday-action terminate \
  --non-business-hours-action pstn:sip:+14255550121@example.com -o json
expect_ok
expect_json 'HolidayAction.Action="Terminate"' 'NonBusinessHoursAction.Action="TransferToPSTN"' \
  'NonBusinessHoursAction.Uri="sip:+14255550121@example.com"'

# --- 2. usage and uniqueness ---------------------------------------------------------------------

tcase workflow-2.1 "no name: exit 2; surplus argument: exit 2"
r0=$(revision)
run new-workflow --primary-uri sip:noname@example.com
expect_error 2 "name"
run new-workflow Surplus extra --primary-uri sip:surplus@example.com
expect_error 2 "extra"
expect_revision "$r0"

tcase workflow-2.2 "no --primary-uri: exit 2"
run new-workflow NoUri
expect_error 2 "--primary-uri"

tcase workflow-2.3 "--primary-uri without sip:: exit 2"
run new-workflow BadUri --primary-uri help@example.com
expect_error 2 "--primary-uri" "help@example.com"
run new-workflow BadUri --primary-uri tel:+123
expect_error 2 "--primary-uri"
expect_revision "$r0"

tcase workflow-2.4 "--primary-uri of another workflow (any case): exit 4, naming it"
run new-workflow Clash --primary-uri sip:full@example.com
expect_error 4 "sip:full@example.com" "workflow 'Full'"
run new-workflow Clash --primary-uri SIP:FULL@example.com
expect_error 4 "workflow 'Full'"
expect_revision "$r0"

tcase workflow-2.5 "--line-uri: malformed (exit 2), of another workflow (exit 4)"
for bad in 123 tel:123 tel:+12a4 +33123456789 tel:+1234567890123456; do
  run new-workflow BadLine --primary-uri sip:badline@example.com --line-uri "$bad"
  expect_error 2 "--line-uri"
done
run new-workflow BadLine --primary-uri sip:badline@example.com --line-uri tel:+33123456789
expect_error 4 "tel:+33123456789" "workflow 'Full'"
expect_revision "$r0"

tcase workflow-2.6 "the same name (any case): exit 4"
run new-workflow basic --primary-uri sip:basic2@example.com
expect_error 4 "already exists"
expect_revision "$r0"

tcase workflow-2.7 "malformed booleans, manager URIs and actions: exit 2"
run new-workflow Bad --primary-uri sip:bad@example.com --active maybe
expect_error 2 "--active" "maybe"
run new-workflow Bad --primary-uri sip:bad@example.com --anonymous 2
expect_error 2 "--anonymous"
run new-workflow Bad --primary-uri sip:bad@example.com --manager bob
expect_error 2 "--manager" "bob"
run new-workflow Bad --primary-uri sip:bad@example.com --default-action bogus:x
expect_error 2 "--default-action" "bogus:x"
run new-workflow Bad --primary-uri sip:bad@example.com --holiday-action uri:bob
expect_error 2 "--holiday-action" "bob"
run new-workflow Bad --primary-uri sip:bad@example.com --default-prompt text:hello
expect_error 2 "--default-prompt"
expect_revision "$r0"

tcase workflow-2.8 "references to missing objects: exit 3 naming them"
run new-workflow Bad --primary-uri sip:bad@example.com --business-hours Nowhere
expect_error 3 "Nowhere"
run new-workflow Bad --primary-uri sip:bad@example.com --holiday-set Nowhere
expect_error 3 "Nowhere"
run new-workflow Bad --primary-uri sip:bad@example.com --default-action queue:Nowhere
expect_error 3 "Nowhere"
run new-workflow Bad --primary-uri sip:bad@example.com --custom-music-on-hold-file Nowhere
expect_error 3 "Nowhere"
expect_revision "$r0"

# --- 3. language and time zone -------------------------------------------------------------------

tcase workflow-3.1 "each of the 26 languages is accepted"
n=0
for lang in ca-ES da-DK de-DE en-AU en-CA en-GB en-IN en-US es-ES es-MX fi-FI fr-CA fr-FR it-IT ja-JP ko-KR nb-NO nl-NL \
  pl-PL pt-BR pt-PT ru-RU sv-SE zh-CN zh-HK zh-TW; do
  n=$((n + 1))
  run new-workflow "Lang$n" --primary-uri "sip:lang$n@example.com" --language "$lang" --default-action queue:Spare
  expect_ok
  expect_stdout_line "$(wline Language "$lang")"
done
[ "$n" = 26 ] || fail "expected 26 languages, tried $n"

tcase workflow-3.2 "xx-XX: exit 5 naming the language, nothing written"
r0=$(revision)
run new-workflow BadLang --primary-uri sip:badlang@example.com --language xx-XX
expect_error 5 "--language" "xx-XX"
run set-workflow Lang1 --language xx-XX
expect_error 5 "xx-XX"
expect_revision "$r0"

tcase workflow-3.3 "time zones: Europe/Paris, America/New_York and the Windows id 'Pacific Standard Time'"
run set-workflow Lang1 --time-zone Europe/Paris
expect_ok
run set-workflow Lang2 --time-zone America/New_York
expect_ok
run set-workflow Lang3 --time-zone "Pacific Standard Time"
expect_ok
run get-workflow Lang3
expect_stdout_line "$(wline TimeZone 'Pacific Standard Time')"

tcase workflow-3.4 "Mars/Olympus: exit 5 naming it, nothing written"
r0=$(revision)
run new-workflow BadZone --primary-uri sip:badzone@example.com --time-zone Mars/Olympus
expect_error 5 "--time-zone" "Mars/Olympus"
run set-workflow Lang1 --time-zone Mars/Olympus
expect_error 5 "Mars/Olympus"
expect_revision "$r0"

tcase workflow-3.5 "a Windows id in any letter case is the same zone (as in Lync); an IANA name keeps its case"
for zone in "pacific standard time" "PACIFIC STANDARD TIME" "Pacific standard Time"; do
  run set-workflow Lang3 --time-zone "$zone"
  expect_ok
  run test-workflow Lang3 --at 2026-07-01T12:00:00Z
  expect_status 0
  expect_stdout_contains "2026-07-01T12:00:00Z = 2026-07-01T05:00:00 Wednesday in $zone"
done
r0=$(revision)
run set-workflow Lang3 --time-zone europe/paris
expect_error 5 "europe/paris"
expect_revision "$r0"

tcase workflow-3.6 "--language in any letter case is stored as the list spells it; a document's Language is exact"
run set-workflow Lang3 --language FR-fr
expect_ok
run get-workflow Lang3 -o yaml
expect_stdout_line "Language: fr-FR"
sed 's/^Language: fr-FR$/Language: fr-fr/' <<<"$OUT" >"$TMP/lang.yaml"
r0=$(revision)
run set-workflow --instance "$TMP/lang.yaml"
expect_error 5 "Language" "'fr-fr' is not a supported language"
expect_revision "$r0"

# --- 4. action slots -----------------------------------------------------------------------------

tcase workflow-4.1 "--default-action terminate or uri: on an active workflow: exit 5"
r0=$(revision)
run new-workflow BadDefault --primary-uri sip:baddefault@example.com --active true --default-action terminate
expect_error 5 "--default-action" "Terminate"
run new-workflow BadDefault --primary-uri sip:baddefault@example.com --active true --default-action uri:sip:x@example.com
expect_error 5 "--default-action" "TransferToUri"
run set-workflow Full --default-action voicemail:sip:vm@example.com
expect_error 5 "--default-action"
expect_revision "$r0"

tcase workflow-4.2 "--holiday-action or --non-business-hours-action queue:X on an active workflow: exit 5"
run new-workflow BadHol --primary-uri sip:badhol@example.com --active true --default-action queue:Sales --holiday-action queue:Sales
expect_error 5 "--holiday-action" "TransferToQueue"
run new-workflow BadHol --primary-uri sip:badhol@example.com --active true --default-action queue:Sales \
  --non-business-hours-action queue:Support
expect_error 5 "--non-business-hours-action" "TransferToQueue"
run set-workflow Full --holiday-action queue:Spare
expect_error 5 "--holiday-action"
expect_revision "$r0"

tcase workflow-4.3 "an inactive workflow is saved with its slot problems as warnings (issue: inactive ones are saved, problems printed as warnings)"
run new-workflow BadInactive --primary-uri sip:badinactive@example.com --default-action terminate
expect_warning "--default-action" "Terminate is not allowed here" "before the workflow is activated"
run set-workflow BadInactive --holiday-action queue:Sales
expect_warning "--holiday-action" "TransferToQueue is not allowed here"
run set-workflow BadInactive --active true
expect_error 5 "--default-action" "Terminate"
run remove-workflow BadInactive
expect_ok
expect_revision "$((r0 + 3))"

tcase workflow-4.4 "--holiday-prompt alone changes the prompt of the holiday action"
run set-workflow Full --holiday-prompt "text:Closed for the holidays"
expect_ok
run get-workflow Full -o json
expect_json 'HolidayAction.Action="TransferToPSTN"' 'HolidayAction.Prompt.TextToSpeechPrompt="Closed for the holidays"'

tcase workflow-4.5 "--non-business-hours-action none and --holiday-action none clear the slots"
run set-workflow Slots --non-business-hours-action none --holiday-action none
expect_ok
run get-workflow Slots -o json
expect_json 'NonBusinessHoursAction=null' 'HolidayAction=null'

tcase workflow-4.6 "--default-prompt audio:NAME and text: together"
run set-workflow Slots --default-prompt audio:Hold --default-prompt "text:Hello"
expect_ok
run get-workflow Slots -o json
expect_json "DefaultAction.Prompt.AudioFilePrompt=\"$HOLD_ID\"" 'DefaultAction.Prompt.TextToSpeechPrompt="Hello"'

# --- 5. validation -------------------------------------------------------------------------------

tcase workflow-5.1 "an active workflow without a default action: exit 5, nothing written"
r0=$(revision)
run new-workflow NoDefault --primary-uri sip:nodefault@example.com --active true
expect_error 5 "DefaultAction" "required"
expect_revision "$r0"
run get-workflow NoDefault
expect_status 3

tcase workflow-5.2 "activating a workflow without a default action: exit 5"
run set-workflow Basic --active true
expect_error 5 "DefaultAction"
expect_revision "$r0"

tcase workflow-5.3 "an inactive workflow with problems is saved, with warnings naming them"
run new-workflow Draft --primary-uri sip:draft@example.com --active false
expect_warning "inactive workflow 'Draft'" "DefaultAction"
run get-workflow Draft
expect_status 0

tcase workflow-5.4 "fixing and activating it"
run set-workflow Draft --default-action queue:Spare --active true
expect_ok
run get-workflow Draft
expect_stdout_line "$(wline Active True)"

tcase workflow-5.5 "clearing the default action of an active workflow: exit 5"
r0=$(revision)
run set-workflow Draft --default-action none
expect_error 5 "DefaultAction"
expect_revision "$r0"

tcase workflow-5.6 "deactivating it first, then clearing: saved with a warning"
run set-workflow Draft --active false
expect_ok
run set-workflow Draft --default-action none
expect_warning "DefaultAction"

tcase workflow-5.7 "a description of 4097 characters: exit 5 even for an inactive workflow; 4096 taken"
r0=$(revision)
run set-workflow Draft --description "$(printf '%*s' 4097 '' | tr ' ' d)"
expect_error 5 "--description (Description): is 4097 characters: at most 4096 allowed"
expect_revision "$r0"
run set-workflow Draft --description "$(printf '%*s' 4096 '' | tr ' ' d)"
expect_warning "DefaultAction"

# --- 6. question files ---------------------------------------------------------------------------

tcase workflow-6.1 "a question file nested to depth 3 is accepted"
run new-workflow Ivr --primary-uri sip:ivr@example.com --active true --default-action question --question-file "$TMP/q.yaml" \
  --default-prompt "text:Welcome" -o json
expect_ok
expect_json 'DefaultAction.Action="TransferToQuestion"' 'DefaultAction.Prompt.TextToSpeechPrompt="Welcome"' \
  'DefaultAction.Question.Name="Main"' 'len(DefaultAction.Question.AnswerList)=2' \
  'DefaultAction.Question.AnswerList[0].DtmfResponse="1"' 'DefaultAction.Question.AnswerList[0].VoiceResponseList=["sales","buy"]' \
  "DefaultAction.Question.AnswerList[0].Action.QueueID=\"$SALES_ID\"" \
  'DefaultAction.Question.AnswerList[1].Action.Question.AnswerList[0].Action.Question.Name="Third"'

tcase workflow-6.2 "--question-file alone on set replaces the tree and keeps the welcome prompt"
sed 's/Press 1 for sales, 2 for more/Press 1 or 2/' "$TMP/q.yaml" >"$TMP/q1.yaml"
run set-workflow Ivr --question-file "$TMP/q1.yaml"
expect_ok
run get-workflow Ivr -o json
expect_json 'DefaultAction.Question.Prompt.TextToSpeechPrompt="Press 1 or 2"' 'DefaultAction.Prompt.TextToSpeechPrompt="Welcome"'

# bad_question NAME SED-EXPRESSION: a copy of q.yaml with one edit.
bad_question() { sed "$2" "$TMP/q.yaml" >"$TMP/$1"; }

tcase workflow-6.3 "two answers with key 1 in one question: exit 5, with file:line"
r0=$(revision)
bad_question dup.yaml 's/DtmfResponse: "2"/DtmfResponse: "1"/'
run new-workflow BadQ --primary-uri sip:badq@example.com --active true --default-action question --question-file "$TMP/dup.yaml"
expect_error 5 "$TMP/dup.yaml:14:" "AnswerList[1].DtmfResponse" "'1'"
expect_revision "$r0"

tcase workflow-6.4 "the same key in different questions is fine"
bad_question samekey.yaml 's/DtmfResponse: "3"/DtmfResponse: "2"/'
run new-workflow SameKey --primary-uri sip:samekey@example.com --default-action question --question-file "$TMP/samekey.yaml"
expect_ok

tcase workflow-6.5 "keys '12' and 'A': exit 5"
r0=$(revision)
bad_question k12.yaml 's/DtmfResponse: "2"/DtmfResponse: "12"/'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/k12.yaml"
expect_error 5 "DtmfResponse" "'12'"
bad_question ka.yaml 's/DtmfResponse: "2"/DtmfResponse: "A"/'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/ka.yaml"
expect_error 5 "DtmfResponse" "'A'"
expect_revision "$r0"

tcase workflow-6.6 "keys * and # are accepted"
bad_question star.yaml 's/DtmfResponse: "2"/DtmfResponse: "*"/; s/DtmfResponse: "3"/DtmfResponse: "#"/'
run new-workflow Star --primary-uri sip:star@example.com --default-action question --question-file "$TMP/star.yaml"
expect_ok

tcase workflow-6.7 "a voice keyword with a double quote: exit 5"
r0=$(revision)
bad_question quote.yaml 's/\[sales, buy\]/[sales, "b\\"uy"]/'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/quote.yaml"
expect_error 5 "VoiceResponseList" 'b"uy'
expect_revision "$r0"

tcase workflow-6.8 "an answer with neither key nor keywords: exit 5"
bad_question nokey.yaml '/DtmfResponse: "2"/d'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/nokey.yaml"
expect_error 5 "AnswerList[1]" "DtmfResponse"
expect_revision "$r0"

tcase workflow-6.9 "an answer action terminate (at depth 3): exit 5"
bad_question term.yaml 's/Action: {Action: TransferToQueue, QueueID: Support}/Action: {Action: Terminate}/'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/term.yaml"
expect_error 5 "Terminate" "AnswerList[0].Action"
expect_revision "$r0"

tcase workflow-6.10 "an unknown property: exit 5 with file:line:column"
bad_question unknown.yaml 's/^    VoiceResponseList: \[sales, buy\]$/    Colour: red/'
line=$(grep -n 'Colour' "$TMP/unknown.yaml" | cut -d: -f1)
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/unknown.yaml"
expect_error 5 "$TMP/unknown.yaml:$line:5:" "Colour"
expect_revision "$r0"

tcase workflow-6.11 "a question without a prompt, an answer queue that does not exist"
bad_question noprompt.yaml '2,3d'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/noprompt.yaml"
expect_error 5 "Prompt"
bad_question noqueue.yaml 's/QueueID: Sales/QueueID: Nowhere/'
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/noqueue.yaml"
[ "$RC" = 3 ] || [ "$RC" = 5 ] || fail "expected exit 3 or 5"
expect_stderr_contains "Nowhere"
expect_revision "$r0"

tcase workflow-6.12 "--default-action question without --question-file, and a file with queue:X: exit 2"
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question
expect_error 2 "--question-file"
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action queue:Sales --question-file "$TMP/q.yaml"
expect_error 2 "--question-file"

tcase workflow-6.13 "a missing question file: exit 1, naming --question-file and the file (not --instance)"
run new-workflow BadQ --primary-uri sip:badq@example.com --default-action question --question-file "$TMP/none.yaml"
expect_error 1 "--question-file" "none.yaml"
expect_stderr_not_contains "--instance"
expect_revision "$r0"

# --- 7. set-workflow -----------------------------------------------------------------------------

tcase workflow-7.1 "set --description: no output, one revision"
setup set-workflow Basic --default-action queue:Spare
r0=$(revision)
run set-workflow Basic --description "Basic line"
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))

tcase workflow-7.2 "--add-manager / --remove-manager keep the order"
run set-workflow Full --add-manager sip:m3@example.com --remove-manager sip:m1@example.com
expect_ok
run get-workflow Full -o json
expect_json 'ManagersByUri=["sip:m2@example.com","sip:m3@example.com"]'

tcase workflow-7.3 "--add-manager already there: exit 4; --remove-manager absent: exit 3; malformed: exit 2"
r0=$(revision)
run set-workflow Full --add-manager SIP:M2@example.com
expect_error 4 "already"
run set-workflow Full --remove-manager sip:zz@example.com
expect_error 3 "sip:zz@example.com"
run set-workflow Full --add-manager zz
expect_error 2 "--add-manager" "zz"
expect_revision "$r0"

tcase workflow-7.4 "--managers replaces; '' empties"
run set-workflow Full --managers sip:x@example.com,sip:y@example.com
expect_ok
run get-workflow Full -o json
expect_json 'ManagersByUri=["sip:x@example.com","sip:y@example.com"]'
run set-workflow Full --managers ''
expect_ok
run get-workflow Full -o json
expect_json 'ManagersByUri=[]'

tcase workflow-7.5 "--add-holiday-set / --remove-holiday-set / --holiday-sets"
run set-workflow Full --add-holiday-set HC --remove-holiday-set HA
expect_ok
run get-workflow Full -o json
expect_json "HolidaySetIDList=[\"$HB_ID\",\"$(identity_of holidayset HC)\"]"
run set-workflow Full --holiday-sets HA,HB
expect_ok
run get-workflow Full -o json
expect_json "HolidaySetIDList=[\"$HA_ID\",\"$HB_ID\"]"
run set-workflow Full --holiday-sets ''
expect_ok
run get-workflow Full -o json
expect_json 'HolidaySetIDList=[]'

tcase workflow-7.6 "holiday set errors name the set: already there (4), not there (3), missing (3)"
setup set-workflow Full --holiday-sets HA
r0=$(revision)
run set-workflow Full --add-holiday-set ha
expect_error 4 "--add-holiday-set" "HA"
run set-workflow Full --remove-holiday-set HB
expect_error 3 "--remove-holiday-set" "HB"
run set-workflow Full --add-holiday-set Nowhere
expect_error 3 "Nowhere"
expect_revision "$r0"

tcase workflow-7.7 "--business-hours NAME, then none"
run set-workflow Full --business-hours Late
expect_ok
run get-workflow Full -o json
expect_json "BusinessHoursID=\"$(identity_of hoursofbusiness Late)\""
run set-workflow Full --business-hours none
expect_ok
run get-workflow Full -o json
expect_json 'BusinessHoursID=null'

tcase workflow-7.8 "--custom-music-on-hold-file by SHA-256, then none"
run set-workflow Basic --custom-music-on-hold-file "$HOLD_SHA"
expect_ok
run get-workflow Basic -o json
expect_json "CustomMusicOnHoldFile=\"$HOLD_ID\""
run set-workflow Basic --custom-music-on-hold-file none
expect_ok
run get-workflow Basic -o json
expect_json 'CustomMusicOnHoldFile=null'

tcase workflow-7.9 "--line-uri none, --display-number, --anonymous, --enabled-for-federation"
run set-workflow Full --line-uri none --display-number "555" --anonymous false --enabled-for-federation false
expect_ok
run get-workflow Full -o json
expect_json 'LineUri=null' 'DisplayNumber="555"' 'Anonymous=false' 'EnabledForFederation=false'

tcase workflow-7.10 "--primary-uri of another workflow on set: exit 4; the line freed above can be reused"
r0=$(revision)
run set-workflow Basic --primary-uri sip:ivr@example.com
expect_error 4 "workflow 'Ivr'"
expect_revision "$r0"
run set-workflow Basic --line-uri tel:+33123456789
expect_ok

tcase workflow-7.11 "a set that changes nothing writes no revision"
r0=$(revision)
run set-workflow Full --language fr-FR
expect_ok
expect_revision "$r0"

tcase workflow-7.12 "no IDENTITY: exit 2; not found: exit 3; rename to a taken name: exit 4"
run set-workflow --description x
expect_error 2
run set-workflow Nowhere --description x
expect_error 3 "workflow 'Nowhere' not found"
run set-workflow Basic --name FULL
expect_error 4 "already exists"

# --- 8. managed workflows ------------------------------------------------------------------------

setup new-queue MQ --agent-group G3
setup new-queue MQ2 --agent-group G3
setup new-queue Private

tcase workflow-8.1 "a managed workflow created inactive: exit 5"
r0=$(revision)
run new-workflow M1 --primary-uri sip:m1@example.com --managed true --manager sip:boss@example.com --default-action queue:MQ
expect_error 5 "--active" "managed"
expect_revision "$r0"

tcase workflow-8.2 "a managed workflow created active with a manager"
run new-workflow M1 --primary-uri sip:m1@example.com --managed true --active true --manager sip:boss@example.com \
  --default-action queue:MQ
expect_ok
expect_stdout_line "$(wline Managed True)"

tcase workflow-8.3 "it may then be deactivated"
run set-workflow M1 --active false
expect_ok
run set-workflow M1 --active true
expect_ok

tcase workflow-8.4 "another workflow using its queue: exit 5 naming the queue and the managed workflow"
r0=$(revision)
run new-workflow U1 --primary-uri sip:u1@example.com --active true --default-action queue:MQ
expect_error 5 "queue 'MQ'" "M1"
expect_revision "$r0"

tcase workflow-8.5 "another workflow using a queue with its agent group: exit 5 naming the group"
run new-workflow U2 --primary-uri sip:u2@example.com --active true --default-action queue:MQ2
expect_error 5 "agent group 'G3'" "M1"
expect_revision "$r0"

tcase workflow-8.6 "sharing through a queue's timeout target: exit 5"
setup new-queue Relay --timeout-threshold 30 --timeout-action queue:MQ
r0=$(revision)
run new-workflow U3 --primary-uri sip:u3@example.com --active true --default-action queue:Relay
expect_error 5 "queue 'MQ'" "M1"
expect_revision "$r0"

tcase workflow-8.7 "sharing through an IVR answer: exit 5"
sed 's/QueueID: Support/QueueID: MQ/' "$TMP/q.yaml" >"$TMP/qm.yaml"
run new-workflow U4 --primary-uri sip:u4@example.com --active true --default-action question --question-file "$TMP/qm.yaml"
expect_error 5 "MQ" "M1"
expect_revision "$r0"

tcase workflow-8.8 "a second managed workflow sharing with the first: exit 5"
run new-workflow M2 --primary-uri sip:m2@example.com --managed true --active true --manager sip:boss@example.com \
  --default-action queue:MQ
expect_error 5 "MQ"
expect_revision "$r0"

tcase workflow-8.9 "a managed workflow may not be pointed at a queue another workflow uses"
run new-workflow M3 --primary-uri sip:m3@example.com --managed true --active true --manager sip:boss@example.com \
  --default-action queue:Sales
expect_error 5 "queue 'Sales'"
expect_revision "$r0"

tcase workflow-8.10 "an unmanaged workflow becoming managed while sharing: exit 5"
setup new-workflow U5 --primary-uri sip:u5@example.com --active true --default-action queue:Sales
r0=$(revision)
run set-workflow U5 --managed true --add-manager sip:boss@example.com
expect_error 5 "queue 'Sales'"
expect_revision "$r0"

tcase workflow-8.11 "a queue edit that would make a workflow share the managed one's group: exit 5"
setup new-workflow U6 --primary-uri sip:u6@example.com --active true --default-action queue:Spare
r0=$(revision)
run set-queue Spare --add-agent-group G3
expect_error 5 "G3" "M1"
expect_revision "$r0"

tcase workflow-8.12 "a managed workflow needs a manager: exit 5"
run new-workflow M4 --primary-uri sip:m4@example.com --managed true --active true --default-action queue:Private
[ "$RC" = 5 ] || fail "expected exit 5"
expect_stderr_contains "manager"

tcase workflow-8.13 "unmanaged workflows may share among themselves"
run new-workflow U7 --primary-uri sip:u7@example.com --active true --default-action queue:Sales
expect_ok

tcase workflow-8.14 "an inactive workflow sharing the managed one's queue does not lock the managed workflow"
run new-workflow Sharer --primary-uri sip:sharer@example.com --active false --default-action queue:MQ
if [ "$RC" = 0 ]; then
  expect_warning "MQ"
  run set-workflow M1 --description "Managed line"
  expect_ok
  run set-queue MQ --description "Managed queue"
  expect_ok
  "$RGS" remove-workflow Sharer --force >/dev/null 2>&1
else
  expect_error 5 "MQ"
fi

# --- 9. --instance -------------------------------------------------------------------------------

tcase workflow-9.1 "get-workflow -o yaml fed back changes nothing (every property set)"
run get-workflow Full -o json
cp "$TMP/.out" "$TMP/full.json"
run get-workflow Full -o yaml
cp "$TMP/.out" "$TMP/full.yaml"
r0=$(revision)
run set-workflow --instance "$TMP/full.yaml"
expect_ok
expect_revision "$r0"
run get-workflow Full -o json
same_json "$TMP/.out" "$TMP/full.json" || fail "the workflow changed"

tcase workflow-9.2 "an IVR workflow's yaml fed back changes nothing; json on stdin too"
run get-workflow Ivr -o yaml
cp "$TMP/.out" "$TMP/ivr.yaml"
run get-workflow Ivr -o json
cp "$TMP/.out" "$TMP/ivr.json"
run set-workflow --instance "$TMP/ivr.yaml"
expect_ok
expect_revision "$r0"
run_stdin "$TMP/ivr.json" set-workflow --instance -
expect_ok
expect_revision "$r0"
run get-workflow M1 -o yaml
cp "$TMP/.out" "$TMP/m1.yaml"
run set-workflow --instance "$TMP/m1.yaml"
expect_ok
expect_revision "$r0"

tcase workflow-9.3 "an edited document is applied"
python3 -S -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["Description"] = "Edited"; d["Language"] = "de-DE"; d["ManagersByUri"] = ["sip:e@example.com"]
json.dump(d, open(sys.argv[2], "w"), indent=2)
d["DefaultAction"] = {"Action": "Terminate"}
json.dump(d, open(sys.argv[3], "w"), indent=2)
d["DefaultAction"] = None; d["Colour"] = "red"
json.dump(d, open(sys.argv[4], "w"), indent=2)' "$TMP/full.json" "$TMP/full2.json" "$TMP/bad1.json" "$TMP/bad2.json"
run set-workflow --instance "$TMP/full2.json"
expect_ok
expect_revision $((r0 + 1))
run get-workflow Full -o json
expect_json 'Description="Edited"' 'Language="de-DE"' 'ManagersByUri=["sip:e@example.com"]'

tcase workflow-9.4 "refused documents: a Terminate default action, an unknown property (file:line:column)"
r0=$(revision)
run set-workflow --instance "$TMP/bad1.json"
expect_error 5 "DefaultAction"
line=$(grep -n '"Colour"' "$TMP/bad2.json" | cut -d: -f1)
run set-workflow --instance "$TMP/bad2.json"
expect_error 5 "$TMP/bad2.json:$line:3:" "Colour"
expect_revision "$r0"

tcase workflow-9.5 "--instance with a property option: exit 2"
run set-workflow --instance "$TMP/full.yaml" --active false
expect_error 2 "--instance"

# --- 10. removal ---------------------------------------------------------------------------------

tcase workflow-10.1 "an inactive workflow: removed, no output, one revision"
r0=$(revision)
run remove-workflow Draft
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-workflow Draft
expect_status 3

tcase workflow-10.2 "an active workflow without --force: exit 5 naming it, kept"
setup new-workflow Live --primary-uri sip:live@example.com --active true --default-action queue:Sales
r0=$(revision)
run remove-workflow Live
expect_error 5 "workflow 'Live'" "active" "--force"
expect_revision "$r0"
run get-workflow Live
expect_status 0

tcase workflow-10.3 "with --force it goes"
run remove-workflow Live --force
expect_status 0
expect_stdout_empty
run get-workflow Live
expect_status 3

tcase workflow-10.4 "a queue a workflow uses: exit 5 without --force, naming the workflow"
r0=$(revision)
run remove-queue Support
expect_error 5 "workflow 'Ivr'" "--force"
expect_revision "$r0"

tcase workflow-10.5 "a holiday set a workflow uses: exit 5 without --force; with --force, a warning"
run remove-holidayset HA
expect_error 5 "workflow 'Full'"
expect_revision "$r0"
run remove-holidayset HA --force
expect_status 0
expect_stderr_contains "rgs: warning:" "workflow 'Full'"

tcase workflow-10.6 "a workflow left naming a removed holiday set can still be edited"
run set-workflow Full --description "Still editable"
expect_stderr_not_contains "-- ()"
expect_status 0
run get-workflow Full
expect_stdout_line "$(wline Description 'Still editable')"

tcase workflow-10.7 "no IDENTITY / surplus: exit 2; not found: exit 3"
run remove-workflow
expect_error 2
run remove-workflow Basic Full
expect_error 2 "Full"
run remove-workflow Nowhere
expect_error 3 "workflow 'Nowhere' not found"

tcase workflow-10.8 "Lync aliases New-CsRgsWorkflow / Get- / Set- / Remove-"
run New-CsRgsWorkflow AliasW --primary-uri sip:aliasw@example.com --default-action queue:Spare
expect_ok
run Set-CsRgsWorkflow aliasw --description Alias
expect_ok
run Get-CsRgsWorkflow AliasW
expect_stdout_line "$(wline Description Alias)"
run Remove-CsRgsWorkflow AliasW
expect_ok

finish
