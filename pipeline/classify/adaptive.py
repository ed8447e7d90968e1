"""``adaptive.v1``: the zero-shot ensemble, corrected by the labelled passages nearest to a text.

Learning starts from the zero-shot tagger instead of from nothing: every labelled passage (a gold
row, or a desk officer's reviewed passage) is kept as an example with its embedding and its full
label set. A new text's score for an item blends the zero-shot score with the vote of its nearest
examples::

    vote_j  = sum_k w_k * y_kj / sum_k w_k          y_kj = 1 if example k has item j, else 0
    conf    = min(1, sum_k w_k / support)          w_k  = max(0, cos(text, example_k) - floor)
    score_j = (1 - alpha * conf) * zero_shot_j + alpha * conf * vote_j

so a passage close to examples takes their labels (an example without an item counts against it:
a rejection weighs as much as an acceptance), and a text far from every example keeps the
zero-shot behaviour, as do items no example is near. The ensemble's relative margin applies to
the blended scores. Items with enough labelled rows also get their own threshold, the one that
best separates those rows by the zero-shot scores (an item the zero-shot tagger over-tags gets a
higher one). Examples are embedded with the encoder the ensemble routes the text to
(English or multilingual), so French examples help French passages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.base import PassesCacheDir, Tagger
from pipeline.classify.ensemble import EnsembleTagger
from pipeline.taxonomy import Taxonomy


class AdaptiveTagger(PassesCacheDir, Tagger):
    """Zero-shot ensemble + nearest labelled examples (see the module docstring)."""

    name = "adaptive.v1"
    cache_child = "base_"

    def __init__(self, ensemble: dict[str, Any] | None = None, k: int = 8, floor: float = 0.6,
                 support: float = 0.4, alpha: float = 0.9, min_rows: int = 3) -> None:
        self.ensemble = dict(ensemble or {})
        self.min_rows = min_rows
        self.k = k
        self.floor = floor
        self.support = support
        self.alpha = alpha

    def get_settings(self) -> dict[str, Any]:
        return {"ensemble": self.base_.get_settings() if hasattr(self, "base_") else self.ensemble,
                "k": self.k, "floor": self.floor, "support": self.support, "alpha": self.alpha,
                "min_rows": self.min_rows}

    def _base(self, taxonomy: Taxonomy) -> EnsembleTagger:
        if not self.ensemble:
            from pipeline.config import load_config
            from pipeline.tag import tagger_settings

            self.ensemble = tagger_settings("ensemble.v1", load_config().tag)
        base = EnsembleTagger(**self.ensemble)
        base.cache_dir = self.cache_dir
        return base.fit(taxonomy)

    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "AdaptiveTagger":
        self.base_ = self._base(taxonomy)
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_ = taxonomy.id
        self.taxonomy_hash_ = taxonomy.hash
        self.thresholds_ = self.base_.thresholds_.copy()
        texts, labels = list(texts or []), list(labels or [])
        col = {item: j for j, item in enumerate(self.labels_)}
        self.example_labels_ = np.zeros((len(texts), len(self.labels_)), dtype=np.float32)
        for r, items in enumerate(labels):
            self.example_labels_[r, [col[i] for i in items if i in col]] = 1.0
        self.example_texts_ = texts
        raw, self.example_route_, self.example_vectors_ = self._zero_shot(texts)
        if texts and self.min_rows:
            self.thresholds_ = self._item_thresholds(self.base_.apply_margin(raw, texts))
        return self

    def _item_thresholds(self, scores: np.ndarray) -> np.ndarray:
        """Per item, the threshold that best separates the labelled rows by their zero-shot
        ``scores``, for items with at least ``min_rows`` rows that have them or are tagged with
        them; the others keep the ensemble's threshold."""
        y = self.example_labels_ > 0
        out = self.base_.thresholds_.copy()
        grid = np.arange(-0.15, 0.31, 0.05)
        for j in range(len(self.labels_)):
            pred0 = scores[:, j] >= out[j]
            if (y[:, j] | pred0).sum() < self.min_rows:
                continue
            best, best_f1 = out[j], -1.0
            for off in grid:  # ties go to the offset nearest 0
                p = scores[:, j] >= out[j] + off
                tp, fp, fn = (p & y[:, j]).sum(), (p & ~y[:, j]).sum(), (~p & y[:, j]).sum()
                f1 = 2 * tp / max(1, 2 * tp + fp + fn)
                if f1 > best_f1 + 1e-9 or (abs(f1 - best_f1) < 1e-9 and abs(off) < abs(best - out[j])):
                    best, best_f1 = out[j] + off, f1
            out[j] = best
        return out

    def _zero_shot(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The ensemble's scores before its margin, with the embeddings they came from (route and
        vectors per encoder, see SemanticTagger.embed): each text is encoded once."""
        sem = self.base_.semantic_
        route, vectors = sem.embed(texts)
        raw = self.base_.combine(sem.scores_from(texts, route, vectors), self.base_.lexical_.predict_scores(texts))
        return raw, route, vectors

    def predict_scores(self, texts: list[str]) -> np.ndarray:
        scores, route, vectors = self._zero_shot(texts)
        if len(self.example_texts_) and len(texts):
            scores = self._blend(scores, route, vectors)
        return self.base_.apply_margin(scores, texts)

    def _blend(self, scores: np.ndarray, route: np.ndarray, vectors: dict[str, np.ndarray]) -> np.ndarray:
        for k, name in enumerate(self.base_.semantic_._encoder_names()):
            idx = np.flatnonzero(route == k)
            mine = np.flatnonzero(self.example_route_ == k)
            if not len(idx) or not len(mine) or name not in self.example_vectors_:
                continue
            sims = vectors[name] @ self.example_vectors_[name].T                 # (n, examples of this route)
            kk = min(self.k, sims.shape[1])
            near = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
            w = np.maximum(0.0, np.take_along_axis(sims, near, axis=1) - self.floor)  # (n, kk)
            mass = w.sum(axis=1, keepdims=True)
            votes = np.einsum("nk,nkj->nj", w, self.example_labels_[mine][near]) / np.maximum(mass, 1e-9)
            conf = self.alpha * np.minimum(1.0, mass / self.support)
            scores[idx] = (1 - conf) * scores[idx] + conf * votes
        return scores

    def evidence_batch(self, texts: list[str], item_lists: list[list[str]]) -> list[dict[str, dict[str, Any]]]:
        return self.base_.evidence_batch(texts, item_lists)

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        return self.base_.evidence(text, item_ids)

    def _save_weights(self, path: Path) -> None:
        (path / "ensemble").mkdir(exist_ok=True)
        self.base_._save_weights(path / "ensemble")
        np.savez(path / "examples.npz", labels=self.example_labels_, route=self.example_route_,
                 **{f"vectors__{k}": v for k, v in self.example_vectors_.items()})
        (path / "examples.json").write_text(json.dumps(self.example_texts_, ensure_ascii=False), encoding="utf-8")

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        self.base_ = EnsembleTagger(**self.ensemble)
        self.base_.cache_dir = self.cache_dir
        self.base_._load_weights(path / "ensemble", taxonomy)
        with np.load(path / "examples.npz", allow_pickle=False) as z:
            self.example_labels_ = z["labels"]
            self.example_route_ = z["route"]
            self.example_vectors_ = {k.split("__", 1)[1]: z[k] for k in z.files if k.startswith("vectors__")}
        self.example_texts_ = json.loads((path / "examples.json").read_text(encoding="utf-8"))
