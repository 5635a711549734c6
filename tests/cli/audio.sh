#!/bin/bash
# Black-box tests of the audio file cmdlets: import-, get-, remove-audiofile.
. "$(dirname "$0")/lib.sh"

plan audio \
  "import-audiofile: the accepted formats (8/16-bit PCM, mono/stereo, A-law, mu-law), warnings" \
  "import-audiofile: refused files (24-bit, 3 channels, float, WMA, text, truncated, over 4 MB): exit 5" \
  "import-audiofile: usage (2), missing file (1), duplicate name (4)" \
  "content stored once: the same bytes under two names share one SHA-256" \
  "get-audiofile: list, by name, by SHA-256, --save writes the exact bytes, not found" \
  "referring to audio by name and by SHA-256 from settings, queues and workflows" \
  "remove-audiofile: unused, used by the service settings or a prompt (--force), not found"

W=$TMP/wav
mkdir -p "$W"
# One python run makes every file: the standard wave module, and raw bytes for the odd cases.
python3 -S - "$W" <<'EOF'
import os, struct, sys, wave
d = sys.argv[1]
def w(name, ch, width, rate, frames=800):
    with wave.open(os.path.join(d, name), "wb") as f:
        f.setnchannels(ch); f.setsampwidth(width); f.setframerate(rate)
        f.writeframes(bytes((i * 7) % 256 for i in range(frames * ch * width)))
