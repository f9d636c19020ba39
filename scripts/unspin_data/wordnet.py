"""WordNet 3.0's index files (index.noun, index.verb, index.adj,
index.adv), from Debian's wordnet-base.

The papermill layer takes WordNet's multi-word lemmas for attested terms.
They are in the index files, which the data-sources folder does not carry
(it has only the exception lists), so they come from the package: its
.deb, its unpacked folder, or a folder of the index files, given with
--wordnet or kept in the data-sources folder under SOURCES_DIR.
"""
import os

from .debian import files_dir

PACKAGE = "wordnet-base"
INDEX_DIR = os.path.join("usr", "share", "wordnet")
INDEX_FILES = tuple(f"index.{pos}" for pos in ("noun", "verb", "adj", "adv"))
# Where the driver looks in the data-sources folder when --wordnet is not
# given: a folder of the index files or of the unpacked package.
SOURCES_DIR = "wordnet3.0"
HOW_TO_GET = (f"`apt-get download {PACKAGE}` and give the .deb with --wordnet "
              f"(or its `dpkg-deb -x` folder, or a folder of {', '.join(INDEX_FILES)})")


def index_dir(given, sources, work):
    """The folder of the index files: from `given` (--wordnet) if set,
    else from SOURCES_DIR in `sources`; None when neither is there. A
    .deb is unpacked into `work`."""
    if given is None:
        given = os.path.join(sources, SOURCES_DIR)
        if not os.path.exists(given):
            return None
    elif not os.path.exists(given):
        raise FileNotFoundError(f"--wordnet {given}: no such file or folder")
    return files_dir(given, work, INDEX_DIR)
