"""The tagger interface, the registry of versioned tagger names, and model directories.

Taggers follow scikit-learn's estimator rules: ``__init__`` stores settings only, ``fit`` returns
self, learned attributes end in ``_``. Every tagger scores every item of its taxonomy:
``predict_scores(texts) -> (n_texts, n_items)`` array in [0, 1], columns in ``labels_`` order,
with ``thresholds_`` (one per item) deciding what counts as a tag.

A saved model is a directory: ``config.json`` (name, labels, taxonomy id and hash, settings,
thresholds), the tagger's own weights (skops for scikit-learn parts, never raw pickle), and
``README.md`` (the model card). Loading checks the labels against the current taxonomy.
"""

from __future__ import annotations

import importlib
import inspect
import json
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import ModelError
from pipeline.taxonomy import Taxonomy

# Versioned name -> "module:Class". Imported lazily: heavy dependencies load only when used.
REGISTRY: dict[str, str] = {
    "semantic.v1": "pipeline.classify.semantic:SemanticTagger",
    "lexical.v1": "pipeline.classify.lexical:LexicalTagger",
    "ensemble.v1": "pipeline.classify.ensemble:EnsembleTagger",
    "linear.v1": "pipeline.classify.linear:LinearTagger",
    "finetune.v1": "pipeline.classify.finetune:FinetuneTagger",
    "adaptive.v1": "pipeline.classify.adaptive:AdaptiveTagger",
}


class Tagger(ABC):
    """Multi-label scorer of texts against the items of one taxonomy."""

    name: str = "abstract"

    # learned / set by fit
    labels_: list[str]
    thresholds_: np.ndarray
    taxonomy_id_: str
    taxonomy_hash_: str

    @abstractmethod
    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "Tagger":
        """Prepare the tagger for ``taxonomy``; supervised taggers learn from ``texts``/``labels``."""

    @abstractmethod
    def predict_scores(self, texts: list[str]) -> np.ndarray:
        """Scores in [0, 1], shape (len(texts), len(labels_))."""

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        """For each item: {"start", "end", "sentence", "terms"} pointing into ``text``."""
        return {item: {"start": 0, "end": len(text), "sentence": text, "terms": []} for item in item_ids}

    @classmethod
    def setting_names(cls) -> list[str]:
        """The constructor's arguments: a tagger keeps each under its own name."""
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def keep_settings(self, arguments: dict[str, Any]) -> None:
        """Store the constructor's arguments under their names; called as ``self.keep_settings(locals())``."""
        for name in self.setting_names():
            setattr(self, name, arguments[name])

    def get_settings(self) -> dict[str, Any]:
        """The constructor arguments, for config.json."""
        return {name: getattr(self, name) for name in self.setting_names()}

    def describe(self) -> list[str]:
        """What fitting learnt, in sentences for the model card (nothing for a zero-shot tagger)."""
        return []

    def predict(self, texts: list[str]) -> list[list[str]]:
        """Item IDs at or above each item's threshold, per text."""
        scores = self.predict_scores(texts)
        hits = scores >= self.thresholds_[None, :]
        return [[self.labels_[j] for j in np.flatnonzero(row)] for row in hits]

    # --- persistence -------------------------------------------------------------------------
    def save(self, path: str | Path, card: str = "") -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        config = {
            "name": self.name,
            "labels": list(self.labels_),
            "taxonomy_id": self.taxonomy_id_,
            "taxonomy_hash": self.taxonomy_hash_,
            "settings": self.get_settings(),
            "thresholds": [float(t) for t in self.thresholds_],
        }
        (path / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False), encoding="utf-8")
        self._save_weights(path)
        (path / "README.md").write_text(card or f"# {self.name}\n\nTaxonomy: {self.taxonomy_id_}\n", encoding="utf-8")
        return path

    def _save_weights(self, path: Path) -> None:
        """Write learned parameters beside config.json (none by default)."""

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        """Read what ``_save_weights`` wrote and restore learned attributes (default: refit)."""
        self.fit(taxonomy)


class PassesCacheDir:
    """A tagger made of other taggers: ``cache_dir`` (where embeddings are cached, the workspace),
    set before or after fit, reaches the part named by ``cache_child`` once it exists."""

    cache_child = ""

    @property
    def cache_dir(self) -> str | None:
        return getattr(self, "_cache_dir", None)

    @cache_dir.setter
    def cache_dir(self, value: str | None) -> None:
        self._cache_dir = value
        if hasattr(self, self.cache_child):
            getattr(self, self.cache_child).cache_dir = value


def tagger_class(name: str) -> type[Tagger]:
    if name not in REGISTRY:
        raise ModelError(f"Unknown tagger {name!r}. Known taggers: {', '.join(sorted(REGISTRY))}.")
    module, cls = REGISTRY[name].split(":")
    return getattr(importlib.import_module(module), cls)


def create_tagger(name: str, **settings: Any) -> Tagger:
    """A new, unfitted tagger of the registered ``name``."""
    return tagger_class(name)(**settings)


def check_labels(config: dict[str, Any], taxonomy: Taxonomy, path: Path) -> None:
    """Refuse a model whose labels differ from the taxonomy's items, naming the differences."""
    expected = taxonomy.item_ids()
    found = list(config.get("labels", []))
    if found != expected:
        missing = [x for x in expected if x not in set(found)]
        extra = [x for x in found if x not in set(expected)]
        detail = []
        if missing:
            detail.append(f"missing from the model: {', '.join(missing[:20])}" + (" ..." if len(missing) > 20 else ""))
        if extra:
            detail.append(f"unknown to the taxonomy: {', '.join(extra[:20])}" + (" ..." if len(extra) > 20 else ""))
        if not detail:
            detail.append("same labels in a different order")
        raise ModelError(
            f"Model {path} was trained on taxonomy {config.get('taxonomy_id')!r} and its labels do not match "
            f"taxonomy {taxonomy.id!r} ({'; '.join(detail)}). Retrain the model on this taxonomy "
            "or pass the taxonomy it was trained on with --taxonomy."
        )


def load_tagger(path: str | Path, taxonomy: Taxonomy) -> Tagger:
    """Load a model directory written by :meth:`Tagger.save`, checking it against ``taxonomy``."""
    path = Path(path)
    cfg_file = path / "config.json"
    if not cfg_file.exists():
        raise ModelError(f"{path} is not a model directory: expected {cfg_file}. Train one with `aptag train`.")
    try:
        config = json.loads(cfg_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{cfg_file} is not valid JSON ({exc}); the model directory is corrupt.") from exc
    check_labels(config, taxonomy, path)
    tagger = create_tagger(config["name"], **config.get("settings", {}))
    tagger._load_weights(path, taxonomy)
    tagger.labels_ = list(config["labels"])
    tagger.thresholds_ = np.asarray(config["thresholds"], dtype=float)
    tagger.taxonomy_id_ = config["taxonomy_id"]
    tagger.taxonomy_hash_ = config["taxonomy_hash"]
    return tagger
