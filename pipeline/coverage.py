"""Coverage of the taxonomy by the tagged passages: how much evidence each item, section and line
has, where and when, where the gaps are, and how that changed against the previous period.

Everything here is a pure function over DataFrames (the workspace's tables), except the two
readers at the end, which pull those tables out of a :class:`~pipeline.store.Workspace`.

Which tags count:
- only the predictions of one model (:func:`pick_model`);
- a prediction with ``accepted`` (score at or above the model's threshold for its item) is a tag;
  one below the threshold is "to review" and counted apart, never as evidence;
- reviewed annotations override the model: the latest annotation per (passage, item) wins,
  ``value=1`` makes a tag (even without a prediction), ``value=0`` removes the tag and the
  "to review" mark.

At a level above items (section, line) a passage counts once per node however many of the node's
items it carries, and its score for the node is its best item score there.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from pipeline.errors import WorkspaceError
from pipeline.periods import (UNDATED, Slice, in_slice, label_ordinal, period_label, period_ordinals,
                              previous_window)

BY_KEYS = ("country", "doc_type", "period", "actor", "act")
UNKNOWN = "unknown"
ATTRIBUTION = ("actor", "act")  # who said a tag's evidence sentence, when the predictions carry it
TABLE_COLUMNS = ["level", "id", "title", "passages", "documents", "countries", "first", "last",
                 "share", "mean_score", "to_review"]


# --- model choice ----------------------------------------------------------------------------

def pick_model(current: str | None, counts: Mapping[str, int]) -> str | None:
    """The model whose predictions coverage counts.

    The workspace setting ``current_model`` when it is set (the model that `aptag tag` used last,
    or the one promoted); otherwise the model with most predictions in the workspace (ties go to
    the first name in alphabetical order); ``None`` when there are no predictions at all.
    A ``current_model`` without any prediction while other models have some is an error rather
    than an empty report: the workspace has not been tagged with it yet.
    """
    if current:
        if counts and not counts.get(current):
            raise WorkspaceError(
                f"Model {current!r} (the current model, or --model) has no predictions in the workspace; models "
                f"with predictions: {', '.join(sorted(counts))}. Run `aptag tag` to tag with it, or pass --model ID."
            )
        return current
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


# --- taxonomy as a frame ---------------------------------------------------------------------

def taxonomy_frame(tax, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per node in document order: ``id``, ``level``, ``title``, ``text``, ``parent``, and
    one column per level holding the node's ancestor at that level (empty below the node's own
    level). A node without a title (the plan's items) takes its label from ``labels`` (the item
    cards' short labels), else the start of its text."""
    rows = []
    labels = labels or {}
    depth = {lv: i for i, lv in enumerate(tax.levels)}
    for node in tax.nodes.values():
        title = node.title or labels.get(node.id) or _shorten(node.text)
        row = {"id": node.id, "level": node.level, "title": title,
               "text": node.text, "parent": node.parent}
        for lv in tax.levels[: depth[node.level] + 1]:
            row[lv] = tax.parent_at(node.id, lv)
        rows.append(row)
    return pd.DataFrame(rows, columns=["id", "level", "title", "text", "parent", *tax.levels])


def levels_of(nodes: pd.DataFrame) -> list[str]:
    """The level names of a :func:`taxonomy_frame`, top to bottom."""
    return list(nodes.columns[5:])


def resolve_level(nodes: pd.DataFrame, level: str) -> str:
    """A level name of the taxonomy; ``item`` always means the leaves (``target`` for the SDGs)."""
    levels = levels_of(nodes)
    if level == "item":
        return levels[-1]
    if level not in levels:
        raise ValueError(f"level must be 'item' or one of {', '.join(levels)}, not {level!r}")
    return level


