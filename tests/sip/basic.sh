#!/bin/bash
# rgsd over real SIP: entry (404, 480, 488), OPTIONS, the registrar and presence, a call
# connected to an agent by re-INVITE, hang-ups from either side, call records and statistics,
# and a clean stop.
. "$(dirname "$0")/lib.sh"

plan sip-basic \
  "requests rgsd refuses or answers by itself: unknown address, inactive workflow, no audio, OPTIONS, config errors" \
  "agents: REGISTER, PUBLISH presence, unregister, as get-agentstate shows them" \
  "a call answered by an agent: re-INVITE with the agent's SDP, hang-ups, what get-callrecord records" \
  "statistics and a clean stop"

setup -q new-agentgroup Desk --agent sip:alice@example.com --agent sip:bob@example.com
setup -q new-agentgroup Empty
setup -q new-queue Help --agent-group Desk
setup -q new-queue Nobody --agent-group Empty
setup -q new-workflow Helpdesk --primary-uri sip:help@example.com --line-uri tel:+14255550100 \
  --default-action queue:Help --active true
setup -q new-workflow Closed --primary-uri sip:closed@example.com --default-action queue:Help
setup -q new-workflow Void --primary-uri sip:void@example.com --default-action queue:Nobody --active true

tcase sip-basic-1.1 "rgsd --check-config reads the file and the store"
printf 'store: %s\nsip:\n  listen: sip:127.0.0.1:5999\n' "$RGS_STORE" >"$TMP/check.yaml"
CMD="rgsd --check-config"
OUT=$("$RGSD" --config "$TMP/check.yaml" --check-config 2>&1); RC=$?
expect_status 0
expect_stdout_contains "is valid" "revision 7"

tcase sip-basic-1.2 "a bad configuration file is refused with file, line and key"
printf 'store: %s\nsip:\n  max_calls: lots\n' "$RGS_STORE" >"$TMP/bad.yaml"
CMD="rgsd --config bad.yaml"
ERR=$("$RGSD" --config "$TMP/bad.yaml" --check-config 2>&1); RC=$?
expect_status 2
expect_stderr_contains "bad.yaml:3:14: sip.max_calls: 'lots' is not a whole number"
printf 'store: %s\nsips: 1\n' "$RGS_STORE" >"$TMP/bad2.yaml"
ERR=$("$RGSD" --config "$TMP/bad2.yaml" 2>&1); RC=$?
expect_status 2
expect_stderr_contains "bad2.yaml:2:1: sips: is not a setting"

tcase sip-basic-1.3 "--check-config on a store that does not exist fails and creates nothing"
printf 'store: %s/none.db\n' "$TMP" >"$TMP/missing.yaml"
CMD="rgsd --check-config (missing store)"
ERR=$("$RGSD" --config "$TMP/missing.yaml" --check-config 2>&1); RC=$?
expect_status 1
expect_stderr_contains "none.db"
[ -e "$TMP/none.db" ] && fail "--check-config created the store"

start_rgsd || exit 1

tcase sip-basic-1.4 "an address no workflow has gets 404"
reject 404 nosuch
expect_status 0
expect_log "no workflow has this address \(404\)"

tcase sip-basic-1.5 "an inactive workflow gets 480"
reject 480 closed
expect_status 0
expect_log "workflow 'Closed': inactive \(480\)"

tcase sip-basic-1.6 "an offer without PCMU or PCMA audio gets 488"
reject 488 help video
expect_status 0

tcase sip-basic-1.7 "OPTIONS is answered 200"
sipp_once options
expect_status 0

tcase sip-basic-1.8 "a queue whose groups have no agents disconnects the call"
reject 480 void
expect_status 0
expect_log "queue 'Nobody' has no agents"

tcase sip-basic-2.1 "before registering, agents are offline and cannot take calls"
run get-agentstate -o json
expect_status 0
expect_json "len()=2" "[0].Agent=\"sip:alice@example.com\"" "[0].Registered=false" "[0].CanTakeCall=false" \
  "[0].Reason=\"offline\""

tcase sip-basic-2.2 "a REGISTERed agent is online, available and can take calls"
agent alice answer
run get-agentstate --agent sip:alice@example.com -o json
expect_status 0
expect_json "[0].Registered=true" "[0].Presence=\"available\"" "[0].CanTakeCall=true" "[0].SignedIn=true"
expect_stdout_contains "sip:alice@127.0.0.1:${AGENT_PORT[alice]}"

tcase sip-basic-2.3 "PUBLISH busy makes the agent busy; available again afterwards"
publish alice open busy
expect_status 0
run get-agentstate --agent sip:alice@example.com -o json
expect_json "[0].Presence=\"busy\"" "[0].CanTakeCall=false" "[0].Reason=\"busy\""
publish alice open unknown
run get-agentstate --agent sip:alice@example.com -o json
expect_json "[0].Presence=\"available\"" "[0].CanTakeCall=true"

tcase sip-basic-2.4 "PUBLISH do-not-disturb and away are seen"
publish alice open do-not-disturb
run get-agentstate --agent sip:alice@example.com -o json
expect_json "[0].Presence=\"do-not-disturb\"" "[0].Reason=\"do-not-disturb\""
publish alice open away
run get-agentstate --agent sip:alice@example.com -o json
expect_json "[0].Presence=\"away\""
publish alice open unknown

