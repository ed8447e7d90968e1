"""Choose the tagger's settings on the DEV sets only, and print the dev figures of a configuration.

    .venv/bin/python benchmarks/dev_tune.py [--set tag.encoder=use-multilingual ...] [--sweep]

Dev data (../shared/data/README.md): actionplan_dev/dev.jsonl (55 in-domain passages, items 0-3)
and the UPR-UHRI dev cycle (cycle 2 rows with a mapped UHRI theme). The test cycles (3, 4), the SDG
benchmark and the UNGA multi-annotator set are never read here.

Figures: actionplan_dev item and section micro/macro F1 (strict); UPR-UHRI dev theme F1 (theme
recall x item precision, evaluable items only) and strict item/section micro-F1. ``--sweep`` grid-
searches the semantic blend, calibration, gap penalty, lexical saturation, ensemble weights and
threshold over cached scores, maximising the mean of actionplan item micro-F1, UPR theme F1 and
UPR section micro-F1, and prints the best settings as `tag:` YAML.
"""

from __future__ import annotations

import argparse
import copy
import csv
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def load_dev() -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    ap = [json.loads(line) for line in (DATA / "actionplan_dev" / "dev.jsonl").open(encoding="utf-8")]
    with (DATA / "upr_slovenia_uhri" / "uhri_to_action_plan.csv").open(encoding="utf-8") as f:
        theme_map = {r["uhri_theme"]: r["action_plan_items"].split(";") for r in csv.DictReader(f)}
    upr = []
    for line in (DATA / "upr_slovenia_uhri" / "upr_slovenia_uhri.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["cycle"] != "cycle2":  # cycles 3 and 4 are test: never read for tuning
            continue
        themes = [t for t in row["themes_norm"] if t in theme_map]
        if themes:
            upr.append({"text": row["text"], "themes": themes})
    return ap, upr, theme_map


class Scorer:
    """Fast dev metrics over boolean prediction matrices (n_rows, n_items)."""

    def __init__(self, tax, ap: list[dict], upr: list[dict], theme_map: dict[str, list[str]]) -> None:
        self.ids = tax.item_ids()
        col = {i: j for j, i in enumerate(self.ids)}
        sections = list(dict.fromkeys(tax.parent_at(i, "section") for i in self.ids))
        scol = {s: k for k, s in enumerate(sections)}
        self.to_section = np.zeros((len(self.ids), len(sections)))
        for i, j in col.items():
            self.to_section[j, scol[tax.parent_at(i, "section")]] = 1
        self.ap_gold = np.zeros((len(ap), len(self.ids)), bool)
        for r, row in enumerate(ap):
            self.ap_gold[r, [col[i] for i in row["items"]]] = True
        self.evaluable = np.zeros(len(self.ids), bool)
        self.evaluable[[col[i] for items in theme_map.values() for i in items]] = True
        self.upr_gold = np.zeros((len(upr), len(self.ids)), bool)
        self.theme_sets = []  # per row: list of item-column arrays, one per theme
        for r, row in enumerate(upr):
            cols = [np.array([col[i] for i in theme_map[t]]) for t in row["themes"]]
            self.theme_sets.append(cols)
            for c in cols:
                self.upr_gold[r, c] = True
        self.n_ap = len(ap)

    @staticmethod
    def _f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
        tp = (gold & pred).sum(0)
        fp = (~gold & pred).sum(0)
        fn = (gold & ~pred).sum(0)
        micro = 2 * tp.sum() / max(1, 2 * tp.sum() + fp.sum() + fn.sum())
        used = (tp + fp + fn) > 0
        macro = float(np.mean(2 * tp[used] / (2 * tp[used] + fp[used] + fn[used]))) if used.any() else 0.0
        return float(micro), macro

    def sections(self, m: np.ndarray) -> np.ndarray:
        return (m.astype(float) @ self.to_section) > 0

    def metrics(self, pred: np.ndarray) -> dict[str, float]:
        ap, upr = pred[:self.n_ap], pred[self.n_ap:] & self.evaluable
        out = {}
        out["ap_item_micro"], out["ap_item_macro"] = self._f1(self.ap_gold, ap)
        out["ap_section_micro"], out["ap_section_macro"] = self._f1(self.sections(self.ap_gold), self.sections(ap))
        found = sum(bool(upr[r, c].any()) for r, cols in enumerate(self.theme_sets) for c in cols)
        pairs = sum(len(cols) for cols in self.theme_sets)
        rec, prec = found / pairs, (upr & self.upr_gold).sum() / max(1, upr.sum())
        out["upr_theme_f1"] = 2 * rec * prec / max(1e-9, rec + prec)
        out["upr_item_micro"], _ = self._f1(self.upr_gold[:, self.evaluable], upr[:, self.evaluable])
        out["upr_section_micro"], _ = self._f1(self.sections(self.upr_gold), self.sections(upr))
        return out

    @staticmethod
    def objective(m: dict[str, float]) -> float:
        return (m["ap_item_micro"] + m["upr_theme_f1"] + m["upr_section_micro"]) / 3


def show(name: str, m: dict[str, float]) -> None:
    print(f"{name:>10}  actionplan_dev item micro/macro {m['ap_item_micro']:.3f}/{m['ap_item_macro']:.3f}  "
          f"section micro/macro {m['ap_section_micro']:.3f}/{m['ap_section_macro']:.3f} | UPR dev theme F1 "
          f"{m['upr_theme_f1']:.3f}  item micro {m['upr_item_micro']:.3f}  section micro {m['upr_section_micro']:.3f}")


def sweep(ens, texts: list[str], scorer: Scorer) -> None:
    """Grid search over cached raw similarities and lexical weights."""
    sem, lex = ens.semantic_, ens.lexical_
    route = sem._route(texts)
    names = sem._encoder_names()
    vecs = {k: sem._encoder(n).encode([texts[i] for i in np.flatnonzero(route == k)]) for k, n in enumerate(names)}
    lex_w, _ = lex._weights(texts)
    best = (-1.0, None, None)
    for mw in (0.5, 0.7, 0.85, 1.0):
        sem.max_weight = mw
        raw = np.zeros((len(texts), len(sem.labels_)))
        for k, n in enumerate(names):
            raw[route == k] = sem._raw(vecs[k], n)
        top = raw.max(1, keepdims=True)
        for gap, scale, sat in itertools.product((0.0, 0.5, 1.0, 2.0), (0.03, 0.05), (0.5, 1.0, 2.0)):
            adjusted = raw - gap * (top - raw)
            lexical = 1 - np.exp(-lex_w / sat)
            for centre in np.quantile(top[:, 0], [0.2, 0.4, 0.6]):
                semantic = 1 / (1 + np.exp(-(adjusted - centre) / scale))
                for ws, thr in itertools.product((0.3, 0.45, 0.6, 0.75), np.arange(0.3, 0.71, 0.05)):
                    score = ws * semantic + (1 - ws) * lexical
                    m = scorer.metrics(score >= thr)
                    obj = scorer.objective(m)
                    if obj > best[0]:
                        best = (obj, dict(semantic_max_weight=mw, ensemble_gap_penalty=gap, centre=float(centre),
                                          scale=scale, lexical_saturation=sat, semantic_weight=ws,
                                          lexical_weight=round(1 - ws, 2), threshold=round(float(thr), 2)), m)
    print(f"\nbest objective {best[0]:.3f} with {best[1]}")
    show("best", best[2])


def main() -> None:
    ap_ = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap_.add_argument("--set", action="append", default=[], help="config override, e.g. tag.encoder=minilm")
    ap_.add_argument("--sweep", action="store_true", help="grid-search the settings on dev")
    args = ap_.parse_args()

    from pipeline.config import load_config
    from pipeline.tag import tagger_settings
    from pipeline.classify import create_tagger
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config(overrides=args.set).tag
    tax = load_taxonomy()
    ap, upr, theme_map = load_dev()
    texts = [r["text"] for r in ap] + [r["text"] for r in upr]
    scorer = Scorer(tax, ap, upr, theme_map)
    print(f"Dev sets: actionplan_dev {len(ap)} rows, UPR-UHRI cycle 2 {len(upr)} rows with a mapped theme; "
          f"config overrides: {args.set or 'none'}")
    started = time.perf_counter()
    taggers = {name: create_tagger(name, **tagger_settings(name, cfg)).fit(tax)
               for name in ("lexical.v1", "semantic.v1")}
    ens = create_tagger("ensemble.v1", **tagger_settings("ensemble.v1", cfg))
    # the same fitted halves, but the ensemble has its own gap penalty (tag.ensemble_gap_penalty)
    ens.semantic_, ens.lexical_ = copy.copy(taggers["semantic.v1"]), taggers["lexical.v1"]
    ens.semantic_.gap_penalty = ens.semantic["gap_penalty"]
    ens._finish(tax)
    taggers["ensemble.v1"] = ens
    for name, tagger in taggers.items():
        show(name.split(".")[0], scorer.metrics(tagger.predict_scores(texts) >= tagger.thresholds_[None, :]))
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.sweep:
        sweep(ens, texts, scorer)


if __name__ == "__main__":
    main()
