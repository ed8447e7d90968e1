"""Ingest files into the workspace: read, detect metadata, segment, store. Every input is accounted for.

The ingest stage is the one place that reads user files (the CLI only collects paths), because
what can go wrong with a file (too big, gone, unreadable) is part of ingesting it.

IDs are content hashes: a document's ID is the SHA-256 of its bytes, so a file already in the
workspace is "unchanged" and adds nothing (only metadata the user now sets is updated); an edited
file is a new document, and the older version is kept with status "superseded". A file that cannot be read is stored with status "failed" and
the reason, under an ID made from its path and the error.

Writes: each document goes in with all its passages (and an e-mail with its attachments) inside
one transaction. Documents are committed in small batches, since a commit costs ~20 ms and
10,000 one-file transactions would take minutes; a run killed mid-way loses at most the
uncommitted batch, and the next run, finding those files absent, ingests them.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
import yaml

from pipeline.config import IngestConfig, SegmentConfig
from pipeline.errors import IngestError
from pipeline.ingest.countries import country_code
from pipeline.ingest import detect_format, read_document
from pipeline.ingest.common import Extracted, assemble
from pipeline.ingest.metadata import FIELDS, UNKNOWN, detect_metadata, validate_overrides
from pipeline.segment import segment_document
from pipeline.store import Workspace, content_id

SIDECAR_SUFFIXES = (".meta.yaml", ".meta.yml")
MAX_ATTACHMENT_DEPTH = 3
BATCH_DOCS = 200
BATCH_SECONDS = 1.0
SUMMARY_COLUMNS = ["path", "status", "doc_id", "format", "n_passages", "doc_type", "country", "date", "language",
                   "title", "error", "notes"]
_MB = 1024 * 1024


@dataclass
class FileResult:
    path: str
    status: str  # ingested | unchanged | failed
    doc_id: str | None = None
    format: str | None = None
    n_passages: int = 0
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status, "doc_id": self.doc_id, "format": self.format,
                "n_passages": self.n_passages, **{k: self.meta.get(k) for k in FIELDS}, "error": self.error,
                "notes": "; ".join(self.notes) or None}


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIXES)


def find_inputs(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files to ingest: given files as they are, folders walked recursively (hidden entries and
    metadata sidecars skipped). A path that does not exist, or a symlink loop, is kept, so that it is
    reported with the rest of the batch."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files) if not f.startswith(".") and not is_sidecar(Path(f)))
        else:
            found.append(path)
    seen: set[str] = set()
    unique = []
    for path in found:
        key = source_of(path)  # a symlink loop is kept, so that reading it reports it
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``<file>.meta.yaml`` beside the file, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_name(path.name + suffix)
        if sidecar.is_file():
            try:
                data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise IngestError(f"{sidecar}: not valid YAML ({exc}). Fix it or remove it.") from exc
            if not isinstance(data, dict):
                raise IngestError(f"{sidecar}: expected a mapping of {', '.join(FIELDS)}, found {type(data).__name__}.")
            return validate_overrides(data, str(sidecar))
    return {}


class Writer:
    """Collects finished documents and commits them in batches; see the module docstring."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.docs: list[dict] = []
        self.passages: list[dict] = []
        self.current: list[tuple[str, str]] = []  # (source_path, doc_id) that are now the live version
        self.updates: list[tuple[str, dict[str, Any]]] = []  # (doc_id, metadata the user changed)
        self.unstored: dict[str, str] = {}  # doc_id -> why a read document could not be stored
        self.since = time.monotonic()

    def add(self, docs: list[dict], passages: list[dict], current: tuple[str, str] | None) -> None:
        if not self.docs:
            self.since = time.monotonic()
        self.docs.extend(docs)
        self.passages.extend(passages)
        if current:
            self.current.append(current)
        if len(self.docs) >= BATCH_DOCS or time.monotonic() - self.since >= BATCH_SECONDS:
            self.flush()

    def update(self, doc_id: str, fields: dict[str, Any]) -> None:
        self.updates.append((doc_id, fields))

    def flush(self) -> None:
        """Commit what was collected. When the batch cannot be stored, each document is tried alone
        (with its passages), so that one bad row costs only its own document: that one is recorded
        as failed with the reason and listed in :attr:`unstored`."""
        if not self.docs and not self.current and not self.updates:
            return
        docs, passages, current, updates = self.docs, self.passages, self.current, self.updates
        self.docs, self.passages, self.current, self.updates = [], [], [], []
        try:
            self._commit(docs, passages, current, updates)
        except Exception:  # noqa: BLE001 - any failure of the batch: retry what can be stored, one by one
            self._commit_each(docs, passages, current, updates)

    def _commit_each(self, docs: list[dict], passages: list[dict], current: list[tuple[str, str]],
                     updates: list[tuple[str, dict[str, Any]]]) -> None:
        of_doc: dict[str, list[dict]] = {}
        for p in passages:
            of_doc.setdefault(p["doc_id"], []).append(p)
        # an e-mail and its attachments go in together, as in a batch
        family: dict[str, list[dict]] = {}
        for d in docs:
            family.setdefault(d.get("parent_doc_id") or d["doc_id"], []).append(d)
        for members in family.values():
            ids = {d["doc_id"] for d in members}
            try:
                self._commit(members, [p for i in ids for p in of_doc.get(i, [])],
                             [c for c in current if c[1] in ids], [u for u in updates if u[0] in ids])
            except Exception as exc:  # noqa: BLE001 - reported as the document's failure
                reason = f"could not be stored in the workspace ({type(exc).__name__}: {str(exc)[:300]})"
                for d in members:
                    self.unstored[d["doc_id"]] = reason
                self._store_failure(members[0], reason)
        in_docs = {d["doc_id"] for d in docs}
        rest = [c for c in current if c[1] not in in_docs]
        rest_updates = [u for u in updates if u[0] not in in_docs]
        if rest or rest_updates:
            try:
                self._commit([], [], rest, rest_updates)
            except Exception as exc:  # noqa: BLE001
                for _, doc_id in rest:
                    self.unstored[doc_id] = f"its new metadata could not be stored ({type(exc).__name__}: {exc})"

    def _store_failure(self, doc: dict, reason: str) -> None:
        row = {**_failure_row(doc["source_path"], reason, None, None), "sha256": doc.get("sha256")}
        try:
            self._commit([row], [], [], [])
        except Exception:  # noqa: BLE001 - nothing more can be stored; the summary still says why
            pass

    def _commit(self, docs: list[dict], passages: list[dict], current: list[tuple[str, str]],
                updates: list[tuple[str, dict[str, Any]]]) -> None:
        with self.ws.transaction() as con:
            if docs:
                frame = pd.DataFrame(docs)
                if "country" in frame:
                    frame["country_code"] = frame["country"].map(country_code)
                self.ws.insert_df("documents", frame)
            if passages:
                self.ws.insert_df("passages", pd.DataFrame(passages))
            if current:
                con.register("_current", pd.DataFrame(current, columns=["source_path", "doc_id"]))
                try:
                    # an edited file: the older version stays, marked superseded; old failures of the path go
                    con.execute("UPDATE documents SET status = 'superseded' FROM _current c "
                                "WHERE documents.source_path = c.source_path AND documents.doc_id <> c.doc_id "
                                "AND documents.status = 'ok'")
                    con.execute("UPDATE documents SET status = 'ok' FROM _current c "
                                "WHERE documents.doc_id = c.doc_id AND documents.status = 'superseded'")
                    con.execute("DELETE FROM documents USING _current c "
                                "WHERE documents.source_path = c.source_path AND documents.status = 'failed'")
                finally:
                    con.unregister("_current")
            for doc_id, fields in updates:
                if "country" in fields:
                    fields = {**fields, "country_code": country_code(fields["country"])}
                con.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in fields)} WHERE doc_id = ?",
                            [*fields.values(), doc_id])


