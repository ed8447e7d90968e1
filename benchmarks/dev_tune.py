"""Choose the tagger's settings on the DEV sets only, and print the dev figures of a configuration.

    .venv/bin/python benchmarks/dev_tune.py [--set tag.encoder=use-multilingual ...] [--sweep]

Dev data (../shared/data/README.md): actionplan_dev/dev.jsonl (55 in-domain passages, items 0-3),
the project's own in-domain dev sets benchmarks/data/indomain_dev.jsonl (66 passages, English and
French), indomain_dev_pass2.jsonl (40 longer passages written later), indomain_dev_pass3.jsonl (33
passages written after the card fixes) and indomain_dev_pass4.jsonl (24, in styles the others use
little; see build_indomain_dev.py), and the UPR-UHRI dev cycle (cycle 2 rows with a mapped UHRI
theme). The test cycles (3, 4), the SDG benchmark and the UNGA multi-annotator set are never read
here.

Figures: for each in-domain dev set item precision, recall and micro-F1 and section micro-F1;
UPR-UHRI dev theme F1 (theme recall x item precision, evaluable items only) and strict item/section
micro-F1. ``--sweep`` grid-searches the ensemble's calibration shift, lexical saturation, weights,
threshold, relative margins and sentence support over cached scores, maximising the mean of every
in-domain set's item and section micro-F1, UPR theme F1 and UPR section micro-F1, and prints the
best settings.
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


INDOMAIN = ROOT / "benchmarks" / "data" / "indomain_dev.jsonl"
LATER_PASSES = {f"ind{n}": ROOT / "benchmarks" / "data" / f"indomain_dev_pass{n}.jsonl" for n in (2, 3, 4)}
SETS = (("ap", "actionplan_dev"), ("ind", "indomain_dev"), *((f"ind{n}", f"indomain_dev pass {n}") for n in (2, 3, 4)))


def load_dev() -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    """The in-domain dev rows (actionplan_dev, indomain_dev and its later passes, each row with its
    "set"), the UPR dev rows and the UHRI theme map."""
    ap = [{**json.loads(line), "set": "ap"} for line in (DATA / "actionplan_dev" / "dev.jsonl").open(encoding="utf-8")]
    ap += [{**json.loads(line), "set": "ind"} for line in INDOMAIN.open(encoding="utf-8")]
    for name, path in LATER_PASSES.items():
        ap += [{**json.loads(line), "set": name} for line in path.open(encoding="utf-8")]
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
    """Dev metrics over boolean prediction matrices (n_rows, n_items), by pipeline/evaluate.py's
    matrix scorers (the figures of `aptag evaluate` and of the UPR protocol, without intervals)."""

    def __init__(self, tax, ap: list[dict], upr: list[dict], theme_map: dict[str, list[str]]) -> None:
        from pipeline.evaluate import indicator, level_matrix

        self.ids = tax.item_ids()
        col = {i: j for j, i in enumerate(self.ids)}
        self.to_section, _ = level_matrix(tax, self.ids, "section")
        self.ap_gold = indicator([row["items"] for row in ap], self.ids)
        self.evaluable = np.zeros(len(self.ids), bool)
        self.evaluable[[col[i] for items in theme_map.values() for i in items]] = True
        self.theme_sets = [[np.array([col[i] for i in theme_map[t]]) for t in row["themes"]] for row in upr]
        self.upr_gold = indicator([{i for t in row["themes"] for i in theme_map[t]} for row in upr], self.ids)
        self.n_ap = len(ap)
        self.tax = tax
        self.in_set = {name: np.array([r["set"] == name for r in ap]) for name, _ in SETS}

    def sections(self, m: np.ndarray) -> np.ndarray:
        return (m.astype(float) @ self.to_section) > 0

    def metrics(self, pred: np.ndarray) -> dict[str, float]:
        from pipeline.evaluate import matrix_figures, theme_figures_matrix

        out = {}
        for name, rows in self.in_set.items():
            gold, ap = self.ap_gold[rows], pred[:self.n_ap][rows]
            item = matrix_figures(gold, ap)
            out[f"{name}_item_p"], out[f"{name}_item_r"] = item["micro_precision"], item["micro_recall"]
            out[f"{name}_item_micro"], out[f"{name}_item_macro"] = item["micro_f1"], item["macro_f1"]
            out[f"{name}_section_micro"] = matrix_figures(self.sections(gold), self.sections(ap))["micro_f1"]
        upr = pred[self.n_ap:] & self.evaluable
        out["upr_theme_f1"] = theme_figures_matrix(self.theme_sets, self.upr_gold, upr)["theme_f1"]
        out["upr_item_micro"] = matrix_figures(self.upr_gold[:, self.evaluable], upr[:, self.evaluable])["micro_f1"]
        out["upr_section_micro"] = matrix_figures(self.sections(self.upr_gold), self.sections(upr))["micro_f1"]
        return out

    @staticmethod
    def objective(m: dict[str, float]) -> float:
        return float(np.mean([m[f"{name}_{level}_micro"] for name, _ in SETS for level in ("item", "section")]
                             + [m["upr_theme_f1"], m["upr_section_micro"]]))


def show(name: str, m: dict[str, float]) -> None:
    sets = "  ".join(f"{label} item P {m[k + '_item_p']:.3f} R {m[k + '_item_r']:.3f} F1 {m[k + '_item_micro']:.3f} "
                     f"section F1 {m[k + '_section_micro']:.3f} |"
                     for k, label in SETS)
    print(f"{name:>10}  {sets} UPR dev theme F1 {m['upr_theme_f1']:.3f}  item micro {m['upr_item_micro']:.3f}  "
          f"section micro {m['upr_section_micro']:.3f}")


def sweep(ens, texts: list[str], scorer: Scorer) -> None:
    """Grid search over cached raw similarities and lexical weights: the ensemble's calibration
    shift, lexical saturation, weights, threshold, relative margins (several sentences / one) and
    sentence support (the sentences' shares scored once per calibration and saturation)."""
    sem, lex = ens.semantic_, ens.lexical_
    route = sem._route(texts)
    names = sem._encoder_names()
    raw = np.zeros((len(texts), len(sem.labels_)))
    for k, n in enumerate(names):
        idx = np.flatnonzero(route == k)
        if len(idx):
            raw[idx] = sem._raw(sem._encoder(n).encode([texts[i] for i in idx]), n)
    centres = np.array([sem.calibration.get(n, (0.4, 0.05))[0] for n in names])[route][:, None]
    lex_w, _ = lex._weights(texts)
    calibration, saturation, weights = dict(sem.calibration), lex.saturation, (ens.semantic_weight, ens.lexical_weight)
    prose = np.arange(len(texts))
    best = (-1.0, None, None)
    for shift, sat in itertools.product((-0.04, -0.02, 0.0), (0.7, 1.0, 1.5)):
        semantic = 1 / (1 + np.exp(-(raw - centres - shift) / 0.05))
        lexical = 1 - np.exp(-lex_w / sat)
        sem.calibration = {n: (c + shift, scale) for n, (c, scale) in calibration.items()}
        lex.saturation = sat
        shares = {}
        for ws, thr, rel, rel1, support in itertools.product((0.3, 0.45, 0.55, 0.6), np.arange(0.30, 0.48, 0.03),
                                                             (0.0, 0.7, 0.75, 0.8), (0.0, 0.5, 0.6), (0.0, 0.8, 0.9)):
            ens.threshold, ens.relative_margin, ens.relative_margin_single = float(thr), rel, rel1
            ens.semantic_weight, ens.lexical_weight, ens.sentence_support = ws, 1 - ws, support
            ens._finish(scorer.tax)
            if ws not in shares:
                shares[ws] = ens.sentence_share(texts, prose)
            score = ens.apply_support(ens.apply_margin(ws * semantic + (1 - ws) * lexical, texts), texts, shares[ws])
            m = scorer.metrics(score >= ens.thresholds_[None, :])
            obj = scorer.objective(m)
            if obj > best[0]:
                best = (obj, dict(ensemble_calibration_shift=shift, ensemble_lexical_saturation=sat,
                                  semantic_weight=ws, lexical_weight=round(1 - ws, 2), threshold=round(float(thr), 2),
                                  relative_margin=rel, relative_margin_single=rel1, sentence_support=support), m)
    sem.calibration, lex.saturation = calibration, saturation
    ens.semantic_weight, ens.lexical_weight = weights
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
    print(f"Dev sets: {' + '.join(label for _, label in SETS)} {len(ap)} rows, UPR-UHRI cycle 2 {len(upr)} rows with a mapped theme; "
          f"config overrides: {args.set or 'none'}")
    started = time.perf_counter()
    taggers = {name: create_tagger(name, **tagger_settings(name, cfg)).fit(tax)
               for name in ("lexical.v1", "semantic.v1")}
    ens = create_tagger("ensemble.v1", **tagger_settings("ensemble.v1", cfg))
    # the same fitted halves, with the ensemble's own gap penalty, calibration and saturation
    ens.semantic_, ens.lexical_ = copy.copy(taggers["semantic.v1"]), copy.copy(taggers["lexical.v1"])
    ens.semantic_.gap_penalty = ens.semantic["gap_penalty"]
    ens.semantic_.calibration = ens.semantic["calibration"]
    ens.lexical_.saturation = ens.lexical["saturation"]
    ens._finish(tax)
    taggers["ensemble.v1"] = ens
    for name, tagger in taggers.items():
        m = scorer.metrics(tagger.predict_scores(texts) >= tagger.thresholds_[None, :])
        show(name.split(".")[0], m)
        if tagger is ens:
            print(f"{'':>10}  objective (what --sweep maximises) {scorer.objective(m):.4f}")
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.sweep:
        sweep(ens, texts, scorer)


if __name__ == "__main__":
    main()
