#!/usr/bin/env python3
"""Build data/dict/tortured.csv from the Problematic Paper Screener's
tortured-phrase list (scientific paper mills' spun terminology).

    python3 scripts/build_tortured.py \
        --pps ../shared/data-sources/pps_tortured_phrases.tsv \
        --bigrams ../shared/data-sources/frequency_bigramdictionary_en_243_342.txt \
        --freq ../shared/data-sources/frequency_dictionary_en_82_765.txt \
        --exc ../shared/data-sources/wordnet3.0_exc \
        --out data/dict/tortured.csv

Cleaning (DESIGN.md section 3, layer 2):
- entries whose expected form is uncertain ("?") are dropped;
- the expected form loses parenthesised abbreviations ("graph neural network
  (gnn)" -> "graph neural network") and brackets ("recurrent [neural]
  networks" -> "recurrent neural networks"); forms with alternatives ("/",
  ";", ",") or other punctuation (a TeX "\\&", an ellipsis, a full stop) or
  without a letter are dropped, as are tortured sides with
  punctuation other than hyphens and apostrophes (they could never match);
  so are expected forms that offer alternatives the tortured side does not
  have ("adverse effect" or "negative relationship": more " or " than the
  tortured side) and explanations rather than rewrites, three or more words
  longer than the tortured side ("antigermicidal agent" -> "agent that has
  an activity opposed to killing germs"; "first request" -> "differential
  equation and 1st order", the list's context notes taken for the answer);
- entries whose tortured side is ordinary English are dropped: every pair of
  adjacent words in it is a frequent bigram of the SymSpell/Google Books list
  ("in the presence" is, "profound learning" is not), or it is a single word;
- a tortured phrase with several expected forms keeps them all;
- entries whose expected form has a word nothing else attests (not in the
  SymSpell word list, not in any tortured phrase, not in another expected
  form) are dropped: most such words are the list's typos ("wavelet
  singular entrooy", "bilstm netwok"), which unspin must not write. The
  language model cannot judge them either (it does not know them), so it
  does not stand in the way.

The list gives most phrases in one grammatical number ("help vector
machine"), while papers use both ("help vector machines"). So each pair
also yields its other number, the last word of both sides inflected alike
("irregular woodland" -> "random forest" gives "irregular woodlands" ->
"random forests", and "help vectors" -> "support vectors" gives "help
vector" -> "support vector"), with build_thesaurus.py's inflection (WordNet's
exception lists, then regular rules, every form checked against the
SymSpell word list). A variant is made only where both last words have
the form and both change the same way (a pair whose sides differ in
number, "heart wellbeing the executives" for "heart health management",
gets none). A variant goes through the ordinary-English filter too
("big facts" -> "big data" must not give "big fact" -> "big datum"), and
never replaces a pair the list has itself. Source
`tortured:inflected`, same weight and confidence.

Every row gets weight -0.1, confidence 0.9 (a tortured phrase almost never
occurs in clean text, so the spinner is nearly the only way to get it: the
decoder waives most of the edit penalty even in a document that looks
clean) and source `tortured:pps`. Output rows are sorted, so the file is stable.

`--part train` or `--part heldout` builds from one side of a split of the
list by expected term (a seeded hash of the term, its plural -s stripped,
so both numbers of a term fall on the same side; 20% held out by default).
`scripts/tortured_recall.py --heldout` uses it to measure how unspin
repairs tortured phrases that its layers have never seen; the committed
file is `--part all`. `tune-train` and `tune-heldout` split the training
side again (by the next seed, as large a held-out share of the whole), for
choosing parameters without looking at the held-out side.
"""
import argparse, csv, hashlib, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unspin_data.morph import Morph  # noqa: E402
from unspin_data.sources import load_exc, load_freq  # noqa: E402

PAREN = re.compile(r"\s*\([^)]*\)")
BAD_EXPECTED = re.compile(r"[?/;,:\"()“”\\&.%…]|^[^a-z]*$")
ALLOWED = re.compile(r"^[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*$")


def clean_expected(text):
    text = PAREN.sub("", text).replace("[", "").replace("]", "")
    text = " ".join(text.split())
    if not text or BAD_EXPECTED.search(text):
        return None
    return text


def words_of(phrase):
    """The words of a phrase, hyphenated words split, possessives dropped."""
    return [re.sub(r"['’]s?$", "", w) for w in re.split(r"[ \-–]", phrase) if w]


def unattested_words(rows, freq):
    """Words of expected forms that nothing else attests: not in the word
    list, in no tortured phrase, and in no other expected form. Most are
    the list's typos ("wavelet singular entrooy", "bilstm netwok"); a few
    are rare terms ("anemometry")."""
    seen_in = {}
    spun_words = set()
    for tortured, expected in rows:
        spun_words.update(words_of(tortured))
        for word in set(words_of(expected)):
            seen_in[word] = seen_in.get(word, 0) + 1
    return {w for w, n in seen_in.items()
            if n < 2 and w not in freq and w not in spun_words
            and re.search("[a-z]", w) and not re.search("[0-9]", w)}


def ordinary(words, frequent):
    """Whether a tortured side could be ordinary English: a single word, or
    every pair of adjacent words a frequent bigram."""
    return len(words) < 2 or all((x, y) in frequent for x, y in zip(words, words[1:]))


