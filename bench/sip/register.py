#!/usr/bin/env python3
"""Registers many agents at rgsd on 127.0.0.1 with SIP digest authentication (MD5, qop=auth),
at most WINDOW registrations in flight, each request sent again every 500 ms (RFC 3261 Timer A)
up to 8 times. SIPp 3.6 cannot take the digest user name from an injection file, so the bench
registers its agents with this.

  register.py PORT CONTACT PREFIX FIRST LAST PASSWORD [WINDOW]

Registers sip:PREFIX<n>@example.com for n in FIRST..LAST with Contact sip:PREFIX<n>@CONTACT.
Prints "ok N failed M" and, for the first failures, what went wrong; exits 1 when any failed.
"""
import hashlib
import os
import re
import select
import socket
import sys
import time


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def main():
    port, contact, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    first, last, password = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    window = int(sys.argv[7]) if len(sys.argv) > 7 else 500
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sock.getsockname()[1]
    uri = "sip:example.com"
    run = os.urandom(4).hex()

    def request(user, cseq, authorization=None):
        lines = ["REGISTER %s SIP/2.0" % uri,
                 "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s" % (local, os.urandom(6).hex()),
                 "From: <sip:%s@example.com>;tag=%s" % (user, run),
                 "To: <sip:%s@example.com>" % user,
                 "Call-ID: %s-%s@bench" % (user, run),
                 "CSeq: %d REGISTER" % cseq,
                 "Contact: <sip:%s@%s>" % (user, contact),
                 "Expires: 3600", "Max-Forwards: 70"]
        if authorization:
            lines.append("Authorization: " + authorization)
        lines.append("Content-Length: 0")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def authorization(user, challenge):
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
        ha1 = md5("%s:%s:%s" % (user, params["realm"], password))
        cnonce = os.urandom(4).hex()
        response = md5("%s:%s:00000001:%s:auth:%s" % (ha1, params["nonce"], cnonce, md5("REGISTER:" + uri)))
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", algorithm=MD5, '
                'qop=auth, nc=00000001, cnonce="%s", opaque="%s"' %
                (user, params["realm"], params["nonce"], uri, response, cnonce, params.get("opaque", "")))

    todo = ["%s%d" % (prefix, n) for n in range(first, last + 1)]
    todo.reverse()
    pending = {}   # Call-ID -> [user, message, cseq, sent at, tries]
    ok, failures = 0, []

    def send(call_id):
        p = pending[call_id]
        sock.sendto(p[1], ("127.0.0.1", port))
        p[3], p[4] = time.monotonic(), p[4] + 1

    while todo or pending:
        while todo and len(pending) < window:
            user = todo.pop()
            call_id = "%s-%s@bench" % (user, run)
            pending[call_id] = [user, request(user, 1), 1, 0.0, 0]
            send(call_id)
        ready, _, _ = select.select([sock], [], [], 0.05)
        while ready:
            try:
                data = sock.recv(65535, socket.MSG_DONTWAIT).decode("utf-8", "replace")
            except BlockingIOError:
                break
            m = re.match(r"SIP/2.0 (\d+)", data)
            cid = re.search(r"^Call-ID: *(\S+)", data, re.M | re.I)
            cseq = re.search(r"^CSeq: *(\d+)", data, re.M | re.I)
            if not (m and cid and cseq) or cid.group(1) not in pending:
                continue
            p, status = pending[cid.group(1)], int(m.group(1))
            if int(cseq.group(1)) != p[2] or status < 200:
                continue
            challenge = re.search(r"^WWW-Authenticate: *(Digest .*algorithm=MD5.*)$", data, re.M | re.I)
            if status == 200:
                ok += 1
                del pending[cid.group(1)]
            elif status == 401 and p[2] == 1 and challenge:
                p[1], p[2], p[4] = request(p[0], 2, authorization(p[0], challenge.group(1))), 2, 0
                send(cid.group(1))
            else:
                failures.append("%s: %s" % (p[0], data.splitlines()[0]))
                del pending[cid.group(1)]
        now = time.monotonic()
        for call_id in list(pending):
            p = pending[call_id]
            if now - p[3] >= 0.5:
                if p[4] >= 8:
                    failures.append("%s: no answer to CSeq %d" % (p[0], p[2]))
                    del pending[call_id]
                else:
                    send(call_id)
    print("ok %d failed %d" % (ok, len(failures)))
    for f in failures[:5]:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
