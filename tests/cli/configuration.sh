#!/bin/bash
# Black-box tests of the service settings and the store check: get-, set-, test-configuration.
. "$(dirname "$0")/lib.sh"

plan configuration \
  "get-configuration: defaults, output formats, --revision" \
  "set-configuration: AgentRingbackGracePeriod 30-600, DisableCallContext, DefaultMusicOnHoldFile" \
  "set-configuration: usage errors and no-op" \
  "set-configuration --instance: round trip, edits, refused documents" \
  "test-configuration: a clean store, dangling references, managed sharing, output formats, warnings"

cline() { printf '%-24s : %s' "$1" "$2"; }

tcase configuration-0.1 "create the store"
setup new-queue Q
setup new-agentgroup G --agent sip:a@example.com
python3 -S -c '
import sys, wave
with wave.open(sys.argv[1], "wb") as f:
    f.setnchannels(1); f.setsampwidth(2); f.setframerate(16000); f.writeframes(b"\0\1" * 1600)' "$TMP/hold.wav"
setup import-audiofile --file "$TMP/hold.wav" --name Hold
HOLD_ID=$("$RGS" get-audiofile Hold -o json | sed -n 's/^  "Identity": "\(.*\)",$/\1/p')
HOLD_SHA=$(sha256sum "$TMP/hold.wav" | cut -d' ' -f1)
R_DEFAULTS=$(revision)

# --- 1. get --------------------------------------------------------------------------------------

tcase configuration-1.1 "defaults: 60, null, false (list)"
run get-configuration
expect_ok
expect_stdout_line "$(cline AgentRingbackGracePeriod 60)"
expect_stdout_line "$(cline DefaultMusicOnHoldFile '')"
expect_stdout_line "$(cline DisableCallContext False)"
[[ "$OUT" == "$(cline Identity 'service:ApplicationServer:')"* ]] || fail "the first line is not the Identity"

tcase configuration-1.2 "defaults in json"
run get-configuration -o json
expect_ok
expect_json 'AgentRingbackGracePeriod=60' 'DefaultMusicOnHoldFile=null' 'DisableCallContext=false' 'Identity?'

POOL=$("$RGS" get-configuration -o json | sed -n 's/^  "Identity": "service:ApplicationServer:\(.*\)",$/\1/p')

tcase configuration-1.3 "IDENTITY: the store's own pool, as a service identity or a pool name, in any case"
[ -n "$POOL" ] || fail "no pool found in get-configuration's Identity"
for id in "service:ApplicationServer:$POOL" "ApplicationServer:$POOL" "$POOL" \
  "SERVICE:applicationserver:$(printf '%s' "$POOL" | tr '[:lower:]' '[:upper:]')"; do
  run get-configuration "$id"
  expect_ok
  expect_stdout_line "$(cline Identity "service:ApplicationServer:$POOL")"
done

tcase configuration-1.4 "IDENTITY of another pool: not found (3), naming both pools; a second one is surplus (2)"
run get-configuration service:ApplicationServer:whatever.example.com
expect_error 3 "service settings of pool 'whatever.example.com' not found" "this store serves pool '$POOL'"
run get-configuration a b
expect_error 2

# The identity was read after it was freed: rgs crashed (139) for 40 to 55 characters.
tcase configuration-1.5 "IDENTITY of every length from 1 to 80 characters: exit 0 or 3, never a crash"
for n in $(seq 1 80); do
  id=$(printf '%*s' "$n" '' | tr ' ' 'p')
  run get-configuration "$id"
  [ "$RC" = 3 ] || fail "length $n: expected exit 3"
  expect_stderr_contains "pool '$id' not found"
done
run get-configuration "service:ApplicationServer:$POOL" -o json
expect_ok
expect_json "Identity=\"service:ApplicationServer:$POOL\""
run get-configuration "service:ApplicationServer:x$POOL"
expect_error 3 "pool 'x$POOL' not found"

