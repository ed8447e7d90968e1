"""Training from corrections: data assembly, a held-out evaluation, MLflow tracking, versioned model
directories, and promotion that never silently makes the current model worse.

Training rows come from three places, in order of trust: the workspace's annotations (desk
officers' corrections), labelled JSONL files named in ``gold_train`` (dev sets only), and weak
labels, the confident tags of the zero-shot taggers on unlabelled text. A text that appears in
more than one place keeps its most trusted labels. The held-out split is drawn from the human
rows, so the figure says how well the model matches people, not how well it mimics the taggers.

Each run writes ``models/<model_id>/`` (config.json with labels and taxonomy hash, the weights,
README.md the model card, metrics.json with every evaluation and its data fingerprint) and logs
params, metrics, per-item metrics, the confusion table and the model directory to MLflow in the
workspace (``sqlite:///<workspace>/mlflow.db``, artifacts in ``<workspace>/mlruns``).

Promotion compares a candidate with the current model on every evaluation set they share (same
fingerprint), on ``primary_metric``; it refuses a worse or incomparable candidate unless forced
with a reason, which is recorded in ``models/promoted.json`` and on the MLflow run.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from pipeline.config import TrainConfig
from pipeline.errors import ConfigError, ModelError
from pipeline.taxonomy import Taxonomy

PROMOTED = "promoted.json"
METRICS_FILE = "metrics.json"
HUMAN_SOURCES = ("annotations", "gold_train")


# --- data ----------------------------------------------------------------------------------
def weak_labels(texts: list[str], taggers: list[Any], *, min_votes: int, margin: float = 0.0) -> list[list[str]]:
    """Items that at least ``min_votes`` taggers accept with ``score - threshold >= margin``."""
    if not taggers:
        raise ConfigError("weak.taggers is empty: name the taggers whose confident tags become weak labels "
                          "(e.g. [semantic.v1, lexical.v1]).")
    labels = taggers[0].labels_
    votes = np.zeros((len(texts), len(labels)), dtype=int)
    for tagger in taggers:
        if list(tagger.labels_) != list(labels):
            raise ModelError(f"weak labelling: {tagger.name} scores other items than {taggers[0].name}.")
        votes += (tagger.predict_scores(texts) - tagger.thresholds_[None, :] >= margin)
    need = min(min_votes, len(taggers))
    return [[labels[j] for j in np.flatnonzero(row >= need)] for row in votes]


def assemble(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One row per distinct text (text, items, source), the most trusted source winning.

    ``parts`` come most trusted first; each has columns text, items, source.
    """
    frames = [p[["text", "items", "source"]] for p in parts if not p.empty]
    if not frames:
        return pd.DataFrame(columns=["text", "items", "source"])
    rows = pd.concat(frames, ignore_index=True)
    rows = rows[rows["text"].astype(str).str.strip() != ""]
    return rows.drop_duplicates("text", keep="first").reset_index(drop=True)


def split_holdout(rows: pd.DataFrame, fraction: float, min_human: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, holdout): the holdout drawn from the human rows when there are ``min_human`` of them."""
    if fraction <= 0 or len(rows) < 5:
        return rows, rows.iloc[0:0]
    human = rows["source"].isin(HUMAN_SOURCES)
    pool = rows[human] if human.sum() >= min_human else rows
    n = max(1, int(round(len(pool) * fraction)))
    held = pool.sample(n=n, random_state=seed).index
    return rows.drop(index=held), rows.loc[held]


def fingerprint(rows: pd.DataFrame) -> str:
    """A hash of an evaluation set's texts and labels, order-free: equal sets, equal fingerprints."""
    keys = sorted(hashlib.sha256((t + "\x1f" + ";".join(sorted(i))).encode()).hexdigest()
                  for t, i in zip(rows["text"], rows["items"]))
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]


def read_gold(path: str | Path, tax: Taxonomy) -> pd.DataFrame:
    """A labelled JSONL file ({"text", "items"} a line) as rows (text, items)."""
    from pipeline.config import project_path
    from pipeline.evaluate import parse_gold

    file = project_path(path)
    if not file.is_file():
        raise ConfigError(f"Gold file {path} not found (looked at {file}). Fix the path in configs/train.yaml.")
    return parse_gold(file.read_text(encoding="utf-8"), tax, source=str(path))[["text", "items"]]