def other_number(phrase, morph):
    """The phrase with its last word, as a noun, in the other grammatical
    number, and which number that is ("pl" or "sg"); None where the word
    has no such form."""
    words = phrase.split(" ")
    last = words[-1]
    for lemma, pos, tag in morph.lemmas(last, morph.freq):
        # A plural without -s is often a mass noun ("big data", "social
        # media"), whose singular ("datum") is no variant of the phrase.
        if pos == "noun" and tag == "pl" and lemma != last and last.endswith("s"):
            return " ".join(words[:-1] + [lemma]), "sg"
    plural = morph.inflect_word(last, "noun", "pl")
    if plural:
        return " ".join(words[:-1] + [plural[0]]), "pl"
    return None


def load_frequent(path):
    """The bigrams of the SymSpell/Google Books list, lowercase."""
    frequent = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                frequent.add((parts[0].lower(), parts[1].lower()))
    return frequent


def term_key(expected):
    """What the split goes by: the expected term with its last word's
    plural -s stripped, so that "random forest" and "random forests" fall
    on the same side."""
    return re.sub(r"(?<![su])s$", "", expected)


def is_heldout(expected, seed, share):
    """Whether an expected term is in the held-out part of the list: a
    deterministic hash of the term and the seed, not Python's salted one."""
    digest = hashlib.sha256(f"{seed}:{term_key(expected)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


# The most words a dictionary phrase may have (hyphens separate words, as
# in the matcher): the decoder never matches a longer one, and `--dict`
# refuses it.
MAX_PHRASE_WORDS = 8


def clean_pairs(pps, frequent, morph, part="all", seed=26, share=0.2):
    """The usable (tortured, expected) pairs of the list (see the module
    doc), of the part of the split asked for ("all", "train" or
    "heldout"), and the counts of what was dropped."""
    rows, dropped = set(), {"uncertain": 0, "unusable": 0, "too long": 0, "not a rewrite": 0,
                           "ordinary": 0, "same": 0}
    with open(pps, encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t")
        next(reader)
        for tortured, expected in reader:
            tortured = " ".join(tortured.lower().replace("’", "'").split())
            if "?" in expected:
                dropped["uncertain"] += 1
                continue
            expected = clean_expected(expected.lower())
            if expected is None or not ALLOWED.match(tortured):
                dropped["unusable"] += 1
                continue
            if len(words_of(tortured)) > MAX_PHRASE_WORDS:
                dropped["too long"] += 1
                continue
            words = tortured.split(" ")
            alternatives = f" {expected} ".count(" or ") > f" {tortured} ".count(" or ")
            if alternatives or len(expected.split(" ")) >= len(words) + 3:
                dropped["not a rewrite"] += 1
                continue
            if ordinary(words, frequent):
                dropped["ordinary"] += 1
                continue
            if expected == tortured:
                dropped["same"] += 1
                continue
            rows.add((tortured, expected))

    unattested = unattested_words(rows, morph.freq)
    dropped["unattested word"] = sum(1 for _, e in rows if unattested & set(words_of(e)))
    rows = {(t, e) for t, e in rows if not unattested & set(words_of(e))}
    if part in ("train", "heldout"):
        rows = {(t, e) for t, e in rows if is_heldout(e, seed, share) == (part == "heldout")}
    elif part != "all":
        rows = {(t, e) for t, e in rows if not is_heldout(e, seed, share)}
    if part.startswith("tune-"):
        # A split of the training side, for choosing parameters without
        # looking at the held-out side: as large a share of the list.
        inner = share / (1 - share)
        rows = {(t, e) for t, e in rows
                if is_heldout(e, seed + 1, inner) == (part == "tune-heldout")}
    return rows, dropped


def number_variants(rows, morph, frequent):
    """Each pair in its other grammatical number (see the module doc)."""
    listed = {tortured for tortured, _ in rows}
    variants = set()
    for tortured, expected in rows:
        one, other = other_number(tortured, morph), other_number(expected, morph)
        # Both sides change number the same way, or the words do not
        # correspond ("the executives" for "management").
        if (one and other and one[1] == other[1] and one[0] not in listed
                and one[0] != other[0] and not ordinary(one[0].split(" "), frequent)):
            variants.add((one[0], other[0]))
    return variants


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pps", required=True)
    ap.add_argument("--bigrams", required=True)
    ap.add_argument("--freq", required=True, help="SymSpell unigram list")
    ap.add_argument("--exc", required=True, help="folder of WordNet's *.exc lists")
    ap.add_argument("--out", required=True)
    ap.add_argument("--part", choices=["all", "train", "heldout", "tune-train", "tune-heldout"], default="all",
                    help="build from the whole list, or from one side of the split by "
                         "expected term (for measuring how unspin generalises)")
    ap.add_argument("--split-seed", type=int, default=26)
    ap.add_argument("--heldout-share", type=float, default=0.2)
    a = ap.parse_args()

    frequent = load_frequent(a.bigrams)
    morph = Morph(load_freq(a.freq), *load_exc(a.exc))
    rows, dropped = clean_pairs(a.pps, frequent, morph, a.part, a.split_seed, a.heldout_share)
    variants = number_variants(rows, morph, frequent)

    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["spun", "original", "weight", "source", "confidence"])
        for (tortured, expected), source in sorted(
                [(row, "tortured:pps") for row in rows]
                + [(row, "tortured:inflected") for row in variants]):
            w.writerow([tortured, expected, "-0.1", source, "0.9"])
    print(f"{len(rows)} rows and {len(variants)} number variants written to {a.out}; "
          f"dropped {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
