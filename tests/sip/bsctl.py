#!/usr/bin/env python3
"""Helpers of tests/sip/baresip.sh, which drives baresip 1.0.0 (Debian's baresip-core) against rgsd.
Standard library only; nothing privileged (no capture: what baresip and rgsd report themselves).

  bsctl.py ctl PORT LOG FIFO
      Holds the one ctrl_tcp connection to the baresip at 127.0.0.1:PORT for the whole test.
      Every message baresip sends (netstrings holding JSON: events and command responses) is
      appended to LOG as one JSON line, with "t" (seconds since the epoch) added. Each line
      "TOKEN COMMAND [PARAMS]" written to FIFO is sent as {"command", "params", "token"}.
      Ends when baresip closes the connection, or on SIGTERM.

  bsctl.py audio LOG TOKEN
      The response to an `audio_debug` command TOKEN, as lines the test reads:
        dir=sendrecv | sendonly | recvonly | inactive   (the audio stream's negotiated direction)
        enc=PCMU  dec=PCMU                              (the codecs it encodes and decodes)
        tx=N                                            (RTP packets it sent: "TX: packets=")
        remote=ADDR:PORT                                (where it sends RTP)
        rx ADDR:PORT N                                  (one line per RTP source: packets received)
      The per-source counts are baresip's RTCP member table ("IP=… rcvd=N"): one member per
      SSRC, with the address its RTP comes from, counted as packets arrive. They count RTP packets
      received, whoever sent them; the source address tells rgsd's media (its rtp.ports) from an
      agent's or the caller's (each baresip has its own rtp_ports range).

  bsctl.py sip LOG ME
      The SIP messages of a baresip log written with -s, one line each, in the order baresip
      handled them:  N in|out | START LINE | CSEQ METHOD | CALL-ID | sdp=ADDR:PORT FMT,FMT DIR
      ("out" is sent from ME, this baresip's SIP address host:port; "sdp=-" when there is no body).

  bsctl.py dump FILE
      The same for the messages rgsd received and sent, from sofia-sip's TPORT_DUMP file
      ("in" received by rgsd). sofia writes the bodies of received messages only.
"""
import json
import os
import re
import selectors
import socket
import sys
import time


def ctl(port, log_path, fifo_path):
    deadline = time.time() + 10
    while True:   # baresip opens its control port a fraction of a second after it starts
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1)
            break
        except OSError:
            if time.time() > deadline:
                raise SystemExit(f"bsctl: cannot connect to ctrl_tcp at 127.0.0.1:{port}")
            time.sleep(0.05)
    log = open(log_path, "a", buffering=1)
    log.write(json.dumps({"connected": True, "t": time.time()}) + "\n")
    fifo = os.open(fifo_path, os.O_RDWR | os.O_NONBLOCK)   # read-write: never sees end of file
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ, "sock")
    sel.register(fifo, selectors.EVENT_READ, "fifo")
    inbuf = b""
    lines = b""
    while True:
        for key, _ in sel.select():
            if key.data == "sock":
                d = s.recv(65536)
                if not d:
                    log.write(json.dumps({"closed": True, "t": time.time()}) + "\n")
                    return 0
                inbuf += d
                while True:   # netstrings: LENGTH ":" JSON ","
                    colon = inbuf.find(b":")
                    if colon <= 0 or len(inbuf) < colon + 2 + int(inbuf[:colon]):
                        break
                    n = int(inbuf[:colon])
                    text = inbuf[colon + 1:colon + 1 + n]
                    inbuf = inbuf[colon + 2 + n:]
                    try:
                        msg = json.loads(text)
                    except ValueError:
                        msg = {"unparsed": text.decode("utf-8", "replace")}
                    msg["t"] = time.time()
                    log.write(json.dumps(msg) + "\n")
            else:
                lines += os.read(fifo, 65536)
                while b"\n" in lines:
                    line, lines = lines.split(b"\n", 1)
                    token, _, rest = line.decode().strip().partition(" ")
                    command, _, params = rest.partition(" ")
                    if not command:
                        continue
                    body = json.dumps({"command": command, "params": params, "token": token}).encode()
                    s.sendall(str(len(body)).encode() + b":" + body + b",")
                    log.write(json.dumps({"sent": command, "params": params, "token": token, "t": time.time()}) + "\n")


