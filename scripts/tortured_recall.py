#!/usr/bin/env python3
"""How many tortured phrases of the built-in layer unspin repairs in context.

    python3 scripts/tortured_recall.py [--unspin target/release/unspin]
                                       [--sample 400] [--seed 7]

Samples phrases of data/dict/tortured.csv (rows from the list itself, not
the number variants) with a fixed seed, puts each into the carrier sentence
"In this paper, we use <phrase> for the analysis of the data." and counts
the sentences whose repair contains the expected form:

- as one document of all the sentences (a paper-mill text, where every
  repair also raises the document's spun probability), and
- for the first 100, each sentence as a document of its own (one tortured
  phrase in otherwise clean text).

The dictionary supplies the phrases, so this measures the decoder's use of
the layer (the language model, the confidence, overlaps between entries),
not the list's coverage of real papers.

    python3 scripts/tortured_recall.py --heldout --wordnet DIR --arpa LM.arpa
                                       [--papermill CSV | --no-papermill]

measures generalisation instead: the list is split by expected term
(`build_tortured.py --part`), the listed layer and the paper-mill channel
layer (`build_papermill.py --part train`) are built from the training side
only, and every held-out tortured phrase is put in a carrier sentence (one
document each, from CARRIERS in turn) and, three at a time, in a short
abstract (ABSTRACTS in turn). A phrase is fixed when its span reads as
its expected term after repair and nothing else around it changed;
precision is the share of edits that are part of a fix; edits inside a
phrase that write a piece of its term ("profound neural" -> "deep neural"
in "profound neural organization") are counted apart. `--tune` splits the
training side again and measures on that split's held-out part, for
choosing the layer's parameters without looking at the held-out 20%.
"""
import argparse
import csv
import os
import random
import subprocess
import sys

CARRIER = "In this paper, we use {} for the analysis of the data.\n"


CARRIERS = [
    "In this paper, we use {} for the analysis of the data.\n",
    "The results show that {} improves the performance of the model.\n",
    "We review recent work on {} and discuss open problems.\n",
    "Our approach relies on {} to reduce the computational cost.\n",
    "Previous studies have examined the role of {} in this setting.\n",
    "Finally, we compare {} with several baseline methods.\n",
]

ABSTRACTS = [
    "In recent years, {} has attracted considerable attention from researchers. "
    "This study proposes a new method that combines {} with {}. Experiments on three "
    "public datasets show that the proposed method outperforms existing approaches. "
    "The results suggest that the method can be applied in practice.\n",
    "Background: little is known about {} in patients with chronic conditions. "
    "Methods: we conducted a retrospective study of 412 patients and measured {} at "
    "baseline and after twelve months. Results: changes in {} were associated with "
    "better outcomes. Conclusion: these findings support further trials.\n",
    "We study {} under realistic operating conditions. A model based on {} is "
    "developed and validated against field measurements. The analysis shows that {} "
    "accounts for most of the observed variation, and we discuss the implications "
    "for design.\n",
    "This paper presents a framework for {}. The framework uses {} to extract "
    "relevant information and applies {} to the resulting representation. Evaluation "
    "on a benchmark shows an improvement of 4.2 percent over the strongest baseline.\n",
]


def fill(template, phrases):
    """The text of a template with its slots filled, and each slot's byte span."""
    parts = template.split("{}")
    text, spans = parts[0], []
    for phrase, after in zip(phrases, parts[1:]):
        start = len(text.encode())
        text += phrase
        spans.append((start, len(text.encode())))
        text += after
    return text, spans


def score_heldout(docs, edits):
    """Fixed slots and precision of the edits. `docs`: name -> (text, [(span,
    expected forms)]); `edits`: name -> [(start, end, restored)]. Also the
    edits that are part of a fix, and those that repair part of a phrase."""
    fixed = slots = correct = total = 0
    good, partial = set(), set()
    for name, (text, slot_list) in docs.items():
        raw = text.encode()
        found = edits.get(name, [])
        total += len(found)
        for (start, end), expected in slot_list:
            slots += 1
            near = [e for e in found if e[0] < end and e[1] > start]
            if not near:
                continue
            lo, hi = min([start] + [e[0] for e in near]), max([end] + [e[1] for e in near])
            out, at = b"", lo
            for e in sorted(near):
                out += raw[at:e[0]] + e[2].encode()
                at = e[1]
            out += raw[at:hi]
            want = {(raw[lo:start] + x.encode() + raw[end:hi]).lower() for x in expected}
            if out.lower() in want:
                fixed += 1
                correct += len(near)
                good.update((name, e) for e in near)
            else:
                # Half a repair: an edit inside the phrase that writes a
                # piece of its term ("profound neural" -> "deep neural" in
                # "profound neural organization").
                partial.update((name, e) for e in near
                               if start <= e[0] and e[1] <= end
                               and any(e[2].lower() in x.lower() for x in expected))
    return fixed, slots, correct, total, good, partial


