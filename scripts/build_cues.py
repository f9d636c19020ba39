#!/usr/bin/env python3
"""Build data/prior/cues.csv: how much more often each word or phrase of the
spinner's vocabulary occurs in spun text than in clean text.

The document prior (crates/unspin-core/src/prior.rs) weighs a document's words by these numbers,
so that a word only a spinner writes ("12 months in the past", "additionally")
counts for much, a word clean prose uses every day ("stated", "army") for
little, and a word the spinner nearly always replaces ("said", "bill") counts
against spinning.

For each cue c (a single word that is a spun key or an original in the
hand-made and mined dictionaries, or a multi-word spun key):

    observed(c)  = its count in spun text: the spun side of each training
                   pair (the copies of one story averaged), plus each
                   spun-only article (at most 3 per article);
    expected(c)  = its count had the same texts not been spun: the pair's
                   original for a pair, and for a spun-only article its
                   length times the rate of c in clean news (at most 3);
    ratio(c)     = (observed + A) / (expected + A),

A pseudo-count that pulls a cue with little data toward 1 (no evidence).
A ratio above 1 is then divided by how much more common c is in books than
in news (Google Books counts), so that a word formal registers use often
("stated", "individuals") is not a strong cue just because news rarely has
it.  Only counts of words are read; no text is written.

Usage (defaults are the committed parameters):

    python3 scripts/build_cues.py --shared ../shared --out data/prior/cues.csv
"""
import argparse
import collections
import csv
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data.pairs import story_groups  # noqa: E402
from unspin_data.sources import FREQ, NEWS_BIGRAMS, NEWS_UNIGRAMS  # noqa: E402

PSEUDO = 3.0          # A above
PER_DOC_CAP = 3       # counts per spun-only article, and expected counts
MAX_PHRASE = 5        # words in a multi-word cue
MIN_ABS_LOG = 0.02    # cues closer than this to no evidence are left out

TOK = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokens(text):
    return TOK.findall(text.translate(QUOTES).lower())


def read_body(path):
    """A spun-only article without its `# URL` and `# style:` lines."""
    lines = open(path, encoding="utf-8").read().split("\n")
    return "\n".join(l for l in lines if not l.startswith("# "))


def stories(train):
    """The (spun, orig) texts of each story's pairs (story_groups: the
    copies of one original are one story)."""
    def text(pair, name):
        with open(os.path.join(train, pair, name), encoding="utf-8") as f:
            return f.read()
    return [[(text(pair, "spun.txt"), text(pair, "orig.txt")) for pair in pairs]
            for _, pairs in story_groups(train)]


def vocabulary(dict_files):
    words, phrases = set(), set()
    for path in dict_files:
        for row in csv.DictReader(open(path, encoding="utf-8")):
            spun = tuple(tokens(row["spun"]))
            if len(spun) > 1 and len(spun) <= MAX_PHRASE:
                phrases.add(spun)
            for side in (spun, tuple(tokens(row["original"]))):
                if len(side) == 1:
                    words.add(side[0])
    return words, phrases


def count(toks, words, phrases):
    """Cue counts of a token list, longest match first: a phrase's words
    are not counted again as words (as crates/unspin-core/src/cues.rs reads a text)."""
    c = collections.Counter()
    i = 0
    while i < len(toks):
        for n in range(min(MAX_PHRASE, len(toks) - i), 1, -1):
            if tuple(toks[i:i + n]) in phrases:
                c[" ".join(toks[i:i + n])] += 1
                i += n
                break
        else:
            if toks[i] in words:
                c[toks[i]] += 1
            i += 1
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--sources", help="the data-sources folder (default: SHARED/data-sources)")
    ap.add_argument("--train", help="training pairs (default: SHARED/dev/train)")
    ap.add_argument("--spun-only", help="spun-only articles (default: SHARED/dev/spun_only)")
    ap.add_argument("--dicts", nargs="+", default=["data/dict/curated.csv", "data/dict/mined.csv"])
    ap.add_argument("--out", default="data/prior/cues.csv")
    ap.add_argument("--pseudo", type=float, default=PSEUDO)
    a = ap.parse_args()
    src = a.sources or os.path.join(a.shared, "data-sources")
    news = {}
    for line in open(os.path.join(src, NEWS_UNIGRAMS), encoding="utf-8"):
        w, c, _ = line.rstrip("\n").split("\t")
        news[w] = int(c)
    news_total = sum(news.values())
    news_pairs = {}
    for line in open(os.path.join(src, NEWS_BIGRAMS), encoding="utf-8"):
        pair, c = line.rstrip("\n").split("\t")
        news_pairs[pair] = int(c)
    books = {}
    for line in open(os.path.join(src, FREQ), encoding="utf-8"):
        w, c = line.split()
        books[w] = int(c)
    books_total = sum(books.values())

    words, phrases = vocabulary(a.dicts)
    cues = words | {" ".join(p) for p in phrases}

    # The news counts read every number as one token, <num>. A number's
    # own rate is taken as <num>'s times the number's share of the numbers
    # in the training originals. Looked up as itself, a number would have
    # the rate of a word never seen, and every number in a spun-only
    # article would look like the spinner's.
    training = stories(a.train or os.path.join(a.shared, "dev", "train"))
    numbers = collections.Counter()
    for pairs in training:
        numbers.update(t for t in tokens(pairs[0][1]) if t[:1].isdigit())
    number_total = sum(numbers.values())

    def number_share(t):
        return (numbers[t] + 0.5) / (number_total + 0.5 * len(numbers) + 0.5)

    def news_rate(c):
        parts = c.split(" ")
        share = 1.0
        for t in parts:
            if t[:1].isdigit():
                share *= number_share(t)
        parts = ["<num>" if t[:1].isdigit() else t for t in parts]
        if len(parts) == 1:
            return share * (news.get(parts[0], 0) + 0.5) / news_total
        if len(parts) == 2:
            return share * (news_pairs.get(" ".join(parts), 0) + 0.1) / news_total
        return 0.1 / news_total

    observed, expected = collections.Counter(), collections.Counter()
    for pairs in training:
        for spun, _ in pairs:
            for c, n in count(tokens(spun), words, phrases).items():
                observed[c] += n / len(pairs)
        expected.update(count(tokens(pairs[0][1]), words, phrases))
    only = a.spun_only or os.path.join(a.shared, "dev", "spun_only")
    rates = {c: news_rate(c) for c in cues}
    for name in sorted(os.listdir(only)):
        toks = tokens(read_body(os.path.join(only, name)))
        for c, n in count(toks, words, phrases).items():
            observed[c] += min(n, PER_DOC_CAP)
        for c, r in rates.items():
            expected[c] += min(len(toks) * r, PER_DOC_CAP)

    rows = []
    for c in sorted(cues):
        ratio = (observed[c] + a.pseudo) / (expected[c] + a.pseudo)
        if ratio > 1 and " " not in c:
            formal = books.get(c, 0) / books_total
            ratio = max(1.0, ratio * rates[c] / max(rates[c], formal))
        log = math.log10(ratio)
        if abs(log) >= MIN_ABS_LOG:
            rows.append((c, round(log, 3), round(observed[c], 2), round(expected[c], 2)))
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cue", "log10_ratio", "observed", "expected"])
        w.writerows(rows)
    print(f"build_cues: {len(rows)} cues of {len(cues)} -> {a.out}")


if __name__ == "__main__":
    main()