def ingest_files(files: list[Path], ws: Workspace, ingest_cfg: IngestConfig, segment_cfg: SegmentConfig,
                 overrides: dict[str, Any] | None = None,
                 on_result: Callable[[FileResult], None] | None = None) -> pd.DataFrame:
    """Ingest ``files`` into ``ws``; one summary row per file (SUMMARY_COLUMNS).

    ``overrides`` (already validated, see :func:`validate_overrides`) beat a sidecar, which beats
    detection. ``on_result`` is called after each file (progress bars).
    """
    overrides = overrides or {}
    known = {doc_id: (source, status) for doc_id, source, status in
             ws.con.execute("SELECT doc_id, source_path, status FROM documents WHERE status <> 'failed'").fetchall()}
    known_failed = {row[0] for row in ws.con.execute("SELECT doc_id FROM documents WHERE status = 'failed'").fetchall()}
    writer = Writer(ws)
    return account((_ingest_one(path, ingest_cfg, segment_cfg, overrides, known, known_failed, writer)
                    for path in files), writer, on_result)


def account(results: Iterable[FileResult], writer: Writer,
            on_result: Callable[[FileResult], None] | None = None) -> pd.DataFrame:
    """Drain ``results`` (each input's outcome, as it is read), calling ``on_result`` after each; what
    was read is committed even when the run stops half-way. One summary row per input."""
    done: list[FileResult] = []
    try:
        for result in results:
            done.append(result)
            if on_result:
                on_result(result)
    finally:
        writer.flush()
    for r in done:  # a document read but not stored is a failure like any other
        if r.doc_id in writer.unstored and r.status != "failed":
            r.status, r.error = "failed", writer.unstored[r.doc_id]
    return pd.DataFrame([r.row() for r in done], columns=SUMMARY_COLUMNS)


