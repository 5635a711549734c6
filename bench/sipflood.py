#!/usr/bin/env python3
"""Sends mutated SIP datagrams at rgsd over UDP on 127.0.0.1 and tells what came back (for
bench/faults.sh). Every datagram starts from a valid REGISTER, INVITE, OPTIONS or BYE and gets
one mutation: truncated, a header missing, a huge header, a bad Content-Length, an odd URI scheme,
non-UTF-8 bytes, a bad SIP version, bytes flipped, NUL bytes, duplicate or contradictory headers,
or none (an INVITE sent as it is and never acknowledged). Each has a Call-ID of its own, so that
answers are matched to it; none is ever acknowledged or answered.

  sipflood.py PORT COUNT RATE CORPUS_FILE SEED
      REGISTER_USER INVITE_USER OPTIONS_USER      (users @example.com)

Writes every datagram sent to CORPUS_FILE (one per line: kind, then the bytes in hex) and prints
one JSON object: sent, answered (a final 4xx-6xx), accepted (only 1xx or 2xx), unanswered, and
the same per mutation kind.
"""
import json
import os
import random
import socket
import sys
import time

SDP = ("v=0\r\no=flood 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n")


def template(method, ruri, to, local, callid, branch, body=""):
    headers = [
        "%s %s SIP/2.0" % (method, ruri),
        "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport" % (local, branch),
        "Max-Forwards: 70",
        "From: \"Flood\" <sip:flood-%s@example.com>;tag=%s" % (callid[:6], callid[:8]),
        "To: <%s>" % to,
        "Call-ID: %s@flood" % callid,
        "CSeq: 1 %s" % method,
        "Contact: <sip:flood@%s>" % local,
        "User-Agent: sipflood",
    ]
    if method == "REGISTER":
        headers.append("Expires: 60")
    if body:
        headers.append("Content-Type: application/sdp")
    headers.append("Content-Length: %d" % len(body))
    return headers, body


ODD_SCHEMES = ["xyz:a@127.0.0.1:35131", "isbn:2983792873", "tel:+1-555-0100", "mailto:a@example.com",
               "http://example.com/", "sip:", "sips:desk@example.com", "urn:service:sos", "name:John_Smith",
               "sip:%00@127.0.0.1", "sip:a@127.0.0.1?Route=%3Csip:example.com%3E", "im:desk@example.com",
               "SIP:DESK@EXAMPLE.COM", "sip:[::1", "sip:a@256.256.256.256:99999", "<sip:a@b>"]


