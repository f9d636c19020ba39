"""The shared library of the data scripts, on small inputs made here.

Run from the project root: python3 -m unittest discover -s scripts/tests
"""
import json
import subprocess
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
ROOT = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)

import build_thesaurus  # noqa: E402
import rebuild_data  # noqa: E402
from unspin_data import manifest, params, wordnet  # noqa: E402
from unspin_data.morph import Morph, regular_forms  # noqa: E402
from unspin_data.pairs import align_pair, story_groups  # noqa: E402
from unspin_data.pps import tsv_of_json  # noqa: E402
from unspin_data.sources import load_exc  # noqa: E402
from unspin_data.text import content_key, tokens  # noqa: E402


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Text(unittest.TestCase):
    def test_tokens_make_typography_plain_and_keep_apostrophes_inside_words(self):
        self.assertEqual(tokens("Individuals\u2019s \u201cbig\u201d say\u2014yes"),
                         ["Individuals's", '"', "big", '"', "say", "-", "yes"])

    def test_content_keys_are_content_words_of_letters(self):
        for key in ("stated", "white house", "well-known"):
            self.assertTrue(content_key(key), key)
        for key in ("the", "of the", "ab", "12 months", "Stated", "a b c d e"):
            self.assertFalse(content_key(key), key)


class Inflection(unittest.TestCase):
    def test_regular_forms(self):
        cases = [("plan", "ed", ["planned"]), ("stat", "ed", ["statted"]),
                 ("travel", "ed", ["travelled", "traveled"]), ("state", "ed", ["stated"]),
                 ("city", "pl", ["cities"]), ("box", "pl", ["boxes"]), ("tie", "ing", ["tying"]),
                 ("make", "ing", ["making"]), ("big", "er", ["bigger"]),
                 ("happy", "est", ["happiest"]), ("echo", "s", ["echoes"])]
        for lemma, tag, forms in cases:
            self.assertEqual(regular_forms(lemma, tag), forms, (lemma, tag))

    def morph(self, words):
        with tempfile.TemporaryDirectory() as exc:
            write(os.path.join(exc, "noun.exc"), "children child\n")
            write(os.path.join(exc, "verb.exc"), "said say\n")
            write(os.path.join(exc, "adj.exc"), "")
            write(os.path.join(exc, "adv.exc"), "")
            return Morph({w: 100 for w in words}, *load_exc(exc))

    def test_irregular_forms_win_and_every_form_is_a_real_word(self):
        m = self.morph(["say", "said", "sayed", "saying", "child", "children", "person",
                        "people", "persons", "state", "stated"])
        self.assertEqual(m.inflect_word("say", "verb", "ed"), ("said",))
        self.assertEqual(m.inflect_word("say", "verb", "ing"), ("saying",))
        self.assertEqual(m.inflect_word("child", "noun", "pl"), ("children",))
        # WordNet lists "people" as a lemma of its own; the spinner treats
        # it as the plural of "person".
        self.assertEqual(m.inflect_word("person", "noun", "pl"), ("people",))
        # "states" is not in the word list, so "state" has no -s form.
        self.assertEqual(m.inflect_word("state", "verb", "s"), ())
        self.assertIn(("state", "verb", "ed"), m.lemmas("stated", {"state", "say"}))
        self.assertIn(("say", "verb", "ed"), m.lemmas("said", {"state", "say"}))

    def test_phrases_inflect_their_head(self):
        m = self.morph(["random", "forest", "forests", "carry", "carried", "out"])
        self.assertEqual(m.inflect("random forest", "noun", "pl"), ("random forests",))
        self.assertEqual(m.inflect("carry out", "verb", "ed"), ("carried out",))


class Pairs(unittest.TestCase):
    def test_copies_of_one_original_are_one_story(self):
        with tempfile.TemporaryDirectory() as train:
            for name, url, orig in (("001", "u1", "a"), ("002", "u1", "a"), ("003", None, "b"),
                                    ("004", None, "b\n")):
                write(os.path.join(train, name, "spun.txt"), "x")
                write(os.path.join(train, name, "orig.txt"), orig)
                if url:
                    write(os.path.join(train, name, "meta.json"), json.dumps({"orig_url": url}))
            os.makedirs(os.path.join(train, "notes"))
            self.assertEqual(story_groups(train), [("001", ["001", "002"]), ("003", ["003", "004"])])

    def test_alignment_finds_word_swaps_and_strips_possessives(self):
        subs, orig, changed = align_pair("The officials stated that individuals\u2019s homes burned.",
                                         "The officials said that people's homes burned.")
        self.assertEqual([(s, w) for s, w, _ in subs], [("stated", "said"), ("individuals", "people")])
        self.assertEqual(orig[subs[0][2]], "said")
        self.assertEqual(changed, {2, 4})


