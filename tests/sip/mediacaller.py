#!/usr/bin/env python3
"""A caller with media, over UDP on 127.0.0.1: INVITEs sip:USER@example.com at rgsd (PCMU and
RFC 4733 telephone-events offered), acknowledges the 200, records the RTP rgsd sends for SECONDS,
optionally presses KEY (an RFC 4733 event) after KEY_AT seconds, or says what the raw PCMU file
SAY holds (RTP, 20 ms packets) from SAY_AT seconds, then hangs up (BYE). --record writes the
PCMU payloads received, one after the other, to FILE.

  mediacaller.py PORT USER SECONDS [--tone HZ] [--key KEY --key-at SECONDS]
                 [--say FILE --say-at SECONDS] [--record FILE]

Prints one JSON object: status (the INVITE's final status), packets, payload_types, seq_ok and
ts_ok (every packet one sequence number and 160 timestamp units after the last), marker_first
(the marker bit on the first packet only), spacing_p99_ms (the 99th percentile of the deviation
of the gaps between packets from 20 ms), tone_first/tone_last (the first and last packet in
which HZ dominates, -1 when never), sound_after_tone (packets after tone_last that are not
silence), silent (packets of pure G.711 silence).
"""
import argparse
import json
import math
import os
import re
import socket
import time


def ulaw(u):
    u = ~u & 0xFF
    t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return ((0x84 - t) if u & 0x80 else (t - 0x84)) / 32768.0


def presence(samples, hz):
    """The share of the frame's energy at `hz` (Goertzel), 0..1."""
    k = 2 * math.cos(2 * math.pi * hz / 8000)
    s1 = s2 = energy = 0.0
    for v in samples:
        s0 = v + k * s1 - s2
        s2, s1 = s1, s0
        energy += v * v
    if energy < 1e-6:
        return 0.0
    return (s1 * s1 + s2 * s2 - k * s1 * s2) / (energy * len(samples) / 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("user")
    ap.add_argument("seconds", type=float)
    ap.add_argument("--tone", type=float, default=1000)
    ap.add_argument("--key")
    ap.add_argument("--key-at", type=float, default=1.0)
    ap.add_argument("--say")
    ap.add_argument("--say-at", type=float, default=1.0)
    ap.add_argument("--record")
    a = ap.parse_args()

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sip.getsockname()[1]
    call_id, tag = os.urandom(8).hex(), os.urandom(4).hex()
    uri = "sip:%s@example.com" % a.user
    sdp = ("v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
           "a=fmtp:101 0-15\r\na=sendrecv\r\n" % rtp.getsockname()[1])

    def request(method, cseq, to_tag="", body=""):
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport" % (local, os.urandom(6).hex()),
                 "From: <sip:caller@example.com>;tag=%s" % tag,
                 "To: <%s>%s" % (uri, ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s@test" % call_id, "CSeq: %d %s" % (cseq, method),
                 "Contact: <sip:caller@%s>" % local, "Max-Forwards: 70"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def send(msg):
        sip.sendto(msg, ("127.0.0.1", a.port))

    out = {"status": None}
    invite = request("INVITE", 1, body=sdp)
    send(invite)
    sip.settimeout(0.5)
    deadline, to_tag, remote = time.time() + 8, "", None
    while time.time() < deadline and out["status"] is None:
        try:
            data = sip.recv(65535).decode("utf-8", "replace")
        except socket.timeout:
            send(invite)   # RFC 3261 Timer A
            continue
        m = re.match(r"SIP/2.0 (\d+)", data)
        if not m or "INVITE" not in (re.search(r"^CSeq:.*$", data, re.M | re.I) or [""])[0]:
            continue
        status = int(m.group(1))
        if status >= 200:
            out["status"] = status
            t = re.search(r"^To:.*;tag=([^;\s>]+)", data, re.M | re.I)
            to_tag = t.group(1) if t else ""
            port = re.search(r"^m=audio (\d+)", data, re.M)
            host = re.search(r"^c=IN IP4 (\S+)", data, re.M)
            if port and host:
                remote = (host.group(1), int(port.group(1)))
    if out["status"] != 200:
        print(json.dumps(out))
        return 0
    send(request("ACK", 1, to_tag))

    packets, arrivals = [], []
    rtp.settimeout(0.005 if a.say else 0.05)
    start = time.time()
    key_sent = False
    said = open(a.say, "rb").read() if a.say else b""
    said_at = 0  # the next 160 bytes of `said` to send
    while time.time() - start < a.seconds:
        # The spoken answer: one packet each 20 ms from SAY_AT, on a clock of its own.
        while remote and said_at < len(said) and time.time() - start >= a.say_at + said_at / 8000:
            n = said_at // 160
            header = bytes([0x80, 0x80 if n == 0 else 0]) + (2000 + n).to_bytes(2, "big")
            header += (8000 + said_at).to_bytes(4, "big") + (0x5A1D).to_bytes(4, "big")
            rtp.sendto(header + said[said_at:said_at + 160].ljust(160, b"\xff"), remote)
            said_at += 160
        if a.key and not key_sent and time.time() - start >= a.key_at and remote:
            event = "0123456789*#".index(a.key)
            for i, (end, duration) in enumerate([(0, 160), (0, 320), (0x80, 480), (0x80, 480), (0x80, 480)]):
                header = bytes([0x80, 101 | (0x80 if i == 0 else 0)]) + (1000 + i).to_bytes(2, "big")
                header += (123456).to_bytes(4, "big") + (0x5EED).to_bytes(4, "big")
                rtp.sendto(header + bytes([event, end | 10]) + duration.to_bytes(2, "big"), remote)
            key_sent = True
        try:
            data = rtp.recv(2048)
        except socket.timeout:
            continue
        arrivals.append(time.time())
        packets.append(data)
    # The 200 may be sent again until the ACK arrived; answer anything rgsd sends with its ACK done.
    send(request("BYE", 2, to_tag))

    if a.record:
        with open(a.record, "wb") as f:
            f.write(b"".join(p[12:] for p in packets if p[1] & 0x7F == 0))
    out["packets"] = len(packets)
    out["payload_types"] = sorted({p[1] & 0x7F for p in packets})
    seqs = [int.from_bytes(p[2:4], "big") for p in packets]
    tss = [int.from_bytes(p[4:8], "big") for p in packets]
    out["seq_ok"] = all((seqs[i] - seqs[i - 1]) % 65536 == 1 for i in range(1, len(seqs)))
    out["ts_ok"] = all((tss[i] - tss[i - 1]) % (1 << 32) == 160 for i in range(1, len(tss)))
    out["marker_first"] = bool(packets) and bool(packets[0][1] & 0x80) and not any(p[1] & 0x80 for p in packets[1:])
    dev = sorted(abs((arrivals[i] - arrivals[i - 1]) * 1000 - 20) for i in range(1, len(arrivals)))
    out["spacing_p99_ms"] = round(dev[int(len(dev) * 0.99) - 1], 2) if len(dev) > 1 else None
    tone = [i for i, p in enumerate(packets) if presence([ulaw(b) for b in p[12:]], a.tone) > 0.6]
    out["tone_first"] = tone[0] if tone else -1
    out["tone_last"] = tone[-1] if tone else -1
    silent = [all(b == 0xFF for b in p[12:]) for p in packets]
    out["silent"] = sum(silent)
    after = range((tone[-1] + 1) if tone else len(packets), len(packets))
    out["sound_after_tone"] = sum(1 for i in after if not silent[i])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
