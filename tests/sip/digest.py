#!/usr/bin/env python3
"""A phone's REGISTER with SIP digest authentication (RFC 3261 §22, RFC 8760 SHA-256), over UDP
to rgsd on 127.0.0.1: sends REGISTER for sip:USER@example.com; when the answer is 401, picks the
challenge of ALGORITHM, computes the response (qop=auth) with PASSWORD and sends the REGISTER
again. Prints the final status of each request, in order ("401 200"), then, one per line, the
WWW-Authenticate headers of the first 401 received. Each request is sent again every 500 ms
(RFC 3261 Timer A) for at most 4 s ("none" when nothing final came).

  digest.py PORT USER PASSWORD [SHA-256|MD5] [ROUNDS] [INVITE TARGET [URI]]

ROUNDS (default 1): how many authenticated REGISTERs follow the challenge, with nc 1, 2, ...
on the same nonce.

DIGEST_SOURCE (environment, default 127.0.0.1): the loopback address the phone sends from, to
stand for several sources.

With INVITE, the agent calls TARGET (a Request-URI) instead: an INVITE with SDP; each final
response to an INVITE is acknowledged (ACK), and after a 2xx the call is ended with a BYE, whose
status is printed last. The digest's uri parameter is URI (default: TARGET).
"""
import hashlib
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rawsip import transact  # noqa: E402


def main():
    port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    algorithm = sys.argv[4] if len(sys.argv) > 4 else "SHA-256"
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    h = {"SHA-256": lambda s: hashlib.sha256(s.encode()).hexdigest(),
         "MD5": lambda s: hashlib.md5(s.encode()).hexdigest()}[algorithm]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    source = os.environ.get("DIGEST_SOURCE", "127.0.0.1")
    sock.bind((source, 0))
    local = "%s:%d" % (source, sock.getsockname()[1])
    call_id = os.urandom(8).hex()
    invite = len(sys.argv) > 7 and sys.argv[6] == "INVITE"
    method = "INVITE" if invite else "REGISTER"
    target = sys.argv[7] if invite else "sip:example.com"
    uri = sys.argv[8] if len(sys.argv) > 8 else target
    to = target if invite else "sip:%s@example.com" % user
    sdp = "v=0\r\no=ann 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"

    def request(cseq, authorization=None, name=method, to_tag="", branch=None):
        body = sdp if name == "INVITE" else ""
        lines = ["%s %s SIP/2.0" % (name, target),
                 "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s" % (local, branch or os.urandom(6).hex()),
                 "From: <sip:%s@example.com>;tag=%s" % (user, call_id[:8]),
                 "To: <%s>%s" % (to, to_tag),
                 "Call-ID: %s@test" % call_id,
                 "CSeq: %d %s" % (cseq, name),
                 "Contact: <sip:%s@%s>" % (user, local),
                 "Max-Forwards: 70"]
        if not invite:
            lines.append("Expires: 60")
        if authorization:
            lines.append("Authorization: " + authorization)
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def send(cseq, authorization=None):
        """One request; an INVITE's final response is acknowledged (RFC 3261 17.1.1.3, 13.2.2.4),
        and one that set up a call is ended with a BYE."""
        branch = os.urandom(6).hex()
        status, text = transact(sock, port, request(cseq, authorization, branch=branch))
        statuses.append(str(status) if status else "none")
        if invite and status:
            tag = re.search(r"^To:.*(;tag=[^;\r\n]*)", text, re.M | re.I).group(1)
            ok = 200 <= status < 300
            sock.sendto(request(cseq, None, "ACK", tag, None if ok else branch), ("127.0.0.1", port))
            if ok:
                bye, _ = transact(sock, port, request(cseq + 1, None, "BYE", tag))
                statuses.append(str(bye) if bye else "none")
        return status, text

    statuses, challenges = [], []
    status, text = send(1)
    if status == 401:
        challenges = re.findall(r"^WWW-Authenticate: (.*)$", text, re.M | re.I)
        chosen = [c.strip() for c in challenges if re.search(r"algorithm=%s\b" % re.escape(algorithm), c)]
        if chosen:
            params = dict(re.findall(r'(\w+)="?([^",]*)"?', chosen[0]))
            ha1 = h("%s:%s:%s" % (user, params["realm"], password))
            ha2 = h("%s:%s" % (method, uri))
            for n in range(1, rounds + 1):
                nc, cnonce = "%08x" % n, os.urandom(4).hex()
                response = h("%s:%s:%s:%s:auth:%s" % (ha1, params["nonce"], nc, cnonce, ha2))
                auth = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", algorithm=%s, '
                        'qop=auth, nc=%s, cnonce="%s", opaque="%s"' %
                        (user, params["realm"], params["nonce"], uri, response, algorithm, nc, cnonce,
                         params.get("opaque", "")))
                status, _ = send(1 + 2 * n, auth)
    print(" ".join(statuses))
    for c in challenges:
        print(c.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
