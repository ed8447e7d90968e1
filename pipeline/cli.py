"""The ``aptag`` command line: one typer app, each command a thin wrapper that parses its
arguments, calls one stage, and prints the result. Exit codes: 0 success, 1 handled error
(message on stderr), 2 bad usage."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from pipeline.errors import AptagError

app = typer.Typer(
    help="aptag: tag reports, minutes and statements with the items of the EU Action Plan on Human "
    "Rights and Democracy 2020-2024, and report which priorities are covered and where the gaps are.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
taxonomy_app = typer.Typer(help="Build and browse the taxonomy (the plan's lines, sections and items).",
                           no_args_is_help=True)
app.add_typer(taxonomy_app, name="taxonomy")

console = Console()
err_console = Console(stderr=True)

WorkspaceOpt = typer.Option(None, "--workspace", "-w", envvar="APTAG_WORKSPACE",
                            help="Workspace directory (default ./workspace).")
TaxonomyOpt = typer.Option(None, "--taxonomy", help="Taxonomy YAML (default: the Action Plan in configs/taxonomy/).")


def handled(fn: Callable) -> Callable:
    """Turn aptag's own errors into a message on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AptagError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


@taxonomy_app.command("build")
@handled
def taxonomy_build(
    source: Path = typer.Argument(..., help="The plan document (markdown converted from the PDF)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="YAML file to write (default: print to stdout)."),
    taxonomy_id: Optional[str] = typer.Option(None, "--id", help="Taxonomy ID (default: from the file name)."),
    levels: Optional[str] = typer.Option(None, "--levels", help="Level names, top to bottom, e.g. 'goal,target'."),
    name: Optional[str] = typer.Option(None, "--name", help="Taxonomy name (default: the document's first heading)."),
) -> None:
    """Parse a plan document into a taxonomy.

    Example: aptag taxonomy build corpus/reference/eu-action-plan-human-rights-democracy-2020-2024.md
    -o configs/taxonomy/eu-hrd-action-plan-2020-2024.yaml
    """
    from pipeline.taxonomy import parse_plan, dump_yaml

    tax = parse_plan(source.read_text(encoding="utf-8") if source.exists() else _missing(source),
                     taxonomy_id=taxonomy_id or source.stem, source=str(source), name=name,
                     levels=levels.split(",") if levels else None)
    text = dump_yaml(tax)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        counts = ", ".join(f"{len(tax.at_level(lv))} {lv}s" for lv in tax.levels)
        err_console.print(f"Wrote {output}: {counts}.")
    else:
        sys.stdout.write(text)


@taxonomy_app.command("show")
@handled
def taxonomy_show(
    node_id: Optional[str] = typer.Argument(None, help="A node ID such as 1.1 or 1.1.a (default: the whole tree)."),
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Print the taxonomy tree, or one node with its full text.

    Example: aptag taxonomy show 1.1.a
    """
    from pipeline.taxonomy import load_taxonomy, render_node, render_tree

    tax = load_taxonomy(taxonomy)
    console.print(render_node(tax, node_id) if node_id else render_tree(tax), highlight=False, soft_wrap=True)


@app.command("evaluate")
@handled
def evaluate_cmd(
    gold: Path = typer.Option(..., "--gold", help='JSONL gold file: one {"text": ..., "items": [IDs]} a line.'),
    taxonomy: Optional[Path] = TaxonomyOpt,
    model: Optional[str] = typer.Option(None, "--model", help="Tagger name (e.g. ensemble.v1) or model directory "
                                        "(default: tag.model in configs/pipeline.yaml)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples for 95% intervals (0: none)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    top: int = typer.Option(20, "--top", min=1, help="Rows of the per-item and confusion tables to print."),
) -> None:
    """Tag the texts of a gold file and score the tags: precision, recall and F1 (micro and macro)
    at every level of the taxonomy, per item, and the confusion between neighbouring items.

    Example: aptag evaluate --gold ../shared/data/actionplan_dev/dev.jsonl --model ensemble.v1 --json
    """
    import json

    from rich import box
    from rich.progress import Progress
    from rich.table import Table

    from pipeline.config import load_config
    from pipeline.errors import GoldError
    from pipeline.evaluate import evaluate, parse_gold, resolve_tagger, score_margins, tags_from_margins
    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    if not gold.is_file():
        raise GoldError(f"Gold file {gold} not found. Give a JSONL file with one {{\"text\", \"items\"}} object a line.")
    try:
        rows = parse_gold(gold.read_text(encoding="utf-8"), tax, source=str(gold))
    except UnicodeDecodeError as exc:
        raise GoldError(f"Gold file {gold} is not UTF-8 text ({exc.reason} at byte {exc.start}). Save it as UTF-8.") from None
    model = model or load_config().tag.model
    tagger, model_id = resolve_tagger(model, tax)
    texts = rows["text"].tolist()
    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as progress:
        task = progress.add_task(f"Tagging {len(texts)} gold texts with {model}", total=len(texts))
        margins = score_margins(tagger, texts, advance=lambda n: progress.advance(task, n))
    pred = tags_from_margins(margins, tagger.labels_)
    report = {"gold": str(gold), "model": model, "model_id": model_id, **evaluate(rows["items"].tolist(), pred, tax, n_boot, seed)}
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return

    def fig(d: dict, key: str) -> str:
        ci = d.get("ci95", {}).get(key)
        return f"{d[key]:.3f}" + (f" ({ci[0]:.2f}-{ci[1]:.2f})" if ci else "")

    console.print(f"{len(rows)} gold rows from {gold}; model {model_id}; taxonomy {tax.id}"
                  + (f"; (95% bootstrap intervals, {n_boot} resamples, seed {seed})" if n_boot else ""), highlight=False)
    levels = Table(title="Scores by level", box=box.SIMPLE_HEAD)
    levels.add_column("")
    for level in reversed(tax.levels):
        levels.add_column(level, justify="right", no_wrap=True)
    for avg in ("micro", "macro"):
        for name, key in (("precision", "precision"), ("recall", "recall"), ("F1", "f1")):
            levels.add_row(f"{avg} {name}", *(fig(report[lv], f"{avg}_{key}") for lv in reversed(tax.levels)))
    levels.add_row("labels scored", *(str(report[lv]["n_labels"]) for lv in reversed(tax.levels)))
    levels.add_row("tp / fp / fn", *(f"{report[lv]['tp']} / {report[lv]['fp']} / {report[lv]['fn']}"
                                     for lv in reversed(tax.levels)))
    console.print(levels)
    per_item = sorted(report["per_item"], key=lambda r: (-(r["fp"] + r["fn"]), r["item"]))[:top]
    items = Table(title=f"Per {tax.levels[-1]}: the {len(per_item)} with most errors (all in --json)", box=box.SIMPLE_HEAD)
    for col in (tax.levels[-1], "support", "tp", "fp", "fn", "P", "R", "F1"):
        width = max([len(col), 4, *(len(r["item"]) for r in per_item)]) if col == tax.levels[-1] else max(len(col), 4)
        items.add_column(col, justify="left" if col == tax.levels[-1] else "right", no_wrap=True, min_width=width)
    items.add_column("text", no_wrap=True, overflow="ellipsis", min_width=12)
    for r in per_item:
        items.add_row(r["item"], *(str(r[k]) for k in ("support", "tp", "fp", "fn")),
                      *(f"{r[k]:.2f}" for k in ("precision", "recall", "f1")), r["title"])
    console.print(items)
    if report["confusion"]:
        conf = Table(title="Items of the same parent predicted on a gold item's rows", box=box.SIMPLE_HEAD)
        for col in ("gold", "predicted", "instead", "as well", "total"):
            conf.add_column(col, justify="left" if col in ("gold", "predicted") else "right")
        for r in report["confusion"][:top]:
            conf.add_row(r["gold_item"], r["predicted_item"], str(r["instead"]), str(r["as_well"]), str(r["total"]))
        console.print(conf)


# --- review queues and corrections (pipeline/annotate.py) ----------------------------------------
review_app = typer.Typer(help="Review queues for desk officers, and their corrections back into the workspace.",
                         no_args_is_help=True)
app.add_typer(review_app, name="review")


@review_app.command("export")
@handled
def review_export(
    n: int = typer.Option(100, "--n", min=1, help="How many passages to put in the queue."),
    fmt: str = typer.Option("csv", "--format", help="csv | jsonl | labelstudio | doccano."),
    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                          help="File to write (default: <workspace>/review/queue-<time>.<ext>)."),
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Write the passages whose labels would teach the models most (scores near a threshold,
    taggers that disagree, spread over items and countries), with the current tags and evidence.
    Edit the `items` of each row (or tick them in Label Studio / Doccano), then `aptag review import`.

    Example: aptag review export --n 100 --format labelstudio -o review.json
    """
    from datetime import datetime

    from pipeline.annotate import FORMATS, labelstudio_config, render_queue, select_for_review
    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}, found {fmt!r}", param_hint="--format")
    with Workspace(workspace, create=False) as ws:
        passages = ws.con.execute(
            "SELECT p.passage_id, p.doc_id, p.text, d.country, d.title FROM passages p "
            "LEFT JOIN documents d USING (doc_id)").df()
        predictions = ws.table("predictions")
        queue = select_for_review(passages, predictions, n=n, tagged=ws.table("tagged"),
                                  annotated=set(ws.table("annotations")["passage_id"]))
        ext = {"csv": "csv", "jsonl": "jsonl", "doccano": "jsonl", "labelstudio": "json"}[fmt]
        output = output or ws.path / "review" / f"queue-{datetime.now():%Y%m%d-%H%M%S}.{ext}"
    if queue.empty:
        raise AptagError("Nothing to review: the workspace has no tagged, unannotated passages. "
                         "Run `aptag tag` first (or `aptag run PATH...`).")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_queue(queue, fmt), encoding="utf-8")
    console.print(f"Wrote {len(queue)} passages to {output} ({fmt}).", highlight=False)
    if fmt == "labelstudio":
        config = output.with_suffix(".labelstudio.xml")
        config.write_text(labelstudio_config(load_taxonomy(taxonomy)), encoding="utf-8")
        console.print(f"Label Studio labelling config: {config} (Settings > Labeling Interface > Code).",
                      highlight=False)


