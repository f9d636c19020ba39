#!/usr/bin/env python3
"""Cross-validate unspin on the training pairs, by story.

Usage (from the project root, after `cargo build --release`):

    python3 scripts/crossval.py                       # 3 folds, default settings
    python3 scripts/crossval.py -- --strength 1.3     # extra unspin arguments
    python3 scripts/crossval.py --work /tmp/cv -k 3

Why: dev/test is for measuring only, and dev/train numbers are flattered by
the layers mined from dev/train itself. Here every layer learned from the
training pairs (mined.csv, thesaurus.csv, and the prior's cue table) is
rebuilt from all stories but the held-out fold's, with the same commands
and parameters as the committed data (rebuild_data.py,
unspin_data/params.py); the hand-written layers (curated.csv, tortured.csv)
are used as committed. Each fold's held-out pairs are then repaired with
that fold's dictionary (`--no-default-dict --dict`) and scored by
evalspin.py together with dev/clean. The pooled line sums the folds'
errors and changes.

curated.csv's rows were partly read off dev/train, so using them as
committed flatters the folds. `--strict-curated` drops, in each fold, the
curated rows whose spun phrase occurs in a held-out spun text but in no
spun text of the fold's training pairs and in no seed pair: a lower bound,
since some of those rows (such as "underneath" -> "under") are common
knowledge of the spinner that would have been written anyway.

Folds are whole stories (pairs sharing an original, as
unspin_data.pairs.story_groups groups them), dealt round-robin in story
order, so the split is fixed.
Building the layers takes about 5 minutes per fold (the thesaurus model);
they are kept in --work and reused, so trying settings is quick.

Python 3, standard library only.
"""
import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from rebuild_data import cues_command, mine_command, produce, thesaurus_command  # noqa: E402
from unspin_data import params  # noqa: E402
from unspin_data.pairs import story_groups  # noqa: E402
from unspin_data.sources import SEED_PAIRS  # noqa: E402

SHARED = os.path.join(ROOT, "..", "shared")


def thesaurus_path(fold_dir):
    """The fold's thesaurus layer, named by the committed parameters, so
    that a change of them builds it afresh instead of reusing the cached
    one."""
    return os.path.join(fold_dir, "thesaurus-" + "-".join(
        str(value) for value in params.THESAURUS.values()) + ".csv")


def make_folds(train, work, k, max_stories=None):
    """Links each fold's training and held-out pairs under work/fN. With
    `max_stories`, each fold trains on that many of its training stories
    only (a fixed draw), for the learning curve; the held-out part stays
    the same."""
    stories = sorted(story_groups(train))
    for fold in range(k):
        held = {sid for i, (sid, _) in enumerate(stories) if i % k == fold}
        rest = [sid for sid, _ in stories if sid not in held]
        if max_stories is not None:
            random.Random(fold).shuffle(rest)
        used = set(rest[:max_stories])
        for part in ("train", "held"):
            os.makedirs(os.path.join(work, f"f{fold}", part), exist_ok=True)
        for sid, pairs in stories:
            if sid not in held and sid not in used:
                continue
            part = "held" if sid in held else "train"
            for pair in pairs:
                link = os.path.join(work, f"f{fold}", part, pair)
                if not os.path.lexists(link):
                    os.symlink(os.path.abspath(os.path.join(train, pair)), link)


def build_layers(fold_dir, sources, spun_only, thesaurus_layer=True):
    """Mines and fits the learned layers from the fold's training pairs,
    with the committed data's commands (rebuild_data.py)."""
    train = os.path.join(fold_dir, "train")
    mined = os.path.join(fold_dir, "mined.csv")
    thesaurus = thesaurus_path(fold_dir)
    log = open(os.path.join(fold_dir, "build.log"), "a")
    if not os.path.exists(mined):
        produce(mined, lambda part: mine_command(sources, train, part), stdout=log, stderr=log)
    cues = os.path.join(fold_dir, "cues.csv")
    if not os.path.exists(cues):
        dicts = [mined, os.path.join(ROOT, "data", "dict", "curated.csv")]
        produce(cues, lambda part: cues_command(sources, train, spun_only, dicts, part),
                stdout=log, stderr=log)
    if thesaurus_layer and not os.path.exists(thesaurus):
        # Without the layer's own held-out report: these folds are the report.
        produce(thesaurus, lambda part: thesaurus_command(sources, train, part, report_folds=0),
                stdout=log, stderr=log)


def spun_texts(pairs_dir):
    """The spun texts of a fold part, lowercased with straight apostrophes."""
    texts = []
    for pair in sorted(os.listdir(pairs_dir)):
        with open(os.path.join(pairs_dir, pair, "spun.txt"), encoding="utf-8") as f:
            texts.append(f.read().lower().replace("\u2019", "'"))
    return texts


def seed_spun_phrases(sources):
    """The spun side of the seed pairs (brief and seed article)."""
    with open(os.path.join(sources, SEED_PAIRS), encoding="utf-8") as f:
        return {row["spun"].strip().lower() for row in csv.DictReader(f, delimiter="\t")}


def held_only(fold_dir, seed):
    """A test: is a curated spun phrase seen only in the fold's held-out
    spun texts (not in its training ones, not among the seed pairs)?"""
    held = spun_texts(os.path.join(fold_dir, "held"))
    train = spun_texts(os.path.join(fold_dir, "train"))

    def occurs(texts, phrase):
        pattern = re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])")
        return any(pattern.search(t) for t in texts)

    return lambda phrase: (phrase not in seed and occurs(held, phrase)
                           and not occurs(train, phrase))


