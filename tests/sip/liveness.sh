#!/bin/bash
# Liveness: rgsd probes the dialogs of its calls with in-dialog OPTIONS (sip.probe_interval); a
# caller who answers 481 (the dialog is gone) ends its call as Lost and gets a BYE.
. "$(dirname "$0")/lib.sh"

plan sip-liveness \
  "the probe: OPTIONS in the dialog; 200 keeps the call, 481 ends it as Lost"

setup -q new-agentgroup Away --agent sip:nobody@example.com
setup -q new-queue Away --agent-group Away
setup -q new-workflow Away --primary-uri sip:away@example.com --default-action queue:Away --active true

SIP_SETTINGS="probe_interval: 1" start_rgsd || exit 1

tcase sip-liveness-1.1 "a waiting caller is probed every second; its 200 keeps the call, its 481 ends it as Lost with a BYE"
call away caller_probed 0
expect_status 0
expect_msg "$LAST_MSG" "^OPTIONS sip:"
expect_log "the caller's side stopped responding \(no answer to OPTIONS: 481\)"
records --last 1
expect_json "[0].Outcome=\"Lost\""

finish
