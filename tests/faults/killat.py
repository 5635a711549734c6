#!/usr/bin/env python3
"""Starts a command and sends SIGKILL to it (or to another process) after a delay in microseconds,
for the fault tests (tests/faults/*.sh). One process does both, so that the delay is not spent
starting a `sleep`.

  killat.py measure N CMD...           runs CMD N times; prints the median duration in µs
  killat.py DELAY_US TARGET CMD...     runs CMD, sends SIGKILL to TARGET after DELAY_US (TARGET is
                                       'cmd' for CMD itself or a PID), waits for CMD; prints
                                       'killed RC' when TARGET was alive when the signal went,
                                       'late RC' when it had already ended (RC: CMD's exit status,
                                       -9 when it was killed)

CMD's standard input and output are /dev/null; its standard error is this process's.
"""
import os
import signal
import subprocess
import sys
import time


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    if sys.argv[1] == "measure":
        n = int(sys.argv[2])
        times = []
        for _ in range(n):
            t0 = time.monotonic()
            subprocess.run(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times.append(time.monotonic() - t0)
        times.sort()
        print(int(times[len(times) // 2] * 1e6))
        return 0
    delay = int(sys.argv[1]) / 1e6
    target = sys.argv[2]
    child = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    time.sleep(delay)
    if target == "cmd":
        hit = child.poll() is None
        if hit:
            child.kill()
    else:
        pid = int(target)
        hit = alive(pid)
        if hit:
            os.kill(pid, signal.SIGKILL)
    rc = child.wait(timeout=60)
    print("%s %d" % ("killed" if hit else "late", rc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