def reply(log_path, token):
    try:
        with open(log_path) as f:
            for line in f:
                m = json.loads(line)
                if m.get("response") and m.get("token") == token:
                    return m.get("data", "")
    except (OSError, ValueError):
        pass
    return None


def audio(log_path, token):
    d = reply(log_path, token)
    if d is None:
        return 1
    find = lambda rx: (re.search(rx, d) or [None, "-"])[1]
    print("dir=" + find(r"audio dir=(\w+)"))
    print("enc=" + find(r"encode: (\S+)"))
    print("dec=" + find(r"decode: (\S+)"))
    print("tx=" + find(r"TX: packets=(\d+)"))
    print("remote=" + find(r"remote: ([^/\s]+)"))
    for addr, n in re.findall(r"IP=(\S+) psent=\d+ rcvd=(\d+)", d):
        print(f"rx {addr} {n}")
    return 0


def summary(direction, lines):
    start = lines[0].strip() if lines else ""
    hdr = {}
    body = []
    in_body = False
    for l in lines[1:]:
        if in_body:
            body.append(l.strip())
        elif not l.strip():
            in_body = True
        else:
            name, _, value = l.partition(":")
            hdr.setdefault(name.strip().lower(), value.strip())
    cseq = hdr.get("cseq", "-")
    call_id = hdr.get("call-id", hdr.get("i", "-"))
    sdp = "sdp=-"
    m = next((l for l in body if l.startswith("m=audio ")), None)
    if m:
        c = next((l.split()[-1] for l in body if l.startswith("c=")), "?")
        parts = m.split()
        dirs = [l[2:] for l in body if l in ("a=sendrecv", "a=sendonly", "a=recvonly", "a=inactive")]
        sdp = f"sdp={c}:{parts[1]} {','.join(parts[3:])} {dirs[0] if dirs else 'sendrecv'}"
    return f"{direction} | {start} | {cseq} | {call_id} | {sdp}"


def sip(log_path, me):
    raw = open(log_path, encoding="utf-8", errors="replace").read()
    raw = raw.replace("\r\n", "\n")
    # The status line menu.so rewrites about ten times a second ("\r[0:00:01] audio=…").
    raw = re.sub(r"\r?\[\d+:\d\d:\d\d\] audio=[^\r\n]*?\(bit/s\) *", "", raw).replace("\r", "")
    n = 0
    for blk in raw.split("\x1b[36;1m#\n")[1:]:   # -s prints each message as ESC[36;1m # / "UDP a -> b" / text / ESC[;m
        blk = blk.split("\x1b[;m")[0]
        lines = blk.split("\n")
        m = re.match(r"\w+ (\S+) -> (\S+)", lines[0])
        if not m:
            continue
        n += 1
        direction = "out" if m.group(1) == me else "in"
        print(f"{n} {summary(direction, lines[1:])}")


def dump(path):
    text = open(path, encoding="utf-8", errors="replace").read().replace("\r\n", "\n")
    n = 0
    for blk in re.split(r"\n(?=(?:recv|sent) \d+ bytes (?:from|to) )", text)[1:]:
        head, _, msg = blk.partition("\n")
        lines = [l for l in msg.replace("\x0b", "").split("\n")]
        n += 1
        print(f"{n} {summary('in' if head.startswith('recv') else 'out', lines)}")


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "ctl":
        return ctl(int(args[0]), args[1], args[2])
    if mode == "audio":
        return audio(args[0], args[1])
    if mode == "sip":
        sip(args[0], args[1])
        return 0
    if mode == "dump":
        dump(args[0])
        return 0
    raise SystemExit("usage: bsctl.py ctl PORT LOG FIFO | audio LOG TOKEN | sip LOG ME | dump FILE")


if __name__ == "__main__":
    sys.exit(main())
