#!/usr/bin/env python3
"""Mine spinner substitutions (spun phrase -> original phrase) from real pairs.

Usage (from the project root):

    python3 scripts/mine_pairs.py --train ../shared/dev/train --out data/dict/mined.csv

Options:
    --train DIR      directory of NNN/{spun.txt,orig.txt,meta.json} pairs
    --out FILE       CSV to write (columns spun,original,weight,source,count)
    --seed FILE      seed pairs TSV (original<TAB>spun<TAB>set); default
                     <train>/../../data-sources/news_spinner_seed_pairs.tsv
    --thesaurus DIR  directory with moby_thesaurus.txt.gz,
                     mythes_th_en_US_v2.dat.gz and the SymSpell frequency
                     lists; default <train>/../../data-sources
    --no-thesaurus   do not read the thesauri (faster, slightly worse splits)
    --verbose        print every extracted chunk to stderr

Python 3.11, standard library only, deterministic (all output is sorted, no
set iteration reaches the output, no randomness).

Method
------
1. Tokenize both sides like evalspin.py: regex \\w+(?:['’]\\w+)*|[^\\w\\s] after
   mapping curly quotes and en/em dashes to straight ones. A '-' glued to word
   characters on both sides is an intra-word hyphen: "well-known" stays one
   unit for phrase rendering, but its parts are aligned separately.
2. Align lowercased tokens with difflib.SequenceMatcher(autojunk=False).
   Non-equal blocks separated by a single equal token are merged (difflib
   anchors on stray "with"/"the" inside rewritten spans); every block is
   widened by one equal word token on each side (so an insertion such as
   "Chinese [language]" can become the phrase swap "chinese language" ->
   "chinese").
3. Each widened block is segmented monotonically into chunks (1-4 words on
   each side; identity chunks for equal words and punctuation) by dynamic
   programming. A chunk's score prefers 1:1 pairs and identities, rewards
   seed pairs, thesaurus neighbours (Moby, MyThes, crude inflection
   stripping; a single word related to a content word of a phrase, "before"
   / "earlier than"), spun phrases that recur in other spun texts more than
   in originals ("court docket"), collocations (PMI from the SymSpell bigram
   list), and pairs chosen in other stories (a few rounds of hard EM, so
   frequent swaps anchor the splits of long blocks). It penalises chunks that
   look shifted: a word that reappears on the other side of the block
   ("leading league" / "premier"), function word <-> content word pairs,
   phrases starting with "of"/"and" or ending with an article.
4. Chunks are dropped when a side contains punctuation (other than an
   intra-word hyphen or apostrophe) or non-ASCII letters (mojibake), when
   both sides are numbers/number words ("two" -> "2"), when they differ only
   by case or typography or only by "a"/"an", one-off pairs made only of
   function words ("on" -> "of": alignment noise), one-off pairs whose
   original is the spun phrase with words added ("decision" -> "decision on
   July 26", "people" -> "people together"): a spinner rewrites words, and
   such a pair is the alignment taking in words the spun text lacks, one-off
   pairs whose spun phrase is the original with two words or more added,
   one of them outside the COMMON_WORDS commonest ("current term structure
   of" -> "current"), the same mistake the other way round (a spinner adds
   one word, "calendar year" -> "year", or common ones, "make use of" ->
   "use", "all the way down" -> "down"), and
   one-off single-word pairs of a function word and a content word that no
   thesaurus links ("bullish" -> "the"): the alignment pairing a word the
   spinner dropped with one it wrote.
5. Counting is per occurrence, each story weighing as one copy: pairs whose
   meta.json orig_url (or original text) is the same form one story (e.g.
   train 001-003, 004-009), and their counts are averaged over its copies.
   For each (spun s, original w): k = occurrences of w spun as s, n =
   occurrences of w in the originals (spun or not).
   weight = log10((k + A*P0) / (n + A)) with A = 8, P0 = 0.05, so a swap the
   spinner makes every time it meets the word ("said" -> "stated") gets
   about -0.3, a one-off about -0.8 for a rare word and -1.3 to -1.6 for a
   word the originals use often and the spinner left alone elsewhere.
   (Counting stories instead, k = stories with the swap and n = stories
   with w, rated a common word spun once like a rare one; on 3-fold
   cross-validation by story, occurrences took fixed from 0.305 to 0.308
   and precision from 0.909 to 0.920, dev/clean changes 3 -> 2.)
6. `original` is lowercased unless its capitalisation is intrinsic: the spun
   side was lowercase (or an all-caps acronym) while the original had capitals
   ("us" -> "US"), decided by majority over occurrences.
7. Each single-word swap of content words also yields the swaps between
   the other inflections of the two words (`inflected_rows`): "youngsters"
   -> "children" gives "youngster" -> "child", "stated" -> "said" gives
   "stating" -> "saying". Source `mined:inflected`, count 0, weight 0.3
   lower than the swap it comes from; a swap mined as such keeps its own
   row. Cross-validation: fixed 0.304 -> 0.308 at precision 0.922 -> 0.920.

Output: header spun,original,weight,source,count; spun lowercase, single
spaces, straight apostrophes; source "mined:train" (count: stories with the
swap) or "mined:inflected" (count 0); rows sorted by (spun, original).
"""
import argparse
import csv
import difflib
import gzip
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data.morph import Morph  # noqa: E402
from unspin_data.sources import (  # noqa: E402
    BIGRAMS, FREQ, MOBY, MYTHES, SEED_PAIRS, WORDNET_EXC, load_exc, load_freq, load_mythes)
