"""Scoring who-said-it: ``actor`` and ``act`` of sentences against gold rows
``{"text": sentence, "context": passage (optional), "actor": ..., "act": ...}``: accuracy,
macro-F1 over the classes present in gold or predictions, per-class figures and a confusion table."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from pipeline.actors import ACTORS, ACTS, attribute_in_context
from pipeline.errors import GoldError
from pipeline.evaluate import gold_objects

TASKS = {"actor": ACTORS, "act": ACTS}


def parse_actor_gold(text: str, source: str = "gold file") -> list[dict]:
    """The rows of a JSONL actor/act gold file; a :class:`GoldError` names the line of a bad row."""
    rows = []
    for lineno, obj in gold_objects(text, source, '{"text": "...", "actor": "eu", "act": "raised"}'):
        for key, classes in TASKS.items():
            if obj.get(key) not in classes:
                raise GoldError(f"{source}, line {lineno}: \"{key}\" must be one of {', '.join(classes)}, "
                                f"found {obj.get(key)!r}.")
        context = obj.get("context")
        rows.append({"line": lineno, "text": obj["text"], "context": context if isinstance(context, str) else None,
                     "actor": obj["actor"], "act": obj["act"], "lang": obj.get("lang")})
    if not rows:
        raise GoldError(f"{source} holds no rows. Give one JSON object a line with \"text\", \"actor\" and \"act\".")
    return rows


def predict_actors(rows: Sequence[dict]) -> list[tuple[str, str]]:
    return [attribute_in_context(r["text"], r.get("context")) for r in rows]


def class_report(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> dict:
    """Accuracy, macro-F1 and per-class precision/recall/F1, and the confusion ``{gold: {pred: n}}``."""
    pairs = Counter(zip(gold, pred))
    per_class, f1s = {}, []
    for c in classes:
        tp = pairs[(c, c)]
        fp = sum(n for (g, p), n in pairs.items() if p == c and g != c)
        fn = sum(n for (g, p), n in pairs.items() if g == c and p != c)
        if tp + fp + fn == 0:
            continue
        f1 = 2 * tp / (2 * tp + fp + fn)
        f1s.append(f1)
        per_class[c] = {"support": tp + fn, "precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn), "f1": f1}
    confusion = {g: {p: pairs[(g, p)] for p in classes if pairs[(g, p)]} for g in classes if any(
        pairs[(g, p)] for p in classes)}
    return {"accuracy": sum(pairs[(c, c)] for c in classes) / max(1, len(gold)),
            "macro_f1": sum(f1s) / max(1, len(f1s)), "per_class": per_class, "confusion": confusion}


def evaluate_actors(rows: Sequence[dict], pred: Sequence[tuple[str, str]]) -> dict:
    """``{"n_rows", "actor": class_report, "act": class_report, "by_lang": {...}}``."""
    report: dict = {"n_rows": len(rows)}
    for k, (key, classes) in enumerate(TASKS.items()):
        report[key] = class_report([r[key] for r in rows], [p[k] for p in pred], classes)
    langs = sorted({r["lang"] for r in rows if r.get("lang")})
    if langs:
        report["by_lang"] = {}
        for lang in langs:
            idx = [i for i, r in enumerate(rows) if r.get("lang") == lang]
            report["by_lang"][lang] = {
                key: {m: v for m, v in class_report([rows[i][key] for i in idx], [pred[i][k] for i in idx],
                                                    classes).items() if m in ("accuracy", "macro_f1")}
                for k, (key, classes) in enumerate(TASKS.items())}
    return report
