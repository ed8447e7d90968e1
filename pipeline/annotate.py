"""Review queues out, corrections in.

Out: :func:`select_for_review` picks the passages whose labels would teach a model most (a score
near its model's threshold, taggers that disagree), spread over items and countries so that one
noisy item or one country does not fill the queue; :func:`render_queue` writes it as CSV, JSONL,
Label Studio tasks or Doccano JSONL, with the current tags and their evidence.

In: :func:`parse_corrections` reads a corrected file (the same formats, plus Label Studio's JSON
and JSON-MIN exports) into one row per reviewed passage; :func:`resolve_corrections` turns those
into annotation rows (an item in the corrected set is 1, a candidate left out is 0), validates
item and passage IDs, and reports what it took, what it skipped and why. Where one file, or the
file and the workspace, disagree about a (passage, item), the last word wins and the conflict is
reported.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from pipeline.cells import guard_record
from pipeline.errors import GoldError
from pipeline.taxonomy import Taxonomy

FORMATS = ("csv", "jsonl", "labelstudio", "doccano")
QUEUE_COLUMNS = ["passage_id", "doc_id", "country", "title", "text", "items", "candidates", "scores",
                 "evidence", "reason", "value"]
# A list cell in CSV: item IDs joined by ';' (IDs never contain it).
SEP = ";"
# The reviewer's word on a CSV / JSONL queue row; the column starts empty and an empty row is
# untouched: skipped on import, never read as the machine's suggestions confirmed.
DECISIONS = {"accept": "accept", "accepted": "accept", "yes": "accept", "ok": "accept", "y": "accept",
             "reject": "reject", "rejected": "reject", "no": "reject", "n": "reject",
             "edit": "edit", "edited": "edit", "changed": "edit", "add": "edit", "added": "edit",
             "items added": "edit"}
DECISION_HELP = ("write accept (the items column is right), reject (none of the candidates applies) or edit "
                 "(you changed the items column)")


# --- selection -----------------------------------------------------------------------------
def select_for_review(passages: pd.DataFrame, predictions: pd.DataFrame, *, n: int = 100,
                      tagged: pd.DataFrame | None = None, annotated: set[str] | None = None,
                      max_candidates: int = 8) -> pd.DataFrame:
    """The ``n`` passages most worth a desk officer's time, best first (columns QUEUE_COLUMNS).

    ``passages`` needs passage_id, text (doc_id, country, title if known); ``predictions`` the
    workspace table (passage_id, item_id, score, model_id, accepted, evidence). A (passage, item)
    is worth reviewing when a model's score sits near that model's threshold for the item, or when
    the models that tagged the passage disagree about it. Passages already annotated are skipped.
    """
    annotated = annotated or set()
    pool = passages[~passages["passage_id"].isin(annotated)]
    preds = predictions[predictions["passage_id"].isin(set(pool["passage_id"]))]
    if pool.empty or preds.empty or n <= 0:
        return pd.DataFrame(columns=QUEUE_COLUMNS)

    cand = _candidate_values(preds, tagged)
    cand = cand.sort_values(["passage_id", "value"], ascending=[True, False])
    per_passage = cand.groupby("passage_id", sort=False)
    # The best item's value, plus a little for every other uncertain item on the passage.
    value = per_passage["value"].max() + 0.1 * (per_passage["value"].sum() - per_passage["value"].max())
    top_item = per_passage["item_id"].first()
    meta = pool.set_index("passage_id").reindex(value.index)
    country = meta["country"].fillna("?") if "country" in meta else pd.Series("?", index=value.index)

    chosen = _spread_greedy(value.to_numpy(), top_item.to_numpy(), country.to_numpy(), n)
    rows = []
    for pid in value.index[chosen]:
        c = cand[cand["passage_id"] == pid].head(max_candidates)
        rows.append({
            "passage_id": pid,
            "doc_id": meta.at[pid, "doc_id"] if "doc_id" in meta else None,
            "country": meta.at[pid, "country"] if "country" in meta else None,
            "title": meta.at[pid, "title"] if "title" in meta else None,
            "text": meta.at[pid, "text"],
            "items": sorted(c.loc[c["suggested"], "item_id"]),
            "candidates": sorted(c["item_id"]),
            "scores": {r.item_id: round(float(r.score), 3) for r in c.itertuples()},
            "evidence": {r.item_id: r.evidence for r in c.itertuples() if r.evidence},
            "reason": "; ".join(r.reason for r in c.head(3).itertuples()),
            "value": round(float(value[pid]), 3),
        })
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def _candidate_values(preds: pd.DataFrame, tagged: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (passage, item) with its review value in [0, 1], a suggestion and a reason."""
    p = preds.copy()
    p["accepted"] = p["accepted"].astype(bool)
    t = threshold_estimates(p)
    spread = p.groupby("model_id")["score"].transform("std").fillna(0).to_numpy() + 1e-3
    p["uncertainty"] = 1.0 / (1.0 + np.abs(p["score"].to_numpy() - t) / spread)

    # Models that looked at a passage: from `tagged` where given, else those with any prediction.
    seen = (tagged[["passage_id", "model_id"]] if tagged is not None and not tagged.empty
            else p[["passage_id", "model_id"]]).drop_duplicates()
    n_models = seen.groupby("passage_id").size()
    g = p.groupby(["passage_id", "item_id"])
    out = g.agg(score=("score", "max"), n_accept=("accepted", "sum"), uncertainty=("uncertainty", "max"),
                evidence=("evidence", "first")).reset_index()
    out["n_models"] = out["passage_id"].map(n_models).fillna(1).clip(lower=1).to_numpy()
    frac = out["n_accept"] / out["n_models"]
    out["disagreement"] = np.where(out["n_models"] > 1, 1 - np.abs(2 * frac - 1), 0.0)
    out["value"] = np.maximum(out["uncertainty"], out["disagreement"])
    out["suggested"] = frac >= 0.5
    out["evidence"] = out["evidence"].map(_evidence_sentence)
    out["reason"] = np.where(
        out["disagreement"] >= out["uncertainty"],
        out["item_id"] + ": taggers disagree (" + out["n_accept"].astype(int).astype(str) + "/"
        + out["n_models"].astype(int).astype(str) + " accept)",
        out["item_id"] + ": score " + out["score"].round(2).astype(str) + " near the threshold")
    # Only what a model accepted or nearly accepted is a candidate for the reviewer.
    return out[(out["n_accept"] > 0) | (out["uncertainty"] >= 0.5)]


