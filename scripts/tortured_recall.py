#!/usr/bin/env python3
"""How many tortured phrases of the built-in layer unspin repairs in context.

    python3 scripts/tortured_recall.py [--unspin target/release/unspin]
                                       [--sample 400] [--seed 7]

Samples phrases of data/dict/tortured.csv (rows from the list itself, not
the number variants) with a fixed seed, puts each into the carrier sentence
"In this paper, we use <phrase> for the analysis of the data." and counts
the sentences whose repair contains the expected form:

- as one document of all the sentences (a paper-mill text, where every
  repair also raises the document's spun probability), and
- for the first 100, each sentence as a document of its own (one tortured
  phrase in otherwise clean text).

The dictionary supplies the phrases, so this measures the decoder's use of
the layer (the language model, the confidence, overlaps between entries),
not the list's coverage of real papers.
"""
import argparse
import csv
import os
import random
import subprocess
import sys

CARRIER = "In this paper, we use {} for the analysis of the data.\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unspin", default="target/release/unspin")
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "data/dict/tortured.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["source"] == "tortured:pps"]
    random.seed(a.seed)
    sample = random.sample(rows, min(a.sample, len(rows)))

    def repair(text):
        done = subprocess.run([a.unspin], input=text.encode(), capture_output=True, check=True)
        return done.stdout.decode()

    lines = repair("".join(CARRIER.format(r["spun"]) for r in sample)).splitlines()
    together = sum(r["original"] in line.lower() for r, line in zip(sample, lines))
    alone_sample = sample[:100]
    alone = sum(r["original"] in repair(CARRIER.format(r["spun"])).lower() for r in alone_sample)
    print(f"one document: {together} of {len(sample)} repaired; "
          f"one sentence per document: {alone} of {len(alone_sample)}")


if __name__ == "__main__":
    sys.exit(main())
