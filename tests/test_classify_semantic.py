"""semantic.v1 and ensemble.v1: obvious texts, evidence, long and empty texts, save -> reload."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.classify.base import load_tagger
from pipeline.classify.encoders import split_windows
from pipeline.classify.semantic import item_prototypes
from pipeline.classify.cards import load_cards
from pipeline.classify.text import guess_language
from pipeline.segment import split_sentences
from pipeline.taxonomy import load_taxonomy

from tests.conftest import ROOT

EN = "The EU urged a moratorium on executions."
FR = "L'UE a appelé le gouvernement à abolir la peine de mort et à instaurer un moratoire sur les exécutions."


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture(scope="module")
def ensemble(tax):
    """The default ensemble with USE alone (MiniLM is slower to load and embed; same code path)."""
    from pipeline.classify import create_tagger

    return create_tagger("ensemble.v1", semantic={"encoder": "use-multilingual", "encoder_other": ""}).fit(tax)


@pytest.fixture(scope="module")
def semantic(ensemble):
    return ensemble.semantic_


def test_prototypes_come_from_item_text_parents_and_cards(tax):
    texts, owners = item_prototypes(tax, load_cards(ROOT / "configs" / "item_cards", tax))
    mine = [t for t, j in zip(texts, owners) if j == 0]
    assert tax.items()[0].text in mine
    assert tax.get("1.1").title in mine
    assert any(t.startswith("Death penalty") for t in mine)
    assert owners == sorted(owners)


def test_prototypes_without_cards_work_for_the_sdgs():
    sdg = load_taxonomy(ROOT / "configs" / "taxonomy" / "sdg.yaml")
    texts, owners = item_prototypes(sdg, {})
    assert set(owners) == set(range(len(sdg.item_ids())))
    assert "No poverty" in texts


def test_helpers():
    assert guess_language(FR) == "fr" and guess_language(EN) == "en"
    text = "First sentence here. Second one follows! Third?"
    assert [text[a:b] for a, b in split_sentences(text)] == ["First sentence here.", "Second one follows!", "Third?"]
    assert all(len(w) <= 20 for w in split_windows("word " * 100, 20))


@pytest.mark.slow
def test_semantic_ranks_the_death_penalty_first_in_english_and_french(semantic):
    scores = semantic.predict_scores([EN, FR, "", "   "])
    assert semantic.labels_[int(scores[0].argmax())] == "1.1.a"
    assert semantic.labels_[int(scores[1].argmax())] == "1.1.a"
    assert scores[2:].max() == 0
    assert ((scores >= 0) & (scores <= 1)).all()


@pytest.mark.slow
def test_semantic_evidence_is_the_best_sentence(semantic):
    text = "The delegation arrived on Monday. The EU urged a moratorium on executions. Lunch followed."
    ev = semantic.evidence(text, ["1.1.a"])["1.1.a"]
    assert text[ev["start"]:ev["end"]] == ev["sentence"] == "The EU urged a moratorium on executions."


@pytest.mark.slow
def test_semantic_long_passage_is_embedded_whole(semantic):
    long = "The EU urged a moratorium on executions. " + "The weather was mild and the roads were open. " * 1100
    assert len(long) > 50_000
    scores = semantic.predict_scores([long])
    assert scores.shape == (1, len(semantic.labels_)) and np.isfinite(scores).all()
    ev = semantic.evidence(long, ["1.1.a"])["1.1.a"]
    assert long[ev["start"]:ev["end"]] == ev["sentence"] == "The EU urged a moratorium on executions."


@pytest.mark.slow
def test_semantic_save_reload_identical(semantic, tax, tmp_path):
    texts = [EN, FR, "Freedom of the press is under pressure."]
    again = load_tagger(semantic.save(tmp_path / "m"), tax)
    np.testing.assert_allclose(again.predict_scores(texts), semantic.predict_scores(texts), rtol=0, atol=1e-6)


@pytest.mark.slow
def test_ensemble_tags_obvious_texts_and_reloads(ensemble, tax, tmp_path):
    texts = [EN, FR]
    tags = ensemble.predict(texts)
    assert "1.1.a" in tags[0] and "1.1.a" in tags[1]
    ev = ensemble.evidence(FR, ["1.1.a"])["1.1.a"]
    assert "peine de mort" in ev["terms"] and FR[ev["start"]:ev["end"]] == ev["sentence"]
    again = load_tagger(ensemble.save(tmp_path / "e"), tax)
    np.testing.assert_allclose(again.predict_scores(texts), ensemble.predict_scores(texts), rtol=0, atol=1e-6)
    assert again.predict(texts) == tags
