#!/usr/bin/env python3
"""Times commands for the benchmarks: median (and p90) wall time of N runs, each a fresh process
started with posix_spawn, output to /dev/null. Prints one line per command; also peak RSS.
"{i}" in an argument becomes the run's number (plus a per-invocation prefix), so a writing
command can get a fresh name each run without a shell in the timed path."""
import os
import resource
import sys
import time


def run(argv, n):
    devnull = os.open("/dev/null", os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = []
    peak = 0
    prefix = f"{os.getpid()}-{time.monotonic_ns() % 1000000}-"
    for i in range(n):
        args = [a.replace("{i}", f"{prefix}{i}") for a in argv]
        start = time.perf_counter()
        pid = os.posix_spawnp(args[0], args, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"timing.py: {' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
    times.sort()
    return times[len(times) // 2] * 1000, times[int(len(times) * 0.9)] * 1000, peak


def main():
    # timing.py LABEL N -- COMMAND...
    label, n = sys.argv[1], int(sys.argv[2])
    argv = sys.argv[4:]
    median, p90, peak = run(argv, n)
    print(f"{label:<48} median {median:8.2f} ms   p90 {p90:8.2f} ms   peak RSS {peak / 1024:6.1f} MiB   (n={n})")


if __name__ == "__main__":
    main()
