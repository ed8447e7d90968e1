"""`aptag review export|import`, `aptag train`, `aptag models list|show|promote`, `aptag mlflow-ui`: corrections and the models learned from them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from pipeline.cli.common import (
    app, command_group, set_option, write_output, TaxonomyOpt, WorkspaceOpt, console, err_console, handled,
)
from pipeline.errors import AptagError


review_app = command_group("review", "Review queues for desk officers, and their corrections back into the workspace.")


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
    write_output(output, render_queue(queue, fmt))
    console.print(f"Wrote {len(queue)} passages to {output} ({fmt}).", highlight=False)
    if fmt == "labelstudio":
        config = output.with_suffix(".labelstudio.xml")
        write_output(config, labelstudio_config(load_taxonomy(taxonomy)))
        console.print(f"Label Studio labelling config: {config} (Settings > Labeling Interface > Code).",
                      highlight=False)


@review_app.command("import")
@handled
def review_import(
    file: Path = typer.Argument(..., help="The corrected file (csv, jsonl, Label Studio JSON export, Doccano JSONL)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="csv | jsonl | labelstudio | doccano (default: from the file)."),
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

    from pipeline.coverage import current_model
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
        origin = set(rows["report_model"].dropna())
        current = current_model(ws) if origin else None
        if origin and origin != {current}:
            matched = rows["passage_id"].isin(known).sum()
            console.print(f"note: {file} was downloaded from a report of model {', '.join(sorted(origin))}; this "
                          f"workspace's current model is {current or '(none)'}. {matched} of {len(rows)} passages "
                          "are in this workspace (the others are skipped below).", highlight=False, soft_wrap=True)
        annotations, report = resolve_corrections(rows, taxonomy=tax, known_passages=known,
                                                  existing=ws.table("annotations"), source=file.name,
                                                  annotator=annotator or os.environ.get("USER") or "unknown")
        write_annotations(ws, annotations)
    for line in report.lines():
        console.print(line, highlight=False, soft_wrap=True)
    if report.took == 0 and report.unchanged == 0:
        raise AptagError(f"{file}: nothing imported (see the reasons above). Check that the file is the "
                         "corrected queue of this workspace.")


# --- training, model directories, promotion (pipeline/train.py) ----------------------------------
models_app = command_group("models", "Trained model directories: list them, show one, promote one to current.")
ModelsDirOpt = typer.Option(None, "--models-dir", help="Where model directories live (default: the workspace's "
                            "models/ folder).")


def models_path(models_dir: Optional[Path], workspace: Optional[Path]) -> Path:
    """The models folder: --models-dir, else <workspace>/models (models belong to their workspace)."""
    from pipeline.store import resolve_workspace

    return models_dir if models_dir is not None else resolve_workspace(workspace) / "models"


@app.command("train")
@handled
def train_cmd(
    config: Optional[Path] = typer.Option(None, "--config", help="Training config (default configs/train.yaml)."),
    overrides: Optional[list[str]] = set_option("model=finetune.v1 --set weak.max_rows=500"),
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
    result = train(cfg, tax, rows, gold_sets=gold_sets, models_dir=Path(cfg.models_dir) if cfg.models_dir else ws / "models",
                   workspace=ws,
                   model_id=model_id, log=say)
    for name, ev in result.evaluations.items():
        m = ev["metrics"]
        console.print(f"{name} ({ev['n_rows']} rows): " + ", ".join(
            f"{lv} micro-F1 {m[f'{lv}.micro_f1']:.3f}" for lv in reversed(tax.levels))
            + f", item macro-F1 {m[f'{tax.levels[-1]}.macro_f1']:.3f}", highlight=False, soft_wrap=True)
    console.print(f"Saved {result.model_dir} (MLflow run {result.run_id}). Promote it with "
                  f"`aptag models promote {result.model_dir.name}`.", highlight=False, soft_wrap=True)
    if metrics:
        write_output(metrics, json.dumps({"model_id": result.model_dir.name, "rows": result.data["rows"],
                                          **{name: ev["metrics"] for name, ev in result.evaluations.items()}},
                                         indent=2))


@models_app.command("list")
@handled
def models_list(models_dir: Optional[Path] = ModelsDirOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """List the trained models, newest first, with their evaluations and which one is current.

    Example: aptag models list
    """
    models_dir = models_path(models_dir, workspace)
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
                models_dir: Optional[Path] = ModelsDirOpt, workspace: Optional[Path] = WorkspaceOpt) -> None:
    """Show one model: tagger, taxonomy, training data, evaluations, MLflow run, model card.

    Example: aptag models show linear-v1-20250301-101500-ab12cd
    """
    import json

    from pipeline.train import model_dir, promotion_state, read_metrics

    models_dir = models_path(models_dir, workspace)
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
    baseline: Optional[str] = typer.Option(None, "--baseline", help="The zero-shot tagger a first model must beat "
                                           "(default: tag.model in configs/pipeline.yaml)."),
    models_dir: Optional[Path] = ModelsDirOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    taxonomy: Optional[Path] = TaxonomyOpt,
) -> None:
    """Make a model the current one, refusing one that scores worse than the model in use on an
    evaluation set they share (or shares none) unless --force --reason TEXT. With no promoted model
    yet, the model in use is the zero-shot default, scored on the --gold files (else train.eval_gold).

    Example: aptag models promote linear-v1-20250301-101500-ab12cd --gold ../shared/data/actionplan_dev/dev.jsonl
    """
    from pipeline.classify import load_tagger
    from pipeline.store import resolve_workspace
    from pipeline.taxonomy import load_taxonomy
    from pipeline.train import add_evaluation, model_dir, promote, promotion_state, read_gold, evaluate_rows

    models_dir = models_path(models_dir, workspace)
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
    base = None
    current = promotion_state(models_dir).get("current")
    if not current or not (models_dir / current / "config.json").exists():
        base = zero_shot_baseline(baseline, gold, taxonomy, workspace)
    result = promote(models_dir, model_id, force=force, reason=reason, metric=metric, baseline=base)
    if not result.promoted and "already the current" not in result.message:
        raise AptagError(result.message)
    console.print(result.message, highlight=False, soft_wrap=True)


def zero_shot_baseline(baseline: Optional[str], gold: Optional[list[Path]], taxonomy: Optional[Path],
                       workspace: Optional[Path]) -> tuple[str, dict]:
    """(name, {"evaluations": ...}) of the zero-shot default on the --gold files, else train.eval_gold."""
    from pipeline.config import load_config, load_train_config, project_path
    from pipeline.store import resolve_workspace
    from pipeline.tag import tagger_spec
    from pipeline.taxonomy import load_taxonomy
    from pipeline.train import evaluate_rows, read_gold

    cfg = load_config().tag
    tax = load_taxonomy(taxonomy or project_path(cfg.taxonomy))
    files = [Path(g) for g in gold] if gold else [project_path(p) for p in load_train_config().eval_gold]
    files = [f for f in files if f.is_file()]
    name = baseline or cfg.model
    spec = tagger_spec(name, cfg, tax)
    tagger = spec.load(str(resolve_workspace(workspace))) if files else None
    evaluations = {}
    for f in files:
        err_console.print(f"Scoring the zero-shot default {name} on {f}.", highlight=False)
        evaluations[f.stem] = evaluate_rows(tagger, read_gold(f.resolve(), tax), tax, n_boot=0, seed=0)
    return name, {"evaluations": evaluations}


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

