"""``adaptive.v1``: the zero-shot ensemble, corrected by the labelled passages nearest to a text.

Learning starts from the zero-shot tagger instead of from nothing: every labelled passage (a gold
row, or a desk officer's reviewed passage) is kept as an example with its embedding and its full
label set. A new text's score for an item blends the zero-shot score with the vote of its nearest
examples::

    vote_j  = sum_k w_k * y_kj / sum_k w_k          y_kj = 1 if example k has item j, else 0
    conf    = min(1, sum_k w_k / support)          w_k  = max(0, cos(text, example_k) - floor)
    score_j = (1 - alpha * conf) * zero_shot_j + alpha * conf * vote_j

so a passage close to examples moves towards their labels (an example without an item counts
against it: a rejection weighs as much as an acceptance), and a text far from every example keeps
the zero-shot behaviour, as do items no example is near. A labelled passage itself, and any text
within ``duplicate`` cosine of it (the same recommendation with a word changed), takes the labels a
person gave it outright: a correction always changes the next tag of that passage. The ensemble's
relative margin applies to the blended scores, and its sentence support to every score but those
near-duplicate labels. Items with enough labelled rows also get their own threshold, the one that
best separates those rows by the zero-shot scores (an item the zero-shot tagger over-tags gets a
higher one).

Items with at least ``stack_min_rows`` positive examples also learn how the labels relate to the
whole zero-shot score vector and to the passage's embedding (a logistic model per item over the
140 zero-shot margins and the embedding times ``stack_embedding``, its own margin's weight and an
intercept shared by all items, an L2 penalty of ``stack_l2`` on the rest): this is where a
labelling convention is learned, e.g. that UHRI's *equality and
non-discrimination* comes with every recommendation on minorities or on persons with disabilities.
Those items then score ``P(item)`` against ``stack_threshold`` (0.25 by default: with items this
rare, F1 is best well below a probability of one half). Examples are embedded with the encoder the ensemble routes the text to
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

    def __init__(self, ensemble: dict[str, Any] | None = None, k: int = 8, floor: float = 0.4,
                 support: float = 0.8, alpha: float = 0.2, duplicate: float = 0.95, min_rows: int = 3,
                 stack_min_rows: int = 3, stack_l2: float = 0.05, stack_embedding: float = 2.0,
                 stack_threshold: float = 0.25) -> None:
        self.keep_settings(locals())
        self.ensemble = dict(ensemble or {})

    def get_settings(self) -> dict[str, Any]:
        """The constructor arguments, with the fitted ensemble's own settings."""
        return {**super().get_settings(),
                "ensemble": self.base_.get_settings() if hasattr(self, "base_") else self.ensemble}

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
        zero = self.base_.apply_margin(raw, texts)
        if texts and self.min_rows:
            self.thresholds_ = self._item_thresholds(zero)
        positives = self.example_labels_.sum(axis=0)
        self.stack_items_ = (np.flatnonzero(positives >= self.stack_min_rows) if texts and self.stack_min_rows
                             else np.zeros(0, dtype=int))
        if len(self.stack_items_):
            dims = np.array([self.example_vectors_[n].shape[1] if n in self.example_vectors_ else 0
                             for n in self.base_.semantic_._encoder_names()])
            self.stack_ = fit_stack(zero - self.base_.thresholds_, self.stack_items_,
                                    self.example_labels_[:, self.stack_items_], self.stack_l2,
                                    self._stack_embedding(self.example_route_, self.example_vectors_, dims))
            self.stack_["dims"] = dims
            self.thresholds_[self.stack_items_] = self.stack_threshold
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
        raw, route, vectors = self._zero_shot(texts)
        if not len(self.example_texts_) or not len(texts):
            return self.base_.apply_support(self.base_.apply_margin(raw, texts), texts)
        zero = self.base_.apply_margin(raw, texts)
        scores = self.base_.apply_margin(self._blend(raw.copy(), route, vectors, duplicates=False), texts)
        if len(self.stack_items_):
            scores[:, self.stack_items_] = stack_probability(self.stack_, zero - self.base_.thresholds_,
                                                             self.stack_items_,
                                                             self._stack_embedding(route, vectors, self.stack_["dims"]))
        # the sentence support before the near-duplicates, whose labels a person gave
        return self._blend(self.base_.apply_support(scores, texts), route, vectors, duplicates=True)

    def describe(self) -> list[str]:
        stacked = [self.labels_[j] for j in self.stack_items_]
        moved = [f"{self.labels_[j]} ({self.base_.thresholds_[j]:.2f} -> {self.thresholds_[j]:.2f})"
                 for j in np.flatnonzero(~np.isclose(self.thresholds_, self.base_.thresholds_))
                 if j not in set(self.stack_items_.tolist())]
        return [f"{len(self.example_texts_)} labelled passages kept as examples: the {self.k} nearest move a text's "
                f"scores, and a text within cosine {self.duplicate} of one takes its labels.",
                f"Items with their own model over the zero-shot scores and the embedding ({self.stack_min_rows}+ "
                f"positive examples; tag from P >= {self.stack_threshold}): {', '.join(stacked) or 'none'}.",
                f"Items with their own threshold: {', '.join(moved) or 'none'}.",
                "Every other item keeps the zero-shot tagger's behaviour."]

    def _stack_embedding(self, route: np.ndarray, vectors: dict[str, np.ndarray], dims: np.ndarray) -> np.ndarray:
        """Each text's embedding in its encoder's block of one row ([English | multilingual]; zero
        in the other block; ``dims[k]`` columns for encoder k, 0 for one no example was routed to),
        times ``stack_embedding``."""
        start = np.concatenate([[0], np.cumsum(dims)])
        out = np.zeros((len(route), int(start[-1])), dtype=np.float64)
        for k, name in enumerate(self.base_.semantic_._encoder_names()):
            idx = np.flatnonzero(route == k)
            if len(idx) and dims[k]:
                out[idx, start[k]:start[k + 1]] = vectors[name]
        return out * self.stack_embedding

    def _blend(self, scores: np.ndarray, route: np.ndarray, vectors: dict[str, np.ndarray],
               duplicates: bool) -> np.ndarray:
        """``scores`` moved towards the votes of each text's nearest examples or, with
        ``duplicates``, replaced by the labels of the examples it nearly duplicates."""
        for k, name in enumerate(self.base_.semantic_._encoder_names()):
            idx = np.flatnonzero(route == k)
            mine = np.flatnonzero(self.example_route_ == k)
            if not len(idx) or not len(mine) or name not in self.example_vectors_:
                continue
            sims = vectors[name] @ self.example_vectors_[name].T                 # (n, examples of this route)
            if duplicates:
                dup = sims >= self.duplicate
                hit = np.flatnonzero(dup.any(axis=1))
                if len(hit):
                    d = dup[hit].astype(np.float32)
                    scores[idx[hit]] = (d @ self.example_labels_[mine]) / d.sum(axis=1, keepdims=True)
                continue
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
                 stack_items=self.stack_items_, **{f"stack__{k}": v for k, v in getattr(self, "stack_", {}).items()},
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
            self.stack_items_ = z["stack_items"] if "stack_items" in z.files else np.zeros(0, dtype=int)
            self.stack_ = {k.split("__", 1)[1]: z[k] for k in z.files if k.startswith("stack__")}
        self.example_texts_ = json.loads((path / "examples.json").read_text(encoding="utf-8"))


