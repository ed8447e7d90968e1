"""In-domain learning by cross-validation: the learning tagger trained on half of an in-domain dev
set (as `aptag train --set gold_train=[half.jsonl]` would) against the zero-shot tagger, both
scored on the other half.

    .venv/bin/python benchmarks/indomain_learning.py [--seeds 0,1,2]

Prints the protocol and a table; writes benchmarks/results/indomain_learning.json.
"""

from __future__ import annotations

import argparse
import json

import numpy as np

import _common as C
import _learning as L

PROTOCOL = """
Protocol: each in-domain dev set (actionplan_dev, 55 passages; the project's indomain_dev, 66
passages in English and French, benchmarks/data/) is split in two halves at random per seed; the
learning tagger (train.model with configs/train.yaml's settings) is fitted on one half's passages
and item labels and scored on the other, and the other way round (2-fold). The zero-shot tagger
(tag.model) is scored on the same halves. Figures: item micro-F1, precision and recall and section
micro-F1 over the pooled predictions of both halves, mean over seeds [range].
"""


def main() -> None:
    from pipeline.config import load_train_config
    from pipeline.evaluate import indicator, level_matrix, matrix_figures

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", default="0,1,2")
    p.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    args = p.parse_args()
    model = load_train_config().model
    print(f"In-domain learning: {model} trained on half of each dev set, scored on the other half")
    print(PROTOCOL)
    data = L.upr_learning()  # for the taxonomy, the cache and the zero-shot tagger
    ids = data.tax.item_ids()
    to_section, _ = level_matrix(data.tax, ids, "section")
    zs = data.zero_shot()
    sets = {"actionplan_dev": C.read_jsonl(C.data_path("actionplan_dev", "dev.jsonl")),
            "indomain_dev": C.read_jsonl(C.ROOT / "benchmarks" / "data" / "indomain_dev.jsonl")}
    seeds = [int(s) for s in args.seeds.split(",")]
    results = []
    for name, rows in sets.items():
        texts, items = [r["text"] for r in rows], [r["items"] for r in rows]
        gold = indicator(items, ids)
        zero = indicator(zs.predict(texts), ids)
        for seed in seeds:
            order = np.random.default_rng(seed).permutation(len(rows))
            halves = [np.sort(order[: len(rows) // 2]), np.sort(order[len(rows) // 2:])]
            learned = np.zeros_like(gold)
            for k in (0, 1):
                train, test = halves[k], halves[1 - k]
                tagger = L.fit_learner(model, data.tax, data.cache, [texts[i] for i in train], [items[i] for i in train])
                learned[test] = indicator(tagger.predict([texts[i] for i in test]), ids)
            for label, pred in (("zero-shot", zero), (model, learned)):
                f = matrix_figures(gold, pred)
                results.append({"set": name, "tagger": label, "seed": seed, "item_micro_f1": f["micro_f1"],
                                "item_precision": f["micro_precision"], "item_recall": f["micro_recall"],
                                "section_micro_f1": matrix_figures((gold @ to_section) > 0,
                                                                   (pred @ to_section) > 0)["micro_f1"]})
        print(f"  {name}: {len(seeds)} seeds", flush=True)

    cols = ["item_micro_f1", "item_precision", "item_recall", "section_micro_f1"]
    print(f"\n{'set':<16}{'tagger':<14}" + "".join(f"{c:>24}" for c in cols))
    table = []
    for name in sets:
        for label in ("zero-shot", model):
            group = [r for r in results if r["set"] == name and r["tagger"] == label]
            row = {"set": name, "tagger": label}
            cells = []
            for c in cols:
                v = np.array([g[c] for g in group])
                row[c], row[c + "_range"] = round(float(v.mean()), 4), [round(float(v.min()), 4), round(float(v.max()), 4)]
                cells.append(f"{v.mean():.3f} [{v.min():.2f}-{v.max():.2f}]")
            table.append(row)
            print(f"{name:<16}{label:<14}" + "".join(f"{x:>24}" for x in cells))
    if not args.no_write:
        out = C.RESULTS / "indomain_learning.json"
        out.write_text(json.dumps({"protocol": PROTOCOL.strip(), "model": model, "table": table, "runs": results},
                                  indent=2), encoding="utf-8")
        print(f"\nWrote {out.relative_to(C.ROOT)}")


if __name__ == "__main__":
    main()
