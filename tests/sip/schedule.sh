#!/bin/bash
# Business hours and holidays over real SIP (reference 3.1-3.2), chosen so that each case holds at
# any hour of any day: hours open all week, hours closed all week, and a holiday spanning the
# century. Transfers of callers rgsd has not answered are redirects (302, target in Contact).
. "$(dirname "$0")/lib.sh"

plan sip-schedule \
  "open: the default action queues the call" \
  "after hours: the non-business-hours action (redirect, or terminate with 480)" \
  "holidays: the holiday action wins over after-hours; a missing action ends the call"

all=00:00-24:00
setup -q new-hoursofbusiness Always --monday $all --tuesday $all --wednesday $all --thursday $all --friday $all \
  --saturday $all --sunday $all
setup -q new-hoursofbusiness Never
setup -q new-holidayset Century --holiday "Long holiday=2000-01-01/2100-01-01"
setup -q new-agentgroup Desk --agent sip:d1@example.com
setup -q new-queue Desk --agent-group Desk
wf() {   # wf NAME OPTIONS...: a workflow at sip:NAME@example.com queueing to Desk
  local name=$1
  shift
  setup -q new-workflow "$name" --primary-uri "sip:$name@example.com" --default-action queue:Desk --active true \
    --time-zone "Pacific/Kiritimati" "$@"
}
wf open --business-hours Always
wf closed --business-hours Never --non-business-hours-action uri:sip:night@example.com
wf closed-end --business-hours Never --non-business-hours-action terminate
wf holiday --business-hours Never --holiday-set Century --holiday-action voicemail:sip:vm@example.com \
  --non-business-hours-action uri:sip:night@example.com
wf holiday-open --business-hours Always --holiday-set Century --holiday-action pstn:tel:+14255550199
wf holiday-none --holiday-set Century

start_rgsd || exit 1
agent d1 answer

tcase sip-schedule-1.1 "hours open all week: the call goes to the queue and an agent"
call open caller 200
expect_status 0
expect_log "to workflow 'open': Open"
records --last 1
expect_json "[0].Outcome=\"Answered\""

tcase sip-schedule-2.1 "hours closed all week: redirected to the non-business-hours address"
reject 302 closed
expect_status 0
expect_msg "$LAST_MSG" "^Contact: <sip:night@example.com>"
expect_log "to workflow 'closed': AfterHours"
records --last 1
expect_json "[0].Outcome=\"Transferred\"" "[0].Detail=\"transferred to sip:night@example.com\"" "len([0].Queues)=0"

tcase sip-schedule-2.2 "after hours with terminate: 480"
reject 480 closed-end
expect_status 0
records --last 1
expect_json "[0].Outcome=\"Terminated\"" "[0].Detail=\"AfterHours action: terminate\""

tcase sip-schedule-3.1 "a holiday wins over after-hours: redirected to voice mail"
reject 302 holiday
expect_status 0
expect_msg "$LAST_MSG" "^Contact: <sip:vm@example.com>"
expect_log "to workflow 'holiday': Holiday \(Long holiday\)"

tcase sip-schedule-3.2 "a holiday in open hours: its action, to a PSTN number"
reject 302 holiday-open
expect_status 0
expect_msg "$LAST_MSG" "^Contact: <tel:\+14255550199>"

tcase sip-schedule-3.3 "a holiday with no holiday action ends the call (480)"
reject 480 holiday-none
expect_status 0
records --last 1
expect_json "[0].Outcome=\"Terminated\"" "[0].Detail=\"Holiday action not set\""

tcase sip-schedule-3.4 "the simulator agrees with the daemon on each workflow"
for w in open closed closed-end holiday holiday-open holiday-none; do
  run test-workflow "$w" -o json
  case $w in
    open) expect_json "Schedule=\"Open\"" ;;
    closed|closed-end) expect_json "Schedule=\"AfterHours\"" ;;
    *) expect_json "Schedule=\"Holiday\"" ;;
  esac
done

finish