from unspin_data.text import FUNCTION_WORDS, NUMBER_WORDS, QUOTES, TOK  # noqa: E402

WORD = re.compile(r"\w", re.UNICODE)
CLEAN = re.compile(r"[a-z0-9' -]+")

MAXW = 4            # max words per side of a chunk
A, P0 = 8.0, 0.05   # smoothing of the weight estimate (prior mean P0, strength A)
# function words: misalignments between them recur in every story, so their
# support from other stories counts little while segmenting
STOP = set("""a an the of to in on at by for from with as into onto about over under
and or but if than that this these those it its is are was were be been being has have
had do does did will would can could may might must shall should not no so up out off
he she they we you i his her their our your my him them us who which what when where
while also just very more most some any all much many""".split())

# the frequency list's commonest words: what a spinner pads a word with
# ("make use of", "all the way down"); a one-off pair padded with rarer
# words is alignment noise
COMMON_WORDS = 1000

# words a spinner phrase does not start or end with ("of payments", "at a")
EDGE = {"of", "the", "a", "an", "and", "or"}


# ---------------------------------------------------------------- tokens
class Tok:
    __slots__ = ("text", "low", "word", "glued")

    def __init__(self, text, word, glued):
        self.text = text          # surface form (typography normalised)
        self.low = text.lower()
        self.word = word          # a word token (contains \w)
        self.glued = glued        # '-' glued to words on both sides


ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}(?![A-Za-z])")


def tokenize(text):
    text = text.translate(QUOTES)
    text = ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)   # U.S. -> US
    spans = [(m.group(0), m.start(), m.end()) for m in TOK.finditer(text)]
    out = []
    for i, (t, s, e) in enumerate(spans):
        glued = False
        if t == "-" and 0 < i < len(spans) - 1:
            p, n = spans[i - 1], spans[i + 1]
            glued = p[2] == s and n[1] == e and bool(WORD.search(p[0])) and bool(WORD.search(n[0]))
        out.append(Tok(t, bool(WORD.search(t)), glued))
    return out


def units(toks):
    """Group tokens into units: words joined by glued hyphens; None if the
    sequence contains other punctuation or starts/ends with a hyphen."""
    if not toks or not toks[0].word or not toks[-1].word:
        return None
    res, cur = [], [toks[0]]
    for t in toks[1:]:
        if t.glued:
            cur.append(t)
        elif t.word:
            if cur[-1].glued:
                cur.append(t)
            else:
                res.append(cur)
                cur = [t]
        else:
            return None
    res.append(cur)
    return res


def render(toks, lower=True):
    us = units(toks)
    if us is None:
        return None
    return " ".join("".join((t.low if lower else t.text) for t in u) for u in us)


def is_numeric(phrase):
    return all(w.isdigit() or w in NUMBER_WORDS or re.fullmatch(r"[\d.,-]+", w)
               for w in re.split(r"[ -]", phrase) if w)


