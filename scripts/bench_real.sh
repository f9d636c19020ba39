#!/usr/bin/env bash
# End-to-end throughput on real, distinct articles: the number the speed
# goal (5 MB/s on one core) is about. scripts/bench.sh repeats one fixture,
# so there the language model's memo answers most queries; real articles
# each bring their own words and n-grams.
#
#   scripts/bench_real.sh [RUNS] [DIR...]     # default: 15 runs of ../shared/dev
#
# Every *.txt under the DIRs (sorted by path) is joined into one input in a
# temporary folder, outside the repository: the development texts are
# measurement data and are never committed. Each run is a new process
# (start-up and a cold memo included), pinned to one core; the script
# prints the fastest and the median run, by the wall clock and in CPU time
# (user + system, which other jobs on the machine disturb less).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
shift || true
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then dirs=(../shared/dev); fi
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input="$work/articles.txt"
find "${dirs[@]}" -type f -name '*.txt' | LC_ALL=C sort | while read -r f; do cat "$f"; done > "$input"
pin=()
if command -v taskset > /dev/null; then pin=(taskset -c 0); fi
python3 - "$input" "$runs" "${pin[@]}" target/release/unspin <<'PY'
import resource, statistics, subprocess, sys, time
path, runs, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
# gzip -1 on the same bytes, pinned the same way, run by turns with
# unspin: a yardstick that moves with the machine's load and clock, so
# that the ratio compares across machines better than MB/s does.
pin = cmd[:-1]
baseline = pin + ["gzip", "-1", "-c"]
data = open(path, "rb").read()
if not data:
    sys.exit("bench_real.sh: no *.txt input found")

def cpu():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime

def timed(argv):
    with open(path, "rb") as stdin:
        t0, c0 = time.perf_counter(), cpu()
        subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, check=True)
        return time.perf_counter() - t0, cpu() - c0

walls, cpus, gzip_cpus = [], [], []
for _ in range(runs):
    wall, used = timed(cmd)
    walls.append(wall)
    cpus.append(used)
    gzip_cpus.append(timed(baseline)[1])
mb = len(data) / 1e6
print(f"input: {len(data)} bytes of real articles, {runs} runs, start-up included")
for name, times in (("wall clock", walls), ("CPU (user + system)", cpus)):
    best, median = min(times), statistics.median(times)
    print(f"{name}: fastest {best * 1000:.1f} ms = {mb / best:.2f} MB/s, "
          f"median {median * 1000:.1f} ms = {mb / median:.2f} MB/s")
ratio = statistics.median(cpus) / statistics.median(gzip_cpus)
print(f"gzip -1 on the same input: median CPU {statistics.median(gzip_cpus) * 1000:.1f} ms; "
      f"unspin takes {ratio:.1f}x as long")
PY
