#!/usr/bin/env python3
"""Check `unspin learn` on a synthetic crawl whose spinner is known.

A spinner is built from the training pairs' alignments: each original word
the pairs show swapped gets the images the spinner wrote for it (in their
proportions) and its swap rate (swaps over occurrences in the originals,
one story counting once is not needed here: the rates only drive the
simulation). A content word the pairs never show swapped gets one fixed
image from the thesaurus layer (its best-weighted inverted edge), swapped
at --thesaurus-rate, as a spinner whose thesaurus covers more than the
pairs reveal. That spinner spins clean text (--clean folders of .txt files
and the originals of the training pairs, and any --extra files) into a
synthetic crawl under --out (never into the repository), with each
document also written as a pair for evalspin.py.

Then it runs `unspin learn` on the crawl's spun side alone and reports:
- the precision and recall of the learned edges (rows of the learned CSV
  with at least --least-swaps expected swaps) against the spinner's true
  edges (image, original) that occur in the crawl, by how often the
  original word occurs in the clean text;
- with --evalspin, fixed and precision on the synthetic pairs without and
  with the learned dictionary.

Standard library only; deterministic for a --seed.
"""
import argparse
import collections
import csv
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data.pairs import align_pair  # noqa: E402
from unspin_data.text import FUNCTION_WORDS  # noqa: E402

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def train_spinner(train):
    """{original word: (swap rate, Counter of images)} from 1:1 swaps."""
    images = collections.defaultdict(collections.Counter)
    occurrences = collections.Counter()
    for d in sorted(os.listdir(train)):
        p = os.path.join(train, d)
        if not os.path.isfile(os.path.join(p, "spun.txt")):
            continue
        subs, orig_tokens, _ = align_pair(read(os.path.join(p, "spun.txt")),
                                          read(os.path.join(p, "orig.txt")), max_words=1)
        occurrences.update(orig_tokens)
        for spun, original, _ in subs:
            if " " not in spun and " " not in original and WORD.fullmatch(spun) \
                    and WORD.fullmatch(original):
                images[original][spun] += 1
    spinner = {}
    for original, seen in images.items():
        swaps = sum(seen.values())
        spinner[original] = (min(1.0, swaps / max(occurrences[original], swaps)), seen)
    return spinner


def thesaurus_images(path):
    """{original: its best-weighted spun image} from the inverted thesaurus."""
    best = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            spun, original, weight = row["spun"], row["original"], float(row["weight"])
            if " " in spun or " " in original or not WORD.fullmatch(original):
                continue
            if original not in best or weight > best[original][0]:
                best[original] = (weight, spun)
    return {o: s for o, (w, s) in best.items()}


def spin(text, spinner, thesaurus, rate, rng, used):
    """The spun text; records each swap made as used[(image, original)]."""
    def swap(m):
        word = m.group(0)
        low = word.lower()
        if low in spinner:
            p, images = spinner[low]
            if rng.random() >= p:
                return word
            image = rng.choices(sorted(images), [images[i] for i in sorted(images)])[0]
        elif low not in FUNCTION_WORDS and low in thesaurus and len(low) > 3:
            if rng.random() >= rate:
                return word
            image = thesaurus[low]
        else:
            return word
        used[(image, low)] += 1
        return image[:1].upper() + image[1:] if word[:1].isupper() else image
    return WORD.sub(swap, text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", required=True, help="training pairs (NNN/spun.txt, orig.txt)")
    ap.add_argument("--clean", action="append", default=[], help="folder of clean .txt files")
    ap.add_argument("--extra", nargs="*", default=[], help="more clean text files")
    ap.add_argument("--thesaurus", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data", "dict", "thesaurus.csv"))
    ap.add_argument("--thesaurus-rate", type=float, default=0.5)
    ap.add_argument("--unspin", default="target/release/unspin")
    ap.add_argument("--out", default="/tmp/unspin-simulation")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--least-swaps", type=float, default=1.0)
    ap.add_argument("--evalspin", help="path of evalspin.py, to score the synthetic pairs")
    ap.add_argument("--sample", type=int, default=0,
                    help="score only every Nth synthetic pair with evalspin (0: all)")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    spinner = train_spinner(a.train)
    thesaurus = thesaurus_images(a.thesaurus)
    sources = []
    for folder in a.clean:
        sources += [os.path.join(folder, f) for f in sorted(os.listdir(folder)) if f.endswith(".txt")]
    sources += [os.path.join(a.train, d, "orig.txt") for d in sorted(os.listdir(a.train))
                if os.path.isfile(os.path.join(a.train, d, "orig.txt"))]
    sources += a.extra
    crawl, pairs = os.path.join(a.out, "crawl"), os.path.join(a.out, "pairs")
    os.makedirs(crawl, exist_ok=True)
    os.makedirs(pairs, exist_ok=True)
    used = collections.Counter()
    frequency = collections.Counter()
    seen_texts = set()
    words = 0
    n = 0
    for path in sources:
        text = read(path)
        if not text.strip() or text in seen_texts:
            continue
        seen_texts.add(text)
        frequency.update(w.lower() for w in WORD.findall(text))
        words += len(text.split())
        spun = spin(text, spinner, thesaurus, a.thesaurus_rate, rng, used)
        with open(os.path.join(crawl, f"{n:04d}.txt"), "w", encoding="utf-8") as f:
            f.write(spun)
        os.makedirs(os.path.join(pairs, f"{n:04d}"), exist_ok=True)
        for name, body in (("spun.txt", spun), ("orig.txt", text)):
            with open(os.path.join(pairs, f"{n:04d}", name), "w", encoding="utf-8") as f:
                f.write(body)
        n += 1

    dict_path = os.path.join(a.out, "learned.dict")
    subprocess.run([a.unspin, "learn", "-q", crawl, "-o", dict_path], check=True)
    learned = set()
    with open(os.path.join(a.out, "learned.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # An edge is learned where the learner raised its weight on
            # enough evidence; the others keep the built-in weights.
            if float(row["swaps"]) >= a.least_swaps and \
                    float(row["weight"]) > float(row["prior_weight"]):
                learned.add((row["spun"], row["original"].lower()))
    true_edges = set(used)

    def band(count):
        return "1-4" if count < 5 else "5-19" if count < 20 else ">=20"
    report = {"documents": n, "words": words, "true_edges": len(true_edges),
              "learned_edges": len(learned), "by_original_frequency": {}}
    for name in ("1-4", "5-19", ">=20"):
        t = {e for e in true_edges if band(frequency[e[1]]) == name}
        lrn = {e for e in learned if band(frequency[e[1]]) == name}
        hit = len(t & lrn)
        report["by_original_frequency"][name] = {
            "true": len(t), "learned": len(lrn),
            "precision": round(hit / len(lrn), 3) if lrn else None,
            "recall": round(hit / len(t), 3) if t else None,
        }
    if a.evalspin:
        if a.sample > 1:
            sample = os.path.join(a.out, "pairs_sample")
            os.makedirs(sample, exist_ok=True)
            for d in sorted(os.listdir(pairs))[::a.sample]:
                link = os.path.join(sample, d)
                if not os.path.exists(link):
                    os.symlink(os.path.join(pairs, d), link)
            pairs = sample
        for label, cmd in (("without", a.unspin), ("with", f"{a.unspin} --dict {dict_path}")):
            out = subprocess.run([sys.executable, a.evalspin, "--cmd", cmd, "--pairs", pairs,
                                  "--clean", "/nonexistent", "--json"],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out)
            report[f"{label}_learning"] = {k: r[k] for k in ("fixed", "precision", "recall")}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
