"""``semantic.v1``: zero-shot tagging by embedding similarity between passages and item prototypes.

Each item gets several prototype texts: its full text, each of its sentences, the titles of its
ancestors (section and line, or SDG goal), and, where an item card exists, the card's label,
description and term lists. A passage's raw score for an item is a blend of its best and its mean
cosine over that item's prototypes. Raw cosines are not comparable between encoders, so each
encoder has a calibration (centre, scale) mapping them through a logistic to [0, 1], and an item
far below the passage's best item is pushed down (``gap_penalty``): a passage is usually about one
or two things, and the runner-up items of a generic passage are noise.

English text goes to ``encoder``; text guessed to be in another language goes to
``encoder_other`` (multilingual), whose prototypes are embedded separately.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.base import Tagger
from pipeline.classify.cards import ItemCard, load_cards
from pipeline.classify.text import guess_language
from pipeline.config import TagConfig, project_path
from pipeline.segment import split_sentences
from pipeline.taxonomy import Taxonomy

_DEFAULTS = TagConfig()


def item_prototypes(taxonomy: Taxonomy, cards: dict[str, ItemCard]) -> tuple[list[str], list[int]]:
    """Prototype texts and, for each, the index of its item in ``taxonomy.item_ids()``."""
    texts: list[str] = []
    owners: list[int] = []

    def add(j: int, text: str) -> None:
        text = " ".join(text.split())
        if text:
            texts.append(text[:2000])
            owners.append(j)

    for j, node in enumerate(taxonomy.items()):
        body = node.text or node.title
        add(j, body)
        sentences = split_sentences(body)
        if len(sentences) > 1:
            for start, end in sentences:
                add(j, body[start:end])
        parent = node.parent
        while parent is not None:
            anc = taxonomy.get(parent)
            add(j, anc.title)
            # a short description says what the group is about (SDG goals); long ones are preambles
            if anc.description and len(anc.description) < 200:
                add(j, f"{anc.title}: {anc.description}")
            parent = anc.parent
        card = cards.get(node.id)
        if card is not None:
            add(j, card.label)
            add(j, f"{card.label}: {card.description}" if card.label else card.description)
            if card.terms_en:
                add(j, ", ".join(card.terms_en))
            if card.terms_fr:
                add(j, ", ".join(card.terms_fr))
    return texts, owners


class SemanticTagger(Tagger):
    """Embedding similarity to item prototypes (see the module docstring)."""

    name = "semantic.v1"

    def __init__(self, encoder: str = _DEFAULTS.encoder, encoder_other: str = _DEFAULTS.encoder_other,
                 item_cards: str = _DEFAULTS.item_cards, max_weight: float = _DEFAULTS.semantic_max_weight,
                 gap_penalty: float = _DEFAULTS.semantic_gap_penalty,
                 calibration: dict[str, list[float]] | None = None,
                 threshold: float = _DEFAULTS.semantic_threshold, batch_size: int = 64,
                 backend: str = _DEFAULTS.encoder_backend) -> None:
        self.keep_settings(locals())
        self.calibration = calibration if calibration is not None else dict(_DEFAULTS.semantic_calibration)
        self.cache_dir: str | None = None

    # --- encoders ------------------------------------------------------------------------------
    def _encoder(self, name: str) -> Any:
        from pipeline.classify import encoders

        # one cache object per (encoder, workspace): its shards are read from disk once
        loaded = self.__dict__.setdefault("_loaded", {})
        key = (name, self.cache_dir)
        if key not in loaded:
            enc = encoders.get_encoder(name, self.backend)
            loaded[key] = (encoders.CachedEncoder(enc, encoders.EmbeddingCache(self.cache_dir, enc.id))
                           if self.cache_dir else enc)
        return loaded[key]

    def _encoder_names(self) -> list[str]:
        return [self.encoder] + ([self.encoder_other] if self.encoder_other and self.encoder_other != self.encoder else [])

    def _route(self, texts: list[str]) -> np.ndarray:
        """Index into ``_encoder_names()`` for each text: non-English text to the multilingual encoder."""
        if len(self._encoder_names()) == 1:
            return np.zeros(len(texts), dtype=int)
        return np.array([_foreign(t) for t in texts], dtype=int)

    # --- fit / predict -------------------------------------------------------------------------
    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "SemanticTagger":
        cards = load_cards(project_path(self.item_cards) if self.item_cards else None, taxonomy)
        protos, owners = item_prototypes(taxonomy, cards)
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_ = taxonomy.id
        self.taxonomy_hash_ = taxonomy.hash
        self.thresholds_ = np.full(len(self.labels_), self.threshold)
        self.prototypes_ = protos
        self.proto_item_ = np.asarray(owners, dtype=np.int64)
        self.proto_vectors_ = {}
        self._prototype_vectors(self.encoder)
        return self

    def _prototype_vectors(self, name: str) -> np.ndarray:
        """The prototypes embedded by encoder ``name``, on first need: the multilingual encoder
        is loaded only once a non-English passage arrives, and the shared cache holds them for
        every workspace after the first run."""
        if name not in self.proto_vectors_:
            from pipeline.classify.encoders import prototype_vectors

            self.proto_vectors_[name] = prototype_vectors(self._encoder(name), self.prototypes_, self.batch_size)
        return self.proto_vectors_[name]

    def _raw(self, vectors: np.ndarray, name: str) -> np.ndarray:
        """Blend of max and mean cosine over each item's prototypes, shape (n, n_items)."""
        sims = vectors @ self._prototype_vectors(name).T
        # prototypes are stored grouped by item, so per-item reductions are contiguous segments
        starts = np.flatnonzero(np.r_[True, np.diff(self.proto_item_) != 0])
        counts = np.diff(np.r_[starts, len(self.proto_item_)])
        best = np.maximum.reduceat(sims, starts, axis=1)
        mean = np.add.reduceat(sims, starts, axis=1) / counts
        raw = np.full((len(vectors), len(self.labels_)), -1.0, dtype=np.float32)
        raw[:, self.proto_item_[starts]] = self.max_weight * best + (1 - self.max_weight) * mean
        return raw

    def _calibrate(self, raw: np.ndarray, name: str) -> np.ndarray:
        centre, scale = self.calibration.get(name, (0.4, 0.05))
        adjusted = raw - self.gap_penalty * (raw.max(axis=1, keepdims=True) - raw)
        return 1.0 / (1.0 + np.exp(-(adjusted - centre) / scale))

    def embed(self, texts: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(route, {encoder name: the vectors of the texts routed to it, in text order})."""
        route = self._route(texts)
        vectors = {}
        for k, name in enumerate(self._encoder_names()):
            idx = np.flatnonzero(route == k)
            if len(idx):
                vectors[name] = self._encoder(name).encode([texts[i] for i in idx], self.batch_size)
        return route, vectors

    def scores_from(self, texts: list[str], route: np.ndarray, vectors: dict[str, np.ndarray]) -> np.ndarray:
        """The scores of ``texts`` from what :meth:`embed` returned for them."""
        scores = np.zeros((len(texts), len(self.labels_)))
        for k, name in enumerate(self._encoder_names()):
            idx = np.flatnonzero(route == k)
            if len(idx):
                scores[idx] = self._calibrate(self._raw(vectors[name], name), name)
        empty = np.array([not t.strip() for t in texts], dtype=bool)
        scores[empty] = 0.0
        return scores

    def predict_scores(self, texts: list[str]) -> np.ndarray:
        return self.scores_from(texts, *self.embed(texts))

    # --- evidence ------------------------------------------------------------------------------
    def evidence_batch(self, texts: list[str], item_lists: list[list[str]]) -> list[dict[str, dict[str, Any]]]:
        """Per text, for each requested item, the sentence closest to that item's prototypes."""
        spans = [split_sentences(t, guess_language(t)) or [(0, len(t))] for t in texts]
        need = [i for i, (s, items) in enumerate(zip(spans, item_lists)) if items and len(s) > 1]
        best: dict[tuple[int, str], tuple[int, int]] = {}
        route = self._route(texts)
        col = {item: j for j, item in enumerate(self.labels_)}
        for k, name in enumerate(self._encoder_names()):
            mine = [i for i in need if route[i] == k]
            if not mine:
                continue
            sentences = [texts[i][a:b] for i in mine for a, b in spans[i]]
            raw = self._raw(self._encoder(name).encode(sentences, self.batch_size), name)
            row = 0
            for i in mine:
                block = raw[row:row + len(spans[i])]
                row += len(spans[i])
                for item in item_lists[i]:
                    best[(i, item)] = spans[i][int(block[:, col[item]].argmax())]
        out = []
        for i, (text, items) in enumerate(zip(texts, item_lists)):
            ev = {}
            for item in items:
                start, end = best.get((i, item), spans[i][0])
                ev[item] = {"start": start, "end": end, "sentence": text[start:end], "terms": []}
            out.append(ev)
        return out

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        return self.evidence_batch([text], [item_ids])[0]

    # --- persistence ---------------------------------------------------------------------------
    def _save_weights(self, path: Path) -> None:
        for name in self._encoder_names():
            self._prototype_vectors(name)
        np.savez(path / "prototypes.npz", proto_item=self.proto_item_,
                 **{f"vectors__{name}": v for name, v in self.proto_vectors_.items()})
        (path / "prototypes.json").write_text(json.dumps(self.prototypes_, ensure_ascii=False, indent=0),
                                              encoding="utf-8")

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        if not (path / "prototypes.npz").exists():
            self.fit(taxonomy)
            return
        with np.load(path / "prototypes.npz", allow_pickle=False) as z:
            self.proto_item_ = z["proto_item"]
            self.proto_vectors_ = {k.split("__", 1)[1]: z[k] for k in z.files if k.startswith("vectors__")}
        self.prototypes_ = json.loads((path / "prototypes.json").read_text(encoding="utf-8"))
        self.labels_ = taxonomy.item_ids()


def _foreign(text: str) -> bool:
    """French, or a sentence-long text with no English function words at all."""
    lang = guess_language(text)
    return lang == "fr" or (lang == "other" and len(text.split()) >= 12)
