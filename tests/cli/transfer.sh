#!/bin/bash
# Black-box tests of export-configuration and import-configuration (reference §5, §2.0, §2.9;
# DESIGN §4): round trip between two pools, the switches, the DR runbook, hostile archives.
. "$(dirname "$0")/lib.sh"

plan transfer \
  "round trip: export A, import into an empty B, export B; deterministic exports; idempotent import" \
  "switches: owner visibility, settings, name conflicts, same identity, --whatif, export options, pools" \
  "the DR runbook of reference 5.4 on two stores A and B" \
  "hostile and malformed archives: refused (5, or 1 for I/O), the store unchanged"

A="$TMP/a.db"
PA=pool-a.example.com
PB=pool-b.example.com

# on STORE ARGS...: run rgs on STORE (cases run against several stores).
on() {
  local s=$1
  shift
  run --store "$s" "$@"
}
# in_store STORE ARGS...: setup on STORE.
in_store() {
  local s=$1
  shift
  setup --store "$s" "$@"
}
# zip_entry ZIP NAME: the bytes of one entry on stdout.
zip_entry() {
  python3 -S -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"
}
# zip_names ZIP: the entry names, one a line.
zip_names() {
  python3 -S -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
}
# names_in: the "Name" values of a JSON list on stdin, sorted, comma-separated.
names_in() {
  python3 -S -c 'import json, sys; print(",".join(sorted(o["Name"] for o in json.load(sys.stdin))))'
}
# owners_in: the distinct OwnerPool values of a JSON list on stdin, comma-separated.
owners_in() {
  python3 -S -c 'import json, sys; print(",".join(sorted(set(o["OwnerPool"] for o in json.load(sys.stdin)))))'
}
# sections ZIP: "Key=count" for every object list of the archive's configuration.yaml.
sections() {
  zip_entry "$1" configuration.yaml | awk '/^[A-Za-z]+:/ { k = $1; sub(":", "", k); if (!(k in n)) { n[k] = 0; o[++m] = k } }
    /^  - Identity:/ { n[k]++ } END { for (i = 1; i <= m; i++) if (o[i] != "ServiceSettings") printf "%s=%d ", o[i], n[o[i]] }'
}
json_field() {   # json_field FIELD: the top-level string FIELD of the JSON object on stdin
  python3 -S -c 'import json, sys; d = json.load(sys.stdin); d = d[0] if isinstance(d, list) else d; print(d[sys.argv[1]])' "$1"
}
wav() {   # wav FILE WIDTH RATE: a short mono WAV
  python3 -S -c '
import sys, wave
with wave.open(sys.argv[1], "wb") as f:
    f.setnchannels(1); f.setsampwidth(int(sys.argv[2])); f.setframerate(int(sys.argv[3]))
    f.writeframes((b"\0\1" if sys.argv[2] == "2" else b"\x80\x81") * 1600)' "$1" "$2" "$3"
}
NOUNS="agentgroup queue workflow hoursofbusiness holidayset audiofile"

# Pool A: two agent groups, two queues, hours, a holiday set, two audio files, an IVR workflow
# with a two-level question tree, a plain workflow, and service settings changed from defaults.
tcase transfer-0.1 "set up pool A"
wav "$TMP/hold.wav" 2 16000
wav "$TMP/welcome.wav" 1 8000
in_store "$A" --pool $PA new-agentgroup G1 --agent sip:a1@example.com --routing-method longest-idle
in_store "$A" new-agentgroup G2 --agent sip:a2@example.com,sip:a3@example.com --participation-policy formal --agent-alert-time 30
in_store "$A" new-queue Sales --agent-group G1 --timeout-threshold 120 --timeout-action terminate
in_store "$A" new-queue Support --agent-group G2 --overflow-threshold 5 --overflow-action voicemail:sip:vm@example.com
R_QUEUES=$(revision --store "$A")
in_store "$A" new-hoursofbusiness Office --monday 08:00-17:00 --friday 08:00-12:00,13:00-16:00
in_store "$A" new-holidayset HA --holiday "Xmas=2026-12-25/2026-12-26"
in_store "$A" import-audiofile --file "$TMP/hold.wav" --name Hold
in_store "$A" import-audiofile --file "$TMP/welcome.wav" --name Welcome
in_store "$A" set-configuration --agent-ringback-grace-period 90 --disable-call-context true --default-music-on-hold-file Hold
cat >"$TMP/q.yaml" <<'EOF'
Name: Main
Prompt:
  TextToSpeechPrompt: "Press 1 for sales, 2 for support"
InvalidAnswerPrompt:
  TextToSpeechPrompt: "Sorry"
AnswerList:
  - Name: Sales
    DtmfResponse: "1"
    VoiceResponseList: [sales, buy]
    Action: {Action: TransferToQueue, QueueID: Sales}
  - Name: More
    DtmfResponse: "2"
    Action:
      Action: TransferToQuestion
      Question:
        Name: Second
        Prompt: {AudioFilePrompt: Welcome}
        AnswerList:
          - Name: Support
            DtmfResponse: "1"
            Action: {Action: TransferToQueue, QueueID: Support}
EOF
in_store "$A" new-workflow Ivr --primary-uri sip:ivr@example.com --active true --default-action question \
  --question-file "$TMP/q.yaml" --default-prompt audio:Welcome --business-hours Office --holiday-set HA \
  --holiday-action terminate --custom-music-on-hold-file Hold --time-zone Europe/Paris
in_store "$A" new-workflow Plain --primary-uri sip:plain@example.com --line-uri tel:+15550100 --default-action queue:Sales
R_A=$(revision --store "$A")
HOLD_SHA=$(sha256sum "$TMP/hold.wav" | cut -d' ' -f1)
WELCOME_SHA=$(sha256sum "$TMP/welcome.wav" | cut -d' ' -f1)
[ "$R_A" = 11 ] || fail "pool A is at revision $R_A, expected 11"

# --- 1. round trip -------------------------------------------------------------------------------

B="$TMP/b.db"

