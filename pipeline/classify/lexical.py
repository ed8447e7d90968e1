"""``lexical.v1``: tagging by the English and French terms and acronyms of the item cards.

Terms match case-insensitively (spaCy PhraseMatcher on LOWER) together with simple plural and
singular variants, since no lemmatiser ships for English on PyPI; acronyms match case-sensitively
(ORTH) so "ICC" is not "icc". A match inside a sentence that also holds one of the item's negative
cues is dropped. An item's score grows with the weight of its matches: a term shared by several
items counts for less (specificity = 1 / number of items using it), a multi-word term for more,
and ``1 - exp(-weight / saturation)`` maps the sum to [0, 1]. Evidence is the sentence holding
most of the item's matched weight, with the terms found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.classify.base import Tagger
from pipeline.classify.cards import ItemCard, cards_hash, load_cards
from pipeline.classify.text import guess_language, sentence_of
from pipeline.config import TagConfig, project_path
from pipeline.segment import spacy_pipeline, split_sentences
from pipeline.taxonomy import Taxonomy

_DEFAULTS = TagConfig()
_BUILT: dict[tuple, tuple] = {}  # (labels, cards hash) -> compiled rules and matchers


def variants(term: str, lang: str) -> set[str]:
    """``term`` lower-cased with the plural/singular forms of its last word."""
    term = " ".join(term.lower().split())
    head, _, last = term.rpartition(" ")
    forms = {last}
    if lang == "fr":
        if last.endswith("al"):
            forms.add(last[:-2] + "aux")
        elif last.endswith("aux"):
            forms.add(last[:-3] + "al")
        elif last.endswith(("s", "x", "z")):
            forms.add(last[:-1])
        else:
            forms.add(last + "s")
    else:
        if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
            forms.add(last[:-1] + "ies")
        elif last.endswith("ies"):
            forms.add(last[:-3] + "y")
        elif last.endswith(("s", "x", "ch", "sh")):
            forms.add(last + "es")
            if last.endswith("s") and not last.endswith(("ss", "us", "is")):
                forms.add(last[:-1])
        else:
            forms.add(last + "s")
    return {f"{head} {f}".strip() for f in forms if f}


class LexicalTagger(Tagger):
    """Term and acronym matching from the item cards (see the module docstring)."""

    name = "lexical.v1"

    def __init__(self, item_cards: str = _DEFAULTS.item_cards, saturation: float = _DEFAULTS.lexical_saturation,
                 threshold: float = _DEFAULTS.lexical_threshold) -> None:
        self.keep_settings(locals())

    def fit(self, taxonomy: Taxonomy, texts: list[str] | None = None,
            labels: list[list[str]] | None = None) -> "LexicalTagger":
        cards = load_cards(project_path(self.item_cards) if self.item_cards else None, taxonomy)
        self.labels_ = taxonomy.item_ids()
        self.taxonomy_id_ = taxonomy.id
        self.taxonomy_hash_ = taxonomy.hash
        self.thresholds_ = np.full(len(self.labels_), self.threshold)
        self.cards_ = cards
        self._build()
        return self

    def _build(self) -> None:
        """Matchers per language, with one rule per distinct term ("T<n>", "A<n>", "N<n>"), built
        once per process for given labels and cards (building takes seconds; matching is stateless)."""
        key = (tuple(self.labels_), cards_hash(self.cards_))
        if key not in _BUILT:
            self._compile()
            _BUILT[key] = (self._rules, self._rule_items, self._rule_weight, self._neg_forms, self._neg_items,
                           self._matchers)
        (self._rules, self._rule_items, self._rule_weight, self._neg_forms, self._neg_items,
         self._matchers) = _BUILT[key]

    def _compile(self) -> None:
        col = {item: j for j, item in enumerate(self.labels_)}
        users: dict[tuple[str, str], set[int]] = defaultdict(set)  # (kind, form) -> items
        negatives: dict[str, set[int]] = defaultdict(set)
        for item, card in self.cards_.items():
            for lang, terms in (("en", card.terms_en), ("fr", card.terms_fr)):
                for term in terms:
                    for form in variants(term, lang):
                        users[("T", form)].add(col[item])
            for acr in card.acronyms:
                if acr.strip():
                    users[("A", acr.strip())].add(col[item])
            for neg in card.negative:
                for lang in ("en", "fr"):
                    for form in variants(neg, lang):
                        negatives[form].add(col[item])
        self._rules = list(users)
        self._rule_items = [np.fromiter(sorted(users[r]), dtype=np.int64) for r in self._rules]
        # specificity: shared terms say less; multi-word terms say more
        self._rule_weight = np.array([(1.0 + 0.5 * min(len(form.split()) - 1, 2)) / len(users[(kind, form)])
                                      * (1.5 if kind == "A" else 1.0) for kind, form in self._rules])
        self._neg_forms = list(negatives)
        self._neg_items = [negatives[f] for f in self._neg_forms]
        self._matchers = {}  # language -> (nlp, matchers), built by _matcher on first need

    def _matcher(self, lang: str) -> tuple[Any, Any, Any]:
        """(nlp, LOWER matcher, ORTH matcher) for ``lang``, built when a text in it first arrives
        (a French pipeline costs seconds to load); the tokenizer is the sentence splitter's."""
        if lang not in self._matchers:
            from spacy.matcher import PhraseMatcher

            nlp = spacy_pipeline(lang)
            lower = PhraseMatcher(nlp.vocab, attr="LOWER")
            orth = PhraseMatcher(nlp.vocab, attr="ORTH")
            for r, (kind, form) in enumerate(self._rules):
                (orth if kind == "A" else lower).add(f"R{r}", [nlp.make_doc(form)])
            for n, form in enumerate(self._neg_forms):
                lower.add(f"N{n}", [nlp.make_doc(form)])
            self._matchers[lang] = (nlp, lower, orth)
        return self._matchers[lang]

    def _matches(self, texts: list[str]) -> list[list[tuple[int, int, int, bool]]]:
        """Per text: (rule or negative index, char start, char end, is_negative)."""
        out: list[list[tuple[int, int, int, bool]]] = [[] for _ in texts]
        langs = ["fr" if guess_language(t) == "fr" else "en" for t in texts]
        for lang in ("en", "fr"):
            idx = [i for i, lg in enumerate(langs) if lg == lang]
            if not idx:
                continue
            nlp, lower, orth = self._matcher(lang)
            strings = nlp.vocab.strings
            for i, doc in zip(idx, nlp.tokenizer.pipe([texts[i] for i in idx], batch_size=256)):
                for matcher in (lower, orth):
                    for key, s, e in matcher(doc):
                        name = strings[key]
                        span = doc[s:e]
                        out[i].append((int(name[1:]), span.start_char, span.end_char, name[0] == "N"))
        return out

    def _kept(self, text: str, matches: list[tuple[int, int, int, bool]]) -> list[tuple[int, int, int, np.ndarray]]:
        """Term matches with the items they still count for once the negative cues of their
        sentence are applied: (rule, start, end, item columns). Sentences are found only when a
        negative cue matched, since splitting costs more than matching."""
        negatives = [(r, s) for r, s, _, neg in matches if neg]
        negated: dict[tuple[int, int], set[int]] = defaultdict(set)
        spans = (split_sentences(text, guess_language(text)) or [(0, len(text))]) if negatives else []
        for r, s in negatives:
            negated[sentence_of(spans, s)] |= self._neg_items[r]
        kept = []
        for r, s, e, neg in matches:
            if neg:
                continue
            items = self._rule_items[r]
            if negated:
                blocked = negated.get(sentence_of(spans, s), set())
                items = np.array([j for j in items.tolist() if j not in blocked], dtype=np.int64)
            if len(items):
                kept.append((r, s, e, items))
        return kept

    def _weights(self, texts: list[str]) -> tuple[np.ndarray, list[list[tuple]]]:
        """(item weights, kept matches) of ``texts``. The texts of the last batch matched are
        remembered, since scoring a batch and then finding evidence in some of its passages asks for
        them again."""
        last = self.__dict__.get("_last_batch", {})
        missing = [t for t in dict.fromkeys(texts) if t not in last]
        if missing:
            weights, kept = self._compute_weights(missing)
            last = {**{t: last[t] for t in texts if t in last}, **{t: (weights[i], kept[i]) for i, t in enumerate(missing)}}
            self._last_batch = last
        rows = [last[t] for t in texts]
        return (np.array([r[0] for r in rows]).reshape(len(texts), len(self.labels_)), [r[1] for r in rows])

    def _compute_weights(self, texts: list[str]) -> tuple[np.ndarray, list[list[tuple]]]:
        weights = np.zeros((len(texts), len(self.labels_)))
        kept_all = []
        for i, (text, matches) in enumerate(zip(texts, self._matches(texts))):
            kept = self._kept(text, matches)
            kept_all.append(kept)
            counted: set[tuple[int, int]] = set()  # a term repeated counts once per item
            for r, _, _, items in kept:
                for j in items.tolist():
                    if (r, j) not in counted:
                        counted.add((r, j))
                        weights[i, j] += self._rule_weight[r]
        return weights, kept_all

    def predict_scores(self, texts: list[str]) -> np.ndarray:
        weights, _ = self._weights(texts)
        return 1.0 - np.exp(-weights / self.saturation)

    def evidence_batch(self, texts: list[str], item_lists: list[list[str]]) -> list[dict[str, dict[str, Any]]]:
        """Per text and item: the sentence holding most of the item's matched weight, and the terms."""
        col = {item: j for j, item in enumerate(self.labels_)}
        _, kept_all = self._weights(texts)
        out = []
        for text, items, kept in zip(texts, item_lists, kept_all):
            ev: dict[str, dict[str, Any]] = {}
            wanted = {col[item] for item in items}
            if kept and any(wanted.intersection(cols.tolist()) for *_, cols in kept):
                spans = split_sentences(text, guess_language(text)) or [(0, len(text))]
                for item in items:
                    j = col[item]
                    per_sentence: dict[tuple[int, int], float] = defaultdict(float)
                    terms: dict[tuple[int, int], list[str]] = defaultdict(list)
                    for r, s, e, cols in kept:
                        if j in cols:
                            sent = sentence_of(spans, s)
                            per_sentence[sent] += self._rule_weight[r]
                            if text[s:e] not in terms[sent]:
                                terms[sent].append(text[s:e])
                    if per_sentence:
                        start, end = max(per_sentence, key=per_sentence.get)
                        ev[item] = {"start": start, "end": end, "sentence": text[start:end],
                                    "terms": terms[(start, end)]}
            out.append(ev)
        return out

    def evidence(self, text: str, item_ids: list[str]) -> dict[str, dict[str, Any]]:
        found = self.evidence_batch([text], [item_ids])[0]
        fallback = super().evidence(text, item_ids)
        return {item: found.get(item, fallback[item]) for item in item_ids}

    def _save_weights(self, path: Path) -> None:
        cards = {k: v.model_dump() for k, v in self.cards_.items()}
        (path / "cards.json").write_text(json.dumps(cards, ensure_ascii=False, indent=1), encoding="utf-8")

    def _load_weights(self, path: Path, taxonomy: Taxonomy) -> None:
        """The cards the model was saved with, so a reloaded model tags as it did."""
        self.fit(taxonomy)
        if (path / "cards.json").exists():
            raw = json.loads((path / "cards.json").read_text(encoding="utf-8"))
            self.cards_ = {k: ItemCard.model_validate(v) for k, v in raw.items()}
            self._build()
