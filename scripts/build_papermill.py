#!/usr/bin/env python3
"""Build data/dict/papermill.csv: candidate terms for tortured phrases that
the Problematic Paper Screener's list has never seen.

`python3 scripts/rebuild_data.py papermill` runs it as committed and
records its inputs in data/dict/MANIFEST; by hand:

    python3 scripts/build_papermill.py \\
        --pps ../shared/data-sources/pps_tortured_phrases.tsv \\
        --bigrams ../shared/data-sources/frequency_bigramdictionary_en_243_342.txt \\
        --freq ../shared/data-sources/frequency_dictionary_en_82_765.txt \\
        --exc ../shared/data-sources/wordnet3.0_exc \\
        --wordnet WORDNET_DIR --arpa LM.arpa \\
        --thesaurus data/dict/thesaurus.csv \\
        --out data/dict/papermill.csv

WORDNET_DIR holds WordNet 3.0's index.* and data.* files for noun, verb,
adj and adv (Debian `wordnet-base`: `apt-get download wordnet-base`, then
`dpkg-deb -x`; `usr/share/wordnet`). LM.arpa is the embedded language
model as ARPA: `scripts/sphinx_trie2arpa.py` over the Sphinx model, the
first step of the driver's lm step. The option defaults are the
committed parameters.

A paper mill spins with a word-level synonym tool, so the list's thousands
of phrases are examples of one channel: "deep" -> "profound", "forest" ->
"woodland", "network" -> "organization". The layer is that channel run
forwards over terms that are attested and collecting the tortured forms
that are not:

1. The channel. Each cleaned pair of the list (`build_tortured.py`'s
   cleaning) is aligned word by word (difflib over words, hyphens split):
   equal words are kept words, a replaced block of equal length gives
   word swaps, two words for one gives a phrase swap ("interface" ->
   "connection point"); other blocks are left out. Swaps of nouns are pooled over
   grammatical number ("feature" -> "highlight" counts for "features" ->
   "highlights" too). P(s | w) = k / (n + 1), with k the swaps of w to s
   and n the occurrences of w on the expected side. Where the list never
   swaps a word, the thesaurus layer (`data/dict/thesaurus.csv`, whose
   weights are log10 P(s | w) of a news spinner's synonym channel) stands
   in, discounted by --thesaurus-discount: the paper mill's tool draws on
   a thesaurus too, but less is known of how.
   Function words are never swapped.
2. The terms: 2-4 word phrases that are attested, from the expected side
   of the list, WordNet's multi-word lemmas but for names ("Black
   Hills"), the Google Books bigrams of the SymSpell list, and the
   language model's bigrams and trigrams. A
   term must have a word of the list's expected vocabulary (science's
   words) and neither start nor end in a function word. A phrase that only
   the general sources (Google Books, the language model) have is taken
   for a term when two of them have it (--general-evidence) and its words
   play the parts they play in the list's terms: the last a head
   ("network", "forest"), the others modifiers ("neural", "random"); one
   source alone lists news collocations and odd pairs that are no terms
   ("system uses", "progression image"). Three-word terms no source has
   whole are chained from two of the list's term pairs that overlap by a
   content word ("graph neural" + "neural network"). A term gets one unit
   of evidence for each source that has it whole, a chained one half.
3. The tortured forms: every way of swapping at least one word of a term
   with P(form | term) above --floor (the product of its swaps), keeping
   the --per-term likeliest. A form is dropped when it is itself
   attested (whole in a source, or every word pair of it in the bigram
   sources: then it is ordinary English), when it is a term of the list,
   or when the listed layer (`tortured.csv`) has it or a longer phrase
   with it inside ("pc interface" in "cerebrum pc interface": the shorter
   edge could win and leave half the phrase tortured).
4. Weight and confidence. The weight is log10 P(form | term). The
   confidence (how sure it is that no clean writer wrote the form) is
   --confidence times the spun words' *tortured-ness*, the share of a
   word's occurrences in the list that are on the tortured side, with two
   pseudo-uses on the term side ("profound" high; "framework", which
   terms use too, lower), times the term's evidence (one unit or more: 1;
   half: 0.5). Forms less sure than --least-confidence are dropped: the
   document prior, trained on news, does not raise the odds of a
   scientific text, so they would stand on the clean edit penalty alone
   and almost never be taken. A form with several candidate terms keeps
   the --per-form likeliest, and the language model chooses.

The confidence is kept well below the listed layer's 0.9: it lowers the
edit penalty of an entry whatever the document, and a generated form is
less sure than a listed one (measured on a second split of the training
side: scaling it from 0.9 to 0.4 cost a tenth of the fixes and removed the
changes to clean abstracts). The document prior also counts a generated
form's repair as evidence of spinning only in proportion to its
confidence (over 0.5), so that one such form in a clean sentence does not
make it look spun.

`--part train` builds from the training side of `build_tortured.py`'s
split by expected term only (for `scripts/tortured_recall.py --heldout`):
neither the channel nor the term list then sees a held-out pair.

Deterministic (sorted output, no randomness); Python 3.11, standard
library only.
"""
import argparse
import collections
import csv
import difflib
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from build_tortured import (  # noqa: E402
    Morph, clean_pairs, load_exc, load_freq, load_frequent, number_variants, other_number)