tcase sip-basic-2.5 "REGISTER with Expires 0 takes the agent offline"
agent bob answer
unregister bob
expect_status 0
run get-agentstate --agent sip:bob@example.com -o json
expect_json "[0].Registered=false" "[0].Reason=\"offline\""

tcase sip-basic-2.6 "get-agentstate names unknown agents and groups"
run get-agentstate --group Nosuch
expect_error 3 "agent group 'Nosuch' does not exist"
run get-agentstate --agent sip:zed@example.com
expect_error 3 "sip:zed@example.com is not an agent"

tcase sip-basic-3.1 "a caller is answered, offered to the agent, connected by re-INVITE, and hangs up"
call help caller 500
expect_status 0
expect_msg "$LAST_MSG" "^m=audio [0-9]+ RTP/AVP 0 101"
expect_msg "$LAST_MSG" "^o=rgsd [0-9]+ 2 IN IP4"                      # the re-INVITE: version 2
expect_msg "$TMP/agent-alice.msg" "^Subject: Helpdesk"
expect_msg "$TMP/agent-alice.msg" "^X-RGS-Queue: \"Help"
expect_msg "$TMP/agent-alice.msg" "^From: \"Caller 1\" <sip:caller1@127.0.0.1"
expect_log "call [0-9]+: connected to sip:alice@example.com"
records --last 1
expect_json "len()=1" "[0].Workflow=\"Helpdesk\"" "[0].Outcome=\"Answered\"" "[0].Agent=\"sip:alice@example.com\"" \
  "len([0].Queues)=1" "[0].Queues[0].Queue=\"Help\"" "[0].Queues[0].Outcome=\"Answered\"" \
  "[0].Queues[0].Offers[0].Agent=\"sip:alice@example.com\"" "[0].Queues[0].Offers[0].Result=\"Answered\""

tcase sip-basic-3.2 "the workflow's LineUri reaches it too (sip:+number;user=phone)"
call "+14255550100" caller 200
expect_status 0
records --last 1
expect_json "[0].Workflow=\"Helpdesk\"" "[0].Outcome=\"Answered\""

tcase sip-basic-3.3 "an agent who hangs up ends the caller's call with BYE"
stop_agent alice
agent alice answer_bye
call help caller_agent_bye 0
expect_status 0
expect_log "sip:alice@example.com hung up"
records --last 1
expect_json "[0].Outcome=\"Answered\"" "[0].Detail=\"the agent hung up\""

tcase sip-basic-3.4 "a caller who hangs up while waiting is recorded as abandoned"
publish alice open busy
call help caller_wait 1500
expect_status 0
records --last 1
expect_json "[0].Outcome=\"Abandoned\"" "[0].Queues[0].Outcome=\"Abandoned\"" "len([0].Queues[0].Offers)=0"
publish alice open unknown

tcase sip-basic-3.5 "while a caller waits, get-queuestate shows it"
publish alice open busy
n=$(log_count "waiting in queue")
call_bg help caller_wait 3000
wait_more "waiting in queue" "$n" 10
run get-queuestate -o json
expect_json "[0].Queue=\"Help\"" "[0].Waiting=1" "[0].Ringing=0"
wait_call "$CALL_PID"
expect_status 0
publish alice open unknown

tcase sip-basic-3.6 "a caller who hangs up while the agent rings: the agent's INVITE is cancelled"
stop_agent alice
agent alice noanswer
call help caller_wait 1500
expect_status 0
expect_msg "$TMP/agent-alice.msg" "^CANCEL sip:alice@"
records --last 1
expect_json "[0].Outcome=\"Abandoned\"" "[0].Queues[0].Offers[0].Result=\"Cancelled\""

tcase sip-basic-4.1 "get-queuestatistics counts what happened"
run get-queuestatistics --queue Help -o json
expect_status 0
expect_json "len()=1" "[0].Received=6" "[0].Answered=3" "[0].Abandoned=3" "[0].Transferred=0"
run get-queuestatistics -o json
expect_json "len()=2" "[1].Queue=\"Nobody\"" "[1].Disconnected=1"

tcase sip-basic-4.2 "get-callrecord filters by workflow and time"
run get-callrecord --workflow Closed -o json
expect_json "len()=1" "[0].Outcome=\"Rejected\""
run get-callrecord --since 2000-01-01T00:00:00Z --until 2000-01-02T00:00:00Z -o json
expect_json "len()=0"
run get-callrecord --since yesterday
expect_error 2 "--since"

tcase sip-basic-4.3 "SIGTERM stops rgsd cleanly, ending a waiting call with BYE"
publish alice open busy
n=$(log_count "waiting in queue")
call_bg help caller_hungup 0          # answered by rgsd, then waits: rgsd's BYE ends it
wait_more "waiting in queue" "$n" 10
stop_rgsd
CMD="kill -TERM rgsd"; RC=$RGSD_STATUS
expect_status 0
wait_call "$CALL_PID"
expect_log "stopping \(SIGTERM\): ending 1 call"
expect_log "stopped"
[ -S "$RGS_CONTROL" ] && fail "the control socket is left behind"

finish
