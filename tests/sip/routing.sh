#!/bin/bash
# The routing methods over real SIP (reference 3.5-3.7): which agent is rung first and in what
# order, with declines and no-answers; alert time; ringback grace; presence; formal sign-in.
. "$(dirname "$0")/lib.sh"

plan sip-routing \
  "the five routing methods: serial, round robin, longest idle, parallel, attendant" \
  "alert time, ringback grace, presence busy and do-not-disturb" \
  "formal groups: set-agentstate --signed-in / --signed-out"

# One workflow, queue and group per method: sip:METHOD@example.com.
group() {   # group NAME METHOD AGENTS... [-- OPTIONS...]
  local name=$1 method=$2 args=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=(--agent "sip:$1@example.com"); shift; done
  [ "${1:-}" = "--" ] && shift
  setup -q new-agentgroup "$name" --routing-method "$method" "${args[@]}" "$@"
  setup -q new-queue "$name" --agent-group "$name"
  setup -q new-workflow "$name" --primary-uri "sip:$name@example.com" --default-action "queue:$name" --active true
}
group serial serial s1 s2 s3
group rr round-robin r1 r2 r3
group li longest-idle l1 l2 l3
group par parallel p1 p2 p3
group att attendant t1 t2
group alert serial n1 n2 -- --agent-alert-time 10
group grace serial g1
group pres parallel b1 b2 b3
group formal parallel f1 f2 -- --participation-policy formal

start_rgsd || exit 1

# offers: the agents offered the newest call, in order, with their results ("s1:Declined 486 ...").
offers() {
  records --last 1
  OFFERS=$(printf '%s' "$OUT" | python3 -S -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join("%s:%s" % (o["Agent"][4:].split("@")[0], o["Result"].replace(" ", "")) for v in d[0]["Queues"] for o in v["Offers"]))')
}
expect_offers() {
  offers
  [ "$OFFERS" = "$1" ] || fail "expected offers '$1', got '$OFFERS'"
}

# expect_four_calls SERVICE EXPECTED: four calls in a row; who answered each.
expect_four_calls() {
  local got="" i
  for i in 1 2 3 4; do
    call "$1" caller 100
    offers
    got+="${got:+ }$OFFERS"
  done
  [ "$got" = "$2" ] || fail "expected '$2', got '$got'"
}

tcase sip-routing-1.1 "serial: from the top of the list, moving down on each decline"
agent s1 decline
agent s2 decline
agent s3 answer
call serial caller 200
expect_status 0
expect_offers "s1:Declined486 s2:Declined486 s3:Answered"

tcase sip-routing-1.2 "serial: every new call starts from the top again"
call serial caller 200
expect_status 0
expect_offers "s1:Declined486 s2:Declined486 s3:Answered"

tcase sip-routing-1.3 "round robin: each call starts with the agent after the previous call's"
agent r1 answer
agent r2 answer
agent r3 answer
expect_four_calls rr "r1:Answered r2:Answered r3:Answered r1:Answered"

tcase sip-routing-1.4 "longest idle: the agent available longest first; after a call, last"
agent l1 answer
sleep 0.2
agent l2 answer
sleep 0.2
agent l3 answer
expect_four_calls li "l1:Answered l2:Answered l3:Answered l1:Answered"

tcase sip-routing-1.5 "parallel: every available agent rings at once; the others are cancelled when one answers"
agent p1 noanswer
agent p2 answer
agent p3 noanswer
call par caller 200
expect_status 0
expect_offers "p1:Cancelled p2:Answered p3:Cancelled"
expect_msg "$TMP/agent-p1.msg" "^CANCEL sip:p1@"
expect_msg "$TMP/agent-p3.msg" "^CANCEL sip:p3@"

tcase sip-routing-1.6 "attendant: agents busy in presence still ring; do-not-disturb ones do not"
agent t1 answer
agent t2 answer
publish t1 open busy
publish t2 open do-not-disturb
call att caller 200
expect_status 0
expect_offers "t1:Answered"
[ "$(invites_to t2)" = 0 ] || fail "the do-not-disturb agent t2 was offered the call"

