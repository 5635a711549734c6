#!/usr/bin/env python3
"""A caller with media, over UDP on 127.0.0.1: INVITEs sip:USER@example.com at rgsd (PCMU, or
G.722 then PCMU, and RFC 4733 telephone-events unless --no-events), acknowledges the 200, records
the RTP rgsd sends for SECONDS, optionally presses KEY after KEY_AT seconds, or says what the raw
PCMU file SAY holds (RTP, 20 ms packets) from SAY_AT seconds, then hangs up (BYE). --record writes
the PCMU payloads received, one after the other, to FILE.

  mediacaller.py PORT USER SECONDS [--tone HZ] [--codec pcmu|g722] [--no-events]
                 [--key KEY --key-at SECONDS --key-by rtp|info|inband] [--then KEY SECONDS]...
                 [--say FILE --say-at SECONDS] [--record FILE] [--g722-decoder PATH]

A key goes as an RFC 4733 event (rtp), as a SIP INFO with application/dtmf-relay (info; an INFO
with a text/plain body follows it, which must be refused), or as the DTMF tone pair in PCMU audio
(inband).

Prints one JSON object: status (the INVITE's final status), answer_formats (the payload types of
rgsd's m=audio line), packets, payload_types, payload_sizes, seq_ok and ts_ok (every packet one
sequence number and 160 timestamp units after the last), marker_first (the marker bit on the first
packet only), spacing_p99_ms (the 99th percentile of the deviation of the gaps between packets
from 20 ms), tone_first/tone_last (the first and last packet in which HZ dominates, -1 when
never; for G.722 only with --g722-decoder, the program that decodes it), sound_after_tone
(packets after tone_last that are not silence), silent (packets of silence), and for --key-by
info: info_status, info_bad_status and info_accept (the answers to the two INFOs).
"""
import argparse
import json
import math
import os
import re
import socket
import subprocess
import time

DTMF = {"1": (697, 1209), "2": (697, 1336), "3": (697, 1477), "A": (697, 1633),
        "4": (770, 1209), "5": (770, 1336), "6": (770, 1477), "B": (770, 1633),
        "7": (852, 1209), "8": (852, 1336), "9": (852, 1477), "C": (852, 1633),
        "*": (941, 1209), "0": (941, 1336), "#": (941, 1477), "D": (941, 1633)}


def ulaw(u):
    u = ~u & 0xFF
    t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4)
    return ((0x84 - t) if u & 0x80 else (t - 0x84)) / 32768.0


def to_ulaw(v):
    """A sample in [-1, 1] to G.711 mu-law."""
    s = int(max(-1.0, min(1.0, v)) * 32767)
    sign = 0x80 if s < 0 else 0
    s = min(abs(s), 32635) + 0x84
    exponent, mask = 7, 0x4000
    while exponent > 0 and not s & mask:
        exponent, mask = exponent - 1, mask >> 1
    return ~(sign | exponent << 4 | (s >> (exponent + 3)) & 0x0F) & 0xFF


def tone_packets(key, first_seq, first_ts, ssrc):
    """100 ms of silence, KEY's tone pair for 100 ms, 100 ms of silence: 15 PCMU packets."""
    low, high = DTMF[key]
    out = []
    for p in range(15):
        frame = bytes(to_ulaw(0.3 * (math.sin(2 * math.pi * low * n / 8000) + math.sin(2 * math.pi * high * n / 8000)))
                      if 5 <= p < 10 else 0xFF for n in range(p * 160, p * 160 + 160))
        header = bytes([0x80, 0x80 if p == 0 else 0]) + ((first_seq + p) & 0xFFFF).to_bytes(2, "big")
        header += ((first_ts + 160 * p) & 0xFFFFFFFF).to_bytes(4, "big") + ssrc.to_bytes(4, "big")
        out.append(header + frame)
    return out


