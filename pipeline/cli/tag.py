"""`aptag tag`, and `aptag export-passages` / `import-predictions` for tagging beyond one process."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.common import (
    app, default_model, set_option, ConfigOpt, TaggerOpt, TaxonomyOpt, WorkspaceOpt, console, err_console, handled,
)


@app.command("tag")
@handled
def tag_cmd(
    model: Optional[str] = TaggerOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Passages per batch and "
                                             "transaction (default: tag.batch_size)."),
    config: Optional[Path] = ConfigOpt,
    overrides: Optional[list[str]] = set_option("tag.threshold=0.4"),
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
    spec = tagger_spec(default_model(model, workspace), cfg, tax)
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
