"""Speed, memory and report size of coverage and the HTML report at scale.

Protocol: a synthetic workspace (generated here, seed 0): 100,000 passages in 10,000 documents
from 200 countries (Zipf-like skew: a few partners have many documents), 5 document types, dates
uniform over 2020-2024; 1,000,000 predictions of one model (10 distinct items per passage, items
drawn with a Zipf-like skew over the 140 items of the Action Plan, scores Beta(2, 3), accepted at
0.5 so ~31% are tags and the rest "to review"), each with evidence JSON; 5,000 annotations.

Measured in a fresh process (so its peak memory is that of the stages, not of the generation):
reading the tables (`load_inputs`), `aptag coverage` at item level, by country and period,
and at section level, the quality cards with corrected counts (`aptag quality`; the shipped dev
prior is applied to the synthetic model, so this measures their cost, not their accuracy), and the
whole report (`build_report`: aggregation, evidence selection, evidence read, quality cards, HTML
with the review controls). Peak memory is the process's maximum resident set size (getrusage), shown
with the baseline after imports. With Chromium installed, the report is also opened headless and
the time until it has drawn, to apply a country filter, and to open an item's panel (its evidence
with accept / reject / add controls and its quality card) is measured.

How the report stays usable at this size: counts are aggregated in Python into a cube of
non-empty (node, country, doc type, period) cells, whose passage and document counts sum exactly
under any filter, so the page never carries the passages it counts; only the best
`max_evidence` passages per item (default 20) travel with their text, and the drill-down says how
many more there are. The heatmap shows the 24 busiest columns until "show all" is pressed.

Usage: python benchmarks/coverage_speed.py [--passages N] [--keep] [--no-browser]
Writes benchmarks/results/coverage_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "results" / "coverage_speed.json"
WORK = ROOT / "benchmarks" / "results" / "coverage_speed.tmp"   # git-ignored (*.tmp)

WORDS = ("the delegation raised human rights defenders detention freedom of expression elections civil "
         "society torture death penalty gender equality children migrants journalists court reform "
         "dialogue government minister visit trial independent media corruption accountability "
         "indigenous peoples labour rights business digital surveillance privacy climate").split()


def generate(path: Path, n_passages: int, seed: int = 0) -> dict:
    """Write the synthetic workspace; returns its shape."""
    import numpy as np
    import pandas as pd

    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    rng = np.random.default_rng(seed)
    items = np.array(load_taxonomy().item_ids())
    n_docs, n_countries, per_passage = n_passages // 10, 200, 10
    countries = np.array([f"Country {i:03d}" for i in range(n_countries)])
    c_weight = 1 / np.arange(1, n_countries + 1) ** 0.7
    doc_country = rng.choice(countries, size=n_docs, p=c_weight / c_weight.sum())
    start = np.datetime64("2020-01-01")
    doc_date = start + rng.integers(0, 5 * 365 + 1, size=n_docs).astype("timedelta64[D]")
    doc_ids = np.array([f"D{i:06d}" for i in range(n_docs)])
    documents = pd.DataFrame({
        "doc_id": doc_ids, "source_path": [f"synthetic/{d}.pdf" for d in doc_ids], "format": "pdf",
        "doc_type": rng.choice(["minutes", "demarche", "report", "statement", "other"], size=n_docs),
        "country": doc_country, "date": pd.to_datetime(doc_date), "language": "en",
        "title": [f"Synthetic document {i}" for i in range(n_docs)], "status": "ok",
    })
    passage_doc = np.repeat(doc_ids, n_passages // n_docs)
    words = rng.choice(WORDS, size=(n_passages, 40))
    texts = [" ".join(w[:20]).capitalize() + ". " + " ".join(w[20:]).capitalize() + "." for w in words]
    passages = pd.DataFrame({
        "passage_id": [f"P{i:07d}" for i in range(n_passages)], "doc_id": passage_doc,
        "seq": np.tile(np.arange(n_passages // n_docs), n_docs), "text": texts,
        "char_start": 0, "char_end": [len(t) for t in texts], "page": rng.integers(1, 30, size=n_passages),
    })
    # 10 distinct items per passage, Zipf-like popularity: Gumbel top-k over log weights.
    logw = -0.8 * np.log(np.arange(1, len(items) + 1))
    rng.shuffle(logw)
    top = np.argpartition(-(logw[None, :] + rng.gumbel(size=(n_passages, len(items)))), per_passage, axis=1)[:, :per_passage]
    scores = rng.beta(2, 3, size=top.shape)
    first_end = np.array([t.index(".") + 1 for t in texts])
    evidence = [f'{{"start":0,"end":{e},"sentence":"","terms":["{w}"]}}' for e, w in
                zip(np.repeat(first_end, per_passage), rng.choice(WORDS, size=top.size))]
    predictions = pd.DataFrame({
        "passage_id": np.repeat(passages["passage_id"].to_numpy(), per_passage), "item_id": items[top.ravel()],
        "score": scores.ravel().round(4), "model_id": "synthetic.v1", "accepted": scores.ravel() >= 0.5,
        "evidence": evidence,
    })
    pick = rng.choice(len(predictions), size=5000, replace=False)
    annotations = predictions.iloc[pick][["passage_id", "item_id"]].assign(
        value=rng.integers(0, 2, size=5000), annotator="bench", at=pd.Timestamp("2025-01-01"), source="bench")
    with Workspace(path) as ws, ws.transaction():
        for name, df in (("documents", documents), ("passages", passages), ("predictions", predictions)):
            ws.insert_df(name, df)
        # annotations has no key, which INSERT OR IGNORE (insert_df) needs: plain INSERT.
        ws.con.register("_ann", annotations)
        ws.con.execute('INSERT INTO annotations (passage_id, item_id, value, annotator, "at", source) '
                       'SELECT passage_id, item_id, value, annotator, "at", source FROM _ann')
        ws.con.unregister("_ann")
    return {"documents": n_docs, "passages": n_passages, "predictions": len(predictions),
            "accepted": int(predictions["accepted"].sum()), "annotations": 5000, "countries": n_countries,
            "years": 5, "items": len(items)}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux: kilobytes


def measure(path: Path) -> dict:
    """The stages, timed, in this (fresh) process."""
    from pipeline.config import load_config, project_path
    from pipeline.coverage import Slice, compute_coverage, load_inputs, taxonomy_nodes
    from dataclasses import replace

    from pipeline.quality import load_prior, workspace_cards
    from pipeline.report import build_report
    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config()
    tax = load_taxonomy()
    nodes = taxonomy_nodes(tax, project_path(cfg.tag.item_cards))
    base = rss_mb()
    times = {}
    with Workspace(path, create=False, read_only=True) as ws:
        t = time.perf_counter()
        inputs = load_inputs(ws)
        times["read tables"] = time.perf_counter() - t
        for label, kw in (("coverage: items", {}),
                          ("coverage: items by country and period", {"by": ["country", "period"]}),
                          ("coverage: sections by country", {"level": "section", "by": ["country"]})):
            t = time.perf_counter()
            result = compute_coverage(inputs, nodes, **kw)
            times[label] = time.perf_counter() - t
            rows = len(result.table)
        prior = replace(load_prior(project_path(cfg.coverage.count_prior)), model_id=inputs.model_id)
        t = time.perf_counter()
        workspace_cards(inputs, nodes, prior)
        times["quality cards + corrected counts"] = time.perf_counter() - t
        t = time.perf_counter()
        page = build_report(ws, inputs, nodes, period=cfg.coverage.period, max_evidence=cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, taxonomy={"id": tax.id, "name": tax.name},
                            prior=prior)
        times["report (aggregate + evidence + HTML)"] = time.perf_counter() - t
        partner = inputs.documents["country"].value_counts().index[0]
        t = time.perf_counter()
        one = build_report(ws, inputs, nodes, period=cfg.coverage.period, max_evidence=cfg.coverage.max_evidence,
                           sl=Slice(countries=(partner,)), taxonomy={"id": tax.id, "name": tax.name}, prior=prior)
        times[f"report for one partner ({partner})"] = time.perf_counter() - t
    report = path / "report.html"
    report.write_text(page, encoding="utf-8")
    data_start = page.index('id="aptag-data">')
    data_len = page.index("</script>", data_start) - data_start
    return {"seconds": {k: round(v, 2) for k, v in times.items()}, "rows_sections_by_country": rows,
            "rss_after_imports_mb": round(base), "peak_rss_mb": round(rss_mb()),
            "report_bytes": len(page.encode("utf-8")), "report_data_bytes": data_len,
            "partner_report_bytes": len(one.encode("utf-8")), "partner": partner,
            "partner_documents": int((inputs.documents["country"] == partner).sum()),
            "summary": result.summary}


def browser_timing(report: Path) -> dict | None:
    """Time for headless Chromium to draw the report and to apply a country filter."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        return None
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={profile}", "--window-size=1400,1000"):
            opts.add_argument(flag)
        drv = webdriver.Chrome(options=opts, service=Service(driver))
        try:
            drv.set_page_load_timeout(300)
            t = time.perf_counter()
            drv.get(report.resolve().as_uri())
            load = time.perf_counter() - t
            filt = drv.execute_script("""
                const s = document.getElementById('f-country'); s.value = s.options[2].value;
                const t = performance.now(); s.dispatchEvent(new Event('change')); return performance.now() - t;""")
            drill = drv.execute_script("""
                const s = document.getElementById('f-country'); s.value = s.options[0].value;
                s.dispatchEvent(new Event('change'));
                let leaf = null;
                document.querySelectorAll('#heatmap tr[data-node]').forEach((r) => {
                  if (!leaf && r.dataset.node.split('.').length === 3) leaf = r; });
                const t = performance.now(); leaf.querySelector('th.rowh').click();
                const ms = performance.now() - t;
                return [ms, document.querySelectorAll('#drill-list .ev .review').length,
                        !!document.getElementById('drill-quality')];""")
            ok = drv.execute_script("return document.body.dataset.ready") == "1"
        finally:
            drv.quit()
    return {"load_and_draw_s": round(load, 2), "country_filter_ms": round(filt), "drawn": ok,
            "item_panel_ms": round(drill[0]), "item_panel_review_controls": drill[1], "item_panel_quality": drill[2]}


