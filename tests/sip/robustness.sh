#!/bin/bash
# rgsd under conditions other than the happy path: ringing before answering (sip.answer_delay)
# and the caller's CANCEL, TCP, overload (503 with Retry-After), malformed and unexpected SIP,
# SIGHUP.
. "$(dirname "$0")/lib.sh"

plan sip-robustness \
  "sip.answer_delay: agents ring before rgsd answers; the caller's CANCEL while they ring" \
  "SIP over TCP: an agent registered over TCP, a caller over TCP" \
  "overload: callers beyond sip.max_calls, or beyond the descriptors for media, get 503 with Retry-After" \
  "malformed and unexpected requests do not stop rgsd; SIGHUP re-reads the configuration"

setup -q new-agentgroup Ring --agent sip:r1@example.com
setup -q new-agentgroup Tcp --agent sip:t1@example.com
setup -q new-agentgroup Hold --participation-policy formal --agent sip:h1@example.com
setup -q new-queue Ring --agent-group Ring
setup -q new-queue Tcp --agent-group Tcp
setup -q new-queue Hold --agent-group Hold
for q in Ring Tcp Hold; do
  name=$(echo "$q" | tr 'A-Z' 'a-z')
  setup -q new-workflow "$q" --primary-uri "sip:$name@example.com" --default-action "queue:$q" --active true
done

start_rgsd "log_level: info" || exit 1
sed -i 's/^sip:$/sip:\n  answer_delay: 4\n  max_calls: 3\n  retry_after: 7/' "$TMP/rgsd.yaml"
stop_rgsd
start_rgsd_again() {
  "$RGSD" --config "$TMP/rgsd.yaml" 2>>"$TMP/rgsd.log" &
  RGSD_PID=$!
  PIDS+=("$RGSD_PID")
  for _ in $(seq 1 50); do [ -S "$RGS_CONTROL" ] && return 0; sleep 0.1; done
  return 1
}
start_rgsd_again || { cat "$TMP/rgsd.log"; exit 1; }

tcase sip-robustness-1.1 "with answer_delay, an agent answering at once connects the caller directly (no re-INVITE)"
agent r1 answer
call ring caller_direct 300
expect_status 0
expect_msg "$LAST_MSG" "^SIP/2.0 180 Ringing"
expect_msg "$LAST_MSG" "^m=audio [0-9]+ RTP/AVP 0"       # the agent's SDP, in rgsd's 200
records --last 1
expect_json "[0].Outcome=\"Answered\"" "[0].Agent=\"sip:r1@example.com\""

tcase sip-robustness-1.2 "the caller's CANCEL while the agent rings: 487, the agent's INVITE is cancelled"
stop_agent r1
agent r1 noanswer
call ring caller_cancel 1000
expect_status 0
expect_msg "$TMP/agent-r1.msg" "^CANCEL sip:r1@"
records --last 1
expect_json "[0].Outcome=\"Abandoned\"" "[0].Queues[0].Offers[0].Result=\"Cancelled\""

tcase sip-robustness-1.3 "nobody answers within answer_delay: rgsd answers with its own media, then connects by re-INVITE"
call hold caller_wait 5500
expect_status 0
expect_msg "$LAST_MSG" "^o=rgsd "
records --last 1
expect_json "[0].Outcome=\"Abandoned\""

tcase sip-robustness-2.1 "over TCP: an agent registered with transport=tcp is offered a TCP caller's call"
agent t1 answer -t t1
call tcp caller_direct 300 -t t1
expect_status 0
expect_msg "$LAST_MSG" "^TCP message received"
expect_msg "$TMP/agent-t1.msg" "^INVITE sip:t1@127.0.0.1:[0-9]+;transport=TCP"
records --last 1
expect_json "[0].Outcome=\"Answered\"" "[0].Agent=\"sip:t1@example.com\""

# three_waiting_then_503: three callers wait in queue Hold (6 s each); a fourth must get 503.
# end_waiting: waits for the three to end their calls.
three_waiting_then_503() {
  local i n
  bg=()
  for i in 1 2 3; do
    n=$(log_count "waiting in queue 'Hold'")
    call_bg hold caller_wait 6000
    bg+=("$CALL_PID")
    wait_more "waiting in queue 'Hold'" "$n" 10
  done
  reject 503 hold
  expect_status 0
}
end_waiting() {
  local p
  for p in "${bg[@]}"; do
    wait_call "$p"
    expect_status 0
  done
}

