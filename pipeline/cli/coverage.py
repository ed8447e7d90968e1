"""`aptag coverage` and `aptag report`: tables and the desk officer's report (pipeline/coverage.py, pipeline/report/)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.errors import AptagError
from pipeline.cli.common import (
    app, command_group, open_output, prepare_output, with_options, write_output, ActOpt, ActorOpt, ModelIdOpt, SLICE_OPTS,
    TaxonomyOpt, WorkspaceOpt, console, coverage_args, coverage_inputs, err_console, handled,
)


@app.command("coverage")
@handled
@with_options("filters", SLICE_OPTS)
def coverage_cmd(
    by: Optional[str] = typer.Option(None, "--by", help="Group by country, doc_type, period, actor and/or act "
                                     "(comma-separated; actor and act: who said the evidence sentence)."),
    filters: Optional[dict] = None,
    actor: Optional[list[str]] = ActorOpt,
    act: Optional[list[str]] = ActOpt,
    priorities: bool = typer.Option(False, "--priorities", help="With one --country: that partner's priority "
                                    "items (`aptag priorities set`) first, those the EU has not raised in the "
                                    "period at the top."),
    corrected: bool = typer.Option(False, "--corrected", help="Beside each item's raw count, the count corrected "
                                   "for the model's known errors with its 95% interval and what it rests on "
                                   "(`aptag quality` explains each item's figures). Items only, no --by."),
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

    Example: aptag coverage --country Meridia --actor eu --act raised   (what the EU raised with Meridia)

    Example: aptag coverage --corrected --country Meridia
    """
    from pipeline.config import load_config
    from pipeline.coverage import compute_coverage, resolve_level
    from pipeline.priorities import load_priorities
    from pipeline.report.writers import FORMATS, to_csv, to_json, to_rich, to_xlsx
    from pipeline.store import Workspace

    cfg = load_config()
    sl, period = coverage_args(**filters, default_period=cfg.coverage.period, actor=actor, act=act)
    fmt = fmt or (output.suffix.lstrip(".").lower() if output and output.suffix.lstrip(".").lower() in FORMATS else "table")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}, found {fmt!r}", param_hint="--format")
    if fmt == "xlsx" and not output:
        raise typer.BadParameter("xlsx is a binary file: give -o FILE.xlsx", param_hint="--format")
    if corrected and (by or level != "item" or actor or act or priorities):
        raise typer.BadParameter("corrected counts are per item over whole passages: use it without --by, --level, "
                                 "--actor, --act and --priorities", param_hint="--corrected")
    if output:
        prepare_output(output)
    with Workspace(workspace, create=False, read_only=True) as ws:
        tax, nodes, inputs = coverage_inputs(ws, taxonomy, model, cfg)
        prio = load_priorities(ws, sl.countries[0]) if priorities and len(sl.countries) == 1 else None
    try:
        by_keys = [b.strip() for b in (by or "").split(",") if b.strip()]
        level = resolve_level(nodes, level)
        result = compute_coverage(inputs, nodes, level=level, by=by_keys, period=period, sl=sl)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if priorities:
        result = with_priorities(result, inputs, nodes, sl, prio, by_keys, level)
    note = ""
    if corrected:
        from dataclasses import replace

        from pipeline.cli.quality import cards_for
        from pipeline.quality import basis_note, slice_passages, with_corrected

        cards, prior = cards_for(inputs, nodes, cfg, slice_passages(inputs.documents, inputs.passages, sl))
        result = replace(result, table=with_corrected(result.table, cards))
        note = " · " + basis_note(prior, inputs.model_id)
    s = result.summary
    headline = (f"Model {s['model_id'] or '(none)'} · {sl.describe()} · {s['documents']} documents, {s['passages']} "
                f"passages, {s['tagged_passages']} with evidence · {s['items_covered']}/{s['items']} "
                f"{nodes['level'].iloc[-1]}s covered · gaps: {s['gaps_none']} with no evidence at all, "
                f"{s['gaps_slice']} only outside this selection · {s['to_review_passages']} passages to review{note}")
    if fmt == "table":
        from rich.console import Console

        # Piped or written to a file, the table takes the width it needs, not the 80 columns rich assumes.
        out = (Console(file=open_output(output), width=170) if output
               else console if console.is_terminal else Console(width=170))
        out.print(to_rich(result))
        out.print(headline, highlight=False, soft_wrap=True)
        if output:
            out.file.close()
            err_console.print(f"Wrote {output}.", highlight=False)
        return
    content = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}[fmt](result)
    if output:
        write_output(output, content)
        err_console.print(f"Wrote {output} ({len(result.table)} rows, {fmt}). {headline}", highlight=False, soft_wrap=True)
    else:
        sys.stdout.write(content if content.endswith("\n") else content + "\n")


