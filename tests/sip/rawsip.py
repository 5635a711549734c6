#!/usr/bin/env python3
"""Sends one SIP request, read from standard input, to rgsd over UDP on 127.0.0.1 and prints the
status code of the first final response (or 'none' when nothing final came within the bound).
In the request, {local} is replaced by this socket's host:port and {branch} by a fresh branch;
line ends become CRLF and Content-Length is computed. The request is sent again every 500 ms
(RFC 3261 Timer A) for at most 4 s.

  rawsip.py PORT < request

With --file, the message is sent as it is in FILE, byte for byte, with one change so that the
answer can reach this socket: in a request, the host and port of the top Via header's sent-by
become this socket's 127.0.0.1:port (rgsd's SIP stack sends responses to the sent-by address,
RFC 3261 18.2.2). Line folding, odd white space and the rest of the header stay as they are.
Responses in FILE are sent unchanged. --wait bounds the wait for a final response (seconds).
With --tcp, FILE goes once over a TCP connection: the answer comes back on it. The one change: a
top Via naming TLS names TCP instead, the transport it goes over (rgsd's SIP stack drops a request
whose top Via names another transport than the one it came on). --header NAME prints, after the
status, the value of that header of the final response ("-" when it has none).

  rawsip.py PORT --file FILE [--tcp] [--wait SECONDS] [--header NAME]
"""
import os
import re
import socket
import sys
import time

# The top Via's sent-by: header name, the protocol's three tokens, then host[:port]; SWS may be
# folded onto continuation lines (RFC 3261 7.3.1, as in RFC 4475's wsinv).
_SWS = rb"(?:[ \t]|\r\n[ \t])*"
_TOKEN = rb"[A-Za-z0-9.!%*_+`'~-]+"
_TOP_VIA = re.compile(rb"(?im)^(?:via|v)[ \t]*:" + _SWS + _TOKEN + _SWS + rb"/" + _SWS + _TOKEN + _SWS + rb"/" + _SWS +
                      _TOKEN + rb"(?:[ \t]|\r\n[ \t])+" + rb"(\[[0-9A-Fa-f:.]*\]|[A-Za-z0-9.-]+)(?::[0-9]+)?")


def raw_message(path, local):
    with open(path, "rb") as f:
        msg = f.read()
    if msg.startswith(b"SIP/"):
        return msg
    m = _TOP_VIA.search(msg)
    if not m:
        sys.exit("rawsip.py: %s: no Via header whose sent-by could be set" % path)
    return msg[:m.start(1)] + local.encode() + msg[m.end():]


def templated_message(local):
    text = sys.stdin.read()
    text = text.replace("{local}", local).replace("{branch}", "z9hG4bK" + os.urandom(6).hex())
    head, _, body = text.partition("\n\n")
    lines = [l for l in head.strip("\n").split("\n")]
    body = body.replace("\n", "\r\n")
    lines.append("Content-Length: %d" % len(body.encode("utf-8", "surrogateescape")))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8", "surrogateescape")


def first_final(stream):
    """The status of the first final response in what a TCP connection brought, or None."""
    for m in re.finditer(rb"(?:^|\r\n\r\n)SIP/2\.0 ([0-9]{3}) ", stream):
        if int(m.group(1)) >= 200:
            return m.group(1).decode()
    return None


def header(response, name):
    """The value of header NAME in a response's text, or "-"."""
    m = re.search(r"(?im)^%s[ \t]*:[ \t]*(.*?)\r?$" % re.escape(name), response.split("\r\n\r\n", 1)[0])
    return m.group(1) if m else "-"


def over_tcp(port, path, wait):
    """Sends FILE over one TCP connection; the status and text of the first final response on it."""
    with open(path, "rb") as f:
        msg = f.read()
    m = re.search(rb"(?im)^(?:via|v)[ \t]*:[ \t]*SIP/2\.0/TLS", msg)
    if m:
        msg = msg[:m.end() - 3] + b"TCP" + msg[m.end():]
    deadline = time.monotonic() + wait
    sock = socket.create_connection(("127.0.0.1", port), timeout=wait)
    sock.sendall(msg)
    data = b""
    while first_final(data) is None and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65535)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    status = first_final(data)
    if status is None:
        return "none", ""
    return status, data[data.find(b"SIP/2.0 " + status.encode()):].decode("latin-1")


def transact(sock, port, msg, wait=4.0):
    """Sends msg (again every 500 ms, for at most `wait` s) until a final response comes: its
    status and text, or (None, "")."""
    deadline = time.monotonic() + wait
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
    args = sys.argv[1:]
    port = int(args.pop(0))
    path, wait, tcp, name = None, 4.0, False, None
    while args:
        opt = args.pop(0)
        if opt == "--file" and args:
            path = args.pop(0)
        elif opt == "--wait" and args:
            wait = float(args.pop(0))
        elif opt == "--tcp":
            tcp = True
        elif opt == "--header" and args:
            name = args.pop(0)
        else:
            sys.exit("rawsip.py: unknown option %s (usage: rawsip.py PORT [--file FILE [--tcp]] [--wait SECONDS] "
                     "[--header NAME])" % opt)
    if tcp and path:
        status, text = over_tcp(port, path, wait)
        print(status + (" " + header(text, name) if name and text else ""))
        return 0
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    local = "127.0.0.1:%d" % sock.getsockname()[1]
    msg = raw_message(path, local) if path else templated_message(local)
    status, text = transact(sock, port, msg, wait)
    print((str(status) + (" " + header(text, name) if name else "")) if status else "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
