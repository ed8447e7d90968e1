"""Learning curve: how linear.v1 (or --model adaptive.v1) improves on the UPR-UHRI test split as annotated rows from the dev
split are added (0, 25, 50, 100, all), with and without weak labels, in one run.

    .venv/bin/python benchmarks/learning_curve.py [--weak-rows 1000] [--sizes 0,25,50,100,all]

Prints the protocol and a table; writes benchmarks/results/learning_curve.json.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

import _common as C

PROTOCOL = """
Protocol (../shared/data/README.md, "UPR-UHRI"; rows scored exactly as benchmarks/upr_uhri.py does):
- Annotated rows: UPR recommendations to Slovenia, cycle 2 (the dev split), with gold items = the
  union of the Action Plan items their UHRI themes map to; rows without a mapped theme are left out.
  They are shuffled once (seed) and the first N are the "annotations" at each step, so each step's
  rows include the previous step's.
- Weak labels: a seeded sample of unlabelled UPR recommendations 2008-2014, tagged by semantic.v1
  and lexical.v1; an item is a weak label where both accept it (configs/train.yaml defaults). Rows
  where they agree on nothing are left out.
- Model: linear.v1 as in configs/train.yaml (MiniLM embeddings + TF-IDF, balanced class weights,
  per-item thresholds by 3-fold CV where an item has enough examples, else 0.5).
- Scored on the test split (cycles 3 and 4) only; nothing is tuned on it. theme recall / item
  precision / theme F1 and strict micro/macro F1 over the evaluable items, 95% bootstrap intervals.
