#!/usr/bin/env bash
# Batch throughput and memory: repairs (1) a folder of 10,000 spun articles
# and (2) one large file (default 200 MB), each with -j1 and -j2, into a
# mirror folder (-o), and prints MB/s, CPU time and the peak resident memory
# (/usr/bin/time -v) of every run. The folder is also run with --check
# (nothing written), which separates repair speed from the file system's
# cost of creating 10,000 files. Inputs are built from tests/fixtures in a
# temporary folder and deleted afterwards.
#
#   scripts/bench_batch.sh [BIG_FILE_MB] [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
big_mb=${1:-200}
articles=${2:-10000}
cargo build --release --quiet
bin=$PWD/target/release/unspin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" "$big_mb" "$articles" <<'PY'
import os, random, sys
work, big_mb, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
spun = open("tests/fixtures/spun_news.txt", encoding="utf-8").read().splitlines()
clean = open("tests/fixtures/clean_news.txt", encoding="utf-8").read().splitlines()
rng = random.Random(4)
# Articles: spun and clean sentences in varying order and number, with
# their own numbers, 100 to a folder, two levels deep.
for i in range(n):
    folder = os.path.join(work, "corpus", f"{i // 1000:02d}", f"{i // 100 % 10:02d}")
    os.makedirs(folder, exist_ok=True)
    lines = [f"Report {i}: talks in region {rng.randint(1, 90)}."]
    for _ in range(rng.randint(6, 24)):
        lines.append(rng.choice(spun if rng.random() < 0.6 else clean))
    end = "\r\n" if i % 10 == 0 else "\n"
    with open(os.path.join(folder, f"article-{i:05d}.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(end.join(lines) + end)
one = open("tests/fixtures/spun_news.txt", "rb").read() + open("tests/fixtures/clean_news.txt", "rb").read()
want = big_mb * 1000 * 1000
with open(os.path.join(work, "big.txt"), "wb") as f:
    f.write(one * (want // len(one) + 1))
PY

corpus_bytes=$(find "$work/corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
big_bytes=$(stat -c %s "$work/big.txt")
python3 -c 'import sys; c, n, b = sys.argv[1:4]; print(f"machine: {sys.argv[4]} cores; corpus: {n} files, {int(c) / 1e6:.1f} MB; big file: {int(b) / 1e6:.1f} MB")' \
  "$corpus_bytes" "$articles" "$big_bytes" "$(nproc)"

# run NAME BYTES ARGS...: one timed run; prints MB/s, CPU and peak RSS.
run() {
  local name=$1 bytes=$2 status=0
  shift 2
  rm -rf "$work/out"
  /usr/bin/time -v -o "$work/time.txt" "$bin" -q "$@" || status=$?
  # --check exits 1 when something would change.
  [ "$status" -le 1 ] || { echo "unspin failed ($status)" >&2; exit 1; }
  python3 - "$name" "$bytes" "$work/time.txt" <<'PY'
import re, sys
name, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = open(path).read()
def get(key):
    return re.search(re.escape(key) + r":\s*(.+)", t).group(1).strip()
wall = get("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
rss = int(get("Maximum resident set size (kbytes)")) / 1024
print(f"{name:<22} {secs:7.2f} s  {size / 1e6 / secs:6.2f} MB/s  cpu {cpu:7.2f} s  peak RSS {rss:6.1f} MiB")
PY
}

echo "--- folder of $articles articles"
run "folder -o -j1" "$corpus_bytes" -j1 -o "$work/out" "$work/corpus"
run "folder -o -j2" "$corpus_bytes" -j2 -o "$work/out" "$work/corpus"
run "folder --check -j1" "$corpus_bytes" -j1 --check "$work/corpus"
run "folder --check -j2" "$corpus_bytes" -j2 --check "$work/corpus"
echo "--- one ${big_mb} MB file"
run "big file -o -j1" "$big_bytes" -j1 -o "$work/out" "$work/big.txt"
run "big file -o -j2" "$big_bytes" -j2 -o "$work/out" "$work/big.txt"
echo "--- the same file through a pipe (stdin -> stdout)"
/usr/bin/time -f "stdin -> stdout -j1  %e s  peak RSS %M KB" "$bin" -j1 < "$work/big.txt" > /dev/null
