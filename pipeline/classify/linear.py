"""``linear.v1``: a supervised tagger, one logistic regression per item over encoder embeddings
plus TF-IDF features.

Why this shape: with tens to a few thousand labelled passages, a linear model over a frozen
sentence encoder trains in seconds on a laptop CPU, and the TF-IDF half keeps the rare legal terms
("refoulement", "CEDAW") that a small encoder blurs. Rare items get balanced class weights; each
item's threshold is chosen by cross-validation so that an item with five examples is not held to
the same 0.5 as one with five hundred. Items without a positive example never fire.

Weights are saved with skops (never raw pickle) and loaded with an allow-list of types.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.base import Tagger
from pipeline.errors import ModelError
from pipeline.taxonomy import Taxonomy

WEIGHTS = "weights.skops"
# What a linear.v1 weights file may contain; anything else means it was not written by us.
_TRUSTED_PREFIXES = ("sklearn.feature_extraction.text.", "numpy.", "builtins.", "scipy.sparse.")
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


def get_encoder(name: str, cache_dir: str | None = None) -> Any:
    """The shared encoder, behind the workspace embedding cache when ``cache_dir`` is given; a seam
    that tests replace with a fake."""
    from pipeline.classify import encoders

    encoder = encoders.get_encoder(name)
    return encoders.CachedEncoder(encoder, encoders.EmbeddingCache(cache_dir, encoder.id)) if cache_dir else encoder


class LinearTagger(Tagger):
    """One-vs-rest logistic regression over ``[encoder(text) | tfidf(text)]``.

    Settings: ``encoder`` (an encoder name for ``encoders.get_encoder``, or ``"none"`` for TF-IDF
    only), ``tfidf_max_features`` (0 turns TF-IDF off), ``C`` (inverse regularisation),
    ``class_weight`` ("balanced" or "none"), ``cv_folds`` (folds for choosing thresholds),
    ``default_threshold`` (items with too few examples to cross-validate), ``random_state``.
    ``cache_dir`` is run-time context, not a setting: a workspace whose embedding cache to use.
    """

    name = "linear.v1"

    def __init__(self, encoder: str = "minilm", tfidf_max_features: int = 10000, C: float = 4.0,
                 class_weight: str = "balanced", cv_folds: int = 3, default_threshold: float = 0.5,
                 random_state: int = 0):
        self.keep_settings(locals())
        self.cache_dir: str | None = None

    # --- features ------------------------------------------------------------------------------
    def _uses_encoder(self) -> bool:
        return bool(self.encoder) and self.encoder != "none"

    def _features(self, texts: list[str]):
        from scipy import sparse

        parts = []
        if self._uses_encoder():
            emb = np.asarray(get_encoder(self.encoder, self.cache_dir).encode(list(texts)), dtype=np.float32)
            parts.append(sparse.csr_matrix(emb))
        if self.vectorizer_ is not None:
            parts.append(self.vectorizer_.transform(texts).astype(np.float32))
        if not parts:
            raise ModelError("linear.v1 has no features: set encoder to an encoder name or tfidf_max_features > 0.")
        return sparse.hstack(parts, format="csr")

    # --- training ------------------------------------------------------------------------------
    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "LinearTagger":
        if not texts or labels is None:
            raise ModelError(
                "linear.v1 is supervised: fit needs texts and labels, found none. Train it with "
                "`aptag train` on annotations (`aptag review import`) or weak labels (train.weak.paths)."
            )
        if len(texts) != len(labels):
            raise ModelError(f"linear.v1: {len(texts)} texts but {len(labels)} label lists; they must pair up.")
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_ = taxonomy.id
        self.taxonomy_hash_ = taxonomy.hash
        index = {item: j for j, item in enumerate(self.labels_)}
        unknown = sorted({x for row in labels for x in row if x not in index})
        if unknown:
            raise ModelError(
                f"linear.v1: labels {', '.join(unknown[:10])} are not items of taxonomy {taxonomy.id!r}. "
                "Fix the training data or pass the taxonomy it was labelled with."
            )
        y = np.zeros((len(texts), len(self.labels_)), dtype=np.int8)
        for i, row in enumerate(labels):
            y[i, [index[x] for x in row]] = 1

        self.vectorizer_ = None
        if self.tfidf_max_features > 0:
            from sklearn.feature_extraction.text import TfidfVectorizer

            # Word uni- and bigrams, sublinear counts: long reports should not drown short minutes.
            self.vectorizer_ = TfidfVectorizer(max_features=self.tfidf_max_features, ngram_range=(1, 2),
                                               sublinear_tf=True, min_df=1, strip_accents="unicode",
                                               dtype=np.float32)
            self.vectorizer_.fit(texts)
        X = self._features(texts)

        n_items = len(self.labels_)
        self.coef_ = np.zeros((n_items, X.shape[1]), dtype=np.float32)
        self.intercept_ = np.zeros(n_items, dtype=np.float32)
        self.thresholds_ = np.full(n_items, float(self.default_threshold))
        for j in range(n_items):
            pos = int(y[:, j].sum())
            if pos == 0 or pos == len(texts):
                # Nothing to separate: the item always (or never) fires, at a confident constant.
                self.intercept_[j] = 20.0 if pos else -20.0
                continue
            clf = self._classifier().fit(X, y[:, j])
            self.coef_[j] = clf.coef_[0]
            self.intercept_[j] = clf.intercept_[0]
            self.thresholds_[j] = self._cv_threshold(X, y[:, j])
        return self

    def _classifier(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.C, solver="liblinear", max_iter=1000, random_state=self.random_state,
                                  class_weight=None if self.class_weight == "none" else self.class_weight)

    def _cv_threshold(self, X, y: np.ndarray) -> float:
        """The threshold that maximises F1 on out-of-fold scores; the default with too few examples."""
        from sklearn.model_selection import StratifiedKFold

        pos = int(y.sum())
        folds = min(self.cv_folds, pos, len(y) - pos)
        if folds < 2:
            return float(self.default_threshold)
        oof = np.zeros(len(y))
        skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        for tr, te in skf.split(np.zeros(len(y)), y):
            if y[tr].min() == y[tr].max():
                return float(self.default_threshold)
            oof[te] = self._classifier().fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        return best_f1_threshold(oof, y, self.default_threshold)

    # --- inference -----------------------------------------------------------------------------
    def predict_scores(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels_)))
        X = self._features(texts)
        logits = np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_[None, :].astype(np.float64)
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -50, 50)))

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The sentence whose TF-IDF terms push the item's score up most, with those terms."""
        if self.vectorizer_ is None:
            return super().evidence(text, item_ids)
        vocab = self.vectorizer_.vocabulary_
        offset = self.coef_.shape[1] - len(vocab)  # embedding columns come first
        sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()] or [(0, len(text))]
        rows = self.vectorizer_.transform([text[a:b] for a, b in sentences])
        terms_by_col = {col: term for term, col in vocab.items()}
        out: dict[str, dict[str, Any]] = {}
        for item in item_ids:
            w = self.coef_[self.labels_.index(item), offset:]
            contrib = rows.multiply(w[None, :]).tocsr()
            best = int(np.argmax(np.asarray(contrib.sum(axis=1)).ravel()))
            row = contrib.getrow(best)
            top = sorted(((v, terms_by_col[c]) for c, v in zip(row.indices, row.data) if v > 0), reverse=True)[:5]
            start, end = sentences[best]
            out[item] = {"start": start, "end": end, "sentence": text[start:end].strip(),
                         "terms": [t for _, t in top]}
        return out

    # --- persistence ---------------------------------------------------------------------------
    def _save_weights(self, path: Path) -> None:
        import skops.io as sio

        sio.dump({"vectorizer": self.vectorizer_, "coef": self.coef_, "intercept": self.intercept_},
                 path / WEIGHTS, compression=8)

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        import skops.io as sio

        file = path / WEIGHTS
        if not file.exists():
            raise ModelError(f"{path} has no {WEIGHTS}; the linear.v1 model directory is incomplete. Retrain it.")
        untrusted = sio.get_untrusted_types(file=file)
        foreign = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
        if foreign:
            raise ModelError(f"{file} holds types a linear.v1 model never writes ({', '.join(foreign)}); refusing to load it.")
        from sklearn.feature_extraction.text import TfidfVectorizer

        state = sio.load(file, trusted=untrusted)
        if not isinstance(state, dict) or not isinstance(state.get("vectorizer"), (TfidfVectorizer, type(None))):
            raise ModelError(f"{file} is not a linear.v1 weights file (expected a TF-IDF vectoriser and "
                             "coefficients); refusing to load it. Retrain the model.")
        self.vectorizer_ = state["vectorizer"]
        self.coef_ = np.asarray(state["coef"], dtype=np.float32)
        self.intercept_ = np.asarray(state["intercept"], dtype=np.float32)


def best_f1_threshold(scores: np.ndarray, y: np.ndarray, default: float = 0.5) -> float:
    """The cut between sorted scores that maximises F1 (midpoint, so a reload rounds the same way)."""
    order = np.argsort(-scores)
    s, t = scores[order], y[order].astype(float)
    tp = np.cumsum(t)
    k = np.arange(1, len(s) + 1)
    f1 = 2 * tp / (k + t.sum())
    if t.sum() == 0:
        return float(default)
    best = int(np.argmax(f1))
    nxt = s[best + 1] if best + 1 < len(s) else 0.0
    return float(np.clip((s[best] + nxt) / 2, 0.05, 0.95))
