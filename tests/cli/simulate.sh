#!/bin/bash
# Black-box tests of test-workflow, the call simulator: a table of calls, each checked against
# the fields of the JSON report, then the errors and the list output.
. "$(dirname "$0")/lib.sh"

plan simulate \
  "schedules: open/close edges, midnight, holidays, no hours, empty hours, inactive workflows" \
  "time zones and --at: UTC, offsets, local times, DST in Europe/Paris and America/New_York" \
  "IVR: right, wrong and silent answers, 5 failures, waiting for input, voice keywords" \
  "routing: Parallel, Serial, RoundRobin, LongestIdle, Attendant; formal groups; offline; ringback grace" \
  "queues: overflow threshold 0, no agents" \
  "errors: bad --agent-state, unknown workflow, malformed --at and --digits" \
  "the list output"

A=sip:a@example.com B=sip:b@example.com C=sip:c@example.com D=sip:d@example.com

tcase simulate-0.1 "set up groups, queues, hours, holidays and workflows"
setup new-agentgroup GPar --routing-method parallel --agent $A,$B,$C
setup new-agentgroup GSer --routing-method serial --agent $A,$B,$C
setup new-agentgroup GRR --routing-method round-robin --agent $A,$B,$C,$D
setup new-agentgroup GLI --routing-method longest-idle --agent $A,$B,$C
setup new-agentgroup GAtt --routing-method attendant --agent $A,$B,$C,$D
setup new-agentgroup GFormal --participation-policy formal --agent $A,$B
setup new-agentgroup GNobody
for q in Par Ser RR LI Att Formal; do setup new-queue "Q$q" --agent-group "G$q"; done
setup new-queue QTwo --agent-group GSer,GPar
setup new-queue QEmpty --agent-group GNobody
setup new-queue QOver --agent-group GPar --overflow-threshold 0 --overflow-action voicemail:sip:vm@example.com \
  --overflow-prompt "text:All agents are busy"
setup new-hoursofbusiness Morning --monday 08:00-12:00 --tuesday 08:00-12:00 --wednesday 08:00-12:00 \
  --thursday 08:00-12:00 --friday 08:00-12:00
setup new-hoursofbusiness Night --friday 22:00-24:00 --saturday 00:00-02:00
setup new-hoursofbusiness Never
setup new-holidayset Feasts --holiday "Xmas=2026-12-25/2026-12-26"
CLOSED=(--non-business-hours-action voicemail:sip:closed@example.com --non-business-hours-prompt "text:We are closed")
HOLIDAY=(--holiday-action terminate --holiday-prompt "text:Happy holidays")
setup new-workflow WParis --primary-uri sip:paris@example.com --active true --time-zone Europe/Paris \
  --business-hours Morning --holiday-set Feasts --default-action queue:QPar "${CLOSED[@]}" "${HOLIDAY[@]}"
setup new-workflow WNY --primary-uri sip:ny@example.com --active true --time-zone America/New_York \
  --business-hours Morning --default-action queue:QPar "${CLOSED[@]}"
setup new-workflow WPST --primary-uri sip:pst@example.com --active true --time-zone "Pacific Standard Time" \
  --business-hours Morning --default-action queue:QPar
setup new-workflow WNight --primary-uri sip:night@example.com --active true --business-hours Night \
  --default-action queue:QPar "${CLOSED[@]}"
setup new-workflow WAlways --primary-uri sip:always@example.com --active true --default-action queue:QPar
setup new-workflow WNever --primary-uri sip:never@example.com --active true --business-hours Never --default-action queue:QPar
setup new-workflow WOff --primary-uri sip:off@example.com --default-action queue:QPar
cat >"$TMP/q.yaml" <<'EOF'
Name: Main
Prompt: {TextToSpeechPrompt: "Press 1 for sales, 2 for more"}
InvalidAnswerPrompt: {TextToSpeechPrompt: "Sorry"}
NoAnswerPrompt: {TextToSpeechPrompt: "Are you there?"}
AnswerList:
  - Name: Sales
    DtmfResponse: "1"
    VoiceResponseList: [sales, buy something]
    Action: {Action: TransferToQueue, QueueID: QPar}
  - Name: More
    DtmfResponse: "2"
    Action:
      Action: TransferToQuestion
      Question:
        Name: Second
        Prompt: {TextToSpeechPrompt: "Press 3 for serial"}
        AnswerList:
          - Name: Serial
            DtmfResponse: "3"
            Action: {Action: TransferToQueue, QueueID: QSer}
