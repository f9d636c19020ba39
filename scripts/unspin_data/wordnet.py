"""WordNet 3.0's index and data files (index.noun ... index.adv, data.noun
... data.adv), from Debian's wordnet-base.

The papermill layer takes WordNet's multi-word lemmas for attested terms.
They are in the index files; the data files write each lemma in its case,
which tells a name ("Black Hills") from a term ("black hole"). The
data-sources folder does not carry them (it has only the exception
lists), so they come from the package: its .deb, its unpacked folder, or
a folder of these files, given with --wordnet or kept in the data-sources
folder under SOURCES_DIR.
"""
import os

from .debian import files_dir

PACKAGE = "wordnet-base"
INDEX_DIR = os.path.join("usr", "share", "wordnet")
POS = ("noun", "verb", "adj", "adv")
INDEX_FILES = tuple(f"index.{pos}" for pos in POS)
DATA_FILES = tuple(f"data.{pos}" for pos in POS)
FILES = INDEX_FILES + DATA_FILES
# Where the driver looks in the data-sources folder when --wordnet is not
# given: a folder of the index files or of the unpacked package.
SOURCES_DIR = "wordnet3.0"
HOW_TO_GET = (f"`apt-get download {PACKAGE}` and give the .deb with --wordnet "
              f"(or its `dpkg-deb -x` folder, or a folder of {', '.join(FILES)})")


def index_dir(given, sources, work):
    """The folder of the index and data files: from `given` (--wordnet) if set,
    else from SOURCES_DIR in `sources`; None when neither is there. A
    .deb is unpacked into `work`."""
    if given is None:
        given = os.path.join(sources, SOURCES_DIR)
        if not os.path.exists(given):
            return None
    elif not os.path.exists(given):
        raise FileNotFoundError(f"--wordnet {given}: no such file or folder")
    return files_dir(given, work, INDEX_DIR)
