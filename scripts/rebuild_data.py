#!/usr/bin/env python3
"""Rebuild the project's generated data, as committed.

Usage (Python 3.11, standard library only):

    python3 scripts/rebuild_data.py all             # every step, into data/
    python3 scripts/rebuild_data.py mine cues       # some steps
    python3 scripts/rebuild_data.py --verify all    # into a scratch folder, then
                                                    # compare with data/ byte for byte
    python3 scripts/rebuild_data.py --check all     # do the inputs present match
                                                    # the MANIFESTs?

Steps, in the order they run (each writes one file under data/ and records
the sha256 of its inputs in the MANIFEST beside it):

    mine       dict/mined.csv      swaps aligned from the training pairs
                                   (mine_pairs.py); about a minute
    cues       prior/cues.csv      the document prior's cue table
                                   (build_cues.py); reads dict/curated.csv
                                   and dict/mined.csv, so it runs after mine
    tortured   dict/tortured.csv   paper-mill phrases (build_tortured.py)
    thesaurus  dict/thesaurus.csv  the thesaurus layer and its model
                                   (build_thesaurus.py); about 8 minutes
    papermill  dict/papermill.csv  candidate terms for tortured phrases
                                   the list has not seen
                                   (build_papermill.py); reads
                                   dict/thesaurus.csv, so it runs after
                                   thesaurus, and the language model as
                                   ARPA, converted once for it and lm
    articles   articles.csv        words whose a/an the spelling does not
                                   tell (build_articles.py)
    lm         lm/en-us.unlm       the language model: Sphinx's trie ->
                                   ARPA (sphinx_trie2arpa.py) -> `unspin lm
                                   compile` (builds unspin with cargo); it
                                   writes the current format, the committed
                                   file is the same model in version 1
                                   (without hash tables), which build.rs
                                   turns into the same bytes
    all        every step above

    pps-tsv    (not part of all) converts the Problematic Paper Screener
               list as torturedcheck redistributes it (--pps-json) into the
               TSV the tortured step reads (--pps)

The committed tortured.csv was made from a TSV that holds this conversion
less the pairs held back to measure how unspin does on tortured phrases it
has not seen; converting the whole JSON gives a longer list.

Inputs: --sources, the data-sources folder (data/SOURCES.md lists its
files); --train, the training pairs (NNN/{spun.txt,orig.txt,meta.json});
--spun-only, spun articles without originals (cues); --pocketsphinx, CMU
Sphinx's Debian package pocketsphinx-en-us for papermill, articles and lm
(a .deb or its unpacked folder; fetched with `apt-get download` if not
given); --wordnet, WordNet's index and data files for papermill (Debian
wordnet-base: its .deb, its unpacked folder or the folder of index.* and data.*;
looked for in --sources as wordnet3.0/ if not given). The defaults are the
development layout, a `shared` folder beside the project.

Parameters: none to give. Each script's defaults are the committed
parameters (scripts/unspin_data/params.py, the constants at the top of
mine_pairs.py and build_cues.py, and build_papermill.py's option
defaults); this driver passes only paths.

Every output is written to a temporary name and renamed when its script
succeeds, so a failed step leaves the committed file as it was.
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from unspin_data import manifest, params, pocketsphinx, wordnet  # noqa: E402
from unspin_data.pps import tsv_of_json  # noqa: E402
from unspin_data.sources import (  # noqa: E402
    BIGRAMS, FREQ, MOBY, MYTHES, NEWS_BIGRAMS, NEWS_UNIGRAMS, PPDB1, PPDB2, PPS_TSV, SEED_PAIRS,
    WORDNET_EXC, WORDNET_EXC_FILES)

PY = sys.executable
SHARED = os.path.join(ROOT, "..", "shared")
DATA = os.path.join(ROOT, "data")
CURATED = os.path.join(DATA, "dict", "curated.csv")

# Each step's output, relative to the data folder.
OUTPUTS = {
    "mine": "dict/mined.csv",
    "cues": "prior/cues.csv",
    "tortured": "dict/tortured.csv",
    "thesaurus": "dict/thesaurus.csv",
    "papermill": "dict/papermill.csv",
    "articles": "articles.csv",
    "lm": "lm/en-us.unlm",
}
STEPS = list(OUTPUTS)
TRAIN, SPUN_ONLY, SPHINX = "[train]", "[spun_only]", f"[{pocketsphinx.PACKAGE}]"
WORDNET = f"[{wordnet.PACKAGE}]"
# A generated file of the project that a later step reads, by its path
# under data/.
LAYER = "[data]"
# The steps that read a file of pocketsphinx-en-us.
SPHINX_STEPS = ("papermill", "articles", "lm")


def script(name):
    return os.path.join(HERE, name)


# The command lines, also used by crossval.py to build each fold's layers.
def mine_command(sources, train, out):
    return [PY, script("mine_pairs.py"), "--train", train, "--out", out,
            "--seed", os.path.join(sources, SEED_PAIRS), "--thesaurus", sources]


def cues_command(sources, train, spun_only, dicts, out):
    return [PY, script("build_cues.py"), "--sources", sources, "--train", train,
            "--spun-only", spun_only, "--dicts", *dicts, "--out", out]


def tortured_command(sources, pps, out):
    return [PY, script("build_tortured.py"), "--pps", pps,
            "--bigrams", os.path.join(sources, BIGRAMS), "--freq", os.path.join(sources, FREQ),
            "--exc", os.path.join(sources, WORDNET_EXC), "--out", out]


def thesaurus_command(sources, train, out, report_folds=params.THESAURUS_REPORT_FOLDS):
    return [PY, script("build_thesaurus.py"), "--sources", sources, "--train", train,
            "--out", out, "--folds", str(report_folds)]


def papermill_command(sources, pps, wordnet_dir, arpa, thesaurus, out):
    return [PY, script("build_papermill.py"), "--pps", pps,
            "--bigrams", os.path.join(sources, BIGRAMS), "--freq", os.path.join(sources, FREQ),
            "--exc", os.path.join(sources, WORDNET_EXC), "--wordnet", wordnet_dir,
            "--arpa", arpa, "--thesaurus", thesaurus, "--out", out]


def produce(out, command, **run):
    """Runs command(path) to write `out` under a temporary name, then puts
    it in place: `out` is never left half written."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    part = out + ".part"
    try:
        subprocess.run(command(part), check=True, **run)
        os.replace(part, out)
    finally:
        if os.path.exists(part):
            os.remove(part)