def mutate(rng, headers, body, kind):
    """Returns the datagram's bytes after mutation KIND."""
    h = list(headers)
    b = body.encode()
    if kind == "missing-header":
        names = [x for x in h[1:] if not x.startswith("User-Agent")]
        h.remove(rng.choice(names))
    elif kind == "huge-header":
        size = rng.choice([1000, 8000, 30000, 60000])
        which = rng.choice(["Subject", "Via", "To", "Contact", "X-Big", "Call-ID"])
        if which == "Via":
            h.insert(1, "Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK" + "a" * size)
        elif which in ("To", "Contact"):
            h = [("%s: <sip:%s@example.com>" % (which, "u" * size)) if x.startswith(which + ":") else x for x in h]
        elif which == "Call-ID":
            h = [("Call-ID: " + "c" * size) if x.startswith("Call-ID:") else x for x in h]
        else:
            h.insert(3, "%s: %s" % (which, "x" * size))
        data = ("\r\n".join(h) + "\r\n\r\n").encode() + b
        return data[:65000]
    elif kind == "many-headers":
        for i in range(rng.choice([200, 1000, 3000])):
            h.insert(2, "X-H%d: %d" % (i, i))
    elif kind == "content-length":
        bad = rng.choice(["-1", "99999999999999999999", "abc", str(len(b) + 500), "0", str(max(0, len(b) - 7)),
                          "1e3", " ", "4294967296"])
        h = [("Content-Length: " + bad) if x.startswith("Content-Length:") else x for x in h]
        if rng.random() < 0.3:
            h.append("Content-Length: 5")
    elif kind == "uri-scheme":
        odd = rng.choice(ODD_SCHEMES)
        where = rng.choice(["ruri", "contact", "to", "from"])
        if where == "ruri":
            parts = h[0].split(" ")
            h[0] = "%s %s %s" % (parts[0], odd, parts[-1])
        else:
            name = {"contact": "Contact", "to": "To", "from": "From"}[where]
            tag = ";tag=1" if where == "from" else ""
            h = [("%s: <%s>%s" % (name, odd, tag)) if x.startswith(name + ":") else x for x in h]
    elif kind == "non-utf8":
        data = ("\r\n".join(h) + "\r\n\r\n").encode() + b
        data = bytearray(data)
        for _ in range(rng.randint(1, 12)):
            data.insert(rng.randrange(len(data)), rng.choice([0x80, 0xC0, 0xC3, 0xE2, 0xF0, 0xFE, 0xFF, 0xED, 0xA0]))
        return bytes(data)
    elif kind == "sip-version":
        v = rng.choice(["SIP/3.0", "SIP/2", "sip/2.0", "HTTP/1.1", "SIP/2.0.0", "SIP/20", "", "SIP/1.0", "SIP/2.0 extra"])
        parts = h[0].split(" ")
        h[0] = "%s %s %s" % (parts[0], parts[1], v)
        if rng.random() < 0.3:
            h[1] = h[1].replace("SIP/2.0/UDP", "SIP/3.0/UDP")
    elif kind == "flip":
        data = bytearray(("\r\n".join(h) + "\r\n\r\n").encode() + b)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    elif kind == "nul":
        data = bytearray(("\r\n".join(h) + "\r\n\r\n").encode() + b)
        for _ in range(rng.randint(1, 5)):
            data.insert(rng.randrange(len(data)), 0)
        return bytes(data)
    elif kind == "contradiction":
        choice = rng.randrange(6)
        if choice == 0:
            h = [("CSeq: 1 OPTIONS" if x.startswith("CSeq:") else x) for x in h]   # method mismatch
        elif choice == 1:
            h = [("CSeq: 99999999999999999999 " + h[0].split(" ")[0] if x.startswith("CSeq:") else x) for x in h]
        elif choice == 2:
            h.insert(4, "Call-ID: second@flood")
        elif choice == 3:
            h.insert(4, "To: <sip:other@example.com>")
        elif choice == 4:
            h = [("Max-Forwards: 0" if x.startswith("Max-Forwards:") else x) for x in h]
        else:
            h.insert(4, "Expires: -5")
    elif kind == "bad-sdp" and body:
        lines = body.split("\r\n")
        i = rng.randrange(len(lines))
        lines[i] = rng.choice(["c=IN IP4 999.1.1.1", "m=audio 70000 RTP/AVP 0", "c=IN IP6 ::zz", "m=video 0 RTP/AVP",
                               "v=1", "m=audio 4000 RTP/AVP " + " ".join(str(x) for x in range(200)), "x" * 5000, ""])
        b = "\r\n".join(lines).encode()
        h = [("Content-Length: %d" % len(b)) if x.startswith("Content-Length:") else x for x in h]
    elif kind == "line-ends":
        data = ("\n".join(h) + rng.choice(["\n\n", "\r\r", "\n", "\r\n \r\n"])).encode() + b
        return data
    data = ("\r\n".join(h) + "\r\n\r\n").encode() + b
    if kind == "truncate":
        data = data[:rng.randrange(1, len(data))]
    return data


KINDS = ["truncate", "missing-header", "huge-header", "many-headers", "content-length", "uri-scheme", "non-utf8",
         "sip-version", "flip", "nul", "contradiction", "bad-sdp", "line-ends", "unacked-invite"]