def threshold_estimates(p: pd.DataFrame) -> np.ndarray:
    """Each prediction's threshold, estimated: thresholds are not stored with predictions.

    For a (model, item) with accepted and rejected scores, the midpoint between the lowest
    accepted and the highest rejected below it; otherwise the model's median of those; for a
    model with none, the midpoint between its lowest accepted and highest rejected score.
    """
    acc, rej = p[p["accepted"]], p[~p["accepted"]]
    lo_acc = acc.groupby(["model_id", "item_id"])["score"].min()
    hi_rej = rej.groupby(["model_id", "item_id"])["score"].max()
    both = pd.concat([lo_acc.rename("a"), hi_rej.rename("r")], axis=1).dropna()
    both = both[both["r"] < both["a"]]
    per_item = ((both["a"] + both["r"]) / 2).to_dict()
    per_model = ((both["a"] + both["r"]) / 2).groupby(level=0).median().to_dict()
    for model, g in p.groupby("model_id"):
        if model not in per_model:
            a, r = g.loc[g["accepted"], "score"], g.loc[~g["accepted"], "score"]
            per_model[model] = ((a.min() + r.max()) / 2 if len(a) and len(r)
                                else a.min() if len(a) else r.max())
    # mapped per row without a Python loop: a workspace has millions of predictions
    own = pd.Series(per_item, dtype=float).reindex(pd.MultiIndex.from_arrays([p["model_id"], p["item_id"]]))
    fallback = p["model_id"].map(per_model).to_numpy(dtype=float)
    return np.where(np.isnan(own.to_numpy()), fallback, own.to_numpy())


