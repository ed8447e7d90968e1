"""The engine-neutral core of batch tagging: ``tag_frame(passages, model) -> predictions``.

In-process, process-pool and Spark tagging all call :func:`tag_frames`, which runs
``pipeline.tag.tag_batch`` (the code behind ``aptag tag``) over batches of passages, so every
path stores the same rows. A model travels to worker processes as a :class:`ModelRef`: a small
picklable pointer to a saved model directory (``Tagger.save`` layout, plus the taxonomy it was
fitted on) and the model ID it must reproduce. Saving once on the driver means workers need
neither the item cards nor the configs, only the Python environment, and they skip re-embedding
the item prototypes. Each worker process loads a model once and keeps it (module-level cache).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.classify.base import Tagger, load_tagger
from pipeline.config import TagConfig
from pipeline.errors import ModelError
from pipeline.tag import TaggerSpec, tag_batch
from pipeline.taxonomy import Taxonomy, dump_yaml, load_taxonomy

PREDICTION_COLUMNS = ["passage_id", "item_id", "score", "accepted", "evidence", "model_id"]
SEEN_COLUMNS = ["passage_id", "model_id", "flags"]
PASSAGE_COLUMNS = ["passage_id", "text", "language"]
TAXONOMY_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class ModelRef:
    """What a worker needs to tag: the saved model, the ID it stands for, and the tag settings
    that shape the stored rows (they are not part of the model, so they travel beside it)."""

    model_id: str
    path: str
    review_floor: float = 0.2
    max_candidates: int = 5
    batch_size: int = 256
    threads: int = 0  # BLAS/torch threads per worker process; 0 leaves the libraries' defaults
    cache_dir: str = ""  # a workspace whose embedding cache the worker may use ("" for none)


_LOADED: dict[ModelRef, Tagger] = {}


def model_dir_name(model_id: str) -> str:
    """A directory name for ``model_id`` (which may hold ':' or '/')."""
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in model_id)
    return f"{safe[:80]}-{hashlib.sha256(model_id.encode()).hexdigest()[:8]}"


def save_model(tagger: Tagger, taxonomy: Taxonomy, model_id: str, root: str | os.PathLike) -> Path:
    """Save ``tagger`` (fitted) with its taxonomy under ``root``, once per model ID.

    The model ID is a content hash, so a directory already saved for it is kept. The directory
    is written under a temporary name and renamed, so a killed run never leaves half a model."""
    final = Path(root) / model_dir_name(model_id)
    tmp = final.with_name(f"{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tagger.save(tmp, card=f"# {model_id}\n\nSaved by aptag for batch tagging in worker processes.\n")
    (tmp / TAXONOMY_FILE).write_text(dump_yaml(taxonomy), encoding="utf-8")
    (tmp / "model_id").write_text(model_id, encoding="utf-8")
    try:
        tmp.rename(final)
    except OSError:  # saved before (or by another process at the same time)
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def prepare_model(spec: TaggerSpec, taxonomy: Taxonomy, cfg: TagConfig, root: str | os.PathLike, *,
                  threads: int = 0, batch_size: int | None = None, cache_dir: str = "") -> ModelRef:
    """A :class:`ModelRef` for ``spec``: the model is loaded and saved under ``root`` unless a
    directory for its ID is there already (then nothing heavy loads here)."""
    path = Path(root) / model_dir_name(spec.model_id)
    if not (path / "config.json").exists():
        path = save_model(spec.load(cache_dir or None), taxonomy, spec.model_id, root)
    return ModelRef(spec.model_id, str(path), cfg.review_floor, cfg.max_candidates, batch_size or cfg.batch_size,
                    threads, cache_dir)


def load_model(ref: ModelRef) -> Tagger:
    """The tagger of ``ref``, loaded once per process."""
    tagger = _LOADED.get(ref)
    if tagger is None:
        path = Path(ref.path)
        if not (path / "config.json").exists():
            raise ModelError(f"No saved model at {path} on this machine (expected {path / 'config.json'}). "
                             "Workers read the model the driver saved; check that it was shipped to them.")
        saved_id = (path / "model_id").read_text(encoding="utf-8").strip() if (path / "model_id").exists() else None
        if saved_id != ref.model_id:
            raise ModelError(f"The model at {path} is {saved_id!r}, but the job expects {ref.model_id!r}. "
                             "Delete the stale directory and run again.")
        tagger = load_tagger(path, load_taxonomy(path / TAXONOMY_FILE))
        if ref.cache_dir and hasattr(tagger, "cache_dir"):
            tagger.cache_dir = ref.cache_dir
        if ref.threads:
            limit_threads(ref.threads)
        _LOADED.clear()  # one model per worker: a new job's model replaces the last one
        _LOADED[ref] = tagger
    return tagger


def limit_threads(n: int) -> None:
    """At most ``n`` BLAS and torch threads in this process, so N workers share the cores."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(n)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def _passages(passages: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("passage_id", "text") if c not in passages.columns]
    if missing:
        raise ModelError(f"Passages to tag need columns passage_id and text; missing {', '.join(missing)} "
                         f"(found {', '.join(map(str, passages.columns))}).")
    out = passages[[c for c in PASSAGE_COLUMNS if c in passages.columns]]
    return out if "language" in out.columns else out.assign(language=None)


