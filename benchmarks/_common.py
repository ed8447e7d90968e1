"""What the quality benchmarks share: paths, the data loaders of ../shared/data, tagging with a
progress bar, tuning one threshold offset on dev rows, printing, and writing results JSON.

The scoring rules themselves live in ``pipeline/evaluate.py`` (tested there).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from pathlib import Path

for _var, _value in (("MLFLOW_DISABLE_TELEMETRY", "true"), ("DVC_NO_ANALYTICS", "1"),
                     ("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1")):
    os.environ.setdefault(_var, _value)

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results"
SDG_TAXONOMY = ROOT / "configs" / "taxonomy" / "sdg.yaml"


# --- arguments -------------------------------------------------------------------------------
def parse_args(description: str) -> argparse.Namespace:
    from pipeline.config import load_config

    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    default = load_config().tag.model
    parser.add_argument("--model", default=default,
                        help=f"tagger name or model directory (default: tag.model = {default})")
    parser.add_argument("--limit", type=int, default=None,
                        help="score only the first N rows of each split (quick runs; figures are then not comparable)")
    parser.add_argument("--n-boot", type=int, default=1000, help="bootstrap resamples for 95%% intervals")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    parser.add_argument("--backend", default=None, choices=["onnx-int8", "onnx-fp32", "torch"],
                        help="MiniLM's runtime (default: tag.encoder_backend); compare fp32 with --backend torch")
    args = parser.parse_args()
    global BACKEND
    BACKEND = args.backend
    return args


BACKEND: str | None = None  # --backend, read by tag()


# --- data ------------------------------------------------------------------------------------
def data_path(*parts: str) -> Path:
    path = DATA.joinpath(*parts)
    if not path.exists():
        sys.exit(f"error: {path} not found. The benchmarks read the shared data beside the repo "
                 "(../shared/data); place it there to run them.")
    return path


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def limited(rows: list, limit: int | None) -> list:
    return rows if limit is None else rows[:limit]


def load_theme_map() -> dict[str, list[str]]:
    """UHRI theme (normalised, as in ``themes_norm``) -> Action Plan items."""
    with data_path("upr_slovenia_uhri", "uhri_to_action_plan.csv").open(encoding="utf-8", newline="") as fh:
        return {r["uhri_theme"]: [i.strip() for i in r["action_plan_items"].split(";") if i.strip()]
                for r in csv.DictReader(fh)}


def load_published() -> list[dict]:
    """Rows of ``sdg_benchmark/published_results.csv`` (numbers as floats)."""
    with data_path("sdg_benchmark", "published_results.csv").open(encoding="utf-8", newline="") as fh:
        return [{k: (v if k in ("model", "sdg") else float(v)) for k, v in r.items()} for r in csv.DictReader(fh)]


def unga_dev(limit: int | None) -> tuple[list[str], list[list[str]]]:
    """The single-annotated UNGA sets A, B and dev: the SDG benchmarks' only tuning data."""
    rows = limited(read_jsonl(data_path("unga_sdg", "unga_sdg_sets_dev_A_B.jsonl")), limit)
    return [r["text"] for r in rows], [list(r["sdgs"]) for r in rows]


# --- tagging ---------------------------------------------------------------------------------
def tag(model: str, tax, texts: list[str], what: str) -> tuple[np.ndarray, list[str], dict]:
    """Margins (score minus threshold, rows ``texts``, columns the tagger's labels), and the model
    ID and timing."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.evaluate import resolve_tagger, score_margins

    from pipeline.config import load_config

    t0 = time.perf_counter()
    cfg = load_config().tag
    tagger, model_id = resolve_tagger(model, tax, cfg.model_copy(update={"encoder_backend": BACKEND})
                                      if BACKEND else cfg)
    t1 = time.perf_counter()
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"tagging {what}", total=len(texts))
        margins = score_margins(tagger, texts, advance=lambda n: progress.advance(task, n))
    t2 = time.perf_counter()
    return margins, list(tagger.labels_), {"model_id": model_id, "fit_s": round(t1 - t0, 1),
                                           "tag_s": round(t2 - t1, 1), "texts": len(texts)}


def tune_on_dev(objective, label: str) -> float:
    """One threshold offset for all items, chosen on dev rows (see ``pipeline.evaluate.tune_offset``)."""
    from pipeline.evaluate import OFFSET_GRID, tune_offset

    offset, value = tune_offset(objective)
    print(f"Threshold offset tuned on dev ({label}): {offset:+.2f} (dev {label} {value:.3f}); "
          f"grid {OFFSET_GRID[0]:+.2f}..{OFFSET_GRID[-1]:+.2f} step 0.01, ties to the offset nearest 0.")
    return offset


# --- output ----------------------------------------------------------------------------------
def ci(d: dict, key: str, scale: float = 1.0) -> str:
    """``0.712 [0.650-0.770]`` from a figure and its ``ci95`` entry."""
    value = f"{d[key] * scale:.3f}"
    interval = d.get("ci95", {}).get(key)
    return value + (f" [{interval[0] * scale:.3f}-{interval[1] * scale:.3f}]" if interval else "")


def print_table(headers: list[str], rows: list[list], title: str | None = None) -> None:
    """A plain-text table for logs and READMEs: numeric columns right-aligned, text left-aligned."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [i > 0 and all(re.fullmatch(r"[-+0-9.\[\] ]*", r[i]) for r in cells) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    if title:
        print(f"\n{title}")
    head = line(headers)
    print(head)
    print("-" * len(head))
    for r in cells:
        print(line(r))


def header(name: str, protocol: str, args: argparse.Namespace) -> None:
    from pipeline.config import load_config

    backend = args.backend or load_config().tag.encoder_backend
    print(f"== {name} ==  model {args.model}, encoder backend {backend}; bootstrap {args.n_boot} resamples, seed {args.seed}"
          + (f"; LIMITED to {args.limit} rows per split (not comparable)" if args.limit else ""))
    print(protocol.strip())


def write_results(name: str, payload: dict, args: argparse.Namespace) -> None:
    payload = {"benchmark": name, "model": args.model, "backend": args.backend, "limit": args.limit, "n_boot": args.n_boot, "seed": args.seed,
               "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
               "commit": _commit(), "at": time.strftime("%Y-%m-%dT%H:%M:%S"), **payload}
    if args.no_write or args.limit:
        print("\nResults not written (--no-write or --limit: only full runs go to benchmarks/results/).")
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    tmp = out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(out)
    print(f"\nWrote {out.relative_to(ROOT)}")


def _commit() -> str | None:
    """The repository's HEAD, so a results file says which code made it (the model ID says which
    settings, cards and taxonomy)."""
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
