#!/usr/bin/env bash
# Tell a dictionary miss from a ranking miss: on a set of spun/original
# pairs, print the top-k candidate recall of the dictionary layers
# (scripts/candidate_recall.py) next to the end-to-end metrics of the built
# binary (evalspin.py).
#
#   scripts/diagnose.sh [PAIRS_DIR]        # default ../shared/dev/train
#
# If the original of a damaged word is not among the candidates, no decoder
# can restore it (dictionary miss); if it is but the output lacks it, the
# weights or the language model chose wrong (ranking miss).
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-../shared/dev/train}
shared=../shared
cargo build --release --quiet
echo "== candidate recall (data/dict layers) on $pairs"
python3 scripts/candidate_recall.py --pairs "$pairs" --sources "$shared/data-sources" data/dict/*.csv
echo
echo "== end to end: target/release/unspin"
python3 "$shared/tools/evalspin.py" --cmd target/release/unspin --pairs "$pairs" --clean "$shared/dev/clean"
