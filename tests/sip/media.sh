#!/bin/bash
# Media on real calls: the welcome prompt (an imported WAV) before the music on hold, the RTP
# a caller receives (payload type, sequence numbers, timestamps, marker, 20 ms spacing), in PCMU
# and in G.722; a question answered with a key while its text-to-speech prompt plays, the key
# sent as an RFC 4733 event, as a SIP INFO (dtmf-relay), or as a tone pair in the caller's audio;
# a spoken welcome the caller records holds the prompt's words (pocketsphinx), and a spoken answer.
. "$(dirname "$0")/lib.sh"

plan sip-media \
  "a welcome prompt from an audio file, then the music on hold, in well-formed 20 ms RTP" \
  "an interactive question: a key pressed during the spoken prompt routes the caller" \
  "G.722: a caller that offers it first gets it, in well-formed 20 ms RTP, the welcome prompt first" \
  "a whole interactive workflow: welcome, two questions, music on hold; and the after-hours prompt" \
  "voice: the text-to-speech welcome a caller hears is recognised, and a spoken answer routes the caller"

# A 1 kHz tone of 1 s at 16 kHz (rgsd resamples it to 8 kHz): easy to recognise in what the
# caller hears, and nothing like the music.
python3 - "$TMP/beep.wav" <<'EOF'
import math, struct, sys, wave
w = wave.open(sys.argv[1], "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000)
w.writeframes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 1000 * i / 16000))) for i in range(16000)))
w.close()
EOF
setup -q import-audiofile --file "$TMP/beep.wav" --name Beep
setup -q new-agentgroup Away --agent sip:nobody@example.com
setup -q new-queue Hold --agent-group Away
setup -q new-queue Sales --agent-group Away
setup -q new-queue Support --agent-group Away
setup -q new-workflow Welcome --primary-uri sip:welcome@example.com --active true \
  --default-prompt audio:Beep --default-action queue:Hold
cat >"$TMP/q.yaml" <<'EOF'
Name: Menu
Prompt: {TextToSpeechPrompt: "Thank you for calling. Press 1 for sales, or 2 for support."}
AnswerList:
  - Name: Sales
    DtmfResponse: "1"
    Action: {Action: TransferToQueue, QueueID: Sales}
  - Name: Support
    DtmfResponse: "2"
    Action: {Action: TransferToQueue, QueueID: Support}
EOF
setup -q new-workflow Menu --primary-uri sip:menu@example.com --active true --default-action question \
  --question-file "$TMP/q.yaml"
# A whole interactive workflow: a spoken welcome, two levels of questions, music on hold; and one
# that is closed: the after-hours prompt (the WAV), then the call ends.
setup -q new-queue Billing --agent-group Away
cat >"$TMP/desk.yaml" <<'EOF'
Name: Desk
Prompt: {TextToSpeechPrompt: "Press 1 for help with an account."}
AnswerList:
  - Name: Accounts
    DtmfResponse: "1"
    Action:
      Action: TransferToQuestion
      Question:
        Name: Topic
        Prompt: {TextToSpeechPrompt: "Press 2 for billing, or 3 for passwords."}
        AnswerList:
          - Name: Billing
            DtmfResponse: "2"
            Action: {Action: TransferToQueue, QueueID: Billing}
          - Name: Passwords
            DtmfResponse: "3"
            Action: {Action: TransferToQueue, QueueID: Support}
EOF
setup -q new-workflow Desk --primary-uri sip:desk@example.com --active true --default-prompt "text:Welcome to the desk." \
  --default-action question --question-file "$TMP/desk.yaml"
setup -q new-hoursofbusiness Never
setup -q new-workflow Closed --primary-uri sip:closed@example.com --active true --business-hours Never \
  --default-action queue:Hold --non-business-hours-prompt audio:Beep --non-business-hours-action terminate
setup -q new-workflow Spoken --primary-uri sip:spoken@example.com --active true --language en-US \
  --default-prompt "text:Thank you for calling the billing department." --default-action queue:Hold
cat >"$TMP/voice.yaml" <<'EOF'
Name: Voice
Prompt: {TextToSpeechPrompt: "Say billing, or press 2 for sales."}
AnswerList:
  - Name: Billing
    VoiceResponseList: [billing, accounts]
    Action: {Action: TransferToQueue, QueueID: Billing}
  - Name: Sales
    DtmfResponse: "2"
    VoiceResponseList: [sales]
    Action: {Action: TransferToQueue, QueueID: Sales}