class Manifest(unittest.TestCase):
    def test_tree_digest_covers_names_and_bytes_not_the_folder_name(self):
        with tempfile.TemporaryDirectory() as tmp:
            a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
            for folder in (a, b):
                write(os.path.join(folder, "001", "spun.txt"), "stated")
            self.assertEqual(manifest.tree_sha256(a), manifest.tree_sha256(b))
            write(os.path.join(b, "001", "spun.txt"), "said")
            self.assertNotEqual(manifest.tree_sha256(a), manifest.tree_sha256(b))
            os.rename(os.path.join(a, "001"), os.path.join(a, "002"))
            write(os.path.join(b, "001", "spun.txt"), "stated")
            self.assertNotEqual(manifest.tree_sha256(a), manifest.tree_sha256(b))

    def test_record_keeps_the_other_files_and_compare_names_each_difference(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "MANIFEST")
            manifest.record(path, "mined.csv", {"freq.txt": "1" * 64, "[train]": "2" * 64})
            manifest.record(path, "tortured.csv", {"freq.txt": "1" * 64})
            manifest.record(path, "mined.csv", {"freq.txt": "3" * 64, "[train]": "2" * 64})
            entries = manifest.read(path)
            self.assertEqual(entries["tortured.csv"], {"freq.txt": "1" * 64})
            self.assertEqual(manifest.compare(entries["mined.csv"],
                                              {"freq.txt": "1" * 64, "moby.gz": "4" * 64}),
                             [("[train]", "missing"), ("freq.txt", "changed"),
                              ("moby.gz", "not recorded")])
            with open(path) as f:
                bad_line = len(f.readlines()) + 1
            with open(path, "a") as f:
                f.write("mined.csv  two-fields\n")
            with self.assertRaisesRegex(ValueError, f"MANIFEST, line {bad_line}: expected"):
                manifest.read(path)


class Packages(unittest.TestCase):
    def test_wordnet_index_is_found_given_or_in_the_sources_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            sources, work = os.path.join(tmp, "sources"), os.path.join(tmp, "work")
            os.makedirs(sources)
            self.assertIsNone(wordnet.index_dir(None, sources, work))
            # An unpacked package in the sources folder: its usr/share/wordnet.
            index = os.path.join(sources, wordnet.SOURCES_DIR, wordnet.INDEX_DIR)
            write(os.path.join(index, "index.noun"), "neural_network n 1 0 1 0 00000001\n")
            self.assertEqual(wordnet.index_dir(None, sources, work), index)
            # Given: a folder of the index files, or one of them.
            self.assertEqual(wordnet.index_dir(index, "elsewhere", work), index)
            self.assertEqual(wordnet.index_dir(os.path.join(index, "index.noun"), sources, work),
                             index)
            with self.assertRaisesRegex(FileNotFoundError, "--wordnet .*nope: no such"):
                wordnet.index_dir(os.path.join(tmp, "nope"), sources, work)


class TorturedPhrases(unittest.TestCase):
    # The layout of torturedcheck's src/data/tortured-phrases.json, with
    # three of its pairs.
    JSON = r'''{
  "version": "1.0.0",
  "totalPhrases": 3,
  "phrases": [
    {
      "tortured": "surface region",
      "correct": "surface area"
    },
    {
      "tortured": "Cadence design",
      "correct": "rythm pattern (?)"
    },
    {
      "tortured": "data and innovation",
      "correct": "\\\"information technology (it)\\\""
    }
  ]
}'''

    def test_json_becomes_the_tsv_build_tortured_reads(self):
        self.assertEqual(tsv_of_json(self.JSON),
                         "tortured\texpected\n"
                         "surface region\tsurface area\n"
                         "cadence design\trythm pattern (?)\n"
                         'data and innovation\t\\"information technology (it)\\"\n')

    def test_a_tab_inside_a_field_is_an_error_naming_the_pair(self):
        bad = self.JSON.replace("surface area", "surface\\tarea")
        with self.assertRaisesRegex(ValueError, "list.json: phrase 0 .'surface region'."):
            tsv_of_json(bad, "list.json")