def path_text(path: Path | str) -> str:
    """A file name as storable, printable text: bytes that are not UTF-8 (``caf\\xe9.txt`` from an old
    zip archive) are shown escaped instead of breaking the database write of the whole batch."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def source_of(path: Path) -> str:
    """The absolute path stored as a document's source (a symlink loop keeps its own name)."""
    try:
        return path_text(path.resolve())
    except (RuntimeError, OSError):
        return path_text(os.path.abspath(path))


def _ingest_one(path: Path, ingest_cfg: IngestConfig, segment_cfg: SegmentConfig, overrides: dict[str, Any],
                known: dict[str, tuple[str, str]], known_failed: set[str], writer: Writer) -> FileResult:
    source = source_of(path)
    shown = path_text(path)
    data: bytes | None = None
    try:
        data = _read_bytes(path, ingest_cfg)
        sha = hashlib.sha256(data).hexdigest()
        doc_id = sha[:16]
        user = {**read_sidecar(path), **overrides}
        if doc_id in known:
            first_source, status = known[doc_id]
            if first_source != source:
                return FileResult(shown, "unchanged", doc_id, notes=[f"same content as {first_source}"])
            notes = _apply_user_metadata(doc_id, user, writer)
            if status == "superseded":  # the file was put back to an older version
                writer.add([], [], (source, doc_id))
                known[doc_id] = (source, "ok")
                notes.append("older version restored as the current one")
            return FileResult(shown, "unchanged", doc_id, notes=notes)
        extracted = read_document(data, shown, ingest_cfg)
        docs, passages = _build(extracted, data, sha, source, shown, None, user, ingest_cfg, segment_cfg, 0)
    except IngestError as exc:
        return record_failure(shown, source, str(exc), data, known_failed, writer)
    except Exception as exc:  # a reader bug must not stop the batch; say which file and what happened
        return record_failure(shown, source, f"{shown}: unexpected error while reading ({type(exc).__name__}: {exc}). "
                       "Please report it with the file.", data, known_failed, writer)
    writer.add(docs, passages, (source, doc_id))
    for doc in docs:
        if doc["status"] == "ok":
            known[doc["doc_id"]] = (doc["source_path"], "ok")
    main = docs[0]
    notes = list(extracted.notes)
    attached = len(docs) - 1
    if attached:
        failed = sum(1 for d in docs[1:] if d["status"] == "failed")
        notes.append(f"{attached} attachment(s) as documents" + (f", {failed} failed" if failed else ""))
    return FileResult(shown, "ingested", doc_id, main["format"], sum(1 for p in passages if p["doc_id"] == doc_id),
                      {k: main[k] for k in FIELDS}, notes=notes)


def _apply_user_metadata(doc_id: str, user: dict[str, Any], writer: Writer) -> list[str]:
    """A re-run with new --country/--date... or an edited sidecar updates a stored document's metadata."""
    if not user:
        return []
    row = writer.ws.con.execute(f"SELECT {', '.join(user)} FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    changed = {k: v for k, v, old in zip(user, user.values(), row or ()) if v != old}
    if not changed:
        return []
    writer.update(doc_id, changed)
    return [f"metadata updated: {', '.join(changed)}"]


def _read_bytes(path: Path, cfg: IngestConfig) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IngestError(f"{path}: a folder where a file was expected.")
        if size > cfg.max_file_mb * _MB:
            raise IngestError(f"{path}: {size / _MB:,.1f} MB, over the limit of {cfg.max_file_mb:g} MB "
                              "(ingest.max_file_mb). Split the file, or raise the limit with "
                              "--set ingest.max_file_mb=N.")
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(f"{path}: file not found (it may have been moved or deleted during the run).") from None
    except PermissionError:
        raise IngestError(f"{path}: permission denied; make the file readable and ingest it again.") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: a folder where a file was expected.") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError(f"{path_text(path)}: a symbolic link that loops back on itself; remove or fix "
                              "the link.") from None
        raise IngestError(f"{path_text(path)}: cannot be read ({exc.strerror}).") from None