tcase sip-routing-2.1 "alert time: an offer not answered within AgentAlertTime moves to the next agent"
agent n1 noanswer
agent n2 answer
call alert caller 200
expect_status 0
expect_offers "n1:NoAnswer n2:Answered"
gap=$(printf '%s' "$OUT" | python3 -S -c '
import json, sys, datetime
o = json.load(sys.stdin)[0]["Queues"][0]["Offers"]
t = [datetime.datetime.strptime(x["At"], "%Y-%m-%dT%H:%M:%S.%fZ") for x in o]
print(round((t[1] - t[0]).total_seconds(), 1))')
python3 -S -c "import sys; sys.exit(0 if 9.8 <= $gap <= 11.5 else 1)" || fail "the second offer came $gap s after the first, not 10 s"

tcase sip-routing-2.2 "ringback grace: an agent who declined is not offered the same call again at once"
agent g1 decline
call grace caller_wait 2500
expect_status 0
expect_offers "g1:Declined486"
run get-agentstate --agent sip:g1@example.com -o json
expect_json "[0].CanTakeCall=true"          # the grace is per call: other calls may be offered

tcase sip-routing-2.3 "presence: busy, do-not-disturb and away agents are skipped by parallel groups"
agent b1 answer
agent b2 answer
agent b3 answer
publish b1 open busy
publish b2 open do-not-disturb
call pres caller 200
expect_status 0
expect_offers "b3:Answered"
publish b3 open away
publish b2 open unknown
call pres caller 200
expect_offers "b2:Answered"

tcase sip-routing-2.4 "an agent on a call is not offered another one"
n=$(log_count "connected to sip:b2@example.com")
call_bg pres caller 3000
wait_more "connected to sip:b2@example.com" "$n" 10
run get-agentstate --agent sip:b2@example.com -o json
expect_json "[0].InCall=true" "[0].CanTakeCall=false" "[0].Reason=\"in a call\""
wait_call "$CALL_PID"

tcase sip-routing-3.1 "formal: a registered agent not signed in is not offered calls"
agent f1 answer
agent f2 answer
run get-agentstate --group formal -o json
expect_json "[0].SignedIn=false" "[0].CanTakeCall=false" "[0].Reason=\"signed out\""
call formal caller_wait 1500
expect_status 0
expect_offers ""

tcase sip-routing-3.2 "formal: signing in makes a waiting call ring the agent"
n=$(log_count "waiting in queue 'formal'")
call_bg formal caller 300
wait_more "waiting in queue 'formal'" "$n" 10
run set-agentstate --agent sip:f2@example.com --group formal --signed-in -o json
expect_status 0
expect_json "[0].SignedIn=true"
wait_call "$CALL_PID"
expect_status 0
expect_offers "f2:Answered"

tcase sip-routing-3.3 "formal: signing out stops the offers; --whatif changes nothing"
run set-agentstate --agent sip:f2@example.com --group formal --signed-out --whatif
expect_status 0
expect_stdout_contains "What if: signing sip:f2@example.com out of 'formal' (now signed in)"
run set-agentstate --agent sip:f2@example.com --group formal --signed-out -q
expect_ok
call formal caller_wait 1200
expect_offers ""

tcase sip-routing-3.4 "set-agentstate refuses informal groups, strangers and bad input"
run set-agentstate --agent sip:s1@example.com --group serial --signed-in
expect_error 5 "informal"
run set-agentstate --agent sip:zed@example.com --group formal --signed-in
expect_error 3 "not an agent of group 'formal'"
run set-agentstate --agent sip:f1@example.com --group nosuch --signed-in
expect_error 3 "agent group 'nosuch' does not exist"
run set-agentstate --agent sip:f1@example.com --group formal
expect_error 2 "--signed-in or --signed-out"
run set-agentstate --agent alice --group formal --signed-in
expect_error 2 "--agent"

finish
