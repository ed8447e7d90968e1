"""`aptag quality`: how sure each item's count is (pipeline/quality.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.common import (
    app, console, coverage_inputs, err_console, handled, open_output, ModelIdOpt, TaxonomyOpt, WorkspaceOpt,
)

FORMATS = ("table", "csv", "json")


def cards_for(inputs, nodes, cfg, passages: set[str] | None = None):
    """(quality cards, the prior they rest on) for a workspace's coverage inputs: the stage behind
    `aptag quality` and `coverage --corrected`."""
    from pipeline.quality import configured_prior, workspace_cards

    prior = configured_prior(cfg, inputs.model_id)
    return workspace_cards(inputs, nodes, prior, passages), prior


@app.command("quality")
@handled
def quality_cmd(
    item: Optional[list[str]] = typer.Option(None, "--item", help="Only these item IDs (repeat, or comma-separated)."),
    fmt: str = typer.Option("table", "--format", help="table | csv | json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write (default: stdout)."),
    model: Optional[str] = ModelIdOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Per item, how sure its count is: reviewed tags (accepted, rejected, added by a reviewer),
    precision and recall on them with Wilson 95% intervals, the dev benchmarks' figures, the raw
    count beside a corrected count with its 95% interval, a flag for items with few labels or low
    precision, and the unreviewed passages whose label would tell most about the count (the
    `next` field of --format json / csv).

    Example: aptag quality --item 1.3.e,1.1.a --format json
    """
    import json

    from pipeline.config import load_config
    from pipeline.errors import AptagError
    from pipeline.quality import MIN_LABELS, basis_note
    from pipeline.store import Workspace

    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}, found {fmt!r}", param_hint="--format")
    cfg = load_config()
    with Workspace(workspace, create=False, read_only=True) as ws:
        _, nodes, inputs = coverage_inputs(ws, taxonomy, model, cfg)
    cards, prior = cards_for(inputs, nodes, cfg)
    model_id = inputs.model_id
    wanted = [v.strip() for value in item or [] for v in value.split(",") if v.strip()]
    unknown = [w for w in wanted if w not in set(cards["item_id"])]
    if unknown:
        raise AptagError(f"Unknown item ID {', '.join(map(repr, unknown))}; see `aptag taxonomy show` for the IDs.")
    if wanted:
        cards = cards[cards["item_id"].isin(wanted)]
    out = open_output(output, newline="") if output else sys.stdout
    try:
        if fmt == "json":
            from pipeline.report.writers import records

            json.dump({"model_id": model_id, "basis": basis_note(prior, model_id), "items": records(cards)},
                      out, ensure_ascii=False, indent=1)
            out.write("\n")
        elif fmt == "csv":
            from pipeline.cells import guard_frame

            plain = cards.assign(next=cards["next"].map(";".join))
            guard_frame(plain).to_csv(out, index=False)
        else:
            _print_table(cards, out if output else None)
            (console if not output else err_console).print(
                f"Model {model_id or '(none)'}. {basis_note(prior, model_id)} Flags: 'few labels' under "
                f"{MIN_LABELS} reviewed tags; 'low precision' when the interval's top is under 0.5.",
                highlight=False, soft_wrap=True)
    finally:
        if output:
            out.close()
    if output:
        err_console.print(f"Wrote {output} ({len(cards)} items, {fmt}).", highlight=False)


def _fmt_rate(k, lo, hi) -> str:
    return "" if k != k else f"{k:.2f} [{lo:.2f}-{hi:.2f}]"


def _print_table(cards, file) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD)
    for col in ("item", "reviewed", "acc/rej/add", "precision [95%]", "recall [95%]", "dev P / R", "raw",
                "corrected [95%]", "flag", "title"):
        table.add_column(col, no_wrap=col != "title", overflow="ellipsis")
    for c in cards.itertuples(index=False):
        dev = "" if c.dev_precision != c.dev_precision and c.dev_recall != c.dev_recall else (
            f"{c.dev_precision:.2f} / {c.dev_recall:.2f}".replace("nan", "-"))
        corrected = "" if c.corrected != c.corrected else f"{c.corrected:g} [{c.low:g}-{c.high:g}]"
        table.add_row(c.item_id, str(c.reviewed), f"{c.accepted}/{c.rejected}/{c.added}",
                      _fmt_rate(c.precision, c.precision_low, c.precision_high),
                      _fmt_rate(c.recall, c.recall_low, c.recall_high), dev, str(c.raw), corrected, c.flag, c.title)
    # piped or written to a file, the table takes the width it needs, not the 80 columns rich assumes
    out = Console(file=file, width=170) if file else (console if console.is_terminal else Console(width=170))
    out.print(table)