def record_failure(shown: str, source: str, error: str, data: bytes | None, known_failed: set[str], writer: Writer,
                   parent: str | None = None) -> FileResult:
    """An input that could not be read: stored once as a failed document with the reason (table rows too)."""
    row = _failure_row(source, error, data, parent)
    if row["doc_id"] not in known_failed:
        known_failed.add(row["doc_id"])
        writer.add([row], [], None)
    return FileResult(shown, "failed", row["doc_id"], error=error)


def _failure_row(source: str, error: str, data: bytes | None, parent: str | None) -> dict[str, Any]:
    return {"doc_id": content_id(source, error), "source_path": source,
            "sha256": hashlib.sha256(data).hexdigest() if data is not None else None,
            "ingested_at": dt.datetime.now(), "status": "failed", "error": error, "parent_doc_id": parent}


def document_row(doc_id: str, source: str, sha: str, fmt: str, meta: dict[str, Any], text: str,
                 n_pages: int | None = None, parent: str | None = None) -> dict[str, Any]:
    """The ``documents`` row of a document read successfully (files, attachments, table rows)."""
    return {"doc_id": doc_id, "source_path": source, "sha256": sha, "format": fmt,
            **{k: (None if k == "date" and meta[k] is None else meta[k]) for k in FIELDS},
            "n_pages": n_pages, "ingested_at": dt.datetime.now(), "status": "ok", "error": None,
            "parent_doc_id": parent, "text": text}


def _build(extracted: Extracted, data: bytes, sha: str, source: str, shown: str, parent: str | None,
           user: dict[str, Any], ingest_cfg: IngestConfig, segment_cfg: SegmentConfig,
           depth: int) -> tuple[list[dict], list[dict]]:
    """Document rows and passage rows for one extracted file and, recursively, its attachments."""
    doc_id = sha[:16]
    assembled = assemble(extracted.blocks)
    headings = [assembled.text[s:e] for s, e, _ in assembled.heading_spans]
    meta = detect_metadata(assembled.text, headings, extracted.hints, Path(shown).name, known=user)
    meta.update(user)
    doc = document_row(doc_id, source, sha, extracted.format, meta, assembled.text, extracted.n_pages, parent)
    docs = [doc]
    passages = segment_document(doc_id, assembled.text, meta["language"], segment_cfg, assembled.heading_spans,
                                paged=extracted.n_pages is not None)
    for name, content in extracted.attachments:
        att_source, att_shown = f"{source}#{name}", f"{shown}#{name}"
        if depth >= MAX_ATTACHMENT_DEPTH:
            extracted.notes.append(f"attachment {name} not read: nested deeper than {MAX_ATTACHMENT_DEPTH}")
            continue
        try:
            detect_format(content, name)
        except IngestError as exc:  # logos, signatures, calendar files: not documents
            extracted.notes.append(f"attachment skipped: {exc}")
            continue
        # attachments inherit what the message says about them unless they say otherwise themselves
        inherited = {k: v for k, v in meta.items() if k in ("country", "date", "doc_type") and v not in (None, UNKNOWN)}
        try:
            att_sha = hashlib.sha256(content).hexdigest()
            inner = read_document(content, att_shown, ingest_cfg)
            sub_docs, sub_passages = _build(inner, content, att_sha, att_source, att_shown, doc_id,
                                            {k: v for k, v in user.items() if k != "title"}, ingest_cfg,
                                            segment_cfg, depth + 1)
            for key, value in inherited.items():
                if sub_docs[0][key] in (None, UNKNOWN):
                    sub_docs[0][key] = value
        except IngestError as exc:
            sub_docs, sub_passages = [_failure_row(att_source, str(exc), content, doc_id)], []
        docs.extend(sub_docs)
        passages.extend(sub_passages)
    return docs, passages
