"""A whole archive through `aptag run`: every UPR recommendation 2008-2014 from its JSONL file.

    .venv/bin/python benchmarks/archive_run.py [--limit N] [--keep]

Protocol: `aptag run ../shared/data/upr_recs_2008_2014/upr_recommendations_2008_2014.jsonl
--text-column text --id-column source_id --country-column state_under_review --date-column year`
into a new temporary workspace (tabular ingest, tag with the configured model and backend, coverage,
report), in a child process, exactly as a desk officer would type it. The item prototypes come from
the shared cache when it exists (as on any machine after the first run). Printed: the wall time of
the command (target < 6 minutes for the 39,191 rows on 2 cores), the per-stage times `aptag run`
prints itself, the child's peak memory (maximum resident set size; target < 2 GB) and the load
average before and after. Writes benchmarks/results/archive_run.json (full runs only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "upr_recs_2008_2014" / "upr_recommendations_2008_2014.jsonl"
OUT = ROOT / "benchmarks" / "results" / "archive_run.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N rows (quick runs; not written)")
    parser.add_argument("--keep", action="store_true", help="keep the workspace (printed)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: this benchmark needs ../shared/data beside the project.")
    work = Path(tempfile.mkdtemp(prefix="archive-", suffix=".tmp", dir=ROOT / "benchmarks" / "results"))  # git-ignored
    source = DATA
    if args.limit:
        source = work / "rows.jsonl"
        with DATA.open(encoding="utf-8") as f, source.open("w", encoding="utf-8") as out:
            for _, line in zip(range(args.limit), f):
                out.write(line)
    rows = sum(1 for _ in source.open(encoding="utf-8"))
    aptag = Path(sys.executable).with_name("aptag")
    command = [str(aptag), "run", str(source), "--text-column", "text", "--id-column", "source_id",
               "--country-column", "state_under_review", "--date-column", "year",
               "--workspace", str(work / "ws"), "-o", str(work / "report.html")]
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "DVC_NO_ANALYTICS": "1", "COLUMNS": "200"}
    load_before = os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode:
        sys.exit(f"aptag run failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    stages = re.search(r"Time: (.*)", proc.stdout)
    summary = [line for line in proc.stdout.splitlines() if line.startswith(("Ingest", "Tag", "Coverage", "Report"))]
    report_mb = (work / "report.html").stat().st_size / 1e6
    print(f"== aptag run on {rows:,} UPR recommendations (JSONL, tabular ingest) ==")
    print("command: aptag " + " ".join(command[1:]).replace(str(work), "<tmp>"))
    for line in summary:
        print("  " + line.replace(str(work), "<tmp>"))
    print(f"  wall time      {wall / 60:.1f} min ({wall:.0f} s; target < 6 min)")
    print(f"  stages         {stages.group(1) if stages else '(not printed)'}")
    print(f"  peak memory    {peak_mb:,.0f} MB (max RSS of the aptag process; target < 2 GB)")
    print(f"  report         {report_mb:.1f} MB")
    print(f"  load average   {', '.join(f'{x:.2f}' for x in load_before)} before, "
          f"{', '.join(f'{x:.2f}' for x in load_after)} after (1, 5, 15 min); {os.cpu_count()} cores")
    if not args.limit:
        OUT.write_text(json.dumps({"rows": rows, "wall_s": round(wall, 1), "stages": stages.group(1) if stages else None,
                                   "peak_rss_mb": round(peak_mb), "report_mb": round(report_mb, 2),
                                   "load_before": load_before, "load_after": load_after,
                                   "command": " ".join(command[1:]).replace(str(work), "<tmp>")}, indent=1) + "\n")
        print(f"Wrote {OUT.relative_to(ROOT)}")
    if args.keep:
        print(f"workspace kept: {work / 'ws'}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
