"""Simulated review: do corrected counts (pipeline/quality.py) beat raw counts, and do their 95%
intervals hold the truth?

    python benchmarks/review_simulation.py [--seeds 3] [--write-prior]

On the dev sets with known truth (actionplan_dev, benchmarks/data/indomain_dev.jsonl and UPR-UHRI
cycle 2), each set in turn is the "workspace": its passages are tagged and stored as `aptag tag`
stores them (accepted tags plus the best candidates down to the review floor). For k = 0, 5, 10, 20,
k stored (passage, item) pairs per item (tags and candidates) are reviewed at random and answered
from the gold labels, as a desk officer accepts or rejects tags in the report. Raw count
= tagged passages after review (what `aptag coverage` counts); corrected count and interval from
pipeline/quality.py, with the prior fitted on the *other* dev sets (never the set being counted).
Truth = gold passages per item. Scored over the items that occur in the set's gold or raw counts
before review (for UPR, only the items of the UHRI map). Only dev sets are read; the UPR test cycles are not.

--write-prior fits the prior on all three sets together and writes configs/quality/count_prior.json,
the prior `aptag quality` and `aptag coverage --corrected` use for this model.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd

from _common import ROOT, print_table
from dev_tune import load_dev

KS = (0, 5, 10, 20)


def dev_sets(tax) -> dict[str, tuple[list[str], list[set[str]], list[str]]]:
    """name -> (texts, gold item sets, the items scored)."""
    ap, upr, theme_map = load_dev()
    items = tax.item_ids()
    out = {}
    for name, label in (("ap", "actionplan_dev"), ("ind", "indomain_dev")):
        rows = [r for r in ap if r["set"] == name]
        out[label] = ([r["text"] for r in rows], [set(r["items"]) for r in rows], items)
    evaluable = sorted({i for v in theme_map.values() for i in v} & set(items))
    out["upr_cycle2"] = ([r["text"] for r in upr],
                         [{i for t in r["themes"] for i in theme_map[t]} & set(evaluable) for r in upr], evaluable)
    return out


def stored(scores: np.ndarray, thresholds: np.ndarray, labels: list[str], cfg) -> pd.DataFrame:
    """The predictions `aptag tag` would store for these scores."""
    from pipeline.tag import select_candidates

    rows, cols, accepted = select_candidates(scores, thresholds, cfg.review_floor, cfg.max_candidates)
    return pd.DataFrame({"passage_id": [f"p{r}" for r in rows], "item_id": [labels[c] for c in cols],
                         "score": scores[rows, cols], "accepted": accepted,
                         "threshold": thresholds[cols]})


def simulate_annotations(pred: pd.DataFrame, gold: list[set[str]], items: list[str], k: int,
                         rng: np.random.Generator) -> pd.DataFrame:
    """k random stored pairs per item (tags and candidates alike), answered from gold."""
    rows = []
    for item, g in pred[pred["item_id"].isin(items)].groupby("item_id"):
        rows += [(p, item) for p in g["passage_id"].iloc[rng.permutation(len(g))[:k]]]
    ann = pd.DataFrame(rows, columns=["passage_id", "item_id"])
    ann["value"] = [int(i in gold[int(p[1:])]) for p, i in zip(ann["passage_id"], ann["item_id"])]
    ann["at"] = pd.Timestamp("2026-01-01")
    return ann


def review(pred: pd.DataFrame, ann: pd.DataFrame, items: list[str]):
    from pipeline.quality import review_data

    return review_data(pred, ann, items, thresholds=pred["threshold"].to_numpy())


def fit_prior(sets: dict, tagged: dict, names: list[str], model_id: str):
    """A CountPrior fitted on every stored pair of ``names`` labelled from gold (their passages
    pooled), with the dev sets' per-item counts and the share of true pairs never stored."""
    from pipeline.quality import CountPrior, ReviewData, fit_calibration

    parts, counts, hit, miss = [], {}, 0, 0
    for name in names:
        _, gold, items = sets[name]
        pred = tagged[name]
        true = {(f"p{r}", i) for r, g in enumerate(gold) for i in g if i in items}
        have = set(zip(pred["passage_id"], pred["item_id"]))
        hit, miss = hit + len(true & have), miss + len(true - have)
        ann = pd.DataFrame(sorted((p, i) for p, i in have if i in items), columns=["passage_id", "item_id"])
        ann["value"] = [int(pair in true) for pair in zip(ann["passage_id"], ann["item_id"])]
        data = review(pred, ann, items)
        parts.append(data.pairs.assign(passage_id=name + ":" + data.pairs["passage_id"]))
        tags = set(zip(*pred.loc[pred["accepted"], ["passage_id", "item_id"]].to_numpy().T))
        for item in items:
            got = {p for p, i in tags if i == item}
            want = {p for p, i in true if i == item}
            c = counts.setdefault(item, {"tp": 0, "fp": 0, "fn": 0})
            c["tp"] += len(got & want)
            c["fp"] += len(got - want)
            c["fn"] += len(want - got)
    pooled = ReviewData(pd.concat(parts, ignore_index=True), sorted({i for n in names for i in sets[n][2]}))
    cal = fit_calibration(pooled, CountPrior(model_id=model_id, sd=3.0))
    return CountPrior(model_id=model_id, a=round(float(cal.mean[0]), 4), b=round(float(cal.mean[1]), 4),
                      sd=0.5, item_sd=1.0, hit=hit, miss=miss,
                      items={k: v for k, v in sorted(counts.items()) if any(v.values())},
                      source=f"dev sets {', '.join(names)} (benchmarks/review_simulation.py)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--write-prior", action="store_true")
    args = ap.parse_args()

    from pipeline.config import load_config
    from pipeline.evaluate import resolve_tagger
    from pipeline.quality import corrected_counts
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config().tag
    tax = load_taxonomy(ROOT / cfg.taxonomy)
    tagger, model_id = resolve_tagger(None, tax, cfg)
    sets = dev_sets(tax)
    thresholds = np.asarray(tagger.thresholds_, dtype=float)
    labels = list(tagger.labels_)
    tagged = {}
    for name, (texts, _, _) in sets.items():
        scores = np.concatenate([np.asarray(tagger.predict_scores(texts[i:i + 64]), dtype=float)
                                 for i in range(0, len(texts), 64)])
        tagged[name] = stored(scores, thresholds, labels, cfg)
    print(f"== review simulation ==  model {model_id}; k random stored pairs per item reviewed, "
          f"{args.seeds} seeds; prior from the other dev sets")

    rows, summary = [], {}
    for name, (texts, gold, items) in sets.items():
        prior = fit_prior(sets, tagged, [s for s in sets if s != name], model_id)
        truth = pd.Series({i: sum(i in g for g in gold) for i in items})
        pred = tagged[name]
        raw0 = pred[pred["accepted"]].groupby("item_id").size()
        scored = [i for i in items if truth[i] > 0 or raw0.get(i, 0) > 0]
        t = truth[scored].to_numpy(dtype=float)
        for k in KS:
            err_raw, err_cor, held, width = [], [], [], []
            for seed in range(args.seeds):
                ann = simulate_annotations(pred, gold, items, k, np.random.default_rng(seed))
                c = corrected_counts(review(pred, ann, items), prior, seed=seed).set_index("item_id")
                c = c.loc[scored]
                err_raw.append(np.abs(c["raw"].to_numpy() - t).mean())
                err_cor.append(np.abs(c["corrected"].to_numpy() - t).mean())
                held.append(((c["low"].to_numpy() <= t) & (t <= c["high"].to_numpy())).mean())
                width.append((c["high"] - c["low"]).mean())
            r = {"set": name, "k": k, "items": len(scored), "raw_abs_error": float(np.mean(err_raw)),
                 "corrected_abs_error": float(np.mean(err_cor)), "interval_holds_truth": float(np.mean(held)),
                 "interval_width": float(np.mean(width))}
            rows.append(r)
    for k in KS:
        at_k = [r for r in rows if r["k"] == k]
        w = np.array([r["items"] for r in at_k], dtype=float)
        summary[k] = {key: float(np.average([r[key] for r in at_k], weights=w))
                      for key in ("raw_abs_error", "corrected_abs_error", "interval_holds_truth", "interval_width")}
    print_table(["set", "k", "items", "raw |err|", "corrected |err|", "95% interval holds truth", "mean width"],
                [[r["set"], r["k"], r["items"], f"{r['raw_abs_error']:.2f}", f"{r['corrected_abs_error']:.2f}",
                  f"{r['interval_holds_truth']:.3f}", f"{r['interval_width']:.1f}"] for r in rows],
                title="Per set (mean over items and seeds)")
    print_table(["k", "raw |err|", "corrected |err|", "95% interval holds truth", "mean width"],
                [[k, f"{s['raw_abs_error']:.2f}", f"{s['corrected_abs_error']:.2f}", f"{s['interval_holds_truth']:.3f}",
                  f"{s['interval_width']:.1f}"] for k, s in summary.items()],
                title="All sets (items weighted)")
    out = ROOT / "benchmarks" / "results" / "review_simulation.json"
    out.write_text(json.dumps({"model_id": model_id, "seeds": args.seeds, "rows": rows,
                               "summary": {str(k): v for k, v in summary.items()}}, indent=1) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")
    if args.write_prior:
        from pipeline.quality import PRIOR_FILE

        prior = fit_prior(sets, tagged, list(sets), model_id)
        path = ROOT / PRIOR_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(prior.to_json(), encoding="utf-8")
        print(f"Wrote {path.relative_to(ROOT)} (a={prior.a}, b={prior.b}, misses {prior.miss} of {prior.hit + prior.miss})")


if __name__ == "__main__":
    main()
