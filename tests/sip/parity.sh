#!/bin/bash
# One scenario table, run through both implementations of nothing: `rgs test-workflow` (the call
# flow driven by a scripted endpoint) and rgsd (the same call flow driven by real SIP from SIPp).
# For each row the outcome test-workflow predicts must be the outcome rgsd records. Rows cover
# what needs no agent to answer: schedules, holidays, overflow, queues without agents, inactive
# workflows, and a call that waits; then a question answered by key, by a caller with media.
. "$(dirname "$0")/lib.sh"

plan sip-parity "the outcome test-workflow predicts is the outcome rgsd records, row by row" \
  "a question answered by key: test-workflow's answer and outcome are rgsd's"

setup -q new-hoursofbusiness Never
setup -q new-holidayset Century --holiday "Long holiday=2000-01-01/2100-01-01"
setup -q new-agentgroup Empty
setup -q new-agentgroup Away --participation-policy formal --agent sip:nobody@example.com
setup -q new-queue Empty --agent-group Empty
setup -q new-queue Away --agent-group Away
setup -q new-queue Full --agent-group Away --overflow-threshold 0 --overflow-action terminate
setup -q new-queue Spill --agent-group Away --overflow-threshold 0 --overflow-action uri:sip:spill@example.com

# name | options of new-workflow | SIP final status the caller gets (or "wait") | outcome
table='
inactive  | --default-action queue:Away                                                  | 480  | Rejected
closed    | --business-hours Never --non-business-hours-action terminate --default-action queue:Away --active true | 480 | Terminated
closedfwd | --business-hours Never --non-business-hours-action uri:sip:vm@example.com --default-action queue:Away --active true | 302 | Transferred
holiday   | --holiday-set Century --holiday-action terminate --default-action queue:Away --active true | 480 | Terminated
noaction  | --business-hours Never --default-action queue:Away --active true | 480 | Terminated
empty     | --default-action queue:Empty --active true                                    | 480  | Disconnected
full      | --default-action queue:Full --active true                                     | 480  | Terminated
spill     | --default-action queue:Spill --active true                                    | 302  | Transferred
waits     | --default-action queue:Away --active true                                     | wait | Queued
'
while IFS='|' read -r name opts status outcome; do
  name=$(echo "$name" | xargs)
  [ -z "$name" ] && continue
  # shellcheck disable=SC2086
  setup -q new-workflow "$name" --primary-uri "sip:$name@example.com" $opts
done <<<"$table"

# A question: key 1 sends the caller to queue Away (it waits), key 2 to queue Empty (no agents:
# the caller is disconnected).
cat >"$TMP/menu.yaml" <<'EOF'
Name: Menu
Prompt: {TextToSpeechPrompt: "Press 1 to wait, or 2 for an empty queue."}
AnswerList:
  - Name: Wait
    DtmfResponse: "1"
    Action: {Action: TransferToQueue, QueueID: Away}
  - Name: Nobody
    DtmfResponse: "2"
    Action: {Action: TransferToQueue, QueueID: Empty}
EOF
setup -q new-workflow menu --primary-uri sip:menu@example.com --active true --default-prompt "text:Welcome." \
  --default-action question --question-file "$TMP/menu.yaml"

start_rgsd || exit 1

n=0
while IFS='|' read -r name opts status outcome; do
  name=$(echo "$name" | xargs); status=$(echo "$status" | xargs); outcome=$(echo "$outcome" | xargs)
  [ -z "$name" ] && continue
  n=$((n + 1))
  tcase "sip-parity-1.$n" "$name: test-workflow and rgsd agree ($outcome)"
  run test-workflow "$name" --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" -o json
  expect_status 0
  predicted=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Outcome"])')
  [ "$predicted" = "$outcome" ] || fail "test-workflow predicts $predicted, the table says $outcome"
  if [ "$status" = wait ]; then
    call "$name" caller_wait 500
    expect_status 0
    records --last 1
    # A call that waits: rgsd has it in the queue test-workflow names until the caller leaves.
    queue=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Queues"][0]["Queue"])')
    run test-workflow "$name" --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" -o json
    expect_json "Queue.Queue=\"$queue\""
  else
    reject "$status" "$name"
    expect_status 0
    records --last 1
    expect_json "[0].Outcome=\"$predicted\""
  fi
done <<<"$table"

# A question, answered by key (RFC 4733 from a caller with media): the path test-workflow
# predicts for the key (its prompts, question and answer) is the one rgsd takes.
n=0
for row in "1 Wait Queued" "2 Nobody Disconnected"; do
  read -r key answer outcome <<<"$row"
  n=$((n + 1))
  tcase "sip-parity-2.$n" "menu, key $key: test-workflow and rgsd agree ($answer, $outcome)"
  run test-workflow menu --digits "$key" --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" -o json
  expect_status 0
  predicted=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Outcome"])')
  [ "$predicted" = "$outcome" ] || fail "test-workflow predicts $predicted, the table says $outcome"
  printf '%s' "$OUT" | grep -q "answers $key: '$answer'" || printf '%s' "$OUT" | grep -q "\"$answer\"" ||
    fail "test-workflow's path has no answer '$answer'"
  CMD="mediacaller menu --key $key"
  ended=$(log_count ": ended: ")
  OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/mediacaller.py" "$SIP_PORT" menu 3 --key "$key" --key-at 1.5); RC=0
  echo "$OUT" | grep -q '"status": 200' || fail "the call was not answered: $OUT"
  expect_log "question 'Menu' answered '$answer'"
  wait_more ": ended: " "$ended" 10 || fail "rgsd did not end the call"   # its record is given then
  records --last 1
  if [ "$outcome" = Queued ]; then
    expect_json "[0].Queues[0].Queue=\"Away\""   # then the caller hung up while waiting
  else
    expect_json "[0].Outcome=\"$outcome\""
  fi
done

finish