def heldout(a, root):
    """Generalisation to tortured phrases no layer has seen (see module doc)."""
    import json
    import tempfile
    src = a.sources
    common = ["--pps", f"{src}/pps_tortured_phrases.tsv",
              "--bigrams", f"{src}/frequency_bigramdictionary_en_243_342.txt",
              "--freq", f"{src}/frequency_dictionary_en_82_765.txt",
              "--exc", f"{src}/wordnet3.0_exc"]
    tmp = tempfile.mkdtemp(prefix="tortured_heldout.")
    script = lambda name: os.path.join(root, "scripts", name)  # noqa: E731
    prefix = "tune-" if a.tune else ""
    for part in ("train", "heldout"):
        subprocess.run([sys.executable, script("build_tortured.py"), *common,
                        "--part", prefix + part, "--out", f"{tmp}/tortured_{part}.csv"],
                       check=True)
    # `unspin dict compile` refuses phrases longer than the matcher ever
    # tries (build.rs skips no row; they are simply never matched).
    with open(f"{tmp}/tortured_train.csv", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if len(r[0].replace("-", " ").split()) <= 8]
    with open(f"{tmp}/tortured_train.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    layers = [f"{root}/data/dict/{n}.csv" for n in ("curated", "mined", "thesaurus")]
    layers.append(f"{tmp}/tortured_train.csv")
    if a.papermill:
        layers.append(a.papermill)
    elif not a.no_papermill:
        subprocess.run([sys.executable, script("build_papermill.py"), *common,
                        "--part", prefix + "train",
                        "--wordnet", a.wordnet, "--arpa", a.arpa,
                        "--thesaurus", f"{root}/data/dict/thesaurus.csv",
                        "--out", f"{tmp}/papermill_train.csv"], check=True)
        layers.append(f"{tmp}/papermill_train.csv")
    subprocess.run([a.unspin, "dict", "compile", *layers, "-o", f"{tmp}/train.dict"], check=True)

    expected = {}
    with open(f"{tmp}/tortured_heldout.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["source"] == "tortured:pps":
                expected.setdefault(r["spun"], set()).add(r["original"])
    phrases = sorted(expected)
    results = {}
    for kind in ("sentence", "abstract"):
        docs = {}
        if kind == "sentence":
            for i, phrase in enumerate(phrases):
                text, spans = fill(CARRIERS[i % len(CARRIERS)], [phrase])
                docs[f"s{i:05}.txt"] = (text, [(spans[0], expected[phrase])])
        else:
            for i in range(0, len(phrases) - 2, 3):
                group = phrases[i:i + 3]
                text, spans = fill(ABSTRACTS[(i // 3) % len(ABSTRACTS)], group)
                docs[f"a{i:05}.txt"] = (text, [(s, expected[p]) for s, p in zip(spans, group)])
        folder = f"{tmp}/{kind}"
        os.makedirs(folder)
        for name, (text, _) in docs.items():
            with open(f"{folder}/{name}", "w", encoding="utf-8") as f:
                f.write(text)
        done = subprocess.run([a.unspin, "--no-default-dict", "--dict", f"{tmp}/train.dict",
                               "--format", "json", folder], capture_output=True, check=True)
        edits, shown = {}, []
        for line in done.stdout.decode().splitlines():
            e = json.loads(line)
            if e.get("type") == "edit":
                name = os.path.basename(e["path"])
                edit = (e["byte_start"], e["byte_end"], e["restored"])
                edits.setdefault(name, []).append(edit)
                shown.append((name, edit, f"{e['spun']!r} -> {e['restored']!r} ({e['source']})"))
        fixed, slots, correct, total, good, partial = score_heldout(docs, edits)
        if a.show:
            for name, edit, line in shown:
                label = "fix" if (name, edit) in good else "part" if (name, edit) in partial else "BAD"
                print(f"{kind} {label}: {line}")
        results[kind] = (fixed, slots, correct, total)
        print(f"held out, {kind}s: fixed {fixed} of {slots} ({fixed / max(1, slots):.3f}), "
              f"precision {correct} of {total} ({correct / max(1, total):.3f}); "
              f"{len(partial)} more edits repair part of a phrase")
    if not a.keep:
        import shutil
        shutil.rmtree(tmp)
    else:
        print(f"kept {tmp}", file=sys.stderr)
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unspin", default="target/release/unspin")
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--heldout", action="store_true",
                    help="measure on the held-out side of the split instead")
    ap.add_argument("--sources", default="../shared/data-sources")
    ap.add_argument("--wordnet", help="folder of WordNet's index.* and data.* files (--heldout)")
    ap.add_argument("--arpa", help="the embedded language model as ARPA (--heldout)")
    ap.add_argument("--papermill", help="a papermill layer built with --part train")
    ap.add_argument("--no-papermill", action="store_true",
                    help="measure without the paper-mill channel layer")
    ap.add_argument("--tune", action="store_true",
                    help="split the training side again and measure on its held-out "
                         "part (for choosing parameters)")
    ap.add_argument("--show", action="store_true", help="print every edit")
    ap.add_argument("--keep", action="store_true", help="keep the working folder")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if a.heldout:
        if not (a.papermill or a.no_papermill or (a.wordnet and a.arpa)):
            ap.error("--heldout builds the papermill layer: give --wordnet and --arpa "
                     "(or --papermill CSV, or --no-papermill)")
        heldout(a, root)
        return 0
    with open(os.path.join(root, "data/dict/tortured.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["source"] == "tortured:pps"]
    random.seed(a.seed)
    sample = random.sample(rows, min(a.sample, len(rows)))

    def repair(text):
        done = subprocess.run([a.unspin], input=text.encode(), capture_output=True, check=True)
        return done.stdout.decode()

    lines = repair("".join(CARRIER.format(r["spun"]) for r in sample)).splitlines()
    together = sum(r["original"] in line.lower() for r, line in zip(sample, lines))
    alone_sample = sample[:100]
    alone = sum(r["original"] in repair(CARRIER.format(r["spun"])).lower() for r in alone_sample)
    print(f"one document: {together} of {len(sample)} repaired; "
          f"one sentence per document: {alone} of {len(alone_sample)}")


if __name__ == "__main__":
    sys.exit(main())
