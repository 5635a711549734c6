#!/bin/bash
# Queues over real SIP (reference 3.4): overflow of the newest and of the oldest call, timeout to
# another queue and to an address (checked when the ringing offer ends), and a change of
# configuration while a call waits.
. "$(dirname "$0")/lib.sh"

plan sip-queue \
  "overflow: the newest call is redirected (302), or the oldest is transferred (REFER)" \
  "timeout: to another queue, and to an address once the ringing offer ends" \
  "reconfiguration: a new revision applies to new calls within a second; calls in progress keep theirs" \
  "what get-callrecord and get-queuestatistics report of all that"

# Agents nobody can reach: a formal group nobody signed in to, so that calls wait.
setup -q new-agentgroup Nobody --participation-policy formal --agent sip:w1@example.com
setup -q new-agentgroup Desk --agent sip:d1@example.com
setup -q new-agentgroup Slow --routing-method serial --agent-alert-time 12 --agent sip:n1@example.com
setup -q new-queue Newest --agent-group Nobody --overflow-threshold 1 --overflow-candidate newest \
  --overflow-action uri:sip:overflow@example.com
setup -q new-queue Oldest --agent-group Nobody --overflow-threshold 1 --overflow-candidate oldest \
  --overflow-action uri:sip:oldest@example.com
setup -q new-queue Second --agent-group Desk
setup -q new-queue First --agent-group Nobody --timeout-threshold 10 --timeout-action queue:Second
setup -q new-queue Ringing --agent-group Slow --timeout-threshold 10 --timeout-action uri:sip:timeout@example.com
for q in Newest Oldest First Ringing; do
  name=$(echo "$q" | tr 'A-Z' 'a-z')
  setup -q new-workflow "$q" --primary-uri "sip:$name@example.com" --default-action "queue:$q" --active true
done

start_rgsd || exit 1
agent w1 answer
agent d1 answer
agent n1 noanswer

waiting() { log_count "waiting in queue '$1'"; }

tcase sip-queue-1.1 "overflow newest: with the queue full, the arriving call is redirected to the overflow address"
n=$(waiting Newest)
call_bg newest caller_wait 4000
first=$CALL_PID
wait_more "waiting in queue 'Newest'" "$n" 10
reject 302 newest
expect_status 0
expect_msg "$LAST_MSG" "^Contact: <sip:overflow@example.com>"
wait_call "$first"
expect_status 0
records --last 2
expect_json "[0].Outcome=\"Abandoned\"" "[1].Outcome=\"Transferred\"" "[1].Detail=\"transferred to sip:overflow@example.com\"" \
  "[1].Queues[0].Outcome=\"Transferred\"" "[1].Queues[0].Reason=\"Overflow\""

tcase sip-queue-1.2 "overflow oldest: the longest-waiting call is transferred (REFER) and the new one waits"
n=$(waiting Oldest)
call_bg oldest caller_refer 0
first=$CALL_PID
first_msg=$CALL_MSG
wait_more "waiting in queue 'Oldest'" "$n" 10
call oldest caller_wait 1500
expect_status 0
wait_call "$first"
expect_status 0
expect_msg "$first_msg" "^Refer-To: <sip:oldest@example.com>"
records --last 2
expect_json "[0].Outcome=\"Transferred\"" "[0].Queues[0].Reason=\"Overflow\"" "[1].Outcome=\"Abandoned\"" \
  "[1].Queues[0].Outcome=\"Abandoned\""

tcase sip-queue-2.1 "timeouts: to another queue after 10 s; to an address only once the ringing offer ends (12 s)"
n=$(waiting Ringing)
call_bg first caller 300
to_queue=$CALL_PID
call_bg ringing caller_refer 0
to_uri=$CALL_PID
to_uri_msg=$CALL_MSG
wait_more "waiting in queue 'Ringing'" "$n" 10
# A new revision while the calls wait: new calls get it, these two keep theirs.
run set-queue Ringing --timeout-action uri:sip:changed@example.com
expect_status 0
wait_call "$to_queue"
expect_status 0
wait_call "$to_uri"
expect_status 0
expect_msg "$to_uri_msg" "^Refer-To: <sip:timeout@example.com>"
expect_log "timeout in queue 'First' after 10 s"
expect_log "timeout in queue 'Ringing' after 10 s"

tcase sip-queue-2.2 "the timeout-to-queue call: two visits, transferred by timeout then answered"
run get-callrecord --workflow First -o json
expect_json "len()=1" "[0].Outcome=\"Answered\"" "[0].Agent=\"sip:d1@example.com\"" "len([0].Queues)=2" \
  "[0].Queues[0].Queue=\"First\"" "[0].Queues[0].Outcome=\"Transferred\"" "[0].Queues[0].Reason=\"Timeout\"" \
  "[0].Queues[1].Queue=\"Second\"" "[0].Queues[1].Outcome=\"Answered\""
w=$(printf '%s' "$OUT" | python3 -S -c 'import json,sys; print(json.load(sys.stdin)[0]["Queues"][0]["WaitSeconds"])')
python3 -S -c "import sys; sys.exit(0 if 9.9 <= $w <= 11.5 else 1)" || fail "waited $w s in First, not 10"

tcase sip-queue-2.3 "the timeout-to-address call rang its agent to the end of the alert time first"
run get-callrecord --workflow Ringing -o json
expect_json "len()=1" "[0].Outcome=\"Transferred\"" "[0].Queues[0].Reason=\"Timeout\"" \
  "[0].Queues[0].Offers[0].Agent=\"sip:n1@example.com\"" "[0].Queues[0].Offers[0].Result=\"NoAnswer\""
w=$(printf '%s' "$OUT" | python3 -S -c 'import json,sys; print(json.load(sys.stdin)[0]["Queues"][0]["WaitSeconds"])')
python3 -S -c "import sys; sys.exit(0 if 11.9 <= $w <= 13.5 else 1)" || fail "left the queue after $w s, not 12"

tcase sip-queue-3.1 "a workflow made inactive refuses the next call (480) within a second"
run set-workflow Newest --active false
expect_status 0
sleep 1
reject 480 newest
expect_status 0
run set-workflow Newest --active true
sleep 1
call newest caller_wait 500     # active again: answered, and waits in the (empty) queue
expect_status 0

tcase sip-queue-3.2 "the changed timeout action applies to calls that arrive after the change"
run get-queue Ringing -o json
expect_json "TimeoutAction.Uri=\"sip:changed@example.com\""

tcase sip-queue-4.1 "queue statistics match the calls above"
run get-queuestatistics -o json
expect_status 0
expect_json "len()=5" \
  "[0].Queue=\"First\"" "[0].Received=1" "[0].Transferred=1" \
  "[1].Queue=\"Newest\"" "[1].Received=3" "[1].Transferred=1" "[1].Abandoned=2" \
  "[2].Queue=\"Oldest\"" "[2].Received=2" "[2].Transferred=1" "[2].Abandoned=1" \
  "[3].Queue=\"Ringing\"" "[3].Received=1" "[3].Transferred=1" \
  "[4].Queue=\"Second\"" "[4].Received=1" "[4].Answered=1"
run get-queuestatistics --queue second -o json
expect_json "len()=1" "[0].Answered=1"

finish
