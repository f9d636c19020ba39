#!/usr/bin/env python3
"""Build data/dict/tortured.csv from the Problematic Paper Screener's
tortured-phrase list (scientific paper mills' spun terminology).

    python3 scripts/build_tortured.py \
        --pps ../shared/data-sources/pps_tortured_phrases.tsv \
        --bigrams ../shared/data-sources/frequency_bigramdictionary_en_243_342.txt \
        --out data/dict/tortured.csv

Cleaning (DESIGN.md section 3, layer 2):
- entries whose expected form is uncertain ("?") are dropped;
- the expected form loses parenthesised abbreviations ("graph neural network
  (gnn)" -> "graph neural network") and brackets ("recurrent [neural]
  networks" -> "recurrent neural networks"); forms with alternatives ("/",
  ";", ",") or other punctuation are dropped, as are tortured sides with
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
- a tortured phrase with several expected forms keeps them all.

Every row gets weight -0.1, confidence 0.9 (a tortured phrase almost never
occurs in clean text, so the spinner is nearly the only way to get it: the
decoder waives most of the edit penalty even in a document that looks
clean) and source `tortured:pps`. Output rows are sorted, so the file is stable.
"""
import argparse, csv, re, sys

PAREN = re.compile(r"\s*\([^)]*\)")
BAD_EXPECTED = re.compile(r"[?/;,:\"()“”]")
ALLOWED = re.compile(r"^[a-z0-9]+(?:['-][a-z0-9]+)*(?: [a-z0-9]+(?:['-][a-z0-9]+)*)*$")


def clean_expected(text):
    text = PAREN.sub("", text).replace("[", "").replace("]", "")
    text = " ".join(text.split())
    if not text or BAD_EXPECTED.search(text):
        return None
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pps", required=True)
    ap.add_argument("--bigrams", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    frequent = set()
    with open(a.bigrams, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                frequent.add((parts[0].lower(), parts[1].lower()))

    rows, dropped = set(), {"uncertain": 0, "unusable": 0, "not a rewrite": 0, "ordinary": 0,
                           "same": 0}
    with open(a.pps, encoding="utf-8") as f:
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
            words = tortured.split(" ")
            alternatives = f" {expected} ".count(" or ") > f" {tortured} ".count(" or ")
            if alternatives or len(expected.split(" ")) >= len(words) + 3:
                dropped["not a rewrite"] += 1
                continue
            if len(words) < 2 or all((x, y) in frequent for x, y in zip(words, words[1:])):
                dropped["ordinary"] += 1
                continue
            if expected == tortured:
                dropped["same"] += 1
                continue
            rows.add((tortured, expected))

    with open(a.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["spun", "original", "weight", "source", "confidence"])
        for tortured, expected in sorted(rows):
            w.writerow([tortured, expected, "-0.1", "tortured:pps", "0.9"])
    print(f"{len(rows)} rows written to {a.out}; dropped {dropped}", file=sys.stderr)


if __name__ == "__main__":
    main()
