#!/bin/bash
# The call flow over real SIP, one case per defect it once had: the re-INVITE that connects a
# caller waits for the caller's ACK; an agent's hold is relayed to the caller and answered with
# the caller's answer; an agent's REFER moves the caller and releases the agent; a caller already
# waiting is offered to an agent added to its group before any newer caller; a restart keeps the
# agents' registrations and sign-ins and records the calls it cut off.
. "$(dirname "$0")/lib.sh"

plan sip-callflow \
  "signalling: the connect re-INVITE after a slow ACK; hold relayed both ways" \
  "transfer: an agent's REFER moves the caller; a REFER from a caller is refused" \
  "waiting callers first: an agent added to a group takes the oldest waiting caller" \
  "restart: registrations and sign-ins kept, interrupted calls recorded"

setup -q new-agentgroup Desk --agent sip:ann@example.com
setup -q new-agentgroup Hold --agent sip:hal@example.com
setup -q new-agentgroup Move --agent sip:tom@example.com
setup -q new-agentgroup Late --agent sip:nobody@example.com
setup -q new-agentgroup Other --agent sip:newcomer@example.com
setup -q new-agentgroup Formal --participation-policy formal --agent sip:fay@example.com
setup -q new-agentgroup Codec --agent sip:cody@example.com
setup -q new-queue Desk --agent-group Desk
setup -q new-queue Hold --agent-group Hold
setup -q new-queue Move --agent-group Move
setup -q new-queue Late --agent-group Late
setup -q new-queue Other --agent-group Other
setup -q new-queue Formal --agent-group Formal
setup -q new-queue Codec --agent-group Codec
for q in Desk Hold Move Late Other Formal Codec; do
  name=$(echo "$q" | tr 'A-Z' 'a-z')
  setup -q new-workflow "$q" --primary-uri "sip:$name@example.com" --default-action "queue:$q" --active true
done

start_rgsd || exit 1
agent ann answer
agent hal answer_hold
agent tom answer_refer

tcase sip-callflow-1.1 "a caller whose ACK comes 400 ms after rgsd's 200 gets the connect re-INVITE only after it"
call desk caller_late_ack 500
expect_status 0
expect_log "connected to sip:ann@example.com"
records --last 1
expect_json "[0].Outcome=\"Answered\"" "[0].Agent=\"sip:ann@example.com\""

tcase sip-callflow-1.2 "an agent's hold (sendonly, new port) reaches the caller, and the caller's recvonly answer reaches the agent"
call hold caller_hold 800
expect_status 0
expect_msg "$LAST_MSG" "^a=sendonly"
expect_msg "$TMP/agent-hal.msg" "^a=recvonly"
expect_log "sip:hal@example.com offers sendonly media; relayed"

tcase sip-callflow-1.3 "an agent answering with G.722 and G.729 besides PCMU: the caller is connected in PCMU alone"
agent cody answer_codecs
call codec caller 300
expect_status 0
expect_msg "$LAST_MSG" "^m=audio [0-9]+ RTP/AVP 0.?$"
grep -Eq "^m=audio [0-9]+ RTP/AVP 9" "$LAST_MSG" && fail "the caller was offered G.722, which it never offered"

tcase sip-callflow-1.4 "every waiting caller hears the music on hold from its beginning, whenever it arrives"
n=$(log_count "waiting in queue 'Late'")
call_bg late caller_wait 3000
early=$CALL_PID
wait_more "waiting in queue 'Late'" "$n" 10
sleep 1   # the scenario itself: a second caller arriving a second later
CMD="rtpcaller late"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/rtpcaller.py" "$SIP_PORT" late); RC=0
[ "$OUT" = tone ] || fail "the second caller's first RTP packet was $OUT, not the start of the music"
wait_call "$early"
expect_status 0

tcase sip-callflow-2.1 "an agent's REFER: 202 and NOTIFYs to the agent, a REFER to the caller, the agent released"
call move caller_transferred 5000
expect_status 0
expect_msg "$LAST_MSG" "^Refer-To: <sip:desk@example.com>"
expect_msg "$TMP/agent-tom.msg" "^SIP/2.0 202"
expect_log "sip:tom@example.com transfers the caller to sip:desk@example.com"
records --last 1
expect_json "[0].Outcome=\"Answered\"" "[0].Detail=\"the agent transferred the caller to sip:desk@example.com\""
run get-agentstate --agent sip:tom@example.com -o json
expect_json "[0].InCall=false" "[0].CanTakeCall=true"

tcase sip-callflow-3.1 "a caller already waiting is offered to an agent added to its group, before a newer caller"
agent newcomer answer
n=$(log_count "waiting in queue 'Late'")
call_bg late caller 1000
first=$CALL_PID
wait_more "waiting in queue 'Late'" "$n" 10
call_bg late caller 1000
second=$CALL_PID
wait_more "waiting in queue 'Late'" "$((n + 1))" 10
run set-agentgroup Late --add-agent sip:newcomer@example.com
expect_status 0
wait_call "$first"
expect_status 0
wait_call "$second"
expect_status 0
records --last 2
expect_json "[0].Agent=\"sip:newcomer@example.com\"" "[1].Agent=\"sip:newcomer@example.com\"" "[0].Outcome=\"Answered\"" "[1].Outcome=\"Answered\""
first_answered=$(printf '%s' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["Answered"] < r[1]["Answered"])')
[ "$first_answered" = True ] || fail "the older caller was not answered first: $OUT"

tcase sip-callflow-4.1 "after a restart, a registered agent and a formal sign-in are still there; a cut-off call is recorded"
agent fay answer
run set-agentstate --agent sip:fay@example.com --group Formal --signed-in
expect_status 0
n=$(log_count "waiting in queue 'Late'")
call_bg late caller_wait 60000
cut=$CALL_PID
wait_more "waiting in queue 'Late'" "$n" 10
# rgsd records the call as in progress (its records are written at most reload_ms apart).
for _ in $(seq 1 50); do "$RGS" get-callrecord --last 1 -o json 2>/dev/null | grep -q '"InProgress"' && break; sleep 0.1; done
kill -KILL "$RGSD_PID"
wait "$RGSD_PID" 2>/dev/null
kill -TERM "$cut" 2>/dev/null
rm -f "$RGS_CONTROL"   # left by the killed rgsd
start_rgsd || exit 1
expect_log "restored the registrations and sign-ins of [0-9]+ agent\(s\)"
expect_log "1 call\(s\) in progress when rgsd last stopped are recorded as interrupted"
run get-agentstate --agent sip:fay@example.com -o json
expect_json "[0].Registered=true" "[0].SignedIn=true" "[0].CanTakeCall=true"
call formal caller 500
expect_status 0
records --last 2
expect_json "[0].Outcome=\"Interrupted\"" "[0].Detail=\"ended by the restart of rgsd\"" "[1].Agent=\"sip:fay@example.com\""

finish