def _evidence_sentence(ev: Any) -> str:
    if ev is None or (isinstance(ev, float) and np.isnan(ev)):
        return ""
    if isinstance(ev, str):
        try:
            ev = json.loads(ev)
        except json.JSONDecodeError:
            return ev
    return str(ev.get("sentence", "")) if isinstance(ev, dict) else ""


def _spread_greedy(value: np.ndarray, item: np.ndarray, country: np.ndarray, n: int) -> list[int]:
    """Pick ``n`` indices by value, discounting an item or a country each time it is picked again."""
    item_codes, item_idx = np.unique(item.astype(str), return_inverse=True)
    country_codes, country_idx = np.unique(country.astype(str), return_inverse=True)
    used_item = np.zeros(len(item_codes))
    used_country = np.zeros(len(country_codes))
    free = np.ones(len(value), dtype=bool)
    chosen: list[int] = []
    for _ in range(min(n, len(value))):
        gain = value / np.sqrt(1 + used_item[item_idx]) / np.sqrt(1 + used_country[country_idx])
        gain = np.where(free, gain, -np.inf)
        k = int(np.argmax(gain))
        chosen.append(k)
        free[k] = False
        used_item[item_idx[k]] += 1
        used_country[country_idx[k]] += 1
    return chosen


# --- writing queues ------------------------------------------------------------------------
def render_queue(queue: pd.DataFrame, fmt: str) -> str:
    """The queue as the text of a file in ``fmt`` (one of FORMATS)."""
    _check_format(fmt)
    records = [{k: _plain(v) for k, v in row.items()} for row in queue.to_dict("records")]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=QUEUE_COLUMNS + ["decision", "annotator"], lineterminator="\n")
        writer.writeheader()
        for r in records:
            writer.writerow(guard_record({
                **r, "items": SEP.join(r["items"]), "candidates": SEP.join(r["candidates"]),
                "scores": json.dumps(r["scores"]), "evidence": json.dumps(r["evidence"], ensure_ascii=False),
                "decision": "", "annotator": ""}))
        return buf.getvalue()
    if fmt == "jsonl":
        return "".join(json.dumps({**r, "decision": ""}, ensure_ascii=False) + "\n" for r in records)
    if fmt == "doccano":
        # Doccano's text-classification import: "text" and "label"; other keys are kept as metadata.
        return "".join(json.dumps({"text": r["text"], "label": r["items"],
                                   **{k: v for k, v in r.items() if k not in ("text", "items")}},
                                  ensure_ascii=False) + "\n" for r in records)
    tasks = [{"data": {k: v for k, v in r.items() if k != "items"} | {"candidates": SEP.join(r["candidates"])},
              "predictions": [{"model_version": "aptag-review", "score": r["value"],
                               "result": [_ls_choices(r["items"])]}]} for r in records]
    return json.dumps(tasks, ensure_ascii=False, indent=1)


def labelstudio_config(taxonomy: Taxonomy) -> str:
    """A Label Studio labelling config for the queue: the passage and one checkbox per item."""
    from xml.sax.saxutils import quoteattr

    choices = "\n".join(f'    <Choice value={quoteattr(n.id)} hint={quoteattr(n.title or n.text[:200])}/>'
                        for n in taxonomy.items())
    return ('<View>\n  <Header value="$country $title"/>\n  <Text name="text" value="$text"/>\n'
            '  <Header value="Suggested by the taggers: $candidates"/>\n'
            f'  <Choices name="items" toName="text" choice="multiple" showInline="false">\n{choices}\n'
            '  </Choices>\n</View>\n')


def _ls_choices(items: list[str]) -> dict[str, Any]:
    return {"from_name": "items", "to_name": "text", "type": "choices", "value": {"choices": list(items)}}