tcase sip-robustness-3.1 "callers beyond sip.max_calls (3) get 503 with Retry-After (7)"
three_waiting_then_503
expect_msg "$LAST_MSG" "^Retry-After: 7"
end_waiting

# Under a limit of 259 open files rgsd keeps 256 for itself: its media may hold 3 sockets.
tcase sip-robustness-3.2 "out of descriptors: 3 media sockets under a limit of 259 files; the 4th caller gets 503, the control socket still answers"
stop_rgsd
sed 's/^  max_calls: 3$/  max_calls: 10/; s/^  answer_delay: 4$/  answer_delay: 0/' "$TMP/rgsd.yaml" >"$TMP/rgsd-fds.yaml"
bash -c 'ulimit -n 259 && exec "$0" --config "$1"' "$RGSD" "$TMP/rgsd-fds.yaml" 2>>"$TMP/rgsd.log" &
RGSD_PID=$!
PIDS+=("$RGSD_PID")
for _ in $(seq 1 50); do [ -S "$RGS_CONTROL" ] && break; sleep 0.1; done
expect_log "only 259 file descriptors \\(RLIMIT_NOFILE\\): 1 callers at once can have RTP and RTCP, fewer than sip.max_calls \\(10\\); past 3 media sockets new callers get 503"
three_waiting_then_503
expect_log "the media at their descriptor limit"
CMD="status.py Calls"
OUT=$(python3 "$RGS_SOURCE_DIR/tests/sip/status.py" "$RGS_CONTROL" Calls); RC=$?
expect_status 0
[ "$OUT" = 3 ] || fail "expected 3 calls in progress, status says '$OUT'"
end_waiting
stop_rgsd
start_rgsd_again || { cat "$TMP/rgsd.log"; exit 1; }

tcase sip-robustness-4.1 "garbage, malformed requests and unknown methods leave rgsd answering"
python3 -S - "$SIP_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
msgs = [b"\x00\xff" * 50, b"hello", b"INVITE\r\n\r\n", b"INVITE sip:ring@example.com SIP/2.0\r\nVia: nonsense\r\n\r\n",
        b"INVITE sip:ring@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\nContent-Length: 99999\r\n\r\nv=0",
        b"FOO sip:ring@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKy\r\nFrom: <sip:a@b>;tag=1\r\n"
        b"To: <sip:ring@example.com>\r\nCall-ID: junk1\r\nCSeq: 1 FOO\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        b"BYE sip:ring@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKz\r\nFrom: <sip:a@b>;tag=1\r\n"
        b"To: <sip:ring@example.com>;tag=2\r\nCall-ID: nodialog\r\nCSeq: 1 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
        b"X" * 60000]
for m in msgs:
    s.sendto(m, ("127.0.0.1", port))
t = socket.create_connection(("127.0.0.1", port))
t.sendall(b"INVITE sip:ring@example.com SIP/2.0\r\nContent-Length: -5\r\n\r\n" + b"\xff" * 1000)
t.close()
PY
sleep 0.5
kill -0 "$RGSD_PID" 2>/dev/null || fail "rgsd died"
sipp_once options
expect_status 0
call ring caller_cancel 300
expect_status 0

tcase sip-robustness-4.2 "SIGHUP: log_level applies at once; other changes are reported as needing a restart"
sed -i 's/^log_level: info/log_level: warning/; s/max_calls: 3/max_calls: 4/' "$TMP/rgsd.yaml"
kill -HUP "$RGSD_PID"
expect_log "SIGHUP: configuration read again; log_level applied; a restart is needed for sip"
n=$(log_count " info ")
call ring caller_cancel 300
sleep 0.3
[ "$(log_count " info ")" = "$n" ] || fail "info lines were still logged after log_level: warning"
echo "sip: [" >>"$TMP/rgsd.yaml"
kill -HUP "$RGSD_PID"
expect_log "error SIGHUP: .*rgsd.yaml:[0-9]+:[0-9]+: .*the configuration in force is kept"
kill -0 "$RGSD_PID" 2>/dev/null || fail "rgsd died on a bad configuration file"

finish