def with_priorities(result, inputs, nodes, sl, prio, by_keys, level):
    """The coverage result ordered by the partner's priorities ``prio`` (see pipeline/priorities.py)."""
    from dataclasses import replace

    from pipeline.coverage import coverage_table, levels_of
    from pipeline.priorities import order_by_priorities

    if len(sl.countries) != 1:
        raise typer.BadParameter("--priorities needs exactly one --country", param_hint="--priorities")
    if by_keys or level != levels_of(nodes)[-1]:
        raise typer.BadParameter("--priorities orders the item table: use it without --by and --level",
                                 param_hint="--priorities")
    if prio is None:
        raise AptagError(f"No priorities for {sl.countries[0]!r} in this workspace. Set them with "
                         f"`aptag priorities set {sl.countries[0]} FILE.yaml`.")
    raised = coverage_table(inputs.facts(), nodes, level=level, sl=replace(sl, actors=("eu",), acts=("raised",)))
    table = order_by_priorities(result.table, prio, raised.set_index("id")["passages"])
    return replace(result, table=table)


priorities_app = command_group("priorities", "Each partner's own priorities (the items its country strategy picks).")


@priorities_app.command("set")
@handled
def priorities_set(
    country: str = typer.Argument(..., help="The partner country, as stored in the workspace."),
    file: Path = typer.Argument(..., help="YAML: country, period (optional), priorities: [{item, note}]."),
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Keep a partner's priorities in the workspace (replacing earlier ones); `aptag coverage
    --country X --priorities` then puts them first.

    Example: aptag priorities set Norvalia norvalia-priorities.yaml
    """
    from pipeline.config import load_config, project_path
    from pipeline.priorities import parse_priorities, save_priorities
    from pipeline.store import Workspace
    from pipeline.taxonomy import load_taxonomy

    if not file.is_file():
        raise AptagError(f"Priorities file {file} not found.")
    tax = load_taxonomy(taxonomy or project_path(load_config().tag.taxonomy))
    prio = parse_priorities(file.read_text(encoding="utf-8"), tax, source=str(file))
    if prio.country != country:
        raise AptagError(f"{file} is for {prio.country!r}, not {country!r}: fix its 'country:' or the command.")
    with Workspace(workspace, create=False) as ws:
        save_priorities(ws, prio)
    console.print(f"{country}: {len(prio.items)} priority items kept"
                  + (f" (period {prio.period})" if prio.period else "") + ".", highlight=False)


@priorities_app.command("show")
@handled
def priorities_show(country: str = typer.Argument(..., help="The partner country."),
                    workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Print a partner's priority items and notes.

    Example: aptag priorities show Norvalia
    """
    from pipeline.priorities import load_priorities
    from pipeline.store import Workspace

    with Workspace(workspace, create=False, read_only=True) as ws:
        prio = load_priorities(ws, country)
    if prio is None:
        raise AptagError(f"No priorities for {country!r}. Set them with `aptag priorities set {country} FILE.yaml`.")
    for item in prio.items:
        console.print(f"{item}  {prio.notes.get(item, '')}".rstrip(), highlight=False)


@app.command("report")
@handled
@with_options("filters", SLICE_OPTS)
def report_cmd(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="HTML file to write (default: "
                                          "<workspace>/report.html)."),
    filters: Optional[dict] = None,
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
    from pipeline.quality import configured_prior
    from pipeline.report import build_report
    from pipeline.store import Workspace

    cfg = load_config()
    sl, period = coverage_args(**filters, default_period=cfg.coverage.period)
    with Workspace(workspace, create=False, read_only=True) as ws:
        tax, nodes, inputs = coverage_inputs(ws, taxonomy, model, cfg)
        page = build_report(ws, inputs, nodes, period=period, max_evidence=max_evidence or cfg.coverage.max_evidence,
                            heatmap_columns=cfg.coverage.heatmap_columns, sl=sl,
                            title=title or cfg.coverage.report_title, taxonomy={"id": tax.id, "name": tax.name},
                            prior=configured_prior(cfg, inputs.model_id))
        output = output or ws.path / "report.html"
    write_output(output, page)
    console.print(f"Wrote {output} ({len(page.encode('utf-8')) / 1e6:.1f} MB). Open it in a browser: "
                  f"file://{output.resolve()}", highlight=False, soft_wrap=True)


@app.command("rounds")
@handled
def rounds_cmd(
    country: str = typer.Option(..., "--country", help="The partner country, as stored (see `aptag coverage --by country`)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json."),
    model: Optional[str] = ModelIdOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Across dialogue rounds with one partner (its dated minutes, in date order): per item, the
    rounds in which the EU raised it, the partner's commitments and rejections with their sentences,
    and a status for the latest round: new, persisting, dropped, committed, raised_after_commitment.

    Example: aptag rounds --country Meridia --format json
    """
    import csv
    import json

    from rich import box
    from rich.table import Table

    from pipeline.config import load_config
    from pipeline.rounds import load_rounds, rounds_report
    from pipeline.store import Workspace

    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter(f"expected table, csv or json, found {fmt!r}", param_hint="--format")
    cfg = load_config()
    with Workspace(workspace, create=False, read_only=True) as ws:
        tax, nodes, inputs = coverage_inputs(ws, taxonomy, model, cfg)
        rounds, events = load_rounds(ws, inputs.model_id, country, inputs.documents)
    if not rounds:
        raise AptagError(f"No dated minutes for {country!r} in the workspace, so no dialogue rounds. Check the "
                         "country's spelling (`aptag coverage --by country`) or set doc_type and date in a sidecar.")
    titles = dict(zip(nodes["id"], nodes["title"]))
    records = rounds_report(rounds, events, titles)
    if fmt == "json":
        sys.stdout.write(json.dumps({"country": country, "rounds": [
            {"round": r.number, "date": r.date.date().isoformat(), "title": r.title} for r in rounds],
            "items": records}, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["item", "title", "status", "raised_rounds", "committed_rounds", "rejected_rounds"])
        for r in records:
            writer.writerow([r["item"], r["title"], r["status"] or "", *(";".join(map(str, r[k])) for k in
                                                                        ("raised_rounds", "committed_rounds", "rejected_rounds"))])
        return
    console.print(f"{country}: {len(rounds)} rounds ("
                  + "; ".join(f"{r.number} {r.date.date()}" for r in rounds) + ")", highlight=False, soft_wrap=True)
    rows = [[r["item"], r["status"] or "", *(",".join(map(str, r[k])) for k in
                                             ("raised_rounds", "committed_rounds", "rejected_rounds")), r["title"]]
            for r in records]
    table = Table(box=box.SIMPLE_HEAD)
    for k, col in enumerate(("item", "status", "raised", "committed", "rejected")):
        table.add_column(col, no_wrap=True, min_width=max([len(col), *(len(row[k]) for row in rows)]))
    table.add_column("title", no_wrap=True, overflow="ellipsis", min_width=10)
    for row in rows:
        table.add_row(*row)
    console.print(table)
