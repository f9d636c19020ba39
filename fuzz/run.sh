#!/usr/bin/env bash
# Runs one fuzz target: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer args...]
#
# The committed seeds (fuzz/seeds/TARGET) are read-only input; what the
# fuzzer finds goes to fuzz/corpus/TARGET (git-ignored), crashes to
# fuzz/artifacts/TARGET. One job: the machine is shared.
# Stable Rust is enough: RUSTC_BOOTSTRAP lets cargo-fuzz pass its nightly
# flags (-Zsanitizer=address). Set FUZZ_SANITIZER=none to build without ASan.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer args...]}
seconds=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
mkdir -p "fuzz/corpus/$target"
exec env RUSTC_BOOTSTRAP=1 cargo fuzz run -s "${FUZZ_SANITIZER:-address}" "$target" \
  "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
  -max_total_time="$seconds" "$@"