tcase transfer-1.1 "export A: exit 0, nothing printed, manifest + configuration + two audio entries"
on "$A" export-configuration --file "$TMP/a.zip"
expect_ok
expect_stdout_empty
[ -f "$TMP/a.zip" ] || fail "no archive written"
names=$(zip_names "$TMP/a.zip" | sort | tr '\n' ' ')
[ "$names" = "audio/$HOLD_SHA.wav audio/$WELCOME_SHA.wav configuration.yaml manifest.yaml " ] ||
  fail "unexpected entries: $names"
zip_entry "$TMP/a.zip" manifest.yaml | grep -qx "SourcePool: $PA" || fail "manifest does not name the source pool"
zip_entry "$TMP/a.zip" manifest.yaml | grep -qx "SourceRevision: $R_A" || fail "manifest does not give revision $R_A"
s=$(sections "$TMP/a.zip")
[ "$s" = "AudioFiles=2 HoursOfBusiness=1 HolidaySets=1 AgentGroups=2 Queues=2 Workflows=2 " ] || fail "sections: $s"

tcase transfer-1.2 "import into an empty store of pool B with both switches: 10 added, one revision"
on "$B" --pool $PB import-configuration --file "$TMP/a.zip" --overwrite-owner --replace-existing-rgs-settings
expect_ok
expect_stdout_contains "10 added, 0 updated" "2 audio files added" "service settings replaced" "+ workflow 'Ivr'"
expect_revision 1 --store "$B"
on "$B" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=90' 'DisableCallContext=true' "Identity=\"service:ApplicationServer:$PB\""

