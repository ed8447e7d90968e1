"""Evaluation: multi-label precision, recall and F1 at every level of a taxonomy, per-item tables,
confusion between neighbouring items, seeded bootstrap intervals, and the scoring rules of the
benchmark protocols in ``../shared/data/README.md``.

Conventions, those of scikit-learn's ``precision_recall_fscore_support`` with ``zero_division=0``
when the label set is inferred from the data:

- micro figures pool tp / fp / fn over all labels;
- macro figures average the per-label figures over the labels that occur in the gold or in the
  predictions of the rows scored (a label nobody used says nothing about the tagger);
- a ratio with a zero denominator is 0; per-label F1 is ``2tp / (2tp + fp + fn)``.

Bootstrap intervals resample rows (texts) with replacement, ``n_boot`` times with a fixed seed, and
report the 2.5th and 97.5th percentiles of each figure.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from pipeline.errors import GoldError
from pipeline.taxonomy import Taxonomy

GROUP_FIELDS = ("lang", "doc_type")  # gold row fields that `aptag evaluate` breaks the figures down by
METRICS = ("micro_precision", "micro_recall", "micro_f1", "macro_precision", "macro_recall", "macro_f1")


# --- gold files ------------------------------------------------------------------------------
def gold_objects(text: str, source: str, example: str, needs_text: bool = True) -> Iterator[tuple[int, dict]]:
    """(line number, object) of each non-blank JSONL line that is an object (with a string "text"
    unless not ``needs_text``); a :class:`GoldError` names the first line that is not, with
    ``example`` as the expected form."""
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{source}, line {lineno}: not valid JSON ({exc.msg}, column {exc.colno}). Each line "
                            f"must be one JSON object such as {example}.") from None
        if not isinstance(obj, dict) or (needs_text and not isinstance(obj.get("text"), str)):
            what = 'an object with a string "text"' if needs_text else "a JSON object"
            raise GoldError(f"{source}, line {lineno}: expected {what}, found {raw.strip()[:80]!r}."
                            + (" Give every row its text." if needs_text else ""))
        yield lineno, obj


def parse_gold(text: str, tax: Taxonomy, source: str = "gold file") -> pd.DataFrame:
    """Parse JSONL gold rows ``{"text": str, "items": [item IDs]}`` into a frame (line, text, items).

    Blank lines are skipped. Raises :class:`GoldError` naming the line of malformed JSON or a
    malformed row, and naming every unknown item ID with the lines it is on.
    """
    leaves = set(tax.item_ids())
    leaf_level = tax.levels[-1]
    rows: list[dict] = []
    unknown: dict[str, list[int]] = {}
    for lineno, obj in gold_objects(text, source, '{"text": "...", "items": ["1.1.a"]}'):
        items = obj.get("items")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise GoldError(f"{source}, line {lineno}: \"items\" must be a list of item IDs (possibly empty), "
                            f"found {items!r}.")
        for item in items:
            if item not in leaves:
                unknown.setdefault(item, []).append(lineno)
        rows.append({"line": lineno, "text": obj["text"], "items": list(dict.fromkeys(items)),
                     **{k: str(obj[k]) for k in GROUP_FIELDS if obj.get(k) is not None}})
    if unknown:
        described = []
        for item, lines in unknown.items():
            kind = f", a {tax.nodes[item].level} ID" if item in tax.nodes else ""
            described.append(f"{item!r}{kind} (line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})")
        raise GoldError(
            f"{source}: {len(unknown)} item ID(s) not among the {len(leaves)} {leaf_level}s of taxonomy {tax.id!r}: "
            f"{'; '.join(described)}. Gold rows list {leaf_level} IDs such as {tax.item_ids()[0]!r}; fix the IDs "
            "or pass the taxonomy they come from with --taxonomy."
        )
    if not rows:
        raise GoldError(f"{source} holds no rows. Give one JSON object a line with \"text\" and \"items\".")
    return pd.DataFrame(rows, columns=["line", "text", "items",
                                       *(k for k in GROUP_FIELDS if any(k in r for r in rows))])


def by_group(rows: pd.DataFrame, pred: Sequence[Iterable[str]], tax: Taxonomy) -> dict:
    """Item-level micro precision, recall and F1 per value of each of ``GROUP_FIELDS`` the gold rows
    carry: ``{"lang": {"en": {"n_rows", "precision", "recall", "f1"}, ...}, "doc_type": {...}}``."""
    labels = tax.item_ids()
    gold_m, pred_m = indicator(rows["items"].tolist(), labels), indicator([set(p) for p in pred], labels)
    out: dict = {}
    for field in GROUP_FIELDS:
        if field not in rows:
            continue
        out[field] = {}
        for value, idx in rows.groupby(rows[field].fillna("unknown")).indices.items():
            g, p = gold_m[idx], pred_m[idx]
            tp, fp, fn = int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum())
            out[field][str(value)] = {"n_rows": len(idx), "precision": tp / max(1, tp + fp),
                                      "recall": tp / max(1, tp + fn), "f1": 2 * tp / max(1, 2 * tp + fp + fn)}
    return out


# --- label sets ------------------------------------------------------------------------------
def level_labels(tax: Taxonomy, level: str) -> list[str]:
    """The IDs of ``level``, in document order."""
    return [n.id for n in tax.at_level(level)]


def roll_up(rows: Sequence[Iterable[str]], tax: Taxonomy, level: str) -> list[set[str]]:
    """Each row's IDs replaced by their ancestors at ``level`` (a tag on an item is a tag on its section)."""
    return [{tax.parent_at(i, level) for i in row} for row in rows]