def weak_rows(cfg: TrainConfig, tax: Taxonomy, workspace: Path, log: Callable[[str], None]) -> pd.DataFrame:
    """Texts of ``cfg.weak.paths`` (a seeded sample of ``max_rows``) with the taggers' confident tags;
    texts on which the taggers agree on nothing are left out."""
    from pipeline.classify import create_tagger
    from pipeline.config import project_path

    texts: list[str] = []
    for path in cfg.weak.paths:
        file = project_path(path)
        if not file.is_file():
            raise ConfigError(f"weak.paths: {path} not found (looked at {file}). Fix configs/train.yaml.")
        texts += [str(r["text"]) for r in pd.read_json(file, lines=True).to_dict("records") if r.get("text")]
    if not texts:
        return pd.DataFrame(columns=["text", "items", "source"])
    if cfg.weak.max_rows and len(texts) > cfg.weak.max_rows:
        pick = np.random.default_rng(cfg.weak.seed).choice(len(texts), cfg.weak.max_rows, replace=False)
        texts = [texts[i] for i in sorted(pick)]
    taggers = []
    for name in cfg.weak.taggers:
        tagger = create_tagger(name)
        if hasattr(tagger, "cache_dir"):
            tagger.cache_dir = str(workspace)
        taggers.append(tagger.fit(tax))
    log(f"Weak labelling {len(texts)} texts with {', '.join(cfg.weak.taggers)}.")
    labels = weak_labels(texts, taggers, min_votes=cfg.weak.min_votes, margin=cfg.weak.margin)
    rows = pd.DataFrame({"text": texts, "items": labels, "source": "weak"})
    return rows[rows["items"].map(len) > 0].reset_index(drop=True)


