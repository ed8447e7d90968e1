"""Tag passages on Spark, from Parquet to Parquet, with the same core as ``aptag tag``.

Run as ``spark-submit pipeline/scale/spark.py --input passages.parquet --output predictions/
--model ensemble.v1`` or through ``aptag tag --engine spark --master URL``. The driver saves the
model once (``core.prepare_model``) and ships that directory to the executors as a zip
(``SparkContext.addArchive``, unpacked on each executor). Executors need the Python environment
(aptag and the encoder packages installed, or a venv-pack archive given with ``spark.archives``),
not the configs.

Passages (passage_id, text, optional language) are tagged with ``mapInPandas`` through
``core.tag_frames``. The output holds, per passage, its stored candidates (item_id set) and one
"seen" row (item_id null, with the passage's flags), partitioned by ``bucket``, a hash of the
passage ID. Writes overwrite by partition (dynamic partition overwrite), and a job commits its
partitions only when it succeeds, so re-running on the same input writes the same rows and a
killed job, run again, completes without duplicates. ``_aptag.json`` (model ID, counts) is
written last; ``aptag import-predictions`` refuses a directory without it.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np
import pandas as pd

from pipeline.errors import ConfigError, ModelError
from pipeline.scale.core import ModelRef, bucket_of, tag_frames

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from pipeline.config import TagConfig
    from pipeline.store import Workspace
    from pipeline.tag import TaggerSpec, TagSummary
    from pipeline.taxonomy import Taxonomy

MANIFEST = "_aptag.json"
DEFAULT_BUCKETS = 32
OUTPUT_SCHEMA = ("passage_id string, item_id string, score double, accepted boolean, evidence string, "
                 "model_id string, flags string, bucket int")
OUTPUT_COLUMNS = [c.split()[0] for c in OUTPUT_SCHEMA.split(", ")]
# pyspark 4.3 warns on pandas >= 3 at every conversion; mapInPandas over these plain columns works
# (the tests compare its rows with the in-process path), so the warning is noise in every log.
_PANDAS_WARNING = "PySpark does not yet fully support pandas"


def spark_session(master: str | None = None, conf: dict[str, str] | None = None) -> "SparkSession":
    """A SparkSession for tagging: ``master`` (default: spark-submit's, else ``local[*,4]``), the
    driver on ``$SPARK_LOCAL_IP`` (default 127.0.0.1), the UI off, executors on this Python.

    These defaults yield to settings given to spark-submit or in ``$SPARK_CONF_DIR/spark-defaults.conf``;
    ``conf`` overrides everything."""
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError("The Spark engine needs pyspark, which is not installed. "
                          "Install the extra with `pip install -e '.[spark]'` (Java 17 must be on the PATH).") from None
    warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
    host = os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    python = os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    defaults = {
        "spark.app.name": "aptag-tag",
        "spark.driver.host": host,
        "spark.driver.bindAddress": host,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.pyspark.python": python,
        "spark.executorEnv.PYTHONWARNINGS": f"ignore:{_PANDAS_WARNING}:FutureWarning",
        # small Parquet files still split into several tasks (Spark's default is 128 MB)
        "spark.sql.files.maxPartitionBytes": "4m",
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
    }
    # Start (or join) the JVM first, so SparkConf() holds what spark-submit, spark-defaults.conf
    # and PYSPARK_SUBMIT_ARGS set, and the defaults below yield to them.
    SparkContext._ensure_initialized()
    spark_conf = SparkConf()
    for key, value in defaults.items():
        spark_conf.setIfMissing(key, value)
    for key, value in (conf or {}).items():
        spark_conf.set(key, value)
    if master:
        spark_conf.setMaster(master)
    spark_conf.setIfMissing("spark.master", "local[*,4]")
    return SparkSession.builder.config(conf=spark_conf).getOrCreate()


def read_passages(spark: "SparkSession", path: str) -> "DataFrame":
    """passage_id, text and language (null when the input has none) from Parquet at ``path``."""
    from pyspark.sql import functions as F

    frame = spark.read.parquet(path)
    missing = [c for c in ("passage_id", "text") if c not in frame.columns]
    if missing:
        raise ConfigError(f"Passages in {path} need columns passage_id and text; missing {', '.join(missing)} "
                          f"(found {', '.join(frame.columns)}). Rename the columns, or write the file with "
                          "`aptag export-passages -o FILE.parquet`.")
    language = F.col("language").cast("string") if "language" in frame.columns else F.lit(None).cast("string")
    return frame.select(F.col("passage_id").cast("string"), F.col("text").cast("string"), language.alias("language"))


def tag_partitions(ref: ModelRef, buckets: int, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: output rows (see the module docstring) for each Arrow batch."""
    from pyspark import SparkFiles

    local = replace(ref, path=SparkFiles.get(Path(ref.path).name + ".zip"))  # unpacked there by Spark
    for batch in batches:
        predictions, seen = tag_frames(batch, local)
        rows = pd.concat([
            predictions.assign(flags=None),
            seen.assign(item_id=None, score=np.nan, accepted=None, evidence=None),
        ], ignore_index=True)
        rows["accepted"] = rows["accepted"].astype("boolean")
        rows["bucket"] = bucket_of(rows["passage_id"], buckets)
        yield rows[OUTPUT_COLUMNS]


def tag_passages(passages: "DataFrame", ref: ModelRef, buckets: int = DEFAULT_BUCKETS) -> "DataFrame":
    """Output rows for ``passages``, one shuffle partition per bucket so each bucket is one file."""
    tagged = passages.mapInPandas(partial(tag_partitions, ref, buckets), OUTPUT_SCHEMA)
    return tagged.repartition(buckets, "bucket")


def model_archive(model_dir: str) -> Path:
    """``<model_dir>.zip``, made once: Spark ships a directory to executors only as an archive
    (``addFile`` takes local directories in local mode alone)."""
    import shutil

    archive = Path(f"{model_dir}.zip")
    if not archive.exists():
        tmp = shutil.make_archive(f"{model_dir}.tmp-{os.getpid()}", "zip", root_dir=model_dir)
        os.replace(tmp, archive)
    return archive


def run_job(spark: "SparkSession", input_path: str, output_path: str, ref: ModelRef, *,
            buckets: int = DEFAULT_BUCKETS) -> dict[str, Any]:
    """Tag the passages at ``input_path`` with ``ref`` into ``output_path``; the manifest written."""
    previous = _read_manifest(spark, output_path)
    if previous and (previous.get("model_id"), previous.get("buckets")) != (ref.model_id, buckets):
        raise ModelError(f"{output_path} holds predictions of model {previous.get('model_id')} in "
                         f"{previous.get('buckets')} buckets; this job writes {ref.model_id} in {buckets}. "
                         "Write to another --output directory, or delete this one.")
    _delete(spark, f"{output_path.rstrip('/')}/{MANIFEST}")  # until this run completes, the output is unfinished
    spark.sparkContext.addArchive(str(model_archive(ref.path)))
    rows = tag_passages(read_passages(spark, input_path), ref, buckets)
    (rows.write.mode("overwrite").option("partitionOverwriteMode", "dynamic")
     .partitionBy("bucket").parquet(output_path))
    counts = (spark.read.parquet(output_path).where(f"model_id = '{_sql_literal(ref.model_id)}'")
              .selectExpr("count_if(item_id IS NULL) AS passages", "count_if(item_id IS NOT NULL) AS predictions",
                          "count_if(accepted) AS tags").first())
    manifest = {"model_id": ref.model_id, "buckets": buckets, "input": input_path,
                "passages": counts["passages"], "predictions": counts["predictions"], "tags": counts["tags"]}
    _write_text(spark, f"{output_path.rstrip('/')}/{MANIFEST}", json.dumps(manifest, indent=1))
    return manifest


def tag_workspace_spark(ws: "Workspace", spec: "TaggerSpec", taxonomy: "Taxonomy", cfg: "TagConfig", *,
                        master: str | None = None, conf: dict[str, str] | None = None,
                        buckets: int = DEFAULT_BUCKETS) -> "TagSummary":
    """``aptag tag --engine spark``: export the passages ``spec`` has not tagged, tag them on Spark,
    import the predictions. The job's files stay under ``<workspace>/cache/spark/``."""
    import shutil
    import time

    from pipeline.scale.core import model_dir_name, prepare_model
    from pipeline.scale.exchange import export_passages, import_predictions
    from pipeline.tag import TagSummary

    started = time.perf_counter()
    summary = TagSummary(spec.model_id)
    work = ws.path / "cache" / "spark" / model_dir_name(spec.model_id)
    shutil.rmtree(work / "predictions", ignore_errors=True)  # counts below are this run's only
    todo = export_passages(ws, work / "passages.parquet", untagged_by=spec.model_id)
    summary.skipped = ws.con.execute("SELECT count(*) FROM passages").fetchone()[0] - todo
    if todo:
        spark = spark_session(master, conf)
        try:
            ref = prepare_model(spec, taxonomy, cfg, ws.path / "cache" / "models",
                                threads=int(spark.conf.get("spark.task.cpus", "1")))
            run_job(spark, str(work / "passages.parquet"), str(work / "predictions"), ref, buckets=buckets)
        finally:
            spark.stop()
        imported = import_predictions(ws, work / "predictions")
        summary.tagged, summary.tags, summary.candidates = imported.passages, imported.tags, imported.predictions
        summary.flagged = imported.flagged
    ws.set_setting("current_model", spec.model_id)
    summary.seconds = time.perf_counter() - started
    return summary


def _sql_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


# Files beside the output go through Hadoop's FileSystem, so hdfs:// and s3a:// outputs work too.
def _hadoop_path(spark: "SparkSession", path: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hpath


def _read_manifest(spark: "SparkSession", output_path: str) -> dict[str, Any] | None:
    fs, path = _hadoop_path(spark, f"{output_path.rstrip('/')}/{MANIFEST}")
    if not fs.exists(path):
        return None
    stream = fs.open(path)
    try:
        text = spark.sparkContext._jvm.org.apache.commons.io.IOUtils.toString(stream, "UTF-8")
    finally:
        stream.close()
    return json.loads(text)


def _write_text(spark: "SparkSession", path: str, text: str) -> None:
    fs, hpath = _hadoop_path(spark, path)
    stream = fs.create(hpath, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def _delete(spark: "SparkSession", path: str) -> None:
    fs, hpath = _hadoop_path(spark, path)
    fs.delete(hpath, False)


def main(argv: list[str] | None = None) -> int:
    """``spark-submit pipeline/scale/spark.py --input ... --output ... --model ...``"""
    import argparse
    import tempfile

    from pipeline.config import load_config, project_path
    from pipeline.errors import AptagError
    from pipeline.scale.core import prepare_model
    from pipeline.tag import tagger_spec
    from pipeline.taxonomy import load_taxonomy

    parser = argparse.ArgumentParser(
        prog="spark-submit pipeline/scale/spark.py",
        description="Tag passages (Parquet: passage_id, text, language) with an aptag model into partitioned "
                    "Parquet predictions; load them with `aptag import-predictions DIR`.",
        epilog="Example: spark-submit --master spark://127.0.0.1:7077 pipeline/scale/spark.py "
               "--input passages.parquet --output predictions/ --model ensemble.v1")
    parser.add_argument("--input", required=True, help="Parquet file or directory of passages.")
    parser.add_argument("--output", required=True, help="Directory for the predictions (one per model and input).")
    parser.add_argument("--model", default=None, help="Tagger name or model directory (default: tag.model).")
    parser.add_argument("--taxonomy", default=None, help="Taxonomy YAML (default: tag.taxonomy).")
    parser.add_argument("--config", default=None, help="Pipeline config (default: configs/pipeline.yaml).")
    parser.add_argument("--set", dest="overrides", action="append", default=[], help="Override, e.g. tag.threshold=0.4.")
    parser.add_argument("--buckets", type=int, default=DEFAULT_BUCKETS, help="Output partitions (keep it per directory).")
    parser.add_argument("--master", default=None, help="Spark master when not run through spark-submit.")
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides).tag
        taxonomy = load_taxonomy(args.taxonomy or project_path(cfg.taxonomy))
        spec = tagger_spec(args.model, cfg, taxonomy)
        spark = spark_session(args.master)
        try:
            with tempfile.TemporaryDirectory(prefix="aptag-model-") as tmp:
                ref = prepare_model(spec, taxonomy, cfg, tmp, threads=int(spark.conf.get("spark.task.cpus", "1")))
                manifest = run_job(spark, args.input, args.output, ref, buckets=args.buckets)
        finally:
            spark.stop()
    except AptagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    # Run the imported module's main, so the functions shipped to executors are pickled by
    # reference to pipeline.scale.spark rather than by value from __main__.
    from pipeline.scale.spark import main as _main

    sys.exit(_main())