def indicator(rows: Sequence[Iterable[str]], labels: Sequence[str]) -> np.ndarray:
    """Boolean matrix (rows, labels); IDs outside ``labels`` are ignored."""
    index = {lab: j for j, lab in enumerate(labels)}
    out = np.zeros((len(rows), len(labels)), dtype=bool)
    for i, row in enumerate(rows):
        for lab in row:
            j = index.get(lab)
            if j is not None:
                out[i, j] = True
    return out


def roll_up_margins(margins: np.ndarray, labels: Sequence[str], tax: Taxonomy, level: str) -> tuple[np.ndarray, list[str]]:
    """Margins (score minus threshold) at ``level``: a node's margin is the best of its items'.

    A node is predicted when any item under it is, so ``rolled >= 0`` is the rolled-up prediction.
    """
    targets = level_labels(tax, level)
    col = {t: j for j, t in enumerate(targets)}
    out = np.full((margins.shape[0], len(targets)), -np.inf)
    for j, lab in enumerate(labels):
        k = col[tax.parent_at(lab, level)]
        out[:, k] = np.maximum(out[:, k], margins[:, j])
    return out, targets


# --- metrics ---------------------------------------------------------------------------------
def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    return np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)


def _metrics(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> dict[str, np.ndarray]:
    """Micro and macro figures from per-label counts; the last axis is labels (any leading axes)."""
    stp, sfp, sfn = tp.sum(-1), fp.sum(-1), fn.sum(-1)
    p, r, f = _ratio(tp, tp + fp), _ratio(tp, tp + fn), _ratio(2 * tp, 2 * tp + fp + fn)
    used = (tp + fp + fn) > 0
    n_used = used.sum(-1)
    return {
        "micro_precision": _ratio(stp, stp + sfp),
        "micro_recall": _ratio(stp, stp + sfn),
        "micro_f1": _ratio(2 * stp, 2 * stp + sfp + sfn),
        "macro_precision": _ratio((p * used).sum(-1), n_used),
        "macro_recall": _ratio((r * used).sum(-1), n_used),
        "macro_f1": _ratio((f * used).sum(-1), n_used),
    }


def bootstrap_weights(n_rows: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n_rows) counts of how often each row is drawn in each resample."""
    rng = np.random.default_rng(seed)
    if n_rows == 0 or n_boot == 0:
        return np.zeros((n_boot, n_rows))
    return rng.multinomial(n_rows, np.full(n_rows, 1.0 / n_rows), size=n_boot).astype(float)


def _interval(samples: np.ndarray) -> list[float]:
    lo, hi = np.percentile(samples, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def level_report(gold: np.ndarray, pred: np.ndarray, n_boot: int = 1000, seed: int = 0) -> dict:
    """Micro and macro P / R / F1 of boolean matrices (rows, labels), with bootstrap 95% intervals."""
    tp = (gold & pred).astype(float)
    fp = (~gold & pred).astype(float)
    fn = (gold & ~pred).astype(float)
    point = _metrics(tp.sum(0), fp.sum(0), fn.sum(0))
    report: dict = {k: round(float(v), 4) for k, v in point.items()}
    report.update(tp=int(tp.sum()), fp=int(fp.sum()), fn=int(fn.sum()),
                  n_labels=int(((tp + fp + fn).sum(0) > 0).sum()))
    if n_boot:
        w = bootstrap_weights(gold.shape[0], n_boot, seed)
        boot = _metrics(w @ tp, w @ fp, w @ fn)
        report["ci95"] = {k: _interval(v) for k, v in boot.items()}
    return report


def matrix_figures(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Point micro / macro P, R, F1 of boolean matrices (rows, labels), without intervals: the
    figures of :func:`level_report`, cheap enough for a grid search over thousands of settings."""
    tp, fp, fn = (gold & pred).sum(0), (~gold & pred).sum(0), (gold & ~pred).sum(0)
    return {k: float(v) for k, v in _metrics(tp, fp, fn).items()}


def level_matrix(tax: Taxonomy, labels: Sequence[str], level: str) -> tuple[np.ndarray, list[str]]:
    """(labels x nodes) 0/1 matrix taking ``labels`` to their ancestors at ``level``, and the nodes:
    ``(pred @ matrix) > 0`` is the rolled-up prediction of a boolean matrix (see :func:`roll_up`)."""
    nodes = list(dict.fromkeys(tax.parent_at(lab, level) for lab in labels))
    col = {n: k for k, n in enumerate(nodes)}
    out = np.zeros((len(labels), len(nodes)))
    for j, lab in enumerate(labels):
        out[j, col[tax.parent_at(lab, level)]] = 1
    return out, nodes


def theme_figures_matrix(theme_columns: Sequence[Sequence[np.ndarray]], gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """The UPR protocol's theme recall, item precision and theme F1 (see :func:`upr_protocol`) over
    boolean matrices: ``theme_columns[r]`` holds, per mapped theme of row ``r``, the label columns it
    maps to; ``gold`` is their union per row; ``pred`` keeps only evaluable labels."""
    found = sum(bool(pred[r, cols].any()) for r, row in enumerate(theme_columns) for cols in row)
    pairs = sum(len(row) for row in theme_columns)
    rec = float(_ratio(found, pairs))
    prec = float(_ratio((pred & gold).sum(), pred.sum()))
    return {"theme_recall": rec, "item_precision": prec, "theme_f1": float(_ratio(2 * prec * rec, prec + rec))}


def per_label_table(gold: np.ndarray, pred: np.ndarray, labels: Sequence[str],
                    titles: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per label: support, predicted, tp, fp, fn, precision, recall, f1 (labels in given order)."""
    tp = (gold & pred).sum(0)
    fp = (~gold & pred).sum(0)
    fn = (gold & ~pred).sum(0)
    table = pd.DataFrame({
        "item": list(labels),
        "support": tp + fn,
        "predicted": tp + fp,
        "tp": tp, "fp": fp, "fn": fn,
        "precision": _ratio(tp, tp + fp).round(4),
        "recall": _ratio(tp, tp + fn).round(4),
        "f1": _ratio(2 * tp, 2 * tp + fp + fn).round(4),
    })
    if titles is not None:
        table.insert(1, "title", [titles.get(lab, "") for lab in labels])
    return table


def sibling_confusion(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], tax: Taxonomy) -> pd.DataFrame:
    """For each gold item, the other items of the same parent predicted on its rows without being gold.

    ``instead``: the gold item itself was missed; ``as_well``: it was found too. Sorted by total.
    """
    counts: Counter[tuple[str, str, bool]] = Counter()
    for g_row, p_row in zip(gold, pred):
        g_set, p_set = set(g_row), set(p_row)
        for g in g_set:
            parent = tax.get(g).parent
            for p in p_set - g_set:
                if tax.get(p).parent == parent:
                    counts[(g, p, g in p_set)] += 1
    pairs = sorted({(g, p) for g, p, _ in counts})
    table = pd.DataFrame(
        [{"gold_item": g, "predicted_item": p, "instead": counts[(g, p, False)], "as_well": counts[(g, p, True)]}
         for g, p in pairs],
        columns=["gold_item", "predicted_item", "instead", "as_well"],
    )
    table["total"] = table["instead"] + table["as_well"]
    return table.sort_values(["total", "gold_item", "predicted_item"], ascending=[False, True, True],
                             kind="stable").reset_index(drop=True)


def evaluate(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], tax: Taxonomy,
             n_boot: int = 1000, seed: int = 0) -> dict:
    """The full report at every level of ``tax``, JSON-ready.

    ``{"taxonomy", "n_rows", "levels", <level>: level_report, "per_item": [...], "confusion": [...]}``;
    the leaf level carries the per-item table and the confusion between sibling items.
    """
    gold, pred = [set(g) for g in gold], [set(p) for p in pred]
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold rows but {len(pred)} predictions")
    leaf = tax.levels[-1]
    report: dict = {"taxonomy": tax.id, "n_rows": len(gold), "levels": list(tax.levels),
                    "bootstrap": {"n_boot": n_boot, "seed": seed}}
    for level in tax.levels:
        labels = level_labels(tax, level)
        g, p = (gold, pred) if level == leaf else (roll_up(gold, tax, level), roll_up(pred, tax, level))
        report[level] = level_report(indicator(g, labels), indicator(p, labels), n_boot, seed)
    labels = tax.item_ids()
    titles = {n.id: (n.title or n.text) for n in tax.items()}
    table = per_label_table(indicator(gold, labels), indicator(pred, labels), labels, titles)
    report["per_item"] = table[(table["support"] > 0) | (table["predicted"] > 0)].to_dict("records")
    report["confusion"] = sibling_confusion(gold, pred, tax).to_dict("records")
    return _plain(report)


def _plain(obj):
    """Numpy scalars to Python ones, so the report serialises as JSON."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    return obj


# --- thresholds tuned on dev data ------------------------------------------------------------
OFFSET_GRID = tuple(round(float(x), 2) for x in np.arange(-0.50, 0.5001, 0.01))


def tune_offset(objective: Callable[[float], float], grid: Sequence[float] = OFFSET_GRID) -> tuple[float, float]:
    """The offset added to every item's threshold that maximises ``objective(offset)`` on dev rows.

    Returns (offset, objective there). One shared offset, not one per item: dev sets are small,
    and a per-item search would fit their noise. Ties go to the offset nearest 0 (the model as shipped).
    """
    best_value, best_offset = -np.inf, 0.0
    for off in sorted(grid, key=abs):
        value = float(objective(off))
        if value > best_value + 1e-12:
            best_value, best_offset = value, float(off)
    return best_offset, round(best_value, 4)


def micro_f1_at(margins: np.ndarray, gold: np.ndarray, offset: float) -> float:
    """Micro-F1 of ``margins >= offset`` against a boolean gold matrix."""
    pred = margins >= offset
    tp = float((gold & pred).sum())
    return float(_ratio(2 * tp, 2 * tp + float((~gold & pred).sum()) + float((gold & ~pred).sum())))


# --- protocol: UPR recommendations with UHRI themes (Action Plan items) -----------------------
def upr_gold(themes: Sequence[Iterable[str]], theme_map: dict[str, list[str]]) -> list[list[str]]:
    """Each row's mapped themes (themes without a mapping dropped)."""
    return [[t for t in row if t in theme_map] for row in themes]


def upr_protocol(themes: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], theme_map: dict[str, list[str]],
                 tax: Taxonomy, n_boot: int = 1000, seed: int = 0, section_level: str = "section") -> dict:
    """Score predicted items against UHRI themes mapped to Action Plan items.

    Rows must already exclude those with no mapped theme. Only the items in ``theme_map`` (the
    evaluable items) are scored; other predictions are dropped before anything is counted.
    - theme recall: share of (row, mapped theme) pairs whose prediction holds any of that theme's items;
    - item precision: share of predicted evaluable items that some theme of the row maps to;
    - theme F1: their harmonic mean;
    - strict micro / macro F1 at item and section level (gold = union of the mapped items).
    """
    evaluable = sorted({i for items in theme_map.values() for i in items}, key=tax.item_ids().index)
    ev = set(evaluable)
    row_themes = upr_gold(themes, theme_map)
    gold = [{i for t in row for i in theme_map[t]} for row in row_themes]
    pred = [set(p) & ev for p in pred]
    found = np.array([sum(bool(set(theme_map[t]) & p) for t in row) for row, p in zip(row_themes, pred)], float)
    n_themes = np.array([len(row) for row in row_themes], float)
    right = np.array([len(p & g) for p, g in zip(pred, gold)], float)
    n_pred = np.array([len(p) for p in pred], float)

    def theme_figures(f, t, r, n):
        rec, prec = _ratio(f, t), _ratio(r, n)
        return {"theme_recall": rec, "item_precision": prec, "theme_f1": _ratio(2 * prec * rec, prec + rec)}

    point = theme_figures(found.sum(), n_themes.sum(), right.sum(), n_pred.sum())
    report: dict = {k: round(float(v), 4) for k, v in point.items()}
    report.update(n_rows=len(gold), n_theme_pairs=int(n_themes.sum()), n_predicted=int(n_pred.sum()),
                  n_evaluable_items=len(evaluable))
    if n_boot:
        w = bootstrap_weights(len(gold), n_boot, seed)
        boot = theme_figures(w @ found, w @ n_themes, w @ right, w @ n_pred)
        report["ci95"] = {k: _interval(v) for k, v in boot.items()}
    sections = list(dict.fromkeys(tax.parent_at(i, section_level) for i in evaluable))
    report["item"] = level_report(indicator(gold, evaluable), indicator(pred, evaluable), n_boot, seed)
    report["section"] = level_report(indicator(roll_up(gold, tax, section_level), sections),
                                     indicator(roll_up(pred, tax, section_level), sections), n_boot, seed)
    titles = {n.id: (n.title or n.text) for n in tax.items()}
    report["per_item"] = per_label_table(indicator(gold, evaluable), indicator(pred, evaluable), evaluable,
                                         titles).to_dict("records")
    per_theme: dict[str, list[int]] = {}
    for row, p in zip(row_themes, pred):
        for t in row:
            hit = per_theme.setdefault(t, [0, 0])
            hit[0] += 1
            hit[1] += bool(set(theme_map[t]) & p)
    report["per_theme"] = sorted(
        ({"theme": t, "items": theme_map[t], "pairs": n, "found": f, "recall": round(f / n, 4)}
         for t, (n, f) in per_theme.items()), key=lambda d: (-(d["pairs"] - d["found"]), d["theme"]))
    report["confusion"] = sibling_confusion(gold, pred, tax).to_dict("records")
    return _plain(report)


# --- protocol: SDG benchmark (one yes/no SDG per snippet) -------------------------------------
SDG_COLUMNS = ["sdg", "n", "accuracy", "precision", "recall", "f1", "tp", "fp", "tn", "fn"]


def sdg_binary_table(sdgs: Sequence[int | str], labels: Sequence[bool], pred_goals: Sequence[Iterable[str]]) -> pd.DataFrame:
    """Per-SDG accuracy, precision, recall (percent) and F1 (0-1) of ``row.sdg in predicted goals``,
    then an "Average" row of the per-SDG figures, as in ``published_results.csv``."""
    said = np.array([str(s) in {str(g) for g in p} for s, p in zip(sdgs, pred_goals)])
    truth = np.asarray(labels, dtype=bool)
    keys = np.array([str(s) for s in sdgs])
    rows = []
    for sdg in sorted(set(keys), key=int):
        m = keys == sdg
        tp, fp = int((said & truth & m).sum()), int((said & ~truth & m).sum())
        tn, fn = int((~said & ~truth & m).sum()), int((~said & truth & m).sum())
        rows.append({"sdg": sdg, "n": int(m.sum()),
                     "accuracy": 100 * (tp + tn) / m.sum(),
                     "precision": 100 * float(_ratio(tp, tp + fp)),
                     "recall": 100 * float(_ratio(tp, tp + fn)),
                     "f1": float(_ratio(2 * tp, 2 * tp + fp + fn)),
                     "tp": tp, "fp": fp, "tn": tn, "fn": fn})
    table = pd.DataFrame(rows, columns=SDG_COLUMNS)
    average = {"sdg": "Average", **table.drop(columns="sdg").mean().to_dict()}
    return pd.concat([table, pd.DataFrame([average])], ignore_index=True)


# --- protocol: UNGA paragraphs with several annotators ----------------------------------------
def _set_counts(gold: Sequence[set[str]], pred: Sequence[set[str]]) -> np.ndarray:
    """Per row: tp, fp, fn of two label sets."""
    return np.array([[len(g & p), len(p - g), len(g - p)] for g, p in zip(gold, pred)], float).reshape(-1, 3)


def micro_f1_sets(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]], n_boot: int = 0,
                  seed: int = 0) -> dict:
    """Micro precision, recall and F1 of paired label sets, with a bootstrap interval on F1."""
    counts = _set_counts([set(g) for g in gold], [set(p) for p in pred])
    tp, fp, fn = counts.sum(0)
    figures: dict = {"precision": round(float(_ratio(tp, tp + fp)), 4), "recall": round(float(_ratio(tp, tp + fn)), 4),
                     "f1": round(float(_ratio(2 * tp, 2 * tp + fp + fn)), 4), "n_rows": len(counts)}
    if n_boot:
        b = bootstrap_weights(len(counts), n_boot, seed) @ counts
        figures["ci95"] = {"f1": _interval(_ratio(2 * b[:, 0], 2 * b[:, 0] + b[:, 1] + b[:, 2]))}
    return figures