def gather(cfg: TrainConfig, tax: Taxonomy, workspace: Path, log: Callable[[str], None] = lambda _: None
           ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """(training rows, gold sets by name) as the config asks."""
    from pipeline.annotate import annotated_labels
    from pipeline.store import DB_NAME, Workspace

    parts = []
    if cfg.annotations and (Path(workspace) / DB_NAME).exists():
        with Workspace(workspace, create=False, read_only=True) as ws:
            labels = annotated_labels(ws.table("annotations"))
            texts = ws.con.execute("SELECT passage_id, text FROM passages").df()
        parts.append(labels.merge(texts, on="passage_id").assign(source="annotations"))
    parts += [read_gold(p, tax).assign(source="gold_train") for p in cfg.gold_train]
    if cfg.weak.paths:
        parts.append(weak_rows(cfg, tax, workspace, log))
    gold_sets = {Path(p).stem: read_gold(p, tax) for p in cfg.eval_gold}
    return assemble(parts), gold_sets


# --- evaluation ----------------------------------------------------------------------------
def evaluate_rows(tagger: Any, rows: pd.DataFrame, tax: Taxonomy, *, n_boot: int, seed: int) -> dict[str, Any]:
    """The evaluation report of ``tagger`` on ``rows`` (text, items), with flat metrics for logging."""
    from pipeline.evaluate import METRICS, evaluate

    pred = tagger.predict(rows["text"].tolist())
    report = evaluate(rows["items"].tolist(), pred, tax, n_boot=n_boot, seed=seed)
    flat = {f"{level}.{m}": round(float(report[level][m]), 4) for level in tax.levels for m in METRICS}
    return {"fingerprint": fingerprint(rows), "n_rows": len(rows), "metrics": flat,
            "ci95": {level: report[level].get("ci95", {}) for level in tax.levels},
            "per_item": report["per_item"], "confusion": report["confusion"]}


# --- training ------------------------------------------------------------------------------
@dataclass
class TrainResult:
    model_id: str
    model_dir: Path
    evaluations: dict[str, dict[str, Any]]
    data: dict[str, Any]
    run_id: str | None = None


def train(cfg: TrainConfig, tax: Taxonomy, rows: pd.DataFrame, *, gold_sets: dict[str, pd.DataFrame],
          models_dir: Path, workspace: Path, model_id: str | None = None,
          log: Callable[[str], None] = lambda _: None) -> TrainResult:
    """Fit ``cfg.model`` on ``rows`` (text, items, source), evaluate, save, and track the run.

    The model lands in ``models_dir/<model_id>``: by default ``<name>-<time>-<hash>``; a fixed
    ``model_id`` (a DVC output) replaces the directory of that name."""
    import shutil

    from pipeline.classify import create_tagger

    if rows.empty:
        raise ModelError("No training data: the workspace has no annotations and the config names no gold_train "
                         "or weak.paths. Import corrections with `aptag review import FILE`, or set "
                         "weak.paths in configs/train.yaml.")
    train_rows, holdout = split_holdout(rows, cfg.holdout, cfg.min_holdout_rows, cfg.seed)
    tagger = create_tagger(cfg.model, **cfg.settings)
    if hasattr(tagger, "cache_dir"):
        tagger.cache_dir = str(workspace)
    log(f"Training {cfg.model} on {len(train_rows)} rows ({_by_source(train_rows)}); holdout {len(holdout)} rows.")
    tagger.fit(tax, train_rows["text"].tolist(), [list(x) for x in train_rows["items"]])

    evaluations: dict[str, dict[str, Any]] = {}
    if not holdout.empty:
        evaluations["holdout"] = evaluate_rows(tagger, holdout, tax, n_boot=cfg.n_boot, seed=cfg.seed)
    for name, gold in gold_sets.items():
        log(f"Scoring {len(gold)} gold rows of {name}.")
        evaluations[name] = evaluate_rows(tagger, gold, tax, n_boot=cfg.n_boot, seed=cfg.seed)

    data = {"rows": len(rows), "train_rows": len(train_rows), "holdout_rows": len(holdout),
            "by_source": rows["source"].value_counts().to_dict(),
            "holdout_from": "human rows" if holdout["source"].isin(HUMAN_SOURCES).all() else "all rows",
            "label_counts": _label_counts(train_rows), "fingerprint": fingerprint(train_rows),
            "learned": tagger.describe()}
    created = datetime.now(timezone.utc)
    model_id = model_id or "{}-{:%Y%m%d-%H%M%S}-{}".format(cfg.model.replace(".", "-"), created, hashlib.sha256(
        (json.dumps(cfg.model_dump(), sort_keys=True) + data["fingerprint"]).encode()).hexdigest()[:6])
    model_dir = models_dir / model_id
    if model_dir.exists():
        shutil.rmtree(model_dir)
    tagger.save(model_dir)
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    config.update(model_id=model_id, created_at=created.isoformat(timespec="seconds"),
                  train_config=cfg.model_dump(), data={k: v for k, v in data.items() if k != "label_counts"})
    figures = _write_figures(model_dir, evaluations)
    metrics = {"model_id": model_id, "primary_metric": cfg.primary_metric,
               "evaluations": {k: {x: v[x] for x in ("fingerprint", "n_rows", "metrics", "ci95")}
                               for k, v in evaluations.items()}}
    _write_json(model_dir / METRICS_FILE, metrics)
    for name, ev in evaluations.items():
        pd.DataFrame(ev["per_item"]).to_csv(model_dir / f"per_item.{name}.csv", index=False)
        pd.DataFrame(ev["confusion"]).to_csv(model_dir / f"confusion.{name}.csv", index=False)
    result = TrainResult(model_id, model_dir, evaluations, data)
    result.run_id = log_run(workspace, cfg, result)
    config["mlflow"] = {"tracking_uri": tracking_uri(workspace), "run_id": result.run_id}
    _write_json(model_dir / "config.json", config)
    (model_dir / "README.md").write_text(model_card(cfg, tax, result, figures), encoding="utf-8")
    return result


def _by_source(rows: pd.DataFrame) -> str:
    return ", ".join(f"{n} {s}" for s, n in rows["source"].value_counts().items())


def _label_counts(rows: pd.DataFrame) -> dict[str, int]:
    counts = pd.Series([i for items in rows["items"] for i in items], dtype=object).value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str), encoding="utf-8")