EOF
setup -q new-workflow Voice --primary-uri sip:voice@example.com --active true --language en-US \
  --default-action question --question-file "$TMP/voice.yaml"

start_rgsd || exit 1

tcase sip-media-1.1 "the caller hears the welcome WAV (1 s) first, then music; PCMU in 20 ms packets, in order"
CMD="mediacaller welcome"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" welcome 3 --tone 1000); RC=0
echo "$OUT" >"$TMP/welcome.json"
python3 - "$TMP/welcome.json" <<'EOF' || fail "what the caller heard: $OUT"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200, "status"
assert r["packets"] >= 140, "packets"
assert r["payload_types"] == [0], "payload type"
assert r["seq_ok"] and r["ts_ok"] and r["marker_first"], "sequence, timestamps or marker"
assert 0 <= r["tone_first"] <= 2, "the welcome prompt does not come first"
assert 46 <= r["tone_last"] <= 52, "the welcome prompt is not 1 s long"
assert r["sound_after_tone"] >= 80, "no music after the welcome prompt"
EOF
expect_log "call [0-9]+: waiting in queue 'Hold'"

tcase sip-media-2.1 "a key pressed during the question's spoken prompt (RFC 4733) routes the caller to its queue"
n=$(log_count "waiting in queue 'Support'")
CMD="mediacaller menu --key 2"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" menu 3 --key 2 --key-at 1); RC=0
echo "$OUT" | grep -q '"status": 200' || fail "the call was not answered: $OUT"
expect_log "question 'Menu' answered 'Support'"
wait_more "waiting in queue 'Support'" "$n" 10 || fail "the caller did not reach the queue Support"
[ "$(log_count "waiting in queue 'Sales'")" = 0 ] || fail "a caller reached Sales"

tcase sip-media-2.2 "a key pressed as a tone pair (in-band, no telephone-events offered) routes the caller"
n=$(log_count "waiting in queue 'Sales'")
CMD="mediacaller menu --no-events --key 1 --key-by inband"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" menu 3 --no-events --key 1 --key-by inband \
  --key-at 1); RC=0
echo "$OUT" | grep -q '"status": 200' || fail "the call was not answered: $OUT"
echo "$OUT" | grep -q '"answer_formats": \[0\]' || fail "rgsd offered telephone-events the caller did not: $OUT"
wait_more "waiting in queue 'Sales'" "$n" 10 || fail "the caller did not reach the queue Sales: $OUT"

tcase sip-media-2.3 "a key sent as SIP INFO (dtmf-relay) routes the caller; an INFO of another type gets 415 with Accept"
n=$(log_count "waiting in queue 'Support'")
CMD="mediacaller menu --key 2 --key-by info"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" menu 3 --key 2 --key-by info --key-at 1); RC=0
echo "$OUT" >"$TMP/info.json"
python3 - "$TMP/info.json" <<'EOF2' || fail "the answers to the INFOs: $OUT"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200, "status"
assert r["info_status"] == 200, "the dtmf-relay INFO"
assert r["info_bad_status"] == 415, "the text/plain INFO"
assert "application/dtmf-relay" in (r["info_accept"] or ""), "Accept"
EOF2
wait_more "waiting in queue 'Support'" "$n" 10 || fail "the caller did not reach the queue Support"

tcase sip-media-3.1 "a caller offering G.722 before PCMU gets G.722: 160-byte frames, 8 kHz timestamps, the WAV first"
CMD="mediacaller welcome --codec g722"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" welcome 3 --tone 1000 --codec g722 \
  --g722-decoder "${RGS_G722_DECODE:-$(dirname "$RGSD")/tests/rgs-g722-decode}"); RC=0