# --- 2. set --------------------------------------------------------------------------------------

tcase configuration-2.1 "--agent-ringback-grace-period 30: no output, one revision"
r0=$(revision)
run set-configuration --agent-ringback-grace-period 30
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-configuration
expect_stdout_line "$(cline AgentRingbackGracePeriod 30)"

tcase configuration-2.2 "--agent-ringback-grace-period 600 accepted"
run set-configuration --agent-ringback-grace-period 600
expect_ok
run get-configuration -o json
expect_json 'AgentRingbackGracePeriod=600'

tcase configuration-2.3 "29 and 601: exit 5 naming option, value and range, unchanged"
r0=$(revision)
run set-configuration --agent-ringback-grace-period 29
expect_error 5 "--agent-ringback-grace-period" "29" "30 to 600"
run set-configuration --agent-ringback-grace-period 601
expect_error 5 "--agent-ringback-grace-period" "601"
run set-configuration --agent-ringback-grace-period -1
expect_error 5 "--agent-ringback-grace-period"
run set-configuration --agent-ringback-grace-period 99999999999
expect_error 5 "--agent-ringback-grace-period"
expect_revision "$r0"
run get-configuration -o json
expect_json 'AgentRingbackGracePeriod=600'

tcase configuration-2.4 "--disable-call-context true, then false"
run set-configuration --disable-call-context true
expect_ok
run get-configuration
expect_stdout_line "$(cline DisableCallContext True)"
run set-configuration --disable-call-context false
expect_ok
run get-configuration -o json
expect_json 'DisableCallContext=false'

tcase configuration-2.5 "--default-music-on-hold-file NAME"
run set-configuration --default-music-on-hold-file Hold
expect_ok
run get-configuration -o json
expect_json "DefaultMusicOnHoldFile=\"$HOLD_ID\""

tcase configuration-2.6 "--default-music-on-hold-file none clears it; then by SHA-256"
run set-configuration --default-music-on-hold-file none
expect_ok
run get-configuration -o json
expect_json 'DefaultMusicOnHoldFile=null'
run set-configuration --default-music-on-hold-file "$HOLD_SHA"
expect_ok
run get-configuration -o json
expect_json "DefaultMusicOnHoldFile=\"$HOLD_ID\""

tcase configuration-2.7 "all three options in one command: one revision"
r0=$(revision)
run set-configuration --agent-ringback-grace-period 45 --disable-call-context true --default-music-on-hold-file none
expect_ok
expect_revision $((r0 + 1))
run get-configuration -o json
expect_json 'AgentRingbackGracePeriod=45' 'DisableCallContext=true' 'DefaultMusicOnHoldFile=null'

# --- 3. usage ------------------------------------------------------------------------------------

tcase configuration-3.1 "malformed values: exit 2, unchanged"
r0=$(revision)
run set-configuration --agent-ringback-grace-period abc
expect_error 2 "--agent-ringback-grace-period" "abc"
run set-configuration --disable-call-context maybe
expect_error 2 "--disable-call-context" "maybe"
run set-configuration --agent-ringback-grace-period
expect_error 2 "--agent-ringback-grace-period"
run set-configuration surplus
expect_error 2 "surplus"
expect_revision "$r0"

tcase configuration-3.2 "an unknown audio file: exit 3 naming it"
run set-configuration --default-music-on-hold-file Nowhere
expect_error 3 "--default-music-on-hold-file" "Nowhere"
expect_revision "$r0"

tcase configuration-3.3 "a set that changes nothing writes no revision"
run set-configuration --agent-ringback-grace-period 45
expect_ok
expect_revision "$r0"

tcase configuration-3.4 "--whatif changes nothing"
run set-configuration --agent-ringback-grace-period 90 --whatif
expect_ok
expect_revision "$r0"
run get-configuration -o json
expect_json 'AgentRingbackGracePeriod=45'