tcase transfer-1.3 "export B: configuration.yaml equals A's once the pool names are swapped"
on "$B" export-configuration --file "$TMP/b.zip"
expect_ok
zip_entry "$TMP/a.zip" configuration.yaml >"$TMP/a.cfg"
zip_entry "$TMP/b.zip" configuration.yaml >"$TMP/b.cfg"
sed "s/$PB/$PA/g" "$TMP/b.cfg" | cmp -s - "$TMP/a.cfg" || fail "configuration.yaml differs beyond the pool name"
# The lines that differ before the swap: Identity, Parent and OwnerPool hold the pool, and so do
# the references, which are identities (service:ApplicationServer:POOL/GUID).
differ=$(python3 -S -c '
import sys
a = open(sys.argv[1]).read().split("\n"); b = open(sys.argv[2]).read().split("\n")
keys = set()
for x, y in zip(a, b):
    if x != y:
        k = x.strip().split(":")[0]
        keys.add("(list item)" if k.startswith("- ") else k)
print(" ".join(sorted(keys)))' "$TMP/a.cfg" "$TMP/b.cfg")
[ "$differ" = "(list item) AudioFilePrompt BusinessHoursID CustomMusicOnHoldFile DefaultMusicOnHoldFile Identity OwnerPool Parent QueueID" ] ||
  fail "fields that differ between A and B: '$differ'"

tcase transfer-1.4 "the audio bytes are the same in both archives"
for sha in "$HOLD_SHA" "$WELCOME_SHA"; do
  cmp -s <(zip_entry "$TMP/a.zip" "audio/$sha.wav") <(zip_entry "$TMP/b.zip" "audio/$sha.wav") || fail "audio/$sha.wav differs"
done
cmp -s <(zip_entry "$TMP/b.zip" "audio/$HOLD_SHA.wav") "$TMP/hold.wav" || fail "the exported audio is not the imported file"

tcase transfer-1.5 "two exports of an unchanged store: the same configuration.yaml, the same zip"
sleep 1
on "$A" export-configuration --file "$TMP/a-again.zip"
expect_ok
cmp -s <(zip_entry "$TMP/a.zip" configuration.yaml) <(zip_entry "$TMP/a-again.zip" configuration.yaml) ||
  fail "configuration.yaml differs between two exports"
cmp -s "$TMP/a.zip" "$TMP/a-again.zip" || fail "the zip files differ between two exports"
on "$B" export-configuration --file "$TMP/b-again.zip"
cmp -s "$TMP/b.zip" "$TMP/b-again.zip" || fail "the zip files of B differ between two exports"
expect_revision "$R_A" --store "$A"

tcase transfer-1.6 "importing the same archive twice: the second writes no revision"
on "$B" import-configuration --file "$TMP/a.zip" --overwrite-owner --replace-existing-rgs-settings
expect_ok
expect_stdout_contains "0 added, 0 updated, 10 unchanged"
expect_stdout_not_contains "settings replaced"
expect_revision 1 --store "$B"

# --- 2. switches ---------------------------------------------------------------------------------

C="$TMP/c.db"

tcase transfer-2.1 "without --overwrite-owner: imported, owned by pool A, parent pool B"
in_store "$C" --pool $PB set-configuration --agent-ringback-grace-period 45
in_store "$C" new-queue BQ
r0=$(revision --store "$C")
on "$C" import-configuration --file "$TMP/a.zip"
expect_ok
expect_stdout_contains "10 added"
expect_stdout_not_contains "settings replaced"
expect_revision $((r0 + 1)) --store "$C"
on "$C" get-queue Sales -o json
expect_json "OwnerPool=\"$PA\"" "Parent=\"service:ApplicationServer:$PB\""
[[ "$OUT" == *"\"Identity\": \"service:ApplicationServer:$PB/"* ]] || fail "the identity does not name pool B"

tcase transfer-2.2 "hidden from get-X without --owner or --show-all (every noun)"
for n in $NOUNS; do
  on "$C" get-$n -o json
  expect_status 0
  [[ "$OUT" != *"$PA"* ]] || fail "get-$n shows objects owned by $PA"
done
on "$C" get-queue -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ" ] || fail "get-queue lists '$(printf '%s' "$OUT" | names_in)', not BQ"

tcase transfer-2.3 "visible with --owner pool-a and with --show-all; --owner pool-b shows only B's"
on "$C" get-queue --owner $PA -o json
expect_status 0
[ "$(printf '%s' "$OUT" | names_in)" = "Sales,Support" ] || fail "--owner $PA lists '$(printf '%s' "$OUT" | names_in)'"
on "$C" get-queue --show-all -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ,Sales,Support" ] || fail "--show-all lists '$(printf '%s' "$OUT" | names_in)'"
on "$C" get-queue --owner $PB -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ" ] || fail "--owner $PB lists '$(printf '%s' "$OUT" | names_in)'"
for n in agentgroup workflow hoursofbusiness holidayset audiofile; do
  on "$C" get-$n --owner $PA -o json
  [ "$(printf '%s' "$OUT" | owners_in)" = "$PA" ] || fail "get-$n --owner $PA: owners '$(printf '%s' "$OUT" | owners_in)'"
  on "$C" get-$n --show-all -o json
  [ -n "$(printf '%s' "$OUT" | names_in)" ] || fail "get-$n --show-all lists nothing"
done

tcase transfer-2.3b "--owner in any letter case, or as a service identity, selects the same objects"
for owner in "$(echo $PA | tr a-z A-Z)" "service:ApplicationServer:$PA" "ApplicationServer:$(echo $PA | tr a-z A-Z)"; do
  on "$C" get-queue --owner "$owner" -o json
  expect_status 0
  [ "$(printf '%s' "$OUT" | names_in)" = "Sales,Support" ] || fail "--owner $owner lists '$(printf '%s' "$OUT" | names_in)'"
done

tcase transfer-2.4 "get-X NAME still finds them"
for pair in agentgroup:G1 queue:Sales workflow:Ivr hoursofbusiness:Office holidayset:HA audiofile:Hold; do
  on "$C" get-${pair%%:*} "${pair#*:}" -o json
  expect_status 0
  expect_json "Name=\"${pair#*:}\"" "OwnerPool=\"$PA\""
done

tcase transfer-2.5 "without --replace-existing-rgs-settings B keeps its settings"
on "$C" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=45' 'DisableCallContext=false' 'DefaultMusicOnHoldFile=null'

tcase transfer-2.6 "export --owner POOL exports only the objects that POOL owns"
on "$C" export-configuration --owner $PB --file "$TMP/c-own.zip"
expect_ok
s=$(sections "$TMP/c-own.zip")
[ "$s" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=0 Queues=1 Workflows=0 " ] || fail "--owner $PB: $s"
zip_entry "$TMP/c-own.zip" configuration.yaml | grep -q "Name: BQ" || fail "BQ is not in the --owner $PB export"
zip_entry "$TMP/c-own.zip" manifest.yaml | grep -qx "Owner: $PB" || fail "the manifest does not give the owner"
on "$C" export-configuration --owner $PA --file "$TMP/c-a.zip"
expect_ok
s=$(sections "$TMP/c-a.zip")
[ "$s" = "AudioFiles=2 HoursOfBusiness=1 HolidaySets=1 AgentGroups=2 Queues=2 Workflows=2 " ] || fail "--owner $PA: $s"
zip_entry "$TMP/c-a.zip" configuration.yaml | grep -q "Name: BQ" && fail "BQ is in the --owner $PA export"
[ "$(zip_names "$TMP/c-a.zip" | grep -c '^audio/')" = 2 ] || fail "the --owner $PA export lacks its audio"

tcase transfer-2.7 "--overwrite-owner on objects already here: updated in place, now owned by B and visible"
r0=$(revision --store "$C")
id_before=$("$RGS" --store "$C" get-queue Sales -o json | json_field Identity)
on "$C" import-configuration --file "$TMP/a.zip" --overwrite-owner
expect_ok
expect_stdout_contains "0 added, 10 updated"
expect_revision $((r0 + 1)) --store "$C"
on "$C" get-queue -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ,Sales,Support" ] || fail "get-queue lists '$(printf '%s' "$OUT" | names_in)'"
[ "$(printf '%s' "$OUT" | owners_in)" = "$PB" ] || fail "owners: $(printf '%s' "$OUT" | owners_in)"
for n in $NOUNS; do
  on "$C" get-$n -o json
  [ -n "$(printf '%s' "$OUT" | names_in)" ] || fail "get-$n lists nothing after --overwrite-owner"
done
on "$C" get-queue Sales -o json
expect_json "Identity=\"$id_before\""
on "$C" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=45'

tcase transfer-2.8 "--overwrite-owner into a fresh store: owned by B, visible, B's default settings"
D="$TMP/d.db"
on "$D" --pool $PB import-configuration --file "$TMP/a.zip" --overwrite-owner
expect_ok
on "$D" get-agentgroup -o json
[ "$(printf '%s' "$OUT" | names_in)" = "G1,G2" ] || fail "get-agentgroup lists '$(printf '%s' "$OUT" | names_in)'"
[ "$(printf '%s' "$OUT" | owners_in)" = "$PB" ] || fail "owners: $(printf '%s' "$OUT" | owners_in)"
on "$D" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=60' 'DisableCallContext=false' 'DefaultMusicOnHoldFile=null'

tcase transfer-2.9 "--replace-existing-rgs-settings alone: B takes A's settings, objects stay A's"
E="$TMP/e.db"
in_store "$E" --pool $PB set-configuration --agent-ringback-grace-period 45
on "$E" import-configuration --file "$TMP/a.zip" --replace-existing-rgs-settings
expect_ok
expect_stdout_contains "service settings replaced"
hold_b=$("$RGS" --store "$E" get-audiofile Hold -o json | json_field Identity)
on "$E" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=90' 'DisableCallContext=true' "DefaultMusicOnHoldFile=\"$hold_b\""
on "$E" get-queue Sales -o json
expect_json "OwnerPool=\"$PA\""

tcase transfer-2.10 "the spelling --replace-existing-settings does the same"
F="$TMP/f.db"
in_store "$F" --pool $PB set-configuration --agent-ringback-grace-period 45
on "$F" import-configuration --file "$TMP/a.zip" --replace-existing-settings
expect_ok
expect_stdout_contains "service settings replaced"
on "$F" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=90' 'DisableCallContext=true'

G="$TMP/g.db"
tcase transfer-2.11 "a name clash (other identity, any case): exit 5 naming each, store unchanged"
in_store "$G" --pool $PB new-queue Sales --description "B's own"
in_store "$G" new-agentgroup g1
r0=$(revision --store "$G")
sum0=$(sha256sum "$G" | cut -d' ' -f1)
on "$G" import-configuration --file "$TMP/a.zip" --overwrite-owner
expect_error 5 "queue 'Sales' already exists" "agent group 'G1' already exists" "configuration.yaml:" "--resolve-name-conflicts"
expect_revision "$r0" --store "$G"
[ "$(sha256sum "$G" | cut -d' ' -f1)" = "$sum0" ] || fail "the store file changed"
on "$G" get-workflow --show-all -o json
[ -z "$(printf '%s' "$OUT" | names_in)" ] || fail "workflows were imported"

tcase transfer-2.12 "--whatif prints the plan (added, renamed, settings, audio) and writes nothing"
on "$G" import-configuration --file "$TMP/a.zip" --resolve-name-conflicts --replace-existing-rgs-settings --whatif
expect_status 0
expect_stdout_contains "What if" "workflow 'Ivr'" "queue 'Support'"
expect_stdout_contains "renamed queue 'Sales' -> 'Sales (2)'" "2 audio files added" "service settings replaced"
expect_revision "$r0" --store "$G"
[ "$(sha256sum "$G" | cut -d' ' -f1)" = "$sum0" ] || fail "the store file changed"

tcase transfer-2.13 "--resolve-name-conflicts: the imported objects become 'Name (2)'"
on "$G" import-configuration --file "$TMP/a.zip" --resolve-name-conflicts
expect_ok
expect_stdout_contains "renamed queue 'Sales' -> 'Sales (2)'" "renamed agent group 'G1' -> 'G1 (2)'"
expect_revision $((r0 + 1)) --store "$G"
on "$G" get-queue Sales -o json
expect_json 'Description="B'"'"'s own"'
on "$G" get-queue "Sales (2)" -o json
expect_json "OwnerPool=\"$PA\""
sales2=$("$RGS" --store "$G" get-queue "Sales (2)" -o json | json_field Identity)
on "$G" get-workflow Plain -o json
expect_json "DefaultAction.QueueID=\"$sales2\""

tcase transfer-2.14 "'(3)' when '(2)' is taken"
H="$TMP/h.db"
in_store "$H" --pool $PB new-queue Sales
in_store "$H" new-queue "sales (2)"
on "$H" import-configuration --file "$TMP/a.zip" --resolve-name-conflicts
expect_ok
expect_stdout_contains "renamed queue 'Sales' -> 'Sales (3)'"
on "$H" get-queue --show-all -o json
[ "$(printf '%s' "$OUT" | names_in)" = "Sales,Sales (3),Support,sales (2)" ] || fail "queues: $(printf '%s' "$OUT" | names_in)"

tcase transfer-2.15 "an object with the same identity is updated in place; --whatif shows it first"
in_store "$A" set-queue Sales --timeout-threshold 200
on "$A" export-configuration --file "$TMP/a2.zip"
expect_ok
rb=$(revision --store "$B")
sales_b=$("$RGS" --store "$B" get-queue Sales -o json | json_field Identity)
on "$B" import-configuration --file "$TMP/a2.zip" --overwrite-owner --whatif
expect_status 0
expect_stdout_contains "queue 'Sales'" "TimeoutThreshold"
expect_revision "$rb" --store "$B"
on "$B" import-configuration --file "$TMP/a2.zip" --overwrite-owner
expect_ok
expect_stdout_contains "0 added, 1 updated, 9 unchanged" "~ queue 'Sales'"
expect_revision $((rb + 1)) --store "$B"
on "$B" get-queue -o json
[ "$(printf '%s' "$OUT" | names_in)" = "Sales,Support" ] || fail "queues: $(printf '%s' "$OUT" | names_in)"
on "$B" get-queue Sales -o json
expect_json 'TimeoutThreshold=200' "Identity=\"$sales_b\""

tcase transfer-2.16 "export refuses an existing file (4) unless --force"
printf 'precious\n' >"$TMP/exists.zip"
on "$A" export-configuration --file "$TMP/exists.zip"
expect_error 4 "exists.zip"
[ "$(cat "$TMP/exists.zip")" = precious ] || fail "the existing file was changed"
on "$A" export-configuration --file "$TMP/exists.zip" --force
expect_ok
zip_entry "$TMP/exists.zip" manifest.yaml | grep -q "FormatVersion: 1" || fail "--force did not write the archive"

tcase transfer-2.17 "--revision N exports the configuration as it was at N"
on "$A" export-configuration --file "$TMP/a-old.zip" --revision "$R_QUEUES"
expect_ok
s=$(sections "$TMP/a-old.zip")
[ "$s" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=2 Queues=2 Workflows=0 " ] || fail "at $R_QUEUES: $s"
zip_entry "$TMP/a-old.zip" manifest.yaml | grep -qx "SourceRevision: $R_QUEUES" || fail "manifest revision"
zip_entry "$TMP/a-old.zip" configuration.yaml | grep -q "AgentRingbackGracePeriod: 60" || fail "the settings are not those of $R_QUEUES"
zip_entry "$TMP/a-old.zip" configuration.yaml | grep -q "TimeoutThreshold: 120" || fail "Sales is not as it was"
[ "$(zip_names "$TMP/a-old.zip" | grep -c '^audio/')" = 0 ] || fail "audio of later revisions exported"
on "$A" export-configuration --file "$TMP/a-none.zip" --revision 9999
expect_error 3 "9999"
[ -e "$TMP/a-none.zip" ] && fail "a file was written for a missing revision"

tcase transfer-2.18 "--source and --destination naming another pool: exit 5; this pool's name is accepted"
on "$A" export-configuration --file "$TMP/x.zip" --source $PB
expect_error 5 "--source" "$PB"
[ -e "$TMP/x.zip" ] && fail "a file was written"
ra=$(revision --store "$A")
on "$A" import-configuration --file "$TMP/b.zip" --destination service:ApplicationServer:$PB
expect_error 5 "--destination" "$PB"
expect_revision "$ra" --store "$A"
on "$A" export-configuration --file "$TMP/x.zip" --source service:ApplicationServer:$PA
expect_ok
on "$D" import-configuration --file "$TMP/a.zip" --destination ApplicationServer:$PB --overwrite-owner
expect_ok

tcase transfer-2.19 "I/O problems exit 1: a missing archive, an export into a missing directory"
on "$D" import-configuration --file "$TMP/no-such.zip"
expect_error 1 "no-such.zip"
on "$A" export-configuration --file "$TMP/no/such/dir/x.zip"
expect_error 1 "x.zip"

# --force renamed the archive over whatever had the name: a device node, a FIFO, a link.
tcase transfer-2.20 "export to a device, a folder, a FIFO or a link: exit 2 with or without --force, none of them touched"
OUTDIR="$TMP/out"
mkdir -p "$OUTDIR/folder"
mkfifo "$OUTDIR/fifo"
ln -s "$TMP/a.zip" "$OUTDIR/link"
dev=/dev/null
mknod "$OUTDIR/null" c 1 3 2>/dev/null && dev="$OUTDIR/null"
for f in "$dev" "$OUTDIR/folder" "$OUTDIR/fifo" "$OUTDIR/link"; do
  for force in "" --force; do
    on "$A" export-configuration --file "$f" $force
    expect_error 2 "'$f' is " "not a regular file: an archive is written only as a new or regular file"
  done
done
[ -c "$dev" ] || fail "$dev is no longer a device"
[ -d "$OUTDIR/folder" ] && [ -p "$OUTDIR/fifo" ] && [ -L "$OUTDIR/link" ] || fail "a refused name was replaced"
[ "$(ls "$OUTDIR" | tr '\n' ' ')" = "fifo folder link $( [ "$dev" = /dev/null ] || echo 'null ')" ] ||
  fail "files left behind: $(ls "$OUTDIR" | tr '\n' ' ')"

tcase transfer-2.21 "an export is written to a new temporary file beside it and renamed: mode 0600, nothing left behind"
mkdir "$TMP/clean"
on "$A" export-configuration --file "$TMP/clean/a.zip"
expect_ok
on "$A" export-configuration --file "$TMP/clean/a.zip" --force
expect_ok
[ "$(ls -A "$TMP/clean")" = a.zip ] || fail "left behind: $(ls -A "$TMP/clean" | tr '\n' ' ')"
[ "$(stat -c %a "$TMP/clean/a.zip")" = 600 ] || fail "mode $(stat -c %a "$TMP/clean/a.zip")"

tcase transfer-2.22 "--force never replaces an archive by one with fewer workflows (5) unless --allow-shrink"
on "$A" export-configuration --file "$TMP/full.zip"
expect_ok
before=$(sha256sum <"$TMP/full.zip")
on "$A" export-configuration --file "$TMP/full.zip" --force --revision "$R_QUEUES"
expect_error 5 "'$TMP/full.zip' holds 2 workflows, the new archive only 0; give --allow-shrink"
on "$A" export-configuration --file "$TMP/full.zip" --force --revision "$R_QUEUES" --whatif
expect_error 5 "holds 2 workflows"
[ "$(sha256sum <"$TMP/full.zip")" = "$before" ] || fail "the archive was replaced"
on "$A" export-configuration --file "$TMP/full.zip" --force
expect_ok
on "$A" export-configuration --file "$TMP/full.zip" --force --revision "$R_QUEUES" --allow-shrink
expect_ok
[ "$(sections "$TMP/full.zip")" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=2 Queues=2 Workflows=0 " ] ||
  fail "--allow-shrink did not replace it: $(sections "$TMP/full.zip")"

tcase transfer-2.23 "an archive of no objects is refused (5) naming the owner and what the store holds, unless --allow-empty"
on "$A" export-configuration --file "$TMP/empty.zip" --owner service:ApplicationServer:nobody.example.com
expect_error 5 "the archive would hold no objects" "no object is owned by pool 'nobody.example.com' (--owner)" \
  "owned by '$PA'" "--allow-empty"
[ -e "$TMP/empty.zip" ] && fail "a file was written"
on "$A" export-configuration --file "$TMP/empty.zip" --owner nobody.example.com --allow-empty
expect_ok
[ "$(sections "$TMP/empty.zip")" = "AudioFiles=0 HoursOfBusiness=0 HolidaySets=0 AgentGroups=0 Queues=0 Workflows=0 " ] ||
  fail "sections: $(sections "$TMP/empty.zip")"
on "$TMP/new.db" --pool $PA set-configuration --agent-ringback-grace-period 45
expect_ok
on "$TMP/new.db" export-configuration --file "$TMP/empty2.zip"
expect_error 5 "the archive would hold no objects, only the service settings: the store holds none"

tcase transfer-2.24 "--owner takes a service identity in any letter case, as Lync's -Owner"
on "$A" export-configuration --file "$TMP/own1.zip" --owner $PA
expect_ok
on "$A" export-configuration --file "$TMP/own2.zip" --owner "SERVICE:ApplicationServer:$(echo $PA | tr a-z A-Z)"
expect_ok
[ "$(sections "$TMP/own2.zip")" = "$(sections "$TMP/own1.zip")" ] || fail "$(sections "$TMP/own2.zip")"
zip_entry "$TMP/own2.zip" manifest.yaml | grep -qix "Owner: $PA" || fail "the manifest's Owner is not the pool"

# --- 3. the DR runbook (reference 5.4) -----------------------------------------------------------

RB="$TMP/rb.db"

tcase transfer-3.1 "step 1: export the primary A"
on "$A" export-configuration --file "$TMP/primary.zip"
expect_ok

tcase transfer-3.2 "step 2: import into the backup B without --overwrite-owner"
in_store "$RB" --pool $PB new-queue BQ
in_store "$RB" set-configuration --agent-ringback-grace-period 45
on "$RB" import-configuration --file "$TMP/primary.zip"
expect_ok
expect_stdout_contains "10 added"

tcase transfer-3.3 "verify: hidden by default, shown by --show-all and --owner primary"
on "$RB" get-queue -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ" ] || fail "default: $(printf '%s' "$OUT" | names_in)"
on "$RB" get-queue --show-all -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ,Sales,Support" ] || fail "--show-all: $(printf '%s' "$OUT" | names_in)"
on "$RB" get-workflow --owner $PA -o json
[ "$(printf '%s' "$OUT" | names_in)" = "Ivr,Plain" ] || fail "--owner: $(printf '%s' "$OUT" | names_in)"
on "$RB" get-workflow -o json
[ -z "$(printf '%s' "$OUT" | names_in)" ] || fail "workflows shown by default"

tcase transfer-3.4 "change the imported objects on B: they stay owned by A"
on "$RB" set-queue Sales --timeout-threshold 300
expect_ok
on "$RB" set-agentgroup G1 --agent-alert-time 45 --add-agent sip:b1@example.com
expect_ok
on "$RB" get-agentgroup G1 -o json
expect_json 'AgentAlertTime=45' 'AgentsByUri=["sip:a1@example.com","sip:b1@example.com"]' "OwnerPool=\"$PA\""

tcase transfer-3.5 "step 3: export B --owner primary: A's objects only, with B's changes"
on "$RB" export-configuration --owner $PA --file "$TMP/updated.zip"
expect_ok
s=$(sections "$TMP/updated.zip")
[ "$s" = "AudioFiles=2 HoursOfBusiness=1 HolidaySets=1 AgentGroups=2 Queues=2 Workflows=2 " ] || fail "sections: $s"
zip_entry "$TMP/updated.zip" configuration.yaml | grep -q "Name: BQ" && fail "B's own queue exported"
zip_entry "$TMP/updated.zip" configuration.yaml | grep -q "TimeoutThreshold: 300" || fail "B's change not exported"

tcase transfer-3.6 "step 4: import into A with --overwrite-owner: A has B's changes, owned and parented by A"
ra=$(revision --store "$A")
on "$A" import-configuration --file "$TMP/updated.zip" --overwrite-owner
expect_ok
expect_stdout_contains "0 added, 2 updated" "~ queue 'Sales'" "~ agent group 'G1'"
expect_revision $((ra + 1)) --store "$A"
on "$A" get-queue Sales -o json
expect_json 'TimeoutThreshold=300' "OwnerPool=\"$PA\"" "Parent=\"service:ApplicationServer:$PA\""
on "$A" get-agentgroup -o json
expect_json '[0].Name="G1"' '[0].AgentAlertTime=45' '[0].AgentsByUri=["sip:a1@example.com","sip:b1@example.com"]'
on "$A" get-configuration -o json
expect_json 'AgentRingbackGracePeriod=90'
on "$A" get-queue --show-all -o json
[ "$(printf '%s' "$OUT" | names_in)" = "Sales,Support" ] || fail "A's queues: $(printf '%s' "$OUT" | names_in)"

tcase transfer-3.7 "step 5: clean B with --remove-exported-configuration: complete file, objects gone, one revision"
rb=$(revision --store "$RB")
on "$RB" export-configuration --owner $PA --remove-exported-configuration --file "$TMP/clean.zip"
expect_ok
expect_revision $((rb + 1)) --store "$RB"
[ -f "$TMP/clean.zip" ] || fail "no file written"
cmp -s <(zip_entry "$TMP/clean.zip" configuration.yaml) <(zip_entry "$TMP/updated.zip" configuration.yaml) ||
  fail "the clean-up archive does not hold what B had"
[ "$(zip_names "$TMP/clean.zip" | grep -c '^audio/')" = 2 ] || fail "the clean-up archive lacks audio"
for n in $NOUNS; do
  on "$RB" get-$n --show-all -o json
  [[ "$OUT" != *"$PA"* ]] || fail "B still has $n objects of $PA"
done
on "$RB" get-queue --show-all -o json
[ "$(printf '%s' "$OUT" | names_in)" = "BQ" ] || fail "B's queues: $(printf '%s' "$OUT" | names_in)"
on "$RB" test-configuration
expect_status 0
on "$A" import-configuration --file "$TMP/clean.zip" --whatif
expect_status 0
expect_stdout_contains "nothing would change"

tcase transfer-3.8 "--remove-exported-configuration leaves no dangling reference in B (refused, or B stays consistent)"
RCS="$TMP/rc.db"
in_store "$RCS" --pool $PB import-configuration --file "$TMP/primary.zip" --replace-existing-rgs-settings
in_store "$RCS" new-workflow BW --primary-uri sip:bw@example.com --default-action queue:Sales
rc0=$(revision --store "$RCS")
on "$RCS" export-configuration --owner $PA --remove-exported-configuration --file "$TMP/rc.zip"
if [ "$RC" = 0 ]; then
  bw_queue=$("$RGS" --store "$RCS" get-workflow BW -o json | python3 -S -c 'import json, sys; print(json.load(sys.stdin)["DefaultAction"]["QueueID"])')
  on "$RCS" get-queue "$bw_queue" --show-all
  expect_status 0
  on "$RCS" test-configuration
  expect_status 0
else
  expect_status 5
  expect_revision "$rc0" --store "$RCS"
fi

# --- 4. hostile and malformed archives -----------------------------------------------------------

T="$TMP/t.db"
HX="$TMP/hostile"
mkdir -p "$HX"

tcase transfer-4.0 "build the corpus from a valid archive; the rebuilt valid one imports"
in_store "$T" --pool $PB new-queue BQ
in_store "$T" set-configuration --agent-ringback-grace-period 45
cat >"$TMP/mk.py" <<'PYEOF'
# mk.py VALID.zip OUTDIR: the archives of transfer-4.*, each derived from VALID.zip; OUTDIR/LINES
# gives "case line" for the YAML cases and the SHA-256 of made-up audio entries.
import hashlib, os, re, sys, warnings, zipfile

src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z:
    ENTRIES = [(i.filename, z.read(i.filename)) for i in z.infolist()]
CONFIG = dict(ENTRIES)["configuration.yaml"].decode()
AUDIO = [(n, b) for n, b in ENTRIES if n.startswith("audio/")]
info = []

def sha(b): return hashlib.sha256(b).hexdigest()

def manifest(files, version=1):
    m = "FormatVersion: %d\nSourcePool: pool-a.example.com\nSourceRevision: 1\n" % version
    m += "ExportedRevisionTime: 2026-01-01T00:00:00Z\nOwner: null\nEntries:\n"
    for n, b in files:
        m += "  - Name: %s\n    Bytes: %d\n    Sha256: %s\n" % (n, len(b), sha(b))
    return m.encode()

def write(name, files, extra=(), version=1, with_manifest=True, method=zipfile.ZIP_DEFLATED, listed=None):
    """files: the entries, listed in the manifest; extra: (name, bytes[, external_attr]) not listed."""
    with zipfile.ZipFile(os.path.join(out, name), "w", method) as z:
        if with_manifest:
            z.writestr("manifest.yaml", manifest(listed if listed is not None else files, version))
        for n, b in files:
            z.writestr(n, b)
        for e in extra:
            zi = zipfile.ZipInfo(e[0], date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = method
            if len(e) > 2:
                zi.create_system = 3
                zi.external_attr = e[2]
            z.writestr(zi, e[1])

def files_of(cfg): return [("configuration.yaml", cfg.encode())] + AUDIO

def line_of(text, needle):
    for i, l in enumerate(text.split("\n"), 1):
        if needle in l:
            return i
    raise SystemExit("no line with %r" % needle)

warnings.simplefilter("ignore")   # zipfile warns about the duplicate name
write("valid.zip", files_of(CONFIG))
write("dotdot.zip", files_of(CONFIG), extra=[("../evil", b"evil\n")])
write("absolute.zip", files_of(CONFIG), extra=[("/etc/evil", b"evil\n")])
write("audio-dotdot.zip", files_of(CONFIG), extra=[("audio/../../x", b"evil\n")])
write("symlink.zip", files_of(CONFIG), extra=[("audio/link", b"/etc/passwd", 0o120777 << 16)])
write("directory.zip", files_of(CONFIG), extra=[("audio/sub/", b"", (0o40755 << 16) | 0x10)])
write("duplicate.zip", files_of(CONFIG), extra=[("configuration.yaml", CONFIG.encode())])
big = b"RIFF" + b"\0" * (5 * 1024 * 1024)
write("too-big.zip", files_of(CONFIG) + [("audio/%s.wav" % sha(big), big)])
info.append("big-sha %s" % sha(big))
write("stored.zip", files_of(CONFIG), method=zipfile.ZIP_STORED)   # sizes edited in place by the test
i = CONFIG.index("AgentAlertTime: 20")
write("checksum.zip", files_of(CONFIG[:i] + "AgentAlertTime: 25" + CONFIG[i + 18:]), listed=files_of(CONFIG))
write("format2.zip", files_of(CONFIG), version=2)
write("no-manifest.zip", files_of(CONFIG), with_manifest=False)
junk = b"x" * 64
write("unlisted-audio.zip", files_of(CONFIG), extra=[("audio/%s.wav" % sha(junk), junk)])
info.append("unlisted-sha %s" % sha(junk))
write("unlisted-other.zip", files_of(CONFIG), extra=[("notes.txt", b"hello\n")])
cfg = CONFIG.replace("AgentAlertTime: 20", 'AgentAlertTime: "soon"', 1)
write("wrong-type.zip", files_of(cfg)); info.append("wrong-type %d" % line_of(cfg, '"soon"'))
cfg = CONFIG.replace("    AgentAlertTime: 20\n", "    AgentAlertTime: 20\n    Colour: red\n", 1)
write("unknown-property.zip", files_of(cfg)); info.append("unknown-property %d" % line_of(cfg, "Colour"))
m = re.compile(r"AgentGroupIDList:\n\s+- (\S+)/([0-9a-f-]{36})").search(CONFIG, CONFIG.index("\nQueues:"))
ghost = "service:ApplicationServer:pool-a.example.com/00000000-0000-4000-8000-00000000dead"
cfg = CONFIG[:m.start(1)] + ghost + CONFIG[m.end(2):]
write("dangling.zip", files_of(cfg)); info.append("dangling %d" % line_of(cfg, "00000000dead"))
a = CONFIG.index("\nAgentGroups:\n") + len("\nAgentGroups:\n")
b = CONFIG.index("\n  - Identity:", a) + 1
cfg = CONFIG[:b] + CONFIG[a:b].replace("Name: G1\n", "Name: G9\n") + CONFIG[b:]
write("same-identity.zip", files_of(cfg)); info.append("same-identity %d" % (CONFIG[:b].count("\n") + 1))
bad = b"this is not a WAV file at all\n"
old_name = AUDIO[-1][0]
cfg = CONFIG.replace(old_name[6:70], sha(bad))
write("not-wav.zip", [("configuration.yaml", cfg.encode())] + AUDIO[:-1] + [("audio/%s.wav" % sha(bad), bad)])
info.append("not-wav-sha %s" % sha(bad))
bomb = "".join("X%d: &x%d [%s]\n" % (i, i, "a, a" if i == 0 else "*x%d, *x%d" % (i - 1, i - 1)) for i in range(40))
write("alias-bomb.zip", files_of(CONFIG.replace("ServiceSettings:", bomb + "ServiceSettings:", 1)))
with open(os.path.join(out, "LINES"), "w") as f:
    f.write("\n".join(info) + "\n")
PYEOF
cat >"$TMP/resize.py" <<'PYEOF'
# resize.py IN OUT ENTRY DELTA: add DELTA to the uncompressed size ENTRY declares in its local
# header and in the central directory; its bytes stay as they are.
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
name, delta, done, i = sys.argv[3].encode(), int(sys.argv[4]), 0, 0
while True:
    j, k = data.find(b"PK\x03\x04", i), data.find(b"PK\x01\x02", i)
    if j < 0 and k < 0:
        break
    if j >= 0 and (k < 0 or j < k):
        at, n, nm, i = j + 22, struct.unpack_from("<H", data, j + 26)[0], j + 30, j + 4
    else:
        at, n, nm, i = k + 24, struct.unpack_from("<H", data, k + 28)[0], k + 46, k + 4
    if bytes(data[nm:nm + n]) == name:
        struct.pack_into("<I", data, at, struct.unpack_from("<I", data, at)[0] + delta)
        done += 1
if done != 2:
    raise SystemExit("edited %d headers, not 2" % done)
open(sys.argv[2], "wb").write(bytes(data))
PYEOF
python3 "$TMP/mk.py" "$TMP/primary.zip" "$HX" || fail "cannot build the corpus"
python3 "$TMP/resize.py" "$HX/stored.zip" "$HX/size-larger.zip" configuration.yaml 10 || fail "cannot edit sizes"
python3 "$TMP/resize.py" "$HX/stored.zip" "$HX/size-smaller.zip" configuration.yaml -10 || fail "cannot edit sizes"
head -c $(($(stat -c %s "$TMP/primary.zip") / 2)) "$TMP/primary.zip" >"$HX/truncated.zip"
printf 'PK this is not a zip archive\n' >"$HX/not-a-zip.zip"
info() { sed -n "s/^$1 //p" "$HX/LINES"; }
T_REV=$(revision --store "$T")
T_SUM=$(sha256sum "$T" | cut -d' ' -f1)
"$RGS" --store "$T" export-configuration --file "$TMP/t-base.zip" || fail "cannot export the target"
on "$T" import-configuration --file "$HX/valid.zip" --overwrite-owner --replace-existing-rgs-settings --whatif
expect_status 0
expect_stdout_contains "+ workflow 'Ivr'"
on "$T" import-configuration --file "$HX/stored.zip" --whatif
expect_status 0

# refused N ZIP SUBSTRING...: importing ZIP (with every switch that writes) fails with exit N,
# naming each SUBSTRING, and the store is unchanged: the file's SHA-256, its revision, its export.
n_export=0
refused() {
  local n=$1 zip=$2
  shift 2
  on "$T" import-configuration --file "$zip" --overwrite-owner --replace-existing-rgs-settings --resolve-name-conflicts
  expect_error "$n" "$@"
  [ "$(sha256sum "$T" | cut -d' ' -f1)" = "$T_SUM" ] || fail "the store file changed"
  expect_revision "$T_REV" --store "$T"
  n_export=$((n_export + 1))
  "$RGS" --store "$T" export-configuration --file "$TMP/t-after-$n_export.zip" 2>/dev/null
  cmp -s "$TMP/t-base.zip" "$TMP/t-after-$n_export.zip" || fail "the store's export changed"
}

tcase transfer-4.1 "an entry named ../evil"
refused 5 "$HX/dotdot.zip" "../evil"
tcase transfer-4.2 "an entry named /etc/evil"
refused 5 "$HX/absolute.zip" "/etc/evil"
tcase transfer-4.3 "an entry named audio/../../x"
refused 5 "$HX/audio-dotdot.zip" "audio/../../x"
tcase transfer-4.4 "a symlink entry"
refused 5 "$HX/symlink.zip" "audio/link" "link"
tcase transfer-4.5 "a directory entry"
refused 5 "$HX/directory.zip" "audio/sub/" "directory"
tcase transfer-4.6 "a duplicate entry name"
refused 5 "$HX/duplicate.zip" "configuration.yaml" "twice"
tcase transfer-4.7 "an audio entry over its 4 MiB limit"
refused 5 "$HX/too-big.zip" "audio/$(info big-sha).wav" "4194304"
tcase transfer-4.8 "an entry larger than its header declares"
refused 5 "$HX/size-smaller.zip" "configuration.yaml"
tcase transfer-4.9 "an entry smaller than its header declares"
refused 5 "$HX/size-larger.zip" "configuration.yaml"
tcase transfer-4.10 "a checksum mismatch (configuration.yaml changed, manifest kept)"
refused 5 "$HX/checksum.zip" "configuration.yaml" "checksum"
tcase transfer-4.11 "an unknown FormatVersion (2)"
refused 5 "$HX/format2.zip" "manifest.yaml:" "FormatVersion" "2"
tcase transfer-4.12 "a missing manifest"
refused 5 "$HX/no-manifest.zip" "manifest.yaml" "missing"
tcase transfer-4.13 "an unlisted extra entry (an audio name, another name)"
refused 5 "$HX/unlisted-audio.zip" "audio/$(info unlisted-sha).wav" "manifest"
refused 5 "$HX/unlisted-other.zip" "notes.txt"
tcase transfer-4.14 "a truncated zip (cut in half)"
refused 5 "$HX/truncated.zip" "truncated.zip"
printf '%s' "$ERR" | grep -Eq 'configuration.yaml|audio/|manifest.yaml|truncated or corrupt' || fail "no entry named"
tcase transfer-4.15 "a file that is not a zip at all"
refused 5 "$HX/not-a-zip.zip" "not-a-zip.zip" "zip"
tcase transfer-4.16 "YAML: a wrong type (AgentAlertTime: \"soon\") at its line"
refused 5 "$HX/wrong-type.zip" "configuration.yaml:$(info wrong-type):" "AgentGroups[0].AgentAlertTime"
tcase transfer-4.17 "YAML: an unknown property at its line"
refused 5 "$HX/unknown-property.zip" "configuration.yaml:$(info unknown-property):" "Colour"
tcase transfer-4.18 "YAML: a queue naming an agent group neither in the archive nor in the store"
refused 5 "$HX/dangling.zip" "configuration.yaml:$(info dangling):" "Queues[0].AgentGroupIDList[0]" "00000000-0000-4000-8000-00000000dead"
tcase transfer-4.19 "YAML: two objects with the same identity"
refused 5 "$HX/same-identity.zip" "configuration.yaml:$(info same-identity):" "AgentGroups[1].Identity" "twice"
tcase transfer-4.20 "an audio entry that is not a valid WAV"
refused 5 "$HX/not-wav.zip" "audio/$(info not-wav-sha).wav" "WAV"
printf '%s' "$ERR" | grep -Eq 'configuration.yaml:[0-9]+:[0-9]+: AudioFiles\[' || fail "no line:column of the audio file"
tcase transfer-4.20b "YAML whose aliases would expand a few kilobytes to 2^40 nodes"
refused 5 "$HX/alias-bomb.zip" "configuration.yaml" "aliases expand the document too far"

tcase transfer-4.21 "a missing archive is an I/O problem: exit 1, store unchanged"
refused 1 "$HX/no-such-file.zip" "no-such-file.zip"

finish
