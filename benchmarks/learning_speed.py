"""What learning costs: `aptag train` on 500 corrections, and tagging with the learned model against
the zero-shot tagger on the same passages in the same run.

    .venv/bin/python benchmarks/learning_speed.py [--corrections 500] [--n 5000]

Protocol: the corrections are UPR recommendations 2008-2014 (../shared/data/upr_recs_2008_2014/)
labelled with the zero-shot tagger's accepted items (a desk officer accepting every tag: timing
only, the labels' quality does not change the cost). They are written as a gold_train JSONL file
and `aptag train --set gold_train=[FILE] --set annotations=false --set model=<train.model>` runs on
a temporary workspace as a user would run it (a new process: imports, encoder load, embedding the
corrections, fitting, the held-out and eval_gold evaluations, MLflow logging, saving the model);
target < 10 minutes on 2 cores. Then N other recommendations of the same file are tagged by
`tag_workspace` in two fresh workspaces (each embeds its passages: no cached embeddings), once with
the zero-shot tagger (tag.model) and once with the trained model; the ratio of passages per second
is the learned path's speed relative to the zero-shot path (target >= 0.85). The load average is
printed before and after. Writes benchmarks/results/learning_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATA = ROOT.parent / "shared" / "data" / "upr_recs_2008_2014" / "upr_recommendations_2008_2014.jsonl"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corrections", type=int, default=500)
    p.add_argument("--n", type=int, default=5000, help="passages tagged by each tagger")
    args = p.parse_args()
    if not DATA.exists():
        sys.exit(f"needs {DATA} (the shared data beside the repo)")

    from tag_speed import passages

    from pipeline.config import load_config, load_train_config, project_path
    from pipeline.store import Workspace
    from pipeline.tag import tag_workspace, tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config().tag
    tax = load_taxonomy(project_path(cfg.taxonomy))
    model = load_train_config().model
    texts = []
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == args.corrections + args.n:
                break
    train_texts, tag_texts = texts[:args.corrections], texts[args.corrections:]
    print(__doc__.split("Protocol: ", 1)[1].split("Writes")[0].strip())
    print(f"\n{args.corrections} corrections, {len(tag_texts)} passages tagged; learning tagger {model}; "
          f"zero-shot {cfg.model} on {cfg.encoder_backend}; {os.cpu_count()} cores")
    load_before = os.getloadavg()

    def tag(ws, spec):
        return tag_workspace(ws, spec, batch_size=cfg.batch_size, review_floor=cfg.review_floor,
                             max_candidates=cfg.max_candidates)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        zero_spec = tagger_spec(None, cfg, tax)
        with Workspace(tmp / "label") as ws:  # the corrections' labels: the zero-shot tags
            ws.insert_df("passages", passages(train_texts, 0))
            tag(ws, zero_spec)
            accepted = ws.con.execute(
                "SELECT p.text, list(item_id ORDER BY item_id) FROM passages p JOIN predictions USING (passage_id) "
                "WHERE accepted GROUP BY p.passage_id, p.text").fetchall()
        labelled = {t: items for t, items in accepted}
        gold = tmp / "corrections.jsonl"
        gold.write_text("".join(json.dumps({"text": t, "items": labelled.get(t, [])}, ensure_ascii=False) + "\n"
                                for t in train_texts), encoding="utf-8")
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "pipeline.cli", "train", "--workspace", str(tmp / "train"),
                              "--set", f"gold_train=[{gold}]", "--set", "annotations=false", "--set", f"model={model}",
                              "--model-id", "bench"], capture_output=True, text=True, cwd=ROOT)
        train_s = time.perf_counter() - started
        if out.returncode:
            sys.exit(f"aptag train failed:\n{out.stderr[-3000:]}")
        model_dir = tmp / "train" / "models" / "bench"

        rates = {}
        for name, spec in (("zero-shot", tagger_spec(None, cfg, tax)), ("learned", tagger_spec(str(model_dir), cfg, tax))):
            with Workspace(tmp / f"tag-{name}") as ws:
                ws.insert_df("passages", passages(tag_texts, args.corrections))
                spec.load(str(ws.path))  # warm-up (encoders, prototypes): not timed, as in tag_speed.py
                summary = tag(ws, spec)
                rates[name] = (summary.tagged / summary.seconds, summary.seconds, summary.tags)

    ratio = rates["learned"][0] / rates["zero-shot"][0]
    result = {"model": model, "corrections": args.corrections, "labelled_items": sum(map(len, labelled.values())),
              "train_process_s": round(train_s, 1), "n": len(tag_texts),
              **{f"{k}_passages_per_s": round(v[0], 1) for k, v in rates.items()},
              **{f"{k}_tags": v[2] for k, v in rates.items()},
              "learned_over_zero_shot": round(ratio, 3),
              "load_average_before": [round(x, 2) for x in load_before],
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "targets": {"train_process_s": 600, "learned_over_zero_shot": 0.85}}
    print(f"\naptag train on {args.corrections} corrections   {train_s:8.1f} s   (a new process, all of it; target < 600 s)")
    for name, (rate, sec, tags) in rates.items():
        print(f"tag path, {name:<10}          {rate:8.1f} passages/s  ({sec:.1f} s; {tags} tags)")
    print(f"learned / zero-shot               {ratio:8.3f}   (target >= 0.85)")
    print(f"load average   {', '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} after (1, 5, 15 min)")
    path = ROOT / "benchmarks" / "results" / "learning_speed.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