class Inputs:
    """Where the inputs are, and the files each step reads from them."""

    def __init__(self, a):
        self.sources = a.sources
        self.train = a.train
        self.spun_only = a.spun_only
        self.pps = a.pps or os.path.join(a.sources, PPS_TSV)
        self.pocketsphinx = a.pocketsphinx
        self.wordnet = getattr(a, "wordnet", None)
        self.no_report = getattr(a, "no_report", False)
        self._sphinx_dir = None
        self._wordnet_dir = None
        self._arpa = None
        self.work_dir = None

    def of(self, step, data=DATA, built=()):
        """{input name: path} of a step; a package's file has path None
        until the package is at hand (fetch_sphinx, find_wordnet). A layer
        an earlier step made is read from `data` if that step is in
        `built` (run in this invocation), else from the committed data."""
        def src(*names):
            return {name: os.path.join(self.sources, name) for name in names}

        def layer(producer):
            folder = data if producer in built else DATA
            return {f"{LAYER}/{OUTPUTS[producer]}": os.path.join(folder, OUTPUTS[producer])}
        exc = src(*WORDNET_EXC_FILES)
        if step == "mine":
            return {**src(SEED_PAIRS, MOBY, MYTHES, FREQ, BIGRAMS), **exc, TRAIN: self.train}
        if step == "cues":
            return {**src(NEWS_UNIGRAMS, NEWS_BIGRAMS, FREQ), TRAIN: self.train,
                    SPUN_ONLY: self.spun_only}
        if step == "tortured":
            return {**src(BIGRAMS, FREQ), **exc, PPS_TSV: self.pps}
        if step == "thesaurus":
            return {**src(FREQ, BIGRAMS, MOBY, MYTHES, PPDB2, PPDB1), **exc, TRAIN: self.train}
        if step == "papermill":
            return {**src(BIGRAMS, FREQ), **exc, PPS_TSV: self.pps, **layer("thesaurus"),
                    **{f"{WORDNET}/{name}": self.wordnet_file(name)
                       for name in wordnet.FILES},
                    SPHINX + "/" + pocketsphinx.LM_BIN: self.sphinx_file(pocketsphinx.LM_BIN)}
        if step == "articles":
            return {**src(FREQ), SPHINX + "/" + pocketsphinx.CMUDICT: self.sphinx_file(
                pocketsphinx.CMUDICT)}
        if step == "lm":
            return {SPHINX + "/" + pocketsphinx.LM_BIN: self.sphinx_file(pocketsphinx.LM_BIN)}
        raise ValueError(step)

    def sphinx_file(self, name):
        return os.path.join(self._sphinx_dir, name) if self._sphinx_dir else None

    def wordnet_file(self, name):
        return os.path.join(self._wordnet_dir, name) if self._wordnet_dir else None

    def work(self):
        """A scratch folder for unpacked packages and the ARPA model,
        removed by close()."""
        if self.work_dir is None:
            self.work_dir = tempfile.mkdtemp(prefix="rebuild-data-work-")
        return self.work_dir

    def fetch_sphinx(self):
        """Unpacks (or fetches) pocketsphinx-en-us, once."""
        if self._sphinx_dir is None:
            self._sphinx_dir = pocketsphinx.model_dir(self.pocketsphinx, self.work())

    def find_wordnet(self):
        """Unpacks WordNet's index and data files if they are at hand (--wordnet,
        or in --sources), once; returns whether they are."""
        if self._wordnet_dir is None:
            try:
                self._wordnet_dir = wordnet.index_dir(self.wordnet, self.sources, self.work())
            except FileNotFoundError as e:
                raise SystemExit(str(e))
        return self._wordnet_dir is not None

    def arpa(self):
        """The Sphinx language model as ARPA text, converted once for the
        steps that read it."""
        if self._arpa is None:
            self.fetch_sphinx()
            arpa = os.path.join(self.work(), "en-us.arpa")
            t0 = time.time()
            subprocess.run([PY, script("sphinx_trie2arpa.py"),
                            self.sphinx_file(pocketsphinx.LM_BIN), arpa], check=True)
            print(f"== ARPA conversion done in {time.time() - t0:.0f} s",
                  file=sys.stderr, flush=True)
            self._arpa = arpa
        return self._arpa

    def close(self):
        if self.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)


