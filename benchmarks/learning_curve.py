"""Learning curve: how the learning tagger (train.model, adaptive.v1 by default; or --model linear.v1)
improves on the UPR-UHRI test split as annotated rows from the dev split are added, over several
shuffles of the annotation pool, in one run.

    .venv/bin/python benchmarks/learning_curve.py [--seeds 0,1,2] [--sizes 0,25,50,100,all]
    .venv/bin/python benchmarks/learning_curve.py --model linear.v1 [--weak-rows 1000]

Prints the protocol and a table; writes benchmarks/results/learning_curve_<model>.json.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import _common as C
import _learning as L

PROTOCOL = """
Protocol (../shared/data/README.md, "UPR-UHRI"; rows scored exactly as benchmarks/upr_uhri.py does):
- Annotated rows: UPR recommendations to Slovenia, cycle 2 (the dev split), with gold items = the
  union of the Action Plan items their UHRI themes map to; rows without a mapped theme are left out.
  Per seed they are shuffled once and the first N are the "annotations" at each step, so each
  step's rows include the previous step's.
- Model: train.model with its settings from configs/train.yaml (adaptive.v1: the zero-shot ensemble
  corrected by the nearest labelled rows). linear.v1 (frozen encoder + TF-IDF, from nothing) can add
  weak labels: a seeded sample of unlabelled UPR recommendations 2008-2014 where semantic.v1 and
  lexical.v1 both accept an item.