EOF
setup new-workflow WIvr --primary-uri sip:ivr@example.com --active true --default-action question \
  --question-file "$TMP/q.yaml" --default-prompt "text:Welcome"
for q in Par Ser RR LI Att Formal Two Empty Over; do
  setup new-workflow "W$q" --primary-uri "sip:w-$q@example.com" --active true --default-action "queue:Q$q"
done

# Agent state files.
st() { cat >"$TMP/$1.yaml"; }
st busy_b <<EOF
agents:
  $B: {presence: busy}
EOF
st serial <<EOF
agents:
  $A: {in-call: true}
  $C: {presence: inactive}
EOF
st rr_b <<EOF
groups:
  grr: {last-offered: $B}
EOF
st rr_b_away <<EOF
agents:
  $C: {presence: away}
groups:
  GRR: {last-offered: $B}
EOF
st rr_d <<EOF
groups:
  GRR: {last-offered: $D}
EOF
st idle <<EOF
agents:
  $A: {idle: 10}
  $B: {idle: 300}
  $C: {presence: inactive, idle: 120}
EOF
st idle_busy <<EOF
agents:
  $A: {idle: 10}
  $B: {idle: 300, presence: busy}
  $C: {idle: 120}
EOF
st attendant <<EOF
agents:
  $A: {presence: busy}
  $B: {in-call: true}
  $C: {presence: do-not-disturb}
  $D: {presence: away}
EOF
st formal <<EOF
agents:
  $A: {signed-in: [gformal]}
  $B: {signed-out: [GFormal]}
EOF
st formal_other <<EOF
agents:
  $A: {signed-in: [GPar]}
EOF
st offline <<EOF
agents:
  $A: {registered: false}
  $B: {presence: offline}
EOF
st declined <<EOF
agents:
  $A: {declined: 30}
  $B: {declined: 90}
EOF
st busy_all <<EOF
agents:
  $A: {presence: busy}
  $B: {presence: busy}
  $C: {presence: busy}
EOF

