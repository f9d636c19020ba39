"""Training pairs: stories, alignment of a spun text with its original,
and dictionary CSVs.

A story (the copies of one original) weighs one in every count, so that an
article spun five times does not count five times; the alignment is the
one the thesaurus model trains on and candidate recall measures with.
"""
import csv
import difflib
import json
import os
import re

from .text import tokens


def story_groups(pairs_dir):
    """[(story_id, [pair dirs])] sorted; pairs with the same orig_url (or the
    same original text) form one story."""
    groups = {}
    for d in sorted(os.listdir(pairs_dir)):
        p = os.path.join(pairs_dir, d)
        if not os.path.isfile(os.path.join(p, "spun.txt")):
            continue
        key = None
        mp = os.path.join(p, "meta.json")
        if os.path.isfile(mp):
            try:
                with open(mp, encoding="utf-8") as f:
                    key = json.load(f).get("orig_url")
            except (ValueError, OSError):
                key = None
        if not key:
            with open(os.path.join(p, "orig.txt"), encoding="utf-8") as f:
                key = "text:" + f.read().strip()[:200]
        groups.setdefault(key, []).append(d)
    out = [(v[0], v) for v in groups.values()]
    return sorted(out)


def strip_possessive(a, b):
    """Both words without their "'s" when both have one, as the dictionary
    matcher looks a possessive up by its stem."""
    if a.endswith("'s") and b.endswith("'s") and len(a) > 2 and len(b) > 2:
        return a[:-2], b[:-2]
    return a, b


def align_pair(spun_text, orig_text, related=None, max_words=3):
    """Align a spun text with its original.

    Returns (subs, orig_tokens, orig_changed) where subs is a list of
    (spun_phrase, orig_phrase, orig_index) for 1:1 word swaps and short phrase
    swaps (both sides <= max_words words, no punctuation), orig_tokens the
    lowercased original tokens and orig_changed the set of their indices that
    the spinner changed.  `related(s, w)` (optional) tells whether s and w are
    thesaurus neighbours; it guides the split of unequal blocks.
    """
    S = [t.lower() for t in tokens(spun_text)]
    O = [t.lower() for t in tokens(orig_text)]
    subs, changed = [], set()
    sm = difflib.SequenceMatcher(None, S, O, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        changed.update(range(j1, j2))
        if tag != "replace":
            continue
        a, b = S[i1:i2], O[j1:j2]
        for (x1, x2, y1, y2) in _segment(a, b, related, max_words):
            sp, op = a[x1:x2], b[y1:y2]
            if not sp or not op:
                continue
            if any(not re.match(r"\w", t) for t in sp + op):
                continue
            if len(sp) == 1 and len(op) == 1:
                s, w = strip_possessive(sp[0], op[0])
            else:
                s, w = " ".join(sp), " ".join(op)
            if s == w:
                continue
            subs.append((s, w, j1 + y1))
    return subs, O, changed


def _segment(a, b, related, max_words):
    """monotone segmentation of a replace block into chunks"""
    n, m = len(a), len(b)
    if n == m:
        return [(i, i + 1, i, i + 1) for i in range(n)]
    if n > 12 or m > 12:
        return []
    INF = -1e9
    best = [[INF] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i][j] == INF:
                continue
            for di in range(0, max_words + 1):
                for dj in range(0, max_words + 1):
                    if di == 0 and dj == 0 or i + di > n or j + dj > m:
                        continue
                    sp, op = a[i:i + di], b[j:j + dj]
                    if di == 0 or dj == 0:
                        sc = -1.5 * (di + dj)
                    elif di == 1 and dj == 1:
                        sc = 0.0
                        if related and related(sp[0], op[0]):
                            sc += 1.0
                    else:
                        sc = -1.0 - 0.3 * (di + dj - 3)
                        if related and related(" ".join(sp), " ".join(op)):
                            sc += 2.5
                    v = best[i][j] + sc
                    if v > best[i + di][j + dj]:
                        best[i + di][j + dj] = v
                        back[i + di][j + dj] = (i, j)
    out, i, j = [], n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        out.append((pi, i, pj, j))
        i, j = pi, pj
    return out[::-1]


def read_dict_csvs(paths):
    """spun -> {original: best weight}"""
    d = {}
    for p in paths:
        with open(p, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                s = " ".join(row["spun"].replace("’", "'").lower().split())
                w = row["original"].lower()
                try:
                    wt = float(row["weight"])
                except (TypeError, ValueError):
                    wt = 0.0
                e = d.setdefault(s, {})
                if w not in e or wt > e[w]:
                    e[w] = wt
    return d
