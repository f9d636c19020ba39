#!/usr/bin/env python3
"""Regenerates data/articles.csv: the words whose indefinite article is not
the one their first letter suggests ("an hour", "a university").

Usage (from the project root):

    python3 scripts/build_articles.py                    # fetches pocketsphinx-en-us
    python3 scripts/build_articles.py --cmudict path/to/cmudict-en-us.dict

Why: when unspin restores a word after "a" or "an" it makes the article
agree with the restored word (crates/unspin-core/src/article.rs). English picks the article by
the word's first sound; the spelling rule (vowel letter -> "an") is right
for most words, and this file lists the rest. The sounds come from the CMU
pronouncing dictionary shipped in the same Debian package as the language
model (pocketsphinx-en-us, BSD-2-Clause): a word takes "an" when its first
pronunciation starts with a vowel phoneme. Only words of the SymSpell
frequency list (../shared/data-sources) are kept, which holds every word
the dictionaries restore, and only those spelled with letters.

Output rows are `word,article`, sorted by word. Python 3, standard library.
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from unspin_data import pocketsphinx  # noqa: E402
from unspin_data.sources import FREQ  # noqa: E402

VOWEL_PHONEMES = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW",
                  "OY", "UH", "UW"}


def exceptions(cmudict, words):
    """(word, article) for the words of `words` whose first sound and first
    letter disagree."""
    out = []
    with open(cmudict, encoding="utf-8") as f:
        for line in f:
            word, *phones = line.split()
            # "word(2)" lines are further pronunciations: the first decides.
            if "(" in word or word not in words or not word.isalpha() or not word.isascii():
                continue
            by_sound = phones[0] in VOWEL_PHONEMES
            by_letter = word[0] in "aeiou"
            if by_sound != by_letter:
                out.append((word, "an" if by_sound else "a"))
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cmudict", help="cmudict-en-us.dict (default: fetch the Debian package)")
    ap.add_argument("--freq", default=os.path.join(ROOT, "..", "shared", "data-sources", FREQ))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "articles.csv"))
    a = ap.parse_args()
    with open(a.freq, encoding="utf-8") as f:
        words = {line.split()[0] for line in f if line.strip()}
    with tempfile.TemporaryDirectory() as work:
        cmudict = a.cmudict or os.path.join(pocketsphinx.model_dir(None, work), pocketsphinx.CMUDICT)
        rows = exceptions(cmudict, words)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write("word,article\n")
        for word, article in rows:
            f.write(f"{word},{article}\n")
    print(f"{len(rows)} words -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
