"""The data a report embeds: coverage aggregated in Python into a small cube, plus the best
evidence passages of every item.

The cube has one row per (node, country, document type, period) cell with evidence, at every
level of the taxonomy (a passage counts once per node at each level, see
:func:`pipeline.coverage.node_tags`). Each cell's counts are of distinct passages and documents;
since a passage and a document each fall in exactly one cell, the browser sums cells under any
filter and gets exact distinct counts without the passages themselves. That keeps the file's size
bound by the number of non-empty cells, not by the corpus; only ``max_evidence`` passages per item
travel with their text, and the report says how many more exist.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import PurePath
from typing import Any

import numpy as np
import pandas as pd

from pipeline.coverage import UNKNOWN, aggregate, document_frame, levels_of, node_tags
from pipeline.periods import UNDATED, Slice, in_slice, period_label, period_ordinals, period_start

ALL = "*"  # the pseudo-node "any item": tagged passages per cell, the denominator of shares
_EPOCH = pd.Timestamp("1970-01-01")


def select_evidence(facts: pd.DataFrame, nodes: pd.DataFrame, max_per_item: int, sl: Slice = Slice()) -> pd.DataFrame:
    """The (passage_id, item_id) pairs a report shows: per item the ``max_per_item`` best tags in
    the slice, reviewed ones first, then by score."""
    leaf = levels_of(nodes)[-1]
    evidence, _ = node_tags(facts[in_slice(facts, sl)], nodes, leaf)
    ranked = evidence.sort_values(["node", "reviewed", "score"], ascending=[True, False, False],
                                  na_position="last", kind="stable")
    top = ranked.groupby("node", sort=False).head(max_per_item)
    return top[["passage_id", "item_id", "score", "reviewed", "doc_id"]].reset_index(drop=True)


def highlight_span(text: str, evidence: Any) -> tuple[int, int] | None:
    """The evidence sentence's (start, end) in ``text``, trusted only when it fits the text;
    else the sentence searched for in the text; else None (the passage shows unmarked)."""
    if isinstance(evidence, str):
        try:
            evidence = json.loads(evidence)
        except json.JSONDecodeError:
            return None
    if not isinstance(evidence, dict):
        return None
    start, end, sentence = evidence.get("start"), evidence.get("end"), evidence.get("sentence") or ""
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        if not sentence or text[start:end].strip() == sentence.strip():
            return start, end
    if sentence.strip():
        found = text.find(sentence.strip())
        if found >= 0:
            return found, found + len(sentence.strip())
    return None


def build_payload(facts: pd.DataFrame, documents: pd.DataFrame, passages: pd.DataFrame, nodes: pd.DataFrame,
                  evidence_rows: pd.DataFrame, *, period: str = "quarter", max_evidence: int = 20,
                  heatmap_columns: int = 24, sl: Slice = Slice(), title: str = "Coverage of the Action Plan",
                  model_id: str | None = None, taxonomy: dict | None = None,
                  generated_at: datetime | None = None) -> dict:
    """Everything the HTML report shows, as JSON-ready data.

    ``facts`` come from :meth:`CoverageInputs.facts`; ``evidence_rows`` (passage_id, item_id,
    text, page, evidence) are the texts of the pairs :func:`select_evidence` chose.
    """
    docs = document_frame(documents)
    docs = docs[in_slice(docs, sl)].copy()
    facts = facts[in_slice(facts, sl)]
    ords_docs = period_ordinals(docs["date"], period)
    ords_facts = period_ordinals(facts["date"], period)
    dated = pd.concat([ords_docs, ords_facts]).dropna()
    periods = ([period_label(o, period) for o in np.arange(dated.min(), dated.max() + 1)] if len(dated) else [])
    first_ord = dated.min() if len(dated) else 0.0
    if ords_docs.isna().any() or ords_facts.isna().any():
        periods.append(UNDATED)
    undated_index = len(periods) - 1

    def period_index(ords: pd.Series) -> pd.Series:
        return (ords - first_ord).fillna(undated_index).astype("int64")

    countries = _ranked(docs["country"])
    doc_types = _ranked(docs["doc_type"])
    c_index = {c: i for i, c in enumerate(countries)}
    t_index = {t: i for i, t in enumerate(doc_types)}
    docs["_p"] = period_index(ords_docs).to_numpy()
    facts = facts.assign(period=period_index(ords_facts).to_numpy())

    levels = levels_of(nodes)
    node_list = nodes.reset_index(drop=True)
    n_index = {nid: i for i, nid in enumerate(node_list["id"])}

    per_doc = passages.groupby("doc_id").size()
    docs["_n"] = docs["doc_id"].map(per_doc).fillna(0).astype("int64")
    slices = docs.groupby(["country", "doc_type", "_p"]).agg(documents=("doc_id", "size"), passages=("_n", "sum")).reset_index()
    slices["c"] = _index(slices["country"], c_index)
    slices["t"] = _index(slices["doc_type"], t_index)
    shape = (len(doc_types), len(periods))
    slice_of = pd.Series(np.arange(len(slices)), index=_slice_key(slices["c"], slices["t"], slices["_p"], shape))
    n_dated = len(periods) - (UNDATED in periods)
    starts = np.array([(pd.Timestamp(period_start(first_ord + i, period)) - _EPOCH).days for i in range(n_dated)]
                      + [np.nan] * (len(periods) - n_dated), dtype=float)

    def encode(agg: pd.DataFrame, index: dict) -> dict:
        return _encode(agg, index, c_index, t_index, slice_of, shape, starts)

    cube = {}
    for level in levels:
        ev, rv = node_tags(facts, nodes, level)
        cube[level] = encode(aggregate(ev, rv, ["node", "country", "doc_type", "period"]), n_index)
    acc = facts[facts["accepted"]].drop_duplicates("passage_id").assign(node=ALL)
    rev = facts[~facts["accepted"]].drop_duplicates("passage_id").assign(node=ALL)
    cube[ALL] = encode(aggregate(acc, rev, ["node", "country", "doc_type", "period"]), {ALL: -1})

    shown_docs, shown_passages, evidence = _evidence(evidence_rows, facts, docs, n_index, c_index, t_index)
    return {
        "meta": {
            "title": title,
            "generated_at": (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M"),
            "model_id": model_id,
            "taxonomy": taxonomy or {},
            "levels": levels,
            "period": period,
            "scope": sl.describe(),
            "max_evidence": max_evidence,
            "heatmap_columns": heatmap_columns,
        },
        "dims": {"country": countries, "doc_type": doc_types, "period": periods,
                 "undated": UNDATED in periods, "period_start": [None if x != x else int(x) for x in starts]},
        "nodes": [[r.id, r.level, r.title, r.text if r.level == levels[-1] else "",
                   n_index.get(r.parent, -1) if isinstance(r.parent, str) else -1]
                  for r in node_list.itertuples()],
        "cube": cube,
        "slices": {"c": slices["c"].tolist(), "t": slices["t"].tolist(), "p": slices["_p"].astype(int).tolist(), "documents": slices["documents"].astype(int).tolist(),
                   "passages": slices["passages"].astype(int).tolist()},
        "docs": shown_docs,
        "passages": shown_passages,
        "evidence": evidence,
    }


def _ranked(values: pd.Series) -> list[str]:
    """Distinct values, most frequent first, ``unknown`` last."""
    counts = values.value_counts()
    ordered = sorted(counts.index, key=lambda v: (v == UNKNOWN, -counts[v], str(v)))
    return [str(v) for v in ordered]


def _index(values: pd.Series, index: dict) -> list[int]:
    return pd.Series(values).astype(object).map(index).astype("int64").tolist()


def _slice_key(c, t, p, shape: tuple[int, int]) -> np.ndarray:
    return (np.asarray(c, dtype=np.int64) * shape[0] + np.asarray(t, dtype=np.int64)) * shape[1] + np.asarray(p, dtype=np.int64)


def _encode(agg: pd.DataFrame, n_index: dict, c_index: dict, t_index: dict, slice_of: pd.Series,
            shape: tuple[int, int], starts: np.ndarray) -> dict:
    """One cube level as small integer columns (report.js ``decodeCube`` expands them):

    ``node``; ``k`` the cell's (country, type, period) slice, an index into ``slices``;
    ``n`` passages; ``dd`` passages minus documents; ``m`` mean score in hundredths;
    ``u`` unscored passages (tagged by a reviewer); ``r`` passages to review; ``f`` first
    mention in days after the period's start (-1 undated); ``lf`` days from first to last.
    Mostly-zero columns are sparse (``{"i": rows, "v": values}``).
    """
    agg = agg[(agg["passages"] > 0) | (agg["to_review"] > 0)]
    c = np.asarray(_index(agg["country"], c_index))
    t = np.asarray(_index(agg["doc_type"], t_index))
    p = agg["period"].to_numpy(dtype=np.int64)
    first = (pd.to_datetime(agg["first"]) - _EPOCH).dt.days.to_numpy(dtype=float)
    last = (pd.to_datetime(agg["last"]) - _EPOCH).dt.days.to_numpy(dtype=float)
    start = starts[p] if len(p) else np.zeros(0)
    scored = agg["scored"].to_numpy()
    mean = np.where(scored > 0, agg["score_sum"].to_numpy() / np.maximum(scored, 1), 0.0)
    return {
        "node": _index(agg["node"], n_index),
        "k": slice_of.reindex(_slice_key(c, t, p, shape)).astype("int64").tolist(),
        "n": agg["passages"].astype(int).tolist(),
        "m": np.rint(mean * 100).astype(int).tolist(),
        "f": np.where(np.isnan(first) | np.isnan(start), -1, np.nan_to_num(first - start)).astype(int).tolist(),
        "dd": _column((agg["passages"] - agg["documents"]).to_numpy()),
        "u": _column((agg["passages"] - agg["scored"]).to_numpy()),
        "r": _column(agg["to_review"].to_numpy()),
        "lf": _column(np.nan_to_num(last - first).astype(int)),
    }


def _column(values: np.ndarray) -> list[int] | dict:
    """A list, or ``{"i", "v"}`` of the non-zero entries when that is shorter."""
    nz = np.flatnonzero(values)
    if len(nz) * 2 < len(values) * 0.9:
        return {"i": nz.tolist(), "v": values[nz].astype(int).tolist()}
    return values.astype(int).tolist()


def _evidence(rows: pd.DataFrame, facts: pd.DataFrame, docs: pd.DataFrame, n_index: dict,
              c_index: dict, t_index: dict) -> tuple[list, list, dict]:
    """Documents and passages shown, and per item index its evidence list
    ``[passage index, score, start, end, reviewed, terms, said]``, best first (``rows`` order kept);
    ``said`` is ``[actor, act]`` of the evidence sentence, or ``[]`` where it was not recorded."""
    if rows.empty:
        return [], [], {}
    info = facts[facts["passage_id"].isin(rows["passage_id"].unique())]
    info = info[["passage_id", "item_id", "score", "reviewed", "doc_id"]].astype(
        {"passage_id": object, "item_id": object, "doc_id": object})
    rows = rows.astype({"passage_id": object, "item_id": object}).merge(info, on=["passage_id", "item_id"], how="inner")
    rows = rows[rows["doc_id"].isin(docs["doc_id"].unique()) & rows["item_id"].isin(list(n_index))]
    rows = rows.sort_values(["item_id", "reviewed", "score"], ascending=[True, False, False],
                            na_position="last", kind="stable")
    shown = docs[docs["doc_id"].isin(rows["doc_id"].unique())]
    doc_info = {r["doc_id"]: r for r in shown.to_dict(orient="records")}
    doc_pos: dict[str, int] = {}
    shown_docs: list = []
    pas_pos: dict[str, int] = {}
    shown_passages: list = []
    evidence: dict[str, list] = {}
    for row in rows.itertuples(index=False):
        if row.doc_id not in doc_pos:
            d = doc_info[row.doc_id]
            doc_pos[row.doc_id] = len(shown_docs)
            shown_docs.append([
                _title(d), None if pd.isna(d["date"]) else d["date"].strftime("%Y-%m-%d"),
                c_index.get(d["country"], -1), t_index.get(d["doc_type"], -1), int(d["_p"]),
            ])
        if row.passage_id not in pas_pos:
            pas_pos[row.passage_id] = len(shown_passages)
            page = None if pd.isna(row.page) else int(row.page)
            shown_passages.append([doc_pos[row.doc_id], page, row.text, row.passage_id])
        span = highlight_span(row.text, row.evidence)
        evidence.setdefault(str(n_index[row.item_id]), []).append([
            pas_pos[row.passage_id], None if pd.isna(row.score) else round(float(row.score), 3),
            span[0] if span else None, span[1] if span else None, int(bool(row.reviewed)), _terms(row.evidence),
            _said(row.evidence),
        ])
    return shown_docs, shown_passages, evidence


def _title(doc: dict) -> str:
    title = doc.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    source = doc.get("source_path")
    return PurePath(source).name if isinstance(source, str) and source else "(untitled document)"


def _evidence_dict(evidence: Any) -> dict:
    """The evidence JSON of a prediction as a dict ({} when missing or not JSON)."""
    if isinstance(evidence, str):
        try:
            evidence = json.loads(evidence)
        except json.JSONDecodeError:
            return {}
    return evidence if isinstance(evidence, dict) else {}


def _said(evidence: Any) -> list[str]:
    ev = _evidence_dict(evidence)
    return [str(ev["actor"]), str(ev.get("act") or "none")] if ev.get("actor") else []


def _terms(evidence: Any) -> list[str]:
    terms = _evidence_dict(evidence).get("terms")
    return [str(t) for t in terms][:12] if isinstance(terms, list) else []


def to_json(payload: dict) -> str:
    """The payload as JSON that is safe inside ``<script type="application/json">``: ``<``, ``>``
    and ``&`` become ``\\u003c``-style escapes, so no text can close the element or open a comment."""
    # The cube is built without NaN (see _encode); checking its million numbers one by one would
    # cost more than the rest of the report.
    clean = {k: (v if k == "cube" else _finite(v)) for k, v in payload.items()}
    text = json.dumps(clean, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _finite(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj
