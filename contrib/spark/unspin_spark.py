"""Repair Spark DataFrames with unspin, one long-lived process per partition.

unspin is a command-line program; calling it once per record would pay its
start-up (loading the language model) for every record. These helpers
instead start one `unspin --input-format jsonl --format jsonl -j1 -q`
process per partition and stream the partition's records through it with
`mapInArrow`: a writer thread feeds stdin while the task reads stdout, so
neither side waits on a full pipe (unspin answers in batches of about a
megabyte of input, so writing a record and waiting for its answer would
stall).

Two entry points:

- `repair_column(df, "text")`: a DataFrame of records (as read from
  Parquet, say). The column is repaired and a column of edits is added;
  the other columns are kept as they are. Each value is repaired exactly
  as unspin repairs the same string in a JSON Lines record.
- `repair_lines(df)`: a DataFrame whose one column holds JSON Lines lines
  (`read_jsonl`, `write_jsonl`). The lines are handed to unspin as raw
  bytes, so the output is byte for byte the single-machine output, bad
  lines (not JSON, not UTF-8) included: they pass through unchanged and
  are reported on the executor's stderr.

Invariant: one output row per input row, in order; a row unspin did not
repair (a bad line, or a record over its size limit) keeps its value.

The binary is found on each executor: an explicit path, else a file named
`unspin` shipped with `spark-submit --files` or `SparkContext.addFile`,
else `unspin` on the PATH. Executors need pyarrow and pandas (Spark's
Arrow path asks for both).
"""

import json
import os
import queue
import subprocess
import threading

import pyarrow as pa

EDITS_TYPE = pa.list_(
    pa.struct(
        [
            ("byte_start", pa.int64()),
            ("byte_end", pa.int64()),
            ("spun", pa.string()),
            ("restored", pa.string()),
            ("score", pa.float64()),
            ("source", pa.string()),
        ]
    )
)
"""The Arrow type of the edits column (`edits_type()` in Spark's terms)."""

MAPPER_ARGS = ["--input-format", "jsonl", "--format", "jsonl", "-j1", "-q"]
"""One thread per task: Spark already runs one task per core."""


def edits_type():
    """The Spark type of the edits column: the fields of `EDITS_TYPE`."""
    from pyspark.sql.types import (
        ArrayType,
        DoubleType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    spark_type = {pa.int64(): LongType(), pa.string(): StringType(), pa.float64(): DoubleType()}
    fields = [StructField(f.name, spark_type[f.type]) for f in EDITS_TYPE.value_type]
    return ArrayType(StructType(fields))


def find_binary(binary=None):
    """The unspin to run on this executor (see the module doc)."""
    if binary:
        return binary
    try:
        from pyspark import SparkFiles

        shipped = SparkFiles.get("unspin")
        if os.path.isfile(shipped):
            if not os.access(shipped, os.X_OK):
                # Some cluster managers localise files without their mode.
                os.chmod(shipped, 0o755)
            return shipped
    except Exception:
        # No SparkContext on this side (a plain Python caller): use PATH.
        pass
    return "unspin"


def pipe_batches(command, batches, lines_of):
    """Streams `batches` through one `command` process.

    `lines_of(batch)` gives the batch's input lines (bytes without a line
    break); yields `(batch, output_lines)` per batch, the output lines
    without their line break. Raises if the process ends early or exits
    other than 0 or 2 (2: it reported bad lines on stderr and passed them
    through).
    """
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pending = queue.Queue()
    end = object()
    failure = []

    def feed():
        try:
            for batch in batches:
                lines = lines_of(batch)
                pending.put((batch, len(lines)))
                proc.stdin.write(b"".join(line + b"\n" for line in lines))
        except BaseException as e:  # reported by the reading side
            failure.append(e)
        finally:
            pending.put(end)
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        while True:
            item = pending.get()
            if item is end:
                break
            batch, count = item
            out = []
            for _ in range(count):
                line = proc.stdout.readline()
                if not line:
                    raise RuntimeError(
                        f"{command[0]} ended after {len(out)} of {count} lines "
                        f"of a batch (exit status {proc.wait()})"
                    )
                out.append(line[:-1] if line.endswith(b"\n") else line)
            yield batch, out
        writer.join()
        if failure:
            raise failure[0]
        status = proc.wait()
        if status not in (0, 2):
            raise RuntimeError(f"{command[0]} exited with status {status}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def repair_lines(df, binary=None, extra_args=()):
    """Repairs a DataFrame of JSON Lines lines (its one column, binary or
    string), returning the same schema with each line as unspin outputs it."""
    (field,) = df.schema.fields
    name = field.name
    as_binary = df.selectExpr(f"cast(`{name}` as binary) as `{name}`")

    def run(batches):
        command = [find_binary(binary), *MAPPER_ARGS, *extra_args]

        def lines_of(batch):
            return [b"" if v is None else v for v in batch.column(0).to_pylist()]

        for batch, out in pipe_batches(command, batches, lines_of):
            yield pa.RecordBatch.from_arrays([pa.array(out, pa.binary())], [name])

    repaired = as_binary.mapInArrow(run, as_binary.schema)
    return repaired.selectExpr(f"cast(`{name}` as {field.dataType.simpleString()}) as `{name}`")


def repair_column(df, column="text", edits_column="unspin_edits", binary=None, extra_args=()):
    """Repairs the string column `column` of `df` and adds `edits_column`
    (type `edits_type()`, byte offsets into the repaired value's UTF-8 as
    unspin gives them; an empty list for a null). Other columns are kept."""
    from pyspark.sql.types import StructField, StructType

    if edits_column in df.columns:
        raise ValueError(f"the DataFrame already has a column {edits_column!r}")
    schema = StructType(df.schema.fields + [StructField(edits_column, edits_type())])

    def run(batches):
        command = [find_binary(binary), *MAPPER_ARGS, *extra_args]

        def lines_of(batch):
            values = batch.column(column).to_pylist()
            return [json.dumps({"text": v}, ensure_ascii=False).encode() for v in values]

        for batch, out in pipe_batches(command, batches, lines_of):
            texts, edits = [], []
            for original, line in zip(batch.column(column).to_pylist(), out):
                try:
                    record = json.loads(line)
                except ValueError:
                    record = {}
                if "unspin_edits" in record:
                    texts.append(record["text"])
                    edits.append(record["unspin_edits"])
                else:
                    # Passed through unrepaired (and reported by unspin).
                    texts.append(original)
                    edits.append(None)
            arrays = [
                pa.array(texts, batch.schema.field(column).type) if n == column else batch.column(n)
                for n in batch.schema.names
            ]
            arrays.append(pa.array(edits, EDITS_TYPE))
            yield pa.RecordBatch.from_arrays(arrays, [*batch.schema.names, edits_column])

    return df.mapInArrow(run, schema)


def read_jsonl(spark, path):
    """JSON Lines files as a DataFrame of lines for `repair_lines`. Spark's
    text reader keeps a line's bytes as they are (the cast to binary in
    `repair_lines` hands them to unspin unchanged); it ends lines at
    `\\n`, `\\r\\n` or `\\r` and drops the ending."""
    return spark.read.text(path)


def write_jsonl(df, path):
    """Writes the lines of `repair_lines` as text files, bytes unchanged,
    one part file per partition, each line ended with `\\n`."""
    df.write.text(path)
