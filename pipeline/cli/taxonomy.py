"""`aptag taxonomy build|show` and `aptag evaluate`: the plan, and how right the tags are against it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.common import (
    app, command_group, set_option, write_output, ConfigOpt, TaggerOpt, TaxonomyOpt, console, err_console, handled,
)
from pipeline.errors import AptagError

taxonomy_app = command_group("taxonomy", "Build and browse the taxonomy (the plan's lines, sections and items).")

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

    tax = parse_plan(source.read_text(encoding="utf-8") if source.exists() else missing_plan(source),
                     taxonomy_id=taxonomy_id or source.stem, source=str(source), name=name,
                     levels=levels.split(",") if levels else None)
    text = dump_yaml(tax)
    if output:
        write_output(output, text)
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
    gold: Path = typer.Option(..., "--gold", help='JSONL gold file: one {"text": ..., "items": [IDs]} a line '
                              '(optional "lang", "doc_type"); with --task actors {"text", "context", "actor", "act"}.'),
    task: str = typer.Option("items", "--task", help="items (Action Plan items) | actors (who said it: actor and act "
                             "of each sentence)."),
    taxonomy: Optional[Path] = TaxonomyOpt,
    model: Optional[str] = TaggerOpt,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
    n_boot: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples for 95% intervals (0: none)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the bootstrap."),
    top: int = typer.Option(20, "--top", min=1, help="Rows of the per-item and confusion tables to print."),
    config: Optional[Path] = ConfigOpt,
    overrides: Optional[list[str]] = set_option("tag.encoder_backend=torch"),
) -> None:
    """Tag the texts of a gold file and score the tags: precision, recall and F1 (micro and macro)
    at every level of the taxonomy, per item, and the confusion between neighbouring items.

    With --task actors, score the actor and act of gold sentences instead: accuracy, macro-F1 and the
    confusion table of each.

    Example: aptag evaluate --gold ../shared/data/actionplan_dev/dev.jsonl --model ensemble.v1 --json
    """
    import json

    if task not in ("items", "actors"):
        raise typer.BadParameter(f"expected items or actors, found {task!r}", param_hint="--task")
    if task == "actors":
        evaluate_actors_cmd(gold, as_json)
        return

    from rich import box
    from rich.progress import Progress
    from rich.table import Table

    from pipeline.config import load_config
    from pipeline.errors import GoldError
    from pipeline.evaluate import by_group, evaluate, parse_gold, resolve_tagger, score_margins, tags_from_margins
    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy)
    if not gold.is_file():
        raise GoldError(f"Gold file {gold} not found. Give a JSONL file with one {{\"text\", \"items\"}} object a line.")
    try:
        rows = parse_gold(gold.read_text(encoding="utf-8"), tax, source=str(gold))
    except UnicodeDecodeError as exc:
        raise GoldError(f"Gold file {gold} is not UTF-8 text ({exc.reason} at byte {exc.start}). Save it as UTF-8.") from None
    cfg = load_config(config, overrides)
    model = model or cfg.tag.model
    tagger, model_id = resolve_tagger(model, tax, cfg.tag)
    texts = rows["text"].tolist()
    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as progress:
        task = progress.add_task(f"Tagging {len(texts)} gold texts with {model}", total=len(texts))
        margins = score_margins(tagger, texts, advance=lambda n: progress.advance(task, n))
    pred = tags_from_margins(margins, tagger.labels_)
    report = {"gold": str(gold), "model": model, "model_id": model_id, **evaluate(rows["items"].tolist(), pred, tax, n_boot, seed),
              "by_group": by_group(rows, pred, tax)}
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
    for field, groups in report["by_group"].items():
        table = Table(title=f"{tax.levels[-1].capitalize()} micro figures by {field}", box=box.SIMPLE_HEAD)
        for col in (field, "rows", "P", "R", "F1"):
            table.add_column(col, justify="left" if col == field else "right")
        for value, g in sorted(groups.items()):
            table.add_row(value, str(g["n_rows"]), *(f"{g[k]:.3f}" for k in ("precision", "recall", "f1")))
        console.print(table)
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


def evaluate_actors_cmd(gold: Path, as_json: bool) -> None:
    """`aptag evaluate --task actors`: the rule tagger of pipeline/actors.py against gold sentences."""
    import json

    from rich import box
    from rich.table import Table

    from pipeline.errors import GoldError
    from pipeline.evaluate_actors import TASKS, evaluate_actors, parse_actor_gold, predict_actors

    if not gold.is_file():
        raise GoldError(f"Gold file {gold} not found. Give a JSONL file with one {{\"text\", \"actor\", \"act\"}} "
                        "object a line.")
    try:
        rows = parse_actor_gold(gold.read_text(encoding="utf-8"), source=str(gold))
    except UnicodeDecodeError as exc:
        raise GoldError(f"Gold file {gold} is not UTF-8 text ({exc.reason} at byte {exc.start}). Save it as UTF-8.") from None
    report = {"gold": str(gold), "task": "actors", **evaluate_actors(rows, predict_actors(rows))}
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    console.print(f"{len(rows)} gold sentences from {gold}", highlight=False)
    for key, classes in TASKS.items():
        r = report[key]
        console.print(f"{key}: accuracy {r['accuracy']:.3f}, macro-F1 {r['macro_f1']:.3f}", highlight=False)
        shown = [c for c in classes if c in r["confusion"] or any(c in row for row in r["confusion"].values())]
        table = Table(title=f"{key}: gold (rows) x predicted (columns)", box=box.SIMPLE_HEAD)
        table.add_column("gold")
        for c in shown:
            table.add_column(c, justify="right")
        table.add_column("F1", justify="right")
        for g in shown:
            f1 = r["per_class"].get(g, {}).get("f1")
            table.add_row(g, *(str(r["confusion"].get(g, {}).get(p, 0)) for p in shown), f"{f1:.2f}" if f1 is not None else "")
        console.print(table)
    for lang, figs in report.get("by_lang", {}).items():
        console.print(f"{lang}: actor accuracy {figs['actor']['accuracy']:.3f}, act macro-F1 {figs['act']['macro_f1']:.3f}",
                      highlight=False)


def missing_plan(path: Path) -> str:
    raise AptagError(f"File {path} not found. Give the path of the plan document (markdown).")