def _shorten(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


# --- which tags count ------------------------------------------------------------------------

def latest_annotations(annotations: pd.DataFrame | None) -> pd.DataFrame:
    """The latest annotation per (passage, item): ``passage_id, item_id, value`` (undated ones
    count as oldest; among equal times the later row wins)."""
    if annotations is None or annotations.empty:
        return pd.DataFrame({"passage_id": pd.Series(dtype=str), "item_id": pd.Series(dtype=str),
                             "value": pd.Series(dtype=float)})
    ann = annotations.copy()
    ann["at"] = pd.to_datetime(ann["at"]) if "at" in ann else pd.NaT
    return (ann.reset_index(drop=True).sort_values("at", kind="stable", na_position="first")
               .drop_duplicates(["passage_id", "item_id"], keep="last")[["passage_id", "item_id", "value"]])


def effective_tags(predictions: pd.DataFrame, annotations: pd.DataFrame) -> pd.DataFrame:
    """Tags after review: ``passage_id, item_id, score, accepted, reviewed`` (and ``actor, act``
    of the evidence sentence where ``predictions`` has them; ``unknown`` for reviewer-added tags).

    ``predictions`` holds one model's rows (``passage_id, item_id, score, accepted``);
    ``annotations`` (``passage_id, item_id, value, at``) override them, latest per pair winning.
    ``accepted`` False means "to review" (a prediction below threshold nobody has reviewed).
    Annotation-only tags carry no score.
    """
    said = [c for c in ATTRIBUTION if c in predictions]
    tags = predictions[["passage_id", "item_id", "score", "accepted", *said]].copy()
    tags["accepted"] = tags["accepted"].astype(bool)
    tags["reviewed"] = False
    if annotations is None or annotations.empty:
        return tags.reset_index(drop=True)
    ann = latest_annotations(annotations)
    # Only the reviewed passages' rows need the (costly) merge; the rest pass through.
    touched = tags["passage_id"].isin(ann["passage_id"].unique())
    merged = tags[touched].drop(columns="reviewed").merge(ann, on=["passage_id", "item_id"], how="outer")
    reviewed = merged["value"].notna()
    merged = merged[~(reviewed & (merged["value"] == 0))]
    reviewed = merged["value"].notna()
    merged["accepted"] = np.where(reviewed, True, merged["accepted"].fillna(False).astype(bool))
    merged["reviewed"] = reviewed.to_numpy()
    for col in said:
        merged[col] = merged[col].fillna(UNKNOWN)
    cols = ["passage_id", "item_id", "score", "accepted", "reviewed", *said]
    return pd.concat([tags.loc[~touched, cols], merged[cols]], ignore_index=True)


def tag_facts(tags: pd.DataFrame, passages: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Each tag with its passage's document: ``doc_id, country, doc_type, date`` added
    (missing country or type become ``unknown``). Tags of passages not in ``passages``, or of
    documents that failed, are dropped. ID columns come back categorical, which keeps the
    group-bys over a million tags fast."""
    docs = document_frame(documents).drop_duplicates("doc_id").set_index("doc_id")
    p_codes, p_uniques = pd.factorize(tags["passage_id"])
    doc_of = passages.drop_duplicates("passage_id").set_index("passage_id")["doc_id"]
    d_of_p, d_uniques = pd.factorize(doc_of.reindex(p_uniques).to_numpy())
    info = docs.reindex(d_uniques)
    present = np.asarray(pd.Index(d_uniques).isin(docs.index), dtype=bool)
    d_codes = np.where(p_codes >= 0, d_of_p[np.maximum(p_codes, 0)], -1)
    valid = (d_codes >= 0) & present[np.maximum(d_codes, 0)]
    d_codes = d_codes[valid]
    out = tags.loc[valid, ["score", "accepted", "reviewed"]].reset_index(drop=True)
    out.insert(0, "passage_id", pd.Categorical.from_codes(p_codes[valid], categories=p_uniques))
    out.insert(1, "item_id", pd.Categorical(tags["item_id"].to_numpy()[valid]))
    out["doc_id"] = pd.Categorical.from_codes(d_codes, categories=d_uniques)
    for col in ("country", "doc_type"):
        codes, uniques = pd.factorize(info[col].fillna(UNKNOWN).to_numpy())
        out[col] = pd.Categorical.from_codes(codes[d_codes], categories=uniques)
    out["date"] = info["date"].to_numpy()[d_codes]
    for col in ATTRIBUTION:
        if col in tags:
            out[col] = pd.Categorical(tags[col].fillna(UNKNOWN).to_numpy()[valid])
    return out


def document_frame(documents: pd.DataFrame) -> pd.DataFrame:
    """The successfully ingested documents with country and type filled and dates as datetimes."""
    docs = documents
    if "status" in docs.columns:
        docs = docs[docs["status"].fillna("ok") == "ok"]
    docs = docs.copy()
    for col in ("country", "doc_type"):
        docs[col] = docs[col].astype("object").where(docs[col].notna() & (docs[col].astype("object") != ""), UNKNOWN)
    docs["date"] = pd.to_datetime(docs["date"])
    return docs


def node_tags(facts: pd.DataFrame, nodes: pd.DataFrame, level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The facts lifted to ``level``: (evidence, to_review), one row per (passage, node).

    ``evidence`` keeps a passage's best accepted score for the node; ``to_review`` holds the
    (passage, node) pairs with only below-threshold tags. Items unknown to the taxonomy drop out.
    """
    leaf = levels_of(nodes)[-1]
    items = nodes[nodes["level"] == leaf]
    mapping = pd.Series(items[level].to_numpy(), index=items["id"].to_numpy())
    node = pd.Series(pd.Categorical(facts["item_id"]), index=facts.index).map(mapping)
    known = node.notna().to_numpy()
    lifted = facts[known].assign(node=pd.Categorical(node[known]))
    accepted = lifted["accepted"].to_numpy(dtype=bool)
    if level == leaf:  # (passage, item) pairs are unique already
        return lifted[accepted].reset_index(drop=True), lifted[~accepted].reset_index(drop=True)
    # Integer keys (passage code, node code): sorting and set tests on them beat string group-bys.
    key = (_codes(lifted["passage_id"]).astype(np.int64) * (len(mapping) + 1)
           + lifted["node"].cat.codes.to_numpy().astype(np.int64))
    acc_key = key[accepted]
    neg_score = np.nan_to_num(-lifted["score"].to_numpy(dtype=float)[accepted], nan=np.inf)
    order = np.lexsort((neg_score, acc_key))          # by key, best score first, unscored last
    first = np.r_[True, acc_key[order][1:] != acc_key[order][:-1]] if len(order) else np.zeros(0, bool)
    evidence = lifted[accepted].iloc[order[first]]
    rev_key = key[~accepted]
    keep = np.zeros(len(rev_key), dtype=bool)
    keep[np.unique(rev_key, return_index=True)[1]] = True
    keep &= ~np.isin(rev_key, acc_key)
    review = lifted[~accepted][keep]
    return evidence.reset_index(drop=True), review.reset_index(drop=True)


def _codes(values: pd.Series) -> np.ndarray:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy()
    return pd.factorize(values)[0]


# --- the statistics --------------------------------------------------------------------------

@dataclass
class CoverageResult:
    """A coverage table with its gaps and summary, and the choices that produced them."""

    table: pd.DataFrame
    gaps: pd.DataFrame
    summary: dict
    level: str
    by: list[str]
    period: str
    slice: Slice = field(default_factory=Slice)
    model_id: str | None = None


def _with_period(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    ords = period_ordinals(frame["date"], period)
    uniq = np.unique(ords.dropna().to_numpy())
    codes = np.where(ords.isna(), len(uniq), np.searchsorted(uniq, ords.fillna(0).to_numpy()))
    labels = [period_label(o, period) for o in uniq] + [UNDATED]
    return frame.assign(_pord=ords, period=pd.Categorical.from_codes(codes, categories=labels))


def aggregate(evidence: pd.DataFrame, review: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts per ``keys`` (``node`` plus any grouping keys): passages, documents, countries,
    first, last, mean_score, scored, score_sum over ``evidence``, and to_review over ``review``.

    One group-by numbers the groups of both frames; the counts are then numpy bincounts over the
    group numbers. Index joins of separate group-bys cost ten times more at a million rows."""
    both = pd.concat([evidence[keys], review[keys]], ignore_index=True)
    g = both.groupby(keys, sort=False, dropna=False, observed=True)
    gid = g.ngroup().to_numpy()
    n = g.ngroups
    out = both.iloc[np.unique(gid, return_index=True)[1]].reset_index(drop=True)
    ev = gid[: len(evidence)]
    out["passages"] = np.bincount(ev, minlength=n)
    out["to_review"] = np.bincount(gid[len(evidence):], minlength=n)
    score = evidence["score"].to_numpy(dtype=float)
    has = ~np.isnan(score)
    out["scored"] = np.bincount(ev[has], minlength=n)
    out["score_sum"] = np.bincount(ev[has], weights=score[has], minlength=n)
    out["mean_score"] = np.where(out["scored"] > 0, out["score_sum"] / np.maximum(out["scored"], 1), np.nan)
    dates = pd.Series(pd.to_datetime(evidence["date"]).to_numpy())
    out["first"] = dates.groupby(ev).min().reindex(range(n)).to_numpy()
    out["last"] = dates.groupby(ev).max().reindex(range(n)).to_numpy()
    for col, name in (("doc_id", "documents"), ("country", "countries")):
        codes = _codes(evidence[col]).astype(np.int64) + 1
        pairs = np.unique(ev.astype(np.int64) * (int(codes.max(initial=0)) + 1) + codes)
        out[name] = np.bincount(pairs // (int(codes.max(initial=0)) + 1), minlength=n)
    for col in ("passages", "documents", "countries", "to_review", "scored"):
        out[col] = out[col].astype("int64")
    return out


def coverage_table(facts: pd.DataFrame, nodes: pd.DataFrame, *, level: str = "item",
                   by: Sequence[str] = (), period: str = "quarter", sl: Slice = Slice()) -> pd.DataFrame:
    """Coverage per node at ``level`` (and per ``by`` group: country, doc_type, period) in ``sl``.

    Columns: level, id, title, [by keys], passages, documents, countries, first, last, share,
    mean_score, to_review; then ``prev_passages`` and ``change`` when there is a previous period
    to compare with (grouping by period: the previous period of the same group; a closed date
    range: the window of the same length before it); and ``gap`` when not grouped.

    Without grouping every node has a row (zeros included). With grouping only the groups
    with evidence or passages to review appear. ``share`` is the node's passages over all
    tagged passages (any node) in the same group.
    """
    level = resolve_level(nodes, level)
    by = _check_by(by)
    facts = _with_period(facts, period)
    evidence, review = node_tags(facts, nodes, level)
    mask_e, mask_r = in_slice(evidence, sl), in_slice(review, sl)
    table = _table(evidence[mask_e], review[mask_r], nodes, level, by)

    # A previous period before the first dated document has no count, not a count of zero.
    earliest = facts["date"].min()
    if "period" in by:
        table = _change_by_period(table, by, period, facts["_pord"].min())
    elif sl.start and sl.end:
        prev_start, prev_end = previous_window(sl.start, sl.end)
        prev = aggregate(evidence[in_slice(evidence, replace(sl, start=prev_start, end=prev_end))],
                          review.iloc[:0], ["node", *by])
        prev = prev.rename(columns={"node": "id", "passages": "prev_passages"})[["id", *by, "prev_passages"]]
        table = table.merge(prev, on=["id", *by], how="left")
        table["prev_passages"] = table["prev_passages"].fillna(0).astype("Int64")
        if pd.isna(earliest) or pd.Timestamp(prev_end) < earliest:
            table["prev_passages"] = pd.NA
            table["prev_passages"] = table["prev_passages"].astype("Int64")
        table["change"] = table["passages"] - table["prev_passages"]

    if not by:
        anywhere = evidence["node"].unique()
        table["gap"] = np.select(
            [~table["id"].isin(anywhere), table["passages"] == 0], ["none", "slice"], default="")
    return table


def _check_by(by: Sequence[str]) -> list[str]:
    by = [b for b in by if b]
    bad = [b for b in by if b not in BY_KEYS]
    if bad:
        raise ValueError(f"--by takes {', '.join(BY_KEYS)} (comma-separated), not {', '.join(bad)}")
    return list(dict.fromkeys(by))


def _table(evidence: pd.DataFrame, review: pd.DataFrame, nodes: pd.DataFrame, level: str,
           by: list[str]) -> pd.DataFrame:
    level_nodes = nodes[nodes["level"] == level][["id", "title"]].reset_index(drop=True)
    order = pd.Series(np.arange(len(level_nodes)), index=level_nodes["id"].to_numpy())
    agg = aggregate(evidence, review, ["node", *by]).rename(columns={"node": "id"})
    if by:
        table = agg.merge(level_nodes, on="id", how="inner")
        totals = evidence.drop_duplicates(["passage_id"]).groupby(by, dropna=False, observed=True).size().rename("_tagged")
        table = table.merge(totals.reset_index(), on=by, how="left")
        tagged = table["_tagged"].fillna(0)
    else:
        table = level_nodes.merge(agg, on="id", how="left")
        tagged = evidence["passage_id"].nunique()
    for col in ("passages", "documents", "countries", "to_review"):
        table[col] = table[col].fillna(0).astype("int64")
    table["share"] = np.where(tagged > 0, table["passages"] / np.maximum(tagged, 1), 0.0)
    table["level"] = level
    table["_order"] = table["id"].map(order)
    table = table.sort_values(["_order", *by], kind="stable").reset_index(drop=True)
    cols = TABLE_COLUMNS[:3] + by + TABLE_COLUMNS[3:]
    return table[cols]


def _change_by_period(table: pd.DataFrame, by: list[str], period: str, first_ord: float) -> pd.DataFrame:
    others = [b for b in by if b != "period"]
    label_to_ord = {}
    for label in table["period"].unique():
        label_to_ord[label] = label_ordinal(label, period)
    ords = table["period"].map(label_to_ord)
    prev = table[["id", *others, "passages"]].assign(_pord=ords + 1).rename(columns={"passages": "prev_passages"})
    out = table.assign(_pord=ords).merge(prev, on=["id", *others, "_pord"], how="left")
    dated = out["_pord"].notna() & (out["_pord"] > first_ord)
    out["prev_passages"] = out["prev_passages"].where(~dated | out["prev_passages"].notna(), 0)
    out["prev_passages"] = out["prev_passages"].where(dated)
    out["prev_passages"] = out["prev_passages"].astype("Int64")
    out["change"] = out["passages"] - out["prev_passages"]
    return out.drop(columns="_pord")


def gaps(table: pd.DataFrame) -> pd.DataFrame:
    """The gap rows of an ungrouped coverage table: ``id, title, gap, to_review`` where ``gap``
    is ``none`` (no evidence anywhere) or ``slice`` (none in the slice, some elsewhere)."""
    return table[table["gap"] != ""][["level", "id", "title", "gap", "to_review"]].reset_index(drop=True)


def summarize(facts: pd.DataFrame, documents: pd.DataFrame, passages: pd.DataFrame,
              item_table: pd.DataFrame, sl: Slice = Slice()) -> dict:
    """Headline figures of a slice: documents, passages, tagged passages, items covered out of
    all items, gaps of both kinds, passages to review. ``item_table`` is the ungrouped
    item-level :func:`coverage_table` of the same slice."""
    docs = document_frame(documents)
    docs = docs[in_slice(docs, sl)]
    n_passages = int(passages["doc_id"].isin(docs["doc_id"].unique()).sum())
    table = item_table
    sub = facts[in_slice(facts, sl)]
    return {
        "documents": int(len(docs)),
        "passages": n_passages,
        "tagged_passages": int(sub.loc[sub["accepted"], "passage_id"].nunique()),
        "items": int(len(table)),
        "items_covered": int((table["passages"] > 0).sum()),
        "gaps_none": int((table["gap"] == "none").sum()),
        "gaps_slice": int((table["gap"] == "slice").sum()),
        "to_review_passages": int(sub.loc[~sub["accepted"], "passage_id"].nunique()),
    }


@dataclass
class CoverageInputs:
    """The workspace tables coverage needs, for one model."""

    documents: pd.DataFrame
    passages: pd.DataFrame
    predictions: pd.DataFrame
    annotations: pd.DataFrame
    model_id: str | None
    _facts: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    def facts(self) -> pd.DataFrame:
        """The effective tags with their documents (built once: the tables do not change)."""
        if self._facts is None:
            self._facts = tag_facts(effective_tags(self.predictions, self.annotations), self.passages, self.documents)
        return self._facts


def compute_coverage(inputs: CoverageInputs, nodes: pd.DataFrame, *, level: str = "item",
                     by: Sequence[str] = (), period: str = "quarter", sl: Slice = Slice()) -> CoverageResult:
    """The coverage table, its gaps and the summary for one slice."""
    facts = inputs.facts()
    level = resolve_level(nodes, level)
    ungrouped = coverage_table(facts, nodes, level=level, period=period, sl=sl)
    table = coverage_table(facts, nodes, level=level, by=by, period=period, sl=sl) if by else ungrouped
    leaf = levels_of(nodes)[-1]
    items = ungrouped if level == leaf else coverage_table(facts, nodes, level=leaf, period=period, sl=sl)
    summary = summarize(facts, inputs.documents, inputs.passages, items, sl)
    summary["model_id"] = inputs.model_id
    return CoverageResult(table=table, gaps=gaps(ungrouped), summary=summary, level=level,
                          by=_check_by(by), period=period, slice=sl, model_id=inputs.model_id)


# --- reading the workspace -------------------------------------------------------------------

def current_model(ws, override: str | None = None) -> str | None:
    """The model coverage uses in ``ws``: ``override`` if given, else :func:`pick_model` over the
    ``current_model`` setting and the prediction counts per model."""
    counts = dict(ws.con.execute("SELECT model_id, count(*) FROM predictions GROUP BY model_id").fetchall())
    return pick_model(override or ws.get_setting("current_model"), counts)


def taxonomy_nodes(tax, item_cards: str | Path | None = None) -> pd.DataFrame:
    """:func:`taxonomy_frame` with the items labelled from the item cards in ``item_cards``
    (a directory as in ``tag.item_cards``; ``None`` for no cards)."""
    if not item_cards:
        return taxonomy_frame(tax)
    from pipeline.classify.cards import load_cards

    cards = load_cards(item_cards, tax)
    return taxonomy_frame(tax, {k: c.label for k, c in cards.items() if c.label})


def load_inputs(ws, model_id: str | None = None) -> CoverageInputs:
    """The tables coverage needs, without passage texts or evidence (those are read only for the
    few passages a report shows, see :func:`load_evidence`)."""
    model = current_model(ws, model_id)
    con = ws.con
    documents = con.execute(
        "SELECT doc_id, title, doc_type, country, date, status, source_path FROM documents").df()
    passages = con.execute("SELECT passage_id, doc_id, page FROM passages").df()
    # who said the evidence sentence, from the evidence JSON (rows tagged before it was recorded: unknown)
    predictions = con.execute(
        "SELECT passage_id, item_id, score, accepted, "
        "COALESCE(json_extract_string(evidence, '$.actor'), 'unknown') AS actor, "
        "COALESCE(json_extract_string(evidence, '$.act'), 'unknown') AS act "
        "FROM predictions WHERE model_id = ?", [model or ""]).df()
    annotations = con.execute("SELECT passage_id, item_id, value, \"at\" FROM annotations").df()
    return CoverageInputs(documents, passages, predictions, annotations, model)


def load_evidence(ws, model_id: str | None, pairs: pd.DataFrame) -> pd.DataFrame:
    """Passage text, page and the model's evidence JSON for the given (passage_id, item_id) pairs."""
    if pairs.empty:
        return pd.DataFrame(columns=["passage_id", "item_id", "text", "page", "evidence"])
    ws.con.register("_pairs", pairs[["passage_id", "item_id"]])
    try:
        return ws.con.execute(
            """SELECT q.passage_id, q.item_id, p.text, p.page, CAST(pr.evidence AS VARCHAR) AS evidence
               FROM _pairs q JOIN passages p USING (passage_id)
               LEFT JOIN predictions pr ON pr.passage_id = q.passage_id AND pr.item_id = q.item_id
                                        AND pr.model_id = ?""", [model_id or ""]).df()
    finally:
        ws.con.unregister("_pairs")