def digests(paths):
    """{input name: sha256} of the inputs present (a missing one is left
    out: manifest.compare reports it)."""
    return {name: manifest.digest(path) for name, path in paths.items()
            if path is not None and os.path.exists(path)}


def manifest_path(data, step):
    return os.path.join(data, os.path.dirname(OUTPUTS[step]), "MANIFEST")


def check(steps, inputs):
    """Compares each step's inputs present with the committed MANIFEST;
    returns the number of steps whose inputs differ."""
    bad = 0
    for step in steps:
        generated = os.path.basename(OUTPUTS[step])
        recorded = manifest.read(manifest_path(DATA, step)).get(generated)
        if recorded is None:
            print(f"{step}: data/{OUTPUTS[step]} has no MANIFEST entry")
            bad += 1
            continue
        paths = inputs.of(step)
        unchecked = sorted(name for name, path in paths.items() if path is None)
        present = digests(paths)
        differences = [(name, what) for name, what in manifest.compare(recorded, present)
                       if name not in unchecked]
        for name, what in differences:
            print(f"{step}: {name} {what}")
        options = sorted({"--wordnet" if name.startswith(WORDNET) else "--pocketsphinx"
                          for name in unchecked})
        note = (f" ({', '.join(unchecked)} not checked: give {' and '.join(options)})"
                if unchecked else "")
        print(f"{step}: inputs {'differ' if differences else 'match'}{note}")
        bad += bool(differences)
    return bad


def build(step, inputs, data, built):
    """Runs one step, writing into the data folder `data`, and records its
    inputs in the MANIFEST there. `built`: the steps already run into
    `data` in this invocation (cues reads the mined layer made there,
    papermill the thesaurus layer)."""
    out = os.path.join(data, OUTPUTS[step])
    if step == "papermill" and not inputs.find_wordnet():
        raise SystemExit(f"papermill: WordNet's index and data files are not in --sources "
                         f"({wordnet.SOURCES_DIR}/): {wordnet.HOW_TO_GET}")
    if step in SPHINX_STEPS:
        inputs.fetch_sphinx()
    paths = inputs.of(step, data, built)
    recorded = digests(paths)
    missing = [name for name in paths if name not in recorded]
    if missing:
        raise SystemExit(f"{step}: missing input {', '.join(missing)}")
    print(f"== {step} -> {out}", file=sys.stderr, flush=True)
    t0 = time.time()
    s = inputs
    if step == "mine":
        produce(out, lambda part: mine_command(s.sources, s.train, part))
    elif step == "cues":
        mined_dir = data if "mine" in built else DATA
        dicts = [CURATED, os.path.join(mined_dir, OUTPUTS["mine"])]
        produce(out, lambda part: cues_command(s.sources, s.train, s.spun_only, dicts, part))
    elif step == "tortured":
        produce(out, lambda part: tortured_command(s.sources, s.pps, part))
    elif step == "thesaurus":
        folds = 0 if s.no_report else params.THESAURUS_REPORT_FOLDS
        produce(out, lambda part: thesaurus_command(s.sources, s.train, part, folds))
    elif step == "papermill":
        arpa = inputs.arpa()
        index = os.path.dirname(paths[f"{WORDNET}/{wordnet.INDEX_FILES[0]}"])
        thesaurus = paths[f"{LAYER}/{OUTPUTS['thesaurus']}"]
        produce(out, lambda part: papermill_command(s.sources, s.pps, index, arpa, thesaurus,
                                                    part))
    elif step == "articles":
        produce(out, lambda part: [PY, script("build_articles.py"),
                                   "--cmudict", paths[SPHINX + "/" + pocketsphinx.CMUDICT],
                                   "--freq", paths[FREQ], "--out", part])
    elif step == "lm":
        arpa = inputs.arpa()
        produce(out, lambda part: ["cargo", "run", "--release", "--quiet", "--bin", "unspin",
                                   "--", "lm", "compile", arpa, "-o", part], cwd=ROOT)
    manifest.record(manifest_path(data, step), os.path.basename(OUTPUTS[step]), recorded)
    print(f"== {step} done in {time.time() - t0:.0f} s", file=sys.stderr, flush=True)