def _write_figures(model_dir: Path, evaluations: dict[str, dict[str, Any]]) -> list[str]:
    """A bar chart of per-item F1 for each evaluation, for the model card."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    for name, ev in evaluations.items():
        table = pd.DataFrame(ev["per_item"])
        if table.empty:
            continue
        table = table[table["support"] > 0].sort_values("f1")
        fig, ax = plt.subplots(figsize=(6, max(2.0, 0.18 * len(table))))
        ax.barh(table["item"], table["f1"], color="#2b6cb0")
        ax.set_xlim(0, 1)
        ax.set_xlabel("F1")
        ax.set_title(f"Per-item F1 on {name} ({ev['n_rows']} rows)")
        ax.tick_params(axis="y", labelsize=6)
        fig.tight_layout()
        file = f"per_item_f1.{name}.png"
        fig.savefig(model_dir / file, dpi=100)
        plt.close(fig)
        names.append(file)
    return names


def model_card(cfg: TrainConfig, tax: Taxonomy, result: TrainResult, figures: list[str]) -> str:
    """README.md of a model directory: what it is, what it learnt from, how well it does."""
    d = result.data
    lines = [f"# {result.model_id}", "",
             f"`{cfg.model}` tagger for taxonomy **{tax.id}** ({tax.name}; hash `{tax.hash}`), "
             f"trained by `aptag train` on {datetime.now(timezone.utc):%Y-%m-%d}. "
             f"Load it with `aptag tag --model {result.model_dir}`, or promote it "
             f"(`aptag models promote {result.model_id}`) and `aptag tag` uses it.", "",
             "## Data", "",
             f"- {d['rows']} distinct texts: " + ", ".join(f"{n} from {s}" for s, n in d["by_source"].items()),
             f"- trained on {d['train_rows']}; held out {d['holdout_rows']} ({d['holdout_from']})",
             f"- weak labels: {', '.join(cfg.weak.taggers)} agreeing ({cfg.weak.min_votes} votes, margin "
             f"{cfg.weak.margin}) on {', '.join(cfg.weak.paths) or 'no files'}",
             f"- gold files trained on: {', '.join(cfg.gold_train) or 'none'}",
             f"- training data fingerprint `{d['fingerprint']}`", "",
             "Most frequent training labels: " + ", ".join(f"{k} ({v})" for k, v in list(d["label_counts"].items())[:15]),
             "", *(["## What it learnt", "", *(f"- {line}" for line in d["learned"]), ""] if d["learned"] else []),
             "## Evaluation", ""]
    if not result.evaluations:
        lines.append("No evaluation: too few rows to hold any out and no eval_gold files.")
    for name, ev in result.evaluations.items():
        lines += [f"### {name} ({ev['n_rows']} rows, fingerprint `{ev['fingerprint']}`)", "",
                  "| level | micro P | micro R | micro F1 | macro F1 |", "|---|---|---|---|---|"]
        for level in reversed(tax.levels):
            m = ev["metrics"]
            ci = ev["ci95"].get(level, {}).get("micro_f1")
            lines.append(f"| {level} | {m[f'{level}.micro_precision']:.3f} | {m[f'{level}.micro_recall']:.3f} | "
                         f"{m[f'{level}.micro_f1']:.3f}" + (f" [{ci[0]:.3f}-{ci[1]:.3f}]" if ci else "")
                         + f" | {m[f'{level}.macro_f1']:.3f} |")
        if f"per_item_f1.{name}.png" in figures:
            lines += ["", f"![per-item F1 on {name}](per_item_f1.{name}.png)"]
        lines += ["", f"Per-item table: `per_item.{name}.csv`; confusion between sibling items: "
                      f"`confusion.{name}.csv`.", ""]
    lines += ["## Settings", "", "```json", json.dumps(cfg.model_dump(), indent=2, default=str), "```", "",
              "## Limits", "",
              "Scores are only as good as the labels: weak labels inherit the zero-shot taggers' mistakes, and "
              "small held-out sets give wide intervals. Compare models on the same gold file before promoting "
              "(`aptag models promote ID --gold FILE`).", ""]
    return "\n".join(lines)


# --- MLflow --------------------------------------------------------------------------------
def tracking_uri(workspace: Path) -> str:
    return f"sqlite:///{Path(workspace).resolve() / 'mlflow.db'}"


def _mlflow(workspace: Path):
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    import logging

    import mlflow

    logging.getLogger("mlflow").setLevel(logging.WARNING)  # not the database-migration chatter
    mlflow.set_tracking_uri(tracking_uri(workspace))
    return mlflow


def log_run(workspace: Path, cfg: TrainConfig, result: TrainResult) -> str:
    """Log one training run to the workspace's MLflow store; returns the run ID."""
    mlflow = _mlflow(workspace)
    client = mlflow.MlflowClient()
    exp = client.get_experiment_by_name(cfg.experiment)
    exp_id = exp.experiment_id if exp else client.create_experiment(
        cfg.experiment, artifact_location=(Path(workspace).resolve() / "mlruns").as_uri())
    with mlflow.start_run(experiment_id=exp_id, run_name=result.model_id) as run:
        mlflow.log_params({k: str(v)[:500] for k, v in _flatten(cfg.model_dump()).items()})
        mlflow.log_params({f"data.{k}": v for k, v in result.data.items() if k in ("rows", "train_rows", "holdout_rows")})
        mlflow.set_tags({"model_id": result.model_id, "model_dir": str(result.model_dir)})
        metrics: dict[str, float] = {}
        for name, ev in result.evaluations.items():
            metrics.update({f"{name}.{k}": v for k, v in ev["metrics"].items()})
            metrics.update({f"{name}.per_item.f1.{r['item']}": float(r["f1"]) for r in ev["per_item"]})
        if metrics:
            mlflow.log_metrics(metrics)
        for name, ev in result.evaluations.items():
            mlflow.log_table(pd.DataFrame(ev["confusion"], columns=["gold_item", "predicted_item", "instead",
                                                                    "as_well", "total"]),
                             artifact_file=f"confusion.{name}.json")
            mlflow.log_table(pd.DataFrame(ev["per_item"]), artifact_file=f"per_item.{name}.json")
        mlflow.log_artifacts(str(result.model_dir), artifact_path="model")
        return run.info.run_id


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


