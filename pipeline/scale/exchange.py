"""Passages out of the workspace as Parquet, and a Spark job's predictions back in.

``export_passages`` streams the passages table (optionally only those a model has not tagged)
into one Parquet file with small row groups, so Spark can split even a small file into several
tasks. ``import_predictions`` loads the partitioned output of ``pipeline/scale/spark.py``: the
candidates into ``predictions`` and one ``tagged`` row per passage, keyed like ``aptag tag``
writes them, so importing twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import WorkspaceError
from pipeline.store import Workspace

MANIFEST = "_aptag.json"  # the same name pipeline.scale.spark writes (that module needs pyspark)


@dataclass
class ImportSummary:
    model_id: str
    passages: int = 0     # passages marked as tagged by the model
    predictions: int = 0  # candidate rows stored
    tags: int = 0         # of which accepted
    skipped: int = 0      # passages in the output that this workspace does not hold
    flagged: dict[str, int] = field(default_factory=dict)


def export_passages(ws: Workspace, path: str | Path, *, untagged_by: str | None = None,
                    row_group_size: int = 1000) -> int:
    """Write the workspace's passages (passage_id, doc_id, seq, text, language) to ``path``;
    with ``untagged_by``, only those that model has not tagged. Returns the number written."""
    import pyarrow.parquet as pq

    sql = "SELECT passage_id, doc_id, seq, text, language FROM passages p"
    params: list[str] = []
    if untagged_by:
        sql += " WHERE NOT EXISTS (SELECT 1 FROM tagged t WHERE t.passage_id = p.passage_id AND t.model_id = ?)"
        params.append(untagged_by)
    reader = ws.con.sql(sql + " ORDER BY doc_id, seq", params=params).to_arrow_reader(row_group_size)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    written = 0
    with pq.ParquetWriter(tmp, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch, row_group_size=row_group_size)
            written += batch.num_rows
    tmp.replace(path)
    return written


def read_manifest(path: str | Path) -> dict:
    """The manifest of a finished Spark job's output directory, or a WorkspaceError saying why not."""
    manifest = Path(path) / MANIFEST
    if not Path(path).is_dir():
        raise WorkspaceError(f"{path} is not a directory; expected the --output directory of a Spark tagging job.")
    if not manifest.exists():
        raise WorkspaceError(
            f"{path} has no {MANIFEST}: the Spark job writing it did not finish, or this is not its output. "
            "Run the job again with the same --input and --output; it overwrites by bucket, so nothing is duplicated.")
    return json.loads(manifest.read_text(encoding="utf-8"))


def import_predictions(ws: Workspace, path: str | Path) -> ImportSummary:
    """Load the output of a finished Spark tagging job into ``ws`` (one transaction)."""
    manifest = read_manifest(path)
    summary = ImportSummary(manifest["model_id"])
    files = str(Path(path) / "bucket=*" / "*.parquet")
    con = ws.con
    if not list(Path(path).glob("bucket=*/*.parquet")):
        ws.set_setting("current_model", summary.model_id)
        return summary
    con.execute("CREATE OR REPLACE TEMP VIEW _spark_rows AS SELECT passage_id, item_id, score, accepted, evidence, "
                f"model_id, flags FROM read_parquet({_literal(files)}, hive_partitioning = true) "
                f"WHERE model_id = {_literal(summary.model_id)}")  # views take no parameters
    try:
        dup = con.execute("SELECT passage_id, item_id FROM _spark_rows GROUP BY ALL HAVING count(*) > 1 LIMIT 1").fetchone()
        if dup:
            raise WorkspaceError(
                f"{path} holds passage {dup[0]} item {dup[1]} more than once: files from different runs are mixed "
                "in it (was --buckets changed?). Delete the directory and run the Spark job again.")
        summary.skipped = con.execute(
            "SELECT count(*) FROM _spark_rows r WHERE item_id IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.passage_id = r.passage_id)").fetchone()[0]
        now = datetime.now(timezone.utc).replace(tzinfo=None)  # naive UTC, as `aptag tag` stores it
        known = "FROM _spark_rows r WHERE EXISTS (SELECT 1 FROM passages p WHERE p.passage_id = r.passage_id)"
        with ws.transaction():
            con.execute("INSERT OR REPLACE INTO predictions (passage_id, item_id, score, model_id, accepted, evidence) "
                        f"SELECT passage_id, item_id, score, model_id, accepted, evidence {known} AND item_id IS NOT NULL")
            con.execute("INSERT OR REPLACE INTO tagged (passage_id, model_id, tagged_at, flags) "
                        f"SELECT passage_id, model_id, ?, flags {known} AND item_id IS NULL", [now])
            summary.passages, summary.predictions, summary.tags = con.execute(
                f"SELECT count_if(item_id IS NULL), count_if(item_id IS NOT NULL), count_if(accepted) {known}").fetchone()
            summary.flagged = dict(con.execute(
                f"SELECT flags, count(*) {known} AND item_id IS NULL AND flags IS NOT NULL GROUP BY flags").fetchall())
            ws.set_setting("current_model", summary.model_id)
    finally:
        con.execute("DROP VIEW IF EXISTS _spark_rows")
    return summary


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