def merge_dictionary(fold_dir, seed_phrases=None, thesaurus_layer=True):
    """The fold's dictionary: its learned layers plus the hand-written ones.
    Given `seed_phrases` (the seed pairs' spun side: --strict-curated), the
    curated rows seen only in the fold's held-out stories are left out."""
    curated = os.path.join(ROOT, "data", "dict", "curated.csv")
    layers = [os.path.join(fold_dir, "mined.csv"), curated,
              os.path.join(ROOT, "data", "dict", "tortured.csv")]
    if thesaurus_layer:
        layers.append(thesaurus_path(fold_dir))
    leave_out = held_only(fold_dir, seed_phrases) if seed_phrases is not None else None
    out = os.path.join(fold_dir, "dict-strict.csv" if leave_out else "dict.csv")
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["spun", "original", "weight", "source", "confidence"])
        for layer in layers:
            with open(layer, newline="", encoding="utf-8") as g:
                for row in csv.DictReader(g):
                    if leave_out and layer == curated and leave_out(row["spun"]):
                        continue
                    w.writerow([row["spun"], row["original"], row["weight"], row["source"],
                                row.get("confidence") or "0"])
    return out


def evaluate(fold_dir, dictionary, unspin, extra, clean):
    """evalspin.py's totals for the fold's held-out pairs, and its per-pair
    rows keyed by pair name."""
    cmd = " ".join([unspin, "--no-default-dict", "--dict", dictionary,
                    "--cues", os.path.join(fold_dir, "cues.csv")] + extra)
    done = subprocess.run(
        [sys.executable, os.path.join(SHARED, "tools", "evalspin.py"), "--cmd", cmd,
         "--pairs", os.path.join(fold_dir, "held"), "--clean", clean, "--json", "--per-pair"],
        check=True, capture_output=True, text=True)
    rows = {}
    for line in done.stderr.splitlines():
        if line.startswith("pair "):
            fields = line.split()
            rows[fields[1]] = {k: int(v) for k, v in (f.split("=") for f in fields[2:])}
    return json.loads(done.stdout), rows


def style_of(train, pair):
    try:
        meta = json.load(open(os.path.join(train, pair, "meta.json"), encoding="utf-8"))
    except (OSError, ValueError):
        return "unknown"
    return meta.get("style") or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-k", "--folds", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "crossval"))
    ap.add_argument("--train", default=os.path.join(SHARED, "dev", "train"))
    ap.add_argument("--clean", default=os.path.join(SHARED, "dev", "clean"))
    ap.add_argument("--sources", default=os.path.join(SHARED, "data-sources"))
    ap.add_argument("--spun-only", default=os.path.join(SHARED, "dev", "spun_only"))
    ap.add_argument("--strict-curated", action="store_true",
                    help="leave out curated rows seen only in held-out stories")
    ap.add_argument("--stories", type=int,
                    help="train each fold on this many stories only (learning curve; "
                         "use a --work folder of its own)")
    ap.add_argument("--no-thesaurus", action="store_true",
                    help="leave the thesaurus layer out (it takes minutes per fold)")
    ap.add_argument("--unspin", default=os.path.join(ROOT, "target", "release", "unspin"))
    ap.add_argument("extra", nargs="*", help="arguments for unspin (after --)")
    a = ap.parse_args()

    make_folds(a.train, a.work, a.folds, a.stories)
    folds = [os.path.join(a.work, f"f{i}") for i in range(a.folds)]
    thesaurus_layer = not a.no_thesaurus
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda d: build_layers(d, a.sources, a.spun_only, thesaurus_layer), folds))
    seed = seed_spun_phrases(a.sources) if a.strict_curated else None
    dictionaries = [merge_dictionary(d, seed, thesaurus_layer) for d in folds]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(
            lambda fd: evaluate(fd[0], fd[1], a.unspin, a.extra, a.clean),
            zip(folds, dictionaries)))

    by_style = {}
    for _, rows in results:
        for pair, row in rows.items():
            acc = by_style.setdefault(style_of(a.train, pair), dict(se=0, oe=0, ch=0, ag=0, n=0))
            acc["se"] += row["spun_err"]
            acc["oe"] += row["out_err"]
            acc["ch"] += row["changed"]
            acc["ag"] += row["agree"]
            acc["n"] += 1
    results = [r for r, _ in results]
    total = dict(spun_err=0, out_err=0, changed=0, correct=0.0, clean_tokens=0, clean_changed=0)
    for i, r in enumerate(results):
        print(f"fold {i}: pairs {r['pairs']} fixed {r['fixed']:.4f} recall {r['recall']:.4f} "
              f"precision {r['precision']:.4f} changed {r['changed']}")
        total["spun_err"] += r["spun_err"]
        total["out_err"] += r["out_err"]
        total["changed"] += r["changed"]
        total["correct"] += r["precision"] * r["changed"]
        total["clean_tokens"] += r["clean_tokens"]
        total["clean_changed"] += r["clean_changed"]
    fixed = 1 - total["out_err"] / max(total["spun_err"], 1)
    precision = total["correct"] / max(total["changed"], 1)
    print(f"pooled: fixed {fixed:.4f} precision {precision:.4f} changed {total['changed']} "
          f"clean_fp_per_1000 {1000 * total['clean_changed'] / max(total['clean_tokens'], 1):.3f} "
          f"(dev/clean under each fold's dictionary)")
    for style, acc in sorted(by_style.items()):
        print(f"{style}: pairs {acc['n']} fixed {1 - acc['oe'] / max(acc['se'], 1):.4f} "
              f"precision {acc['ag'] / max(acc['ch'], 1):.4f} changed {acc['ch']}")


if __name__ == "__main__":
    main()
