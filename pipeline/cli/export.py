"""`aptag export` and `aptag names`: the annotated corpus for other tools, with the names to redact."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.common import (
    app, command_group, prepare_output, unwritable, CountryOpt, DocTypeOpt, FromOpt, ModelIdOpt, TaxonomyOpt, ToOpt, WorkspaceOpt, console, coverage_args, err_console, handled,
)
from pipeline.errors import AptagError


names_app = command_group("names", "The workspace's list of people whose names every redacted export removes.")


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
    sl, _ = coverage_args(country, doc_type, date_from, date_to, None, "quarter")
    prepare_output(output)
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
    try:
        manifest = export_corpus(rows, fmt, output, redact=on, reason=reason, user_names=names, filters=filters,
                                 taxonomy_id=tax.id, model_id=model_id, labels=tax.item_ids())
    except OSError as exc:
        raise unwritable(output, exc) from None
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