tcase configuration-3.5 "Lync aliases Get-CsRgsConfiguration / Set-CsRgsConfiguration"
run Set-CsRgsConfiguration --agent-ringback-grace-period 50
expect_ok
run Get-CsRgsConfiguration
expect_stdout_line "$(cline AgentRingbackGracePeriod 50)"

# --- 4. --instance -------------------------------------------------------------------------------

tcase configuration-4.1 "get-configuration -o yaml fed back changes nothing"
setup set-configuration --default-music-on-hold-file Hold
run get-configuration -o yaml
cp "$TMP/.out" "$TMP/c.yaml"
run get-configuration -o json
cp "$TMP/.out" "$TMP/c.json"
r0=$(revision)
run set-configuration --instance "$TMP/c.yaml"
expect_ok
expect_revision "$r0"
run_stdin "$TMP/c.json" set-configuration --instance -
expect_ok
expect_revision "$r0"

tcase configuration-4.2 "an edited document is applied"
sed 's/^AgentRingbackGracePeriod: .*/AgentRingbackGracePeriod: 120/; s/^DisableCallContext: .*/DisableCallContext: false/; s/^DefaultMusicOnHoldFile: .*/DefaultMusicOnHoldFile: null/' \
  "$TMP/c.yaml" >"$TMP/c2.yaml"
run set-configuration --instance "$TMP/c2.yaml"
expect_ok
expect_revision $((r0 + 1))
run get-configuration -o json
expect_json 'AgentRingbackGracePeriod=120' 'DisableCallContext=false' 'DefaultMusicOnHoldFile=null'

tcase configuration-4.3 "refused documents: 29 (range), text, unknown property, unknown audio file: exit 3 or 5, unchanged"
r0=$(revision)
sed 's/^AgentRingbackGracePeriod: .*/AgentRingbackGracePeriod: 29/' "$TMP/c.yaml" >"$TMP/bad1.yaml"
run set-configuration --instance "$TMP/bad1.yaml"
expect_error 5 "AgentRingbackGracePeriod" "29"
sed 's/^AgentRingbackGracePeriod: .*/AgentRingbackGracePeriod: soon/' "$TMP/c.yaml" >"$TMP/bad2.yaml"
line=$(grep -n '^AgentRingbackGracePeriod' "$TMP/bad2.yaml" | cut -d: -f1)
run set-configuration --instance "$TMP/bad2.yaml"
expect_error 5 "$TMP/bad2.yaml:$line:" "AgentRingbackGracePeriod"
{ cat "$TMP/c.yaml"; echo "Volume: 11"; } >"$TMP/bad3.yaml"
line=$(wc -l <"$TMP/bad3.yaml")
run set-configuration --instance "$TMP/bad3.yaml"
expect_error 5 "$TMP/bad3.yaml:$line:1:" "Volume"
sed 's/^DefaultMusicOnHoldFile: .*/DefaultMusicOnHoldFile: Nowhere/' "$TMP/c.yaml" >"$TMP/bad4.yaml"
run set-configuration --instance "$TMP/bad4.yaml"
[ "$RC" = 3 ] || [ "$RC" = 5 ] || fail "expected exit 3 or 5"
expect_stderr_contains "Nowhere"
expect_revision "$r0"

tcase configuration-4.4 "--instance with a property option: exit 2"
run set-configuration --instance "$TMP/c.yaml" --agent-ringback-grace-period 30
expect_error 2 "--instance"

tcase configuration-4.5 "get-configuration --revision N shows the settings as they were"
run get-configuration --revision "$R_DEFAULTS" -o json
expect_ok
expect_json 'AgentRingbackGracePeriod=60' 'DisableCallContext=false' 'DefaultMusicOnHoldFile=null'
run get-configuration --revision "$r0" -o json
expect_ok
expect_json 'AgentRingbackGracePeriod=120'

