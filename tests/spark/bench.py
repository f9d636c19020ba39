"""Records per second per core: unspin alone, through `RDD.pipe`, and
through the DataFrame helpers (contrib/spark/unspin_spark.py).

    target/spark-venv/bin/python tests/spark/bench.py --texts articles/*.txt

Records are made by joining the given text files (whole, in a seeded
random order) until each has at least --chars characters. Times are wall
times of each Spark job after a warm-up job, session start-up excluded;
per core means divided by the local[N] cores. CPU seconds (all the
processes of the job: the JVM, the Python workers, unspin) measure the
cost where other work shares the machine. A benchmark, not a test:
the numbers depend on the machine and on what else runs on it.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "contrib" / "spark"))

import unspin_spark  # noqa: E402


def tree_cpu():
    """CPU seconds used by this process's descendants (the Spark JVM, its
    Python workers and their unspins), children they have reaped included."""
    parent, cpu = {}, {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = sum(int(x) for x in fields[11:15]) / tick
    me = os.getpid()

    def descends(pid):
        while pid in parent and pid > 1:
            pid = parent[pid]
            if pid == me:
                return True
        return False

    return sum(c for pid, c in cpu.items() if descends(pid))


def sc_partitions(spark, jsonl, parquet, partitions):
    return {
        "textFile": spark.sparkContext.textFile(str(jsonl), partitions).getNumPartitions(),
        "read.text": spark.read.text(str(jsonl)).rdd.getNumPartitions(),
        "read.parquet": spark.read.parquet(parquet).rdd.getNumPartitions(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", required=True, nargs="+", help="text files to build records from")
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--unspin", default=str(ROOT / "target" / "release" / "unspin"))
    args = parser.parse_args()

    texts = [Path(f).read_text(errors="replace") for f in sorted(args.texts)]
    rng = random.Random(7)
    records = []
    for i in range(args.records):
        parts = []
        while sum(map(len, parts)) < args.chars:
            parts.append(rng.choice(texts).strip())
        records.append({"id": i, "url": f"https://example.org/{i}", "text": "\n\n".join(parts)})

    tmp = Path(tempfile.mkdtemp(prefix="unspin-bench-"))
    jsonl = tmp / "crawl.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records))
    mean = sum(len(r["text"]) for r in records) / len(records)
    print(f"{len(records)} records of {mean:.0f} characters on average, {jsonl.stat().st_size / 1e6:.1f} MB")

    command = [args.unspin, *unspin_spark.MAPPER_ARGS]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(jsonl, "rb") as f:
        subprocess.run(command, stdin=f, stdout=subprocess.DEVNULL, check=False)
    alone = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(
        f"unspin -j1 alone: {alone:.1f} s, {len(records) / alone:.0f} records/s of wall time, "
        f"{len(records) / cpu:.0f} records per CPU second"
    )

    os.environ["PYSPARK_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(f"local[{args.cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        # The JSON Lines file in --partitions splits, as a larger crawl
        # would be split in blocks.
        .config("spark.sql.files.maxPartitionBytes", str(jsonl.stat().st_size // args.partitions + 1))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.addPyFile(str(ROOT / "contrib" / "spark" / "unspin_spark.py"))
    parquet = str(tmp / "crawl.parquet")
    spark.read.json(str(jsonl)).repartition(args.partitions).write.parquet(parquet)
    print("partitions:", sc_partitions(spark, jsonl, parquet, args.partitions))

    def timed(name, job):
        job()  # warm-up: Python workers, JIT, page cache
        cpu = tree_cpu()
        started = time.perf_counter()
        job()
        wall = time.perf_counter() - started
        cpu = tree_cpu() - cpu
        print(
            f"{name}: {wall:.1f} s, {len(records) / wall / args.cores:.0f} records/s per core "
            f"of wall time, {len(records) / cpu:.0f} records per CPU second (JVM and Python included)"
        )

    sc = spark.sparkContext
    timed(
        "RDD.pipe",
        lambda: sc.textFile(str(jsonl), args.partitions).pipe(" ".join(command)).count(),
    )
    timed(
        "repair_lines (JSON Lines as a DataFrame)",
        lambda: unspin_spark.repair_lines(
            spark.read.text(str(jsonl)), binary=args.unspin
        )
        .write.format("noop")
        .mode("overwrite")
        .save(),
    )
    timed(
        "repair_column (Parquet, mapInArrow)",
        lambda: unspin_spark.repair_column(spark.read.parquet(parquet), "text", binary=args.unspin)
        .write.format("noop")
        .mode("overwrite")
        .save(),
    )
    spark.stop()


if __name__ == "__main__":
    main()
