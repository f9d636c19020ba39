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
so that a dictionary miss can be told from a ranking miss.

`--raw-sources` adds the raw thesauri as candidate sources of their own
(coverage only, at the surface form: is the original among the words that
list the spun word?): Moby, MyThes, PPDB 2.0 (counter-fitting pairs) and
PPDB 1.0 XL lexical, and their union.

`--cmd CMD` runs a repair command on each spun text and sorts every damaged
word by what became of it: restored; kept as spun although the merged
dictionary has the original among its candidates (not chosen); kept as
spun with no such candidate (no candidate); or changed to something else
(wrong candidate).  Shares are of
all damaged words (token counts over all pairs); `--by-story` weighs each
story (pairs with the same orig_url) as one instead.

The alignment is the one build_thesaurus.py trains on
(unspin_data.pairs.align_pair): tokens as in evalspin.py, difflib on
lowercased tokens, unequal replace blocks split by a small dynamic program
that prefers thesaurus neighbours (`--fast` skips loading the thesauri and
splits blocks without that guidance).  Possessive "'s" is stripped from
both sides, as the dictionary matcher does.
"""
import argparse
import difflib
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data.graph import Graph  # noqa: E402
from unspin_data.pairs import align_pair, read_dict_csvs, story_groups, strip_possessive  # noqa: E402
from unspin_data.sources import FREQ, load_freq  # noqa: E402
from unspin_data.text import content_key, tokens  # noqa: E402


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
    ap.add_argument("--raw-sources", action="store_true",
                    help="also report the raw thesauri (Moby, MyThes, PPDB 2.0, PPDB 1.0 XL)")
    ap.add_argument("--cmd", help="a repair command: report what became of each damaged word")
    ap.add_argument("dicts", nargs="+", help="dictionary CSVs (spun,original,weight,source,...)")
    a = ap.parse_args()

    related, graph = None, None
    if (not a.fast or a.raw_sources) and os.path.isdir(a.sources):
        freq = load_freq(os.path.join(a.sources, FREQ))
        graph = Graph(a.sources, freq, log=lambda m: None)
        related = None if a.fast else graph.related

    events = []   # (weight, spun, original)
    fates = []    # (weight, spun, original, what the command wrote there)
    for sid, ds in story_groups(a.pairs):
        for d in ds:
            spun = open(os.path.join(a.pairs, d, "spun.txt"), encoding="utf-8").read()
            orig = open(os.path.join(a.pairs, d, "orig.txt"), encoding="utf-8").read()
            subs, orig_tokens, _ = align_pair(spun, orig, related)
            written = output_at(a.cmd, spun, orig_tokens) if a.cmd else None
            for s, w, j in subs:
                if " " in s or " " in w:
                    continue
                if a.content_only and not content_key(s):
                    continue
                wt = (1.0 / len(ds)) if a.by_story else 1.0
                events.append((wt, s, w))
                if written is not None:
                    fates.append((wt, s, w, written.get(j)))

    dicts = [(os.path.basename(p), read_dict_csvs([p])) for p in a.dicts]
    if len(a.dicts) > 1:
        dicts.append(("merged", read_dict_csvs(a.dicts)))
    if a.raw_sources and graph is not None:
        dicts.extend(raw_sources(graph))
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


    if a.cmd:
        merged = dicts[len(a.dicts) if len(a.dicts) > 1 else 0][1]
        report_fates(fates, merged, a.cmd)


def raw_sources(graph):
    """Pseudo-dictionaries spun -> {original: 0.0} inverted from each raw
    thesaurus, and their union."""
    edges = {
        "moby (raw)": ((w, s) for w, L in graph.moby.items() for s in L),
        "mythes (raw)": ((w, s) for w, d in graph.my.items() for (s, _) in d),
        "ppdb2 (raw)": ((w, s) for w, ss in graph.ppdb.items() for s in ss),
        "ppdb1-xl (raw)": ((w, s) for w, d in graph.ppdb1.items() for s in d),
    }
    out, union = [], {}
    for name, pairs in edges.items():
        inv = {}
        for w, s in pairs:
            inv.setdefault(s, {})[w] = 0.0
            union.setdefault(s, {})[w] = 0.0
        out.append((name, inv))
    out.append(("raw union", union))
    return out


def output_at(cmd, spun, orig_tokens):
    """{original token index: the command's token there}, for the original
    tokens the command's output aligns with one to one."""
    done = subprocess.run(cmd, shell=True, input=spun.encode(), capture_output=True, check=True)
    out = [t.lower() for t in tokens(done.stdout.decode("utf-8", "replace"))]
    at = {}
    sm = difflib.SequenceMatcher(None, out, orig_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(j2 - j1):
                at[j1 + k] = out[i1 + k]
    return at


def report_fates(fates, merged, cmd):
    counts = {}
    for wt, s, w, written in fates:
        written = strip_possessive(written, w)[0] if written else written
        if written == w:
            fate = "restored"
        elif written == s or written is None:
            fate = "not chosen" if w in merged.get(s, {}) else "no candidate"
        else:
            fate = "wrong candidate"
        counts[fate] = counts.get(fate, 0.0) + wt
    total = sum(counts.values())
    print(f"what {cmd} made of the damaged words:")
    for fate in ("restored", "no candidate", "not chosen", "wrong candidate"):
        print(f"  {fate:16s} {100 * counts.get(fate, 0.0) / max(total, 1e-9):6.1f}%")


if __name__ == "__main__":
    main()