def _plain(v: Any) -> Any:
    """JSON-safe values (numpy scalars, NaN) for the writers."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise GoldError(f"Unknown review format {fmt!r}: expected one of {', '.join(FORMATS)}.")


# --- reading corrections -------------------------------------------------------------------
def detect_format(name: str, text: str) -> str:
    """The format of a corrected file, from its extension and, for JSONL, its keys."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".json"):
        return "labelstudio"
    if lower.endswith(".jsonl"):
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            keys = json.loads(first).keys() if first else ()
        except (json.JSONDecodeError, AttributeError):
            keys = ()
        return "doccano" if ("label" in keys or "labels" in keys) and "items" not in keys else "jsonl"
    raise GoldError(f"Cannot tell the format of {name}: expected a .csv, .jsonl or .json file, "
                    f"or pass --format ({', '.join(FORMATS)}).")


CORRECTION_COLUMNS = ["row", "passage_id", "items", "candidates", "annotator", "at", "cancelled", "decision",
                      "report_model"]


def parse_corrections(text: str, fmt: str, name: str = "file") -> pd.DataFrame:
    """One row per correction, in file order: row, passage_id, items (list, or None when the row
    has no such field), candidates (list), annotator, at (timestamp or None), cancelled (bool),
    decision (the reviewer's word in a CSV / JSONL queue, "" when left empty; None when the file
    has no decision column, as in Label Studio and Doccano exports), report_model (the model of the
    report a JSONL row was downloaded from, see report.js; None for any other row)."""
    _check_format(fmt)
    if not text.strip():
        return pd.DataFrame(columns=CORRECTION_COLUMNS)
    rows = {"csv": _parse_csv, "jsonl": _parse_jsonl, "doccano": lambda t, n: _parse_jsonl(t, n, decisions=False),
            "labelstudio": _parse_labelstudio}[fmt](text, name)
    return pd.DataFrame(rows, columns=CORRECTION_COLUMNS)


def _split(cell: Any) -> list[str] | None:
    if cell is None:
        return None
    if isinstance(cell, list):
        return [str(x).strip() for x in cell if str(x).strip()]
    if isinstance(cell, dict):  # Label Studio JSON-MIN: {"choices": [...]}
        return _split(cell.get("choices"))
    return [x.strip() for x in str(cell).replace(",", SEP).split(SEP) if x.strip()]


def _parse_csv(text: str, name: str) -> list[dict]:
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long passage is one cell, not an error
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "passage_id" not in reader.fieldnames:
        raise GoldError(f"{name}: expected a CSV with columns passage_id and items (as written by "
                        f"`aptag review export --format csv`), found columns {reader.fieldnames}.")
    return [{"row": i, "passage_id": (r.get("passage_id") or "").strip(),
             "items": _split(r["items"]) if "items" in r and r["items"] is not None else None,
             "candidates": _split(r.get("candidates")) or [], "annotator": (r.get("annotator") or "").strip() or None,
             "at": None, "cancelled": False,
             "decision": (r.get("decision") or "").strip() if "decision" in reader.fieldnames else None}
            for i, r in enumerate(reader, start=2)]


def _parse_jsonl(text: str, name: str, decisions: bool = True) -> list[dict]:
    from pipeline.evaluate import gold_objects

    rows = []
    for i, obj in gold_objects(text, name, '{"passage_id": "...", "items": ["1.1.a"], "decision": "edit"}',
                               needs_text=False):
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
        items = next((obj[k] for k in ("items", "label", "labels") if k in obj), None)
        rows.append({"row": i, "passage_id": str(obj.get("passage_id") or meta.get("passage_id") or "").strip(),
                     "items": _split(items), "candidates": _split(obj.get("candidates") or meta.get("candidates")) or [],
                     "annotator": obj.get("annotator") or meta.get("annotator"), "at": obj.get("at"),
                     "cancelled": False,
                     "decision": str(obj.get("decision") or "").strip() if decisions and "decision" in obj else None,
                     "report_model": str(obj["model_id"]) if decisions and obj.get("source") == "report"
                     and obj.get("model_id") else None})
    return rows


