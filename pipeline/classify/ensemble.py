"""``ensemble.v1``: the weighted sum of ``semantic.v1`` and ``lexical.v1`` scores, with per-item
thresholds and a relative margin.

The semantic half generalises to paraphrases and French; the lexical half is precise where a card
term or acronym appears, and its matched terms make the evidence readable. Evidence for a tag is
the lexical sentence and terms when the item's terms matched, else the semantic best sentence.
Tags are items; the section and line of a tagged item are implied through the taxonomy.

A passage is about one or two things; the items it only brushes score well below its best item.
So an item is a tag only when its score reaches ``relative_margin`` times the passage's best score
(``relative_margin_single`` for a text of one sentence, such as a recommendation that asks for
several things at once). The margin is folded into the score: an item below it scores
``min(s, t + s - m * best)``, under its threshold ``t``, so that ``score >= threshold`` stays the
decision everywhere, the scores of items within the margin are unchanged, and items below it remain
review candidates with a score just under their threshold.

A passage of several sentences is about an item when one of its sentences is about it. So in a
passage that has two or more tags, a tag other than the passage's best item must also lead in one of
its sentences: scored sentence by sentence with the same two halves, the item needs
``sentence_support`` times that sentence's best score in at least one of them, else it is folded
under its threshold as above (``min(s, t + share - sentence_support)``, where ``share`` is the item's
best share of a sentence's top score). A topic named in passing, in a sentence that is about
something else, no longer carries a tag of its own. Only passages with two tags or more are split
and scored again, and the sentence embeddings go through the same embedding cache that the
evidence step reads.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.base import PassesCacheDir, Tagger
from pipeline.classify.lexical import LexicalTagger
from pipeline.classify.semantic import SemanticTagger
from pipeline.classify.text import guess_language
from pipeline.config import TagConfig
from pipeline.segment import split_sentences
from pipeline.taxonomy import Taxonomy

_DEFAULTS = TagConfig()
# a sentence boundary: end punctuation, space, then a capital (after an opening quote or bracket)
_BOUNDARY = re.compile(r"[.!?;:]\s+[\"'«(\[]?\s?[A-ZÀ-ÖØ-Þ]")


# a paragraph number or list marker opening a text ("96.44. Continue ...", "3) Release ...")
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[ivxlcIVXLC]{1,5}|[a-z])[.)]\s+")


def single_sentence(text: str) -> bool:
    """A text with no sentence boundary inside it, a leading paragraph number aside (cheap: no
    sentencizer)."""
    return _BOUNDARY.search(_ENUMERATOR.sub("", text.strip(), count=1)) is None


class EnsembleTagger(PassesCacheDir, Tagger):
    """Weighted semantic + lexical scores (see the module docstring)."""

    name = "ensemble.v1"
    cache_child = "semantic_"

    def __init__(self, semantic: dict[str, Any] | None = None, lexical: dict[str, Any] | None = None,
                 semantic_weight: float = _DEFAULTS.semantic_weight, lexical_weight: float = _DEFAULTS.lexical_weight,
                 threshold: float = _DEFAULTS.threshold,
                 item_thresholds: dict[str, float] | None = None,
                 relative_margin: float = 0.0, relative_margin_single: float = 0.0,
                 sentence_support: float = 0.0) -> None:
        self.keep_settings(locals())
        self.semantic, self.lexical = dict(semantic or {}), dict(lexical or {})
        self.item_thresholds = dict(item_thresholds or {})

    def get_settings(self) -> dict[str, Any]:
        """The constructor arguments, with the fitted halves' own settings."""
        return {**super().get_settings(),
                "semantic": self.semantic_.get_settings() if hasattr(self, "semantic_") else self.semantic,
                "lexical": self.lexical_.get_settings() if hasattr(self, "lexical_") else self.lexical}

    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "EnsembleTagger":
        if not hasattr(self, "semantic_"):
            self.semantic_ = SemanticTagger(**self.semantic)
            self.lexical_ = LexicalTagger(**self.lexical)
        self.semantic_.cache_dir = self.cache_dir
        self.semantic_.fit(taxonomy)
        self.lexical_.fit(taxonomy)
        self._finish(taxonomy)
        return self

    def _finish(self, taxonomy: Taxonomy) -> None:
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_ = taxonomy.id
        self.taxonomy_hash_ = taxonomy.hash
        unknown = sorted(set(self.item_thresholds) - set(self.labels_))
        if unknown:
            from pipeline.errors import ConfigError

            raise ConfigError(f"tag.item_thresholds names items that taxonomy {taxonomy.id!r} does not have: "
                              f"{', '.join(unknown)}. Remove them or fix the IDs.")
        self.thresholds_ = np.array([self.item_thresholds.get(i, self.threshold) for i in self.labels_])

    def combine(self, semantic: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """The weighted mean of the two halves' scores, before the relative margin."""
        return (self.semantic_weight * semantic + self.lexical_weight * lexical) / (self.semantic_weight
                                                                                   + self.lexical_weight)

    def predict_scores(self, texts: list[str]) -> np.ndarray:
        scores = self.combine(self.semantic_.predict_scores(texts), self.lexical_.predict_scores(texts))
        return self.apply_support(self.apply_margin(scores, texts), texts)

    def apply_margin(self, scores: np.ndarray, texts: list[str]) -> np.ndarray:
        """Scores with the relative margin folded in (see the module docstring)."""
        if not (self.relative_margin or self.relative_margin_single) or not len(texts):
            return scores
        margin = np.array([self.relative_margin_single if single_sentence(t) else self.relative_margin
                           for t in texts])[:, None]
        below = scores - margin * scores.max(axis=1, keepdims=True)
        capped = np.clip(np.minimum(scores, self.thresholds_[None, :] + below), 0.0, 1.0)
        return np.where(below < 0, capped, scores)

    def sentence_share(self, texts: list[str], rows: np.ndarray) -> np.ndarray:
        """For each text of ``rows`` with two sentences or more, each item's best share of a
        sentence's top score (1.0 elsewhere), shape (len(texts), n_items)."""
        share = np.ones((len(texts), len(self.labels_)))
        spans = {int(i): split_sentences(texts[i], guess_language(texts[i])) for i in rows}
        spans = {i: s for i, s in spans.items() if len(s) > 1}
        if not spans:
            return share
        sentences = [texts[i][a:b] for i, s in spans.items() for a, b in s]
        scores = self.combine(self.semantic_.predict_scores(sentences), self.lexical_.predict_scores(sentences))
        scores /= np.maximum(scores.max(axis=1, keepdims=True), 1e-9)
        start = 0
        for i, s in spans.items():
            share[i] = scores[start:start + len(s)].max(axis=0)
            start += len(s)
        return share

    def apply_support(self, scores: np.ndarray, texts: list[str], share: np.ndarray | None = None) -> np.ndarray:
        """Scores with the sentence support folded in (see the module docstring); ``share`` as from
        :meth:`sentence_share`, computed here when not given."""
        accepted = scores >= self.thresholds_[None, :]
        several = accepted.sum(axis=1) >= 2
        if not self.sentence_support or not several.any():
            return scores
        if share is None:
            share = self.sentence_share(texts, np.flatnonzero(several))
        share = share.copy()
        share[np.arange(len(scores)), scores.argmax(axis=1)] = 1.0  # the passage's best item stands
        short = accepted & several[:, None] & (share < self.sentence_support)
        folded = np.clip(self.thresholds_[None, :] + share - self.sentence_support, 0.0, None)
        return np.where(short, np.minimum(scores, folded), scores)

    def evidence_batch(self, texts: list[str], item_lists: list[list[str]]) -> list[dict[str, dict[str, Any]]]:
        lexical = self.lexical_.evidence_batch(texts, item_lists)
        rest = [[i for i in items if i not in found] for items, found in zip(item_lists, lexical)]
        semantic = self.semantic_.evidence_batch(texts, rest)
        return [{**sem, **lex} for lex, sem in zip(lexical, semantic)]

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        return self.evidence_batch([text], [item_ids])[0]

    def _save_weights(self, path: Path) -> None:
        for part, tagger in (("semantic", self.semantic_), ("lexical", self.lexical_)):
            (path / part).mkdir(exist_ok=True)
            tagger._save_weights(path / part)

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        self.semantic_ = SemanticTagger(**self.semantic)
        self.semantic_.cache_dir = self.cache_dir
        self.lexical_ = LexicalTagger(**self.lexical)
        for part, tagger in (("semantic", self.semantic_), ("lexical", self.lexical_)):
            tagger.labels_ = taxonomy.item_ids()
            tagger.taxonomy_id_ = taxonomy.id
            tagger.taxonomy_hash_ = taxonomy.hash
            tagger.thresholds_ = np.full(len(tagger.labels_), tagger.threshold)
            tagger._load_weights(path / part, taxonomy)
        self._finish(taxonomy)
