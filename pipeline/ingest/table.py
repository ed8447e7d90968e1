"""Tabular ingest: each row of a CSV, JSONL or Parquet table (an export of a database of
recommendations, a document register) becomes a document, its text column split into passages.

A row's document id is the hash of the table's path, the row's id and its text and metadata, so a
re-run changes nothing, an edited row becomes a new version of the same source
(``<table>#<row id>``; the older one is kept as superseded) and the rows of two tables never
collide. Metadata comes from the named columns (``--country-column`` ...) and is checked like
``--country`` on the command line; what a row does not say is detected from its text. A bad row
(no text, an unreadable date, a line that is not JSON) is recorded as failed with its file and row
number, and the rest of the table goes on. The rows are read as a stream (Parquet by record
batch), so a table larger than memory is fine; the writes are batched like files'.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pandas as pd

from pipeline.config import IngestConfig, SegmentConfig
from pipeline.errors import AptagError, IngestError
from pipeline.ingest.batch import (FileResult, Writer, account, document_row, path_text, record_failure,
                                   source_of)
from pipeline.ingest.metadata import FIELDS, UNKNOWN, detect_metadata, validate_overrides
from pipeline.segment import segment_document

_YEAR_OR_MONTH = re.compile(r"\d{4}(-\d{2})?")
FORMATS = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class TableColumns:
    """Which column holds what; only ``text`` is required."""
    text: str
    id: str | None = None
    country: str | None = None
    date: str | None = None
    doc_type: str | None = None
    language: str | None = None
    title: str | None = None

    def metadata(self) -> dict[str, str]:
        """Document field -> column, for the metadata columns given."""
        return {f: c for f in FIELDS if (c := getattr(self, f)) is not None}

    def named(self) -> list[str]:
        return [c for c in (self.text, self.id, *self.metadata().values()) if c is not None]


def is_table(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def read_rows(path: Path, max_cell_mb: float) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(row number from 1, the row as a dict, or why it cannot be read) for each row of ``path``."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(f"{path_text(path)}: not a table; tabular ingest reads {', '.join(FORMATS)} files.")
    try:
        if fmt == "csv":
            csv.field_size_limit(min(sys.maxsize, int(max_cell_mb * 1024 * 1024)))
            with open(path, encoding="utf-8-sig", newline="") as f:
                reader = csv.DictReader(f, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
                try:
                    for n, row in enumerate(reader, 1):
                        yield n, ({k: v for k, v in row.items() if k is not None} if None not in row
                                  else f"more cells than the {len(reader.fieldnames or [])} columns of the header")
                except csv.Error as exc:
                    yield reader.line_num, f"not valid CSV from here on ({exc})"
        elif fmt == "jsonl":
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                    except ValueError as exc:
                        yield n, f"not valid JSON ({exc})"
                        continue
                    yield n, row if isinstance(row, dict) else f"a JSON {type(row).__name__}, not an object"
        else:
            import pyarrow.parquet as pq

            n = 0
            for batch in pq.ParquetFile(path).iter_batches(batch_size=2048):
                for row in batch.to_pylist():
                    n += 1
                    yield n, row
    except FileNotFoundError:
        raise IngestError(f"{path_text(path)}: file not found.") from None
    except PermissionError:
        raise IngestError(f"{path_text(path)}: permission denied; make the file readable and ingest it again.") from None
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path_text(path)}: not UTF-8 text (byte {exc.start}); save the table as UTF-8.") from None
    except OSError as exc:
        raise IngestError(f"{path_text(path)}: cannot be read ({exc}).") from None
    except Exception as exc:  # pyarrow's errors for a file that is not Parquet
        raise IngestError(f"{path_text(path)}: not a readable {fmt} table ({type(exc).__name__}: {exc}).") from None


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return value.strip() or None
    return value


def row_document(row: dict[str, Any], n: int, path: Path, source: str, columns: TableColumns,
                 overrides: dict[str, Any], segment_cfg: SegmentConfig) -> tuple[dict, list[dict], str]:
    """(document row, passage rows, the row's id) for one table row; IngestError names what is wrong."""
    missing = [c for c in (columns.text, columns.id) if c is not None and c not in row]
    if missing:
        raise IngestError(f"has no column {', '.join(map(repr, missing))} (it has {', '.join(map(repr, row))})")
    text = _cell(row[columns.text])
    row_id = str(n) if columns.id is None else _cell(row[columns.id])
    if row_id is None:
        raise IngestError(f"the id column {columns.id!r} is empty")
    row_id = str(row_id)
    if not isinstance(text, str):
        raise IngestError(f"the text column {columns.text!r} is empty" if text is None
                          else f"the text column {columns.text!r} holds a {type(text).__name__}, not text")
    user: dict[str, Any] = {}
    for field, column in columns.metadata().items():
        value = _cell(row.get(column))
        if value is None:
            continue
        value = value.isoformat()[:10] if isinstance(value, (dt.date, dt.datetime)) else str(value)
        if field == "date" and _YEAR_OR_MONTH.fullmatch(value):  # a year (2008) or month (2008-05) column
            value = (value + "-01-01")[:10]
        user.update(validate_overrides({field: value}, f"column {column!r}"))
    user.update(overrides)
    meta = detect_metadata(text, [], {}, f"{path.name} {row_id}", known=user)
    if "title" not in user:
        meta["title"] = f"{path.name} #{row_id}"
    meta.update(user)
    identity = json.dumps([source, row_id, text, {k: str(meta[k]) for k in FIELDS}], ensure_ascii=False)
    sha = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    doc = document_row(sha[:16], f"{source}#{row_id}", sha, f"table:{FORMATS[path.suffix.lower()]}", meta, text)
    language = meta["language"] if meta["language"] != UNKNOWN else "en"
    return doc, segment_document(doc["doc_id"], text, language, segment_cfg), row_id


def ingest_table(path: Path, ws, columns: TableColumns, ingest_cfg: IngestConfig, segment_cfg: SegmentConfig,
                 overrides: dict[str, Any] | None = None,
                 on_result: Callable[[FileResult], None] | None = None) -> pd.DataFrame:
    """Ingest the rows of ``path`` into ``ws``; one summary row (SUMMARY_COLUMNS) per table row, with
    ``path`` as ``<table>#<row id>`` (``<table>:<row number>`` for a row that could not be read)."""
    overrides = overrides or {}
    source, shown = source_of(path), path_text(path)
    known = dict(ws.con.execute("SELECT source_path, doc_id FROM documents WHERE status = 'ok' "
                                "AND starts_with(source_path, ?)", [source + "#"]).fetchall())
    known_ids = set(known.values())
    known_failed = {r[0] for r in ws.con.execute("SELECT doc_id FROM documents WHERE status = 'failed'").fetchall()}
    writer = Writer(ws)

    def results() -> Iterator[FileResult]:
        first = True
        for n, row in read_rows(path, ingest_cfg.max_file_mb):
            if first and isinstance(row, dict) and path.suffix.lower() not in (".jsonl", ".ndjson"):
                absent = [c for c in columns.named() if c not in row]  # a table's header names every row's cells
                if absent:
                    raise IngestError(f"{shown} has no column {', '.join(map(repr, absent))} (it has "
                                      f"{', '.join(map(repr, row))}); name the columns with --text-column and "
                                      "the other --*-column options.")
            first = False
            if isinstance(row, str):
                yield record_failure(f"{shown}:{n}", f"{source}:{n}", f"{shown}, row {n}: {row}; the row is skipped.",
                              None, known_failed, writer)
                continue
            try:
                doc, passages, row_id = row_document(row, n, path, source, columns, overrides, segment_cfg)
            except (IngestError, AptagError) as exc:
                yield record_failure(f"{shown}:{n}", f"{source}:{n}", f"{shown}, row {n}: {str(exc).rstrip('.')}; the row is skipped.",
                              None, known_failed, writer)
                continue
            shown_row = f"{shown}#{row_id}"
            if doc["doc_id"] in known_ids:
                seen = "already ingested" if known.get(doc["source_path"]) == doc["doc_id"] else \
                    "the same id, text and metadata as an earlier row"
                yield FileResult(shown_row, "unchanged", doc["doc_id"], notes=[seen])
                continue
            writer.add([doc], passages, (doc["source_path"], doc["doc_id"]))
            known_ids.add(doc["doc_id"])
            notes = ["new version of the row"] if doc["source_path"] in known else []
            yield FileResult(shown_row, "ingested", doc["doc_id"], doc["format"], len(passages),
                             {k: doc[k] for k in FIELDS}, notes=notes)

    return account(results(), writer, on_result)