- Scored on the test split (cycles 3 and 4) only; nothing is tuned on it. theme recall / item
  precision / theme F1 and strict micro/macro F1 over the evaluable items. Per step: the mean over
  seeds, the range over seeds, and the 95% bootstrap interval of theme F1 (mean of the seeds' bounds).
- Reference row: the zero-shot tagger (tag.model) with its shipped thresholds.
"""


def parse_args() -> argparse.Namespace:
    from pipeline.config import load_train_config

    default = load_train_config().model
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=default, help=f"the learning tagger (default: train.model = {default}); "
                   "linear.v1 also runs with weak labels")
    p.add_argument("--sizes", default="0,25,50,100,all", help="annotated dev rows at each step")
    p.add_argument("--seeds", default="0,1,2", help="shuffles of the annotation pool")
    p.add_argument("--weak-rows", type=int, default=1000, help="linear.v1: unlabelled rows sampled for weak labels")
    p.add_argument("--n-boot", type=int, default=500, help="bootstrap resamples for 95%% intervals")
    p.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    return p.parse_args()


def weak_rows(args: argparse.Namespace, data: L.UprLearning) -> tuple[list[str], list[list[str]]]:
    """linear.v1's weak labels: unlabelled rows where the configured weak taggers agree."""
    from pipeline.classify import create_tagger
    from pipeline.config import load_train_config
    from pipeline.train import weak_labels

    cfg = load_train_config()
    pool = [r["text"] for r in C.read_jsonl(C.data_path("upr_recs_2008_2014", "upr_recommendations_2008_2014.jsonl"))
            if r.get("text")]
    pick = np.random.default_rng(0).choice(len(pool), min(args.weak_rows, len(pool)), replace=False)
    texts = [pool[i] for i in sorted(pick)]
    taggers = []
    for name in cfg.weak.taggers:
        tagger = create_tagger(name)
        tagger.cache_dir = data.cache
        taggers.append(tagger.fit(data.tax))
    items = weak_labels(texts, taggers, min_votes=cfg.weak.min_votes, margin=cfg.weak.margin)
    return [t for t, i in zip(texts, items) if i], [i for i in items if i]


def main() -> None:
    args = parse_args()
    print(f"Learning curve: {args.model} on UPR-UHRI test as annotated dev rows grow")
    print(PROTOCOL)
    data = L.upr_learning()
    seeds = [int(s) for s in args.seeds.split(",")]
    n_pool = len(data.pool_texts)
    sizes = [n_pool if s == "all" else min(int(s), n_pool) for s in args.sizes.split(",")]
    weak = weak_rows(args, data) if args.model == "linear.v1" and args.weak_rows else ([], [])
    print(f"Data: {n_pool} dev rows (annotation pool), {len(data.test_texts)} test rows scored"
          + (f", {len(weak[0])} weak-labelled rows" if weak[0] else "") + f"; seeds {seeds}.")

    zs = data.zero_shot()
    zero = {"model": f"{zs.name} (zero-shot)", "annotated": 0, "weak": 0, "seed": 0,
            **data.score(zs.predict(data.test_texts), args.n_boot)}
    runs = [zero]
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(n_pool).tolist()
        for n in sizes:
            for use_weak in (False, True) if weak[0] else (False,):
                if n == 0 and (args.model == "linear.v1") != use_weak:
                    continue  # adaptive.v1 at 0 rows is the zero-shot tagger; linear.v1 needs weak rows there
                t0 = time.perf_counter()
                model = _fit(data, args.model, order[:n], weak if use_weak else ([], []))
                fit_s = time.perf_counter() - t0
                runs.append({"model": args.model, "annotated": n, "weak": len(weak[0]) if use_weak else 0,
                             "seed": seed, "fit_s": round(fit_s, 1),
                             **data.score(model.predict(data.test_texts), args.n_boot, seed)})
        print(f"  seed {seed}: {len(sizes)} steps", flush=True)

    table = L.summarise(runs, ("model", "annotated", "weak"))
    print(f"\nTest split (cycles 3+4, {len(data.test_texts)} rows); mean over {len(seeds)} seeds, "
          "[range over seeds]; theme F1 also with its 95% bootstrap interval (ci).")
    head = f"{'model':<26}{'annotated':>10}{'weak':>6}  " + "".join(f"{c:>24}" for c in L.FIGURES)
    print(head)
    print("-" * len(head))
    for r in table:
        cells = [f"{r[c]:.3f} [{r[c + '_range'][0]:.2f}-{r[c + '_range'][1]:.2f}]" for c in L.FIGURES]
        if r["theme_f1_ci95"]:
            cells[0] = f"{r['theme_f1']:.3f} ci {r['theme_f1_ci95'][0]:.2f}-{r['theme_f1_ci95'][1]:.2f}"
        print(f"{r['model']:<26}{r['annotated']:>10}{r['weak']:>6}  " + "".join(f"{x:>24}" for x in cells))
    if not args.no_write:
        C.RESULTS.mkdir(parents=True, exist_ok=True)
        out = C.RESULTS / f"learning_curve_{args.model}.json"
        out.write_text(json.dumps({"protocol": PROTOCOL.strip(), "args": vars(args), "n_dev": n_pool,
                                   "n_test": len(data.test_texts), "n_weak": len(weak[0]), "table": table,
                                   "runs": runs}, indent=2), encoding="utf-8")
        print(f"\nWrote {out.relative_to(C.ROOT)}")


def _fit(data: L.UprLearning, model: str, rows: list[int], weak: tuple[list[str], list[list[str]]]):
    if model != "linear.v1":
        return data.learner(model, rows)
    import pandas as pd

    from pipeline.classify.linear import LinearTagger
    from pipeline.config import load_train_config
    from pipeline.train import assemble

    cfg = load_train_config()
    settings = cfg.settings if cfg.model == "linear.v1" else {
        "tfidf_max_features": 10000, "C": 4.0, "class_weight": "balanced", "cv_folds": 3, "encoder": "minilm"}
    parts = [pd.DataFrame({"text": [data.pool_texts[i] for i in rows], "items": [data.pool_items[i] for i in rows],
                           "source": "gold_train"})]
    if weak[0]:
        parts.append(pd.DataFrame({"text": weak[0], "items": weak[1], "source": "weak"}))
    frame = assemble(parts)
    tagger = LinearTagger(**settings)
    tagger.cache_dir = data.cache
    return tagger.fit(data.tax, frame["text"].tolist(), [list(x) for x in frame["items"]])


if __name__ == "__main__":
    main()