# --- model directories ---------------------------------------------------------------------
def list_models(models_dir: Path) -> pd.DataFrame:
    """The trained models, newest first: id, name, created, taxonomy, rows, each evaluation's
    primary metric, and which one is promoted."""
    current = promotion_state(models_dir).get("current")
    rows = []
    for cfg_file in sorted(Path(models_dir).glob("*/config.json")):
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
        metrics = read_metrics(cfg_file.parent)
        primary = metrics.get("primary_metric", "item.micro_f1")
        rows.append({"model_id": cfg_file.parent.name, "name": config.get("name"),
                     "created": config.get("created_at", ""), "taxonomy": config.get("taxonomy_id"),
                     "rows": config.get("data", {}).get("rows"),
                     "evaluations": ", ".join(f"{k} {v['metrics'].get(primary, float('nan')):.3f}"
                                              for k, v in metrics.get("evaluations", {}).items()),
                     "promoted": cfg_file.parent.name == current})
    df = pd.DataFrame(rows, columns=["model_id", "name", "created", "taxonomy", "rows", "evaluations", "promoted"])
    return df.sort_values("created", ascending=False, kind="stable").reset_index(drop=True)


def model_dir(models_dir: Path, model_id: str) -> Path:
    path = Path(models_dir) / model_id
    if not (path / "config.json").is_file():
        known = ", ".join(list_models(models_dir)["model_id"].head(5)) or "none yet"
        raise ModelError(f"No model {model_id!r} in {models_dir} (expected {path}/config.json). "
                         f"Known models: {known}. See `aptag models list`.")
    return path


def read_metrics(path: Path) -> dict[str, Any]:
    file = Path(path) / METRICS_FILE
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}


def add_evaluation(path: Path, name: str, evaluation: dict[str, Any]) -> None:
    """Record one more evaluation of a saved model in its metrics.json."""
    metrics = read_metrics(path) or {"model_id": Path(path).name, "primary_metric": "item.micro_f1", "evaluations": {}}
    metrics.setdefault("evaluations", {})[name] = {x: evaluation[x] for x in ("fingerprint", "n_rows", "metrics", "ci95")}
    _write_json(Path(path) / METRICS_FILE, metrics)


def promotion_state(models_dir: Path) -> dict[str, Any]:
    file = Path(models_dir) / PROMOTED
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {"current": None, "history": []}


@dataclass
class Promotion:
    promoted: bool
    message: str
    comparisons: list[dict[str, Any]]


