"""The tag stage: score every passage of the workspace that the current model has not seen yet.

A model is identified by ``model_id`` = tagger name + a hash of its settings, item cards,
thresholds and taxonomy, so changing any of them makes a new model that tags everything again,
while re-running an unchanged configuration finds nothing to do (without loading an encoder).
Passages are tagged in batches; each batch's predictions and ``tagged`` rows are written in one
transaction, so an interrupted run resumes where it stopped.

Per passage the top ``max_candidates`` items scoring at least ``review_floor`` are stored, with
``accepted`` set when the score reaches the item's threshold (every accepted item is stored, even
beyond ``max_candidates``). Evidence (sentence span and matched terms) is stored for every
candidate of a passage that has at least one accepted tag; candidates of passages with no tag get
only lexical evidence, or none, since computing sentence embeddings for them would cost more than
the review queue gains.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from pipeline.classify.base import Tagger, check_labels, create_tagger, load_tagger, tagger_class
from pipeline.classify.cards import cards_hash, load_cards
from pipeline.config import TagConfig, project_path
from pipeline.errors import ModelError
from pipeline.store import Workspace
from pipeline.taxonomy import Taxonomy

SUPPORTED_LANGUAGES = {"en", "fr"}
_UNKNOWN_LANGUAGE = {"", "unknown", "und", None}


@dataclass
class TaggerSpec:
    """A model's identity, known before anything heavy loads, and how to load it."""

    model_id: str
    load: Callable[..., Tagger]  # optional argument: the embedding cache directory (the workspace)
    description: str


@dataclass
class TagSummary:
    model_id: str
    tagged: int = 0
    skipped: int = 0
    tags: int = 0
    candidates: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.tagged / self.seconds if self.seconds > 0 else 0.0


def tagger_settings(name: str, cfg: TagConfig) -> dict[str, Any]:
    """Constructor settings of tagger ``name`` from the ``tag:`` section of the config."""
    semantic = {"encoder": cfg.encoder, "encoder_other": cfg.encoder_other, "item_cards": cfg.item_cards,
                "max_weight": cfg.semantic_max_weight, "gap_penalty": cfg.semantic_gap_penalty,
                "calibration": cfg.semantic_calibration, "threshold": cfg.semantic_threshold,
                "backend": cfg.encoder_backend}
    lexical = {"item_cards": cfg.item_cards, "saturation": cfg.lexical_saturation, "threshold": cfg.lexical_threshold}
    if name == "semantic.v1":
        return semantic
    if name == "lexical.v1":
        return lexical
    if name == "ensemble.v1":
        shifted = {enc: [centre + cfg.ensemble_calibration_shift, scale]
                   for enc, (centre, scale) in cfg.semantic_calibration.items()}
        return {"semantic": {**semantic, "gap_penalty": cfg.ensemble_gap_penalty, "calibration": shifted},
                "lexical": {**lexical, "saturation": cfg.ensemble_lexical_saturation},
                "semantic_weight": cfg.semantic_weight, "lexical_weight": cfg.lexical_weight,
                "threshold": cfg.threshold, "item_thresholds": cfg.item_thresholds,
                "relative_margin": cfg.relative_margin, "relative_margin_single": cfg.relative_margin_single,
                "sentence_support": cfg.sentence_support}
    return {}


def _digest(*parts: Any) -> str:
    canon = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:12]