# The table: ID | WORKFLOW | --at | --digits | --agent-state | checks (expect_json, separated by " ; ").
TABLE=$(cat <<EOF
simulate-1.1  | WParis  | 2026-03-30T08:00:00 |  |  | Schedule="Open" ; Outcome="Queued" ; LocalTime="2026-03-30T08:00:00" ; Weekday="Monday" ; BusinessHours="Morning" ; Holiday=null ; Steps[0].Step="Queue"
simulate-1.2  | WParis  | 2026-03-30T07:59:00 |  |  | Schedule="AfterHours" ; Outcome="Transferred" ; Steps[0].Step="Prompt" ; Steps[0].Purpose="AfterHours" ; Steps[0].Prompt.TextToSpeechPrompt="We are closed" ; Steps[1].Step="Transfer" ; Steps[1].Uri="sip:closed@example.com"
simulate-1.3  | WParis  | 2026-03-30T11:59:00 |  |  | Schedule="Open" ; Outcome="Queued"
simulate-1.4  | WParis  | 2026-03-30T12:00:00 |  |  | Schedule="AfterHours" ; Outcome="Transferred"
simulate-1.5  | WParis  | 2026-03-28T10:00:00 |  |  | Schedule="AfterHours" ; Weekday="Saturday"
simulate-1.6  | WParis  | 2026-12-25T10:00:00 |  |  | Schedule="Holiday" ; Holiday.Name="Xmas" ; Holiday.Set="Feasts" ; Outcome="Terminated" ; Steps[0].Purpose="Holiday" ; Steps[1].Step="Terminate"
simulate-1.7  | WParis  | 2026-12-25T20:00:00 |  |  | Schedule="Holiday" ; Outcome="Terminated"
simulate-1.8  | WParis  | 2026-12-25T00:00:00 |  |  | Schedule="Holiday"
simulate-1.9  | WParis  | 2026-12-24T23:59:00 |  |  | Schedule="AfterHours" ; Weekday="Thursday" ; Holiday=null
simulate-1.10 | WParis  | 2026-12-26T00:00:00 |  |  | Schedule="AfterHours" ; Weekday="Saturday" ; Holiday=null
simulate-1.11 | WNight  | 2026-03-27T23:59:00Z |  |  | Schedule="Open" ; Weekday="Friday"
simulate-1.12 | WNight  | 2026-03-28T00:00:00Z |  |  | Schedule="Open" ; Weekday="Saturday" ; LocalTime="2026-03-28T00:00:00"
simulate-1.13 | WNight  | 2026-03-28T02:00:00Z |  |  | Schedule="AfterHours" ; Weekday="Saturday"
simulate-1.14 | WNight  | 2026-03-27T21:59:00Z |  |  | Schedule="AfterHours"
simulate-1.15 | WAlways | 2026-03-29T03:17:00Z |  |  | Schedule="Open" ; BusinessHours="none (always open)" ; Outcome="Queued"
simulate-1.16 | WNever  | 2026-03-30T10:00:00Z |  |  | Schedule="AfterHours" ; Outcome="Terminated" ; Steps[0].Step="Terminate"
simulate-1.17 | WOff    | 2026-03-30T10:00:00Z |  |  | Outcome="Rejected" ; Active=false ; Schedule=null ; Steps=[]
simulate-2.1  | WParis  | 2026-03-30T06:00:00Z |  |  | At="2026-03-30T06:00:00Z" ; LocalTime="2026-03-30T08:00:00" ; Schedule="Open" ; TimeZone="Europe/Paris"
simulate-2.2  | WParis  | 2026-03-30T09:00:00+03:00 |  |  | At="2026-03-30T06:00:00Z" ; LocalTime="2026-03-30T08:00:00" ; Schedule="Open"
simulate-2.3  | WParis  | 2026-03-30T00:00:00-05:30 |  |  | At="2026-03-30T05:30:00Z" ; LocalTime="2026-03-30T07:30:00" ; Schedule="AfterHours"
simulate-2.4  | WParis  | 2026-03-30T08:00:00 |  |  | At="2026-03-30T06:00:00Z"
simulate-2.5  | WParis  | 2026-01-05T07:00:00Z |  |  | LocalTime="2026-01-05T08:00:00" ; Schedule="Open"
simulate-2.6  | WParis  | 2026-01-05T08:00:00 |  |  | At="2026-01-05T07:00:00Z"
simulate-2.7  | WParis  | 2026-03-29T02:30:00 |  |  | At="2026-03-29T01:00:00Z" ; LocalTime="2026-03-29T03:00:00" ; Weekday="Sunday"
simulate-2.8  | WParis  | 2026-03-29T00:59:00Z |  |  | LocalTime="2026-03-29T01:59:00"
simulate-2.9  | WParis  | 2026-03-29T01:00:00Z |  |  | LocalTime="2026-03-29T03:00:00"
simulate-2.10 | WParis  | 2026-10-25T00:30:00Z |  |  | LocalTime="2026-10-25T02:30:00" ; Weekday="Sunday"
simulate-2.11 | WParis  | 2026-10-25T01:30:00Z |  |  | LocalTime="2026-10-25T02:30:00"
simulate-2.12 | WParis  | 2026-10-25T02:30:00 |  |  | At="2026-10-25T00:30:00Z"
simulate-2.13 | WNY     | 2026-03-09T12:00:00Z |  |  | LocalTime="2026-03-09T08:00:00" ; Schedule="Open" ; TimeZone="America/New_York"
simulate-2.14 | WNY     | 2026-03-06T12:00:00Z |  |  | LocalTime="2026-03-06T07:00:00" ; Schedule="AfterHours"
simulate-2.15 | WNY     | 2026-03-08T02:30:00 |  |  | At="2026-03-08T07:00:00Z" ; LocalTime="2026-03-08T03:00:00"
simulate-2.16 | WNY     | 2026-11-01T01:30:00 |  |  | At="2026-11-01T05:30:00Z"
simulate-2.17 | WNY     | 2026-11-01T06:30:00Z |  |  | LocalTime="2026-11-01T01:30:00"
simulate-2.18 | WNY     | 2026-03-09T08:00:00 |  |  | At="2026-03-09T12:00:00Z" ; Schedule="Open"
simulate-2.19 | WPST    | 2026-03-30T15:00:00Z |  |  | LocalTime="2026-03-30T08:00:00" ; Schedule="Open" ; TimeZone="Pacific Standard Time"
simulate-2.20 | WPST    | 2026-01-05T15:00:00Z |  |  | LocalTime="2026-01-05T07:00:00" ; Schedule="AfterHours"
simulate-3.1  | WIvr    | 2026-03-30T10:00:00Z | 1 |  | Outcome="Queued" ; Steps[0].Step="Prompt" ; Steps[0].Purpose="Welcome" ; Steps[1].Step="Asked" ; Steps[1].Question="Main" ; Steps[1].Attempt=1 ; Steps[2].Step="Answered" ; Steps[2].Input="1" ; Steps[2].Answer="Sales" ; Steps[3].Step="Queue" ; Steps[3].Queue="QPar"
simulate-3.2  | WIvr    | 2026-03-30T10:00:00Z | 9,1 |  | Outcome="Queued" ; Steps[2].Step="InvalidAnswer" ; Steps[2].Input="9" ; Steps[2].Prompt.TextToSpeechPrompt="Sorry" ; Steps[3].Step="Asked" ; Steps[3].Attempt=2 ; Steps[4].Step="Answered" ; Steps[5].Queue="QPar"
simulate-3.3  | WIvr    | 2026-03-30T10:00:00Z | -,1 |  | Outcome="Queued" ; Steps[2].Step="NoAnswer" ; Steps[2].Prompt.TextToSpeechPrompt="Are you there?" ; Steps[3].Attempt=2 ; Steps[4].Step="Answered"
simulate-3.4  | WIvr    | 2026-03-30T10:00:00Z | 9,-,8,*,# |  | Outcome="Disconnected" ; len(Steps)=12 ; Steps[9].Attempt=5 ; Steps[10].Step="InvalidAnswer" ; Steps[11].Step="Disconnected"
simulate-3.5  | WIvr    | 2026-03-30T10:00:00Z | 9,9,9,9,1 |  | Outcome="Queued" ; Steps[9].Attempt=5 ; Steps[10].Step="Answered"
simulate-3.6  | WIvr    | 2026-03-30T10:00:00Z |  |  | Outcome="AwaitingInput" ; Steps[1].Step="Asked" ; Steps[2].Step="AwaitingInput"
simulate-3.7  | WIvr    | 2026-03-30T10:00:00Z | 2 |  | Outcome="AwaitingInput" ; Steps[3].Step="Asked" ; Steps[3].Question="Second" ; Steps[3].Attempt=1 ; Steps[4].Step="AwaitingInput"
simulate-3.8  | WIvr    | 2026-03-30T10:00:00Z | 2,3 |  | Outcome="Queued" ; Steps[4].Step="Answered" ; Steps[4].Answer="Serial" ; Steps[5].Queue="QSer" ; Queue.AgentGroups[0].Name="GSer"
simulate-3.9  | WIvr    | 2026-03-30T10:00:00Z | SALES |  | Outcome="Queued" ; Steps[2].Step="Answered" ; Steps[2].Input="SALES" ; Steps[2].Answer="Sales"
simulate-3.10 | WIvr    | 2026-03-30T10:00:00Z | buy something |  | Outcome="Queued" ; Steps[2].Answer="Sales"
simulate-3.11 | WIvr    | 2026-03-30T10:00:00Z | 2,1 |  | Outcome="AwaitingInput" ; Steps[4].Step="InvalidAnswer" ; Steps[4].Question="Second"
simulate-4.1  | WPar    | 2026-03-30T10:00:00Z |  |  | Queue.AgentGroups[0].Offered=["$A","$B","$C"] ; Queue.AgentGroups[0].Simultaneous=true ; Queue.AgentGroups[0].NotOffered=[] ; Queue.AgentGroups[0].RoutingMethod="Parallel"
simulate-4.2  | WPar    | 2026-03-30T10:00:00Z |  | busy_b | Queue.AgentGroups[0].Offered=["$A","$C"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$B","Reason":"busy"}]
simulate-4.3  | WSer    | 2026-03-30T10:00:00Z |  |  | Queue.AgentGroups[0].Offered=["$A","$B","$C"] ; Queue.AgentGroups[0].Simultaneous=false
simulate-4.4  | WSer    | 2026-03-30T10:00:00Z |  | serial | Queue.AgentGroups[0].Offered=["$B","$C"] ; Queue.AgentGroups[0].NotOffered[0].Reason="in a call"
simulate-4.5  | WSer    | 2026-03-30T10:00:00Z |  | rr_b | Queue.AgentGroups[0].Offered=["$A","$B","$C"]
simulate-4.6  | WRR     | 2026-03-30T10:00:00Z |  |  | Queue.AgentGroups[0].Offered=["$A","$B","$C","$D"] ; Queue.AgentGroups[0].Simultaneous=false
simulate-4.7  | WRR     | 2026-03-30T10:00:00Z |  | rr_b | Queue.AgentGroups[0].Offered=["$C","$D","$A","$B"]
simulate-4.8  | WRR     | 2026-03-30T10:00:00Z |  | rr_b_away | Queue.AgentGroups[0].Offered=["$D","$A","$B"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$C","Reason":"away"}]
simulate-4.9  | WRR     | 2026-03-30T10:00:00Z |  | rr_d | Queue.AgentGroups[0].Offered=["$A","$B","$C","$D"]
simulate-4.10 | WLI     | 2026-03-30T10:00:00Z |  | idle | Queue.AgentGroups[0].Offered=["$B","$C","$A"] ; Queue.AgentGroups[0].Simultaneous=false
simulate-4.11 | WLI     | 2026-03-30T10:00:00Z |  | idle_busy | Queue.AgentGroups[0].Offered=["$C","$A"] ; Queue.AgentGroups[0].NotOffered[0].Reason="busy"
simulate-4.12 | WAtt    | 2026-03-30T10:00:00Z |  | attendant | Queue.AgentGroups[0].Offered=["$A","$B","$D"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$C","Reason":"do-not-disturb"}] ; Queue.AgentGroups[0].Simultaneous=true
simulate-4.13 | WPar    | 2026-03-30T10:00:00Z |  | attendant | Queue.AgentGroups[0].Offered=[] ; len(Queue.AgentGroups[0].NotOffered)=3 ; Outcome="Queued"
simulate-4.14 | WFormal | 2026-03-30T10:00:00Z |  | formal | Queue.AgentGroups[0].Offered=["$A"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$B","Reason":"signed out"}] ; Queue.AgentGroups[0].ParticipationPolicy="Formal"
simulate-4.15 | WFormal | 2026-03-30T10:00:00Z |  | formal_other | Queue.AgentGroups[0].Offered=["$B"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$A","Reason":"signed out"}]
simulate-4.16 | WPar    | 2026-03-30T10:00:00Z |  | formal | Queue.AgentGroups[0].Offered=["$A","$B","$C"]
simulate-4.17 | WPar    | 2026-03-30T10:00:00Z |  | offline | Queue.AgentGroups[0].Offered=["$C"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$A","Reason":"offline"},{"Agent":"$B","Reason":"offline"}]
simulate-4.18 | WAtt    | 2026-03-30T10:00:00Z |  | offline | Queue.AgentGroups[0].Offered=["$C","$D"]
simulate-4.19 | WPar    | 2026-03-30T10:00:00Z |  | declined | Queue.AgentGroups[0].Offered=["$B","$C"] ; Queue.AgentGroups[0].NotOffered=[{"Agent":"$A","Reason":"in ringback grace"}]
simulate-4.20 | WAtt    | 2026-03-30T10:00:00Z |  | declined | Queue.AgentGroups[0].Offered=["$B","$C","$D"] ; Queue.AgentGroups[0].NotOffered[0].Reason="in ringback grace"
simulate-4.21 | WTwo    | 2026-03-30T10:00:00Z |  | busy_b | len(Queue.AgentGroups)=2 ; Queue.AgentGroups[0].Name="GSer" ; Queue.AgentGroups[1].Name="GPar" ; Queue.AgentGroups[0].Offered=["$A","$C"] ; Queue.AgentGroups[1].Offered=["$A","$C"]
simulate-5.1  | WOver   | 2026-03-30T10:00:00Z |  |  | Outcome="Transferred" ; Steps[0].Step="Queue" ; Steps[1].Step="Overflow" ; Steps[2].Step="Prompt" ; Steps[2].Purpose="Overflow" ; Steps[3].Step="Transfer" ; Steps[3].Uri="sip:vm@example.com"
simulate-5.2  | WEmpty  | 2026-03-30T10:00:00Z |  |  | Outcome="Disconnected" ; Queue.AgentGroups[0].Name="GNobody" ; Queue.AgentGroups[0].Offered=[]
simulate-5.3  | WPar    | 2026-03-30T10:00:00Z |  | busy_all | Outcome="Queued" ; Queue.AgentGroups[0].Offered=[]
EOF
)

# Runs one row of the table.
# trim VAR: strips the blanks around the value of VAR (no subshell: this runs for every cell).
trim() {
  local -n v=$1
  v=${v#"${v%%[![:space:]]*}"}
  v=${v%"${v##*[![:space:]]}"}
}
while IFS='|' read -r id wf at digits state checks; do
  for f in id wf at digits state checks; do trim "$f"; done
  [ -n "$id" ] || continue
  args=(test-workflow "$wf" --at "$at" -o json)
  [ -n "$digits" ] && args+=(--digits "$digits")
  [ -n "$state" ] && args+=(--agent-state "$TMP/$state.yaml")
  list=()
  checks="$checks ; "
  while [ -n "$checks" ]; do
    c=${checks%% ; *}
    checks=${checks#* ; }
    trim c
    [ -n "$c" ] && list+=("$c")
  done
  tcase "$id" "test-workflow $wf --at $at${digits:+ --digits $digits}${state:+ --agent-state $state}"
  run "${args[@]}"
  expect_ok
  [ ${#list[@]} -gt 0 ] || fail "the table row has no checks"
  expect_json "${list[@]}"
done <<<"$TABLE"

# --- ringback grace follows the pool setting ------------------------------------------------------

tcase simulate-4.22 "with AgentRingbackGracePeriod 120, an agent who declined 90 s ago is still in grace"
setup set-configuration --agent-ringback-grace-period 120
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/declined.yaml" -o json
expect_ok
expect_json "Queue.AgentGroups[0].Offered=[\"$C\"]" 'len(Queue.AgentGroups[0].NotOffered)=2' \
  'Queue.AgentGroups[0].NotOffered[1].Reason="in ringback grace"'
setup set-configuration --agent-ringback-grace-period 60

tcase simulate-4.23 "the agent state on stdin"
run_stdin "$TMP/busy_b.yaml" test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state - -o json
expect_ok
expect_json "Queue.AgentGroups[0].Offered=[\"$A\",\"$C\"]"

# --- 6. errors -----------------------------------------------------------------------------------

tcase simulate-6.1 "an unknown key in --agent-state: exit 5 with file:line:column"
cat >"$TMP/bad1.yaml" <<EOF
agents:
  $A:
    presence: busy
    mood: grumpy
EOF
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/bad1.yaml"
expect_error 5 "--agent-state" "$TMP/bad1.yaml:4:5:" "mood"

tcase simulate-6.2 "an unknown top-level key, a bad presence, a negative idle: exit 5"
printf 'agents: {}\nqueues: {}\n' >"$TMP/bad2.yaml"
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/bad2.yaml"
expect_error 5 "$TMP/bad2.yaml:2:1:" "queues"
printf 'agents:\n  %s:\n    presence: sleepy\n' "$A" >"$TMP/bad3.yaml"
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/bad3.yaml"
expect_error 5 "$TMP/bad3.yaml:3:" "presence"
printf 'agents:\n  %s:\n    idle: -5\n' "$A" >"$TMP/bad4.yaml"
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/bad4.yaml"
expect_error 5 "$TMP/bad4.yaml:3:" "idle"

tcase simulate-6.3 "a missing --agent-state file: exit 1"
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/none.yaml"
expect_error 1 "none.yaml"

tcase simulate-6.4 "an unknown workflow: exit 3"
run test-workflow Nowhere --at 2026-03-30T10:00:00Z
expect_error 3 "workflow 'Nowhere' not found"

tcase simulate-6.5 "malformed --at: exit 2 naming it"
for bad in tomorrow 2026-03-30T10 2026-13-01T10:00:00Z 2026-03-30T25:00:00Z "2026-03-30T10:00:00+5" 2026-03-30T10:00:61Z; do
  run test-workflow WPar --at "$bad"
  expect_error 2 "--at" "$bad"
done

tcase simulate-6.6 "malformed --digits (a double quote): exit 2; no IDENTITY: exit 2"
run test-workflow WIvr --at 2026-03-30T10:00:00Z --digits '1,"x"'
expect_error 2 "--digits"
run test-workflow --at 2026-03-30T10:00:00Z
expect_error 2

tcase simulate-6.7 "test-workflow writes nothing"
r0=$(revision)
run test-workflow WPar --at 2026-03-30T10:00:00Z
expect_ok
expect_revision "$r0"

# --- 7. list output ------------------------------------------------------------------------------

tcase simulate-7.1 "-o list: the path, the groups and 'Outcome  : Queued'"
run test-workflow WPar --at 2026-03-30T10:00:00Z --agent-state "$TMP/busy_b.yaml"
expect_ok
expect_stdout_line "Workflow : WPar"
expect_stdout_line "At       : 2026-03-30T10:00:00Z = 2026-03-30T10:00:00 Monday in UTC"
expect_stdout_contains "Outcome  : Queued" "queue 'QPar'"
expect_stdout_line "       not offered: $B (busy)"
[[ "$(printf '%s' "$OUT" | tail -n 1)" == "Outcome  : Queued: "* ]] || fail "the last line is not the outcome"

tcase simulate-7.2 "-o list of a holiday, an inactive workflow and a disconnected IVR call"
run test-workflow WParis --at 2026-12-25T10:00:00
expect_ok
expect_stdout_contains "Schedule : Holiday (Xmas in holiday set 'Feasts')" "Outcome  : Terminated"
run test-workflow WOff --at 2026-03-30T10:00:00Z
expect_ok
expect_stdout_contains "Workflow : WOff (inactive)" "Outcome  : Rejected"
run test-workflow WIvr --at 2026-03-30T10:00:00Z --digits 9,9,9,9,9
expect_ok
expect_stdout_contains "Outcome  : Disconnected" "disconnected"

finish
