"""`aptag ingest` and `aptag run`: documents into the workspace, and the whole job in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from pipeline.cli.common import (
    app, default_model, prepare_output, TaxonomyOpt, WorkspaceOpt, console, coverage_inputs, err_console, handled, short_path,
)
from pipeline.errors import AptagError


@app.command("run")
@handled
def run_cmd(
    paths: list[Path] = typer.Argument(..., help="Files and folders to ingest (folders are read recursively)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML report to write (default: "
                                          "<workspace>/report.html)."),
    model: Optional[str] = typer.Option(None, "--model", help="Tagger name or model directory (default: tag.model "
                                        "in configs/pipeline.yaml)."),
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
    config: Optional[Path] = typer.Option(None, "--config", help="Pipeline config (default configs/pipeline.yaml)."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a config key, e.g. --set "
                                                  "coverage.period=year (repeatable)."),
) -> None:
    """Ingest, tag, count coverage and write the report in one go: what a desk officer runs on a
    folder of documents. Documents already in the workspace are not read again and passages
    already tagged by the model are not tagged again, so a second run only does the new work.

    Example: aptag run corpus/samples -o workspace/report.html
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.config import load_config, project_path
    from pipeline.coverage import compute_coverage
    from pipeline.ingest.batch import find_inputs, ingest_files
    from pipeline.report import build_report
    from pipeline.store import Workspace
    from pipeline.tag import tag_workspace, tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config(config, overrides)
    files = find_inputs(paths)
    if not files:
        raise AptagError(f"No files found in {', '.join(map(str, paths))}. Give files or folders holding "
                         "PDF, DOCX, HTML, EML, TXT or MD documents.")
    tax = load_taxonomy(taxonomy or project_path(cfg.tag.taxonomy))
    spec = tagger_spec(default_model(model, workspace), cfg.tag, tax)
    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Workspace(workspace) as ws, Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("1/4 Ingesting", total=len(files))
        ingested = ingest_files(files, ws, cfg.ingest, cfg.segment,
                                on_result=lambda r: progress.update(task, advance=1))
        counts = ingested["status"].value_counts()
        if counts.get("failed", 0) == len(ingested):
            raise AptagError(f"None of the {len(files)} file(s) could be read; run `aptag ingest` on them to see why.")
        progress.update(task, description=f"2/4 Loading {spec.description}", completed=0, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=f"2/4 Tagging with {spec.model_id}")

        tagged = tag_workspace(ws, spec, batch_size=cfg.tag.batch_size, review_floor=cfg.tag.review_floor,
                               max_candidates=cfg.tag.max_candidates, on_batch=advance)
        progress.update(task, description="3/4 Coverage", completed=0, total=None)
        tax, nodes, inputs = coverage_inputs(ws, taxonomy, None, cfg)
        result = compute_coverage(inputs, nodes, period=cfg.coverage.period)
        progress.update(task, description="4/4 Report")
        page = build_report(ws, inputs, nodes, period=cfg.coverage.period, max_evidence=cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, title=cfg.coverage.report_title,
                            taxonomy={"id": tax.id, "name": tax.name})
        output = output or ws.path / "report.html"
    prepare_output(output)
    output.write_text(page, encoding="utf-8")
    s = result.summary
    failed = [r for r in ingested.to_dict("records") if r["status"] == "failed"]
    console.print(
        f"Ingested {counts.get('ingested', 0)} file(s), {counts.get('unchanged', 0)} unchanged, {len(failed)} failed; "
        f"{int(ingested['n_passages'].sum())} new passages.\n"
        f"Tagged {tagged.tagged} passage(s) with {tagged.model_id} ({tagged.skipped} already tagged); "
        f"{tagged.tags} tags.\n"
        f"Coverage: {s['items_covered']}/{s['items']} items with evidence in {s['documents']} documents "
        f"({s['tagged_passages']} of {s['passages']} passages); {s['gaps_none']} items without any evidence; "
        f"{s['to_review_passages']} passages with tags to review.\n"
        f"Report: {output} — open file://{output.resolve()}", highlight=False, soft_wrap=True)
    for row in failed:
        err_console.print(f"[red]failed:[/] {row['error']}", highlight=False, soft_wrap=True)

