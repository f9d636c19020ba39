#!/usr/bin/env bash
# Regenerates data/lm/en-us.unlm, the language model embedded in unspin,
# from CMU Sphinx's US-English trigram model (BSD-2-Clause; see data/SOURCES.md).
#
#   scripts/build_lm.sh                 # fetches the Debian package pocketsphinx-en-us
#   scripts/build_lm.sh path/to/en-us.lm.bin
#
# Steps: Sphinx binary trie -> ARPA (scripts/sphinx_trie2arpa.py) -> compact
# binary (`unspin lm compile`). Needs apt-get (or the .lm.bin), python3, cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ $# -ge 1 ]; then
  lmbin=$1
else
  (cd "$work" && apt-get download pocketsphinx-en-us >/dev/null)
  dpkg-deb -x "$work"/pocketsphinx-en-us_*.deb "$work/pkg"
  lmbin="$work/pkg/usr/share/pocketsphinx/model/en-us/en-us.lm.bin"
fi
python3 scripts/sphinx_trie2arpa.py "$lmbin" "$work/en-us.arpa"
cargo run --release --quiet -- lm compile "$work/en-us.arpa" -o data/lm/en-us.unlm
ls -l data/lm/en-us.unlm