class CommittedParameters(unittest.TestCase):
    def test_build_thesaurus_defaults_are_the_committed_parameters(self):
        defaults = vars(build_thesaurus.parser().parse_args([]))
        for name, value in params.THESAURUS.items():
            self.assertEqual(defaults[name], value, name)
        self.assertEqual(os.path.normpath(defaults["out"]),
                         os.path.join(ROOT, "data", "dict", "thesaurus.csv"))

    class Args:
        sources, train, spun_only, pps, pocketsphinx, wordnet = "s", "t", "o", None, None, None

    def test_each_manifest_lists_the_inputs_the_driver_reads(self):
        inputs = rebuild_data.Inputs(self.Args)
        self.assertIn("papermill", rebuild_data.STEPS)
        for step, output in rebuild_data.OUTPUTS.items():
            path = os.path.join(ROOT, "data", os.path.dirname(output), "MANIFEST")
            recorded = manifest.read(path).get(os.path.basename(output))
            self.assertIsNotNone(recorded, f"{path} lists no inputs of {output}")
            self.assertEqual(sorted(recorded), sorted(inputs.of(step)), output)

    def test_a_step_reads_the_layer_an_earlier_step_made_in_the_same_run(self):
        steps = rebuild_data.STEPS
        self.assertLess(steps.index("thesaurus"), steps.index("papermill"))
        inputs = rebuild_data.Inputs(self.Args)
        name = "[data]/dict/thesaurus.csv"
        self.assertEqual(inputs.of("papermill")[name],
                         os.path.join(ROOT, "data", "dict", "thesaurus.csv"))
        self.assertEqual(inputs.of("papermill", "/scratch", ["tortured"])[name],
                         os.path.join(ROOT, "data", "dict", "thesaurus.csv"))
        self.assertEqual(inputs.of("papermill", "/scratch", ["thesaurus"])[name],
                         os.path.join("/scratch", "dict", "thesaurus.csv"))



class Cues(unittest.TestCase):
    """build_cues.py end to end, on a corpus made here."""

    def build(self, spun_only_text):
        with tempfile.TemporaryDirectory() as d:
            src, train, only = (os.path.join(d, x) for x in ("src", "train", "only"))
            # News counts read every number as <num>, as the shipped ones do.
            write(os.path.join(src, "news_counts_2020s", "unigrams.tsv"),
                  "the\t5000\t100\n<num>\t1500\t90\nsaid\t500\t90\nstated\t5\t5\n")
            write(os.path.join(src, "news_counts_2020s", "bigrams.tsv"), "the <num>\t100\n")
            write(os.path.join(src, "frequency_dictionary_en_82_765.txt"),
                  "the 1000000\nsaid 10000\nstated 1000\n")
            write(os.path.join(train, "001", "orig.txt"), "He said the 3 plans and 40 more. " * 5)
            write(os.path.join(train, "001", "spun.txt"), "He stated the 3 plans and 40 more. " * 5)
            for i in range(20):
                write(os.path.join(only, f"{i:02}.txt"), spun_only_text)
            write(os.path.join(d, "dict.csv"),
                  "spun,original,weight,source\nstated,said,0,t\n3,three,0,t\n")
            out = os.path.join(d, "cues.csv")
            subprocess.run([sys.executable, os.path.join(SCRIPTS, "build_cues.py"),
                            "--sources", src, "--train", train, "--spun-only", only,
                            "--dicts", os.path.join(d, "dict.csv"), "--out", out],
                           check=True, capture_output=True)
            with open(out, encoding="utf-8") as f:
                return {row.split(",")[0]: float(row.split(",")[1]) for row in f.read().split()[1:]}

    def test_numbers_in_spun_only_articles_are_not_taken_for_the_spinners(self):
        cues = self.build("The team won 3 of its 40 games, he stated. " * 3)
        # "stated" is rare in news, so spun-only articles full of it are
        # evidence; "3" is one number among many, as common in news as here.
        self.assertGreater(cues["stated"], 0.3)
        self.assertLess(abs(cues.get("3", 0.0)), 0.1)


if __name__ == "__main__":
    unittest.main()