@app.command("ingest")
@handled
def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Files and folders (folders are read recursively)."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Set the type of every document: minutes, "
                                           "demarche, report, statement, other."),
    country: Optional[str] = typer.Option(None, "--country", help="Set the partner country of every document."),
    date: Optional[str] = typer.Option(None, "--date", help="Set the date of every document (2024-03-12, "
                                       "12 March 2024, 12 mars 2024, 12/03/2024)."),
    language: Optional[str] = typer.Option(None, "--language", help="Set the language: en, fr, other."),
    workspace: Optional[Path] = WorkspaceOpt,
    config: Optional[Path] = typer.Option(None, "--config", help="Pipeline config (default configs/pipeline.yaml)."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a config key, e.g. --set "
                                                  "ingest.max_file_mb=100 (repeatable)."),
) -> None:
    """Read documents (PDF, DOCX, HTML, EML, TXT, MD) into the workspace as passages.

    Metadata (type, country, date, language, title) is detected from the content; a sidecar
    <file>.meta.yaml sets it per file, and the options above set it for every file (options beat
    the sidecar, which beats detection). Files already ingested are not read again (new metadata
    from the options or a sidecar is applied to them); an edited file becomes a new version. Files
    that cannot be read are reported and recorded; the others go on.
    Exit code 1 only when no file at all could be read.

    Example: aptag ingest corpus/samples --country Valdoria --workspace workspace
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from pipeline.config import load_config
    from pipeline.ingest.batch import find_inputs, ingest_files
    from pipeline.ingest.metadata import validate_overrides
    from pipeline.store import Workspace

    cfg = load_config(config, overrides)
    try:
        user = validate_overrides({"doc_type": doc_type, "country": country, "date": date, "language": language},
                                  "command line")
    except AptagError as exc:
        raise typer.BadParameter(str(exc)) from None
    files = find_inputs(paths)
    if not files:
        raise AptagError(f"No files found in {', '.join(map(str, paths))}. Give files or folders holding "
                         "PDF, DOCX, HTML, EML, TXT or MD documents.")
    with Workspace(workspace) as ws, Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:
        task = progress.add_task("Ingesting", total=len(files))
        summary = ingest_files(files, ws, cfg.ingest, cfg.segment, user,
                               on_result=lambda r: progress.update(task, advance=1, description=f"{r.path[-40:]}"))
    counts = summary["status"].value_counts()
    out = console if console.is_terminal else Console(width=160)  # piped: no wrapping into narrow columns
    rows = summary.astype(object).where(summary.notna(), "").to_dict("records")
    table = Table(title=f"{len(files)} file(s) into {ws.path}", title_justify="left")
    for column in ("file", "status", "format", "type", "country", "date", "lang", "passages", "notes"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row["status"] == "failed" or (row["status"] == "unchanged" and len(rows) > 50):
            continue  # failures are listed below with their reasons; long re-runs: the count says enough
        table.add_row(short_path(row["path"]), *(str(row[k]) for k in ("status", "format", "doc_type", "country",
                                                                    "date", "language")),
                      str(row["n_passages"]) if row["status"] == "ingested" else "", str(row["notes"]))
    if table.row_count:
        out.print(table)
    for row in rows:
        if row["status"] == "failed":
            out.print(f"[red]failed:[/] {row['error']}", highlight=False, soft_wrap=True)
    out.print(f"ingested {counts.get('ingested', 0)}, unchanged {counts.get('unchanged', 0)}, "
              f"failed {counts.get('failed', 0)}; {int(summary['n_passages'].sum())} new passages.", highlight=False)
    if counts.get("failed", 0) == len(summary):
        raise typer.Exit(1)
