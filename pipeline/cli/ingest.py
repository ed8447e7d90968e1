"""`aptag ingest` and `aptag run`: documents into the workspace, and the whole job in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from pipeline.cli.common import (
    app, default_model, set_option, with_options, write_output, ConfigOpt, TaggerOpt, TaxonomyOpt, WorkspaceOpt,
    console, coverage_inputs, err_console, handled, short_path,
)
from pipeline.errors import AptagError

# The --*-column options that run and ingest share, handed over as one `table` dict (for _columns).
TABLE_OPTS = {name: (Optional[str], option) for name, option in {
    "text_column": typer.Option(None, "--text-column", help="Read CSV, TSV, JSONL and Parquet files as tables: "
                                "each row a document whose text is this column."),
    "id_column": typer.Option(None, "--id-column", help="Column with each row's id (default: the row number)."),
    "country_column": typer.Option(None, "--country-column", help="Column with each row's partner country."),
    "date_column": typer.Option(None, "--date-column", help="Column with each row's date (2024-03-12, 2024, ...)."),
    "doc_type_column": typer.Option(None, "--doc-type-column", help="Column with each row's document type."),
    "title_column": typer.Option(None, "--title-column", help="Column with each row's title."),
}.items()}
with_table_options = with_options("table", TABLE_OPTS)


def _columns(text_column, id_column, country_column, date_column, doc_type_column, title_column):
    from pipeline.ingest.table import TableColumns

    others = {"--id-column": id_column, "--country-column": country_column, "--date-column": date_column,
              "--doc-type-column": doc_type_column, "--title-column": title_column}
    if text_column is None:
        given = [k for k, v in others.items() if v]
        if given:
            raise typer.BadParameter(f"{', '.join(given)} name columns of a table: give --text-column too.")
        return None
    return TableColumns(text=text_column, id=id_column, country=country_column, date=date_column,
                        doc_type=doc_type_column, title=title_column)


def _ingest(paths, ws, cfg, user, columns, progress):
    """Files through the document readers, tables (with --text-column) row by row; one summary."""
    import pandas as pd

    from pipeline.ingest.batch import find_inputs, ingest_files
    from pipeline.ingest.table import ingest_table, is_table

    tables = [p for p in paths if columns is not None and p.is_file() and is_table(p)]
    if columns is None and any(p.is_file() and is_table(p) for p in paths):
        raise typer.BadParameter("a CSV, TSV, JSONL or Parquet file is read as a table: name its text column "
                                 "with --text-column (and its metadata with --id-column, --country-column ...).")
    files = find_inputs([p for p in paths if p not in tables])
    if not files and not tables:
        raise AptagError(f"No files found in {', '.join(map(str, paths))}. Give files or folders holding "
                         "PDF, DOCX, HTML, EML, TXT or MD documents, or tables with --text-column.")
    parts = []
    if files:
        task = progress.add_task("Ingesting", total=len(files))
        parts.append(ingest_files(files, ws, cfg.ingest, cfg.segment, user,
                                  on_result=lambda r: progress.update(task, advance=1, description=f"{r.path[-40:]}")))
    for table in tables:
        task = progress.add_task(f"Rows of {table.name}", total=None)
        parts.append(ingest_table(table, ws, columns, cfg.ingest, cfg.segment, user,
                                  on_result=lambda r: progress.update(task, advance=1)))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


@app.command("run")
@handled
@with_table_options
def run_cmd(
    paths: list[Path] = typer.Argument(..., help="Files and folders to ingest (folders are read recursively)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML report to write (default: "
                                          "<workspace>/report.html)."),
    model: Optional[str] = TaggerOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
    config: Optional[Path] = ConfigOpt,
    overrides: Optional[list[str]] = set_option("coverage.period=year"),
    table: Optional[dict] = None,
) -> None:
    """Ingest, tag, count coverage and write the report in one go: what a desk officer runs on a
    folder of documents. Documents already in the workspace are not read again and passages
    already tagged by the model are not tagged again, so a second run only does the new work.

    Example: aptag run corpus/samples -o workspace/report.html
    Tables: aptag run recs.jsonl --text-column text --id-column source_id --country-column state_under_review
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.config import load_config, project_path
    from pipeline.coverage import compute_coverage
    from pipeline.quality import configured_prior
    from pipeline.report import build_report
    from pipeline.store import Workspace
    from pipeline.tag import tag_workspace, tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config(config, overrides)
    columns = _columns(**table)
    stages: dict[str, float] = {}  # stage -> seconds, each from the end of the one before
    clock = time.perf_counter()

    def done(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[stage], clock = now - clock, now
    tax = load_taxonomy(taxonomy or project_path(cfg.tag.taxonomy))
    spec = tagger_spec(default_model(model, workspace), cfg.tag, tax)
    bars = (TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Workspace(workspace) as ws, Progress(*bars, console=err_console, transient=True) as progress:
        ingested = _ingest(paths, ws, cfg, {}, columns, progress)
        counts = ingested["status"].value_counts()
        if counts.get("failed", 0) == len(ingested):
            raise AptagError(f"None of the {len(ingested)} input(s) could be read; run `aptag ingest` on them to see why.")
        for t in progress.task_ids:
            progress.remove_task(t)
        task = progress.add_task(f"2/4 Loading {spec.description}", total=None)
        done("ingest")

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=f"2/4 Tagging with {spec.model_id}")

        tagged = tag_workspace(ws, spec, batch_size=cfg.tag.batch_size, review_floor=cfg.tag.review_floor,
                               max_candidates=cfg.tag.max_candidates, on_batch=advance)
        done("tag")
        progress.update(task, description="3/4 Coverage", completed=0, total=None)
        tax, nodes, inputs = coverage_inputs(ws, taxonomy, None, cfg)
        result = compute_coverage(inputs, nodes, period=cfg.coverage.period)
        done("coverage")
        progress.update(task, description="4/4 Report")
        page = build_report(ws, inputs, nodes, period=cfg.coverage.period, max_evidence=cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, title=cfg.coverage.report_title,
                            taxonomy={"id": tax.id, "name": tax.name}, prior=configured_prior(cfg, inputs.model_id))
        output = output or ws.path / "report.html"
    write_output(output, page)
    done("report")
    s = result.summary
    failed = [r for r in ingested.to_dict("records") if r["status"] == "failed"]
    console.print(
        f"Ingested {counts.get('ingested', 0)} {'input(s)' if columns else 'file(s)'}, {counts.get('unchanged', 0)} unchanged, {len(failed)} failed; "
        f"{int(ingested['n_passages'].sum())} new passages.\n"
        f"Tagged {tagged.tagged} passage(s) with {tagged.model_id} ({tagged.skipped} already tagged); "
        f"{tagged.tags} tags.\n"
        f"Coverage: {s['items_covered']}/{s['items']} items with evidence in {s['documents']} documents "
        f"({s['tagged_passages']} of {s['passages']} passages); {s['gaps_none']} items without any evidence; "
        f"{s['to_review_passages']} passages with tags to review.\n"
        f"Report: {output} — open file://{output.resolve()}\n"
        f"Time: {', '.join(f'{k} {v:.1f} s' for k, v in stages.items())}", highlight=False, soft_wrap=True)
    _print_failures(err_console, failed)


def _print_failures(out, failed: list[dict], limit: int = 20) -> None:
    for row in failed[:limit]:
        out.print(f"[red]failed:[/] {row['error']}", highlight=False, soft_wrap=True)
    if len(failed) > limit:
        out.print(f"[red]... and {len(failed) - limit} more failed input(s)[/]; they are recorded in the "
                  "workspace with their errors (status 'failed').", highlight=False)

@app.command("ingest")
@handled
@with_table_options
def ingest_cmd(
    paths: list[Path] = typer.Argument(..., help="Files and folders (folders are read recursively)."),
    doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Set the type of every document: minutes, "
                                           "demarche, report, statement, other."),
    country: Optional[str] = typer.Option(None, "--country", help="Set the partner country of every document."),
    date: Optional[str] = typer.Option(None, "--date", help="Set the date of every document (2024-03-12, "
                                       "12 March 2024, 12 mars 2024, 12/03/2024)."),
    language: Optional[str] = typer.Option(None, "--language", help="Set the language: en, fr, other."),
    workspace: Optional[Path] = WorkspaceOpt,
    config: Optional[Path] = ConfigOpt,
    overrides: Optional[list[str]] = set_option("ingest.max_file_mb=100"),
    table: Optional[dict] = None,
) -> None:
    """Read documents (PDF, DOCX, HTML, EML, TXT, MD) into the workspace as passages.

    Metadata (type, country, date, language, title) is detected from the content; a sidecar
    <file>.meta.yaml sets it per file, and the options above set it for every file (options beat
    the sidecar, which beats detection). Files already ingested are not read again (new metadata
    from the options or a sidecar is applied to them); an edited file becomes a new version. Files
    that cannot be read are reported and recorded; the others go on.
    Exit code 1 only when no file at all could be read.

    With --text-column, CSV, TSV, JSONL and Parquet files are tables: each row becomes a document
    (metadata from the --*-column options, else detected), a bad row is named and skipped, and
    re-ingesting an unchanged table changes nothing.

    Example: aptag ingest corpus/samples --country Valdoria --workspace workspace
    Tables:  aptag ingest recs.csv --text-column text --id-column id --country-column country
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.table import Table

    from pipeline.config import load_config
    from pipeline.ingest.metadata import validate_overrides
    from pipeline.store import Workspace

    cfg = load_config(config, overrides)
    try:
        user = validate_overrides({"doc_type": doc_type, "country": country, "date": date, "language": language},
                                  "command line")
    except AptagError as exc:
        raise typer.BadParameter(str(exc)) from None
    columns = _columns(**table)
    with Workspace(workspace) as ws, Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:
        summary = _ingest(paths, ws, cfg, user, columns, progress)
    counts = summary["status"].value_counts()
    out = console if console.is_terminal else Console(width=160)  # piped: no wrapping into narrow columns
    rows = summary.astype(object).where(summary.notna(), "").to_dict("records")
    table = Table(title=f"{len(rows)} input(s) into {ws.path}", title_justify="left")
    for column in ("file", "status", "format", "type", "country", "date", "lang", "passages", "notes"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row["status"] == "failed" or (len(rows) > 50 and (row["status"] == "unchanged" or str(row["format"]).startswith("table:"))):
            continue  # failures are listed below with their reasons; long re-runs: the count says enough
        table.add_row(short_path(row["path"]), *(str(row[k]) for k in ("status", "format", "doc_type", "country",
                                                                    "date", "language")),
                      str(row["n_passages"]) if row["status"] == "ingested" else "", str(row["notes"]))
    if table.row_count:
        out.print(table)
    _print_failures(out, [row for row in rows if row["status"] == "failed"])
    out.print(f"ingested {counts.get('ingested', 0)}, unchanged {counts.get('unchanged', 0)}, "
              f"failed {counts.get('failed', 0)}; {int(summary['n_passages'].sum())} new passages.", highlight=False)
    if counts.get("failed", 0) == len(summary):
        raise typer.Exit(1)