def compare(steps, data):
    """Reports, per step, whether the file built into `data` is the
    committed one byte for byte; returns the number that differ."""
    bad = 0
    for step in steps:
        rebuilt, committed = os.path.join(data, OUTPUTS[step]), os.path.join(DATA, OUTPUTS[step])
        same = filecmp.cmp(rebuilt, committed, shallow=False)
        print(f"{step}: data/{OUTPUTS[step]} {'reproduced' if same else 'DIFFERS'}")
        if not same and step == "lm":
            print(f"lm: {format_of(rebuilt)} rebuilt, {format_of(committed)} committed; "
                  "build.rs turns a version 1 model into the current version, "
                  "so compare the model.unlm it writes under target/")
        bad += not same
    return bad


def format_of(model):
    """A compiled language model's format, from its magic bytes."""
    with open(model, "rb") as f:
        magic = f.read(8)
    return f"format {magic.decode('ascii', 'replace')}"


def pps_tsv(a):
    if not a.pps_json:
        raise SystemExit("pps-tsv: give the torturedcheck JSON with --pps-json")
    out = a.pps or os.path.join(a.sources, PPS_TSV)
    with open(a.pps_json, encoding="utf-8") as f:
        text = tsv_of_json(f.read(), a.pps_json)
    part = out + ".part"
    with open(part, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(part, out)
    print(f"pps-tsv: {text.count(chr(10)) - 1} pairs -> {out}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0], epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter, usage="%(prog)s [options] STEP...")
    ap.add_argument("steps", nargs="+", metavar="STEP", choices=STEPS + ["all", "pps-tsv"])
    ap.add_argument("--sources", default=os.path.join(SHARED, "data-sources"))
    ap.add_argument("--train", default=os.path.join(SHARED, "dev", "train"))
    ap.add_argument("--spun-only", default=os.path.join(SHARED, "dev", "spun_only"))
    ap.add_argument("--pocketsphinx", help="pocketsphinx-en-us: its .deb or unpacked folder")
    ap.add_argument("--wordnet", help="papermill: WordNet's index and data files (wordnet-base: its "
                    f".deb, unpacked folder or index.* and data.* folder; default: --sources/"
                    f"{wordnet.SOURCES_DIR} if there)")
    ap.add_argument("--pps", help="the tortured-phrase TSV (default: in --sources)")
    ap.add_argument("--pps-json", help="pps-tsv: torturedcheck's tortured-phrases.json")
    ap.add_argument("--no-report", action="store_true",
                    help="thesaurus: skip the held-out ranking report (the layer is the same)")
    ap.add_argument("--out", default=DATA,
                    help="the data folder to write into (default: the project's data/)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="build nothing: compare the inputs present with the MANIFESTs")
    mode.add_argument("--verify", action="store_true",
                      help="build into a scratch folder (or --out) and compare each file "
                           "with the committed one")
    a = ap.parse_args()

    if "pps-tsv" in a.steps:
        if len(a.steps) > 1 or a.check or a.verify:
            raise SystemExit("pps-tsv runs alone")
        pps_tsv(a)
        return 0
    steps = STEPS if "all" in a.steps else [s for s in STEPS if s in a.steps]
    inputs = Inputs(a)
    try:
        if a.check:
            if a.pocketsphinx and any(s in SPHINX_STEPS for s in steps):
                inputs.fetch_sphinx()
            if "papermill" in steps:
                inputs.find_wordnet()
            return 1 if check(steps, inputs) else 0
        data = os.path.abspath(a.out)
        if a.verify and a.out == DATA:
            data = tempfile.mkdtemp(prefix="rebuild-data-")
        built = []
        for step in steps:
            try:
                build(step, inputs, data, built)
            except subprocess.CalledProcessError as e:
                print(f"rebuild_data: {step} failed: {' '.join(map(str, e.cmd))} "
                      f"(exit {e.returncode})", file=sys.stderr)
                return 1
            built.append(step)
        if not a.verify:
            return 0
        differ = compare(steps, data)
        if differ:
            print(f"the rebuilt files are in {data}")
        elif a.out == DATA:
            shutil.rmtree(data)
        return 1 if differ else 0
    finally:
        inputs.close()


if __name__ == "__main__":
    sys.exit(main())