# --- the stacked per-item model ---------------------------------------------------------------
MARGIN_SCALE = 0.1   # an item's own margin is divided by this (a margin of 0.1 = one logit unit)
BIAS_L2 = 1.0        # L2 penalty on the per-item intercepts


def fit_stack(margins: np.ndarray, items: np.ndarray, y: np.ndarray, l2: float,
              extra: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Fit ``P(item j | passage) = sigmoid(a * m_j / MARGIN_SCALE + b + c_j + w_j . x)`` for the
    columns ``items`` of the zero-shot margins ``m`` (rows x all items), labels ``y`` (rows x
    items), ``x`` = the margins and the ``extra`` features (the embedding): ``a, b`` shared, ``c_j``
    and ``w_j`` per item with L2 penalties ``BIAS_L2`` and ``l2``. Joint maximum likelihood by
    L-BFGS (a few hundred rows and items: seconds)."""
    from scipy.optimize import minimize

    x = _features(margins, extra)
    own = x[:, items] / MARGIN_SCALE
    y = y.astype(np.float64)
    n_items, n_feat = len(items), x.shape[1]

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        a, b, c, w = p[0], p[1], p[2:2 + n_items], p[2 + n_items:].reshape(n_items, n_feat)
        z = a * own + b + c[None, :] + x @ w.T
        g = _sigmoid(z) - y
        value = np.sum(np.logaddexp(0.0, z) - y * z) + BIAS_L2 * np.sum(c ** 2) + l2 * np.sum(w ** 2)
        grad = np.concatenate([[np.sum(g * own), np.sum(g)], g.sum(axis=0) + 2 * BIAS_L2 * c,
                               (g.T @ x + 2 * l2 * w).ravel()])
        return float(value), grad

    start = np.zeros(2 + n_items * (1 + n_feat))
    start[0] = 1.0  # the zero-shot decision: P = 1/2 at the item's own threshold
    p = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 300}).x
    return {"shared": p[:2], "bias": p[2:2 + n_items], "coef": p[2 + n_items:].reshape(n_items, n_feat)}


def stack_probability(stack: dict[str, np.ndarray], margins: np.ndarray, items: np.ndarray,
                      extra: np.ndarray | None = None) -> np.ndarray:
    """``P(item)`` of the fitted stack for each row of ``margins`` (and ``extra``) and each of ``items``."""
    a, b = stack["shared"]
    z = (a * margins[:, items] / MARGIN_SCALE + b + stack["bias"][None, :]
         + _features(margins, extra) @ stack["coef"].T)
    return _sigmoid(z)


def _features(margins: np.ndarray, extra: np.ndarray | None) -> np.ndarray:
    x = margins.astype(np.float64)
    return x if extra is None else np.hstack([x, extra.astype(np.float64)])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # no overflow for large |z|
