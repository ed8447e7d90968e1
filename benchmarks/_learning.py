"""What the learning benchmarks share (learning_curve.py, active_learning.py): the UPR-UHRI
annotation pool (cycle 2) and test split (cycles 3-4), the zero-shot reference, fitting a learning
tagger on N labelled rows, and scoring it by the UPR protocol of pipeline/evaluate.py."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

import _common as C

FIGURES = ["theme_f1", "theme_recall", "item_precision", "item_micro_f1", "item_macro_f1", "section_micro_f1"]


@dataclass
class UprLearning:
    """Pool rows (texts, gold items) to learn from, test rows (texts, themes) to score on."""

    pool_texts: list[str]
    pool_items: list[list[str]]
    test_texts: list[str]
    test_themes: list[list[str]]
    theme_map: dict[str, list[str]]
    tax: object
    cache: str

    def score(self, pred: list[list[str]], n_boot: int, seed: int = 0) -> dict:
        from pipeline.evaluate import upr_protocol

        report = upr_protocol(self.test_themes, pred, self.theme_map, self.tax, n_boot=n_boot, seed=seed)
        return {"theme_f1": report["theme_f1"], "theme_recall": report["theme_recall"],
                "item_precision": report["item_precision"],
                "theme_f1_ci95": report.get("ci95", {}).get("theme_f1"),
                "item_micro_f1": round(report["item"]["micro_f1"], 4),
                "item_macro_f1": round(report["item"]["macro_f1"], 4),
                "section_micro_f1": round(report["section"]["micro_f1"], 4)}

    def zero_shot(self):
        """The configured zero-shot tagger (tag.model), fitted, with the workspace cache."""
        from pipeline.classify import create_tagger
        from pipeline.config import load_config
        from pipeline.tag import tagger_settings

        cfg = load_config().tag
        tagger = create_tagger(cfg.model, **tagger_settings(cfg.model, cfg))
        tagger.cache_dir = self.cache
        return tagger.fit(self.tax)

    def learner(self, model: str, rows: list[int]):
        """``model`` fitted on the pool rows ``rows`` (see :func:`fit_learner`)."""
        return fit_learner(model, self.tax, self.cache, [self.pool_texts[i] for i in rows],
                           [self.pool_items[i] for i in rows])


def fit_learner(model: str, tax, cache: str, texts: list[str], items: list[list[str]]):
    """``model`` with its settings from configs/train.yaml when it is train.model, fitted on
    ``texts`` and their ``items``, as `aptag train --set gold_train=[...]` fits it."""
    from pipeline.classify import create_tagger
    from pipeline.config import load_train_config

    cfg = load_train_config()
    tagger = create_tagger(model, **(cfg.settings if cfg.model == model else {}))
    tagger.cache_dir = cache
    return tagger.fit(tax, texts, items)


def upr_learning(dev_fold: tuple[int, int] | None = None) -> UprLearning:
    """Pool = cycle 2, test = cycles 3-4; or, with ``dev_fold=(f, k)``, fold f of k of cycle 2 as the
    test and the other folds as the pool (the dev protocol: no test row is read)."""
    from pipeline.evaluate import upr_gold
    from pipeline.store import resolve_workspace
    from pipeline.taxonomy import load_taxonomy

    theme_map = C.load_theme_map()
    rows = [r for r in C.read_jsonl(C.data_path("upr_slovenia_uhri", "upr_slovenia_uhri.jsonl"))
            if upr_gold([r["themes_norm"]], theme_map)[0]]
    pool = [r for r in rows if r["cycle"] == "cycle2"]
    test = [r for r in rows if r["cycle"] in ("cycle3", "cycle4")]
    if dev_fold:
        fold = set(np.random.default_rng(0).permutation(len(pool))[dev_fold[0]::dev_fold[1]].tolist())
        pool, test = [r for i, r in enumerate(pool) if i not in fold], [r for i, r in enumerate(pool) if i in fold]
    # the workspace embedding cache ($APTAG_WORKSPACE, else ./workspace of the project): reruns are quick
    cache = str(resolve_workspace(os.environ.get("APTAG_WORKSPACE") or C.ROOT / "workspace").resolve())
    return UprLearning(
        pool_texts=[r["text"] for r in pool],
        pool_items=[sorted({i for t in upr_gold([r["themes_norm"]], theme_map)[0] for i in theme_map[t]})
                    for r in pool],
        test_texts=[r["text"] for r in test], test_themes=[r["themes_norm"] for r in test],
        theme_map=theme_map, tax=load_taxonomy(), cache=cache)


def summarise(runs: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """Mean, min and max over seeds of each figure, per distinct ``keys`` (runs keep their order)."""
    out: dict[tuple, list[dict]] = {}
    for r in runs:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    rows = []
    for key, group in out.items():
        row = dict(zip(keys, key), seeds=len(group))
        for f in FIGURES:
            v = np.array([g[f] for g in group], float)
            row[f] = round(float(v.mean()), 4)
            row[f + "_range"] = [round(float(v.min()), 4), round(float(v.max()), 4)]
        cis = [g["theme_f1_ci95"] for g in group if g.get("theme_f1_ci95")]
        row["theme_f1_ci95"] = [round(float(np.mean([c[0] for c in cis])), 3),
                                round(float(np.mean([c[1] for c in cis])), 3)] if cis else None
        rows.append(row)
    return rows
