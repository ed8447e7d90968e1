"""Configuration: ``configs/pipeline.yaml`` -> validated pydantic models -> function arguments.

Nothing else reads YAML configuration. Each stage owns one section model below; ``load_config``
applies dotted overrides (``--set tag.threshold=0.4``) before validation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "configs"
DEFAULT_CONFIG = CONFIG_DIR / "pipeline.yaml"
DEFAULT_TAXONOMY = CONFIG_DIR / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IngestConfig(Section):
    max_file_mb: float = 50.0
    max_unzipped_mb: float = 200.0


class SegmentConfig(Section):
    max_chars: int = 1200
    min_chars: int = 40
    heading_max_chars: int = 120


class TagConfig(Section):
    model: str = "ensemble.v1"
    taxonomy: str = str(DEFAULT_TAXONOMY.relative_to(PROJECT_ROOT))
    item_cards: str = "configs/item_cards"
    # taggers (chosen on the dev sets with benchmarks/dev_tune.py)
    encoder: str = "minilm"                 # English text
    encoder_other: str = "use-multilingual" # French and other languages ("" = use `encoder` for all)
    # MiniLM's runtime: an int8 ONNX graph built once into the shared cache, its fp32 graph, or torch
    encoder_backend: Literal["onnx-int8", "onnx-fp32", "torch"] = "onnx-fp32"
    semantic_max_weight: float = 0.5        # best vs mean cosine over an item's prototypes
    semantic_gap_penalty: float = 1.0       # push down items far below the passage's best item (semantic.v1)
    semantic_calibration: dict[str, list[float]] = {"minilm": [0.42, 0.05], "use-multilingual": [0.33, 0.05]}
    semantic_threshold: float = 0.5
    lexical_threshold: float = 0.5
    lexical_saturation: float = 1.0         # summed term weight that gives a lexical score of 0.63
    semantic_weight: float = 0.55           # ensemble: weights of the two scores
    lexical_weight: float = 0.45
    # the ensemble's own gap penalty: a recommendation about several things keeps its runner-up items
    ensemble_gap_penalty: float = 0.0
    ensemble_calibration_shift: float = -0.04  # added to the semantic centres inside the ensemble
    ensemble_lexical_saturation: float = 0.7   # the lexical half's saturation inside the ensemble
    # what a passage is about: an item needs this share of the passage's best score (prose of several
    # sentences) ...
    relative_margin: float = Field(0.75, ge=0, le=1)
    # ... or this share in a one-sentence text, which often asks for several things at once
    relative_margin_single: float = Field(0.6, ge=0, le=1)
    # in a passage with two tags or more, every tag but the best needs this share of the top score of
    # one of its sentences (0: off)
    sentence_support: float = Field(0.9, ge=0, le=1)
    threshold: float = 0.39                 # ensemble threshold for every item ...
    item_thresholds: dict[str, float] = {}  # ... unless set here per item
    review_floor: float = 0.2               # candidates stored for review down to this score
    max_candidates: int = 5                 # stored predictions per passage, accepted or not
    batch_size: int = 256                   # passages per transaction in `aptag tag`


class CoverageConfig(Section):
    period: Literal["month", "quarter", "year"] = "quarter"
    max_evidence: int = Field(20, ge=1)     # evidence passages per item embedded in the HTML report
    heatmap_columns: int = Field(24, ge=1)  # heatmap columns shown (and printed) before "show all"
    report_title: str = "Coverage of the EU Action Plan on Human Rights and Democracy 2020-2024"
    # corrected counts and quality cards (pipeline/quality.py): the calibration the dev benchmarks
    # support, written by benchmarks/review_simulation.py --write-prior
    count_prior: str = "configs/quality/count_prior.json"


class ExportConfig(Section):
    redact_by_default: list[str] = ["hf", "csv", "jsonl"]


class WeakLabelConfig(Section):
    """Weak supervision: the zero-shot taggers' confident tags on unlabelled text."""

    paths: list[str] = []                   # JSONL files with a "text" field (e.g. ../shared/data/upr_recs_2008_2014/...)
    taggers: list[str] = ["semantic.v1", "lexical.v1"]
    min_votes: int = 2                      # taggers that must accept an item for it to become a weak label
    margin: float = 0.0                     # and by at least this much above their threshold
    max_rows: int = 2000                    # rows sampled from the files (0: all)
    seed: int = 0


class TrainConfig(Section):
    """configs/train.yaml: what `aptag train` fits, on what, and how it is judged."""

    model: str = "linear.v1"
    settings: dict[str, Any] = {}           # the tagger's constructor settings
    taxonomy: str = str(DEFAULT_TAXONOMY.relative_to(PROJECT_ROOT))
    annotations: bool = True                # train on the workspace's annotations
    gold_train: list[str] = []              # labelled JSONL ({"text", "items"}) to train on (dev sets only)
    weak: WeakLabelConfig = WeakLabelConfig()
    holdout: float = 0.2                    # share of human-labelled rows held out for evaluation
    min_holdout_rows: int = 10              # fewer human rows: hold out from all rows
    eval_gold: list[str] = []               # gold JSONL files scored after training
    n_boot: int = 200                       # bootstrap resamples for the 95% intervals
    seed: int = 0
    models_dir: str = ""                    # "" = <workspace>/models: models belong to their workspace
    experiment: str = "aptag-train"
    primary_metric: str = "item.micro_f1"   # what promotion compares


def load_train_config(path: str | Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    """Read ``configs/train.yaml`` (or ``path``), apply ``key=value`` overrides, validate."""
    path = Path(path) if path else CONFIG_DIR / "train.yaml"
    data = load_yaml(path) if path.exists() or path != CONFIG_DIR / "train.yaml" else {}
    data = apply_overrides(data, overrides or [])
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"Invalid training configuration in {path}:\n{exc}") from exc


class PipelineConfig(Section):
    ingest: IngestConfig = IngestConfig()
    segment: SegmentConfig = SegmentConfig()
    tag: TagConfig = TagConfig()
    coverage: CoverageConfig = CoverageConfig()
    export: ExportConfig = ExportConfig()


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply ``key.sub=value`` overrides; values are parsed as YAML scalars (``0.4``, ``true``)."""
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"Override {item!r} is not of the form key.sub=value (e.g. tag.model=semantic.v1).")
        key, raw = item.split("=", 1)
        node = data
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"Override {item!r}: {part!r} is a value, not a section.")
        node[parts[-1]] = yaml.safe_load(raw)
    return data


def load_yaml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ConfigError(f"Config file {path} not found. Pass --config with an existing file.") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Config file {path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping at the top level, found {type(data).__name__}.")
    return data


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> PipelineConfig:
    """Read ``configs/pipeline.yaml`` (or ``path``), apply overrides, validate."""
    path = Path(path) if path else DEFAULT_CONFIG
    data = load_yaml(path) if path.exists() or path != DEFAULT_CONFIG else {}
    data = apply_overrides(data, overrides or [])
    try:
        return PipelineConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"Invalid configuration in {path}:\n{exc}") from exc


def shared_cache_dir() -> Path:
    """What every workspace reuses (built encoders, item prototypes): ``$APTAG_CACHE_DIR``, else
    ``.cache/`` in the project."""
    return Path(os.environ.get("APTAG_CACHE_DIR") or PROJECT_ROOT / ".cache")


def project_path(path: str | Path) -> Path:
    """A config path, relative paths taken from the project root."""
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p