def compare(candidate: dict[str, Any], current: dict[str, Any], metric: str) -> list[dict[str, Any]]:
    """The evaluation sets both models were scored on (same fingerprint), with both figures."""
    theirs = {v["fingerprint"]: (k, v) for k, v in current.get("evaluations", {}).items()}
    out = []
    for name, ev in candidate.get("evaluations", {}).items():
        if ev["fingerprint"] in theirs and metric in ev["metrics"]:
            other = theirs[ev["fingerprint"]][1]["metrics"].get(metric)
            if other is not None:
                out.append({"evaluation": name, "fingerprint": ev["fingerprint"], "n_rows": ev["n_rows"],
                            "candidate": ev["metrics"][metric], "current": other,
                            "worse": ev["metrics"][metric] < other})
    return out


def promote(models_dir: Path, model_id: str, *, force: bool = False, reason: str = "",
            metric: str | None = None, now: datetime | None = None,
            baseline: tuple[str, dict[str, Any]] | None = None) -> Promotion:
    """Make ``model_id`` the current model unless it is worse than the current one on a shared
    evaluation set (or shares none with it); with no current model, ``baseline`` (the zero-shot
    default's name and its evaluations) is the one to beat. ``force`` needs a ``reason``, which
    is recorded."""
    if force and not reason.strip():
        raise ConfigError("--force needs --reason TEXT: say why a model that scores worse (or cannot be "
                          "compared) should become the current one; the reason is recorded.")
    path = model_dir(models_dir, model_id)
    state = promotion_state(models_dir)
    candidate = read_metrics(path)
    metric = metric or candidate.get("primary_metric", "item.micro_f1")
    current_id = state.get("current")
    comparisons: list[dict[str, Any]] = []
    refusal = ""
    if current_id == model_id:
        return Promotion(False, f"{model_id} is already the current model.", [])
    rival = None  # (how to name it, its evaluations): the current model, else the zero-shot default
    if current_id and (Path(models_dir) / current_id / "config.json").exists():
        rival = (f"the current model {current_id}", read_metrics(Path(models_dir) / current_id))
    elif baseline is not None:
        rival = (f"the zero-shot default {baseline[0]}", baseline[1])
        current_id = current_id or f"{baseline[0]} (zero-shot default)"
    if rival is not None:
        comparisons = compare(candidate, rival[1], metric)
        worse = [c for c in comparisons if c["worse"]]
        if worse:
            refusal = (f"{model_id} scores worse than {rival[0]} on "
                       + "; ".join(f"{c['evaluation']} ({c['n_rows']} rows): {metric} {c['candidate']:.4f} < "
                                   f"{c['current']:.4f}" for c in worse))
        elif not comparisons:
            refusal = (f"{model_id} and {rival[0]} share no evaluation set, so they cannot be compared. Score both "
                       f"on the same gold file with `aptag models promote {model_id} --gold FILE`")
    if refusal and not force:
        return Promotion(False, refusal + ". Not promoted; to promote anyway pass --force --reason TEXT.", comparisons)
    entry = {"model_id": model_id, "previous": current_id,
             "at": (now or datetime.now(timezone.utc)).isoformat(timespec="seconds"), "metric": metric,
             "comparisons": comparisons, "forced": bool(refusal), "reason": reason if refusal or reason else ""}
    if refusal:
        entry["overrode"] = refusal
    state["current"] = model_id
    state.setdefault("history", []).append(entry)
    _write_json(Path(models_dir) / PROMOTED, state)
    _tag_promotion(path, entry)
    verdict = "; ".join(f"{c['evaluation']}: {c['candidate']:.4f} vs {c['current']:.4f}" for c in comparisons)
    return Promotion(True, f"Promoted {model_id}" + (f" over {current_id}" if current_id else "")
                     + (f" ({metric}: {verdict})" if verdict else "")
                     + (f"; forced: {reason}" if refusal else "") + ".", comparisons)


def _tag_promotion(path: Path, entry: dict[str, Any]) -> None:
    """Mark the model's MLflow run as promoted, where the run's store is at hand."""
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    run = config.get("mlflow", {})
    db = run.get("tracking_uri", "").removeprefix("sqlite:///")
    if not run.get("run_id") or not Path(db).exists():
        return
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=run["tracking_uri"])
    client.set_tag(run["run_id"], "promoted_at", entry["at"])
    client.set_tag(run["run_id"], "promotion_forced", str(entry["forced"]).lower())
    if entry["reason"]:
        client.set_tag(run["run_id"], "promotion_reason", entry["reason"][:5000])
