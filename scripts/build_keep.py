"""Build the keep layer: how often the spinner leaves a word as it is.

Usage (from the project root; Python 3.11, standard library only):

    python3 scripts/build_keep.py --train ../shared/dev/train \
        --sources ../shared/data-sources --out data/dict/keep.csv \
        data/dict/curated.csv data/dict/mined.csv data/dict/thesaurus.csv

Why: the decoder's channel model prices a repair s -> w by log10 P(s | w),
but used to price keeping a word at 0, as if the spinner never touched
anything. A spinner replaces most of the words it has synonyms for
("said", "house", "against"), so in a spun text an unchanged "said" is
less likely than the layers assumed. A keep row (spun = original = w,
weight = log10 P(the spinner leaves w as it is)) tells the decoder what
keeping w costs; it charges that in proportion to the document's spun
probability, so clean text is not affected.

Method:
1. Every alphabetic word occurrence of the training originals is a trial:
   changed (the aligned spun text differs there) or not. Stories weigh 1,
   split over their spun copies (train 004-009 are one story).
2. A binomial logistic regression over word features (frequency, how many
   thesaurus neighbours it has in Moby / MyThes / PPDB, function word,
   length) gives a prior change rate p0(w) that also covers words never
   seen in training.
3. Per word, p = (k + A p0(w)) / (n + A): the word's own record pulls the
   prior toward what was observed (A = --strength).
4. A row is written for every single-word spun key of the given dictionary
   CSVs (words with no edge cannot be repaired, so a keep row there would
   do nothing) whose weight log10(1 - p) is below -0.01.

--folds K reports held-out log loss by story for the feature model alone,
the per-word estimate, and a constant rate, so the choice of A can be
checked without looking at dev/test.

Deterministic: sorted iteration, no randomness.
"""
import argparse
import csv
import difflib
import gzip
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_thesaurus import (  # noqa: E402  (shared loaders and tokenizer)
    STOP,
    fit_logistic,
    load_freq,
    load_moby,
    load_mythes,
    load_ppdb,
    sigmoid,
    dot,
    story_groups,
    tokens,
)


def trials(train, groups):
    """Per story: {word: [weighted occurrences, weighted changed]}."""
    out = []
    for sid, dirs in groups:
        share = 1.0 / len(dirs)
        counts = {}
        for d in dirs:
            with open(os.path.join(train, d, "spun.txt"), encoding="utf-8") as f:
                spun = [t.lower() for t in tokens(f.read())]
            with open(os.path.join(train, d, "orig.txt"), encoding="utf-8") as f:
                orig = [t.lower() for t in tokens(f.read())]
            matcher = difflib.SequenceMatcher(None, spun, orig, autojunk=False)
            for tag, _, _, j1, j2 in matcher.get_opcodes():
                for w in orig[j1:j2]:
                    if not w.isalpha():
                        continue
                    c = counts.setdefault(w, [0.0, 0.0])
                    c[0] += share
                    if tag != "equal":
                        c[1] += share
        out.append((sid, counts))
    return out


class Features:
    """Word features that do not depend on the training pairs."""

    def __init__(self, sources):
        self.freq = load_freq(os.path.join(sources, "frequency_dictionary_en_82_765.txt"))
        moby = load_moby(os.path.join(sources, "moby_thesaurus.txt.gz"))
        self.moby = {w: len(s) for w, s in moby.items()}
        mythes = load_mythes(os.path.join(sources, "mythes_th_en_US_v2.dat.gz"))
        self.mythes = {
            w: sum(1 for _, syns in senses for s, rel in syns if rel != "antonym")
            for w, senses in mythes.items()
        }
        self.ppdb = {}
        for a, _ in load_ppdb(os.path.join(sources, "ppdb2_synonyms_counterfitting.txt")):
            self.ppdb[a] = self.ppdb.get(a, 0) + 1

    def of(self, w):
        lf = math.log10(self.freq.get(w, 0) + 1)
        return [
            1.0,
            lf / 10.0,
            (lf / 10.0) ** 2,
            math.log1p(self.moby.get(w, 0)) / 5.0,
            math.log1p(self.mythes.get(w, 0)) / 5.0,
            math.log1p(self.ppdb.get(w, 0)) / 5.0,
            1.0 if w in STOP else 0.0,
            min(len(w), 15) / 10.0,
        ]


def fit(stories, feats):
    pooled = {}
    for _, counts in stories:
        for w, (n, k) in counts.items():
            c = pooled.setdefault(w, [0.0, 0.0])
            c[0] += n
            c[1] += k
    rows = [(feats.of(w), k, n) for w, (n, k) in sorted(pooled.items())]
    beta = fit_logistic(rows, l2=1.0)
    return beta, pooled


def rate(w, beta, pooled, feats, strength):
    p0 = sigmoid(dot(beta, feats.of(w)))
    n, k = pooled.get(w, (0.0, 0.0))
    return (k + strength * p0) / (n + strength)


def cross_validate(stories, feats, folds, strengths, log):
    """Held-out log loss per trial (natural log) by story fold."""
    totals = {}
    weight = 0.0
    for f in range(folds):
        held = [s for i, s in enumerate(stories) if i % folds == f]
        kept = [s for i, s in enumerate(stories) if i % folds != f]
        beta, pooled = fit(kept, feats)
        n_all = sum(n for _, c in kept for n, _ in c.values())
        k_all = sum(k for _, c in kept for _, k in c.values())
        constant = k_all / n_all
        for _, counts in held:
            for w, (n, k) in counts.items():
                weight += n
                models = {"constant": constant}
                models["features"] = sigmoid(dot(beta, feats.of(w)))
                for a in strengths:
                    models[f"per-word A={a:g}"] = rate(w, beta, pooled, feats, a)
                for name, p in models.items():
                    p = min(max(p, 1e-6), 1 - 1e-6)
                    loss = -(k * math.log(p) + (n - k) * math.log(1 - p))
                    totals[name] = totals.get(name, 0.0) + loss
    for name, loss in totals.items():
        log(f"  held-out log loss {name}: {loss / weight:.4f}")


def spun_keys(paths):
    keys = set()
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                key = row["spun"].strip().lower()
                if key.isalpha():
                    keys.add(key)
    return keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", default="../shared/dev/train")
    ap.add_argument("--sources", default="../shared/data-sources")
    ap.add_argument("--out", default="data/dict/keep.csv")
    ap.add_argument("--strength", type=float, default=4.0,
                    help="prior strength A of the per-word estimate")
    ap.add_argument("--folds", type=int, default=0,
                    help="report held-out log loss with this many story folds")
    ap.add_argument("dicts", nargs="+", help="dictionary CSVs whose single-word keys get rows")
    a = ap.parse_args()

    def log(msg):
        print(msg, file=sys.stderr)

    feats = Features(a.sources)
    stories = trials(a.train, story_groups(a.train))
    if a.folds:
        cross_validate(stories, feats, a.folds, [1, 2, 4, 8, 16], log)
    beta, pooled = fit(stories, feats)
    log("  coefficients " + " ".join(f"{b:.3f}" for b in beta))
    rows = []
    for w in sorted(spun_keys(a.dicts)):
        p = rate(w, beta, pooled, feats, a.strength)
        weight = round(math.log10(max(1.0 - p, 1e-3)), 3)
        if weight < -0.01:
            rows.append((w, weight))
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["spun", "original", "weight", "source"])
        for w, weight in rows:
            out.writerow([w, w, f"{weight:.3f}", "keep:train"])
    log(f"wrote {len(rows)} keep rows to {a.out}")


if __name__ == "__main__":
    main()
