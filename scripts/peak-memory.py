#!/usr/bin/env python3
"""Runs a command and prints its wall time and peak memory, sampled every 10 ms from
/proc: RssAnon (private memory, what a mapped file does not count in) and VmHWM (peak
resident set, mapped file pages included). Used by BENCHMARKS.md's scale figures.

    scripts/peak-memory.py rewind stats /tmp/big10.ndjson
"""
import subprocess
import sys
import time


def field(pid, name):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    started = time.monotonic()
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    anon = hwm = 0
    while child.poll() is None:
        a = field(child.pid, "RssAnon")
        h = field(child.pid, "VmHWM")
        anon = max(anon, a or 0)
        hwm = max(hwm, h or 0)
        time.sleep(0.01)
    wall = time.monotonic() - started
    print(f"{wall:.2f} s wall, peak RssAnon {anon / 1024:.0f} MB, "
          f"peak RSS {hwm / 1024:.0f} MB, exit {child.returncode}")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
