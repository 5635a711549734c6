#!/bin/bash
# rgsd as a system service: it tells systemd (Type=notify, through $NOTIFY_SOCKET) when it is
# ready and when it stops; `cmake --install` puts rgs, rgsd, the three man pages and the unit in
# place.
. "$(dirname "$0")/lib.sh"

plan sip-service \
  "sd_notify: READY=1 once SIP listens, STOPPING=1 on SIGTERM" \
  "cmake --install: programs, man pages and the systemd unit"

setup -q new-agentgroup Desk --agent sip:ann@example.com

tcase sip-service-1.1 "rgsd sends READY=1 (with its status) when it serves, and STOPPING=1 when it stops"
python3 -S - "$TMP/notify.sock" "$TMP/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(20)
with open(sys.argv[2], "a") as log:
    try:
        while True:
            log.write(s.recv(4096).decode() + "\n")
            log.flush()
    except socket.timeout:
        pass
PY
listener=$!
PIDS+=("$listener")
for _ in $(seq 50); do [ -S "$TMP/notify.sock" ] && break; sleep 0.1; done
export NOTIFY_SOCKET="$TMP/notify.sock"
start_rgsd || exit 1
unset NOTIFY_SOCKET
for _ in $(seq 50); do grep -q "READY=1" "$TMP/notify.log" 2>/dev/null && break; sleep 0.1; done
grep -q "^READY=1" "$TMP/notify.log" || fail "no READY=1 from rgsd: $(cat "$TMP/notify.log" 2>/dev/null)"
grep -q "STATUS=serving revision [0-9]* on sip:127.0.0.1:$SIP_PORT" "$TMP/notify.log" ||
  fail "no STATUS line from rgsd"
stop_rgsd
for _ in $(seq 50); do grep -q "STOPPING=1" "$TMP/notify.log" && break; sleep 0.1; done
grep -q "^STOPPING=1" "$TMP/notify.log" || fail "no STOPPING=1 from rgsd"
kill "$listener" 2>/dev/null

tcase sip-service-2.1 "cmake --install into a prefix installs rgs, rgsd, rgs(1), rgsd(8), rgs-archive(5) and rgsd.service"
build=$(dirname "$RGS")
CMD="cmake --install"
OUT=$(cmake --install "$build" --prefix "$TMP/inst" 2>&1); RC=$?
expect_status 0
for f in bin/rgs sbin/rgsd share/man/man1/rgs.1 share/man/man8/rgsd.8 share/man/man5/rgs-archive.5 lib/systemd/system/rgsd.service; do
  [ -e "$TMP/inst/$f" ] || fail "cmake --install did not install $f"
done
grep -q "^Type=notify" "$TMP/inst/lib/systemd/system/rgsd.service" || fail "the unit is not Type=notify"
grep -Eq "^ExecStart=/.*/rgsd --config /etc/rgs/rgsd.yaml" "$TMP/inst/lib/systemd/system/rgsd.service" ||
  fail "the unit's ExecStart does not start rgsd with /etc/rgs/rgsd.yaml"

finish
