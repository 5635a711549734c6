#!/usr/bin/env python3
"""CALLS callers on music on hold, for bench/media.sh: each INVITEs sip:USER@example.com at rgsd
on 127.0.0.1:PORT (PCMU and RFC 4733 offered, from one SIP socket), RATE new calls a second,
acknowledges the 200 and receives rgsd's RTP on one shared RTP socket (every caller's SDP names
it; rgsd's streams are told apart by their source port, the port of rgsd's SDP answer). Arrival
times are the kernel's (SO_TIMESTAMPNS), so that this program's own delays do not count. Once
every call is answered it measures for WINDOW seconds, then hangs up every call (BYE).

  mohcallers.py PORT USER CALLS RATE WINDOW [--ready FILE]

--ready FILE: the file is created when the measuring window starts (and removed when it ends), so
that a caller of this program can read rgsd's CPU over the same window.

Prints one JSON object:
  answered, failed          INVITEs answered 200 / ended otherwise (or not answered within 32 s)
  first_packet_ms           p50, p99, max: from the 200 OK's arrival to the stream's first packet
  spacing_dev_ms            p50, p99, max of |gap - 20 ms| between packets following each other
                            in a stream, within the window
  packets, pps              RTP packets received within the window, and per second
  seq_errors, ts_errors     packets within the window whose sequence number is not the last + 1,
                            or whose timestamp is not the last + 160
  streams_silent            answered calls from whom no packet came within the window
  byes_ok                   BYEs answered 200
"""
import argparse
import json
import os
import re
import selectors
import socket
import struct
import time

SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, int(round(p / 100.0 * (len(sorted_values) - 1))))
    return sorted_values[i]


