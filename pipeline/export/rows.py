"""The rows of an export: one per passage, with its document's metadata, its item labels (scores
and source), the evidence spans, the taxonomy id and the model id.

Labels: a prediction of the chosen model at or above its threshold is a ``predicted`` label; a
review (``annotations``) of the same passage and item overrides it, the latest review winning, as
a ``reviewed`` label with value 1 (accepted) or 0 (rejected). ``items`` lists the positive ones.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from pipeline.coverage import document_frame, latest_annotations
from pipeline.ingest.countries import country_code
from pipeline.periods import Slice, in_slice

ROW_COLUMNS = ["passage_id", "doc_id", "seq", "text", "char_start", "char_end", "page", "heading", "language",
               "source_file", "title", "doc_type", "country", "country_code", "date", "items", "labels", "evidence",
               "taxonomy_id", "model_id"]


@dataclass(frozen=True)
class ExportFilters:
    """What goes into an export. ``items`` may name items, sections or lines (``1.1`` selects
    1.1.a, 1.1.b ...); a passage is kept when one of its positive labels falls under one of them.
    ``min_score`` drops predicted labels scored below it (reviewed labels stay: a person decided).
    ``reviewed_only`` keeps reviewed passages and only their reviewed labels."""

    slice: Slice = Slice()
    items: tuple[str, ...] = ()
    min_score: float | None = None
    reviewed_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        s = d.pop("slice")
        return {"country": list(s["countries"]), "doc_type": list(s["doc_types"]),
                "from": s["start"].isoformat() if s["start"] else None,
                "to": s["end"].isoformat() if s["end"] else None,
                "item": list(d["items"]), "min_score": d["min_score"], "reviewed_only": d["reviewed_only"]}


def _item_key(item_id: str) -> tuple:
    """Natural order of item IDs: 1.2.a before 1.10.a."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", item_id))


def _under(item_id: str, selectors: tuple[str, ...]) -> bool:
    return any(item_id == s or item_id.startswith(s + ".") for s in selectors)


def _evidence(raw: Any) -> dict | None:
    """The stored evidence JSON as a dict with int offsets, or None when absent or malformed."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return None
    try:
        ev = json.loads(raw) if isinstance(raw, str) else dict(raw)
        return {"start": int(ev["start"]), "end": int(ev["end"]), "sentence": str(ev.get("sentence") or ""),
                "terms": [str(t) for t in ev.get("terms") or []]}
    except (ValueError, KeyError, TypeError):
        return None


def _none(v: Any) -> Any:
    return None if v is None or (not isinstance(v, (list, dict, str)) and pd.isna(v)) else v


def build_rows(documents: pd.DataFrame, passages: pd.DataFrame, predictions: pd.DataFrame,
               annotations: pd.DataFrame, *, filters: ExportFilters, model_id: str | None,
               taxonomy_id: str) -> pd.DataFrame:
    """The export rows (columns ``ROW_COLUMNS``), ordered by document and passage.

    ``predictions`` are the chosen model's rows (``passage_id, item_id, score, accepted, evidence``);
    ``annotations`` the workspace's reviews (``passage_id, item_id, value, at``).
    """
    docs = document_frame(documents)
    docs = docs[in_slice(docs, filters.slice)]
    psg = passages.merge(docs, on="doc_id", how="inner", suffixes=("", "_doc"))
    ann = latest_annotations(annotations)
    reviewed: dict[str, dict[str, int]] = {}
    for r in ann.itertuples(index=False):
        reviewed.setdefault(r.passage_id, {})[r.item_id] = int(r.value)
    preds: dict[str, dict[str, tuple[float, bool, dict | None]]] = {}
    for r in predictions.itertuples(index=False):
        preds.setdefault(r.passage_id, {})[r.item_id] = (float(r.score), bool(r.accepted), _evidence(r.evidence))

    records = []
    for p in psg.sort_values(["doc_id", "seq"], kind="stable").itertuples(index=False):
        rev, pred = reviewed.get(p.passage_id, {}), preds.get(p.passage_id, {})
        if filters.reviewed_only and not rev:
            continue
        labels = {item: {"item_id": item, "label": value, "score": pred[item][0] if item in pred else None,
                         "source": "reviewed"} for item, value in rev.items()}
        if not filters.reviewed_only:
            for item, (score, accepted, _) in pred.items():
                if item in labels or not accepted or (filters.min_score is not None and score < filters.min_score):
                    continue
                labels[item] = {"item_id": item, "label": 1, "score": score, "source": "predicted"}
        ordered = [labels[k] for k in sorted(labels, key=_item_key)]
        items = [lab["item_id"] for lab in ordered if lab["label"] == 1]
        if filters.items and not any(_under(i, filters.items) for i in items):
            continue
        evidence = [{"item_id": i, **pred[i][2]} for i in items if i in pred and pred[i][2] is not None]
        date = p.date.date().isoformat() if not pd.isna(p.date) else None
        records.append({
            "passage_id": p.passage_id, "doc_id": p.doc_id, "seq": int(p.seq), "text": p.text,
            "char_start": int(p.char_start), "char_end": int(p.char_end), "page": _none(p.page),
            "heading": _none(p.heading), "language": _none(p.language) or _none(getattr(p, "language_doc", None)),
            "source_file": _basename(_none(p.source_path)), "title": _none(p.title), "doc_type": p.doc_type,
            "country": p.country, "country_code": country_code(p.country), "date": date, "items": items, "labels": ordered, "evidence": evidence,
            "taxonomy_id": taxonomy_id, "model_id": model_id,
        })
    out = pd.DataFrame(records, columns=ROW_COLUMNS)
    out["page"] = out["page"].astype("Int64")
    return out


def _basename(path: str | None) -> str | None:
    """The file name only: the directories of the officer's machine stay out of an export."""
    return re.split(r"[\\/]", path)[-1] if path else None


def load_rows(ws, *, filters: ExportFilters, model_id: str | None, taxonomy_id: str) -> pd.DataFrame:
    """:func:`build_rows` over an open workspace's tables, for ``model_id`` (already chosen)."""
    con = ws.con
    documents = con.execute("SELECT doc_id, source_path, doc_type, country, date, language, title, status "
                            "FROM documents").df()
    passages = con.execute("SELECT passage_id, doc_id, seq, text, char_start, char_end, page, heading, language "
                           "FROM passages").df()
    predictions = con.execute("SELECT passage_id, item_id, score, accepted, CAST(evidence AS VARCHAR) AS evidence "
                              "FROM predictions WHERE model_id = ?", [model_id or ""]).df()
    annotations = con.execute('SELECT passage_id, item_id, value, "at" FROM annotations').df()
    return build_rows(documents, passages, predictions, annotations, filters=filters, model_id=model_id,
                      taxonomy_id=taxonomy_id)