def presence(samples, hz, rate=8000):
    """The share of the frame's energy at `hz` (Goertzel), 0..1."""
    k = 2 * math.cos(2 * math.pi * hz / rate)
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
    ap.add_argument("--key-by", choices=["rtp", "info", "inband"], default="rtp")
    ap.add_argument("--then", nargs=2, action="append", default=[], metavar=("KEY", "AT"),
                    help="another key, as an RFC 4733 event, AT seconds after the answer")
    ap.add_argument("--codec", choices=["pcmu", "g722"], default="pcmu")
    ap.add_argument("--no-events", action="store_true")
    ap.add_argument("--g722-decoder")
    ap.add_argument("--say")
    ap.add_argument("--say-at", type=float, default=1.0)
    ap.add_argument("--record")
    a = ap.parse_args()
    a.then = [[k, at, False] for k, at in a.then]

    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sip.getsockname()[1]
    call_id, tag = os.urandom(8).hex(), os.urandom(4).hex()
    uri = "sip:%s@example.com" % a.user
    formats = ("9 0" if a.codec == "g722" else "0") + ("" if a.no_events else " 101")
    sdp = ("v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio %d RTP/AVP %s\r\n" % (rtp.getsockname()[1], formats)
           + ("a=rtpmap:9 G722/8000\r\n" if a.codec == "g722" else "") + "a=rtpmap:0 PCMU/8000\r\n"
           + ("" if a.no_events else "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n")
           + "a=sendrecv\r\n")

    def request(method, cseq, to_tag="", body="", content_type="application/sdp"):
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport" % (local, os.urandom(6).hex()),
                 "From: <sip:caller@example.com>;tag=%s" % tag,
                 "To: <%s>%s" % (uri, ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s@test" % call_id, "CSeq: %d %s" % (cseq, method),
                 "Contact: <sip:caller@%s>" % local, "Max-Forwards: 70"]
        if body:
            lines.append("Content-Type: " + content_type)
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
            formats = re.search(r"^m=audio \d+ RTP/AVP ([\d ]+)", data, re.M)
            out["answer_formats"] = [int(f) for f in formats.group(1).split()] if formats else []
            port = re.search(r"^m=audio (\d+)", data, re.M)
            host = re.search(r"^c=IN IP4 (\S+)", data, re.M)
            if port and host:
                remote = (host.group(1), int(port.group(1)))
    if out["status"] != 200:
        print(json.dumps(out))
        return 0
    send(request("ACK", 1, to_tag))

    def send_event(key, n):
        """Key as an RFC 4733 event, the n-th of the call (each event its own timestamp)."""
        event = "0123456789*#".index(key)
        for i, (end, duration) in enumerate([(0, 160), (0, 320), (0x80, 480), (0x80, 480), (0x80, 480)]):
            header = bytes([0x80, 101 | (0x80 if i == 0 else 0)]) + (1000 + 10 * n + i).to_bytes(2, "big")
            header += (123456 + 8000 * n).to_bytes(4, "big") + (0x5EED).to_bytes(4, "big")
            rtp.sendto(header + bytes([event, end | 10]) + duration.to_bytes(2, "big"), remote)

    packets, arrivals = [], []
    rtp.settimeout(0.005 if a.say else 0.05)
    start = time.time()
    key_sent = False
    sip.setblocking(False)
    infos = {}   # CSeq -> the response to an INFO
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
        try:
            data = sip.recv(65535).decode("utf-8", "replace")
            m = re.match(r"SIP/2.0 (\d+)", data)
            cseq = re.search(r"^CSeq:\s*(\d+)\s+INFO", data, re.M | re.I)
            if m and cseq:
                infos[int(cseq.group(1))] = data
        except BlockingIOError:
            pass
        if a.key and not key_sent and time.time() - start >= a.key_at and a.key_by == "info":
            send(request("INFO", 2, to_tag, "Signal=%s\r\nDuration=160\r\n" % a.key, "application/dtmf-relay"))
            send(request("INFO", 3, to_tag, "press %s\r\n" % a.key, "text/plain"))
            key_sent = True
        if a.key and not key_sent and time.time() - start >= a.key_at and a.key_by == "inband" and remote:
            for packet in tone_packets(a.key, 2000, 200000, 0x5EED):
                rtp.sendto(packet, remote)
            key_sent = True
        if a.key and not key_sent and time.time() - start >= a.key_at and remote:
            send_event(a.key, 0)
            key_sent = True
        for n, later in enumerate(a.then):
            if not later[2] and time.time() - start >= float(later[1]) and remote:
                send_event(later[0], n + 1)
                later[2] = True
        try:
            data = rtp.recv(2048)
        except socket.timeout:
            continue
        arrivals.append(time.time())
        packets.append(data)
    # The 200 may be sent again until the ACK arrived; answer anything rgsd sends with its ACK done.
    send(request("BYE", 4, to_tag))
    if a.key_by == "info":
        def status_of(cseq):
            m = re.match(r"SIP/2.0 (\d+)", infos.get(cseq, ""))
            return int(m.group(1)) if m else None
        out["info_status"], out["info_bad_status"] = status_of(2), status_of(3)
        accept = re.search(r"^Accept:\s*(.*?)\s*$", infos.get(3, ""), re.M | re.I)
        out["info_accept"] = accept.group(1) if accept else None

    if a.record:
        with open(a.record, "wb") as f:
            f.write(b"".join(p[12:] for p in packets if p[1] & 0x7F == 0))
    out["packets"] = len(packets)
    out["payload_types"] = sorted({p[1] & 0x7F for p in packets})
    out["payload_sizes"] = sorted({len(p) - 12 for p in packets})
    seqs = [int.from_bytes(p[2:4], "big") for p in packets]
    tss = [int.from_bytes(p[4:8], "big") for p in packets]
    out["seq_ok"] = all((seqs[i] - seqs[i - 1]) % 65536 == 1 for i in range(1, len(seqs)))
    out["ts_ok"] = all((tss[i] - tss[i - 1]) % (1 << 32) == 160 for i in range(1, len(tss)))
    out["marker_first"] = bool(packets) and bool(packets[0][1] & 0x80) and not any(p[1] & 0x80 for p in packets[1:])
    dev = sorted(abs((arrivals[i] - arrivals[i - 1]) * 1000 - 20) for i in range(1, len(arrivals)))
    out["spacing_p99_ms"] = round(dev[int(len(dev) * 0.99) - 1], 2) if len(dev) > 1 else None
    if a.codec == "pcmu":
        frames, rate = [[ulaw(b) for b in p[12:]] for p in packets], 8000
    elif a.g722_decoder:
        pcm = subprocess.run([a.g722_decoder], input=b"".join(p[12:] for p in packets), capture_output=True,
                             check=True, timeout=10).stdout
        heard = [int.from_bytes(pcm[i:i + 2], "little", signed=True) / 32768.0 for i in range(0, len(pcm), 2)]
        frames, rate = [heard[i:i + 320] for i in range(0, len(heard), 320)], 16000
    else:
        frames, rate = [[] for p in packets], 16000
    tone = [i for i, f in enumerate(frames) if presence(f, a.tone, rate) > 0.6]
    out["tone_first"] = tone[0] if tone else -1
    out["tone_last"] = tone[-1] if tone else -1
    silent = [max((abs(v) for v in f), default=0) < 0.002 for f in frames]
    out["silent"] = sum(silent)
    after = range((tone[-1] + 1) if tone else len(packets), len(packets))
    out["sound_after_tone"] = sum(1 for i in after if not silent[i])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