echo "$OUT" >"$TMP/g722.json"
python3 - "$TMP/g722.json" <<'EOF2' || fail "what the G.722 caller heard: $OUT"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200, "status"
assert r["answer_formats"][0] == 9, "G.722 not chosen"
assert r["packets"] >= 140, "packets"
assert r["payload_types"] == [9], "payload type"
assert r["payload_sizes"] == [160], "payload size"
assert r["seq_ok"] and r["ts_ok"] and r["marker_first"], "sequence, timestamps or marker"
assert 0 <= r["tone_first"] <= 2, "the welcome prompt does not come first"
assert 46 <= r["tone_last"] <= 52, "the welcome prompt is not 1 s long"
assert r["sound_after_tone"] >= 80, "no music after the welcome prompt"
EOF2


tcase sip-media-4.1 "a whole IVR: spoken welcome, a question, a second-level question, then music on hold in the queue"
CMD="mediacaller desk --key 1 --then 2"
n=$(log_count "waiting in queue 'Billing'")
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" desk 9 --key 1 --key-at 2.5 --then 2 5); RC=0
echo "$OUT" >"$TMP/desk.json"
expect_log "call [0-9]+: question 'Desk' answered 'Accounts'"
expect_log "call [0-9]+: question 'Topic' answered 'Billing'"
wait_more "waiting in queue 'Billing'" "$n" 10 || fail "the caller did not reach the queue Billing"
python3 - "$TMP/desk.json" <<'EOF' || fail "what the caller heard: $OUT"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200, "status"
assert r["packets"] >= 400, "packets"
assert r["seq_ok"] and r["ts_ok"], "sequence or timestamps"
assert r["packets"] - r["silent"] >= 200, "too little sound: the prompts and the music"
EOF

tcase sip-media-4.2 "after hours: the after-hours prompt (the WAV) plays, then rgsd ends the call (Terminate)"
CMD="mediacaller closed"
n=$(log_count ": ended: Terminated")
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" closed 3 --tone 1000); RC=0
echo "$OUT" >"$TMP/closed.json"
python3 - "$TMP/closed.json" <<'EOF' || fail "what the caller heard: $OUT"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["status"] == 200, "status"
assert 0 <= r["tone_first"] <= 2, "the after-hours prompt does not come first"
assert 46 <= r["tone_last"] <= 52, "the after-hours prompt is not 1 s long"
assert r["packets"] <= r["tone_last"] + 10, "rgsd went on sending after the prompt"
EOF
wait_more ": ended: Terminated" "$n" 10 || fail "rgsd did not end the call as Terminated"
expect_log "call [0-9]+ from [^ ]* to workflow 'Closed': AfterHours"

tcase sip-media-5.1 "the spoken welcome the caller records holds the prompt's words, heard by pocketsphinx"
# The recording is decoded against a grammar of the prompt's words, words it does not say, and
# common English words: four of the prompt's five words at least must come back in order (the
# music follows the welcome at once and can swallow its last word), the others not at all.
CMD="mediacaller spoken --record; rgs-test-speech hear"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" spoken 4 --record "$TMP/welcome.pcmu"); RC=0
echo "$OUT" | grep -q '"status": 200' || fail "the call was not answered: $OUT"
HEARD=$("$RGS_TEST_SPEECH" hear thank you calling billing department weather holiday music goodbye \
  <"$TMP/welcome.pcmu" | tr '\n' ' ')
echo "heard: $HEARD"
python3 - "$HEARD" <<'EOF' || fail "the welcome's words were not heard: '$HEARD'"
import sys
heard, at, found = sys.argv[1].split(), 0, 0
for word in "thank you calling billing department".split():
    if word in heard[at:]:
        at, found = heard.index(word, at) + 1, found + 1
sys.exit(0 if found >= 4 else 1)
EOF
grep -Eqw "weather|holiday|music|goodbye" <<<"$HEARD" && fail "words the welcome does not say were heard: '$HEARD'"

tcase sip-media-5.2 "a spoken answer (espeak-ng's 'billing' as PCMU RTP) during the question routes the caller"
"$RGS_TEST_SPEECH" say billing >"$TMP/billing.pcmu" || fail "no speech to send"
n=$(log_count "waiting in queue 'Billing'")
CMD="mediacaller voice --say billing"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" voice 4 --say "$TMP/billing.pcmu" --say-at 0.5); RC=0
echo "$OUT" | grep -q '"status": 200' || fail "the call was not answered: $OUT"
expect_log "question 'Voice' answered 'Billing'"
wait_more "waiting in queue 'Billing'" "$n" 10 || fail "the caller did not reach the queue Billing"

finish
