"""Throughput of the three ways to tag a workspace, against the bare encoder, in one run.

    .venv/bin/python benchmarks/scale.py [--limit N] [--model ensemble.v1] [--paths encoder,inproc,workers2,spark2]

Protocol: the UPR recommendations 2008-2014 (../shared/data/upr_recs_2008_2014/, field `text`;
39,191 rows, or the first --limit) go into a fresh workspace per path, and each path runs in its
own Python process, so its memory is its own and no path inherits another's loaded model:
  encoder   the bare configured encoder (tag.encoder_backend, default onnx-int8) embedding the
            texts (batch 64): the ceiling (run first and again last; ratios divide by the faster run)
  torch     the same encoder on torch fp32 (sentence-transformers), as before the ONNX backend
  inproc_torch  `aptag tag` with --set tag.encoder_backend=torch
  inproc    `aptag tag` as shipped (`tag_workspace`: one process)
  workers2  `aptag tag --workers 2` (`tag_workspace_pool`: two spawned worker processes)
  spark2    `aptag tag --engine spark --master local[2]` (export, Spark job, import)
"setup" is what comes before the first passage: loading the encoder (encoder), fitting the model
(inproc, workers2, spark2: embedding the item prototypes, saving the model for workers) and
starting the JVM (spark2). "tag" is the rest, until every prediction is in the workspace
(for workers2 and spark2 it includes starting the workers and loading the model in each).
passages/s = N / tag seconds; "vs encoder" divides that by the encoder's passages/s. Peak
memory is the largest summed resident set of the path's process tree (sampled every 0.2 s:
Python, worker processes, the JVM). All paths read one snapshot of configs/ taken at the start,
and their stored predictions are compared with the in-process ones at the end (in-process torch:
the share of (passage, item) pairs accepted by either that both accept).
Prints the figures and writes benchmarks/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "upr_recs_2008_2014" / "upr_recommendations_2008_2014.jsonl"
PATHS = {"encoder": "bare encoder", "torch": "bare torch fp32", "inproc_torch": "in-process torch",
         "inproc": "in-process", "workers2": "--workers 2", "spark2": "spark local[2]"}
for _var, _value in (("MLFLOW_DISABLE_TELEMETRY", "true"), ("DVC_NO_ANALYTICS", "1"),
                     ("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1")):
    os.environ.setdefault(_var, _value)


def read_texts(limit: int | None) -> list[str]:
    texts = []
    with DATA.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                texts.append(json.loads(line)["text"])
                if limit and len(texts) == limit:
                    break
    return texts


# --- one path, in a child process ---------------------------------------------------------------
def snapshot_config(tmp: Path) -> Path:
    """A copy of the pipeline config, taxonomy and item cards that every path reads, so that an edit
    to configs/ during the run (they are being tuned) cannot give the paths different models."""
    import shutil

    import yaml

    from pipeline.config import load_config, project_path

    data = load_config().model_dump()
    tag = data["tag"]
    shutil.copy(project_path(tag["taxonomy"]), tmp / "taxonomy.yaml")
    tag["taxonomy"] = str(tmp / "taxonomy.yaml")
    if tag["item_cards"]:
        shutil.copytree(project_path(tag["item_cards"]), tmp / "item_cards")
        tag["item_cards"] = str(tmp / "item_cards")
    (tmp / "pipeline.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return tmp / "pipeline.yaml"


def run_path(path: str, ws_dir: Path, limit: int | None, model: str | None, config: Path) -> dict:
    import pandas as pd

    from pipeline.classify.text import guess_language
    from pipeline.config import load_config, project_path
    from pipeline.store import Workspace, content_id
    from pipeline.tag import tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config(config).tag
    if path in ("torch", "inproc_torch"):
        cfg = cfg.model_copy(update={"encoder_backend": "torch"})
    texts = read_texts(limit)
    started = time.perf_counter()
    if path in ("encoder", "torch"):
        from pipeline.classify.encoders import get_encoder

        encoder = get_encoder(cfg.encoder, cfg.encoder_backend)
        encoder.encode(texts[:64])
        setup = time.perf_counter() - started
        encoder.encode(texts, batch_size=64)
        return {"setup_s": setup, "tag_s": time.perf_counter() - started - setup, "n": len(texts)}

    tax = load_taxonomy(project_path(cfg.taxonomy))
    spec = tagger_spec(model, cfg, tax)
    with Workspace(ws_dir) as ws:
        ws.insert_df("passages", pd.DataFrame({
            "passage_id": [content_id("upr", i) for i in range(len(texts))],
            "doc_id": [f"doc{i // 50:05d}" for i in range(len(texts))], "seq": [i % 50 for i in range(len(texts))],
            "text": texts, "char_start": 0, "char_end": [len(t) for t in texts],
            "language": [guess_language(t) for t in texts]}))
        started = time.perf_counter()
        if path in ("inproc", "inproc_torch"):
            from pipeline.tag import TaggerSpec, tag_workspace

            loaded = {}

            def load(cache_dir):  # time the fit, which tag_workspace does inside
                t = time.perf_counter()
                tagger = spec.load(cache_dir)
                loaded["s"] = time.perf_counter() - t
                return tagger

            summary = tag_workspace(ws, TaggerSpec(spec.model_id, load, spec.description),
                                    batch_size=cfg.batch_size, review_floor=cfg.review_floor,
                                    max_candidates=cfg.max_candidates)
            setup = loaded["s"]
        elif path == "workers2":
            from pipeline.scale.core import prepare_model
            from pipeline.scale.pool import tag_workspace_pool

            prepare_model(spec, tax, cfg, ws.path / "cache" / "models", cache_dir=str(ws.path))
            setup = time.perf_counter() - started
            summary = tag_workspace_pool(ws, spec, tax, cfg, workers=2)
        else:
            from pipeline.scale.core import prepare_model
            from pipeline.scale.spark import spark_session, tag_workspace_spark

            spark_session("local[2]")
            prepare_model(spec, tax, cfg, ws.path / "cache" / "models")
            setup = time.perf_counter() - started
            summary = tag_workspace_spark(ws, spec, tax, cfg, master="local[2]")
    total = time.perf_counter() - started
    return {"setup_s": setup, "tag_s": total - setup, "n": summary.tagged, "tags": summary.tags,
            "candidates": summary.candidates, "model_id": spec.model_id}


# --- the parent: run each path, sample its memory, compare ------------------------------------
def measure(path: str, ws_dir: Path, config: Path, args: argparse.Namespace) -> dict:
    import psutil

    cmd = [sys.executable, __file__, "--child", path, "--ws", str(ws_dir), "--config", str(config)]
    cmd += ["--limit", str(args.limit)] if args.limit else []
    cmd += ["--model", args.model] if args.model else []
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"error: path {path} failed (exit {proc.returncode}); run it alone to see why:\n  {' '.join(cmd)}")
    result = json.loads(out.strip().splitlines()[-1])
    result.update(wall_s=time.perf_counter() - started, peak_rss_mb=peak / 2**20,
                  passages_per_s=result["n"] / result["tag_s"])
    return result


def stored(ws_dir: Path, model_id: str):
    from pipeline.store import Workspace

    with Workspace(ws_dir, create=False, read_only=True) as ws:
        return ws.con.execute("SELECT passage_id, item_id, accepted, score, evidence::VARCHAR AS evidence FROM predictions "
                              "WHERE model_id = ? ORDER BY 1, 2", [model_id]).df()


def compare(frames: dict[str, "object"]) -> dict[str, str]:
    """Per path, how its stored predictions compare with the in-process ones."""
    base = frames.get("inproc")
    out = {}
    for name, frame in frames.items():
        if base is None or name == "inproc":
            continue
        if name == "inproc_torch":  # another encoder: the decisions are compared, not the rows
            a = set(base.loc[base.accepted, ["passage_id", "item_id"]].itertuples(index=False))
            b = set(frame.loc[frame.accepted, ["passage_id", "item_id"]].itertuples(index=False))
            out[name] = (f"accept decisions identical for {len(a & b) / max(1, len(a | b)):.4f} of the "
                         f"{len(a | b)} pairs accepted by either ({len(a)} against {len(b)} accepted; target >= 0.97)")
            continue
        keys = ["passage_id", "item_id", "accepted", "evidence"]
        same_rows = len(frame) == len(base) and frame[keys].equals(base[keys])
        diff = float((frame["score"] - base["score"]).abs().max()) if same_rows and len(frame) else float("nan")
        out[name] = (f"identical rows, max score difference {diff:.1e}" if same_rows
                     else f"DIFFERENT: {len(frame)} rows against {len(base)}")
    return out


def show(name: str, r: dict) -> None:
    ratio = f"{r['vs_encoder']:.2f}" if r.get("vs_encoder") else "-"
    print(f"{name:16} {r['setup_s']:8.1f} {r['tag_s']:8.1f} {r['passages_per_s']:11.1f} {ratio:>11} "
          f"{r['peak_rss_mb']:8.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N recommendations (quick runs)")
    parser.add_argument("--model", default=None, help="tagger name or model directory (default: tag.model)")
    parser.add_argument("--paths", default=",".join(PATHS), help=f"which of {', '.join(PATHS)}")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    parser.add_argument("--child", choices=list(PATHS), help=argparse.SUPPRESS)
    parser.add_argument("--ws", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"error: needs {DATA} (the shared data beside the repo)")
    if args.child:
        print(json.dumps(run_path(args.child, args.ws, args.limit, args.model, args.config)))
        return

    paths = [p for p in args.paths.split(",") if p]
    unknown = sorted(set(paths) - set(PATHS))
    if unknown:
        sys.exit(f"error: unknown path(s) {', '.join(unknown)}; choose from {', '.join(PATHS)}")
    n = len(read_texts(args.limit))
    print(__doc__.split("\n\n", 2)[2].split("Prints")[0].rstrip())
    load_before = os.getloadavg()
    print(f"\nN = {n}; {os.cpu_count()} cores, {platform.machine()}, python {platform.python_version()}; "
          f"load average before: {load_before[0]:.1f}\n")
    print(f"{'path':16} {'setup s':>8} {'tag s':>8} {'passages/s':>11} {'vs encoder':>11} {'peak MB':>8}")
    results, frames = {}, {}
    with tempfile.TemporaryDirectory(prefix="aptag-scale-") as tmp:
        config = snapshot_config(Path(tmp))
        for path in paths:
            r = measure(path, Path(tmp) / path, config, args)
            results[path] = r
            base = results.get("encoder", {}).get("passages_per_s")
            r["vs_encoder"] = r["passages_per_s"] / base if base else None
            show(PATHS[path], r)
            if path not in ("encoder", "torch"):
                frames[path] = stored(Path(tmp) / path, r["model_id"])
        if "encoder" in paths and len(paths) > 1:
            # again at the end: other work on a shared machine comes and goes, and the ratios
            # divide by the faster of the two encoder runs (the stricter ceiling)
            again = results["encoder_again"] = measure("encoder", Path(tmp) / "encoder", config, args)
            best = max(results["encoder"]["passages_per_s"], again["passages_per_s"])
            again["vs_encoder"] = again["passages_per_s"] / best
            show("bare encoder", again)
            for r in results.values():
                r["vs_encoder"] = r["passages_per_s"] / best
            print(f"vs encoder, against the faster encoder run ({best:.1f} passages/s): " + ", ".join(
                f"{PATHS[k]} {r['vs_encoder']:.2f}" for k, r in results.items() if k in PATHS and k != "encoder"))
    if "inproc" in results and "inproc_torch" in results:
        speedup = results["inproc"]["passages_per_s"] / results["inproc_torch"]["passages_per_s"]
        results["inproc"]["vs_inproc_torch"] = speedup
        print(f"in-process against in-process torch: {speedup:.2f}x (target >= 1.6)")
    comparison = compare(frames)
    for name, verdict in comparison.items():
        print(f"{PATHS[name]} against in-process: {verdict}")
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.1f} (other work on the machine slows every path alike)")
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / "scale.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {"n": n, "limit": args.limit, "cores": os.cpu_count(), "load_before": load_before[0],
                   "load_after": load_after[0], "paths": {k: {m: (round(v, 3) if isinstance(v, float) else v)
                                                             for m, v in r.items()} for k, r in results.items()},
                   "compared_with_in_process": comparison}
        out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