def _parse_labelstudio(text: str, name: str) -> list[dict]:
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{name} is not valid JSON ({exc.msg}); expected Label Studio's JSON export "
                        "(Export > JSON) of the tasks written by `aptag review export --format labelstudio`.") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise GoldError(f"{name}: expected a list of Label Studio tasks, found {type(tasks).__name__}.")
    rows = []
    for i, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            raise GoldError(f"{name} task {i}: expected a JSON object, found {type(task).__name__}.")
        if "data" not in task:  # JSON-MIN: the data fields and the choices side by side
            rows.append({"row": i, "passage_id": str(task.get("passage_id") or "").strip(),
                         "items": _split(task.get("items")), "candidates": _split(task.get("candidates")) or [],
                         "annotator": task.get("annotator"), "at": task.get("updated_at"), "cancelled": False})
            continue
        data = task["data"]
        annotations = task.get("annotations") or task.get("completions") or []
        base = {"row": i, "passage_id": str(data.get("passage_id") or "").strip(),
                "candidates": _split(data.get("candidates")) or []}
        if not annotations:
            rows.append({**base, "items": None, "annotator": None, "at": None, "cancelled": False})
        for ann in sorted(annotations, key=lambda a: str(a.get("updated_at") or a.get("created_at") or "")):
            choices = [c for r in ann.get("result", []) if r.get("type") == "choices"
                       for c in r.get("value", {}).get("choices", [])]
            who = ann.get("completed_by")
            if isinstance(who, dict):
                who = who.get("email") or who.get("id")
            rows.append({**base, "items": choices, "annotator": None if who is None else f"labelstudio:{who}",
                         "at": ann.get("updated_at") or ann.get("created_at"),
                         "cancelled": bool(ann.get("was_cancelled"))})
    return rows


# --- corrections -> annotations ------------------------------------------------------------
@dataclass
class ImportReport:
    """What an import took, what it skipped and why, and the conflicts it resolved."""

    source: str
    rows: int = 0
    took: int = 0                      # annotation rows written
    passages: int = 0                  # passages they cover
    unchanged: int = 0                 # already in the workspace with the same value
    untouched: int = 0                 # queue rows nobody decided (empty decision): skipped
    skipped: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.source}: {self.rows} rows read; took {self.took} annotations on {self.passages} passages"
               f" ({self.unchanged} already recorded, unchanged); skipped {len(self.skipped)}; "
               f"{len(self.conflicts)} conflicts resolved (last one wins)."]
        if self.untouched:
            out.append(f"  untouched: {self.untouched} rows with an empty decision column were skipped; "
                       f"{DECISION_HELP} on the rows you reviewed.")
        out += [f"  skipped: {s}" for s in self.skipped]
        out += [f"  conflict: {c}" for c in self.conflicts]
        return out