# Words the channel never swaps: the spinner's tool leaves grammar alone
# often enough that a swap of one is seldom what a tortured phrase hides.
STOP = set("""a an the of to in on at by for from with as into onto upon about over under
above below across after before behind between beyond during through within without via per
and or nor but if than that this these those it its is are was were be been being has have
had do does did will would shall should can could may might must not no he she they we you
i me him her them us his their our your my who whom whose which what when where while why
how also very more most less some any all each every both either neither such own same other
another then thus""".split())

WORD = re.compile(r"^[a-z][a-z]+$")


def words(phrase):
    return phrase.replace("-", " ").split()


def align(tortured, expected):
    """Units of the expected side and what the tortured side made of each:
    (original word, spun word or two words), including kept words."""
    a, b = words(tortured), words(expected)
    out = []
    matcher = difflib.SequenceMatcher(a=b, b=a, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend((w, w) for w in b[i1:i2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            out.extend(zip(b[i1:i2], a[j1:j2]))
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 2:
            out.append((b[i1], " ".join(a[j1:j2])))
    return out


def mine_channel(pairs, morph):
    """P(s | w) of the list, pooled over number, and each word's
    tortured-ness: swaps to it / (swaps to it + its kept or expected uses)."""
    swaps = collections.defaultdict(collections.Counter)
    seen = collections.Counter()
    on_expected = collections.Counter()
    spun_to = collections.Counter()
    for tortured, expected in sorted(pairs):
        for w in words(expected):
            on_expected[w] += 1
        for w, s in align(tortured, expected):
            seen[w] += 1
            if w != s:
                swaps[w][s] += 1
                spun_to[s] += 1
    # Number: a swap of a noun also counts for the other number of both.
    pooled = collections.defaultdict(collections.Counter)
    pooled_seen = collections.Counter(seen)
    for w in sorted(swaps):
        for s, k in swaps[w].items():
            pooled[w][s] += k
            if " " in s:
                continue
            one, other = other_number(w, morph), other_number(s, morph)
            if one and other and one[1] == other[1]:
                pooled[one[0]][other[0]] += k
    for w in list(seen):
        one = other_number(w, morph)
        if one and one[0] in seen:
            pooled_seen[w] = seen[w] + seen[one[0]]
    channel = {}
    for w in pooled:
        n = max(pooled_seen[w], sum(pooled[w].values()))
        channel[w] = {s: k / (n + 1) for s, k in pooled[w].items() if WORD.match(s.split()[0])}
    # One swap seen and no use as a term word is weak evidence that a
    # word is the spinner's alone: two pseudo-uses on the term side.
    tortured_ness = {s: k / (k + on_expected[s] + 2) for s, k in spun_to.items()}
    return channel, tortured_ness


def load_thesaurus(path, discount):
    """Single-word edges original -> {spun: P}, discounted."""
    out = collections.defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            s, w = r["spun"], r["original"]
            if " " in s or " " in w or not WORD.match(s) or not WORD.match(w):
                continue
            out[w][s] = max(out[w].get(s, 0.0), 10 ** float(r["weight"]) * discount)
    return out


def load_wordnet(folder):
    """WordNet's multi-word lemmas (index.*), less the names: lemmas the
    data files (data.*) write only with capitals ("Black Hills", "Plymouth
    Colony"). A name is no term of a paper, and its tortured forms are
    ordinary English ("dark hills")."""
    lemmas = set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(folder, f"index.{pos}"), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                lemma = line.split(" ", 1)[0].lower()
                if "_" in lemma:
                    lemmas.add(" ".join(words(lemma.replace("_", " "))))
    return lemmas - wordnet_names(folder)


def wordnet_names(folder):
    """Multi-word lemmas the data files write only with a capital."""
    capital, lower = set(), set()
    for pos in ("noun", "verb", "adj", "adv"):
        # The data files are ASCII but for a few Latin-1 bytes in glosses.
        with open(os.path.join(folder, f"data.{pos}"), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                fields = line.split(" ")
                # offset lex_filenum ss_type w_cnt (hex) word lex_id ...
                for i in range(int(fields[3], 16)):
                    lemma = fields[4 + 2 * i]
                    if "_" in lemma:
                        key = " ".join(words(lemma.lower().replace("_", " ")))
                        (capital if lemma[:1].isupper() else lower).add(key)
    return capital - lower


def load_arpa(path):
    """The bigrams and trigrams of an ARPA model, as phrases."""
    bigrams, trigrams, section = set(), set(), None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("\\"):
                section = line.strip()
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            if section == "\\2-grams:":
                bigrams.add(parts[1].strip())
            elif section == "\\3-grams:":
                trigrams.add(parts[1].strip())
    return bigrams, trigrams


def pairs_of(ws):
    return [f"{x} {y}" for x, y in zip(ws, ws[1:])]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pps", required=True)
    ap.add_argument("--bigrams", required=True)
    ap.add_argument("--freq", required=True, help="SymSpell unigram list")
    ap.add_argument("--exc", required=True, help="folder of WordNet's *.exc lists")
    ap.add_argument("--wordnet", required=True, help="folder of WordNet's index.* and data.* files")
    ap.add_argument("--arpa", required=True, help="the embedded language model as ARPA")
    ap.add_argument("--thesaurus",
                    default=os.path.join(os.path.dirname(HERE), "data", "dict", "thesaurus.csv"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--part", choices=["all", "train", "tune-train"], default="all")
    ap.add_argument("--split-seed", type=int, default=26)
    ap.add_argument("--heldout-share", type=float, default=0.2)
    ap.add_argument("--thesaurus-discount", type=float, default=0.3)
    ap.add_argument("--floor", type=float, default=-1.3,
                    help="least log10 P(form | term) kept")
    ap.add_argument("--per-term", type=int, default=3)
    ap.add_argument("--per-form", type=int, default=2)
    ap.add_argument("--confidence", type=float, default=0.4)
    ap.add_argument("--general-evidence", type=int, default=2,
                    help="sources that must have a term the list and WordNet do not")
    ap.add_argument("--least-confidence", type=float, default=0.05,
                    help="drop forms less sure than this: they would stand on a document "
                         "prior that science text does not raise")
    ap.add_argument("--thesaurus-top", type=int, default=4,
                    help="thesaurus swaps tried per word the list never swaps")
    a = ap.parse_args()

    frequent = load_frequent(a.bigrams)
    morph = Morph(load_freq(a.freq), *load_exc(a.exc))
    pairs, _ = clean_pairs(a.pps, frequent, morph, a.part, a.split_seed, a.heldout_share)
    listed = {t for t, _ in pairs} | {t for t, _ in number_variants(pairs, morph, frequent)}
    # Pieces of listed phrases: a generated edge over a piece ("pc
    # interface" in "cerebrum pc interface") could win over the listed
    # edge and leave half the phrase tortured.
    pieces = set()
    for phrase in listed:
        ws = phrase.split(" ")
        pieces.update(" ".join(ws[i:j]) for i in range(len(ws))
                      for j in range(i + 2, len(ws) + 1) if j - i < len(ws))
    channel, tortured_ness = mine_channel(pairs, morph)
    thesaurus = load_thesaurus(a.thesaurus, a.thesaurus_discount)

    list_terms = {" ".join(words(e)) for _, e in pairs}
    for t, e in number_variants(pairs, morph, frequent):
        list_terms.add(" ".join(words(e)))
    science = {w for term in list_terms for w in term.split() if w not in STOP}
    wordnet = load_wordnet(a.wordnet)
    lm_bigrams, lm_trigrams = load_arpa(a.arpa)
    google = {f"{x} {y}" for x, y in frequent}
    list_pairs = {p for term in list_terms for p in pairs_of(term.split())}
    wordnet_pairs = {p for term in wordnet for p in pairs_of(term.split())}
    print(f"channel: {len(channel)} words; terms: list {len(list_terms)}, wordnet "
          f"{len(wordnet)}, lm {len(lm_bigrams)}+{len(lm_trigrams)}", file=sys.stderr)

    whole_sources = [list_terms, wordnet, google, lm_bigrams, lm_trigrams]
    pair_sources = [google, lm_bigrams, list_pairs, wordnet_pairs]

    def evidence(term):
        whole = sum(term in s for s in whole_sources)
        if whole:
            return float(whole)
        ws = term.split()
        if len(ws) > 2 and all(any(p in s for s in pair_sources) for p in pairs_of(ws)):
            return 0.5
        return 0.0

    def attested(form):
        if any(form in s for s in whole_sources):
            return True
        return all(any(p in s for s in (google, lm_bigrams)) for p in pairs_of(form.split()))

    def options(w):
        """(spun unit, P) for a word of a term."""
        if w in STOP or not WORD.match(w):
            return []
        if w in channel:
            return sorted(channel[w].items(), key=lambda kv: (-kv[1], kv[0]))
        edges = sorted(thesaurus.get(w, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return edges[: a.thesaurus_top]

    # Candidate terms: attested whole, or (3-4 words) by their pairs from
    # the list's own terms chained.
    candidates = set(list_terms) | {t for t in wordnet if 2 <= len(t.split()) <= 4}
    # The general sources are large and not lists of terms ("system
    # uses" is a bigram): a phrase of theirs is taken for a term when its
    # words play the parts they play in the list's terms, the last a
    # head ("network", "forest"), the others modifiers ("neural", "random").
    heads = {term.split()[-1] for term in list_terms}
    modifiers = {w for term in list_terms for w in term.split()[:-1]}

    def term_shaped(ws):
        return ws[-1] in heads and all(w in modifiers or w in STOP for w in ws[:-1])

    general = {t for t in google | lm_bigrams if term_shaped(t.split())}
    candidates |= general
    # Three-word terms no source has whole, chained from two pairs of the
    # list's terms that overlap by a word.
    by_first = collections.defaultdict(set)
    for p in list_pairs:
        x, y = p.split()
        by_first[x].add(y)
    for p in sorted(list_pairs):
        x, y = p.split()
        if y not in STOP:  # "modelling and" + "and crick" is no term
            candidates.update(f"{x} {y} {z}" for z in by_first.get(y, ()))

    floor = 10 ** a.floor
    forms = collections.defaultdict(dict)  # form -> term -> (log10 p, confidence)
    n_terms = 0
    for term in sorted(candidates):
        ws = term.split()
        if not 2 <= len(ws) <= 4 or not all(WORD.match(w) for w in ws):
            continue
        if ws[0] in STOP or ws[-1] in STOP or not any(w in science for w in ws):
            continue
        ev = evidence(term)
        if ev == 0:
            continue
        # A phrase only the general sources know needs two of them: one
        # alone has news collocations and the odd pair ("progression
        # image") that are no terms.
        if term not in list_terms and term not in wordnet and ev < a.general_evidence:
            continue
        n_terms += 1
        made = [((), 1.0, 0.0)]  # spun words so far, P, max tortured-ness
        for w in ws:
            step = []
            for spun, p, tau in made:
                step.append((spun + (w,), p, tau))
                for s, q in options(w):
                    if p * q >= floor:
                        step.append((spun + (s,), p * q, max(tau, tortured_ness.get(s, 0.0))))
            made = step
        made = [(" ".join(spun), p, tau) for spun, p, tau in made if p < 1.0]
        made.sort(key=lambda x: (-x[1], x[0]))
        for form, p, tau in made[: a.per_term]:
            if form in listed or form in pieces or form in list_terms or attested(form):
                continue
            confidence = a.confidence * tau * min(ev, 1.0)
            if confidence >= a.least_confidence:
                forms[form][term] = (math.log10(p), confidence)

    rows = []
    for form in sorted(forms):
        best = sorted(forms[form].items(), key=lambda kv: (-kv[1][0], kv[0]))[: a.per_form]
        for term, (weight, confidence) in best:
            rows.append((form, term, f"{weight:.2f}", "papermill", f"{confidence:.2f}"))
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["spun", "original", "weight", "source", "confidence"])
        w.writerows(rows)
    print(f"{n_terms} terms, {len(forms)} forms, {len(rows)} rows written to {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
