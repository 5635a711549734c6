#!/usr/bin/env python3
"""Sends one SIP request, read from standard input, to rgsd over UDP on 127.0.0.1 and prints the
status code of the first final response (or 'none' when nothing final came within the bound).
In the request, {local} is replaced by this socket's host:port and {branch} by a fresh branch;
line ends become CRLF and Content-Length is computed. The request is sent again every 500 ms
(RFC 3261 Timer A) for at most 4 s.

  rawsip.py PORT < request
"""
import os
import socket
import sys
import time


def transact(sock, port, msg):
    """Sends msg (again every 500 ms, for at most 4 s) until a final response comes: its status
    and text, or (None, "")."""
    deadline = time.monotonic() + 4
    next_send = 0.0
    while time.monotonic() < deadline:
        now = time.monotonic()
        if now >= next_send:
            sock.sendto(msg, ("127.0.0.1", port))
            next_send = now + 0.5
        sock.settimeout(max(0.01, min(next_send, deadline) - time.monotonic()))
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            continue
        text = data.decode("latin-1")
        parts = text.split("\r\n", 1)[0].split(" ")
        if len(parts) >= 2 and parts[0] == "SIP/2.0" and parts[1].isdigit() and int(parts[1]) >= 200:
            return int(parts[1]), text
    return None, ""


def main():
    port = int(sys.argv[1])
    text = sys.stdin.read()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sock.getsockname()[1]
    text = text.replace("{local}", local).replace("{branch}", "z9hG4bK" + os.urandom(6).hex())
    head, _, body = text.partition("\n\n")
    lines = [l for l in head.strip("\n").split("\n")]
    body = body.replace("\n", "\r\n")
    lines.append("Content-Length: %d" % len(body.encode("utf-8", "surrogateescape")))
    msg = ("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8", "surrogateescape")
    status, _ = transact(sock, port, msg)
    print(status if status else "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
