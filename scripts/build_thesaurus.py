"""Build the thesaurus layer of the reverse dictionary with learned weights.

Usage (from the project root; Python 3.11, standard library only):

    python3 scripts/build_thesaurus.py \
        --sources ../shared/data-sources --train ../shared/dev/train \
        --out data/dict/thesaurus.csv --folds 7 --seed 13

1. Candidate edges w -> s (the spinner may write s for the original w) from
   Moby (root -> listed word), MyThes (entry -> synonym / similar / generic /
   related term of a sense; antonyms dropped) and PPDB equivalence pairs
   (both directions); single words and the multi-word entries the thesauri
   list.  Both sides must be real words (every word in the frequency list).
2. Consistent inflection: an edge between lemmas also yields the edge between
   their plurals / -s / -ed / -ing / -er / -est forms under the part(s) of
   speech the edge holds for (MyThes tags), using WordNet's exception lists
   for irregular forms and regular rules otherwise; an inflected pair is kept
   only when both forms are in the frequency list.  Possessives need no rows:
   the matcher strips "'s".
3. Per-edge features (FEATURES): sources and directions, ranks, list sizes,
   frequencies of w and s, POS agreement, inflection, phrase shape, ...
4. Training pairs are aligned (difflib; unequal blocks split by a small DP
   that prefers thesaurus neighbours).  A ranking model (conditional logit:
   softmax over the candidate originals of a spun word, with log P(w) as a
   fixed offset) learns which edges the spinner uses; a calibration step
   (binomial logistic regression over every occurrence of a thesaurus word in
   the originals, changed or not) turns its score into
   P(spinner writes s | occurrence of w).  Stories weigh 1 each, split over
   their spun copies.  k-fold by story reports held-out ranking quality.
5. Output rows spun,original,weight,source with weight = log10 P(s | w)
   minus a layer discount (--discount, default 1.0, tuned end to end);
   per spun key the top K originals by P(s | w) P(w), above a floor
   (a lower one, --rare-floor, for keys rarer than --rare-count);
   function words, numbers and words under 3 letters are not keys.

Deterministic: sorted iteration everywhere, negatives subsampled by a CRC32
hash salted with --seed.
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
import time
import zlib

TOK = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u00a0": " "})

NUMBER_WORDS = set("""zero one two three four five six seven eight nine ten eleven twelve
thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
sixty seventy eighty ninety hundred thousand million billion trillion first second third
fourth fifth sixth seventh eighth ninth tenth half dozen""".split())

# function words: not used as spun keys (the thesaurus layer handles content
# words; observed function-word swaps such as "within" -> "in" belong to the
# mined layer) and flagged as a feature when they are the original.
STOP = set("""a an the of to in on at by for from with as into onto upon about over under
above below across after before behind beside besides between beyond during except inside
outside through throughout toward towards underneath until till unto up down out off within
without via per and or nor but yet so if than that this these those it its itself is are was
were be been being am has have had having do does did done doing will would shall should can
could may might must ought not no yes he she they we you i me him her them us his hers their
theirs our ours your yours my mine who whom whose which what whatever whoever when whenever
where wherever while whilst why how also just very too more most less least some any all each
every both either neither much many few several such own same other another else here there
then now thus hence therefore however although though because since unless whether again
ever never always often still already almost even only quite rather really well back away
one ones something anything nothing everything someone anyone everyone nobody somebody
anybody everybody lot lots""".split())


def tokens(text):
    return TOK.findall(text.translate(QUOTES))


def is_number(w):
    return bool(re.fullmatch(r"[\d.,:/%-]+", w)) or w in NUMBER_WORDS


# ---------------------------------------------------------------- resources
def load_freq(path):
    freq = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 2:
                freq[p[0]] = int(p[1])
    return freq


def load_bigrams(path):
    big = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 3:
                big[(p[0], p[1])] = int(p[2])
    return big


def load_exc(folder):
    """inflected -> [(lemma, pos)], lemma -> {pos: [inflected]}"""
    to_lemma, forms = {}, {}
    for pos, fn in (("noun", "noun.exc"), ("verb", "verb.exc"), ("adj", "adj.exc"), ("adv", "adv.exc")):
        with open(os.path.join(folder, fn), encoding="utf-8") as f:
            for line in f:
                p = line.split()
                if len(p) < 2:
                    continue
                infl = p[0].replace("_", " ")
                for lem in p[1:]:
                    lem = lem.replace("_", " ")
                    to_lemma.setdefault(infl, []).append((lem, pos))
                    forms.setdefault(lem, {}).setdefault(pos, []).append(infl)
    # suppletive plurals WordNet leaves out of noun.exc (it lists "people"
    # as a lemma of its own); the spinner inflects "person" -> "individuals"
    for infl, lem, pos in EXTRA_IRREGULAR:
        if (lem, pos) not in to_lemma.get(infl, []):
            to_lemma.setdefault(infl, []).append((lem, pos))
            forms.setdefault(lem, {}).setdefault(pos, []).append(infl)
    return to_lemma, forms


EXTRA_IRREGULAR = [("people", "person", "noun")]


def load_moby(path):
    """root -> [syn, ...] (lowercased, order kept, duplicates dropped)"""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            p = [x.strip().lower() for x in line.rstrip("\r\n").split(",")]
            if len(p) < 2 or not p[0]:
                continue
            seen, syns = {p[0]}, []
            for s in p[1:]:
                if s and s not in seen:
                    seen.add(s)
                    syns.append(s)
            if p[0] in out:
                out[p[0]].extend(s for s in syns if s not in out[p[0]])
            else:
                out[p[0]] = syns
    return out


MYTHES_TAG = re.compile(r"\s*\((generic term|similar term|related term|antonym)\)\s*$")


def load_mythes(path):
    """word -> [(pos, [(syn, rel), ...]), ...] in sense order.
    rel is '' for a plain synonym, else generic/similar/related/antonym."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
        f.readline()  # encoding line
        word, left = None, 0
        for line in f:
            line = line.rstrip("\n")
            if left == 0:
                p = line.split("|")
                word, left = p[0].strip().lower(), int(p[1]) if len(p) > 1 and p[1].isdigit() else 0
                out.setdefault(word, [])
                continue
            left -= 1
            p = line.split("|")
            pos = p[0].strip("()")
            syns = []
            for s in p[1:]:
                m = MYTHES_TAG.search(s)
                rel = m.group(1).split()[0] if m else ""
                s = MYTHES_TAG.sub("", s).strip().lower()
                if s and s != word:
                    syns.append((s, rel))
            out[word].append((pos, syns))
    return out


