"""MANIFEST files: which inputs, by name and sha256, made each generated file.

A committed data file can only be rebuilt byte for byte from the same
inputs, and the inputs live outside the repository. The MANIFEST beside
the generated files says which ones they were, so that a rerun can tell
"my inputs differ" from "the script changed".

Format: comment lines start with "#"; every other line is

    <generated file>  <input name>  <sha256 of the input>

sorted, one line per input of each generated file. An input name is a
path relative to the data-sources folder, or a bracketed name for an input
from elsewhere: "[train]" for a folder of texts, whose digest is that of
its file listing (see tree_sha256), "[pocketsphinx-en-us]/FILE" for a file
of a Debian package, "[data]/FILE" for a generated file of the project
that the step reads.
"""
import hashlib
import os


def file_sha256(path):
    """The hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_sha256(folder):
    """The hex sha256 of a folder's contents: of the lines
    "<sha256>  <path relative to the folder>" of its files, sorted by path,
    as `sha256sum` would print them. File names and bytes count, the
    folder's own name and timestamps do not."""
    paths = []
    for parent, dirs, files in os.walk(folder, followlinks=True):
        dirs.sort()
        for name in files:
            full = os.path.join(parent, name)
            paths.append(os.path.relpath(full, folder).replace(os.sep, "/"))
    listing = "".join(f"{file_sha256(os.path.join(folder, p))}  {p}\n" for p in sorted(paths))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def digest(path):
    """tree_sha256 for a folder, file_sha256 for a file."""
    return tree_sha256(path) if os.path.isdir(path) else file_sha256(path)


def read(path):
    """{generated file: {input name: sha256}} of a MANIFEST; empty if there
    is none."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) != 3:
                raise ValueError(f"{path}, line {number}: expected `file input sha256`")
            generated, name, sha = fields
            out.setdefault(generated, {})[name] = sha
    return out


HEADER = """\
# The inputs each generated file of this folder was built from: file,
# input, sha256. An input is named by its path in the data-sources folder,
# or [train] / [spun_only], the folders of training texts (the digest
# covers every file's name and bytes), or [PACKAGE]/FILE, a file of that
# Debian package (pocketsphinx-en-us, wordnet-base), or [data]/FILE, a
# generated file of the project. Written by scripts/rebuild_data.py;
# `python3 scripts/rebuild_data.py --check STEP...` compares the inputs
# present with it.
"""


def write(path, entries):
    """Writes {generated file: {input name: sha256}} to `path` atomically."""
    lines = [f"{generated}  {name}  {sha}\n"
             for generated in sorted(entries) for name, sha in sorted(entries[generated].items())]
    part = path + ".part"
    with open(part, "w", encoding="utf-8", newline="\n") as f:
        f.write(HEADER + "".join(lines))
    os.replace(part, path)


def record(path, generated, inputs):
    """Sets the inputs of one generated file in the MANIFEST at `path`,
    keeping the other files' lines."""
    entries = read(path)
    entries[generated] = dict(inputs)
    write(path, entries)


def compare(recorded, present):
    """The differences between recorded and present {input name: sha256}:
    [(name, what)] with what "changed", "missing" or "not recorded"."""
    out = []
    for name in sorted(set(recorded) | set(present)):
        if name not in present:
            out.append((name, "missing"))
        elif name not in recorded:
            out.append((name, "not recorded"))
        elif recorded[name] != present[name]:
            out.append((name, "changed"))
    return out
