"""The shared library of the data scripts (scripts/*.py).

Every script that builds or measures a data layer reads the same sources
the same way through these modules, so that one word has one set of forms
and one pair one alignment everywhere:

- params: the parameters the committed data was built with;
- sources: the names and readers of the data-sources files;
- text: tokens, function words, what may be a thesaurus key;
- morph: English inflection (forms of a lemma, lemmas of a form);
- graph: the thesauri's lemma graph (which sources list s for w);
- pairs: training pairs grouped into stories, and their alignment;
- manifest: the MANIFEST files, inputs by name and sha256;
- pps: the tortured-phrase list, from JSON to TSV;
- debian: the files of a Debian package, from its .deb or unpacked folder;
- pocketsphinx: CMU Sphinx's model files from their Debian package;
- wordnet: WordNet's index files from their Debian package.

Python 3.11, standard library only.
"""
