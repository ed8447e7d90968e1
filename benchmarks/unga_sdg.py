"""UNGA multi-annotator benchmark: UN General Assembly resolution paragraphs labelled with SDG
goals by three independent annotators; the tagger is scored against each annotator separately and
placed against the annotator-vs-annotator band (protocol in ../shared/data/README.md).

    .venv/bin/python benchmarks/unga_sdg.py [--model ensemble.v1] [--limit 100]

Prints the protocol, the human band computed from the data, the tagger's micro-F1 against each
annotator with bootstrap 95% intervals; writes benchmarks/results/unga_sdg.json.
"""

from __future__ import annotations

import numpy as np

import _common as C

PROTOCOL = """
Protocol (../shared/data/README.md, "UNGA multi-annotator"):
- Test: unga_sdg_multiannotator.jsonl, resolution paragraphs with the SDG goals each annotator gave
  (`annotators`: CB, CL, CS; a row holds two or three of them). Dev: unga_sdg_sets_dev_A_B.jsonl
  (single annotation), the only rows thresholds are tuned on.
- The tagger runs with the SDG taxonomy (configs/taxonomy/sdg.yaml); a goal is predicted when any of
  its targets is. Scored against each annotator separately: micro-F1 on goals over the rows that
  annotator labelled (empty label sets included).
- Human band: micro-F1 between each pair of annotators on the rows both labelled (micro-F1 is
  symmetric), computed here from the same file; the README gives 0.78-0.80.
- Two threshold settings: the model's own, and one offset added to all thresholds, chosen to maximise
  goal micro-F1 on dev. 95% intervals: bootstrap over rows.
"""


def main() -> None:
    from pipeline.evaluate import (annotator_scores, indicator, micro_f1_at, micro_f1_sets, roll_up_margins,
                                   tags_from_margins)
    from pipeline.taxonomy import load_taxonomy

    args = C.parse_args(__doc__)
    C.header("UNGA multi-annotator (SDG goals)", PROTOCOL, args)
    tax = load_taxonomy(C.SDG_TAXONOMY)
    rows = C.limited(C.read_jsonl(C.data_path("unga_sdg", "unga_sdg_multiannotator.jsonl")), args.limit)
    annotations = [{a: list(v["sdgs"]) for a, v in r["annotators"].items()} for r in rows]
    dev_texts, dev_gold = C.unga_dev(args.limit)

    band = annotator_scores(annotations, n_boot=args.n_boot, seed=args.seed)
    lo, hi = min(v["f1"] for v in band.values()), max(v["f1"] for v in band.values())
    C.print_table(["annotator pair", "rows", "micro-F1 [95% CI]", "P", "R"],
                  [[k, v["n_rows"], C.ci(v, "f1"), f"{v['precision']:.3f}", f"{v['recall']:.3f}"] for k, v in band.items()],
                  f"Human band (computed from {len(rows)} test rows): {lo:.3f}-{hi:.3f}")

    texts = [r["text"] for r in rows]
    margins, labels, timing = C.tag(args.model, tax, dev_texts + texts, "UNGA dev + test")
    goal_margins, goals = roll_up_margins(margins, labels, tax, "goal")
    dev_m, test_m = goal_margins[:len(dev_texts)], goal_margins[len(dev_texts):]
    print(f"\nModel {timing['model_id']} ready in {timing['fit_s']} s, {timing['texts']} texts tagged in {timing['tag_s']} s.")
    offset = C.tune_on_dev(lambda off: micro_f1_at(dev_m, indicator(dev_gold, goals), off), "goal micro-F1")

    results = {}
    table = []
    for setting, off in (("model thresholds", 0.0), (f"dev-tuned offset {offset:+.2f}", offset)):
        pred = tags_from_margins(test_m, goals, off)
        dev = micro_f1_sets(dev_gold, tags_from_margins(dev_m, goals, off), args.n_boot, args.seed)
        per = annotator_scores(annotations, pred, n_boot=args.n_boot, seed=args.seed)
        majority = micro_f1_sets([r["sdgs_majority"] for r in rows], pred, args.n_boot, args.seed)
        mean_f1 = float(np.mean([v["f1"] for v in per.values()]))
        results[setting] = {"offset": off, "dev": dev, "per_annotator": per, "mean_f1": round(mean_f1, 4),
                            "majority": majority, "goals_per_row": round(float(np.mean([len(p) for p in pred])), 3)}
        table.append([f"{setting}", C.ci(dev, "f1"), *(C.ci(per[a], "f1") for a in sorted(per)),
                      f"{mean_f1:.3f}", C.ci(majority, "f1"), _place(mean_f1, lo, hi)])
    names = sorted(results["model thresholds"]["per_annotator"])
    C.print_table(["thresholds", "dev micro-F1", *(f"vs {a}" for a in names), "mean", "vs majority", "against the band"],
                  table, f"Tagger micro-F1 on goals [bootstrap 95% CI]; human band {lo:.3f}-{hi:.3f}")
    for setting, r in results.items():
        per = r["per_annotator"]
        print(f"{setting}: " + "; ".join(f"vs {a} P {per[a]['precision']:.3f} R {per[a]['recall']:.3f} "
                                         f"({per[a]['n_rows']} rows)" for a in names)
              + f"; {r['goals_per_row']} goals predicted per paragraph")

    print_per_goal(tax, goals, indicator([r["sdgs_majority"] for r in rows], goals), test_m, results)

    C.write_results("unga_sdg", {
        "protocol": PROTOCOL.strip(), "offset": offset, "timing": timing,
        "human_band": {"min": lo, "max": hi, "pairs": band}, "results": results,
    }, args)


def print_per_goal(tax, goals: list[str], majority, margins, results: dict) -> None:
    """Where the micro-F1 comes from: each goal's precision and recall against the majority labels."""
    from pipeline.evaluate import per_label_table

    titles = {g.id: g.title for g in tax.at_level("goal")}
    tables = {}
    for setting, r in results.items():
        tables[setting] = per_label_table(majority, margins >= r["offset"], goals).set_index("item")
        r["per_goal_vs_majority"] = tables[setting].reset_index().to_dict("records")
    model, tuned = tables.values()
    rows = []
    for g in goals:
        if not (model.loc[g, "support"] or model.loc[g, "predicted"] or tuned.loc[g, "predicted"]):
            continue
        row = [g, titles[g][:30], int(model.loc[g, "support"])]
        for t in (model, tuned):
            row += [int(t.loc[g, "predicted"]), *(f"{t.loc[g, k]:.2f}" for k in ("precision", "recall", "f1"))]
        rows.append(row)
    C.print_table(["goal", "title", "support", "pred", "P", "R", "F1", "pred (tuned)", "P", "R", "F1"], rows,
                  "Per goal against the majority labels: model thresholds, then dev-tuned")


def _place(f1: float, lo: float, hi: float) -> str:
    if f1 > hi:
        return "above"
    if f1 >= lo:
        return "within"
    return f"{lo - f1:.3f} below"


if __name__ == "__main__":
    main()
