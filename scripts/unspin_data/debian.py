"""Files of a Debian package, given as its .deb or as an unpacked folder.

Two sources come as Debian packages (CMU Sphinx's model, WordNet's index
files); a user may have the .deb from `apt-get download`, the folder
`dpkg-deb -x` made of it, or the files themselves. One resolver turns any
of these into the folder that holds the files, so each caller names only
the package and where inside it the files are.
"""
import os
import subprocess


def files_dir(given, work, inside):
    """The folder holding a package's files: `given` may be the .deb
    (unpacked into a folder under `work`), a folder of the unpacked
    package (the files are under its `inside` path), the folder of the
    files themselves, or one of the files."""
    if os.path.isfile(given) and not given.endswith(".deb"):
        return os.path.dirname(given)
    if os.path.isfile(given):
        unpacked = os.path.join(work, os.path.basename(given)[: -len(".deb")])
        subprocess.run(["dpkg-deb", "-x", given, unpacked], check=True)
        given = unpacked
    nested = os.path.join(given, inside)
    return nested if os.path.isdir(nested) else given