w("good.wav", 1, 2, 16000)        # 16 kHz 16-bit mono: no warning
w("copy.wav", 1, 2, 16000)        # the same bytes as good.wav
w("pcm8.wav", 1, 1, 8000)
w("stereo16.wav", 2, 2, 16000)
w("stereo8.wav", 2, 1, 22050)
w("pcm16k8.wav", 1, 2, 8000)
w("pcm24.wav", 1, 3, 16000)
def raw(name, tag, ch, bits, rate, data=b"\x55" * 800):
    align = ch * bits // 8
    fmt = struct.pack("<HHIIHH", tag, ch, rate, rate * align, align, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    open(os.path.join(d, name), "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
raw("alaw.wav", 6, 1, 8, 8000)
raw("mulaw.wav", 7, 1, 8, 8000)
raw("three.wav", 1, 3, 16, 16000, b"\0" * 600)
raw("float.wav", 3, 1, 32, 16000)
raw("exact.wav", 1, 1, 16, 16000, b"\0" * (4194304 - 44))    # exactly 4 MB: accepted
raw("big.wav", 1, 1, 16, 16000, b"\0" * (4194304 - 44 + 2))   # 4194306 bytes: refused
open(os.path.join(d, "song.wma"), "wb").write(bytes.fromhex("3026B2758E66CF11A6D900AA0062CE6C") + b"\0" * 200)
open(os.path.join(d, "notes.txt"), "w").write("this is not audio\n")
good = open(os.path.join(d, "good.wav"), "rb").read()
open(os.path.join(d, "truncated.wav"), "wb").write(good[:len(good) // 2])
open(os.path.join(d, "header.wav"), "wb").write(good[:30])
EOF
[ -s "$W/good.wav" ] && [ -s "$W/big.wav" ] || { echo "cannot make the WAV files" >&2; exit 1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
GOOD_SHA=$(sha "$W/good.wav")
PCM8_SHA=$(sha "$W/pcm8.wav")

# --- 1. accepted formats -------------------------------------------------------------------------

tcase audio-1.1 "16 kHz 16-bit mono PCM: imported, no warning, name defaults to the file name"
r0=$(revision)
run import-audiofile --file "$W/good.wav" -o json
expect_ok
expect_json 'Name="good.wav"' 'FileName="good.wav"' "Sha256=\"$GOOD_SHA\"" 'Encoding="PCM"' 'SampleRate=16000' \
  'BitsPerSample=16' 'Channels=1' "Bytes=$(stat -c %s "$W/good.wav")" 'DurationMs=50' 'Identity?'
expect_revision $((r0 + 1))

tcase audio-1.2 "8-bit mono PCM: imported with a warning that 16 kHz 16-bit mono is recommended"
run import-audiofile --file "$W/pcm8.wav" --name Pcm8 -o json
expect_warning "16 kHz 16-bit mono" "Pcm8"
expect_json 'Name="Pcm8"' 'FileName="pcm8.wav"' 'BitsPerSample=8' 'SampleRate=8000' 'Encoding="PCM"'

tcase audio-1.3 "16-bit stereo: imported with a warning"
run import-audiofile --file "$W/stereo16.wav" --name Stereo16 -o json
expect_warning "stereo" "16 kHz 16-bit mono"
expect_json 'Channels=2' 'BitsPerSample=16'

tcase audio-1.4 "8-bit stereo at 22050 Hz: imported with a warning"
run import-audiofile --file "$W/stereo8.wav" --name Stereo8 -o json
expect_warning "22050" "16 kHz 16-bit mono"
expect_json 'Channels=2' 'BitsPerSample=8' 'SampleRate=22050'

tcase audio-1.5 "16-bit mono at 8 kHz: imported with a warning"
run import-audiofile --file "$W/pcm16k8.wav" --name Narrow
expect_warning "8000 Hz" "16 kHz 16-bit mono"

tcase audio-1.6 "A-law (format tag 6) and mu-law (format tag 7): imported"
run import-audiofile --file "$W/alaw.wav" --name Alaw -o json
expect_warning "16 kHz 16-bit mono"
expect_json 'Encoding="A-law"' 'BitsPerSample=8'
run import-audiofile --file "$W/mulaw.wav" --name Mulaw -o json
expect_warning "16 kHz 16-bit mono"
expect_json 'Encoding="mu-law"' 'BitsPerSample=8'

tcase audio-1.7 "a file of exactly 4194304 bytes is accepted"
run import-audiofile --file "$W/exact.wav" --name Exact -o json
expect_ok
expect_json 'Bytes=4194304'

tcase audio-1.8 "list output of an import"
run import-audiofile --file "$W/good.wav" --name GoodList
expect_ok
expect_stdout_line "$(printf '%-13s : %s' Name GoodList)"
expect_stdout_line "$(printf '%-13s : %s' Sha256 "$GOOD_SHA")"

# --- 2. refused files ----------------------------------------------------------------------------

tcase audio-2.1 "24-bit samples: exit 5 saying why, nothing written"
r0=$(revision)
run import-audiofile --file "$W/pcm24.wav"
expect_error 5 "pcm24.wav" "24-bit"
expect_revision "$r0"
run get-audiofile pcm24.wav
expect_status 3

tcase audio-2.2 "3 channels: exit 5 saying why"
run import-audiofile --file "$W/three.wav"
expect_error 5 "three.wav" "3 channels"

tcase audio-2.3 "IEEE float (format tag 3): exit 5 naming the encoding"
run import-audiofile --file "$W/float.wav"
expect_error 5 "float.wav" "encoding 3"

tcase audio-2.4 "a WMA file: exit 5 saying it is WMA"
run import-audiofile --file "$W/song.wma"
expect_error 5 "song.wma" "WMA"

tcase audio-2.5 "a text file: exit 5, not a WAV file"
run import-audiofile --file "$W/notes.txt"
expect_error 5 "notes.txt" "not a WAV file"

tcase audio-2.6 "a truncated file and a header cut in its fmt chunk: exit 5, truncated"
run import-audiofile --file "$W/truncated.wav"
expect_error 5 "truncated.wav" "truncated"
run import-audiofile --file "$W/header.wav"
expect_error 5 "header.wav" "truncated"

tcase audio-2.7 "over 4194304 bytes: exit 5 giving the size and the limit"
run import-audiofile --file "$W/big.wav"
expect_error 5 "big.wav" "4194306" "4194304"

tcase audio-2.8 "an empty file: exit 5"
: >"$W/empty.wav"
run import-audiofile --file "$W/empty.wav"
expect_error 5 "empty.wav"
expect_revision "$r0"

# --- 3. usage, missing, duplicate ----------------------------------------------------------------

tcase audio-3.1 "no --file: exit 2"
run import-audiofile --name Nothing
expect_error 2 "--file"

tcase audio-3.2 "surplus argument: exit 2"
run import-audiofile --file "$W/good.wav" extra
expect_error 2 "extra"

tcase audio-3.3 "a missing file: exit 1 naming it"
run import-audiofile --file "$W/missing.wav"
expect_error 1 "missing.wav"

tcase audio-3.4 "a folder or a device: exit 2, as every file option (a regular file only)"
run import-audiofile --file "$W"
expect_error 2 "--file: '$W' is a folder, not a regular file"
run import-audiofile --file /dev/zero
expect_error 2 "--file: '/dev/zero' is a device, not a regular file"

tcase audio-3.5 "an audio file name already used (any case): exit 4, nothing written"
r0=$(revision)
run import-audiofile --file "$W/pcm8.wav" --name PCM8
expect_error 4 "already exists"
expect_revision "$r0"

# --- 4. content stored once ----------------------------------------------------------------------

tcase audio-4.1 "the same bytes under two names give the same Sha256"
run import-audiofile --file "$W/copy.wav" --name Copy -o json
expect_ok
expect_json "Sha256=\"$GOOD_SHA\"" 'FileName="copy.wav"'

tcase audio-4.2 "the bytes are stored once in the store"
n=$(sqlite3 "$RGS_STORE" "select count(*) from audio_blobs" 2>/dev/null)
if [ -n "$n" ]; then
  want=$(sqlite3 "$RGS_STORE" "select count(distinct json_extract(doc, '$.Sha256')) from objects where kind = 'audiofile'" 2>/dev/null)
  [ -z "$want" ] || [ "$n" = "$want" ] || fail "expected $want stored contents, got $n"
fi

tcase audio-4.3 "removing one name keeps the content for the other"
setup import-audiofile --file "$W/good.wav" --name Twin
run remove-audiofile Twin
expect_ok
run get-audiofile Copy --save "$TMP/copy.out"
expect_ok
cmp -s "$TMP/copy.out" "$W/good.wav" || fail "the saved bytes differ"

# --- 5. get --------------------------------------------------------------------------------------

tcase audio-5.1 "get-audiofile lists every audio file"
run get-audiofile -o json
expect_ok
expect_json '[0].Sha256?' '[0].Encoding?' '[0].DurationMs?'
printf '%s' "$OUT" | grep -q '"Name": "Mulaw"' || fail "Mulaw not listed"

tcase audio-5.2 "get-audiofile NAME, any case"
run get-audiofile mulaw
expect_ok
expect_stdout_line "$(printf '%-13s : %s' Name Mulaw)"
expect_stdout_line "$(printf '%-13s : %s' Encoding mu-law)"

tcase audio-5.3 "get-audiofile SHA-256"
run get-audiofile "$PCM8_SHA" -o json
expect_ok
expect_json 'Name="Pcm8"' "Sha256=\"$PCM8_SHA\""

tcase audio-5.4 "--save OUT writes the very bytes imported (cmp), for each format"
for pair in Pcm8:pcm8.wav Stereo16:stereo16.wav Alaw:alaw.wav Mulaw:mulaw.wav Exact:exact.wav good.wav:good.wav; do
  run get-audiofile "${pair%%:*}" --save "$TMP/saved.wav"
  expect_ok
  expect_stdout_empty
  cmp -s "$TMP/saved.wav" "$W/${pair##*:}" || fail "${pair%%:*}: the saved bytes differ from ${pair##*:}"
done

tcase audio-5.5 "--save by SHA-256"
run get-audiofile "$PCM8_SHA" --save "$TMP/bysha.wav"
expect_ok
cmp -s "$TMP/bysha.wav" "$W/pcm8.wav" || fail "the saved bytes differ"

tcase audio-5.6 "--save without a name: exit 2; to an unwritable path: exit 1"
run get-audiofile --save "$TMP/x.wav"
expect_error 2 "--save"
run get-audiofile Pcm8 --save "$TMP/no/such/dir/x.wav"
expect_error 1 "x.wav"

tcase audio-5.7 "not found: exit 3 (name, SHA-256, --save)"
run get-audiofile Nowhere
expect_error 3 "audio file 'Nowhere' not found"
run get-audiofile 0000000000000000000000000000000000000000000000000000000000000000
expect_error 3 "not found"
run get-audiofile Nowhere --save "$TMP/n.wav"
expect_error 3 "Nowhere"
[ -e "$TMP/n.wav" ] && fail "--save of a missing audio file created the output file"

# --- 6. references -------------------------------------------------------------------------------

tcase audio-6.1 "set-configuration --default-music-on-hold-file SHA-256"
run set-configuration --default-music-on-hold-file "$PCM8_SHA"
expect_ok
pcm8_id=$("$RGS" get-audiofile Pcm8 -o json | sed -n 's/^  "Identity": "\(.*\)",$/\1/p')
run get-configuration -o json
expect_json "DefaultMusicOnHoldFile=\"$pcm8_id\""

tcase audio-6.2 "a queue prompt by name (audio:NAME) and a workflow's hold music by SHA-256"
run new-queue AudioQ --timeout-threshold 30 --timeout-action terminate --timeout-prompt audio:Alaw -o json
expect_ok
expect_json 'TimeoutAction.Prompt.AudioFilePrompt?'
alaw_sha=$(sha "$W/alaw.wav")
run new-workflow AudioW --primary-uri sip:audio-w@example.com --default-action queue:AudioQ \
  --default-prompt audio:Mulaw --default-prompt "text:Welcome" --custom-music-on-hold-file "$alaw_sha" -o json
expect_ok
expect_json 'CustomMusicOnHoldFile?' 'DefaultAction.Prompt.TextToSpeechPrompt="Welcome"'

tcase audio-6.3 "an unknown audio name or SHA-256 in a reference: exit 3"
run set-configuration --default-music-on-hold-file Nowhere
expect_error 3 "Nowhere"
run new-queue AudioQ2 --timeout-threshold 30 --timeout-action terminate --timeout-prompt audio:Nowhere
expect_error 3 "Nowhere"
run set-workflow AudioW --custom-music-on-hold-file ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
expect_error 3 "not found"

# --- 7. remove -----------------------------------------------------------------------------------

tcase audio-7.1 "an unused audio file: removed, no output, one revision"
r0=$(revision)
run remove-audiofile Stereo8
expect_ok
expect_stdout_empty
expect_revision $((r0 + 1))
run get-audiofile Stereo8
expect_status 3

tcase audio-7.2 "removal by SHA-256"
run remove-audiofile "$(sha "$W/pcm16k8.wav")"
expect_ok
run get-audiofile Narrow
expect_status 3

tcase audio-7.3 "used by the service settings: exit 5 without --force, naming them"
r0=$(revision)
run remove-audiofile Pcm8
expect_error 5 "service settings" "--force"
expect_revision "$r0"
run get-audiofile Pcm8
expect_status 0

tcase audio-7.4 "used by a queue prompt: exit 5 naming the queue"
run remove-audiofile Alaw
expect_error 5 "queue 'AudioQ'"
expect_revision "$r0"

tcase audio-7.5 "used by a workflow prompt: exit 5 naming the workflow"
run remove-audiofile Mulaw
expect_error 5 "workflow 'AudioW'"
expect_revision "$r0"

tcase audio-7.6 "with --force: removed, with a warning naming the user"
run remove-audiofile Pcm8 --force
expect_status 0
expect_stdout_empty
expect_stderr_contains "rgs: warning:" "service settings"
run get-audiofile Pcm8
expect_status 3

tcase audio-7.7 "no IDENTITY / surplus: exit 2; not found: exit 3"
run remove-audiofile
expect_error 2
run remove-audiofile Alaw Mulaw
expect_error 2 "Mulaw"
run remove-audiofile Nowhere
expect_error 3 "audio file 'Nowhere' not found"

finish
