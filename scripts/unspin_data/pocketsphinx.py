"""CMU Sphinx's US-English model files, from Debian's pocketsphinx-en-us.

The language model (en-us.lm.bin) and the pronouncing dictionary
(cmudict-en-us.dict) both come from this package; fetching and unpacking
it is one step shared by the lm, papermill and articles builds.
"""
import glob
import os
import subprocess

from .debian import files_dir

PACKAGE = "pocketsphinx-en-us"
MODEL_DIR = os.path.join("usr", "share", "pocketsphinx", "model", "en-us")
LM_BIN = "en-us.lm.bin"
CMUDICT = "cmudict-en-us.dict"


def fetch(work):
    """Downloads the package's .deb into `work` (apt-get download) and
    returns its path."""
    subprocess.run(["apt-get", "download", PACKAGE], cwd=work, check=True,
                   stdout=subprocess.DEVNULL)
    return glob.glob(os.path.join(work, f"{PACKAGE}_*.deb"))[0]


def model_dir(given, work):
    """The folder holding the model files: `given` may be the package's
    .deb (unpacked into `work`), a folder of the unpacked package, the
    folder of the files themselves, or one of the files; None fetches the
    package."""
    return files_dir(fetch(work) if given is None else given, work, MODEL_DIR)
