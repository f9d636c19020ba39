"""The parameters the committed data was built with.

A rerun must repeat every choice to get the committed files byte for byte,
so each choice is written once, here: build_thesaurus.py takes them as its
defaults, rebuild_data.py runs the scripts on those defaults, and
crossval.py builds each fold's layers with them, so that a fold's layer
differs from the committed one only by its training pairs.

The mined layer and the cue table have no parameters of their own beyond
their inputs; their model constants are in mine_pairs.py (A, P0, MAXW,
INFLECTION_DISCOUNT) and build_cues.py (PSEUDO, PER_DOC_CAP, MIN_ABS_LOG),
next to the code they shape. The papermill layer's parameters are
build_papermill.py's option defaults, which its docstring explains; no
other script builds that layer. data/dict/THESAURUS.md gives the measurements
behind the thesaurus values.
"""

# build_thesaurus.py, by argparse name.
THESAURUS = {
    # Originals kept per spun key: the language model seldom takes a lower
    # ranked one, and every candidate costs it lookups.
    "top_k": 3,
    # Edges with P(s|w) under this are left out: they need a large language
    # model gain to be taken, are mostly wrong when they are, and double
    # the decoding time.
    "floor": 1e-2,
    # A spun key rarer than rare_count (its rarest word's count in the
    # SymSpell list) keeps edges down to rare_floor: a rare key seldom
    # occurs, so its candidates cost little time.
    "rare_floor": 1e-3,
    "rare_count": 1e6,
    # log10 subtracted from every weight: tuned end to end to keep the
    # clean false-change rate where it was without the layer.
    "discount": 1.0,
    # Salts the hash that subsamples negative calibration rows.
    "seed": 13,
    # One negative calibration row in neg_rate is kept, weighted neg_rate.
    "neg_rate": 8,
    "l2": 1.0,
    "model": "condlogit",
}

# Folds of the held-out ranking report that build_thesaurus.py prints. The
# report does not change the layer (the final fit uses every story); 0
# skips it and saves most of the run time.
THESAURUS_REPORT_FOLDS = 7

