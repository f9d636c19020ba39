#!/usr/bin/env bash
# Runs unspin inside Apache Spark (local mode): tests/spark/test_spark.py.
# Installs PySpark and its companions from the package registry into
# target/spark-venv (once; a later run reuses it while requirements.txt is
# unchanged). Fails, never skips, when Java or Spark cannot be had: CI is
# promised the package registries and a Java runtime.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "tests/spark: FAILED: $*" >&2
  exit 1
}

command -v java >/dev/null || fail "no java on the PATH (Spark needs Java 17 or later)"
java -version >/dev/null 2>&1 || fail "'java -version' failed"

venv=target/spark-venv
stamp="$venv/.requirements"
if ! cmp -s tests/spark/requirements.txt "$stamp" 2>/dev/null; then
  echo "tests/spark: installing PySpark into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "could not create a Python venv in $venv"
  # --no-compile: modules are compiled as they are imported, which halves
  # the install (most of PySpark is never imported by the test).
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-compile \
    -r tests/spark/requirements.txt ||
    fail "pip could not install tests/spark/requirements.txt from the package registry"
  cp tests/spark/requirements.txt "$stamp"
fi

cargo build --release --quiet
export UNSPIN="$PWD/target/release/unspin"
"$venv/bin/python" -m pytest -p no:cacheprovider -q tests/spark "$@" ||
  fail "the Spark test failed (see above)"
