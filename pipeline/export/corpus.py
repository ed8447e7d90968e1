"""An export: choose whether to redact, redact the rows, write them in one format, and write the
manifest (filters, counts, redaction, sha256 of every file, taxonomy and model ids)."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.cells import NOTE as CELL_NOTE
from pipeline.errors import ExportError
from pipeline.export.redact import CATEGORIES, Redactor
from pipeline.export.rows import ExportFilters
from pipeline.export.writers import FORMATS, WRITERS, records

MANIFEST_VERSION = 1


def decide_redaction(fmt: str, output: Path, workspace: Path, flag: bool | None,
                     redact_by_default: list[str]) -> tuple[bool, str]:
    """Whether to redact, and why. An explicit ``--redact``/``--no-redact`` wins; otherwise the
    formats in ``redact_by_default`` (hf, csv, jsonl) are redacted when they leave the workspace."""
    if flag is not None:
        return flag, "--redact" if flag else "--no-redact"
    if fmt not in redact_by_default:
        return False, f"default: {fmt} is redacted only with --redact"
    if Path(output).resolve().is_relative_to(Path(workspace).resolve()):
        return False, f"default: {fmt} inside the workspace is not redacted"
    return True, f"default: {fmt} outside the workspace is redacted (--no-redact to keep names)"


def redact_rows(rows: pd.DataFrame, redactor: Redactor) -> pd.DataFrame:
    """The rows with every text field redacted and evidence offsets moved onto the redacted text.

    The redactor is fitted on all the rows first, so a name found in one passage is redacted in
    all of them and keeps one pseudonym across the export."""
    fields = ("text", "title", "heading", "source_file")
    texts = [r[f] for _, r in rows.iterrows() for f in fields if isinstance(r[f], str)]
    texts += [e["sentence"] for ev in rows["evidence"] for e in ev]
    redactor.fit(texts)
    out = rows.copy()
    new_text, new_ev = [], []
    for text, evidence in zip(rows["text"], rows["evidence"]):
        red = redactor.redact(text)
        new_text.append(red.text)
        moved = []
        for e in evidence:
            start, end = red.span(e["start"], e["end"])
            same = text[e["start"]:e["end"]] == e["sentence"]
            moved.append({**e, "start": start, "end": end,
                          "sentence": red.text[start:end] if same else redactor.redact(e["sentence"]).text,
                          "terms": [redactor.redact(t).text for t in e["terms"]]})
        new_ev.append(moved)
    out["text"], out["evidence"] = new_text, new_ev
    for f in ("title", "heading", "source_file"):
        out[f] = [redactor.redact(v).text if isinstance(v, str) else v for v in rows[f]]
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(fmt: str, output: Path) -> Path:
    """``<output>.manifest.json`` beside a file; ``manifest.json`` inside an hf directory."""
    return output / "manifest.json" if fmt == "hf" else output.with_name(output.name + ".manifest.json")


def dataset_card(rows: pd.DataFrame, *, filters: ExportFilters, redaction: dict, taxonomy_id: str,
                 model_id: str | None) -> str:
    """The README.md of an hf export: what the rows are, where labels come from, what was removed."""
    langs = sorted({x for x in rows["language"].dropna()} & {"en", "fr"}) or ["en"]
    n_rev = sum(1 for labs in rows["labels"] for lab in labs if lab["source"] == "reviewed")
    n_pred = sum(1 for labs in rows["labels"] for lab in labs if lab["source"] == "predicted")
    size = "n<1K" if len(rows) < 1000 else "1K<n<10K" if len(rows) < 10000 else "10K<n<100K"
    red = ("Person names, e-mail addresses, phone numbers and passport/ID numbers were replaced by "
           "pseudonyms ([PERSON_1], [EMAIL_1], [PHONE_1], [ID_1]); one person keeps one number within this "
           "export. Redaction is pattern-based (honorifics, roles, e-mail headers, lists, the workspace's list "
           "of names) and can miss names that appear without any cue: review before publishing."
           if redaction["enabled"] else
           "NOT redacted: the texts may name human rights defenders, journalists and detainees. Do not share.")
    return f"""---
