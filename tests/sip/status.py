#!/usr/bin/env python3
"""Prints fields of rgsd's status (its control socket's {"op":"status"}), one a line.

  status.py SOCKET FIELD...
"""
import json
import socket
import sys

s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b'{"op":"status"}\n')
result = json.loads(s.makefile().readline())["result"]
for field in sys.argv[2:]:
    print(result[field])
