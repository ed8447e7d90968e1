"""lexical.v1 and the item cards it reads: matching, negative cues, evidence, save -> reload."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.classify.base import load_tagger
from pipeline.classify.cards import load_cards
from pipeline.classify.lexical import LexicalTagger, variants
from pipeline.errors import ConfigError
from pipeline.taxonomy import load_taxonomy

from tests.conftest import ROOT

CARDS = """
items:
  "1.1.a":
    label: Death penalty
    description: Abolition of the death penalty.
    terms_en: [death penalty, capital punishment, moratorium on executions]
    terms_fr: [peine de mort]
    acronyms: []
    negative: [extrajudicial execution]
  "1.1.b":
    label: Torture
    terms_en: [torture, execution]
    acronyms: [OPCAT]
    negative: [extrajudicial execution]
"""


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture()
def tagger(tmp_path, tax):
    (tmp_path / "1.1.yaml").write_text(CARDS, encoding="utf-8")
    return LexicalTagger(item_cards=str(tmp_path)).fit(tax)


def top(tagger, text):
    scores = tagger.predict_scores([text])[0]
    return tagger.labels_[int(scores.argmax())], scores


@pytest.mark.parametrize("text", [
    "The EU urged a moratorium on executions.",
    "The EU called for the abolition of the Death Penalty.",
    "La France s'oppose à la peine de mort en toutes circonstances.",
])
def test_obvious_texts_tag_the_death_penalty(tagger, text):
    item, scores = top(tagger, text)
    assert item == "1.1.a" and scores.max() >= tagger.threshold


def test_acronyms_match_case_sensitively(tagger):
    assert top(tagger, "Slovenia ratified OPCAT.")[0] == "1.1.b"
    assert tagger.predict_scores(["opcat"]).max() == 0


def test_negative_cue_suppresses_the_match_in_its_sentence_only(tagger):
    j = tagger.labels_.index("1.1.b")
    negated = tagger.predict_scores(["Reports of extrajudicial executions continue."])[0, j]
    plain = tagger.predict_scores(["The execution was postponed."])[0, j]
    assert negated == 0 and plain > 0


def test_plural_variants():
    assert "death penalties" in variants("death penalty", "en")
    assert "human rights defender" in variants("human rights defenders", "en")
    assert "droits sociaux" in variants("droits social", "fr")


def test_evidence_points_into_the_text_with_terms(tagger):
    text = "The meeting opened at ten. The EU raised capital punishment and torture in prisons."
    ev = tagger.evidence(text, ["1.1.a", "1.1.b"])
    for item in ("1.1.a", "1.1.b"):
        e = ev[item]
        assert text[e["start"]:e["end"]] == e["sentence"] == "The EU raised capital punishment and torture in prisons."
    assert ev["1.1.a"]["terms"] == ["capital punishment"]
    assert ev["1.1.b"]["terms"] == ["torture"]


def test_save_reload_gives_identical_predictions(tagger, tax, tmp_path):
    texts = ["Death penalty and torture.", "Nothing relevant.", "OPCAT and peine de mort"]
    before = tagger.predict_scores(texts)
    path = tagger.save(tmp_path / "model")
    for f in (tmp_path).glob("*.yaml"):
        f.unlink()  # the saved model keeps its cards
    again = load_tagger(path, tax)
    np.testing.assert_array_equal(again.predict_scores(texts), before)


def test_unknown_item_id_in_cards_names_file_and_id(tmp_path, tax):
    (tmp_path / "bad.yaml").write_text('"1.1.a": {label: x}\n"9.9.z": {label: y}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml.*9\.9\.z"):
        load_cards(tmp_path, tax)


def test_project_cards_cover_the_action_plan_and_skip_other_frameworks(tax):
    cards = load_cards(ROOT / "configs" / "item_cards", tax)
    assert set(cards) == set(tax.item_ids())
    sdg = load_taxonomy(ROOT / "configs" / "taxonomy" / "sdg.yaml")
    assert set(load_cards(ROOT / "configs" / "item_cards", sdg)) <= set(sdg.item_ids())


def test_scoring_then_evidence_matches_a_batch_once(tagger, monkeypatch):
    calls = []
    original = tagger._matches
    monkeypatch.setattr(tagger, "_matches", lambda texts: calls.append(list(texts)) or original(texts))
    texts = ["The EU called for the abolition of the death penalty.", "Torture in prisons."]
    scores = tagger.predict_scores(texts)
    items = [[tagger.labels_[int(np.argmax(row))]] for row in scores]
    evidence = tagger.evidence_batch(texts, items)
    assert len(calls) == 1 and all(evidence)
    assert tagger.evidence_batch(texts[1:], items[1:]) == evidence[1:] and len(calls) == 1  # part of the batch
    tagger.predict_scores(["Freedom of expression online."])  # another batch is matched anew
    assert len(calls) == 2
    assert np.array_equal(tagger.predict_scores(texts), scores) and calls[-1] == texts
