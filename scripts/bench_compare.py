#!/usr/bin/env python3
"""Compare the speed of unspin binaries on real articles, taking turns.

Usage (from the project root):

    cp target/release/unspin /tmp/unspin-before    # build, change, build again
    python3 scripts/bench_compare.py /tmp/unspin-before target/release/unspin
    python3 scripts/bench_compare.py --rounds 40 --input DIR_OR_FILE A B C

Why: on a shared machine the speed of one binary drifts by tens of percent
from minute to minute, more than most changes to the decoder are worth,
and instruction counts (callgrind) miss what the decoder mostly waits on,
memory. So the binaries run in turns, one round after another, each a new
process pinned to one core, in alternating order; each round's CPU time
(user + system) of every binary is divided by the first binary's in the
same round, and the median of those ratios is the answer: 0.90 means a
tenth less time. The outputs must be identical (a speed change is not
meant to change a repair); a binary whose output differs is reported.

The input defaults to every *.txt under ../shared/dev joined into one text,
as scripts/bench_real.sh reads it; it is written to a temporary folder,
never into the repository.

Python 3, standard library only.
"""
import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def joined_articles(folders, out):
    """Every *.txt under `folders`, sorted by path, joined into `out`."""
    paths = []
    for folder in folders:
        for top, _, files in os.walk(folder):
            paths += [os.path.join(top, f) for f in files if f.endswith(".txt")]
    with open(out, "wb") as w:
        for path in sorted(paths):
            with open(path, "rb") as r:
                w.write(r.read())


def run(binary, path, pin):
    """One repair of `path` by `binary`: its CPU time and its output's digest."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(path, "rb") as stdin:
        done = subprocess.run(pin + [binary, "-j1"], stdin=stdin, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, hashlib.sha256(done.stdout).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("binaries", nargs="+", help="unspin binaries; the first is the baseline")
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--input", help="a text file, or a folder of *.txt to join "
                    "(default: ../shared/dev)")
    a = ap.parse_args()
    if len(a.binaries) < 2:
        sys.exit("bench_compare.py: give two binaries or more")
    work = tempfile.mkdtemp(prefix="unspin-bench.")
    try:
        source = a.input or os.path.join(ROOT, "..", "shared", "dev")
        if os.path.isdir(source):
            path = os.path.join(work, "articles.txt")
            joined_articles([source], path)
        else:
            path = source
        size = os.path.getsize(path)
        if size == 0:
            sys.exit("bench_compare.py: the input is empty")
        pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        times = {b: [] for b in a.binaries}
        digests = {}
        for i in range(a.rounds):
            order = a.binaries if i % 2 == 0 else a.binaries[::-1]
            for binary in order:
                used, digest = run(binary, path, pin)
                times[binary].append(used)
                digests.setdefault(binary, digest)
        print(f"input: {size} bytes, {a.rounds} rounds, one core, CPU time (user + system)")
        base = times[a.binaries[0]]
        for binary in a.binaries:
            ratios = [t / b for t, b in zip(times[binary], base)]
            same = "" if digests[binary] == digests[a.binaries[0]] else "  OUTPUT DIFFERS"
            print(f"{binary}: median {statistics.median(times[binary]) * 1000:.1f} ms "
                  f"({size / 1e6 / statistics.median(times[binary]):.2f} MB/s), "
                  f"median ratio to the first {statistics.median(ratios):.3f}{same}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