@review_app.command("import")
@handled
def review_import(
    file: Path = typer.Argument(..., help="The corrected file (csv, jsonl, Label Studio JSON export, Doccano JSONL)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="csv | jsonl | labelstudio | doccano (default: "
                                      "from the file)."),
    annotator: Optional[str] = typer.Option(None, "--annotator", help="Who reviewed, where the file does not say "
                                            "(default: $USER)."),
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Read a corrected review file into the workspace's annotations, reporting what was taken,
    what was skipped and why, and the conflicts resolved (the last annotation wins).

    Example: aptag review import review.json
    """
    import os

    from pipeline.annotate import detect_format, parse_corrections, resolve_corrections, write_annotations
    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    if not file.is_file():
        raise AptagError(f"Corrected file {file} not found. Give the file written by `aptag review export` "
                         "after review.")
    text = file.read_text(encoding="utf-8-sig")
    fmt = fmt or detect_format(file.name, text)
    tax = load_taxonomy(taxonomy)
    rows = parse_corrections(text, fmt, name=str(file))
    with Workspace(workspace, create=False) as ws:
        known = set(ws.con.execute("SELECT passage_id FROM passages").df()["passage_id"])
        annotations, report = resolve_corrections(rows, taxonomy=tax, known_passages=known,
                                                  existing=ws.table("annotations"), source=file.name,
                                                  annotator=annotator or os.environ.get("USER") or "unknown")
        write_annotations(ws, annotations)
    for line in report.lines():
        console.print(line, highlight=False, soft_wrap=True)
    if report.took == 0 and report.unchanged == 0:
        raise AptagError(f"{file}: nothing imported (see the reasons above). Check that the file is the "
                         "corrected queue of this workspace.")


# --- coverage and the report (pipeline/coverage.py, pipeline/report/) ---------------------------
CountryOpt = typer.Option(None, "--country", help="Only these countries (repeat, or comma-separated: KE,SN).")
DocTypeOpt = typer.Option(None, "--doc-type", help="Only these document types (minutes, demarche, report, ...).")
FromOpt = typer.Option(None, "--from", help="First date: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (inclusive).")
ToOpt = typer.Option(None, "--to", help="Last date, same forms (inclusive: --to 2023 means up to 2023-12-31).")
PeriodOpt = typer.Option(None, "--period", help="month | quarter | year (default: coverage.period in configs/pipeline.yaml).")
ModelIdOpt = typer.Option(None, "--model", help="Model ID whose predictions count (default: the workspace's "
                          "current_model, else the model with most predictions).")


def _coverage_args(country: Optional[list[str]], doc_type: Optional[list[str]], date_from: Optional[str],
                   date_to: Optional[str], period: Optional[str], default_period: str):
    """The slice and period of --country/--doc-type/--from/--to/--period, or exit 2 naming the bad option."""
    from pipeline.coverage import PERIODS, Slice, parse_bound

    def split(values: Optional[list[str]]) -> tuple[str, ...]:
        return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())

    bounds = {}
    for hint, text, end in (("--from", date_from, False), ("--to", date_to, True)):
        try:
            bounds[hint] = parse_bound(text, end=end) if text else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from None
    if bounds["--from"] and bounds["--to"] and bounds["--from"] > bounds["--to"]:
        raise typer.BadParameter(f"--from {date_from} is after --to {date_to}", param_hint="--from")
    period = period or default_period
    if period not in PERIODS:
        raise typer.BadParameter(f"expected one of {', '.join(PERIODS)}, found {period!r}", param_hint="--period")
    return Slice(split(country), split(doc_type), bounds["--from"], bounds["--to"]), period


def _coverage_inputs(ws, taxonomy: Optional[Path], model: Optional[str], cfg):
    """The taxonomy as a frame (with the item cards' labels) and the workspace's tables."""
    from pipeline.config import project_path
    from pipeline.coverage import load_inputs, taxonomy_nodes
    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy or project_path(cfg.tag.taxonomy))
    # The configured cards describe the configured taxonomy; another taxonomy keeps its own titles.
    nodes = taxonomy_nodes(tax, None if taxonomy else project_path(cfg.tag.item_cards))
    inputs = load_inputs(ws, model)
    if inputs.model_id is None:
        err_console.print("note: the workspace has no predictions yet, so every item is a gap. "
                          "Run `aptag tag` (or `aptag run PATH...`) first.", highlight=False)
    return tax, nodes, inputs


@app.command("coverage")
@handled
def coverage_cmd(
    by: Optional[str] = typer.Option(None, "--by", help="Group by country, doc_type and/or period (comma-separated)."),
    country: Optional[list[str]] = CountryOpt,
    doc_type: Optional[list[str]] = DocTypeOpt,
    period: Optional[str] = PeriodOpt,
    date_from: Optional[str] = FromOpt,
    date_to: Optional[str] = ToOpt,
    level: str = typer.Option("item", "--level", help="item | section | line (any level of the taxonomy)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="table | csv | xlsx | json (default: from the -o "
                                      "suffix, else table)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write (default: stdout)."),
    model: Optional[str] = ModelIdOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """How much evidence each item (or section, or line) has: passages, documents, countries, first
    and last mention, share of tagged passages, mean score, passages to review, the gaps, and the
    change against the previous period (with --by period, or a --from/--to range).

    Example: aptag coverage --by country,period --period year --from 2023 --to 2024 --format csv -o coverage.csv
    """
    from pipeline.config import load_config
    from pipeline.coverage import compute_coverage, resolve_level
    from pipeline.report.writers import FORMATS, to_csv, to_json, to_rich, to_xlsx
    from pipeline.store import Workspace

    cfg = load_config()
    sl, period = _coverage_args(country, doc_type, date_from, date_to, period, cfg.coverage.period)
    fmt = fmt or (output.suffix.lstrip(".").lower() if output and output.suffix.lstrip(".").lower() in FORMATS else "table")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}, found {fmt!r}", param_hint="--format")
    if fmt == "xlsx" and not output:
        raise typer.BadParameter("xlsx is a binary file: give -o FILE.xlsx", param_hint="--format")
    with Workspace(workspace, create=False, read_only=True) as ws:
        tax, nodes, inputs = _coverage_inputs(ws, taxonomy, model, cfg)
    try:
        by_keys = [b.strip() for b in (by or "").split(",") if b.strip()]
        level = resolve_level(nodes, level)
        result = compute_coverage(inputs, nodes, level=level, by=by_keys, period=period, sl=sl)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    s = result.summary
    headline = (f"Model {s['model_id'] or '(none)'} · {sl.describe()} · {s['documents']} documents, {s['passages']} "
                f"passages, {s['tagged_passages']} with evidence · {s['items_covered']}/{s['items']} "
                f"{nodes['level'].iloc[-1]}s covered · gaps: {s['gaps_none']} with no evidence at all, "
                f"{s['gaps_slice']} only outside this selection · {s['to_review_passages']} passages to review")
    if fmt == "table":
        from rich.console import Console

        # Piped or written to a file, the table takes the width it needs, not the 80 columns rich assumes.
        out = (Console(file=output.open("w", encoding="utf-8"), width=170) if output
               else console if console.is_terminal else Console(width=170))
        out.print(to_rich(result))
        out.print(headline, highlight=False, soft_wrap=True)
        if output:
            out.file.close()
            err_console.print(f"Wrote {output}.", highlight=False)
        return
    content = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}[fmt](result)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        (output.write_bytes if isinstance(content, bytes) else output.write_text)(content)
        err_console.print(f"Wrote {output} ({len(result.table)} rows, {fmt}). {headline}", highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(content if content.endswith("\n") else content + "\n")


@app.command("report")
@handled
def report_cmd(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file to write (default: "
                                          "<workspace>/report.html)."),
    country: Optional[list[str]] = CountryOpt,
    doc_type: Optional[list[str]] = DocTypeOpt,
    period: Optional[str] = PeriodOpt,
    date_from: Optional[str] = FromOpt,
    date_to: Optional[str] = ToOpt,
    max_evidence: Optional[int] = typer.Option(None, "--max-evidence", min=1, help="Evidence passages embedded per "
                                               "item (default: coverage.max_evidence)."),
    title: Optional[str] = typer.Option(None, "--title", help="Title of the report."),
    model: Optional[str] = ModelIdOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Write the desk officer's report: one self-contained HTML file (no network, opens from disk or
    as an e-mail attachment) with a summary, a heatmap of items x countries or periods, coverage by
    section and line, the gaps, and each item's evidence passages; filters by country, document
    type and period. --country/--doc-type/--from/--to narrow what the file holds.

    Example: aptag report -o report.html --country Kenya --from 2023-Q1
    """
    from pipeline.config import load_config
    from pipeline.report import build_report
    from pipeline.store import Workspace

    cfg = load_config()
    sl, period = _coverage_args(country, doc_type, date_from, date_to, period, cfg.coverage.period)
    with Workspace(workspace, create=False, read_only=True) as ws:
        tax, nodes, inputs = _coverage_inputs(ws, taxonomy, model, cfg)
        page = build_report(ws, inputs, nodes, period=period, max_evidence=max_evidence or cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, sl=sl,
                            title=title or cfg.coverage.report_title, taxonomy={"id": tax.id, "name": tax.name})
        output = output or ws.path / "report.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    console.print(f"Wrote {output} ({len(page.encode('utf-8')) / 1e6:.1f} MB). Open it in a browser: "
                  f"file://{output.resolve()}", highlight=False, soft_wrap=True)


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
    spec = tagger_spec(model, cfg.tag, tax)
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
        tax, nodes, inputs = _coverage_inputs(ws, taxonomy, None, cfg)
        result = compute_coverage(inputs, nodes, period=cfg.coverage.period)
        progress.update(task, description="4/4 Report")
        page = build_report(ws, inputs, nodes, period=cfg.coverage.period, max_evidence=cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, title=cfg.coverage.report_title,
                            taxonomy={"id": tax.id, "name": tax.name})
        output = output or ws.path / "report.html"
    output.parent.mkdir(parents=True, exist_ok=True)
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


# --- training, model directories, promotion (pipeline/train.py) ----------------------------------
models_app = typer.Typer(help="Trained model directories: list them, show one, promote one to current.",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")
ModelsDirOpt = typer.Option(Path("models"), "--models-dir", help="Where model directories live (default ./models).")


@app.command("train")
@handled
def train_cmd(
    config: Optional[Path] = typer.Option(None, "--config", help="Training config (default configs/train.yaml)."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a config key, e.g. --set "
                                                  "model=finetune.v1 --set weak.max_rows=500 (repeatable)."),
    model_id: Optional[str] = typer.Option(None, "--model-id", help="Fixed model directory name (e.g. for DVC); "
                                           "default: <name>-<time>-<hash>."),
    metrics: Optional[Path] = typer.Option(None, "--metrics", help="Also write the evaluation figures to this JSON."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Train a tagger on the workspace's annotations, gold files and weak labels as configured; evaluate it
    on a held-out split and the eval_gold files; log the run to MLflow in the workspace; save models/<id>/.

    Example: aptag train --config configs/train.yaml --set model=linear.v1 --set weak.max_rows=1000
    """
    import json

    from pipeline.config import load_train_config, project_path
    from pipeline.store import resolve_workspace
    from pipeline.taxonomy import load_taxonomy
    from pipeline.train import gather, train

    cfg = load_train_config(config, overrides or [])
    tax = load_taxonomy(project_path(cfg.taxonomy))
    ws = resolve_workspace(workspace)
    ws.mkdir(parents=True, exist_ok=True)
    say = lambda msg: err_console.print(msg, highlight=False)  # noqa: E731
    rows, gold_sets = gather(cfg, tax, ws, say)
    result = train(cfg, tax, rows, gold_sets=gold_sets, models_dir=Path(cfg.models_dir), workspace=ws,
                   model_id=model_id, log=say)
    for name, ev in result.evaluations.items():
        m = ev["metrics"]
        console.print(f"{name} ({ev['n_rows']} rows): " + ", ".join(
            f"{lv} micro-F1 {m[f'{lv}.micro_f1']:.3f}" for lv in reversed(tax.levels))
            + f", item macro-F1 {m[f'{tax.levels[-1]}.macro_f1']:.3f}", highlight=False, soft_wrap=True)
    console.print(f"Saved {result.model_dir} (MLflow run {result.run_id}). Promote it with "
                  f"`aptag models promote {result.model_dir.name}`.", highlight=False, soft_wrap=True)
    if metrics:
        metrics.parent.mkdir(parents=True, exist_ok=True)
        metrics.write_text(json.dumps({"model_id": result.model_dir.name, "rows": result.data["rows"],
                                       **{name: ev["metrics"] for name, ev in result.evaluations.items()}},
                                      indent=2), encoding="utf-8")


@models_app.command("list")
@handled
def models_list(models_dir: Path = ModelsDirOpt) -> None:
    """List the trained models, newest first, with their evaluations and which one is current.

    Example: aptag models list
    """
    from rich.table import Table

    from pipeline.train import list_models

    df = list_models(models_dir)
    if df.empty:
        console.print(f"No trained models in {models_dir}. Train one with `aptag train`.", highlight=False)
        return
    table = Table(title=f"Models in {models_dir}")
    for col in ("model_id", "name", "created", "taxonomy", "rows", "evaluations", "current"):
        table.add_column(col)
    for r in df.itertuples():
        table.add_row(r.model_id, r.name, r.created, r.taxonomy, str(r.rows), r.evaluations, "*" if r.promoted else "")
    console.print(table)


@models_app.command("show")
@handled
def models_show(model_id: str = typer.Argument(..., help="A model ID from `aptag models list`."),
                models_dir: Path = ModelsDirOpt) -> None:
    """Show one model: tagger, taxonomy, training data, evaluations, MLflow run, model card.

    Example: aptag models show linear-v1-20250301-101500-ab12cd
    """
    import json

    from pipeline.train import model_dir, promotion_state, read_metrics

    path = model_dir(models_dir, model_id)
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    console.print(f"{model_id}: {config['name']} on taxonomy {config['taxonomy_id']} (hash {config['taxonomy_hash']})"
                  f"{'  [current]' if promotion_state(models_dir).get('current') == model_id else ''}", highlight=False)
    console.print(f"created {config.get('created_at', '?')}; data {json.dumps(config.get('data', {}))}", highlight=False)
    for name, ev in read_metrics(path).get("evaluations", {}).items():
        console.print(f"{name} ({ev['n_rows']} rows, fingerprint {ev['fingerprint']}): "
                      + ", ".join(f"{k} {v:.3f}" for k, v in ev["metrics"].items() if k.endswith("_f1")),
                      highlight=False)
    if config.get("mlflow"):
        console.print(f"MLflow run {config['mlflow']['run_id']} ({config['mlflow']['tracking_uri']})", highlight=False)
    console.print(f"Model card: {path / 'README.md'}", highlight=False)


@models_app.command("promote")
@handled
def models_promote(
    model_id: str = typer.Argument(..., help="The model to make current."),
    force: bool = typer.Option(False, "--force", help="Promote even if it scores worse or cannot be compared."),
    reason: str = typer.Option("", "--reason", help="Why (required with --force; recorded)."),
    gold: Optional[list[Path]] = typer.Option(None, "--gold", help="Score the candidate and the current model on "
                                              "this gold JSONL first, so they share an evaluation set."),
    metric: Optional[str] = typer.Option(None, "--metric", help="Metric to compare (default: the model's "
                                         "primary_metric, item.micro_f1)."),
    models_dir: Path = ModelsDirOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Make a model the current one, refusing one that scores worse than the current model on an
    evaluation set they share (or shares none) unless --force --reason TEXT.

    Example: aptag models promote linear-v1-20250301-101500-ab12cd --gold ../shared/data/actionplan_dev/dev.jsonl
    """
    from pipeline.classify import load_tagger
    from pipeline.store import resolve_workspace
    from pipeline.taxonomy import load_taxonomy
    from pipeline.train import add_evaluation, model_dir, promote, promotion_state, read_gold, evaluate_rows

    candidate = model_dir(models_dir, model_id)
    if gold:
        tax = load_taxonomy(taxonomy)
        current = promotion_state(models_dir).get("current")
        for path in [candidate] + ([model_dir(models_dir, current)] if current and current != model_id else []):
            tagger = load_tagger(path, tax)
            if hasattr(tagger, "cache_dir"):
                tagger.cache_dir = str(resolve_workspace(workspace))
            for g in gold:
                err_console.print(f"Scoring {path.name} on {g}.", highlight=False)
                add_evaluation(path, g.stem, evaluate_rows(tagger, read_gold(g.resolve(), tax), tax, n_boot=0, seed=0))
    result = promote(models_dir, model_id, force=force, reason=reason, metric=metric)
    if not result.promoted and "already the current" not in result.message:
        raise AptagError(result.message)
    console.print(result.message, highlight=False, soft_wrap=True)


@app.command("mlflow-ui")
@handled
def mlflow_ui(
    port: int = typer.Option(5000, "--port", help="Port on 127.0.0.1."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Start the MLflow UI on the workspace's tracking store, listening on 127.0.0.1 only.

    Example: aptag mlflow-ui --port 5000
    """
    import os
    import subprocess

    from pipeline.store import resolve_workspace
    from pipeline.train import tracking_uri

    ws = resolve_workspace(workspace)
    if not (ws / "mlflow.db").exists():
        raise AptagError(f"No MLflow store in {ws} (expected {ws / 'mlflow.db'}). Run `aptag train` first.")
    cmd = [sys.executable, "-m", "mlflow", "ui", "--backend-store-uri", tracking_uri(ws),
           "--default-artifact-root", (ws.resolve() / "mlruns").as_uri(), "--host", "127.0.0.1", "--port", str(port)]
    console.print(f"MLflow UI on http://127.0.0.1:{port} (Ctrl+C to stop)", highlight=False)
    raise typer.Exit(subprocess.call(cmd, env={**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"}))


# --- corpus export and the list of names to redact (pipeline/export/) ----------------------------
names_app = typer.Typer(help="The workspace's list of people whose names every redacted export removes.",
                        no_args_is_help=True)
app.add_typer(names_app, name="names")


@app.command("export")
@handled
def export_cmd(
    fmt: str = typer.Option(..., "--format", "-f", help="jsonl | csv | parquet | hf | spacy | labelstudio | doccano."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write (a directory for hf)."),
    country: Optional[list[str]] = CountryOpt,
    doc_type: Optional[list[str]] = DocTypeOpt,
    date_from: Optional[str] = FromOpt,
    date_to: Optional[str] = ToOpt,
    item: Optional[list[str]] = typer.Option(None, "--item", help="Only passages labelled with these items, "
                                             "sections or lines (repeat, or comma-separated: 1.1.a,2.1)."),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="Drop predicted labels scored below this."),
    reviewed_only: bool = typer.Option(False, "--reviewed-only", help="Only reviewed passages, with their reviewed labels."),
    redact: Optional[bool] = typer.Option(None, "--redact/--no-redact", help="Replace names, e-mails, phones and ID "
                                          "numbers by pseudonyms. Default: on for hf, csv and jsonl written outside "
                                          "the workspace, off otherwise."),
    model: Optional[str] = ModelIdOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Export the annotated passages (text, document metadata, labels with score and source,
    evidence spans, taxonomy and model ids) with a manifest, redacting people at risk.

    Example: aptag export --format hf -o exports/corpus-2024 --country KE --from 2024 --reviewed-only
    """
    from pipeline.config import load_config, project_path
    from pipeline.coverage import current_model
    from pipeline.export.corpus import decide_redaction, export_corpus
    from pipeline.export.names import list_names
    from pipeline.export.rows import ExportFilters, load_rows
    from pipeline.export.writers import FORMATS
    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}, found {fmt!r}", param_hint="--format")
    sl, _ = _coverage_args(country, doc_type, date_from, date_to, None, "quarter")
    cfg = load_config()
    tax = load_taxonomy(taxonomy or project_path(cfg.tag.taxonomy))
    items = tuple(v.strip() for value in item or [] for v in value.split(",") if v.strip())
    for node in items:
        tax.get(node)  # an unknown ID fails here, naming the taxonomy
    filters = ExportFilters(sl, items, min_score, reviewed_only)
    with Workspace(workspace, create=False, read_only=True) as ws:
        on, reason = decide_redaction(fmt, output, ws.path, redact, cfg.export.redact_by_default)
        model_id = current_model(ws, model)
        rows = load_rows(ws, filters=filters, model_id=model_id, taxonomy_id=tax.id)
        names = list(list_names(ws)["name"]) if on else []
    manifest = export_corpus(rows, fmt, output, redact=on, reason=reason, user_names=names, filters=filters,
                             taxonomy_id=tax.id, model_id=model_id, labels=tax.item_ids())
    red = manifest["redaction"]
    console.print(f"Wrote {manifest['rows']} passages from {manifest['documents']} documents to {output} ({fmt}); "
                  f"manifest {output / 'manifest.json' if fmt == 'hf' else str(output) + '.manifest.json'}.",
                  highlight=False, soft_wrap=True)
    if on:
        counts = ", ".join(f"{red['distinct'][c]} {c.lower()}s ({red['replacements'][c]} mentions)"
                           for c in red["replacements"])
        console.print(f"Redacted ({reason}): {counts}; {red['user_names']} names from the workspace list.",
                      highlight=False, soft_wrap=True)
    else:
        err_console.print(f"[yellow]Not redacted[/] ({reason}): the files may name people at risk.",
                          highlight=False, soft_wrap=True)


@names_app.command("add")
@handled
def names_add(
    names: Optional[list[str]] = typer.Argument(None, help="Full names, each quoted: \"Tomas Keller\"."),
    file: Optional[Path] = typer.Option(None, "--file", help="A UTF-8 text file with one name per line."),
    note: Optional[str] = typer.Option(None, "--note", help="Why the names are listed (kept in the workspace only)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Add people to the list that redacted exports always remove, cue or not.

    Example: aptag names add "Tomas Keller" "Aïcha Diallo" --note "HRDs met in 2024"
    """
    from pipeline.export.names import add_names
    from pipeline.store import Workspace

    given = list(names or [])
    if file:
        if not file.exists():
            raise AptagError(f"File {file} not found. Give a text file with one name per line.")
        given += [line for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not given:
        raise typer.BadParameter("give at least one name, or --file FILE", param_hint="NAMES")
    with Workspace(workspace, create=False) as ws:
        new = add_names(ws, given, note)
    console.print(f"Added {new} name(s); {len(set(given)) - new} already listed.", highlight=False)


@names_app.command("list")
@handled
def names_list(workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Show the list of names that redacted exports remove.

    Example: aptag names list
    """
    from pipeline.export.names import list_names
    from pipeline.store import Workspace

    with Workspace(workspace, create=False, read_only=True) as ws:
        listed = list_names(ws)
    if listed.empty:
        console.print("The list is empty. Add names with `aptag names add \"First Last\"`.", highlight=False)
    for r in listed.itertuples(index=False):
        console.print(f"{r.name}" + (f"  ({r.note})" if isinstance(r.note, str) and r.note else ""),
                      highlight=False, markup=False)


@names_app.command("remove")
@handled
def names_remove(
    names: list[str] = typer.Argument(..., help="Names to take off the list (case-insensitive)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Take names off the list.

    Example: aptag names remove "Tomas Keller"
    """
    from pipeline.export.names import remove_names
    from pipeline.store import Workspace

    with Workspace(workspace, create=False) as ws:
        missing = remove_names(ws, names)
    if missing:
        raise AptagError(f"Not in the list: {', '.join(missing)}. See `aptag names list`.")
    console.print(f"Removed {len(names)} name(s).", highlight=False)


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
        table.add_row(_short(row["path"]), *(str(row[k]) for k in ("status", "format", "doc_type", "country",
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


@app.command("tag")
@handled
def tag_cmd(
    model: Optional[str] = typer.Option(None, "--model", help="Tagger name (ensemble.v1, semantic.v1, lexical.v1) "
                                        "or a model directory (default: tag.model in configs/pipeline.yaml)."),
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Passages per batch and "
                                             "transaction (default: tag.batch_size)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Pipeline config (default configs/pipeline.yaml)."),
    overrides: Optional[list[str]] = typer.Option(None, "--set", help="Override a config key, e.g. --set "
                                                  "tag.threshold=0.4 (repeatable)."),
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes on this machine (1: tag in-process)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or spark (see docs/cluster.md)."),
    master: Optional[str] = typer.Option(None, "--master", help="Spark master URL with --engine spark, e.g. "
                                         "spark://10.0.0.5:7077 (default local[*,4])."),
) -> None:
    """Tag every passage of the workspace that the current model has not tagged yet.

    A changed model, setting, item card or taxonomy is a new model and tags everything again;
    an interrupted run resumes where it stopped. Predictions keep the top candidates of each
    passage (accepted or for review) with their evidence.

    Example: aptag tag --workspace workspace --model ensemble.v1 --workers 2
    """
    if engine not in ("local", "spark"):
        raise typer.BadParameter(f"expected local or spark, found {engine!r}", param_hint="--engine")
    if master and engine != "spark":
        raise typer.BadParameter("--master needs --engine spark", param_hint="--master")
    if workers > 1 and engine == "spark":
        raise typer.BadParameter("--workers is for --engine local; Spark sizes its own executors",
                                 param_hint="--workers")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.config import load_config, project_path
    from pipeline.store import Workspace
    from pipeline.tag import tag_workspace, tagger_spec
    from pipeline.taxonomy import load_taxonomy

    cfg = load_config(config, overrides).tag
    tax = load_taxonomy(taxonomy or project_path(cfg.taxonomy))
    spec = tagger_spec(model, cfg, tax)
    with Workspace(workspace, create=False) as ws, Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, transient=True,
    ) as progress:
        task = progress.add_task(f"Loading {spec.description}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, description=f"Tagging with {spec.model_id}")

        if engine == "spark":
            from pipeline.scale.spark import tag_workspace_spark

            progress.update(task, description=f"Tagging with {spec.model_id} on Spark ({master or 'local[*,4]'})")
            summary = tag_workspace_spark(ws, spec, tax, cfg, master=master)
        elif workers > 1:
            from pipeline.scale.pool import tag_workspace_pool

            summary = tag_workspace_pool(ws, spec, tax, cfg, workers=workers, batch_size=batch_size, on_batch=advance)
        else:
            summary = tag_workspace(ws, spec, batch_size=batch_size or cfg.batch_size, review_floor=cfg.review_floor,
                                    max_candidates=cfg.max_candidates, on_batch=advance)
    flags = ", ".join(f"{k}: {v}" for k, v in sorted(summary.flagged.items()))
    console.print(f"model {summary.model_id}: {summary.tagged} passages tagged, {summary.skipped} skipped "
                  f"(already tagged); {summary.tags} tags written ({summary.candidates} candidates stored); "
                  f"{summary.seconds:.1f} s, {summary.rate:.1f} passages/s" + (f"; flagged {flags}" if flags else ""),
                  highlight=False)


def _short(path: str) -> str:
    """A path relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


# --- batch tagging beyond one process (pipeline/scale/) ------------------------------------------
@app.command("export-passages")
@handled
def export_passages_cmd(
    output: Path = typer.Option(..., "--output", "-o", help="Parquet file to write."),
    untagged_by: Optional[str] = typer.Option(None, "--untagged-by", help="Only passages this model ID has not "
                                              "tagged (the ID `aptag tag` prints)."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Write the workspace's passages (passage_id, doc_id, seq, text, language) to Parquet, the
    input of the Spark job `spark-submit pipeline/scale/spark.py`.

    Example: aptag export-passages -o passages.parquet
    """
    from pipeline.scale.exchange import export_passages
    from pipeline.store import Workspace

    with Workspace(workspace, create=False, read_only=True) as ws:
        count = export_passages(ws, output, untagged_by=untagged_by)
    console.print(f"{count} passages written to {output}", highlight=False)


@app.command("import-predictions")
@handled
def import_predictions_cmd(
    directory: Path = typer.Argument(..., help="The --output directory of a finished Spark tagging job."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Load the predictions of a finished Spark tagging job into the workspace. Importing the
    same directory again changes nothing; passages this workspace does not hold are skipped.

    Example: aptag import-predictions predictions/
    """
    from pipeline.scale.exchange import import_predictions
    from pipeline.store import Workspace

    with Workspace(workspace, create=False) as ws:
        summary = import_predictions(ws, directory)
    console.print(f"model {summary.model_id}: {summary.passages} passages, {summary.predictions} candidates, "
                  f"{summary.tags} tags imported" + (f"; {summary.skipped} passages not in this workspace skipped"
                                                     if summary.skipped else ""), highlight=False)


def _missing(path: Path) -> str:
    raise AptagError(f"File {path} not found. Give the path of the plan document (markdown).")


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