def annotator_scores(annotations: Sequence[dict[str, list[str]]], pred: Sequence[Iterable[str]] | None = None,
                     n_boot: int = 1000, seed: int = 0) -> dict[str, dict]:
    """Micro-F1 on goals against each annotator separately (keyed by annotator), or, without ``pred``,
    between every pair of annotators (keyed "A-B": the human band).

    Predictions are scored on the rows the annotator labelled; a pair on the rows both labelled.
    Micro-F1 is symmetric, so which annotator of a pair counts as gold does not matter.
    """
    names = sorted({a for row in annotations for a in row})
    pairs = [(a, None) for a in names] if pred is not None else \
        [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    out: dict[str, dict] = {}
    for a, b in pairs:
        idx = [i for i, row in enumerate(annotations) if a in row and (b is None or b in row)]
        gold = [annotations[i][a] for i in idx]
        other = [pred[i] if b is None else annotations[i][b] for i in idx]
        out[a if b is None else f"{a}-{b}"] = micro_f1_sets(gold, other, n_boot, seed)
    return out


# --- running a tagger for evaluation ---------------------------------------------------------
def resolve_tagger(model: str | None, tax: Taxonomy, cfg=None):
    """(tagger, model ID) for a registered tagger name, configured from the ``tag:`` section as
    ``aptag tag`` configures it, or for a saved model directory (checked against ``tax``)."""
    from pipeline.config import load_config
    from pipeline.tag import tagger_spec

    spec = tagger_spec(model, cfg if cfg is not None else load_config().tag, tax)
    return spec.load(), spec.model_id


def score_margins(tagger, texts: Sequence[str], batch_size: int = 64, advance=None) -> np.ndarray:
    """Each text's score minus each item's threshold (rows texts, columns ``tagger.labels_``);
    ``>= 0`` is a tag. ``advance(n)`` is called after each batch (progress bars)."""
    texts = list(texts)
    blocks = [np.zeros((0, len(tagger.labels_)))]
    for k in range(0, len(texts), batch_size):
        batch = texts[k:k + batch_size]
        blocks.append(np.asarray(tagger.predict_scores(batch), dtype=float) - np.asarray(tagger.thresholds_)[None, :])
        if advance is not None:
            advance(len(batch))
    return np.concatenate(blocks)


def tags_from_margins(margins: np.ndarray, labels: Sequence[str], offset: float = 0.0) -> list[list[str]]:
    """The labels at or above ``offset`` on each row."""
    return [[labels[j] for j in np.flatnonzero(row >= offset)] for row in margins]
