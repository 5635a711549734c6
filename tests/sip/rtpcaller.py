#!/usr/bin/env python3
"""A caller that listens: calls sip:SERVICE@example.com at rgsd over UDP on 127.0.0.1 with a
PCMU offer pointing at its own RTP socket, acknowledges rgsd's 200, and prints what the first
RTP packet it receives carries: 'tone' when its payload is not silence (PCMU 0xff/0x7f), else
'silence'; then hangs up. 'none' when no 200 or no RTP came within the bounds (4 s each).

  rtpcaller.py PORT SERVICE
"""
import os
import socket
import sys
import time


def main():
    port, service = int(sys.argv[1]), sys.argv[2]
    sip = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sip.bind(("127.0.0.1", 0))
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sip.getsockname()[1]
    call_id = os.urandom(8).hex()
    tag = os.urandom(4).hex()
    sdp = ("v=0\r\no=t 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % rtp.getsockname()[1])

    def request(method, cseq, to, body=""):
        lines = ["%s sip:%s@example.com SIP/2.0" % (method, service),
                 "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s" % (local, os.urandom(6).hex()),
                 "From: <sip:listener@example.net>;tag=%s" % tag, "To: %s" % to, "Call-ID: %s" % call_id,
                 "CSeq: %d %s" % (cseq, method), "Contact: <sip:listener@%s>" % local, "Max-Forwards: 70"]
        if body:
            lines.append("Content-Type: application/sdp")
        lines.append("Content-Length: %d" % len(body))
        return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()

    def final(msg, method):
        deadline = time.monotonic() + 4
        sip.sendto(msg, ("127.0.0.1", port))
        while time.monotonic() < deadline:
            sip.settimeout(0.5)
            try:
                data, _ = sip.recvfrom(65535)
            except socket.timeout:
                sip.sendto(msg, ("127.0.0.1", port))
                continue
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            status = head[0].split(" ")
            if status[0] == "SIP/2.0" and int(status[1]) >= 200 and any(h.startswith("CSeq:") and method in h for h in head):
                to = next(h[3:].strip() for h in head if h.lower().startswith("to:"))
                return int(status[1]), to
        return None, None

    status, to = final(request("INVITE", 1, "<sip:%s@example.com>" % service, sdp), "INVITE")
    if status != 200:
        print("none")
        return 0
    sip.sendto(request("ACK", 1, to), ("127.0.0.1", port))
    rtp.settimeout(4)
    try:
        packet, _ = rtp.recvfrom(2048)
        payload = packet[12:]
        print("tone" if any(b not in (0xFF, 0x7F) for b in payload) else "silence")
    except socket.timeout:
        print("none")
    final(request("BYE", 2, to), "BYE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