def tagger_spec(model: str | None, cfg: TagConfig, taxonomy: Taxonomy) -> TaggerSpec:
    """The model to tag with: a registered tagger name (configured from ``cfg``) or a model directory."""
    model = model or cfg.model
    path = Path(model)
    if (path / "config.json").exists():
        config_text = (path / "config.json").read_text(encoding="utf-8")
        try:
            config = json.loads(config_text)
        except json.JSONDecodeError as exc:
            raise ModelError(f"{path / 'config.json'} is not valid JSON ({exc}); the model directory is corrupt.") from exc
        check_labels(config, taxonomy, path)
        weights = sorted(p for p in path.rglob("*") if p.is_file() and p.name != "README.md")
        stamp = [(str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns) for p in weights]
        model_id = f"{config.get('name', 'model')}:{path.name}-{_digest(config_text, stamp, taxonomy.hash)}"
        return TaggerSpec(model_id, lambda cache_dir=None: _with_cache(load_tagger(path, taxonomy), cache_dir),
                          f"model directory {path}")
    tagger_class(model)  # unknown names fail here, before any work
    settings = tagger_settings(model, cfg)
    cards = load_cards(project_path(cfg.item_cards) if cfg.item_cards else None, taxonomy)
    model_id = f"{model}-{_digest(settings, cards_hash(cards), taxonomy.hash)}"
    return TaggerSpec(model_id, lambda cache_dir=None: _with_cache(create_tagger(model, **settings), cache_dir).fit(taxonomy),
                      f"tagger {model}")


def _with_cache(tagger: Tagger, cache_dir: str | None) -> Tagger:
    """Point a tagger that embeds text at the workspace's embedding cache (prototypes included)."""
    if cache_dir and hasattr(tagger, "cache_dir"):
        tagger.cache_dir = cache_dir
    return tagger


def untagged(ws: Workspace, model_id: str) -> pd.DataFrame:
    return ws.con.execute(
        "SELECT p.passage_id, p.text, p.language FROM passages p "
        "WHERE NOT EXISTS (SELECT 1 FROM tagged t WHERE t.passage_id = p.passage_id AND t.model_id = ?) "
        "ORDER BY p.doc_id, p.seq", [model_id]).df()


def _flags(texts: list[str], languages: list[Any]) -> list[str | None]:
    flags: list[str | None] = []
    for text, lang in zip(texts, languages):
        if not text.strip():
            flags.append("empty")
        elif lang not in _UNKNOWN_LANGUAGE and lang == lang and lang not in SUPPORTED_LANGUAGES:
            flags.append(f"language:{lang}")
        else:
            flags.append(None)
    return flags