def main():
    port, count, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    corpus, seed = sys.argv[4], int(sys.argv[5])
    reg_user, inv_user, opt_user = sys.argv[6], sys.argv[7], sys.argv[8]
    rng = random.Random(seed)
    # FLOOD_METHODS (a diagnostic): the methods the datagrams start from, e.g. "OPTIONS BYE".
    methods = os.environ.get("FLOOD_METHODS", "REGISTER INVITE INVITE OPTIONS BYE").split()
    socks = []
    for _ in range(16):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        socks.append(s)
    sent = {}      # call-id -> kind
    finals = {}    # call-id -> first final status
    provisional = set()

    def drain():
        for s in socks:
            while True:
                try:
                    data, _ = s.recvfrom(65535)
                except BlockingIOError:
                    break
                first = data.split(b"\r\n", 1)[0].split(b" ")
                cid = None
                for line in data.split(b"\r\n"):
                    low = line.lower()
                    if low.startswith(b"call-id:") or low.startswith(b"i:"):
                        cid = line.split(b":", 1)[1].strip().split(b"@")[0].decode("latin-1")
                        break
                if cid is None or len(first) < 2 or first[0] != b"SIP/2.0" or not first[1].isdigit():
                    continue   # a request (a BYE or re-INVITE to a flood contact) or no Call-ID
                code = int(first[1])
                if code >= 200:
                    finals.setdefault(cid, code)
                else:
                    provisional.add(cid)

    with open(corpus, "w") as out:
        t0 = time.monotonic()
        for i in range(count):
            method = rng.choice(methods)
            kind = rng.choice(KINDS)
            while "INVITE" not in methods and kind in ("unacked-invite", "bad-sdp"):
                kind = rng.choice(KINDS)
            if kind == "unacked-invite" or (kind == "bad-sdp" and method != "INVITE"):
                method = "INVITE"
            s = socks[i % len(socks)]
            local = "127.0.0.1:%d" % s.getsockname()[1]
            callid = "%08x%06d" % (seed & 0xFFFFFFFF, i)
            branch = os.urandom(6).hex()
            if method == "REGISTER":
                headers, body = template("REGISTER", "sip:example.com", "sip:%s@example.com" % reg_user, local, callid, branch)
            elif method == "INVITE":
                headers, body = template("INVITE", "sip:%s@example.com" % inv_user, "sip:%s@example.com" % inv_user,
                                         local, callid, branch, SDP)
            elif method == "OPTIONS":
                headers, body = template("OPTIONS", "sip:%s@example.com" % opt_user, "sip:%s@example.com" % opt_user,
                                         local, callid, branch)
            else:
                headers, body = template("BYE", "sip:%s@example.com" % inv_user, "sip:%s@example.com" % inv_user,
                                         local, callid, branch)
                headers[4] += ";tag=nosuchdialog"
            data = mutate(rng, headers, body, kind) if kind != "unacked-invite" else mutate(rng, headers, body, "none")
            try:
                s.sendto(data, ("127.0.0.1", port))
            except OSError:
                pass   # a datagram too long for UDP: counted as sent, and it is dropped on the way
            sent[callid] = "%s/%s" % (method, kind) if kind != "unacked-invite" else "INVITE/unacked"
            out.write("%s %s %s\n" % (callid, sent[callid], data.hex()))
            drain()
            wait = t0 + (i + 1) / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        end = time.monotonic() + 4
        while time.monotonic() < end:
            drain()
            time.sleep(0.02)
    result = {"sent": len(sent), "answered": 0, "accepted": 0, "unanswered": 0, "by_kind": {}, "statuses": {}}
    for cid, kind in sent.items():
        k = kind.split("/", 1)[1]
        row = result["by_kind"].setdefault(k, {"sent": 0, "answered": 0, "accepted": 0, "unanswered": 0})
        row["sent"] += 1
        code = finals.get(cid)
        if code is not None:
            result["statuses"][str(code)] = result["statuses"].get(str(code), 0) + 1
        if code is not None and code >= 400:
            what = "answered"
        elif code is not None or cid in provisional:
            what = "accepted"
        else:
            what = "unanswered"
        result[what] += 1
        row[what] += 1
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