class Histogram:
    """Milliseconds in 10 µs bins (up to 1 s), for percentiles over millions of samples."""

    def __init__(self):
        self.bins = [0] * 100001
        self.n = 0
        self.max = 0.0

    def add(self, ms):
        self.bins[min(100000, int(ms * 100))] += 1
        self.n += 1
        self.max = max(self.max, ms)

    def pct(self, p):
        if self.n == 0:
            return None
        want = p / 100.0 * self.n
        seen = 0
        for i, c in enumerate(self.bins):
            seen += c
            if seen >= want:
                return i / 100.0
        return self.max


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("user")
    ap.add_argument("calls", type=int)
    ap.add_argument("rate", type=float)
    ap.add_argument("window", type=float)
    ap.add_argument("--ready")
    a = ap.parse_args()

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    sip.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    rtp.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    local = "127.0.0.1:%d" % sip.getsockname()[1]
    rtp_port = rtp.getsockname()[1]
    target = ("127.0.0.1", a.port)
    tag = os.urandom(4).hex()

    sdp = ("v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n" % rtp_port)

    calls = []  # per call: dict
    by_callid = {}
    by_port = {}  # rgsd's RTP port -> call

    def request(c, method, cseq, body="", to_tag=None):
        branch = "z9hG4bK" + os.urandom(6).hex()
        to = "<sip:%s@example.com>" % a.user + (";tag=" + to_tag if to_tag else "")
        lines = ["%s sip:%s@example.com SIP/2.0" % (method, a.user),
                 "Via: SIP/2.0/UDP %s;branch=%s;rport" % (local, branch), "Max-Forwards: 70",
                 "From: <sip:caller%d@example.com>;tag=%s-%d" % (c["n"], tag, c["n"]), "To: " + to,
                 "Call-ID: " + c["call_id"], "CSeq: %d %s" % (cseq, method),
                 "Contact: <sip:caller%d@%s>" % (c["n"], local)]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body))
        sip.sendto(("\r\n".join(lines) + "\r\n\r\n" + body).encode(), target)

    def on_sip(data):
        text = data.decode("utf-8", "replace")
        head = text.split("\r\n\r\n", 1)
        first = head[0].split("\r\n", 1)[0]
        m = re.search(r"(?im)^(?:call-id|i)\s*:\s*(\S+)", head[0])
        c = by_callid.get(m.group(1)) if m else None
        if not first.startswith("SIP/2.0 "):
            # A request inside a call (an OPTIONS probe, a BYE): answered 200.
            hdrs = [l for l in head[0].split("\r\n")[1:]
                    if re.match(r"(?i)(via|v|from|f|to|t|call-id|i|cseq)\s*:", l)]
            sip.sendto(("SIP/2.0 200 OK\r\n" + "\r\n".join(hdrs) + "\r\nContent-Length: 0\r\n\r\n").encode(),
                       target)
            if c and first.startswith("BYE"):
                c["ended"] = True
            return
        if not c:
            return
        status = int(first.split()[1])
        cseq = re.search(r"(?im)^cseq\s*:\s*\d+\s+(\w+)", head[0])
        method = cseq.group(1) if cseq else ""
        if method == "BYE":
            if status == 200:
                c["bye_ok"] = True
            return
        if status < 200:
            c["provisional"] = True
            return
        if status >= 300:
            c["failed"] = True
            return
        tt = re.search(r"(?im)^(?:to|t)\s*:.*;tag=([^;\s]+)", head[0])
        c["to_tag"] = tt.group(1) if tt else None
        request(c, "ACK", 1, to_tag=c["to_tag"])
        if c.get("answered_at") is None:
            c["answered_at"] = time.time()
            mp = re.search(r"(?m)^m=audio (\d+)", head[1] if len(head) > 1 else "")
            if mp:
                c["rtp_port"] = int(mp.group(1))
                by_port[c["rtp_port"]] = c

    hist_first, spacing = [], Histogram()
    window = {"on": False, "packets": 0, "seq": 0, "ts": 0}
    streams = {}  # port -> [last_seq, last_ts, last_time, packets in window]

    def on_rtp():
        try:
            data, anc, _, addr = rtp.recvmsg(2048, 64, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        t = None
        for level, kind, value in anc:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                sec, nsec = struct.unpack("qq", value[:16])
                t = sec + nsec / 1e9
        if t is None:
            t = time.time()
        if len(data) < 12:
            return True
        seq, ts = struct.unpack("!HI", data[2:8])
        port = addr[1]
        s = streams.get(port)
        if s is None:
            c = by_port.get(port)
            if c is not None and c.get("answered_at"):
                hist_first.append((t - c["answered_at"]) * 1000)
            streams[port] = [seq, ts, t, 0]
            return True
        if window["on"]:
            window["packets"] += 1
            s[3] += 1
            if seq != (s[0] + 1) & 0xFFFF:
                window["seq"] += 1
            elif ts != (s[1] + 160) & 0xFFFFFFFF:
                window["ts"] += 1
            else:
                spacing.add(abs((t - s[2]) * 1000 - 20))
        s[0], s[1], s[2] = seq, ts, t
        return True

    sel = selectors.DefaultSelector()
    sel.register(sip, selectors.EVENT_READ, "sip")
    sel.register(rtp, selectors.EVENT_READ, "rtp")

    def pump(timeout):
        for key, _ in sel.select(timeout):
            if key.data == "sip":
                while True:
                    try:
                        data = sip.recv(65535, socket.MSG_DONTWAIT)
                    except BlockingIOError:
                        break
                    on_sip(data)
            else:
                for _ in range(256):
                    if not on_rtp():
                        break

    start = time.time()
    n = 0
    while n < a.calls or any(c.get("answered_at") is None and not c.get("failed") for c in calls):
        now = time.time()
        while n < a.calls and now >= start + n / a.rate:
            c = {"n": n, "call_id": "%s-%d@moh" % (tag, n), "sent": now}
            calls.append(c)
            by_callid[c["call_id"]] = c
            request(c, "INVITE", 1, sdp)
            n += 1
        for c in calls:  # Timer A, then give up after 32 s
            if c.get("answered_at") is None and not c.get("failed") and not c.get("provisional"):
                if now - c["sent"] > 32:
                    c["failed"] = True
                elif now - c.setdefault("retrans", c["sent"]) > 0.5:
                    c["retrans"] = now
                    request(c, "INVITE", 1, sdp)
        if now - start > a.calls / a.rate + 40:
            break
        pump(0.002)

    # Settle 2 s (every stream running), then measure.
    t_end = time.time() + 2
    while time.time() < t_end:
        pump(0.01)
    for s in streams.values():
        s[3] = 0
    window["on"] = True
    if a.ready:
        open(a.ready, "w").close()
    t0 = time.time()
    while time.time() < t0 + a.window:
        pump(0.01)
    window["on"] = False
    t1 = time.time()
    if a.ready:
        os.unlink(a.ready)

    for c in calls:
        if c.get("answered_at") and not c.get("ended"):
            request(c, "BYE", 2, to_tag=c.get("to_tag"))
    t_end = time.time() + 5
    while time.time() < t_end and not all(c.get("bye_ok") or c.get("ended") for c in calls if c.get("answered_at")):
        pump(0.01)

    answered = [c for c in calls if c.get("answered_at")]
    firsts = sorted(hist_first)
    silent = sum(1 for c in answered if streams.get(c.get("rtp_port"), [0, 0, 0, 0])[3] == 0)
    print(json.dumps({
        "answered": len(answered),
        "failed": len(calls) - len(answered),
        "first_packet_ms": {"p50": percentile(firsts, 50), "p99": percentile(firsts, 99),
                            "max": firsts[-1] if firsts else None},
        "spacing_dev_ms": {"p50": spacing.pct(50), "p99": spacing.pct(99), "max": round(spacing.max, 3)},
        "packets": window["packets"],
        "pps": round(window["packets"] / (t1 - t0)),
        "seq_errors": window["seq"],
        "ts_errors": window["ts"],
        "streams_silent": silent,
        "byes_ok": sum(1 for c in answered if c.get("bye_ok")),
    }))


if __name__ == "__main__":
    main()
