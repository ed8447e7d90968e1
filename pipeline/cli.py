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


def _missing(path: Path) -> str:
    raise AptagError(f"File {path} not found. Give the path of the plan document (markdown).")


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