tcase configuration-4.6 "--revision of a revision that does not exist: exit 3; malformed: exit 2"
run get-configuration --revision 9999
expect_error 3 "9999"
run get-configuration --revision abc
expect_error 2 "--revision"

# --- 5. test-configuration -----------------------------------------------------------------------

tcase configuration-5.1 "a clean store: exit 0, only the summary line"
setup new-queue WQ --agent-group G
setup new-workflow W --primary-uri sip:w@example.com --default-action queue:WQ --active true
run test-configuration
expect_ok
expect_stdout_equals "0 errors, 0 warnings in $(sqlite3 "$RGS_STORE" 'SELECT count(*) FROM objects WHERE rev_to IS NULL') objects
"

tcase configuration-5.2 "-o json of a clean store: an empty list"
run test-configuration -o json
expect_ok
expect_json '=[]'

tcase configuration-5.3 "after remove-queue --force of a queue an active workflow uses: exit 5, one line by name, a summary"
wq=$("$RGS" get-queue WQ -o json | python3 -S -c 'import json, sys; print(json.load(sys.stdin)["Identity"].split("/")[1])')
setup remove-queue WQ --force
r0=$(revision)
run test-configuration
expect_status 5
expect_stdout_line "error: workflow 'W': DefaultAction.QueueID: the queue it refers to no longer exists"
expect_stdout_not_contains "$wq"
[ "$(printf '%s' "$OUT" | tail -n 1)" = "1 error, 0 warnings in $(sqlite3 "$RGS_STORE" 'SELECT count(*) FROM objects WHERE rev_to IS NULL') objects" ] ||
  fail "the last line is not the summary: '$(printf '%s' "$OUT" | tail -n 1)'"
[ "$(printf '%s' "$OUT" | wc -l)" = 2 ] || fail "expected one finding and the summary"
expect_stderr_equals "rgs: the configuration has 1 error
"
expect_revision "$r0"

tcase configuration-5.4 "-o json: one object per finding, with the identities"
run test-configuration -o json
expect_status 5
expect_json 'len()=1' '[0].Severity="Error"' '[0].Kind="workflow"' '[0].Name="W"' \
  '[0].Property="DefaultAction.QueueID"' '[0].Problem="the queue it refers to no longer exists"'
expect_json '[0].Identity?' '[0].Missing?'
printf '%s' "$OUT" | grep -q "/$wq\"" || fail "-o json does not give the missing queue's GUID"

tcase configuration-5.5 "every problem is listed: a removed audio file the settings name too"
setup remove-audiofile Hold --force
setup set-configuration --default-music-on-hold-file none
setup import-audiofile --file "$TMP/hold.wav" --name Hold2
setup set-configuration --default-music-on-hold-file Hold2
setup remove-audiofile Hold2 --force
run test-configuration -o json
expect_status 5
expect_json 'len()=2'
printf '%s' "$OUT" | python3 -S -c '
import json, sys
s = [f for f in json.load(sys.stdin) if f["Kind"] == "service settings"]
sys.exit(0 if len(s) == 1 and s[0]["Property"] == "DefaultMusicOnHoldFile" and s[0]["Name"] is None else 1)' ||
  fail "no finding about the service settings' DefaultMusicOnHoldFile"
run test-configuration
expect_stdout_line "error: service settings: DefaultMusicOnHoldFile: the audio file it refers to no longer exists"
expect_stdout_contains "2 errors, 0 warnings in"

tcase configuration-5.6 "a managed workflow sharing a queue is reported"
setup set-configuration --default-music-on-hold-file none
setup remove-workflow W --force
setup new-queue MQ --agent-group G
setup new-workflow M --primary-uri sip:m@example.com --active true --manager sip:boss@example.com \
  --default-action queue:MQ
