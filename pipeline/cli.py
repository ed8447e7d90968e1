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
    tagger = resolve_tagger(model, tax)
    texts = rows["text"].tolist()
    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as progress:
        task = progress.add_task(f"Tagging {len(texts)} gold texts with {model}", total=len(texts))
        margins = score_margins(tagger, texts, advance=lambda n: progress.advance(task, n))
    pred = tags_from_margins(margins, tagger.labels_)
    report = {"gold": str(gold), "model": model, **evaluate(rows["items"].tolist(), pred, tax, n_boot, seed)}
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return

    def fig(d: dict, key: str) -> str:
        ci = d.get("ci95", {}).get(key)
        return f"{d[key]:.3f}" + (f" [{ci[0]:.3f}-{ci[1]:.3f}]" if ci else "")

    console.print(f"{len(rows)} gold rows from {gold}; model {model}; taxonomy {tax.id}"
                  + (f"; bootstrap 95% intervals, {n_boot} resamples, seed {seed}" if n_boot else ""), highlight=False)
    levels = Table(title="Scores by level")
    for col in ("level", "micro P", "micro R", "micro F1", "macro P", "macro R", "macro F1", "labels", "tp", "fp", "fn"):
        levels.add_column(col, justify="left" if col == "level" else "right")
    for level in reversed(tax.levels):
        d = report[level]
        levels.add_row(level, fig(d, "micro_precision"), fig(d, "micro_recall"), fig(d, "micro_f1"),
                       fig(d, "macro_precision"), fig(d, "macro_recall"), fig(d, "macro_f1"),
                       str(d["n_labels"]), str(d["tp"]), str(d["fp"]), str(d["fn"]))
    console.print(levels)
    per_item = sorted(report["per_item"], key=lambda r: (-(r["fp"] + r["fn"]), r["item"]))[:top]
    items = Table(title=f"Per {tax.levels[-1]}: the {len(per_item)} with most errors (all in --json)")
    for col in ("item", "title", "support", "tp", "fp", "fn", "P", "R", "F1"):
        items.add_column(col, justify="left" if col in ("item", "title") else "right",
                         max_width=48 if col == "title" else None, no_wrap=col == "title")
    for r in per_item:
        items.add_row(r["item"], r["title"], *(str(r[k]) for k in ("support", "tp", "fp", "fn")),
                      *(f"{r[k]:.2f}" for k in ("precision", "recall", "f1")))
    console.print(items)
    if report["confusion"]:
        conf = Table(title="Neighbouring items predicted on a gold item's rows (same parent)")
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


def _missing(path: Path) -> str:
    raise AptagError(f"File {path} not found. Give the path of the plan document (markdown).")


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
