#!/usr/bin/env python3
"""Check that the declared minimum Rust version is one that can build.

A crate's `rust-version` is only true if no dependency needs a newer
compiler: cargo resolves the lock file with the newest compatible
releases, and one of them raising its own `rust-version` silently raises
ours. This reads every package Cargo.lock resolves to (normal, build and
dev dependencies, for every target platform) through `cargo metadata`,
prints the highest `rust-version` among them, and fails when a workspace
member declares a lower one.

With `--build`, it also type-checks all targets with exactly that
toolchain (`cargo +VERSION check --all-targets`), which catches language
features and standard-library calls newer than the declared version; the
toolchain must already be installed (`rustup toolchain install VERSION`).

Usage: scripts/check_msrv.py [--build]
"""

import argparse
import json
import os
import subprocess
import sys


def version_key(text):
    """"1.88" and "1.88.0" compare equal; missing parts count as 0."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def metadata(root):
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        cwd=root,
        check=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--build",
        action="store_true",
        help="also run `cargo +VERSION check --all-targets` with the needed toolchain",
    )
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    meta = metadata(root)
    members = set(meta["workspace_members"])
    resolved = {node["id"] for node in meta["resolve"]["nodes"]}
    packages = [p for p in meta["packages"] if p["id"] in resolved]

    needed, needed_text, needed_by = None, None, []
    for p in packages:
        if p["id"] in members or not p.get("rust_version"):
            continue
        key = version_key(p["rust_version"])
        if needed is None or key > needed:
            needed, needed_text, needed_by = key, p["rust_version"], []
        if key == needed:
            needed_by.append(f"{p['name']} {p['version']}")
    if needed is None:
        sys.exit("check_msrv: no dependency declares a rust-version")
    print(f"highest rust-version among dependencies: {needed_text} ({', '.join(sorted(needed_by))})")

    failures = []
    for p in packages:
        if p["id"] not in members:
            continue
        declared = p.get("rust_version")
        if not declared:
            failures.append(f"{p['name']}: no rust-version in {p['manifest_path']}")
        elif version_key(declared) < needed:
            failures.append(
                f"{p['name']}: rust-version {declared} in {p['manifest_path']} "
                f"is below the {needed_text} its dependencies need"
            )
        else:
            print(f"{p['name']}: rust-version {declared}: ok")
    if failures:
        sys.exit("check_msrv: " + "; ".join(failures))

    if args.build:
        toolchain = ".".join(str(n) for n in needed)
        have = subprocess.run(
            ["rustup", "run", toolchain, "rustc", "--version"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if have.returncode != 0:
            sys.exit(
                f"check_msrv: toolchain {toolchain} is not installed "
                f"(rustup toolchain install {toolchain} --profile minimal)"
            )
        env = dict(os.environ)
        env["CARGO_TARGET_DIR"] = os.path.join(root, "target", "msrv")
        subprocess.run(
            ["cargo", f"+{toolchain}", "check", "--all-targets", "--locked"],
            cwd=root,
            env=env,
            check=True,
        )
        print(f"cargo +{toolchain} check --all-targets: ok")


if __name__ == "__main__":
    main()
