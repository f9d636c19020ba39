#!/usr/bin/env python3
"""Measure unspin and write docs/EVALUATION.md.

    python3 scripts/evaluation.py [--shared ../shared] [--unspin PATH] [--out docs/EVALUATION.md]

Runs, at --strength 0.5, 1 and 2:

- the development set's evaluation tool (tools/evalspin.py) on its
  held-out spun articles (dev/test) and clean news (dev/clean);
- its trap tool (tools/traps.py) on clean documents full of the spinner's
  words: dev/traps, dev/traps_science, and the repository's own
  tests/fixtures/traps and clean_science, and trap_sentences.txt,
  trap_paragraphs.txt and clean_science_sentences.txt (one document per
  line);
- scripts/tortured_recall.py (tortured phrases of the built-in list in a
  carrier sentence);

and writes one markdown table with the results, with the text around it,
to --out ("-" for standard output).

The development set (the spun/original article pairs, the clean texts and
the two tools) is not part of the repository: its texts are copies of
third-party articles that the project may use but not redistribute. Pass
its folder with --shared (default: ../shared beside the repository); the
script stops with the list of what it is missing when it is not there.
Without --unspin it builds the release binary first.
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STRENGTHS = ("0.5", "1", "2")

# What the script needs from the development set, relative to --shared.
OUTSIDE = {
    "tools/evalspin.py": "the evaluation tool",
    "tools/traps.py": "the trap tool",
    "dev/test": "held-out spun/original article pairs",
    "dev/clean": "clean news texts",
    "dev/traps": "clean documents using the spinner's words",
    "dev/traps_science": "clean scientific abstracts",
}

INTRO = """\
# Evaluation

How well unspin repairs spun text, and how rarely it touches clean text.
This page is written by `scripts/evaluation.py`; rerun it after a change
rather than editing the table. Inputs marked "no" under *in repo* belong to
the development set, which is not in the repository (its texts are copies
of third-party articles); [CONTRIBUTING.md](../CONTRIBUTING.md) says how
to run the script.
"""

DEFINITIONS = """\
- **fixed**: the share of the spinner's word errors that unspin removes
  (1 - errors after / errors before, counted as word-level edit distance
  to the original). A wrong change counts against it.
- **recall**: the share of the original's words inside spun spans that
  the output restores.
- **precision**: the share of the words unspin changes that then agree
  with the original.
- **words changed per 1000**: changed words per 1000 words of clean text,
  where every change is a false one.
- **documents changed**: clean documents with at least one change.
- **tortured phrases repaired**: phrases sampled (with a fixed seed) from
  the built-in tortured-phrase list, each put into the sentence "In this
  paper, we use ... for the analysis of the data.", counted repaired when
  the output holds the expected form; first all sentences as one document,
  then the first 100 each as a document of its own. The dictionary supplies
  the phrases, so this measures the decoder's use of the list, not the
  list's coverage of real papers.