def load_ppdb(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 2 and p[0] != p[1]:
                out.add((p[0].lower(), p[1].lower()))
    return out


def load_ppdb1(path):
    """PPDB 1.0 XL lexical: {word: {paraphrase: rank}}, in PPDB's order."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) < 2:
                continue
            w = p[0].lower()
            d = out.setdefault(w, {})
            for s in p[1:]:
                s = s.lower()
                if s != w and s not in d:
                    d[s] = len(d)
    return out


# ---------------------------------------------------------------- morphology
VOWELS = set("aeiou")
# (pos, tag) pairs that a lemma can be inflected into; 'pl' for nouns and
# 's' for verbs share their surface form in most cases.
INFL_TAGS = {"noun": ("pl",), "verb": ("s", "ed", "ing"), "adj": ("er", "est")}


def _sibilant(w):
    return w.endswith(("s", "x", "z", "ch", "sh"))


def _cvc(w):
    return (len(w) >= 3 and w[-1] not in VOWELS and w[-1] not in "wxy"
            and w[-2] in VOWELS and w[-3] not in VOWELS)


def _with_suffix(w, suffix):
    """w + a vowel suffix when w ends consonant-vowel-consonant: a word of
    one syllable doubles its last consonant ("plan" -> "planned", "stat" ->
    "statted", never "stated", which is "state" + "d"); a longer one may or
    may not ("travelled" / "traveled", "targeted", "referred"), so both
    forms are offered and the frequency list decides."""
    doubled = w + w[-1] + suffix
    if len(re.findall(r"[aeiou]+", w)) == 1:
        return [doubled]
    return [doubled, w + suffix]


def regular_forms(lemma, tag):
    w = lemma
    if tag in ("pl", "s"):
        if _sibilant(w):
            return [w + "es"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "ies"]
        if tag == "s" and w.endswith("o") and len(w) > 1 and w[-2] not in VOWELS:
            return [w + "es"]
        return [w + "s"]
    if tag == "ed":
        if w.endswith("e"):
            return [w + "d"]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "ied"]
        return _with_suffix(w, "ed") if _cvc(w) else [w + "ed"]
    if tag == "ing":
        if w.endswith("ie"):
            return [w[:-2] + "ying"]
        if w.endswith("e") and not w.endswith(("ee", "ye", "oe")) and len(w) > 2:
            return [w[:-1] + "ing"]
        return _with_suffix(w, "ing") if _cvc(w) else [w + "ing"]
    if tag in ("er", "est"):
        suf = tag
        if w.endswith("e"):
            return [w + suf[1:]]
        if w.endswith("y") and len(w) > 1 and w[-2] not in VOWELS:
            return [w[:-1] + "i" + suf]
        return _with_suffix(w, suf) if _cvc(w) else [w + suf]
    return []


class Morph:
    def __init__(self, freq, exc_to_lemma, exc_forms):
        self.freq = freq
        self.exc_to_lemma = exc_to_lemma
        self.exc_forms = exc_forms
        self._cache = {}

    def real(self, phrase):
        return all(x in self.freq for x in phrase.replace("-", " ").split())

    def inflect_word(self, lemma, pos, tag):
        """inflected forms of a single word (tuple, possibly empty); each a
        real word (in the frequency list) and different from the lemma"""
        key = (lemma, pos, tag)
        if key in self._cache:
            return self._cache[key]
        res = ()
        irr = self.exc_forms.get(lemma, {}).get(pos)
        if irr:
            cand = []
            for f in irr:
                if tag == "ing":
                    ok = f.endswith("ing")
                elif tag in ("s", "pl"):
                    ok = (f.endswith("s") and not f.endswith("ss")) if pos == "verb" else True
                elif tag == "ed":
                    ok = not f.endswith("ing") and not (f.endswith("s") and not f.endswith("ss"))
                elif tag == "er":
                    ok = f.endswith("er")
                else:
                    ok = f.endswith("est")
                if ok and f in self.freq and f != lemma:
                    cand.append(f)
            res = tuple(sorted(set(cand)))
        if not res and not (irr and tag in ("pl", "ed", "er", "est")):
            cand = [f for f in regular_forms(lemma, tag) if f in self.freq and f != lemma]
            if cand:
                res = (max(cand, key=lambda f: (self.freq[f], f)),)
        self._cache[key] = res
        return res

    def inflect(self, phrase, pos, tag):
        """inflect a (possibly multi-word) lemma: verbs on the first word,
        nouns/adjectives on the last; tuple of forms"""
        if " " not in phrase:
            return self.inflect_word(phrase, pos, tag)
        ws = phrase.split(" ")
        i = 0 if pos == "verb" else len(ws) - 1
        out = []
        for f in self.inflect_word(ws[i], pos, tag):
            v = list(ws)
            v[i] = f
            out.append(" ".join(v))
        return tuple(out)

    def lemmas(self, word, lexicon):
        """possible (lemma, pos, tag) analyses of a word; tag '' = base form"""
        out = [(word, None, "")]
        for lem, pos in self.exc_to_lemma.get(word, ()):
            tag = {"noun": "pl", "adj": "er", "adv": "er"}.get(pos)
            if pos == "verb":
                tag = "ing" if word.endswith("ing") else ("s" if word.endswith("s") else "ed")
            if pos == "adj" and word.endswith("st"):
                tag = "est"
            out.append((lem, pos, tag))
        rules = [("noun", "pl", "ies", "y"), ("noun", "pl", "es", ""), ("noun", "pl", "s", ""),
                 ("verb", "s", "ies", "y"), ("verb", "s", "es", ""), ("verb", "s", "s", ""),
                 ("verb", "ed", "ied", "y"), ("verb", "ed", "ed", "e"), ("verb", "ed", "ed", ""),
                 ("verb", "ing", "ing", "e"), ("verb", "ing", "ing", ""),
                 ("adj", "er", "ier", "y"), ("adj", "er", "er", "e"), ("adj", "er", "er", ""),
                 ("adj", "est", "iest", "y"), ("adj", "est", "est", "e"), ("adj", "est", "est", "")]
        for pos, tag, suf, rep in rules:
            if word.endswith(suf) and len(word) > len(suf) + 1:
                stem = word[: -len(suf)] + rep
                cands = [stem]
                if tag in ("ed", "ing", "er", "est") and rep == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                    cands.append(stem[:-1])
                for lem in cands:
                    if lem in lexicon and word in self.inflect_word(lem, pos, tag):
                        out.append((lem, pos, tag))
        seen, res = set(), []
        for x in out:
            if x not in seen:
                seen.add(x)
                res.append(x)
        return res


# ---------------------------------------------------------------- pairs
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
                key = json.load(open(mp, encoding="utf-8")).get("orig_url")
            except (ValueError, OSError):
                key = None
        if not key:
            key = "text:" + open(os.path.join(p, "orig.txt"), encoding="utf-8").read().strip()[:200]
        groups.setdefault(key, []).append(d)
    out = [(v[0], v) for v in groups.values()]
    return sorted(out)


def _norm_tok(t):
    t = t.lower()
    return t


def _strip_poss(a, b):
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
    S = [_norm_tok(t) for t in tokens(spun_text)]
    O = [_norm_tok(t) for t in tokens(orig_text)]
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
                s, w = _strip_poss(sp[0], op[0])
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


# ---------------------------------------------------------------- lemma graph
POS_NAMES = ("noun", "verb", "adj", "adv")


class Graph:
    """Lemma-level thesaurus edges w -> s with per-source evidence."""

    def __init__(self, src_dir, freq, log=print):
        self.freq = freq
        log("loading moby ...")
        self.moby = load_moby(os.path.join(src_dir, "moby_thesaurus.txt.gz"))
        log("loading mythes ...")
        self.mythes = load_mythes(os.path.join(src_dir, "mythes_th_en_US_v2.dat.gz"))
        log("loading ppdb ...")
        ppdb = load_ppdb(os.path.join(src_dir, "ppdb2_synonyms_counterfitting.txt"))
        self.ppdb = {}
        for a, b in sorted(ppdb):
            self.ppdb.setdefault(a, set()).add(b)
            self.ppdb.setdefault(b, set()).add(a)
        log("loading ppdb1 xl ...")
        self.ppdb1 = load_ppdb1(os.path.join(src_dir, "ppdb1_xl_lexical.txt.gz"))
        # moby rank lookup
        self.moby_rank = {w: {s: r for r, s in enumerate(L)} for w, L in self.moby.items()}
        # mythes: w -> {s: (first sense index, pos, position, rel)} best per rel
        self.my = {}
        self.my_pos = {}      # word -> primary pos, and set of pos
        self.my_nsyn = {}
        for w, senses in self.mythes.items():
            d = {}
            poss = []
            n = 0
            for si, (pos, syns) in enumerate(senses):
                if pos not in poss:
                    poss.append(pos)
                for pi, (s, rel) in enumerate(syns):
                    if rel == "antonym":
                        continue
                    if rel == "":
                        n += 1
                    k = (s, rel)
                    if k not in d:
                        d[k] = (si, pos, pi)
            self.my[w] = d
            self.my_pos[w] = poss
            self.my_nsyn[w] = n
        self.lexicon = (set(self.moby) | set(self.mythes) | set(self.ppdb) | set(self.ppdb1)
                        | set(freq))

    def neighbours(self, w):
        """sorted list of lemma s with an edge w -> s"""
        out = set(self.moby.get(w, ()))
        for (s, rel) in self.my.get(w, {}):
            out.add(s)
        out |= self.ppdb.get(w, set())
        out |= set(self.ppdb1.get(w, ()))
        out.discard(w)
        return sorted(out)

    def related(self, s, w):
        return (s in self.moby_rank.get(w, {}) or w in self.moby_rank.get(s, {})
                or any((s, r) in self.my.get(w, {}) for r in ("", "similar", "generic", "related"))
                or any((w, r) in self.my.get(s, {}) for r in ("", "similar", "generic", "related"))
                or s in self.ppdb.get(w, ())
                or s in self.ppdb1.get(w, ()) or w in self.ppdb1.get(s, ()))

    def pos_of_edge(self, w, s):
        """parts of speech under which w -> s holds"""
        ps = []
        d = self.my.get(w, {})
        for rel in ("", "similar", "related", "generic"):
            if (s, rel) in d:
                p = d[(s, rel)][1]
                if p not in ps:
                    ps.append(p)
        if ps:
            return ps
        a, b = self.my_pos.get(w), self.my_pos.get(s)
        if a and b:
            inter = [p for p in a if p in b]
            if inter:
                return inter
            return []
        if a or b:
            return list(a or b)
        return ["noun", "verb", "adj"]


# ---------------------------------------------------------------- edges
KEY_RE = re.compile(r"[a-z][a-z'-]*(?: [a-z][a-z'-]*)*")


def content_key(s):
    """may s be a spun key of the thesaurus layer? (content words only)"""
    if not KEY_RE.fullmatch(s):
        return False
    ws = s.split(" ")
    if len(ws) > 4:
        return False
    if len(ws) == 1 and (s in STOP or len(s) < 3):
        return False
    if all(x in STOP for x in ws):
        return False
    return True


def valid_original(w, morph):
    return bool(KEY_RE.fullmatch(w)) and len(w.split(" ")) <= 4 and morph.real(w)


class Edges:
    """Surface-form edges w_form -> s_form derived from lemma edges wl -> sl
    plus consistent inflection (both sides inflected alike)."""

    def __init__(self, graph, morph):
        self.G, self.M = graph, morph
        self._adj, self._inst = {}, {}
        self.words = sorted(w for w in (set(graph.moby) | set(graph.my) | set(graph.ppdb))
                            if valid_original(w, morph))
        self.rev = {}
        for wl in self.words:
            for sl in self.adj(wl):
                self.rev.setdefault(sl, []).append(wl)
        self.lex_w = set(self.words)
        self.lex_s = set(self.rev)
        self.bigrams = None
        self._srank, self._wrank, self._strong = {}, {}, {}

    def _lf(self, w):
        return logfreq(w, self.M.freq, self.bigrams)

    def s_rank(self, wl, sl):
        """rank of sl among wl's neighbours by frequency (0 = most frequent)"""
        d = self._srank.get(wl)
        if d is None:
            order = sorted(self.adj(wl), key=lambda s: (-self._lf(s), s))
            d = self._srank[wl] = {s: i for i, s in enumerate(order)}
        return d.get(sl, len(d))

    def w_rank(self, wl, sl):
        """rank of wl among the lemmas that list sl, by frequency"""
        d = self._wrank.get(sl)
        if d is None:
            order = sorted(self.rev.get(sl, ()), key=lambda w: (-self._lf(w), w))
            d = self._wrank[sl] = {w: i for i, w in enumerate(order)}
        return d.get(wl, len(d))

    def strong_size(self, wl):
        """number of wl's neighbours listed by at least two sources"""
        n = self._strong.get(wl)
        if n is None:
            G, n = self.G, 0
            for s in self.adj(wl):
                k = (int(s in G.moby_rank.get(wl, {}) or wl in G.moby_rank.get(s, {}))
                     + int((s, "") in G.my.get(wl, {}) or (wl, "") in G.my.get(s, {}))
                     + int(s in G.ppdb.get(wl, ())))
                n += k >= 2
            self._strong[wl] = n
        return n

    def adj(self, wl):
        r = self._adj.get(wl)
        if r is None:
            r = [s for s in self.G.neighbours(wl) if KEY_RE.fullmatch(s) and self.M.real(s)]
            self._adj[wl] = r
        return r

    def instances(self, wl, sl):
        """[(w_form, s_form, pos, tag)] base first, deduplicated"""
        k = (wl, sl)
        r = self._inst.get(k)
        if r is not None:
            return r
        out, seen = [(wl, sl, None, "")], {(wl, sl)}
        for pos in self.G.pos_of_edge(wl, sl):
            for tag in INFL_TAGS.get(pos, ()):
                wf = self.M.inflect(wl, pos, tag)
                if not wf:
                    continue
                sf = self.M.inflect(sl, pos, tag)
                for a in wf:
                    for b in sf:
                        if (a, b) not in seen and a != b:
                            seen.add((a, b))
                            out.append((a, b, pos, tag))
        if len(self._inst) < 3_000_000:
            self._inst[k] = out
        return out

    def from_form(self, w):
        """{s_form: (wl, sl, pos, tag)} for a surface original w"""
        out = {}
        for wl, _, _ in self.M.lemmas(w, self.lex_w):
            if wl not in self.lex_w:
                continue
            for sl in self.adj(wl):
                for a, b, pos, tag in self.instances(wl, sl):
                    if a == w and b not in out and content_key(b):
                        out[b] = (wl, sl, pos, tag)
        return out

    def to_form(self, s):
        """{w_form: (wl, sl, pos, tag)} for a surface spun s"""
        out = {}
        if not content_key(s):
            return out
        for sl, _, _ in self.M.lemmas(s, self.lex_s):
            for wl in self.rev.get(sl, ()):
                for a, b, pos, tag in self.instances(wl, sl):
                    if b == s and a not in out:
                        out[a] = (wl, sl, pos, tag)
        return out


# ---------------------------------------------------------------- features
FEATURES = [
    "bias", "moby", "moby_logrank", "moby_relrank", "moby_rev", "moby_rev_logrank",
    "moby_listsize", "my_syn", "my_syn_logsense", "my_syn_first_sense", "my_syn_logpos",
    "my_similar", "my_generic", "my_related", "my_rev", "my_nsyn", "ppdb", "n_sources",
    "lf_w", "lf_w2", "lf_s", "lf_s2", "lf_diff", "s_rarer", "pos_agree", "pos_unknown",
    "inflected", "s_multiword", "w_multiword", "s_contains_w", "w_function_word",
    "s_chars", "shared_prefix4", "w_contains_s", "three_sources", "s_freqrank_in_w",
    "w_freqrank_in_s", "strong_listsize", "ppdb1", "ppdb1_logrank", "ppdb1_rev",
    "ppdb1_and_other",
]


def logfreq(phrase, freq, bigrams=None):
    """log10 count of a word; for a phrase, a bigram-chain estimate"""
    ws = phrase.replace("-", " ").split()
    if len(ws) == 1 or bigrams is None:
        return min(math.log10(freq.get(x, 0) + 1) for x in ws)
    lc = math.log10(bigrams.get((ws[0], ws[1]), 0) + 1)
    for i in range(1, len(ws) - 1):
        lc += math.log10(bigrams.get((ws[i], ws[i + 1]), 0) + 1) - math.log10(freq.get(ws[i], 0) + 1)
    return max(lc, 0.0)


def features(E, wl, sl, pos, tag, wf, sf):
    G, freq = E.G, E.M.freq
    x = [0.0] * len(FEATURES)
    x[0] = 1.0
    r = G.moby_rank.get(wl, {}).get(sl)
    if r is not None:
        L = len(G.moby[wl])
        x[1], x[2], x[3] = 1.0, math.log1p(r) / 3, r / L
    rr = G.moby_rank.get(sl, {}).get(wl)
    if rr is not None:
        x[4], x[5] = 1.0, math.log1p(rr) / 3
    x[6] = math.log1p(len(G.moby.get(wl, ()))) / 5
    d = G.my.get(wl, {})
    v = d.get((sl, ""))
    if v is not None:
        x[7], x[8], x[9], x[10] = 1.0, math.log1p(v[0]), float(v[0] == 0), math.log1p(v[2])
    x[11] = float((sl, "similar") in d)
    x[12] = float((sl, "generic") in d)
    x[13] = float((sl, "related") in d)
    x[14] = float((wl, "") in G.my.get(sl, {}))
    x[15] = math.log1p(G.my_nsyn.get(wl, 0)) / 3
    x[16] = float(sl in G.ppdb.get(wl, ()))
    x[17] = (float(r is not None or rr is not None) + float(v is not None or x[14] > 0 or x[11] > 0)
             + x[16]) / 3
    lw, ls = (logfreq(wf, freq, E.bigrams) - 6) / 2, (logfreq(sf, freq, E.bigrams) - 6) / 2
    x[18], x[19], x[20], x[21], x[22] = lw, lw * lw, ls, ls * ls, ls - lw
    x[23] = float(ls < lw)
    pw, ps = G.my_pos.get(wl), G.my_pos.get(sl)
    if pw and ps:
        x[24] = float(pw[0] == ps[0])
    else:
        x[25] = 1.0
    x[26] = float(tag != "")
    ns, nw = sf.count(" ") + 1, wf.count(" ") + 1
    x[27], x[28] = float(ns > 1), float(nw > 1)
    x[29] = float(ns > 1 and wf in sf.split(" "))
    x[30] = float(wf in STOP)
    x[31] = len(sf) / 10
    x[32] = float(len(wf) >= 4 and len(sf) >= 4 and wf[:4] == sf[:4])
    x[33] = float(nw > 1 and sf in wf.split(" "))
    x[34] = float(x[17] > 0.99)
    x[35] = math.log1p(E.s_rank(wl, sl)) / 3
    x[36] = math.log1p(E.w_rank(wl, sl)) / 3
    x[37] = math.log1p(E.strong_size(wl)) / 3
    r1 = G.ppdb1.get(wl, {}).get(sl)
    if r1 is not None:
        x[38], x[39] = 1.0, math.log1p(r1) / 3
        x[41] = float(x[17] > 0)
    x[40] = float(wl in G.ppdb1.get(sl, ()))
    return x


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def dot(b, x):
    return sum(bi * xi for bi, xi in zip(b, x))


def fit_logistic(rows, l2=1.0, iters=30, log=None):
    """Binomial logistic regression by Newton's method (IRLS) with an L2
    penalty (not on the bias).  rows: [(x, k, n)] with k successes of n."""
    D = len(rows[0][0])
    beta = [0.0] * D
    sparse = [([i for i, v in enumerate(x) if v != 0.0], x, k, n) for x, k, n in rows]
    for it in range(iters):
        g = [-l2 * b for b in beta]
        g[0] = 0.0
        H = [[0.0] * D for _ in range(D)]
        for i in range(1, D):
            H[i][i] = l2
        H[0][0] = 1e-6
        ll = 0.0
        for nz, x, k, n in sparse:
            z = sum(beta[i] * x[i] for i in nz)
            p = sigmoid(z)
            p = min(max(p, 1e-12), 1 - 1e-12)
            ll += k * math.log(p) + (n - k) * math.log(1 - p)
            r = k - n * p
            w = n * p * (1 - p)
            for a in nz:
                xa = x[a]
                g[a] += r * xa
                wa = w * xa
                Ha = H[a]
                for b in nz:
                    if b <= a:
                        Ha[b] += wa * x[b]
        for a in range(D):
            for b in range(a):
                H[b][a] = H[a][b]
        step = solve(H, g)
        beta = [b + s for b, s in zip(beta, step)]
        mx = max(abs(s) for s in step)
        if log:
            log(f"  newton {it}: loglik {ll:.2f} max step {mx:.4f}")
        if mx < 1e-5:
            break
    return beta


def solve(A, b):
    n = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        if abs(M[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c and M[r][c] != 0.0:
                f = M[r][c] / M[c][c]
                Mr, Mc = M[r], M[c]
                for j in range(c, n + 1):
                    Mr[j] -= f * Mc[j]
    return [M[i][n] / M[i][i] if abs(M[i][i]) > 1e-12 else 0.0 for i in range(n)]


# ---------------------------------------------------------------- training data
def observations(pairs_dir, E, max_phrase=3):
    """Per story: trials {w: [n, {s: k}]} (n weighted occurrences of the
    original word or thesaurus phrase w, k of them spun as s; each story
    weighs 1, split over its spun copies) and the damaged 1:1 word swaps
    [(spun, original)] of each pair, for the ranking evaluation."""
    obs, damaged = {}, {}
    for sid, ds in story_groups(pairs_dir):
        wt = 1.0 / len(ds)
        o, dmg = {}, []
        for d in ds:
            spun = open(os.path.join(pairs_dir, d, "spun.txt"), encoding="utf-8").read()
            orig = open(os.path.join(pairs_dir, d, "orig.txt"), encoding="utf-8").read()
            subs, O, changed = align_pair(spun, orig, E.G.related)
            at = {}
            for s, w, j in subs:
                at[(j, w.count(" ") + 1)] = s
                if " " not in s and " " not in w:
                    dmg.append((s, w))
            for j, t in enumerate(O):
                if not re.match(r"\w", t):
                    continue
                for n in range(1, max_phrase + 1):
                    span = O[j:j + n]
                    if len(span) < n or not all(re.match(r"\w", x) for x in span):
                        break
                    w = " ".join(span)
                    if n == 1 and w.endswith("'s") and len(w) > 2:
                        w = w[:-2]
                    if n > 1 and w not in E.lex_w:
                        continue
                    s = at.get((j, n))
                    if s is None and any(j + i in changed for i in range(n)):
                        continue   # changed, but not as one aligned swap of w
                    ent = o.setdefault(w, [0.0, {}])
                    ent[0] += wt
                    if s is not None:
                        ent[1][s] = ent[1].get(s, 0.0) + wt
        obs[sid], damaged[sid] = o, dmg
    return obs, damaged


class FeatureCache:
    def __init__(self, E):
        self.E = E
        self.fwd, self.inv, self.feat = {}, {}, {}

    def from_form(self, w):
        r = self.fwd.get(w)
        if r is None:
            r = self.fwd[w] = self.E.from_form(w)
        return r

    def to_form(self, s):
        r = self.inv.get(s)
        if r is None:
            r = self.inv[s] = self.E.to_form(s)
        return r

    def x(self, w, s, info):
        k = (w, s)
        r = self.feat.get(k)
        if r is None:
            wl, sl, pos, tag = info
            r = self.feat[k] = features(self.E, wl, sl, pos, tag, w, s)
        return r


def build_rows(obs, sids, FC, seed, neg_rate):
    agg = {}
    for sid in sids:
        for w, (n, ks) in obs[sid].items():
            a = agg.setdefault(w, [0.0, {}])
            a[0] += n
            for s, k in ks.items():
                a[1][s] = a[1].get(s, 0.0) + k
    rows, npos = [], 0
    for w in sorted(agg):
        n, ks = agg[w]
        for s, info in sorted(FC.from_form(w).items()):
            k = ks.get(s, 0.0)
            m = 1.0
            if k == 0.0 and neg_rate > 1:
                if zlib.crc32(f"{seed}|{w}|{s}".encode()) % neg_rate:
                    continue
                m = float(neg_rate)
            else:
                npos += 1
            rows.append((FC.x(w, s, info), k * m, n * m))
    return rows, npos


def baseline_score(x):
    # "number of sources, then frequency" (DESIGN.md section 3)
    return x[FEATURES.index("n_sources")] * 100 + x[FEATURES.index("lf_w")]


def prior(x):
    """log10 unigram count of the original (phrase estimate for phrases)"""
    return x[FEATURES.index("lf_w")] * 2 + 6


class BinomialModel:
    def __init__(self, beta):
        self.beta = beta

    def logit(self, x):
        return dot(self.beta, x)

    def log10p(self, x):
        return math.log10(max(sigmoid(self.logit(x)), 1e-12))


def rank_eval(damaged, sids, FC, model):
    """top-k shares for damaged 1:1 swaps of the given stories"""
    c = {"damaged": 0, "no_key": 0, "no_entry": 0, "covered": 0}
    for name in ("model", "model+prior", "baseline"):
        for k in (1, 3, 5, 10):
            c[f"{name}@{k}"] = 0
    ncand = []
    ilw = FEATURES.index("lf_w")
    for sid in sids:
        for s, w in damaged[sid]:
            c["damaged"] += 1
            if not content_key(s):
                c["no_key"] += 1
                continue
            cands = FC.to_form(s)
            if w not in cands:
                c["no_entry"] += 1
                continue
            c["covered"] += 1
            ncand.append(len(cands))
            scored = []
            for wc, info in cands.items():
                x = FC.x(wc, s, info)
                lp = model.log10p(x)
                scored.append((wc, lp, lp + prior(x), baseline_score(x)))
            for name, col in (("model", 1), ("model+prior", 2), ("baseline", 3)):
                order = sorted(scored, key=lambda t: (-t[col], t[0]))
                r = [t[0] for t in order].index(w)
                for k in (1, 3, 5, 10):
                    if r < k:
                        c[f"{name}@{k}"] += 1
    ncand.sort()
    c["median_candidates"] = ncand[len(ncand) // 2] if ncand else 0
    return c


def fit_condlogit(groups, D, l2=1.0, iters=200, log=None):
    """Conditional logit: for each spun word s, a softmax over its candidate
    originals w with score beta.x(w, s) + offset(w) (the offset is the log
    prior of w).  groups: [(X, offsets, {true index: weight})].  Maximises
    the weighted log-likelihood of the true originals minus l2/2 |beta|^2
    with L-BFGS."""
    sparse = [([[(i, v) for i, v in enumerate(x) if v != 0.0] for x in X], off, tw)
              for X, off, tw in groups]

    def fg(beta):
        f = 0.5 * l2 * sum(b * b for b in beta)
        g = [l2 * b for b in beta]
        for X, off, tw in sparse:
            z = [o + sum(beta[i] * v for i, v in x) for x, o in zip(X, off)]
            m = max(z)
            e = [math.exp(t - m) for t in z]
            Z = sum(e)
            lz = m + math.log(Z)
            W = sum(tw.values())
            for t, wt in tw.items():
                f -= wt * (z[t] - lz)
                for i, v in X[t]:
                    g[i] -= wt * v
            for x, ei in zip(X, e):
                pw = W * ei / Z
                if pw > 1e-12:
                    for i, v in x:
                        g[i] += pw * v
        return f, g

    return lbfgs(fg, [0.0] * D, iters, log)


def lbfgs(fg, x0, iters=200, log=None, m=10):
    x = list(x0)
    f, g = fg(x)
    S, Y = [], []
    for it in range(iters):
        q = list(g)
        al = []
        for s, y in reversed(list(zip(S, Y))):
            rho = 1.0 / sum(a * b for a, b in zip(y, s))
            a = rho * sum(a * b for a, b in zip(s, q))
            al.append((a, rho, s, y))
            q = [qi - a * yi for qi, yi in zip(q, y)]
        if S:
            gam = sum(a * b for a, b in zip(S[-1], Y[-1])) / sum(b * b for b in Y[-1])
        else:
            gam = 1.0 / max(1.0, math.sqrt(sum(v * v for v in g)))
        r = [gam * v for v in q]
        for a, rho, s, y in reversed(al):
            b = rho * sum(u * v for u, v in zip(y, r))
            r = [ri + si * (a - b) for ri, si in zip(r, s)]
        d = [-v for v in r]
        gd = sum(a * b for a, b in zip(g, d))
        if gd >= 0:
            d = [-v for v in g]
            gd = -sum(v * v for v in g)
            S, Y = [], []
        t = 1.0
        while True:
            xn = [a + t * b for a, b in zip(x, d)]
            fn, gn = fg(xn)
            if fn <= f + 1e-4 * t * gd or t < 1e-8:
                break
            t *= 0.5
        s = [a - b for a, b in zip(xn, x)]
        y = [a - b for a, b in zip(gn, g)]
        if sum(a * b for a, b in zip(s, y)) > 1e-10:
            S.append(s)
            Y.append(y)
            if len(S) > m:
                S.pop(0)
                Y.pop(0)
        conv = abs(f - fn) < 1e-7 * max(1.0, abs(f))
        x, f, g = xn, fn, gn
        if log and it % 10 == 0:
            log(f"  lbfgs {it}: f {f:.4f}")
        if conv:
            break
    return x


def rank_groups(damaged, sids, FC, pair_weight):
    """training groups for fit_condlogit from the damaged swaps of stories"""
    acc = {}
    for sid in sids:
        for s, w in damaged[sid]:
            if not content_key(s):
                continue
            cands = FC.to_form(s)
            if w not in cands:
                continue
            d = acc.setdefault(s, {})
            d[w] = d.get(w, 0.0) + pair_weight[sid]
    groups = []
    for s in sorted(acc):
        cands = sorted(FC.to_form(s).items())
        X = [FC.x(w, s, info) for w, info in cands]
        off = [prior(x) * math.log(10) for x in X]
        idx = {w: i for i, (w, _) in enumerate(cands)}
        groups.append((X, off, {idx[w]: wt for w, wt in acc[s].items()}))
    return groups


# features that depend on the spun word only: they cancel in the ranking
# model and set the level of P(s | w) in the calibration step
S_ONLY = ("lf_s", "lf_s2", "s_chars", "s_multiword")


def calib_x(beta_r, x):
    return [1.0, dot(beta_r, x)] + [x[FEATURES.index(f)] for f in S_ONLY]


class Model:
    """log-odds(spinner writes s for an occurrence of w) =
    a + lam * beta_r.x(w, s) + gamma.z(s)"""

    def __init__(self, beta_r, beta_c):
        self.beta_r, self.beta_c = beta_r, beta_c

    def logit(self, x):
        return dot(self.beta_c, calib_x(self.beta_r, x))

    def log10p(self, x):
        return math.log10(max(sigmoid(self.logit(x)), 1e-12))


def fit_model(obs, damaged, sids, FC, seed, neg_rate, l2, pair_weight, log=None):
    groups = rank_groups(damaged, sids, FC, pair_weight)
    beta_r = fit_condlogit(groups, len(FEATURES), l2, log=log)
    rows, npos = build_rows(obs, sids, FC, seed, neg_rate)
    crow = [(calib_x(beta_r, x), k, n) for x, k, n in rows]
    beta_c = fit_logistic(crow, 0.01)
    return Model(beta_r, beta_c), len(groups), len(rows), npos


# ---------------------------------------------------------------- output
def edge_source(G, wl, sl):
    src = []
    if sl in G.moby_rank.get(wl, {}) or wl in G.moby_rank.get(sl, {}):
        src.append("moby")
    if any((sl, r) in G.my.get(wl, {}) for r in ("", "similar", "generic", "related")) \
            or (wl, "") in G.my.get(sl, {}):
        src.append("mythes")
    if sl in G.ppdb.get(wl, ()):
        src.append("ppdb")
    if sl in G.ppdb1.get(wl, ()) or wl in G.ppdb1.get(sl, ()):
        src.append("ppdb1")
    return "thesaurus:" + "+".join(src)


def emit(E, model, path, top_k, floor, log, discount=0.0, rare_floor=None, rare_count=0):
    """Writes the layer: per spun key its top_k originals by P(s|w) P(w)
    among the edges with P(s|w) >= floor, or >= rare_floor for a key rarer
    than rare_count in the frequency list (see --rare-floor)."""
    best = {}
    lf = math.log10(floor)
    lrf = math.log10(rare_floor) if rare_floor else lf
    key_floors = {}

    def key_floor(s):
        if s not in key_floors:
            count = min(E.M.freq.get(x, 0) for x in s.replace("-", " ").split())
            key_floors[s] = lrf if count < rare_count else lf
        return key_floors[s]

    n_edges = 0
    for i, wl in enumerate(E.words):
        if i % 20000 == 0:
            log(f"  scoring originals {i}/{len(E.words)} ({n_edges} edges)")
        for sl in E.adj(wl):
            src = None
            for a, b, pos, tag in E.instances(wl, sl):
                if not content_key(b) or a in STOP or not valid_original(a, E.M):
                    continue
                n_edges += 1
                x = features(E, wl, sl, pos, tag, a, b)
                lp = model.log10p(x)
                if lp < lf and (lp < lrf or lp < key_floor(b)):
                    continue
                post = lp + prior(x)
                d = best.setdefault(b, {})
                if a not in d or lp > d[a][0]:
                    if src is None:
                        src = edge_source(E.G, wl, sl)
                    d[a] = (lp, post, src)
    rows = []
    for s in sorted(best):
        # keep the originals most likely given s alone: P(s | w) P(w)
        cands = sorted(best[s].items(), key=lambda t: (-t[1][1], t[0]))[:top_k]
        for w, (lp, post, src) in cands:
            rows.append((s, w, round(lp - discount, 3), src))
    rows.sort()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["spun", "original", "weight", "source"])
        for s, w, wt, src in rows:
            wr.writerow([s, w, f"{wt:.3f}", src])
    log(f"wrote {len(rows)} rows for {len(best)} spun keys ({n_edges} edges scored) to {path}")
    return len(rows)


# ---------------------------------------------------------------- main
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", default=os.path.join(here, "..", "..", "shared", "data-sources"))
    ap.add_argument("--train", default=os.path.join(here, "..", "..", "shared", "dev", "train"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "thesaurus", "thesaurus.csv"))
    ap.add_argument("--top-k", type=int, default=3)
    ap.add_argument("--floor", type=float, default=1e-3, help="drop edges with P(s|w) below this")
    ap.add_argument("--rare-floor", type=float, default=None,
                    help="the floor for spun keys rarer than --rare-count (default: --floor); "
                         "a rare key is cheap to check, as it seldom occurs")
    ap.add_argument("--rare-count", type=float, default=0,
                    help="a key whose rarest word has a smaller count in the frequency list is rare")
    ap.add_argument("--folds", type=int, default=7, help="k-fold by story for the held-out report (0: skip)")
    ap.add_argument("--neg-rate", type=int, default=8, help="keep 1 in N negative edges (weighted N)")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--discount", type=float, default=1.0,
                    help="log10 layer discount subtracted from every weight (tuned end to end, "
                         "see data/dict/THESAURUS.md); 0 writes the calibrated log10 P(s|w)")
    ap.add_argument("--no-emit", action="store_true")
    ap.add_argument("--model", choices=("condlogit", "binomial"), default="condlogit")
    a = ap.parse_args()
    t0 = time.time()

    def log(m):
        print(f"[{time.time() - t0:6.1f}s] {m}", file=sys.stderr, flush=True)

    freq = load_freq(os.path.join(a.sources, "frequency_dictionary_en_82_765.txt"))
    to_l, forms = load_exc(os.path.join(a.sources, "wordnet3.0_exc"))
    M = Morph(freq, to_l, forms)
    G = Graph(a.sources, freq, log)
    E = Edges(G, M)
    E.bigrams = load_bigrams(os.path.join(a.sources, "frequency_bigramdictionary_en_243_342.txt"))
    log(f"{len(E.words)} originals, {len(E.rev)} spun lemmas")
    FC = FeatureCache(E)
    obs, damaged = observations(a.train, E)
    sids = sorted(obs)
    log(f"{len(sids)} stories, {sum(len(v) for v in damaged.values())} damaged 1:1 swaps")

    pair_weight = {sid: 1.0 / len(ds) for sid, ds in story_groups(a.train)}

    def fit(train):
        if a.model == "binomial":
            rows, npos = build_rows(obs, train, FC, a.seed, a.neg_rate)
            return BinomialModel(fit_logistic(rows, a.l2)), f"{len(rows)} rows ({npos} with k>0)"
        m, ng, nr, npos = fit_model(obs, damaged, train, FC, a.seed, a.neg_rate, a.l2, pair_weight)
        return m, f"{ng} spun words for ranking, {nr} calibration rows ({npos} with k>0)"

    if a.folds:
        folds = [sids[i::a.folds] for i in range(a.folds)]
        tot = {}
        for fi, test in enumerate(folds):
            train = [s for s in sids if s not in test]
            model, info = fit(train)
            log(f"fold {fi}: {info}, held out {test}")
            c = rank_eval(damaged, test, FC, model)
            for k, v in c.items():
                if k != "median_candidates":
                    tot[k] = tot.get(k, 0) + v
            tot.setdefault("median_candidates", []).append(c["median_candidates"])
        n, cov = tot["damaged"], max(tot["covered"], 1)
        print(f"held-out ranking ({a.folds}-fold by story, model {a.model}, seed {a.seed}): "
              f"{n} damaged 1:1 word swaps")
        print(f"  spun word not a thesaurus key (function word/number/short): {tot['no_key']} ({tot['no_key'] / n:.1%})")
        print(f"  key present but true original not a candidate: {tot['no_entry']} ({tot['no_entry'] / n:.1%})")
        print(f"  covered: {tot['covered']} ({tot['covered'] / n:.1%}); median candidates per covered key "
              f"{sorted(tot['median_candidates'])[len(folds) // 2]}")
        for name in ("model", "model+prior", "baseline"):
            print(f"  {name:12s} " + "  ".join(
                f"top{k} {tot[f'{name}@{k}'] / n:.1%} ({tot[f'{name}@{k}'] / cov:.1%} of covered)"
                for k in (1, 3, 5, 10)))
        sys.stdout.flush()

    model, info = fit(sids)
    log(f"final fit: {info}")
    if a.model == "binomial":
        print("coefficients:")
        for f, b in zip(FEATURES, model.beta):
            print(f"  {f:20s} {b:+.3f}")
    else:
        print("ranking coefficients (conditional logit, nats):")
        for f, b in zip(FEATURES, model.beta_r):
            if b:
                print(f"  {f:20s} {b:+.3f}")
        print("calibration (log-odds = a + lam*rank_score + gamma.z(s)):")
        for f, b in zip(["a", "lam"] + list(S_ONLY), model.beta_c):
            print(f"  {f:20s} {b:+.3f}")
    if not a.no_emit:
        FC = None
        E._inst = {}
        emit(E, model, a.out, a.top_k, a.floor, log, a.discount, a.rare_floor, a.rare_count)


if __name__ == "__main__":
    main()