def tag_frames(passages: pd.DataFrame, model: ModelRef | Tagger, model_id: str | None = None, *,
               review_floor: float = 0.2, max_candidates: int = 5,
               batch_size: int = 256) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(predictions, seen) for ``passages`` (passage_id, text, optional language).

    ``model`` is a :class:`ModelRef` (loaded once per process; the ref's settings apply) or a
    loaded tagger with its ``model_id``. ``seen`` has one row per passage (passage_id, model_id,
    flags): a passage with no candidate still counts as tagged."""
    if isinstance(model, ModelRef):
        tagger, model_id = load_model(model), model.model_id
        review_floor, max_candidates, batch_size = model.review_floor, model.max_candidates, model.batch_size
    elif model_id is None:
        raise ModelError("tag_frames needs the model_id of a loaded tagger.")
    else:
        tagger = model
    frame = _passages(passages)
    predictions, seen = [empty_predictions()], [pd.DataFrame({c: pd.Series(dtype=object) for c in SEEN_COLUMNS})]
    for start in range(0, len(frame), batch_size):
        preds, tagged = tag_batch(tagger, model_id, frame.iloc[start:start + batch_size], review_floor, max_candidates)
        predictions.append(preds[PREDICTION_COLUMNS])
        seen.append(tagged[SEEN_COLUMNS])
    return pd.concat(predictions, ignore_index=True), pd.concat(seen, ignore_index=True)


def tag_frame(passages: pd.DataFrame, model: ModelRef | Tagger, model_id: str | None = None,
              **settings: Any) -> pd.DataFrame:
    """Predictions (passage_id, item_id, score, accepted, evidence, model_id) for ``passages``."""
    return tag_frames(passages, model, model_id, **settings)[0]


def empty_predictions() -> pd.DataFrame:
    return pd.DataFrame({"passage_id": pd.Series(dtype=object), "item_id": pd.Series(dtype=object),
                         "score": pd.Series(dtype=float), "accepted": pd.Series(dtype=bool),
                         "evidence": pd.Series(dtype=object), "model_id": pd.Series(dtype=object)})


def bucket_of(passage_ids: pd.Series, buckets: int) -> pd.Series:
    """A stable bucket in [0, buckets) per passage ID (a hash, so buckets fill evenly and the
    same passage always lands in the same output partition)."""
    return passage_ids.map(lambda pid: int(hashlib.sha256(str(pid).encode("utf-8")).hexdigest()[:8], 16) % buckets
                           ).astype("int32")
