"""Speed of the whole `aptag tag` path against the bare encoder on the same passages, in one run.

    .venv/bin/python benchmarks/tag_speed.py [--n 5000] [--retag-n 10000] [--model ensemble.v1]
                                             [--retag-model lexical.v1]

Protocol: N passages (UPR recommendations 2008-2014, ../shared/data/upr_recs_2008_2014/) go into a
temporary workspace. The tagger is loaded once on the configured encoder backend (default
``onnx-int8``) and once on ``torch`` (warm-up, not timed; it embeds the item prototypes into the shared
cache, as a first `aptag tag` would); then a new process loads the tagger again, as a second
`aptag tag` or `aptag run` would (prototypes from the cache; timed: the load, and the whole process
with its imports; target < 10 s). Timed, on the same N texts in the same run: (1) the bare encoder
on torch fp32 and on the configured backend, batch 64; (2) `tag_workspace` on the N passages (untagged
query, scoring, candidate selection, evidence, transactional writes) with the torch tagger and with
the configured one. Ratios: tag path / its own bare encoder (target >= 0.9) and tag path / torch
tag path (target >= 1.6). Agreement: of the (passage, item) pairs accepted by either tagger, the
share accepted by both (target >= 0.97). Then the workspace is filled up to --retag-n passages, all
are tagged, and a re-run of `tag_workspace` on the unchanged workspace is timed (target < 2 s at
10,000). Peak memory is the process's maximum resident set size; the load average is printed
before and after.
Prints the figures and writes benchmarks/results/tag_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "upr_recs_2008_2014" / "upr_recommendations_2008_2014.jsonl"


def passages(texts: list[str], offset: int):
    import pandas as pd

    from pipeline.classify.text import guess_language
    from pipeline.store import content_id

    return pd.DataFrame({"passage_id": [content_id("bench", offset + i) for i in range(len(texts))],
                         "doc_id": [f"doc{(offset + i) // 50}" for i in range(len(texts))],
                         "seq": [(offset + i) % 50 for i in range(len(texts))], "text": texts, "char_start": 0,
                         "char_end": [len(t) for t in texts], "page": 1, "heading": None,
                         "language": [guess_language(t) for t in texts]})


def second_load(model: str | None, ws_path: Path) -> tuple[float, float]:
    """(seconds of the tagger load, seconds of the whole process) in a new process on ``ws_path``."""
    code = ("import json, sys, time; sys.path.insert(0, %r)\n"
            "from pipeline.config import load_config, project_path\n"
            "from pipeline.tag import tagger_spec\n"
            "from pipeline.taxonomy import load_taxonomy\n"
            "cfg = load_config().tag\n"
            "spec = tagger_spec(%r, cfg, load_taxonomy(project_path(cfg.taxonomy)))\n"
            "t = time.perf_counter(); spec.load(%r); print(json.dumps(time.perf_counter() - t))\n"
            % (str(ROOT), model, str(ws_path)))
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1]), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--retag-n", type=int, default=10000)
    parser.add_argument("--model", default=None)
    parser.add_argument("--retag-model", default=None, help="model that fills the re-tag workspace (default: "
                        "--model); a re-run never loads the tagger, so a faster one measures the same path")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"needs {DATA} (the shared data beside the repo)")

    from pipeline.classify.encoders import get_encoder
    from pipeline.config import load_config, project_path
    from pipeline.store import Workspace
    from pipeline.tag import tag_workspace, tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config().tag
    tax = load_taxonomy(project_path(cfg.taxonomy))
    n_total = max(args.n, args.retag_n)
    texts = []
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == n_total:
                break
    spec = tagger_spec(args.model, cfg, tax)
    torch_cfg = cfg.model_copy(update={"encoder_backend": "torch"})
    torch_spec = tagger_spec(args.model, torch_cfg, tax)
    print(__doc__.split("Prints")[0].strip().split("\n\n", 1)[1])
    print(f"\nmodel {spec.model_id}; encoder {cfg.encoder} on {cfg.encoder_backend} (other languages: "
          f"{cfg.encoder_other or 'same'}); N = {args.n}; batch size {cfg.batch_size}; "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    load_before = os.getloadavg()

    def tag(ws, which):
        return tag_workspace(ws, which, batch_size=cfg.batch_size, review_floor=cfg.review_floor,
                             max_candidates=cfg.max_candidates)

    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "ws") as ws:
        ws.insert_df("passages", passages(texts[:args.n], 0))
        started = time.perf_counter()
        spec.load(str(ws.path))  # warm-up: encoders loaded, prototypes embedded into the shared cache
        warm_s = time.perf_counter() - started
        torch_spec.load(str(ws.path))
        cached_s, cached_process_s = second_load(args.model, ws.path)
        bare = {}
        for backend in ("torch", cfg.encoder_backend):
            encoder = get_encoder(cfg.encoder, backend)
            encoder.encode(texts[:64])
            started = time.perf_counter()
            encoder.encode(texts[:args.n], batch_size=64)
            bare[backend] = time.perf_counter() - started

        torch_summary = tag(ws, torch_spec)
        summary = tag(ws, spec)
        tag_s = summary.seconds
        both, either, differ = ws.con.execute(
            "SELECT count(*) FILTER (WHERE a AND b), count(*) FILTER (WHERE a OR b), count(*) FILTER (WHERE a <> b) "
            "FROM (SELECT bool_or(model_id = ? AND accepted) AS a, bool_or(model_id = ? AND accepted) AS b "
            "FROM predictions WHERE model_id IN (?, ?) GROUP BY passage_id, item_id)",
            [spec.model_id, torch_spec.model_id, spec.model_id, torch_spec.model_id]).fetchone()

        retag_spec = tagger_spec(args.retag_model, cfg, tax) if args.retag_model else spec
        if n_total > args.n:
            ws.insert_df("passages", passages(texts[args.n:n_total], args.n))
        tag(ws, retag_spec)
        n_ws = ws.con.execute("SELECT count(*) FROM passages").fetchone()[0]
        again = tag_workspace(ws, retag_spec)
        retag_s = again.seconds

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = {b: args.n / sec for b, sec in bare.items()}
    tag_rate, torch_tag_rate = summary.tagged / tag_s, torch_summary.tagged / torch_summary.seconds
    result = {
        "model_id": spec.model_id, "torch_model_id": torch_spec.model_id, "encoder": cfg.encoder,
        "backend": cfg.encoder_backend, "n": args.n, "warmup_s": round(warm_s, 2),
        "warmup_cached_s": round(cached_s, 2), "warmup_cached_process_s": round(cached_process_s, 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "bare_torch_passages_per_s": round(rate["torch"], 1),
        "bare_encoder_s": round(bare[cfg.encoder_backend], 2),
        "bare_encoder_passages_per_s": round(rate[cfg.encoder_backend], 1),
        "torch_tag_passages_per_s": round(torch_tag_rate, 1),
        "tag_s": round(tag_s, 2), "tag_passages_per_s": round(tag_rate, 1),
        "ratio": round(tag_rate / rate[cfg.encoder_backend], 3),
        "speedup_vs_torch_tag": round(tag_rate / torch_tag_rate, 3),
        "speedup_vs_bare_torch": round(tag_rate / rate["torch"], 3),
        "accepts_torch": torch_summary.tags, "tags_written": summary.tags,
        "accept_agreement": round(both / either, 4) if either else 1.0, "accepts_differing": int(differ),
        "candidates_stored": summary.candidates, "retag_model_id": retag_spec.model_id, "retag_passages": int(n_ws),
        "retag_s": round(retag_s, 3), "retag_tagged": again.tagged, "peak_rss_mb": round(peak_mb, 1),
        "targets": {"ratio": 0.9, "speedup_vs_torch_tag": 1.6, "accept_agreement": 0.97, "retag_s_at_10000": 2.0},
    }
    print(f"\nbare encoder, torch fp32        {rate['torch']:8.1f} passages/s  ({bare['torch']:.1f} s)")
    print(f"bare encoder, {cfg.encoder_backend:<17} {rate[cfg.encoder_backend]:8.1f} passages/s  "
          f"({bare[cfg.encoder_backend]:.1f} s)")
    print(f"aptag tag path, torch fp32      {torch_tag_rate:8.1f} passages/s  ({torch_summary.seconds:.1f} s; "
          f"{torch_summary.tags} tags)")
    print(f"aptag tag path, {cfg.encoder_backend:<15} {tag_rate:8.1f} passages/s  ({tag_s:.1f} s; "
          f"{summary.tags} tags, {summary.candidates} candidates stored)")
    print(f"tag path / its bare encoder     {result['ratio']:8.3f}   (target >= 0.9)")
    print(f"tag path / torch tag path       {result['speedup_vs_torch_tag']:8.3f}   (target >= 1.6)")
    print(f"accept decisions identical      {result['accept_agreement']:8.4f}   ({both} of {either} (passage, item) "
          f"pairs accepted by either; {differ} differ; target >= 0.97)")
    print(f"re-tag of an unchanged workspace of {n_ws} passages ({retag_spec.model_id}): {retag_s:.3f} s "
          "(target < 2 s at 10,000)")
    print(f"peak memory    {peak_mb:8.0f} MB (max RSS); warm-up {warm_s:.1f} s; again in a new process "
          f"{cached_s:.1f} s ({cached_process_s:.1f} s with its imports)")
    print(f"load average   {', '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} after (1, 5, 15 min)")
    out = ROOT / "benchmarks" / "results" / "tag_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
