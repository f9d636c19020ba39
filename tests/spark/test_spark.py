"""unspin inside Apache Spark (local mode, several partitions).

Three ways a crawl meets unspin on a cluster, each checked against the
single-machine run of the same records (`unspin --input-format jsonl
--format jsonl < file`):

- `RDD.pipe` with the command docs/CLUSTER.md gives, on `sc.textFile`;
- `repair_lines` (contrib/spark/unspin_spark.py) on JSON Lines read as a
  DataFrame of lines: byte for byte, bad lines included;
- `repair_column` on records read from Parquet, one unspin process per
  partition.

Run by tests/spark/run.sh, which installs Spark; UNSPIN names the binary.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "contrib" / "spark"))

import unspin_spark  # noqa: E402

UNSPIN = os.environ.get("UNSPIN", str(ROOT / "target" / "release" / "unspin"))

# Written for this test: a spun news paragraph (the spinner's "stated",
# "12 months", "invoice", "Home", "Metropolis", "court docket") and a clean
# one, which must come out unchanged.
SPUN = (
    "The ministry stated on Tuesday that the new invoice for {town} would be "
    "debated in the Home of Representatives later this 12 months. Officials "
    "stated the Metropolis council had asked for {n} million dollars more for "
    "the court docket system."
)
SPUN_REPAIRED = (
    "The ministry said on Tuesday that the new bill for {town} would be "
    "debated in the House of Representatives later this year. Officials "
    "said the City council had asked for {n} million dollars more for "
    "the court system."
)
CLEAN = (
    "The river near {town} rose after three days of rain, and the council "
    "opened two shelters for the {n} families who had to leave their homes. "
    "Volunteers handed out blankets until late in the evening."
)
PAGE = (
    "<!doctype html><html><head><title>{town} news</title>"
    "<script>var stated = 12;</script></head><body><p>{body}</p></body></html>"
)
TOWNS = ["Aldbury", "Brisford", "Coldharbour", "Dunmere", "Eastwick", "Fenwold"]
RECORDS = 240


def esc(text):
    return json.dumps(text, ensure_ascii=False)[1:-1]


def make_lines():
    """The input file's lines (bytes, without line breaks) and the indexes
    of the two bad ones. Several spellings that a JSON writer would not
    produce (`2.50`, a 30-digit number, `\\u00e9`, spaces) check that the
    rest of a line is kept byte for byte."""
    lines = []
    for i in range(RECORDS):
        town = TOWNS[i % len(TOWNS)]
        kind = ("spun", "clean", "page")[i % 3]
        body = (SPUN if kind != "clean" else CLEAN).format(town=town, n=i + 3)
        text = PAGE.format(town=town, body=body) if kind == "page" else body
        html = "<p>Stated plainly: <b>%s</b></p>" % town
        lines.append(
            (
                '{"id":%d,"url":"https://example.org/%s/%d","kind":"%s",'
                '"price": 2.50,"big":123456789012345678901234567890,'
                '"text":"%s","html":"%s","lang":"en\\u00e9"}' % (i, town.lower(), i, kind, esc(text), esc(html))
            ).encode()
        )
    lines[17] = b'{"id":17,"url":"https://example.org/no-text","title":"Home of Representatives stated"}'
    bad = [101, 163]
    lines[101] = b'{"id":101,"text":"this record was cut off by the crawler'
    lines[163] = (
        b'{"id":163,"text":"The caf\xe9 owners stated that the invoice would be debated in the '
        b'Home of Representatives this 12 months."}'
    )
    return lines, bad


def single_machine(data):
    """unspin's output on one machine, and its exit status."""
    run = subprocess.run(
        [UNSPIN, "--input-format", "jsonl", "--format", "jsonl"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert run.returncode in (0, 2), run.stderr.decode(errors="replace")
    return run.stdout, run.returncode, run.stderr.decode(errors="replace")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    lines, bad = make_lines()
    folder = tmp_path_factory.mktemp("spark")
    path = folder / "crawl.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected, status, report = single_machine(path.read_bytes())
    # The single-machine run itself, as the README describes it: the two
    # bad lines passed through and reported with their line, exit 2.
    assert status == 2
    for index in bad:
        assert f"<stdin>: line {index + 1}: not JSON" in report, report
    return {"folder": folder, "path": path, "lines": lines, "bad": bad, "expected": expected.split(b"\n")[:-1]}


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """A local[2] session whose JVM (and so every Python worker and every
    unspin it starts) writes its stderr to a file the tests read."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        pytest.fail(f"pyspark is not installed ({e}); run tests/spark/run.sh")
    log = tmp_path_factory.mktemp("log") / "spark.stderr"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    saved = os.dup(2)
    with open(log, "wb") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            session = (
                SparkSession.builder.master("local[2]")
                .appName("unspin-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.files.maxPartitionBytes", "16384")
                .config("spark.sql.files.openCostInBytes", "0")
                .getOrCreate()
            )
        finally:
            os.dup2(saved, 2)
            os.close(saved)
    session.sparkContext.setLogLevel("ERROR")
    # As `spark-submit --py-files` ships it to the executors.
    session.sparkContext.addPyFile(str(ROOT / "contrib" / "spark" / "unspin_spark.py"))
    session.stderr_log = log
    yield session
    session.stop()


def partitions_of(rdd):
    """The contents of each partition, in order."""
    return rdd.mapPartitions(lambda rows: [list(rows)]).collect()


def reports(spark, start, count):
    """unspin's reports in the log since `start`: (line, reason) pairs.
    Waits for `count` of them a while, as a worker's stderr reaches the
    log through a thread of the JVM."""
    deadline = time.monotonic() + 20
    while True:
        text = spark.stderr_log.read_bytes()[start:].decode(errors="replace")
        found = re.findall(r"unspin: <stdin>: line (\d+): (.*)", text)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def assert_records_kept(output_lines, input_lines, bad):
    """One output line per input line; on every good line the fields other
    than the text are the input's, and the repairs are where expected."""
    assert len(output_lines) == len(input_lines)
    for i, (out, inp) in enumerate(zip(output_lines, input_lines)):
        if i in bad:
            continue
        record, original = json.loads(out), json.loads(inp)
        edits = record.pop("unspin_edits")
        text = record.pop("text", None)
        original_text = original.pop("text", None)
        assert record == original
        if i == 17:
            assert text is None and edits == []
        elif original["kind"] == "clean":
            assert text == original_text and edits == []
        else:
            town = TOWNS[i % len(TOWNS)]
            assert SPUN_REPAIRED.format(town=town, n=i + 3) in text
            assert {e["restored"] for e in edits} >= {"said", "bill", "year", "court"}
        if original.get("kind") == "page":
            assert text.startswith("<!doctype html><html><head>")
            assert "<script>var stated = 12;</script>" in text


def test_rdd_pipe_with_the_guides_command(spark, data):
    guide = (ROOT / "docs" / "CLUSTER.md").read_text()
    command = re.search(r'\.pipe\("([^"]+)"\)', guide).group(1)
    argv = shlex.split(command)
    assert "-j1" in argv and argv[1:4] == ["--input-format", "jsonl", "--format"]
    piped = shlex.join([UNSPIN, *argv[1:]])
    sc = spark.sparkContext
    lines = sc.textFile(str(data["path"]), minPartitions=4)
    parts = partitions_of(lines)
    assert len([p for p in parts if p]) >= 3
    start = spark.stderr_log.stat().st_size
    out = lines.pipe(piped).collect()
    expected, bad = data["expected"], data["bad"]
    assert_records_kept([o.encode() for o in out], data["lines"], bad)
    latin1 = bad[1]
    for i, (got, want) in enumerate(zip(out, expected)):
        if i != latin1:
            assert got.encode() == want, i
    # sc.textFile decodes lines to text before the pipe sees them: the
    # byte that is not UTF-8 arrives as U+FFFD, so unspin gets (and
    # repairs) a valid record. That line is the single-machine output of
    # the decoded line, not of the file's bytes: use repair_lines to keep
    # such bytes.
    decoded, _, _ = single_machine(data["lines"][latin1].decode("utf-8", "replace").encode() + b"\n")
    assert out[latin1].encode() + b"\n" == decoded
    assert out[latin1].encode() != expected[latin1]
    assert "The caf\ufffd owners said" in out[latin1]
    # The malformed line is reported by the unspin of its partition, with
    # its line within that partition's input.
    index = bad[0]
    seen = 0
    for part in parts:
        if seen + len(part) > index:
            line_in_part = index - seen + 1
            break
        seen += len(part)
    got = reports(spark, start, 1)
    assert [line for line, _ in got] == [str(line_in_part)], got
    assert got[0][1].startswith("not JSON"), got


def test_repair_lines_is_byte_for_byte_the_single_machine_output(spark, data, tmp_path):
    df = unspin_spark.read_jsonl(spark, str(data["path"]))
    assert df.rdd.getNumPartitions() >= 3
    parts = partitions_of(df.selectExpr("cast(value as binary)").rdd.map(lambda r: bytes(r[0])))
    start = spark.stderr_log.stat().st_size
    out_dir = tmp_path / "cleaned"
    unspin_spark.write_jsonl(unspin_spark.repair_lines(df, binary=UNSPIN), str(out_dir))
    written = b"".join(p.read_bytes() for p in sorted(out_dir.glob("part-*")))
    assert written.split(b"\n")[:-1] == data["expected"]
    assert_records_kept(written.split(b"\n")[:-1], data["lines"], data["bad"])
    # Both bad lines are passed through and reported, each with its line
    # within its partition.
    where = {}
    seen = 0
    for part in parts:
        for j, line in enumerate(part):
            where[seen + j] = j + 1
        seen += len(part)
    got = reports(spark, start, 2)
    assert all(why.startswith("not JSON") for _, why in got), got
    assert sorted(int(line) for line, _ in got) == sorted(where[i] for i in data["bad"]), got


def test_repair_column_on_parquet_matches_the_single_machine_run(spark, data, tmp_path):
    good = [json.loads(line) for i, line in enumerate(data["lines"]) if i not in data["bad"]]
    records = [
        (r["id"], r["url"], r.get("kind"), r.get("text"), r.get("html"), r.get("title")) for r in good
    ]
    schema = "id long, url string, kind string, text string, html string, title string"
    parquet = tmp_path / "crawl.parquet"
    spark.createDataFrame(spark.sparkContext.parallelize(records, 4), schema).write.parquet(str(parquet))

    # The single-machine run on the same records as JSON Lines.
    as_jsonl = b"".join(
        json.dumps({k: v for k, v in zip(["id", "url", "kind", "text", "html", "title"], r) if v is not None}).encode()
        + b"\n"
        for r in records
    )
    out, status, report = single_machine(as_jsonl)
    assert status == 0, report
    expected = {}
    for line in out.split(b"\n")[:-1]:
        record = json.loads(line)
        expected[record["id"]] = (record.get("text"), record["unspin_edits"])

    # The binary shipped as Spark ships files (`--files`), wrapped to count
    # the processes started.
    starts = tmp_path / "starts"
    shipped = tmp_path / "ship" / "unspin"
    shipped.parent.mkdir()
    shipped.write_text(f'#!/bin/sh\necho x >> "{starts}"\nexec "{UNSPIN}" "$@"\n')
    shipped.chmod(0o755)
    spark.sparkContext.addFile(str(shipped))

    df = spark.read.parquet(str(parquet))
    partitions = df.rdd.getNumPartitions()
    assert partitions >= 2
    repaired = unspin_spark.repair_column(df, "text")
    assert repaired.columns == df.columns + ["unspin_edits"]
    rows = repaired.collect()
    assert len(rows) == len(records)
    by_id = {r["id"]: r for r in (dict(zip(df.columns, x)) for x in records)}
    for row in rows:
        row = row.asDict(recursive=True)
        text, edits = expected[row["id"]]
        assert (row["text"], row["unspin_edits"]) == (text, edits), row["id"]
        original = by_id[row["id"]]
        assert {k: row[k] for k in original if k != "text"} == {k: v for k, v in original.items() if k != "text"}
        if original["kind"] == "spun":
            assert "House of Representatives" in row["text"] and edits
    assert sum(1 for r in rows if r["unspin_edits"]) == sum(1 for r in good if r.get("kind") in ("spun", "page"))
    # One long-lived process per partition, not one per record.
    assert len(starts.read_text().splitlines()) == partitions
