#!/usr/bin/env python3
"""Candidate recall of reverse dictionaries on spun/original pairs.

Usage (from the project root):

    python3 scripts/candidate_recall.py --pairs ../shared/dev/train \\
        data/dict/thesaurus.csv data/dict/mined.csv

For every damaged original word, i.e. every single-word substitution
(spun word s -> original word w) that the alignment of a pair finds, it asks
each dictionary (and all of them merged, as the compiler merges them: a
repeated (spun, original) keeps its highest weight) whether w is among the
candidates of s, and at which rank when candidates are ordered by weight
(highest first, then text, as `unspin dict compile` stores them).

It reports, per dictionary:
  no entry   the spun word is not a key at all (a dictionary miss)
  no cand.   the key exists but the true original is not among its candidates
  top1/3/5   the true original is among the first k candidates
  all        the true original is a candidate at all (coverage)
so that a dictionary miss can be told from a ranking miss.  Shares are of
all damaged words (token counts over all pairs); `--by-story` weighs each
story (pairs with the same orig_url) as one instead.

The alignment is the one build_thesaurus.py trains on: tokens as in
evalspin.py, difflib on lowercased tokens, unequal replace blocks split by a
small dynamic program that prefers thesaurus neighbours (`--fast` skips
loading the thesauri and splits blocks without that guidance).  Possessive
"'s" is stripped from both sides, as the dictionary matcher does.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_thesaurus as bt  # noqa: E402


def ranked(cands):
    return [w for w, _ in sorted(cands.items(), key=lambda t: (-t[1], t[0]))]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="top-k candidate recall of dictionary CSVs")
    ap.add_argument("--pairs", required=True, help="directory of NNN/{spun.txt,orig.txt[,meta.json]}")
    ap.add_argument("--sources", default=os.path.join(here, "..", "..", "shared", "data-sources"),
                    help="thesaurus sources, to guide the alignment")
    ap.add_argument("--fast", action="store_true", help="do not load the thesauri for the alignment")
    ap.add_argument("--by-story", action="store_true", help="weigh each story as one")
    ap.add_argument("--content-only", action="store_true",
                    help="count only damaged words whose spun side is a content word")
    ap.add_argument("--misses", type=int, default=0, metavar="N",
                    help="print the N most frequent misses of the merged dictionary")
    ap.add_argument("dicts", nargs="+", help="dictionary CSVs (spun,original,weight,source,...)")
    a = ap.parse_args()

    related = None
    if not a.fast and os.path.isdir(a.sources):
        freq = bt.load_freq(os.path.join(a.sources, "frequency_dictionary_en_82_765.txt"))
        related = bt.Graph(a.sources, freq, log=lambda m: None).related

    events = []   # (weight, spun, original)
    for sid, ds in bt.story_groups(a.pairs):
        for d in ds:
            spun = open(os.path.join(a.pairs, d, "spun.txt"), encoding="utf-8").read()
            orig = open(os.path.join(a.pairs, d, "orig.txt"), encoding="utf-8").read()
            subs, _, _ = bt.align_pair(spun, orig, related)
            for s, w, _ in subs:
                if " " in s or " " in w:
                    continue
                if a.content_only and not bt.content_key(s):
                    continue
                events.append(((1.0 / len(ds)) if a.by_story else 1.0, s, w))

    dicts = [(os.path.basename(p), bt.read_dict_csvs([p])) for p in a.dicts]
    if len(a.dicts) > 1:
        dicts.append(("merged", bt.read_dict_csvs(a.dicts)))
    total = sum(wt for wt, _, _ in events)
    unit = "stories" if a.by_story else "tokens"
    print(f"{len(events)} damaged single-word swaps in {a.pairs} "
          f"(weighted total {total:.1f} {unit})")
    name_w = max(12, max(len(n) for n, _ in dicts))
    print(f"{'dictionary':{name_w}s} {'keys':>7s} {'no entry':>9s} {'no cand.':>9s} "
          f"{'top1':>7s} {'top3':>7s} {'top5':>7s} {'all':>7s} {'med.cands':>9s}")
    for name, d in dicts:
        c = {"noent": 0.0, "nocand": 0.0, 1: 0.0, 3: 0.0, 5: 0.0, "all": 0.0}
        ncands, misses = [], {}
        rank_cache = {}
        for wt, s, w in events:
            cands = d.get(s)
            if not cands:
                c["noent"] += wt
                misses[(s, w, "no entry")] = misses.get((s, w, "no entry"), 0) + 1
                continue
            if s not in rank_cache:
                rank_cache[s] = ranked(cands)
            order = rank_cache[s]
            ncands.append(len(order))
            if w not in cands:
                c["nocand"] += wt
                misses[(s, w, "no cand.")] = misses.get((s, w, "no cand."), 0) + 1
                continue
            r = order.index(w)
            c["all"] += wt
            for k in (1, 3, 5):
                if r < k:
                    c[k] += wt
        ncands.sort()
        med = ncands[len(ncands) // 2] if ncands else 0
        pct = lambda v: f"{100 * v / total:6.1f}%" if total else "   n/a"
        print(f"{name:{name_w}s} {len(d):7d} {pct(c['noent']):>9s} {pct(c['nocand']):>9s} "
              f"{pct(c[1]):>7s} {pct(c[3]):>7s} {pct(c[5]):>7s} {pct(c['all']):>7s} {med:9d}")
        if a.misses and name == dicts[-1][0]:
            print(f"most frequent misses of {name}:")
            for (s, w, why), n in sorted(misses.items(), key=lambda t: (-t[1], t[0]))[:a.misses]:
                print(f"  {n:3d}  {s} -> {w}  ({why})")


if __name__ == "__main__":
    main()