language: [{", ".join(langs)}]
task_categories: [text-classification]
task_ids: [multi-label-classification]
size_categories: [{size}]
pretty_name: aptag annotated passages ({taxonomy_id})
---
# aptag annotated passages

Passages of reports, minutes and statements, tagged with the items of the taxonomy `{taxonomy_id}`
by the model `{model_id or "none"}` and reviewed by desk officers; exported by `aptag export`.

- Rows: {len(rows)} passages from {rows["doc_id"].nunique()} documents (split `train` only).
- Labels: {n_pred} predicted (at or above the model's threshold), {n_rev} reviewed (a review overrides
  the prediction of the same passage and item; `label` 0 is a rejection).
- Filters: `{json.dumps(filters.as_dict(), ensure_ascii=False)}`

## Redaction
{red}

## Fields
`text` the passage; `items` its positive item IDs; `labels` each label with `item_id`, `label`
(1/0), `score` (the model's, null when only reviewed) and `source` (predicted | reviewed); `evidence`
the sentence span (`start`, `end` in `text`) and matched `terms` per predicted item; document
metadata `doc_id`, `source_file`, `title`, `doc_type`, `country` (and `country_code`, its ISO 3166-1
alpha-3, null outside ISO 3166), `date`, `page`, `heading`,
`language`; `taxonomy_id`, `model_id`.

## Use
```python
from datasets import load_from_disk
ds = load_from_disk("<this directory>")["train"]
```
Predicted labels are machine output, not gold: filter on `source == "reviewed"` for evaluation.
"""


def export_corpus(rows: pd.DataFrame, fmt: str, output: Path, *, redact: bool, reason: str,
                  user_names: list[str], filters: ExportFilters, taxonomy_id: str, model_id: str | None,
                  labels: list[str] | None = None, now: datetime | None = None) -> dict[str, Any]:
    """Write ``rows`` to ``output`` in ``fmt`` and its manifest; return the manifest."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}.")
    if rows.empty:
        raise ExportError(f"No passages to export with the filters {json.dumps(filters.as_dict())}. Widen the "
                          "filters, or check that the workspace holds tagged passages (`aptag run PATH...`).")
    output = Path(output)
    if fmt == "hf":
        if output.exists() and (not output.is_dir() or (any(output.iterdir())
                                                        and not manifest_path(fmt, output).exists())):
            raise ExportError(f"{output} exists and is not an earlier hf export (no manifest.json in it). "
                              "Give a new directory for -o.")
        if output.exists():  # an earlier export: its shards must not outlive it (they may hold names)
            shutil.rmtree(output)
        output.mkdir(parents=True)
    else:
        if output.is_dir():
            raise ExportError(f"{output} is a directory; the {fmt} format writes one file: give a file path "
                              f"for -o (e.g. {output / ('corpus.' + fmt)}).")
        output.parent.mkdir(parents=True, exist_ok=True)
    redactor = Redactor(user_names)
    if redact:
        rows = redact_rows(rows, redactor)
    redaction = {"enabled": redact, "reason": reason, "user_names": len(redactor.user_names) if redact else 0,
                 "replacements": {c: redactor.counts.get(c, 0) for c in CATEGORIES},
                 "distinct": redactor.distinct()}
    card = dataset_card(rows, filters=filters, redaction=redaction, taxonomy_id=taxonomy_id,
                        model_id=model_id) if fmt == "hf" else ""
    written = WRITERS[fmt](records(rows), output, labels=labels, card=card)
    base = output if fmt == "hf" else output.parent
    labels_count = {"predicted": 0, "reviewed": 0}
    for labs in rows["labels"]:
        for lab in labs:
            labels_count[lab["source"]] += 1
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "created_at": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"),
        "format": fmt,
        "output": output.name,
        "filters": filters.as_dict(),
        "rows": len(rows),
        "documents": int(rows["doc_id"].nunique()),
        "labels": labels_count,
        "taxonomy_id": taxonomy_id,
        "model_id": model_id,
        "redaction": redaction,
        **({"formula_guard": CELL_NOTE} if fmt == "csv" else {}),
        "files": [{"path": p.relative_to(base).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_file(p)}
                  for p in written],
    }
    manifest_path(fmt, output).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    return manifest