# ---------------------------------------------------------------- lexicon
def strip_infl(w):
    """Crude lemma candidates for thesaurus lookups."""
    out = [w]
    if w.endswith("'s"):
        out.append(w[:-2])
    for suf, rep in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""),
                     ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"), ("ly", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            out.append(w[: len(w) - len(suf)] + rep)
    return out


class Lexicon:
    def __init__(self):
        self.uni, self.bi, self.total = {}, {}, 0
        self.common = set()  # COMMON_WORDS words, when the frequency list is at hand
        self.seed = set()       # (orig, spun) lowercase phrases
        self.syn = set()        # frozenset({a, b}) thesaurus links

    def load_seed(self, path):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                self.seed.add((row["original"].strip().lower(), row["spun"].strip().lower()))

    def load_thesauri(self, d, vocab):
        moby = os.path.join(d, MOBY)
        if os.path.exists(moby):
            with gzip.open(moby, "rt", encoding="utf-8", errors="replace") as f:
                for line in f:
                    parts = line.rstrip("\r\n").lower().split(",")
                    root = parts[0]
                    if root in vocab:
                        for s in parts[1:]:
                            if s in vocab and s != root:
                                self.syn.add(frozenset((root, s)))
                    # multi-word siblings under one root ("for instance",
                    # "as an example" under "for example")
                    phr = sorted({p for p in parts if " " in p and p in vocab})
                    for i, a in enumerate(phr):
                        for b in phr[i + 1:]:
                            self.syn.add(frozenset((a, b)))
        mythes = os.path.join(d, MYTHES)
        if os.path.exists(mythes):
            with gzip.open(mythes, "rt", encoding="utf-8", errors="replace") as f:
                head = None
                for line in f:
                    line = line.rstrip("\n")
                    if not line.startswith("("):
                        head = line.split("|")[0].lower()
                        continue
                    if head not in vocab:
                        continue
                    for s in line.split("|")[1:]:
                        s = re.sub(r"\s*\(.*?\)\s*$", "", s).lower()
                        if s in vocab and s != head:
                            self.syn.add(frozenset((head, s)))

    def load_freq(self, d, words):
        """Unigram/bigram counts (SymSpell lists) for words of the blocks."""
        self.uni, self.bi, self.total = {}, {}, 0
        up = os.path.join(d, FREQ)
        bp = os.path.join(d, BIGRAMS)
        if not (os.path.exists(up) and os.path.exists(bp)):
            return
        counts = []
        with open(up, encoding="utf-8") as f:
            for line in f:
                w, c = line.split()
                self.total += int(c)
                counts.append((-int(c), w))
                if w in words:
                    self.uni[w] = int(c)
        self.common = {w for _, w in sorted(counts)[:COMMON_WORDS]}
        with open(bp, encoding="utf-8") as f:
            for line in f:
                a, b, c = line.split()
                if a in words and b in words:
                    self.bi[(a, b)] = int(c)

    def cohesion(self, phrase):
        """Mean positive PMI (bits) of adjacent word pairs, 0 if unknown:
        spinner phrases are collocations ("earlier than", "marketing
        campaign"), shifted chunks are not ("than beijing")."""
        ws = phrase.replace("-", " ").split(" ")
        if len(ws) < 2 or not self.total:
            return 0.0
        tot = 0.0
        for a, b in zip(ws, ws[1:]):
            c = self.bi.get((a, b))
            if c and a in self.uni and b in self.uni:
                tot += max(0.0, math.log2(c * self.total / (self.uni[a] * self.uni[b])))
        return tot / (len(ws) - 1)

    def related(self, o, s):
        if (o, s) in self.seed:
            return 2
        if frozenset((o, s)) in self.syn:
            return 1
        # thesauri list "a number" for several: accept "a number of" too
        if o.endswith(" of") != s.endswith(" of") and (o + s).count(" ") >= 2:
            if frozenset((o[:-3] if o.endswith(" of") else o,
                          s[:-3] if s.endswith(" of") else s)) in self.syn:
                return 1
        if " " not in o and " " not in s:
            for a in strip_infl(o):
                for b in strip_infl(s):
                    if (a, b) in self.seed:
                        return 2
                    if frozenset((a, b)) in self.syn:
                        return 1
        return 0