setup new-workflow Sharer --primary-uri sip:sharer@example.com --default-action queue:MQ
# rgs refuses to make a managed workflow share; a store edited behind its back can still do so.
sqlite3 "$RGS_STORE" "UPDATE objects SET doc = json_set(doc, '\$.Managed', json('true')) \
  WHERE kind = 'workflow' AND name = 'M' AND rev_to IS NULL" || fail "cannot edit the store with sqlite3"
run test-configuration
expect_status 5
expect_stdout_line "error: workflow 'M': managed, yet shares queue 'MQ' with workflow 'Sharer'"

tcase configuration-5.7 "surplus argument: exit 2"
run test-configuration extra
expect_error 2 "extra"

# DistributionGroupAddress is kept but never expanded: a check of the store says so.
tcase configuration-5.8 "a group with a DistributionGroupAddress: a warning that it is not expanded, with or without problems"
run --store "$TMP/dl.db" -q new-agentgroup DL --distribution-group-address team@example.com
expect_ok
run --store "$TMP/dl.db" test-configuration
expect_ok
expect_stdout_contains "warning: agent group 'DL': DistributionGroupAddress 'team@example.com' is stored but not expanded"
expect_stdout_contains "0 errors, 1 warning in 1 object"
run --store "$TMP/dl.db" -o json test-configuration
expect_ok
expect_json 'len()=1' '[0].Severity="Warning"' '[0].Name="DL"'
run test-configuration
expect_status 5
expect_stdout_contains "workflow 'M'"
expect_stdout_not_contains "DistributionGroupAddress"
setup -q set-agentgroup G --distribution-group-address g@example.com
run test-configuration
expect_status 5
expect_stdout_line "warning: agent group 'G': DistributionGroupAddress 'g@example.com' is stored but not expanded (rgs reads no directory): its members are not agents of the group"
# The two breaches of workflow 'M' (5.6: its queue and that queue's group) and the warning.
expect_stdout_contains "2 errors, 1 warning in"
expect_stderr_equals "rgs: the configuration has 2 errors
"

tcase configuration-5.9 "a missing queue named twice by one workflow is one finding, not two equal lines"
TWICE="--store $TMP/twice.db"
setup $TWICE -q new-queue Twice
setup $TWICE -q new-workflow T2 --primary-uri sip:t2@example.com --default-action queue:Twice \
  --non-business-hours-action queue:Twice
setup $TWICE -q remove-queue Twice --force
run $TWICE test-configuration
expect_status 5
n=$(printf '%s' "$OUT" | grep -c "workflow 'T2'")
[ "$n" = 1 ] || fail "expected one finding for T2, got $n"

tcase configuration-5.10 "voice keywords in a workflow whose language is not en-US: a warning, keypad only"
VOICE="--store $TMP/voice.db"
setup $VOICE -q new-queue VQ
cat >"$TMP/vq.yaml" <<'EOF'
Name: Menu
Prompt: {TextToSpeechPrompt: "Sagen Sie Verkauf oder drücken Sie 1."}
AnswerList:
  - {Name: Verkauf, DtmfResponse: "1", VoiceResponseList: [Verkauf], Action: {Action: TransferToQueue, QueueID: VQ}}
  - {Name: Technik, DtmfResponse: "2", Action: {Action: TransferToQueue, QueueID: VQ}}
EOF
run $VOICE new-workflow VDE --primary-uri sip:vde@example.com --language de-DE --active true \
  --default-action question --question-file "$TMP/vq.yaml"
expect_status 0
expect_stderr_contains "voice keywords (VoiceResponseList) of question 'Menu' answer 'Verkauf' are not listened for"
run $VOICE test-configuration
expect_ok
expect_stdout_line "warning: workflow 'VDE': Language de-DE: speech is recognised in en-US only, so the voice keywords (VoiceResponseList) of question 'Menu' answer 'Verkauf' are not listened for: its callers answer by keypad only"
setup $VOICE -q set-workflow VDE --language en-US
run $VOICE test-configuration
expect_ok
expect_stdout_not_contains "VoiceResponseList"

finish
