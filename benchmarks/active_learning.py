"""Active learning against random picks: does `aptag review export`'s choice of passages teach the
learning tagger more than the same number of passages picked at random?

    .venv/bin/python benchmarks/active_learning.py [--batch 25] [--seeds 0,1,2]

Prints the protocol and a table; writes benchmarks/results/active_learning.json.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import _common as C
import _learning as L

PROTOCOL = """
Protocol (UPR-UHRI, as benchmarks/learning_curve.py):
- Pool: UPR recommendations to Slovenia, cycle 2 (the dev split), gold items = the union of the
  Action Plan items their UHRI themes map to. Test: cycles 3 and 4, scored by the UPR protocol.
- Active: the current model (at first the zero-shot tagger) tags the unlabelled pool; its stored
  predictions (scores down to tag.review_floor, accepted where score >= threshold) go through
  pipeline.annotate.select_for_review, the function behind `aptag review export`, which picks the
  next batch; the gold labels answer it; train.model is refitted on everything labelled so far and
  scored. Where the queue holds fewer passages than a batch (passages with no candidate), the rest
  of the batch is drawn at random (counted in the table).
- Random: the same model on batches drawn at random from the pool, one shuffle per seed.
- The active run is deterministic; random runs are the mean over the seeds.
"""


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=25, help="passages labelled per round")
    p.add_argument("--seeds", default="0,1,2", help="random-pick shuffles (and the active run's top-up)")
    p.add_argument("--n-boot", type=int, default=0, help="bootstrap resamples (0: point figures only)")
    p.add_argument("--dev", type=int, default=0, metavar="K", help="the dev protocol: K-fold inside cycle 2 "
                   "(each fold scored by a pool of the others; figures are means over folds); no test row is read")
    p.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    return p.parse_args()


def review_batch(model, data: L.UprLearning, labelled: list[int], n: int, review_floor: float) -> list[int]:
    """The pool rows `review export` would put in a queue of ``n``, given ``model``'s predictions."""
    import pandas as pd

    from pipeline.annotate import select_for_review

    ids = [f"upr-{i}" for i in range(len(data.pool_texts))]
    passages = pd.DataFrame({"passage_id": ids, "doc_id": "upr-slovenia-cycle2", "text": data.pool_texts,
                             "country": "Slovenia", "title": None})
    scores = model.predict_scores(data.pool_texts)
    rows, cols = np.nonzero(scores >= review_floor)
    predictions = pd.DataFrame({"passage_id": [ids[r] for r in rows], "item_id": [model.labels_[c] for c in cols],
                                "score": scores[rows, cols], "model_id": model.name,
                                "accepted": scores[rows, cols] >= model.thresholds_[cols], "evidence": None})
    queue = select_for_review(passages, predictions, n=n, annotated={ids[i] for i in labelled})
    return [int(pid.split("-")[1]) for pid in queue["passage_id"]]


def simulate(data: L.UprLearning, model_name: str, review_floor: float, batch: int, seeds: list[int],
             n_boot: int) -> list[dict]:
    """The zero-shot row, the active run and one random run per seed, scored at every step."""
    n_pool = len(data.pool_texts)
    sizes = list(range(batch, n_pool, batch)) + [n_pool]
    print(f"Data: {n_pool} pool rows, {len(data.test_texts)} rows scored; steps {sizes}.")
    runs = [{"picks": "none (zero-shot)", "annotated": 0, "seed": 0, "topped_up": 0,
             **data.score(data.zero_shot().predict(data.test_texts), n_boot)}]
    t0 = time.perf_counter()
    labelled: list[int] = []
    topped = 0
    model = data.learner(model_name, [])
    rng = np.random.default_rng(seeds[0])
    for n in sizes:
        want = n - len(labelled)
        picked = review_batch(model, data, labelled, want, review_floor)
        rest = [i for i in rng.permutation(n_pool).tolist() if i not in set(labelled) | set(picked)]
        topped += want - len(picked)
        labelled += picked + rest[:want - len(picked)]
        model = data.learner(model_name, labelled)
        runs.append({"picks": "review export", "annotated": n, "seed": 0, "topped_up": topped,
                     **data.score(model.predict(data.test_texts), n_boot)})
    print(f"  active run: {time.perf_counter() - t0:.0f} s", flush=True)
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(n_pool).tolist()
        for n in sizes:
            runs.append({"picks": "random", "annotated": n, "seed": seed, "topped_up": 0,
                         **data.score(data.learner(model_name, order[:n]).predict(data.test_texts), n_boot)})
        print(f"  random run, seed {seed}", flush=True)
    return runs


def main() -> None:
    from pipeline.config import load_config, load_train_config

    args = parse_args()
    model_name = load_train_config().model
    review_floor = load_config().tag.review_floor
    print(f"Active learning: {model_name}, batches of {args.batch}, review_export picks against random picks")
    print(PROTOCOL)
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.dev:
        runs = []
        for fold in range(args.dev):
            data = L.upr_learning(dev_fold=(fold, args.dev))
            runs += simulate(data, model_name, review_floor, args.batch, seeds, args.n_boot)
        where = f"dev protocol: {args.dev} folds of cycle 2, each scored by a pool of the others; mean over folds"
    else:
        data = L.upr_learning()
        runs = simulate(data, model_name, review_floor, args.batch, seeds, args.n_boot)
        where = f"Test split (cycles 3+4, {len(data.test_texts)} rows)"

    table = L.summarise(runs, ("picks", "annotated"))
    topped_at = {(r["picks"], r["annotated"]): r["topped_up"] for r in runs}
    print(f"\n{where}; random picks: mean over {len(seeds)} seeds [range].")
    cols = ["theme_f1", "section_micro_f1", "item_micro_f1"]
    head = f"{'picks':<20}{'annotated':>10}{'topped up':>10}  " + "".join(f"{c:>22}" for c in cols)
    print(head)
    print("-" * len(head))
    for r in table:
        cells = [f"{r[c]:.3f}" + (f" [{r[c + '_range'][0]:.2f}-{r[c + '_range'][1]:.2f}]" if r["seeds"] > 1 else "")
                 for c in cols]
        print(f"{r['picks']:<20}{r['annotated']:>10}{topped_at[(r['picks'], r['annotated'])]:>10}  "
              + "".join(f"{x:>22}" for x in cells))
    if not args.no_write:
        C.RESULTS.mkdir(parents=True, exist_ok=True)
        out = C.RESULTS / ("active_learning_dev.json" if args.dev else "active_learning.json")
        out.write_text(json.dumps({"protocol": PROTOCOL.strip(), "args": vars(args), "model": model_name,
                                   "table": table, "runs": runs}, indent=2), encoding="utf-8")
        print(f"\nWrote {out.relative_to(C.ROOT)}")


if __name__ == "__main__":
    main()