def resolve_corrections(corrections: pd.DataFrame, *, taxonomy: Taxonomy, known_passages: set[str],
                        existing: pd.DataFrame, source: str, annotator: str,
                        now: datetime | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Annotation rows to write (the ``annotations`` table's columns) and the report.

    An item in a row's corrected set is annotated 1; a candidate the reviewer left out is 0.
    Rows with an unknown item ID (skipped whole: a typo is no rejection of the other candidates),
    passages not in the workspace and rows without an item list are skipped with the reason. Several rows on one (passage, item): the last wins; a different value from
    an earlier row, or from the workspace, is reported as a conflict.
    """
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    report = ImportReport(source=source, rows=len(corrections))
    if corrections.empty:
        report.skipped.append("the file holds no corrections (empty file)")
        return pd.DataFrame(columns=["passage_id", "item_id", "value", "annotator", "at", "source"]), report
    valid_items = set(taxonomy.item_ids())
    decided: dict[tuple[str, str], dict[str, Any]] = {}
    for r in corrections.itertuples(index=False):
        where = f"row {r.row}"
        if r.cancelled:
            report.skipped.append(f"{where}: the annotation was cancelled in Label Studio")
            continue
        if not r.passage_id:
            report.skipped.append(f"{where}: no passage_id")
            continue
        if r.passage_id not in known_passages:
            report.skipped.append(f"{where}: passage {r.passage_id} is not in the workspace "
                                  "(deleted or re-ingested since the export?)")
            continue
        items = r.items
        if isinstance(r.decision, str):  # a queue aptag wrote: only rows with a decision count
            decision = DECISIONS.get(r.decision.lower()) if r.decision else ""
            if decision == "":
                report.untouched += 1
                continue
            if decision is None:
                report.skipped.append(f"{where}: decision {r.decision!r} on passage {r.passage_id} is not one I know; "
                                      f"{DECISION_HELP}")
                continue
            if decision == "reject":
                items = []
        if items is None:
            report.skipped.append(f"{where}: passage {r.passage_id} has no items field (not annotated)")
            continue
        unknown = [x for x in items if x not in valid_items]
        if unknown:  # a typo must not turn the row's accepted tags into rejections: skip it whole
            report.skipped.append(f"{where}: unknown item ID{'s' if len(unknown) > 1 else ''} "
                                  f"{', '.join(map(repr, unknown))} on passage {r.passage_id} (not in taxonomy "
                                  f"{taxonomy.id!r}; see `aptag taxonomy show`); the whole row is skipped, fix the "
                                  "ID and import again")
            continue
        chosen = list(items)
        values = {x: 1 for x in chosen} | {x: 0 for x in r.candidates if x in valid_items and x not in chosen}
        at = pd.to_datetime(r.at, utc=True, errors="coerce") if r.at else pd.NaT
        at = now if pd.isna(at) else at.tz_convert(None).to_pydatetime()
        for item, value in values.items():
            key = (r.passage_id, item)
            if key in decided and decided[key]["value"] != value:
                report.conflicts.append(f"passage {r.passage_id} item {item}: {decided[key]['where']} says "
                                        f"{decided[key]['value']}, {where} says {value}; kept {value}")
            decided[key] = {"value": value, "where": where, "annotator": r.annotator or annotator, "at": at}
    before = {(e.passage_id, e.item_id): int(e.value) for e in existing.itertuples(index=False)}
    rows = []
    for (pid, item), d in decided.items():
        if before.get((pid, item)) == d["value"]:
            report.unchanged += 1
            continue
        if (pid, item) in before:
            report.conflicts.append(f"passage {pid} item {item}: the workspace had {before[(pid, item)]}, "
                                    f"{d['where']} says {d['value']}; kept {d['value']}")
        rows.append({"passage_id": pid, "item_id": item, "value": d["value"], "annotator": d["annotator"],
                     "at": d["at"], "source": source})
    out = pd.DataFrame(rows, columns=["passage_id", "item_id", "value", "annotator", "at", "source"])
    report.took = len(out)
    report.passages = out["passage_id"].nunique()
    return out, report


def write_annotations(ws: Any, annotations: pd.DataFrame) -> None:
    """Replace the workspace's annotations of the same (passage, item) pairs, in one transaction."""
    if annotations.empty:
        return
    with ws.transaction() as con:
        con.register("_new", annotations)
        try:
            con.execute("DELETE FROM annotations WHERE (passage_id, item_id) IN "
                        "(SELECT (passage_id, item_id) FROM _new)")
            # "at" is quoted: AT is a reserved word in DuckDB.
            con.execute('INSERT INTO annotations (passage_id, item_id, value, annotator, "at", source) '
                        'SELECT passage_id, item_id, value, annotator, "at", source FROM _new')
        finally:
            con.unregister("_new")


def annotated_labels(annotations: pd.DataFrame) -> pd.DataFrame:
    """Per annotated passage, its accepted items (the latest value of each pair): passage_id, items.

    A reviewed passage is taken as fully labelled: items not accepted are negatives for training.
    """
    if annotations.empty:
        return pd.DataFrame(columns=["passage_id", "items"])
    a = annotations.sort_values("at", kind="stable").drop_duplicates(["passage_id", "item_id"], keep="last")
    items = a[a["value"] == 1].groupby("passage_id")["item_id"].agg(lambda s: sorted(s))
    out = pd.DataFrame({"passage_id": sorted(a["passage_id"].unique())})
    out["items"] = out["passage_id"].map(items).apply(lambda v: v if isinstance(v, list) else [])
    return out
