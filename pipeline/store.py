"""The workspace: one DuckDB database holding documents, passages, predictions and annotations.

A workspace is a directory (default ``./workspace``, or ``--workspace`` / ``APTAG_WORKSPACE``)
holding ``aptag.duckdb`` and, beside it, the MLflow store and caches. IDs are content hashes, so
writing the same rows twice changes nothing. Every multi-row write happens in one transaction:
a run killed half-way leaves the database as it was before that write.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from pipeline.errors import WorkspaceError

DB_NAME = "aptag.duckdb"
DEFAULT_WORKSPACE = "workspace"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,       -- sha256 of the file bytes (first 16 hex), or of path+error for failures
    source_path VARCHAR NOT NULL,
    sha256 VARCHAR,
    format VARCHAR,
    doc_type VARCHAR,                 -- minutes | demarche | report | statement | other | unknown
    country VARCHAR,
    country_code VARCHAR,             -- ISO 3166-1 alpha-3 of country (NULL outside ISO 3166, e.g. a fictional partner)
    date DATE,
    language VARCHAR,                 -- en | fr | other | unknown
    title VARCHAR,
    n_pages INTEGER,
    ingested_at TIMESTAMP,
    status VARCHAR NOT NULL,          -- ok | failed
    error VARCHAR,
    parent_doc_id VARCHAR,            -- e-mail attachments point to their message
    text VARCHAR                      -- the extracted text that passage offsets refer to
);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS country_code VARCHAR;  -- workspaces made before it
CREATE TABLE IF NOT EXISTS passages (
    passage_id VARCHAR PRIMARY KEY,   -- hash of doc_id + char_start + char_end
    doc_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    page INTEGER,
    heading VARCHAR,
    language VARCHAR
);
CREATE TABLE IF NOT EXISTS predictions (
    passage_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    score DOUBLE NOT NULL,
    model_id VARCHAR NOT NULL,
    accepted BOOLEAN NOT NULL,        -- score at or above the model's threshold for the item
    evidence JSON,                    -- {"start": int, "end": int, "sentence": str, "terms": [...]}
    PRIMARY KEY (passage_id, item_id, model_id)
);
CREATE TABLE IF NOT EXISTS tagged (
    passage_id VARCHAR NOT NULL,      -- a passage the model has seen, with or without tags
    model_id VARCHAR NOT NULL,
    tagged_at TIMESTAMP,
    flags VARCHAR,                    -- e.g. "empty", "language:de"
    PRIMARY KEY (passage_id, model_id)
);
CREATE TABLE IF NOT EXISTS annotations (
    passage_id VARCHAR NOT NULL,
    item_id VARCHAR NOT NULL,
    value INTEGER NOT NULL,           -- 1 accepted, 0 rejected
    annotator VARCHAR,
    "at" TIMESTAMP,                   -- quoted: AT is a reserved word in DuckDB 2
    source VARCHAR
);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    command VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,
    details JSON
);
CREATE TABLE IF NOT EXISTS settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE TABLE IF NOT EXISTS names (
    name VARCHAR PRIMARY KEY,         -- a person whom exports must redact (aptag names add)
    note VARCHAR,
    added_at TIMESTAMP
);
"""


def resolve_workspace(path: str | os.PathLike | None = None) -> Path:
    """The workspace directory: the argument, else ``$APTAG_WORKSPACE``, else ``./workspace``."""
    return Path(path or os.environ.get("APTAG_WORKSPACE") or DEFAULT_WORKSPACE)


def content_id(*parts: object, length: int = 16) -> str:
    """A stable hex ID from the given parts (joined with a separator that cannot occur in text)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def text_hash(text: str) -> str:
    """Hash of a passage text, the key of the embedding cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _open_hint(message: str) -> str:
    """What to do about a database that would not open, from DuckDB's message."""
    low = message.lower()
    if "lock" in low:
        return "Another aptag command may be writing to it; wait for it to finish."
    if "not a valid duckdb database" in low or ("invalid" in low and "file" in low):
        return "It is not an aptag workspace database (another file, or damaged): use another --workspace."
    if "read-only" in low or "permission" in low:
        return "The folder cannot be written here: use a writable --workspace, or a command that only reads."
    return "Check the path and its permissions."


class Workspace:
    """An open workspace. Use as a context manager; writes go through :meth:`transaction`."""

    def __init__(self, path: str | os.PathLike | None = None, *, create: bool = True, read_only: bool = False):
        self.path = resolve_workspace(path)
        db = self.path / DB_NAME
        if self.path.exists() and not self.path.is_dir():
            raise WorkspaceError(f"The workspace {self.path} is a file, not a folder. Pass --workspace DIR "
                                 "(a folder; it is created if missing).")
        if not db.exists():
            if not create:
                raise WorkspaceError(
                    f"No workspace at {self.path}: expected {db}. "
                    "Run `aptag ingest PATH...` first, or pass --workspace DIR."
                )
            self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(db), read_only=read_only and db.exists())
        except (duckdb.IOException, duckdb.InvalidInputException, duckdb.SerializationException) as exc:
            raise WorkspaceError(f"Cannot open the workspace database {db}: {exc}. {_open_hint(str(exc))}") from exc
        if not read_only:
            self.con.execute(SCHEMA)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All writes inside commit together or not at all."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def table(self, name: str, where: str = "", params: list | None = None) -> pd.DataFrame:
        """A whole table (or a filtered part of it) as a DataFrame."""
        sql = f"SELECT * FROM {name}" + (f" WHERE {where}" if where else "")
        return self.con.execute(sql, params or []).df()

    def insert_df(self, table: str, df: pd.DataFrame, *, replace: bool = False) -> int:
        """Insert the rows of ``df`` (columns named as in the table); existing keys are kept unless
        ``replace``. A table without a key (annotations keeps its history) takes every row.
        Returns the number of rows given."""
        if df.empty:
            return 0
        cols = ", ".join(f'"{c}"' for c in df.columns)  # quoted: some names (at) are reserved words
        keyed = self.con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [table]).fetchall()[0][0]
        verb = ("INSERT OR REPLACE" if replace else "INSERT OR IGNORE") if keyed else "INSERT"
        self.con.register("_incoming", df)
        try:
            self.con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")
        return len(df)

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        rows = self.con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [key, value])
