#!/usr/bin/env python3
"""How many words unspin changes in clean technical prose found on this machine.

Usage (from the project root, after `cargo build --release`):

    python3 scripts/clean_prose.py                      # default READMEs
    python3 scripts/clean_prose.py --unspin OTHER_BINARY --list
    python3 scripts/clean_prose.py 'DIR/*.md' ...       # other files (globs)

Why: dev/clean is news, the genre the dictionaries were learned on. Users
also feed unspin text it was never tuned for, and it must leave that alone
as well. The README files of the crates in the cargo registry and of the
Debian packages under /usr/share/doc are plentiful, clean (nobody spins a
README) and full of words the news model does not know, which is where a
decoder change that looks harmless on news can start changing words. The
files are read where they lie and never copied into the repository (their
licences vary); the count depends on what is installed, so compare two
binaries on the same machine (`--unspin`) rather than numbers across
machines.

Prints the files and words read, the words changed (per 1000), and with
--list every change. Python 3, standard library only.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

DEFAULT_GLOBS = [
    os.path.expanduser("~/.cargo/registry/src/*/*/README.md"),
    "/usr/share/doc/*/README",
    "/usr/share/doc/*/README.md",
    "/usr/share/doc/*/README.txt",
]


def words(text):
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("globs", nargs="*", help="files to read (default: READMEs)")
    ap.add_argument("--unspin", default="target/release/unspin")
    ap.add_argument("--list", action="store_true", help="print every change")
    a = ap.parse_args()

    paths = sorted({p for g in (a.globs or DEFAULT_GLOBS) for p in glob.glob(g)
                    if os.path.isfile(p)})
    if not paths:
        sys.exit("clean_prose.py: no files found")
    total_words = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            total_words += words(f.read())
    # One process for all files, as a batch user would run it.
    out = subprocess.run([a.unspin, "--format", "json", *paths],
                         capture_output=True, text=True, check=True).stdout
    changed = 0
    for line in out.splitlines():
        edit = json.loads(line)
        if edit.get("type") != "edit":
            continue
        changed += max(words(edit["spun"]), words(edit["restored"]))
        if a.list:
            print(f"{edit['path']}:{edit['line']}: {edit['spun']!r} -> {edit['restored']!r} "
                  f"({edit['source']})")
    print(f"{len(paths)} files, {total_words} words: {changed} words changed "
          f"({1000 * changed / max(total_words, 1):.3f} per 1000)")


if __name__ == "__main__":
    main()
