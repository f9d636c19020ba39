#!/usr/bin/env bash
# Regenerates data/lm/en-us.unlm, the language model embedded in unspin,
# from CMU Sphinx's US-English trigram model (BSD-2-Clause; see
# data/SOURCES.md): `scripts/rebuild_data.py lm`, which says how.
#
#   scripts/build_lm.sh                 # fetches the Debian package pocketsphinx-en-us
#   scripts/build_lm.sh PATH            # its .deb, its unpacked folder, or en-us.lm.bin
set -euo pipefail
exec python3 "$(dirname "$0")/rebuild_data.py" lm ${1:+--pocketsphinx "$1"}