def select_candidates(scores: np.ndarray, thresholds: np.ndarray, review_floor: float,
                      max_candidates: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, accepted) of the predictions to store: every accepted item, plus the best
    others down to ``review_floor`` up to ``max_candidates`` per row."""
    accepted = scores >= thresholds[None, :]
    k = min(max_candidates, scores.shape[1])
    top = np.zeros_like(accepted)
    if k > 0:
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        np.put_along_axis(top, best, True, axis=1)
    keep = accepted | (top & (scores >= review_floor))
    rows, cols = np.nonzero(keep)
    return rows, cols, accepted[rows, cols]


def add_attribution(text: str, evidence: dict[str, dict]) -> None:
    """Who said each evidence sentence: its ``actor`` and ``act`` (pipeline/actors.py), read in the
    passage so that "It urged ..." takes the actor of the sentence before."""
    from pipeline.actors import attribute_text

    if not evidence:
        return
    sentences = attribute_text(text)
    for ev in evidence.values():
        start = ev.get("start", 0)
        found = next((a for a in sentences if a.start <= start < a.end), None)
        if found is None:
            continue
        ev["actor"], ev["act"] = found.actor, found.act
        if found.actor2:
            ev["actor2"], ev["act2"] = found.actor2, found.act2


def _evidence(tagger: Tagger, texts: list[str], item_lists: list[list[str]]) -> list[dict[str, dict]]:
    if hasattr(tagger, "evidence_batch"):
        return tagger.evidence_batch(texts, item_lists)
    return [tagger.evidence(t, items) if items else {} for t, items in zip(texts, item_lists)]


def tag_batch(tagger: Tagger, model_id: str, batch: pd.DataFrame, review_floor: float,
              max_candidates: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(predictions, tagged) rows for one batch of passages."""
    texts = batch["text"].fillna("").tolist()
    flags = _flags(texts, batch["language"].tolist())
    scores = np.zeros((len(texts), len(tagger.labels_)))
    live = np.array([f != "empty" for f in flags], dtype=bool)
    if live.any():
        scores[live] = tagger.predict_scores([t for t, ok in zip(texts, live) if ok])
    rows, cols, accepted = select_candidates(scores, tagger.thresholds_, review_floor, max_candidates)
    labels = np.asarray(tagger.labels_, dtype=object)
    # full evidence only for passages with a tag; the others get what comes cheap (lexical terms)
    has_tag = np.zeros(len(texts), dtype=bool)
    has_tag[rows[accepted]] = True
    wanted: list[list[str]] = [[] for _ in texts]
    for r, c in zip(rows.tolist(), cols.tolist()):
        wanted[r].append(labels[c])
    full = [i for i in range(len(texts)) if has_tag[i]]
    evidence: list[dict[str, dict]] = [{} for _ in texts]
    for i, ev in zip(full, _evidence(tagger, [texts[i] for i in full], [wanted[i] for i in full])):
        evidence[i] = ev
    lexical = getattr(tagger, "lexical_", tagger if tagger.name == "lexical.v1" else None)
    rest = [i for i in range(len(texts)) if not has_tag[i] and wanted[i]]
    if lexical is not None and rest:
        for i, ev in zip(rest, lexical.evidence_batch([texts[i] for i in rest], [wanted[i] for i in rest])):
            evidence[i] = ev
    for i in full:
        add_attribution(texts[i], evidence[i])
    ids = batch["passage_id"].to_numpy()
    predictions = pd.DataFrame({
        "passage_id": ids[rows],
        "item_id": labels[cols],
        "score": scores[rows, cols].astype(float),
        "model_id": model_id,
        "accepted": accepted,
        "evidence": [json.dumps(evidence[r][labels[c]], ensure_ascii=False) if labels[c] in evidence[r] else None
                     for r, c in zip(rows.tolist(), cols.tolist())],
    })
    tagged = pd.DataFrame({"passage_id": ids, "model_id": model_id,
                           "tagged_at": pd.Timestamp.now(tz="UTC").tz_localize(None), "flags": flags})
    return predictions, tagged


def store_batch(ws: Workspace, summary: TagSummary, predictions: pd.DataFrame, tagged: pd.DataFrame) -> None:
    """Write one batch's predictions and ``tagged`` rows in one transaction, and count them."""
    with ws.transaction():
        ws.insert_df("predictions", predictions, replace=True)
        ws.insert_df("tagged", tagged, replace=True)
    summary.tagged += len(tagged)
    summary.candidates += len(predictions)
    summary.tags += int(predictions["accepted"].sum())
    for flag in tagged["flags"].dropna():
        summary.flagged[flag] = summary.flagged.get(flag, 0) + 1


def tag_workspace(ws: Workspace, spec: TaggerSpec, *, batch_size: int = 256, review_floor: float = 0.2,
                  max_candidates: int = 5, on_batch: Callable[[int, int], None] | None = None) -> TagSummary:
    """Tag the passages of ``ws`` that model ``spec`` has not tagged yet; return what was done."""
    started = time.perf_counter()
    summary = TagSummary(spec.model_id)
    # shortest first: a batch of texts of like length pads least in the encoder (stable: ties keep
    # document order)
    todo = untagged(ws, spec.model_id)
    todo = todo.iloc[np.argsort(todo["text"].str.len().to_numpy(), kind="stable")]
    total = ws.con.execute("SELECT count(*) FROM passages").fetchone()[0]
    summary.skipped = int(total - len(todo))
    if len(todo):
        tagger = spec.load(str(ws.path))
        if on_batch:
            on_batch(0, len(todo))
        for start in range(0, len(todo), batch_size):
            batch = todo.iloc[start:start + batch_size]
            predictions, tagged = tag_batch(tagger, spec.model_id, batch, review_floor, max_candidates)
            store_batch(ws, summary, predictions, tagged)
            if on_batch:
                on_batch(summary.tagged, len(todo))
    ws.set_setting("current_model", spec.model_id)
    summary.seconds = time.perf_counter() - started
    return summary