`--strength` divides the edit penalties: 1 is the default, 2 repairs more
and risks more, 0.5 changes less. The held-out pairs were never used to
mine or tune anything; to compare settings without touching them, use
`scripts/crossval.py` on the training pairs. Speed is
measured by the benchmark scripts, also described there.
"""


def missing_inputs(shared):
    return [
        f"{os.path.join(shared, rel)} ({what})"
        for rel, what in OUTSIDE.items()
        if not os.path.exists(os.path.join(shared, rel))
    ]


def run_json(args):
    out = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out)


def count_files(folder):
    return sum(1 for name in os.listdir(folder) if not name.startswith("."))


# Fixtures that hold one document per line, as the tests read them.
LINE_FIXTURES = [
    ("trap_sentences.txt", "clean sentences around the spinner's phrases"),
    ("trap_paragraphs.txt", "clean paragraphs of two to four sentences dense in the spinner's words"),
    ("clean_science_sentences.txt", "clean scientific sentences using the paper mill's words"),
]


def one_file_per_line(path, tmp):
    """A folder under `tmp` with each line of `path` as a file of its own,
    for tools that take a folder of documents."""
    folder = os.path.join(tmp, os.path.basename(path))
    os.makedirs(folder)
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            with open(os.path.join(folder, f"{i:04d}.txt"), "w", encoding="utf-8") as out:
                out.write(line)
    return folder


def wrapper(tmp, unspin, strength):
    """An executable that runs unspin at a strength, for tools that take a
    program path rather than a command line."""
    path = os.path.join(tmp, f"unspin-{strength}")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec "{unspin}" --strength {strength} "$@"\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"),
                    help="the development set's folder (default: ../shared)")
    ap.add_argument("--unspin", help="the binary to measure (default: build target/release/unspin)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "EVALUATION.md"),
                    help='where to write the page ("-": standard output)')
    a = ap.parse_args()

    shared = os.path.normpath(a.shared)
    missing = missing_inputs(shared)
    if missing:
        sys.exit(
            "scripts/evaluation.py: the development set is not in the repository, "
            "and these inputs of it are missing (pass its folder with --shared):\n  "
            + "\n  ".join(missing)
        )

    unspin = a.unspin
    if unspin is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        unspin = os.path.join(ROOT, "target", "release", "unspin")
    unspin = os.path.abspath(unspin)
    evalspin = os.path.join(shared, "tools", "evalspin.py")
    traps = os.path.join(shared, "tools", "traps.py")
    tortured = os.path.join(ROOT, "scripts", "tortured_recall.py")

    trap_sets = [
        (os.path.join(shared, "dev", "traps"), "dev/traps: clean documents using the spinner's words", "no"),
        (os.path.join(shared, "dev", "traps_science"), "dev/traps_science: clean scientific abstracts", "no"),
        (os.path.join(ROOT, "tests", "fixtures", "traps"), "tests/fixtures/traps: clean documents in eight registers", "yes"),
        (os.path.join(ROOT, "tests", "fixtures", "clean_science"), "tests/fixtures/clean_science: clean abstracts in some fifteen fields", "yes"),
    ]

    spun, clean, trapped, phrases = {}, {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, label in LINE_FIXTURES:
            folder = one_file_per_line(os.path.join(ROOT, "tests", "fixtures", name), tmp)
            trap_sets.append((folder, f"tests/fixtures/{name}: {label}", "yes"))
        for s in STRENGTHS:
            cmd = f"'{unspin}' --strength {s}"
            print(f"strength {s}: dev/test", file=sys.stderr)
            r = run_json([sys.executable, evalspin, "--cmd", cmd, "--json",
                          "--pairs", os.path.join(shared, "dev", "test"),
                          "--clean", os.path.join(shared, "dev", "clean")])
            spun[s], clean[s] = r, r
            for folder, _, _ in trap_sets:
                print(f"strength {s}: {folder}", file=sys.stderr)
                trapped[(folder, s)] = run_json(
                    [sys.executable, traps, "--cmd", cmd, "--dir", folder, "--json"])
            print(f"strength {s}: tortured phrases", file=sys.stderr)
            line = subprocess.run(
                [sys.executable, tortured, "--unspin", wrapper(tmp, unspin, s)],
                check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
            # "one document: X of N repaired; one sentence per document: Y of M"
            nums = [int(w) for w in line.replace(";", " ").split() if w.isdigit()]
            phrases[s] = nums

    n_pairs = spun["1"]["pairs"]
    n_clean = count_files(os.path.join(shared, "dev", "clean"))
    rows = []

    def row(what, in_repo, cells):
        rows.append(f"| {what} | {in_repo} | " + " | ".join(cells) + " |")

    def each(fn):
        return [fn(s) for s in STRENGTHS]

    dev_test = f"dev/test: {n_pairs} held-out spun news articles"
    row(f"{dev_test}, fixed", "no", each(lambda s: f"{spun[s]['fixed']:.3f}"))
    row(f"{dev_test}, recall", "no", each(lambda s: f"{spun[s]['recall']:.3f}"))
    row(f"{dev_test}, precision", "no", each(lambda s: f"{spun[s]['precision']:.3f}"))
    row(f"dev/clean: {n_clean} clean news texts, words changed per 1000", "no",
        each(lambda s: f"{clean[s]['clean_fp_per_1000']:.2f}"))
    for folder, label, in_repo in trap_sets:
        row(f"{label}, documents changed", in_repo,
            each(lambda s: f"{trapped[(folder, s)]['changed_docs']} of {trapped[(folder, s)]['docs']}"))
        row(f"{label}, words changed per 1000", in_repo,
            each(lambda s: f"{trapped[(folder, s)]['changed_per_1000']:.2f}"))
    row("tortured phrases repaired, all in one document", "yes",
        each(lambda s: f"{phrases[s][0]} of {phrases[s][1]}"))
    row("tortured phrases repaired, one sentence per document", "yes",
        each(lambda s: f"{phrases[s][2]} of {phrases[s][3]}"))

    header = ("| | in repo | " + " | ".join(f"strength {s}" for s in STRENGTHS) + " |\n"
              "|---|---|" + "---|" * len(STRENGTHS) + "\n")
    page = INTRO + "\n" + header + "\n".join(rows) + "\n\n" + DEFINITIONS
    if a.out == "-":
        sys.stdout.write(page)
    else:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(page)
        print(f"wrote {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