# ---------------------------------------------------------------- blocks
def load_pairs(train):
    pairs = []
    for name in sorted(os.listdir(train)):
        d = os.path.join(train, name)
        if not os.path.isfile(os.path.join(d, "spun.txt")):
            continue
        with open(os.path.join(d, "spun.txt"), encoding="utf-8") as f:
            spun = f.read()
        with open(os.path.join(d, "orig.txt"), encoding="utf-8") as f:
            orig = f.read()
        meta = {}
        mp = os.path.join(d, "meta.json")
        if os.path.exists(mp):
            with open(mp, encoding="utf-8") as f:
                meta = json.load(f)
        pairs.append((name, meta, orig, spun))
    # stories: union of pairs sharing orig_url or identical original text
    parent = list(range(len(pairs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    keys = {}
    for i, (_, meta, orig, _) in enumerate(pairs):
        for k in (("url", meta.get("orig_url")), ("text", orig.strip())):
            if k[1]:
                if k in keys:
                    parent[find(i)] = find(keys[k])
                else:
                    keys[k] = i
    story_of = {}
    for i, p in enumerate(pairs):
        story_of[p[0]] = pairs[find(i)][0]
    return pairs, story_of


def blocks_of(o, s):
    """Non-equal difflib blocks widened by one equal word token per side.
    Blocks separated by a single equal token are merged first (difflib
    often anchors on a stray "with"/"the" inside a rewritten span).
    Yields (otoks, stoks, nctx_left, nctx_right)."""
    sm = difflib.SequenceMatcher(None, [t.low for t in o], [t.low for t in s], autojunk=False)
    spans = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= 1 and j1 - spans[-1][3] <= 1:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    for i1, i2, j1, j2 in spans:
        left = 1 if i1 > 0 and j1 > 0 and o[i1 - 1].word and o[i1 - 1].low == s[j1 - 1].low else 0
        right = 1 if i2 < len(o) and j2 < len(s) and o[i2].word and o[i2].low == s[j2].low else 0
        yield o[i1 - left:i2 + right], s[j1 - left:j2 + right], left, right


def chunk_options(ob, sb):
    """All (i1,i2,j1,j2) word chunks that can take part in a segmentation."""
    m, n = len(ob), len(sb)
    res = []
    for i1 in range(m):
        for i2 in range(i1 + 1, min(m, i1 + 2 * MAXW) + 1):
            ro = render(ob[i1:i2])
            if ro is None or ro.count(" ") >= MAXW:
                continue
            for j1 in range(n):
                if (i1 == 0) != (j1 == 0):
                    continue
                for j2 in range(j1 + 1, min(n, j1 + 2 * MAXW) + 1):
                    if (i2 == m) != (j2 == n):
                        continue
                    rs = render(sb[j1:j2])
                    if rs is None or rs.count(" ") >= MAXW:
                        continue
                    res.append((i1, i2, j1, j2, ro, rs))
    return res


class Miner:
    def __init__(self, lex):
        self.lex = lex
        self.support = {}     # (orig, spun) -> set of stories
        self.spun_in = {}     # phrase -> stories whose spun text has it
        self.orig_in = {}     # phrase -> stories whose original has it

    def index_phrases(self, texts, vocab):
        """texts: (story, rendered spun text, rendered original text)."""
        for story, st, ot in texts:
            for ph in vocab:
                if " " in ph:
                    needle = " " + ph + " "
                    if needle in st:
                        self.spun_in.setdefault(ph, set()).add(story)
                    if needle in ot:
                        self.orig_in.setdefault(ph, set()).add(story)

    def spinner_phrase(self, ph, story):
        """Other stories whose spun text has ph, minus those whose original
        has it: recurring spinner output ("court docket", "just lately")."""
        a = self.spun_in.get(ph, ())
        b = self.orig_in.get(ph, ())
        return (len(a) - (story in a)) - (len(b) - (story in b))

    def chunk_score(self, ro, rs, story, owords=(), swords=()):
        """Score of aligning original chunk ro with spun chunk rs. owords /
        swords: words of the whole block on each side (for the shift
        penalty)."""
        if ro == rs:
            return 2.0
        wo, ws = ro.split(" "), rs.split(" ")
        extra = len(wo) + len(ws) - 2
        sc = -0.3 if extra == 0 else -0.8 * extra
        rel = self.lex.related(ro, rs)
        if rel == 1 and ro in STOP and rs in STOP:
            rel = 0          # thesaurus links between function words are noise
        if not rel and extra == 0:
            nstop = (ro in STOP) + (rs in STOP)
            sc -= (0.0, 1.5, 1.5)[nstop]     # "the" -> "marketing": a shift
        # a word of the chunk that reappears on the other side of the block
        # outside this chunk means the chunk is shifted ("leading league" for
        # "premier" when "league" follows in the original)
        for w in set(ws) - set(wo):
            if w in owords:
                sc -= 1.5
        for w in set(wo) - set(ws):
            if w in swords:
                sc -= 1.5
        if rel:
            sc += (4.0 if rel == 2 else 2.5) + 0.8 * extra
        elif extra and (len(wo) == 1 or len(ws) == 1):
            # "before" / "earlier than", "ago" / "in the past": the single
            # word is related to a content word of the phrase
            one, many = (wo, ws) if len(wo) == 1 else (ws, wo)
            if one[0] not in STOP and many[0] not in EDGE and many[-1] not in EDGE and any(
                    w not in STOP and (self.lex.related(one[0], w) if one is wo
                                       else self.lex.related(w, one[0]))
                    for w in many):
                sc += 1.5 + 0.4 * extra
        sup = self.support.get((ro, rs))
        if sup:
            other = len(sup) - (1 if story in sup else 0)
            cap = 1.0 if ro in STOP and rs in STOP else 3.0
            sc += min(cap, 1.5 * math.log2(1 + other))
        if wo[0] == ws[0]:
            sc -= 1.0        # absorbs a context word: needs evidence
        elif wo[-1] == ws[-1]:
            sc -= 1.05       # (on a tie, attach an insertion to the left word)
        if (wo[0] == ws[0] and wo[0] in STOP) or (wo[-1] == ws[-1] and wo[-1] in STOP):
            sc -= 0.5        # "the coronary" / "the": prefer "coronary heart"
        if (len(ws) > 1 and ws[0] in ("of", "and", "or")) or (len(wo) > 1 and wo[0] in ("of", "and", "or")):
            sc -= 1.5        # "of payments" / "bills": the "of" belongs to the left
        if (len(ws) > 1 and ws[-1] in ("a", "an", "the")) or (len(wo) > 1 and wo[-1] in ("a", "an", "the")):
            sc -= 1.5        # "as an" / "for": the article belongs to the right
        # evidence that the spun side is one phrase: it recurs in other spun
        # texts more than in originals, or it is a collocation (PMI)
        bonus = 0.0
        if len(ws) > 1:
            ex = self.spinner_phrase(rs, story)
            if ex > 0:
                bonus += math.log2(1 + ex)
        if len(ws) > len(wo):
            bonus += self.lex.cohesion(rs) / 4.0
        sc += min(1.5, bonus)
        if {ro, rs} == {"a", "an"}:
            sc -= 1.0        # article agreement: attach to the noun swap
        return sc

    def segment(self, ob, sb, story):
        """Best monotone segmentation of a block; returns list of chunks."""
        m, n = len(ob), len(sb)
        owords = {t.low for t in ob if t.word}
        swords = {t.low for t in sb if t.word}
        opts = {}
        for (i1, i2, j1, j2, ro, rs) in chunk_options(ob, sb):
            opts.setdefault((i1, j1), []).append((i2, j2, ro, rs))
        NEG = -1e18
        best = [[NEG] * (n + 1) for _ in range(m + 1)]
        back = [[None] * (n + 1) for _ in range(m + 1)]
        best[0][0] = 0.0
        for i in range(m + 1):
            for j in range(n + 1):
                cur = best[i][j]
                if cur == NEG:
                    continue
                cand = []
                for (i2, j2, ro, rs) in opts.get((i, j), ()):
                    cand.append((i2, j2, self.chunk_score(ro, rs, story, owords, swords), (ro, rs)))
                # fallbacks: drop a token on one side (punctuation cheap)
                if i < m:
                    cand.append((i + 1, j, -0.5 if not ob[i].word else -6.0, None))
                if j < n:
                    cand.append((i, j + 1, -0.5 if not sb[j].word else -6.0, None))
                if i < m and j < n and not ob[i].word and not sb[j].word:
                    cand.append((i + 1, j + 1, 2.0 if ob[i].low == sb[j].low else 0.0, None))
                for (i2, j2, sc, ch) in cand:
                    v = cur + sc
                    if v > best[i2][j2] + 1e-9:
                        best[i2][j2] = v
                        back[i2][j2] = (i, j, ch)
        chunks = []
        i, j = m, n
        while (i, j) != (0, 0):
            pi, pj, ch = back[i][j]
            if ch is not None:
                chunks.append((pi, i, pj, j))
            i, j = pi, pj
        chunks.reverse()
        return chunks


def trim(ob, sb):
    """Strip identical leading/trailing words while both sides keep a word."""
    while len(ob) > 1 and len(sb) > 1 and ob[0].low == sb[0].low and units(ob[1:]) and units(sb[1:]):
        ob, sb = ob[1:], sb[1:]
    while len(ob) > 1 and len(sb) > 1 and ob[-1].low == sb[-1].low and units(ob[:-1]) and units(sb[:-1]):
        ob, sb = ob[:-1], sb[:-1]
    return ob, sb


def case_vote(ob, sb):
    """'cased' if the original's capitals are intrinsic, 'lower' if both
    sides are lowercase, None if uninformative."""
    otext = "".join(t.text for t in ob if t.word)
    stoks = [t.text for t in sb if t.word]
    s_acronym = all(t.isupper() and len(t) >= 2 for t in stoks)
    o_has_upper = any(c.isupper() for c in otext)
    s_lower = not any(c.isupper() for c in "".join(stoks))
    if s_lower or s_acronym:
        return "cased" if o_has_upper else "lower"
    return None


INFLECTION_DISCOUNT = 0.3   # log10: an inflected form was not itself seen
INFLECTIONS = {"noun": ("", "pl"), "verb": ("", "s", "ed", "ing"), "adj": ("", "er", "est")}


def padding(spun, original):
    """The words a spun phrase adds around its original, if it is the
    original with two words or more added ("current term structure of"
    for "current": term, structure, of); else none."""
    s, o = spun.split(" "), original.split(" ")
    if len(s) < len(o) + 2:
        return []
    for i in range(len(s) - len(o) + 1):
        if s[i:i + len(o)] == o:
            return s[:i] + s[i + len(o):]
    return []


def inflected_rows(rows, sources):
    """The other inflections of each mined single-word swap: the spinner
    that wrote "youngsters" for "children" writes "youngster" for "child",
    and "stated" for "said" means "stating" for "saying". Both words must be
    the same form (plural, past, ...) of lemmas sharing a part of speech
    (one MyThes gives both lemmas, where it knows them);
    forms come from WordNet's exception lists and regular rules, and must be
    in the frequency list (unspin_data.morph.Morph, as for the
    thesaurus layer). Weight: the mined row's minus INFLECTION_DISCOUNT; rows already
    mined win."""
    freq = load_freq(os.path.join(sources, FREQ))
    # the parts of speech MyThes knows each word in: "driver" is no
    # comparative of "drive", nor "partying" a form of the noun "party"
    # (they made "driver" -> "forcer", "occasioning" -> "partying")
    pos_of = {w: {pos for pos, _ in senses}
              for w, senses in load_mythes(os.path.join(sources, MYTHES)).items()}

    def can_be(lemma, pos):
        known = pos_of.get(lemma)
        return known is None or pos in known
    to_lemma, forms = load_exc(os.path.join(sources, WORDNET_EXC))
    morph = Morph(freq, to_lemma, forms)
    lexicon = set(freq)

    def analyses(word):
        out = set()
        for lemma, pos, tag in morph.lemmas(word, lexicon):
            for p in (INFLECTIONS if tag == "" else (pos,)):
                out.add((lemma, p, tag))
        return out

    def forms_of(lemma, pos, tag):
        return (lemma,) if tag == "" else morph.inflect_word(lemma, pos, tag)

    def content(w):
        return w.isascii() and w.isalpha() and len(w) >= 3 and w not in FUNCTION_WORDS

    mined = {(r[0], r[1].lower()) for r in rows}
    best = {}
    for spun, original, weight, _, _ in rows:
        if not (content(spun) and content(original)):
            continue
        for ls, pos, tag in sorted(analyses(spun)):
            for lo, pos_o, tag_o in sorted(analyses(original)):
                if (pos_o, tag_o) != (pos, tag):
                    continue
                if spun not in forms_of(ls, pos, tag) or original not in forms_of(lo, pos, tag):
                    continue
                if not (can_be(ls, pos) and can_be(lo, pos)):
                    continue
                # a base form stands for this part of speech only if both
                # words have some inflection under it
                if tag == "" and not all(any(forms_of(lemma, pos, t) for t in INFLECTIONS[pos][1:])
                                         for lemma in (ls, lo)):
                    continue
                for other in INFLECTIONS[pos]:
                    fs, fo = forms_of(ls, pos, other), forms_of(lo, pos, other)
                    if other == tag or not fs or not fo or fs[0] == fo[0]:
                        continue
                    key = (fs[0], fo[0])
                    if key in mined:
                        continue
                    w = float(weight) - INFLECTION_DISCOUNT
                    if w > best.get(key, -99.0):
                        best[key] = w
    return [(s, o, f"{w:.3f}", "mined:inflected", "0") for (s, o), w in sorted(best.items())]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed")
    ap.add_argument("--thesaurus")
    ap.add_argument("--no-thesaurus", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    src = os.path.normpath(os.path.join(args.train, "..", "..", "data-sources"))
    seed = args.seed or os.path.join(src, SEED_PAIRS)
    thes = args.thesaurus or src

    pairs, story_of = load_pairs(args.train)
    data = []   # (pair name, story, blocks)
    vocab = set()
    for name, meta, orig, spun in pairs:
        o, s = tokenize(orig), tokenize(spun)
        bl = list(blocks_of(o, s))
        data.append((name, story_of[name], bl))
        for ob, sb, _, _ in bl:
            for (_, _, _, _, ro, rs) in chunk_options(ob, sb):
                vocab.add(ro)
                vocab.add(rs)

    lex = Lexicon()
    if os.path.exists(seed):
        lex.load_seed(seed)
    else:
        print(f"mine_pairs: no seed file {seed}, continuing without", file=sys.stderr)
    if not args.no_thesaurus:
        if os.path.isdir(thes):
            for v in sorted(vocab):
                if " " not in v:
                    vocab.update(strip_infl(v))
            lex.load_thesauri(thes, vocab)
            lex.load_freq(thes, {w for v in vocab for w in v.replace("-", " ").split(" ")})
        else:
            print(f"mine_pairs: no thesaurus dir {thes}, continuing without", file=sys.stderr)

    miner = Miner(lex)
    texts = []
    for name, meta, orig, spun in pairs:
        texts.append((story_of[name], render_text(tokenize(spun)), render_text(tokenize(orig))))
    miner.index_phrases(texts, sorted(vocab))
    # round 0 runs without support; later rounds use the previous choices
    # hard-EM rounds
    for _ in range(4):
        chosen = {}
        results = []
        for name, story, bl in data:
            for ob, sb, _, _ in bl:
                for (i1, i2, j1, j2) in miner.segment(ob, sb, story):
                    co, cs = trim(ob[i1:i2], sb[j1:j2])
                    ro, rs = render(co), render(cs)
                    if ro == rs:
                        continue
                    chosen.setdefault((ro, rs), set()).add(story)
                    results.append((name, story, co, cs, ro, rs))
        miner.support = chosen

    # filter and count
    stories_with = {}     # (spun, orig) -> set of stories
    occurrences = {}      # (spun, orig) -> {story: times seen, over its copies}
    votes = {}            # (spun, orig) -> {"cased": {form: n}, "lower": n}
    shared = {}           # (spun, orig) -> the sides share a word
    for name, story, co, cs, ro, rs in results:
        if ro is None or rs is None:
            continue
        if re.sub(r"\W", "", ro) == re.sub(r"\W", "", rs):
            continue                          # case / typography only
        if is_numeric(ro) and is_numeric(rs):
            continue                          # "two" -> "2"
        if {ro, rs} == {"a", "an"}:
            continue                          # article agreement only
        if not CLEAN.fullmatch(ro) or not CLEAN.fullmatch(rs):
            continue                          # mojibake ("â rep" -> "rep")
        if ro.count(" ") >= MAXW or rs.count(" ") >= MAXW:
            continue
        key = (rs, ro)
        stories_with.setdefault(key, set()).add(story)
        per_story = occurrences.setdefault(key, {})
        per_story[story] = per_story.get(story, 0) + 1
        shared[key] = bool(set(ro.split(" ")) & set(rs.split(" ")))
        v = votes.setdefault(key, {"cased": {}, "lower": 0})
        cv = case_vote(co, cs)
        if cv == "cased":
            form = render(co, lower=False)
            v["cased"][form] = v["cased"].get(form, 0) + 1
        elif cv == "lower":
            v["lower"] += 1
        if args.verbose:
            print(f"{name}\t{rs}\t{ro}", file=sys.stderr)

    # n: stories whose original contains the phrase
    story_text = {}
    for name, meta, orig, spun in pairs:
        toks = tokenize(orig)
        story_text.setdefault(story_of[name], []).append(render_text(toks))

    rows = []
    for key in sorted(stories_with):
        rs, ro = key
        k = len(stories_with[key])
        allstop = all(w in STOP for w in (rs + " " + ro).split(" "))
        if allstop and k == 1 and (" " not in rs + ro or shared[key]):
            continue     # one-off function-word pair ("on" -> "of"): alignment noise
        if k == 1 and all(w in STOP for w in rs.split(" ")):
            continue     # one-off swap from function words ("in" -> "Ark"): noise, and
                         # its key would match nearly every sentence
        if k == 1 and " " + rs + " " in " " + ro + " ":
            continue     # one-off insertion ("decision" -> "decision on July 26"): the
                         # alignment took in words of the original the spun text lacks
        if k == 1 and lex.common and any(w not in lex.common for w in padding(rs, ro)):
            continue     # one-off padding with a rarer word ("current term structure
                         # of" -> "current"): the alignment took in words of the spun
                         # text the original lacks; a spinner pads with one word
                         # ("calendar year") or with common ones ("make use of")
        if (k == 1 and " " not in rs + ro and (rs in STOP) != (ro in STOP)
                and not lex.related(ro, rs)):
            continue     # one-off swap of a function word and a content word that no
                         # thesaurus links ("bullish" -> "the"): the alignment pairing a
                         # word the spinner dropped with one it wrote
        # occurrences, each story weighing as one copy (the mean over its copies)
        needle = " " + ro + " "
        spun_as = sum(c / len(story_text[st]) for st, c in occurrences[key].items())
        seen = sum(sum(t.count(needle) for t in story_text[st]) / len(story_text[st])
                   for st in sorted(story_text))
        seen = max(seen, spun_as)
        w = math.log10((spun_as + A * P0) / (seen + A))
        v = votes[key]
        ncased = sum(v["cased"].values())
        original = ro
        if ncased > v["lower"]:
            original = sorted(v["cased"].items(), key=lambda x: (-x[1], x[0]))[0][0]
        rows.append((rs, original, f"{w:.3f}", "mined:train", str(k)))
    if os.path.isdir(thes):
        rows += inflected_rows(rows, thes)
    rows.sort(key=lambda r: (r[0], r[1]))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["spun", "original", "weight", "source", "count"])
        wr.writerows(rows)
    print(f"mine_pairs: {len(pairs)} pairs, {len(story_text)} stories, {len(rows)} rows -> {args.out}",
          file=sys.stderr)


def render_text(toks):
    """Lowercased token text with glued hyphen words joined, punctuation as
    '|', single spaces, padded with spaces (for phrase containment tests)."""
    out = []
    for t in toks:
        if t.glued:
            out.append("-")
        elif t.word:
            if out and out[-1] == "-":
                out.pop()
                out[-1] = out[-1] + "-" + t.low
            else:
                out.append(t.low)
        else:
            out.append("|")
    return " " + " ".join(out) + " "


if __name__ == "__main__":
    main()
