"""Readers of the files in the data-sources folder.

Each reader returns plain dicts and sets, so that every script sees one
parse of a source: the thesaurus layer, the mined layer's inflections and
the tortured layer's number variants agree on what a word's forms are.
"""
import gzip
import os
import re

# The files' names in the data-sources folder (data/SOURCES.md says where
# each comes from).
FREQ = "frequency_dictionary_en_82_765.txt"
BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"
WORDNET_EXC = "wordnet3.0_exc"
WORDNET_EXC_FILES = tuple(f"{WORDNET_EXC}/{pos}.exc" for pos in ("noun", "verb", "adj", "adv"))
MOBY = "moby_thesaurus.txt.gz"
MYTHES = "mythes_th_en_US_v2.dat.gz"
PPDB2 = "ppdb2_synonyms_counterfitting.txt"
PPDB1 = "ppdb1_xl_lexical.txt.gz"
SEED_PAIRS = "news_spinner_seed_pairs.tsv"
PPS_TSV = "pps_tortured_phrases.tsv"
NEWS_UNIGRAMS = "news_counts_2020s/unigrams.tsv"
NEWS_BIGRAMS = "news_counts_2020s/bigrams.tsv"


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
