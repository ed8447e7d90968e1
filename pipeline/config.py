"""Configuration: ``configs/pipeline.yaml`` -> validated pydantic models -> function arguments.

Nothing else reads YAML configuration. Each stage owns one section model below; ``load_config``
applies dotted overrides (``--set tag.threshold=0.4``) before validation.
"""

from __future__ import annotations

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


class CoverageConfig(Section):
    period: Literal["month", "quarter", "year"] = "quarter"
    max_evidence: int = Field(20, ge=1)     # evidence passages per item embedded in the HTML report
    heatmap_columns: int = Field(24, ge=1)  # heatmap columns shown (and printed) before "show all"
    report_title: str = "Coverage of the EU Action Plan on Human Rights and Democracy 2020-2024"


class ExportConfig(Section):
    redact_by_default: list[str] = ["hf", "csv", "jsonl"]


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


def project_path(path: str | Path) -> Path:
    """A config path, relative paths taken from the project root."""
    p = Path(path)
    return p if p.is_absolute() else PROJECT_ROOT / p