def run_child(*args: str) -> str:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr)
    return proc.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="keep the synthetic workspace and report")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if args.generate:
        print(json.dumps(generate(args.generate, args.passages)))
        return

    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    shutil.rmtree(WORK, ignore_errors=True)
    t = time.perf_counter()
    # Each phase in its own process: a child inherits its parent's peak RSS through fork.
    shape = json.loads(run_child("--generate", str(WORK), "--passages", str(args.passages)))
    gen_s = time.perf_counter() - t
    print(f"Synthetic workspace: {shape['predictions']:,} predictions ({shape['accepted']:,} accepted) over "
          f"{shape['passages']:,} passages in {shape['documents']:,} documents, {shape['countries']} countries, "
          f"{shape['years']} years, {shape['items']} items, {shape['annotations']:,} annotations "
          f"(generated and written in {gen_s:.0f} s)")
    res = json.loads(run_child("--measure", str(WORK)))
    for label, secs in res["seconds"].items():
        print(f"  {label:<40} {secs:7.2f} s")
    print(f"  peak memory (max RSS of the measuring process)  {res['peak_rss_mb']:,} MB "
          f"(of which {res['rss_after_imports_mb']:,} MB after imports)")
    print(f"  report file, all {shape['countries']} countries: {res['report_bytes'] / 1e6:.1f} MB (data "
          f"{res['report_data_bytes'] / 1e6:.1f} MB: the cube of non-empty cells plus 20 evidence passages per item); "
          f"for one partner ({res['partner_documents']:,} documents): {res['partner_report_bytes'] / 1e6:.1f} MB")
    s = res["summary"]
    print(f"  coverage: {s['items_covered']}/{s['items']} items covered, {s['tagged_passages']:,} passages with evidence, "
          f"{s['to_review_passages']:,} with tags to review")
    browser = None if args.no_browser else browser_timing(WORK / "report.html")
    if browser:
        print(f"  headless Chromium: opened and drawn in {browser['load_and_draw_s']} s, "
              f"country filter applied in {browser['country_filter_ms']} ms, an item's panel opened in "
              f"{browser['item_panel_ms']} ms ({browser['item_panel_review_controls']} evidence passages with review "
              f"controls, quality card {'shown' if browser['item_panel_quality'] else 'MISSING'})")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"shape": shape, "generate_s": round(gen_s, 1), **res, "browser": browser,
                               "machine": {"cpus": os.cpu_count()}}, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {OUT.relative_to(ROOT)}")
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
