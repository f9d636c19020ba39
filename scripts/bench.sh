#!/usr/bin/env bash
# End-to-end throughput: builds a spun-news input of SIZE_MB (default 100)
# from the project's own fixture, then times `unspin` against `cat` on it
# and prints MB/s and the ratio. One core: unspin is single-threaded here.
#
#   scripts/bench.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-100}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input="$work/spun.txt"
python3 - "$input" "$size_mb" <<'PY'
import sys
one = open("tests/fixtures/spun_news.txt", "rb").read()
want = int(sys.argv[2]) * 1024 * 1024
with open(sys.argv[1], "wb") as f:
    f.write(one * (want // len(one) + 1))
PY
bytes=$(stat -c %s "$input")
now() { date +%s.%N; }
pin=()
if command -v taskset > /dev/null; then pin=(taskset -c 0); fi
t0=$(now); cat "$input" > /dev/null; t1=$(now)
"${pin[@]}" target/release/unspin "$input" > "$work/out.txt"
t2=$(now)
printf 'one-line start-up: '
t3=$(now); echo "The Joint Chiefs of Employees met." | target/release/unspin > /dev/null; t4=$(now)
python3 - "$bytes" "$t0" "$t1" "$t2" "$t3" "$t4" <<'PY'
import sys
b, t0, t1, t2, t3, t4 = int(sys.argv[1]), *map(float, sys.argv[2:])
mb = b / 1e6
cat, un = t1 - t0, t2 - t1
print(f"{(t4 - t3) * 1000:.1f} ms")
print(f"input: {mb:.1f} MB")
print(f"cat:    {cat:.3f} s  {mb / cat:8.1f} MB/s")
print(f"unspin: {un:.3f} s  {mb / un:8.1f} MB/s  ({un / cat:.1f}x cat)")
PY