- Reference row: the zero-shot ensemble.v1 (tag.model) with its shipped thresholds.
"""


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="linear.v1", help="linear.v1 (from nothing, with and without weak labels) "
                   "or adaptive.v1 (starts from the zero-shot ensemble; no weak labels)")
    p.add_argument("--sizes", default="0,25,50,100,all", help="annotated dev rows at each step")
    p.add_argument("--weak-rows", type=int, default=1000, help="unlabelled rows sampled for weak labels")
    p.add_argument("--encoder", default="minilm", help="linear.v1 encoder ('none': TF-IDF only)")
    p.add_argument("--n-boot", type=int, default=500, help="bootstrap resamples for 95%% intervals")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    return p.parse_args()


def main() -> None:
    import pandas as pd

    from pipeline.classify import create_tagger
    from pipeline.classify.linear import LinearTagger
    from pipeline.config import TrainConfig, load_config, load_train_config
    from pipeline.evaluate import upr_gold, upr_protocol
    from pipeline.store import resolve_workspace
    from pipeline.tag import tagger_settings
    from pipeline.taxonomy import load_taxonomy
    from pipeline.train import assemble, weak_labels

    args = parse_args()
    print(f"Learning curve: {args.model} on UPR-UHRI test as annotated dev rows grow")
    print(PROTOCOL)
    tax = load_taxonomy()
    # the workspace embedding cache ($APTAG_WORKSPACE, else ./workspace of the project): reruns are quick
    cache = str(resolve_workspace(os.environ.get("APTAG_WORKSPACE") or C.ROOT / "workspace").resolve())
    theme_map = C.load_theme_map()
    rows = [r for r in C.read_jsonl(C.data_path("upr_slovenia_uhri", "upr_slovenia_uhri.jsonl"))
            if upr_gold([r["themes_norm"]], theme_map)[0]]
    dev = [r for r in rows if r["cycle"] == "cycle2"]
    test = [r for r in rows if r["cycle"] in ("cycle3", "cycle4")]
    order = np.random.default_rng(args.seed).permutation(len(dev))
    dev = [dev[i] for i in order]
    dev_items = [sorted({i for t in upr_gold([r["themes_norm"]], theme_map)[0] for i in theme_map[t]}) for r in dev]
    test_texts, test_themes = [r["text"] for r in test], [r["themes_norm"] for r in test]
    sizes = [len(dev) if s == "all" else min(int(s), len(dev)) for s in args.sizes.split(",")]

    cfg: TrainConfig = load_train_config()
    weak_file = C.data_path("upr_recs_2008_2014", "upr_recommendations_2008_2014.jsonl")
    pool = [r["text"] for r in C.read_jsonl(weak_file) if r.get("text")]
    pick = np.random.default_rng(args.seed).choice(len(pool), min(args.weak_rows, len(pool)), replace=False)
    weak_texts = [pool[i] for i in sorted(pick)] if args.model == "linear.v1" else []
    t0 = time.perf_counter()
    taggers = []
    for name in cfg.weak.taggers if weak_texts else []:
        tagger = create_tagger(name)
        if hasattr(tagger, "cache_dir"):
            tagger.cache_dir = cache
        taggers.append(tagger.fit(tax))
    weak_items = weak_labels(weak_texts, taggers, min_votes=cfg.weak.min_votes, margin=cfg.weak.margin) if weak_texts else []
    weak = [(t, i) for t, i in zip(weak_texts, weak_items) if i]
    print(f"Data: {len(dev)} dev rows (annotation pool), {len(test)} test rows scored, "
          f"{len(weak)} of {len(weak_texts)} sampled unlabelled rows got weak labels "
          f"({sum(len(i) for _, i in weak)} labels, {time.perf_counter() - t0:.0f} s).")

    def score(pred: list[list[str]]) -> dict:
        return upr_protocol(test_themes, pred, theme_map, tax, n_boot=args.n_boot, seed=args.seed)

    results = []
    zs_model = load_config().tag.model
    zs = create_tagger(zs_model, **tagger_settings(zs_model, load_config().tag)).fit(tax)
    if hasattr(zs, "cache_dir"):
        zs.cache_dir = cache
    results.append({"model": f"{zs_model} (zero-shot)", "annotated": 0, "weak": 0, **_figures(score(zs.predict(test_texts)))})

    linear_defaults = {"tfidf_max_features": 10000, "C": 4.0, "class_weight": "balanced", "cv_folds": 3}
    settings = {**(cfg.settings if cfg.model == "linear.v1" else linear_defaults), "encoder": args.encoder}
    for n in sizes:
        for use_weak in (False, True) if args.model == "linear.v1" else (False,):
            if n == 0 and not use_weak and args.model == "linear.v1":
                continue
            parts = [pd.DataFrame({"text": [r["text"] for r in dev[:n]], "items": dev_items[:n], "source": "gold_train"})]
            if use_weak:
                parts.append(pd.DataFrame({"text": [t for t, _ in weak], "items": [i for _, i in weak], "source": "weak"}))
            data = assemble(parts)
            t1 = time.perf_counter()
            model = LinearTagger(**settings) if args.model == "linear.v1" else create_tagger(args.model)
            model.cache_dir = cache
            model.fit(tax, data["text"].tolist(), [list(x) for x in data["items"]])
            fit_s = time.perf_counter() - t1
            results.append({"model": args.model, "annotated": n, "weak": len(weak) if use_weak else 0,
                            "train_rows": len(data), "fit_s": round(fit_s, 1),
                            **_figures(score(model.predict(test_texts)))})
            print(f"  trained on {n} annotated + {results[-1]['weak']} weak rows in {fit_s:.0f} s", flush=True)

    cols = ["theme_f1", "theme_recall", "item_precision", "item_micro_f1", "item_macro_f1", "section_micro_f1"]
    print(f"\nTest split (cycles 3+4, {len(test)} rows); 95% bootstrap interval of theme F1 in brackets.")
    head = f"{'model':<26}{'annotated':>10}{'weak':>6}  " + "".join(f"{c:>18}" for c in cols)
    print(head)
    print("-" * len(head))
    for r in results:
        ci = r.get("theme_f1_ci95")
        cells = [f"{r[c]:.3f}" + (f" [{ci[0]:.2f}-{ci[1]:.2f}]" if c == "theme_f1" and ci else "") for c in cols]
        print(f"{r['model']:<26}{r['annotated']:>10}{r['weak']:>6}  " + "".join(f"{x:>18}" for x in cells))
    if not args.no_write:
        C.RESULTS.mkdir(parents=True, exist_ok=True)
        out = C.RESULTS / ("learning_curve.json" if args.model == "linear.v1" else f"learning_curve_{args.model}.json")
        out.write_text(json.dumps({"protocol": PROTOCOL.strip(), "args": vars(args), "n_dev": len(dev),
                                   "n_test": len(test), "n_weak": len(weak), "results": results}, indent=2),
                       encoding="utf-8")
        print(f"\nWrote {out.relative_to(C.ROOT)}")


def _figures(report: dict) -> dict:
    return {"theme_f1": report["theme_f1"], "theme_recall": report["theme_recall"],
            "item_precision": report["item_precision"], "theme_f1_ci95": report.get("ci95", {}).get("theme_f1"),
            "item_micro_f1": round(report["item"]["micro_f1"], 4), "item_macro_f1": round(report["item"]["macro_f1"], 4),
            "section_micro_f1": round(report["section"]["micro_f1"], 4)}


if __name__ == "__main__":
    main()
