"""linear.v1: training, thresholds, evidence, and the save -> reload round trip."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from pipeline.classify import linear
from pipeline.classify.base import load_tagger
from pipeline.classify.linear import LinearTagger, best_f1_threshold
from pipeline.errors import ModelError
from pipeline.taxonomy import load_taxonomy

from tests.conftest import ROOT

TEXTS = [
    "The EU urged the authorities to reinstate the moratorium on the death penalty and abolish executions.",
    "Executions resumed; the delegation called for abolition of capital punishment.",
    "Torture in detention centres must be investigated and perpetrators prosecuted.",
    "The report documents torture and ill-treatment by police during interrogation.",
    "Journalists were arrested and media outlets closed, restricting freedom of expression.",
    "Bloggers face prosecution for online speech; freedom of expression is under pressure.",
    "The ministry presented its budget for road construction.",
    "Weather delayed the harvest in the northern provinces.",
] * 2
LABELS = [["1.1.a"], ["1.1.a"], ["1.1.b"], ["1.1.b"], ["1.2.a"], ["1.2.a"], [], []] * 2


class FakeEncoder:
    """Hashes words into 32 dimensions: deterministic, instant, and word-sensitive like a real one."""

    id = "fake@0"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 32] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


@pytest.fixture(autouse=True)
def fake_encoder(monkeypatch):
    monkeypatch.setattr(linear, "get_encoder", lambda name, cache_dir=None: FakeEncoder())


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(ROOT / "configs" / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml")


@pytest.mark.parametrize("encoder, tfidf", [("fake", 2000), ("none", 2000), ("fake", 0)])
def test_overfit_save_reload_identical(tmp_path, tax, encoder, tfidf):
    tagger = LinearTagger(encoder=encoder, tfidf_max_features=tfidf, C=10.0).fit(tax, TEXTS, LABELS)
    assert tagger.predict(TEXTS) == LABELS
    before = tagger.predict_scores(TEXTS + ["an unseen text about executions"])
    tagger.save(tmp_path / "m")
    again = load_tagger(tmp_path / "m", tax)
    assert isinstance(again, LinearTagger)
    np.testing.assert_array_equal(again.predict_scores(TEXTS + ["an unseen text about executions"]), before)
    np.testing.assert_array_equal(again.thresholds_, tagger.thresholds_)
    assert again.predict(TEXTS) == LABELS


def test_weights_are_skops_not_pickle(tmp_path, tax):
    LinearTagger(encoder="none").fit(tax, TEXTS, LABELS).save(tmp_path / "m")
    files = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert files == ["README.md", "config.json", "weights.skops"]
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["name"] == "linear.v1" and config["taxonomy_hash"] == tax.hash
    assert config["settings"]["encoder"] == "none"


def test_model_of_another_taxonomy_is_refused(tmp_path, tax):
    sdg = load_taxonomy(ROOT / "configs" / "taxonomy" / "sdg.yaml")
    LinearTagger(encoder="none").fit(sdg, ["end poverty now", "clean water for all"], [["1.1"], ["6.1"]]) \
        .save(tmp_path / "sdg")
    with pytest.raises(ModelError, match=r"trained on taxonomy 'sdg'.*Retrain the model"):
        load_tagger(tmp_path / "sdg", tax)


def test_items_without_examples_never_fire(tax):
    tagger = LinearTagger(encoder="none").fit(tax, TEXTS, LABELS)
    scores = tagger.predict_scores(["anything at all about elections"])
    never = [j for j, item in enumerate(tagger.labels_) if item not in {"1.1.a", "1.1.b", "1.2.a"}]
    assert (scores[0, never] < tagger.thresholds_[never]).all()


def test_cross_validated_thresholds_are_per_item(tax):
    tagger = LinearTagger(encoder="none", cv_folds=2).fit(tax, TEXTS, LABELS)
    trained = [tagger.labels_.index(x) for x in ("1.1.a", "1.1.b", "1.2.a")]
    assert all(0.05 <= tagger.thresholds_[j] <= 0.95 for j in trained)
    assert tagger.thresholds_[tagger.labels_.index("5.2.i")] == tagger.default_threshold


@pytest.mark.parametrize("texts, labels, message", [
    ([], [], "fit needs texts and labels"),
    (["a", "b"], [["1.1.a"]], "2 texts but 1 label lists"),
    (["a"], [["9.9.z"]], "9.9.z are not items of taxonomy"),
])
def test_bad_training_data_is_explained(tax, texts, labels, message):
    with pytest.raises(ModelError, match=message):
        LinearTagger(encoder="none").fit(tax, texts, labels)


def test_evidence_points_at_the_sentence_with_the_terms(tax):
    tagger = LinearTagger(encoder="none").fit(tax, TEXTS, LABELS)
    text = "The minister spoke about roads. Torture in police detention continues."
    ev = tagger.evidence(text, ["1.1.b"])["1.1.b"]
    assert text[ev["start"]:ev["end"]].strip() == ev["sentence"]
    assert "Torture" in ev["sentence"]
    assert any("torture" in t for t in ev["terms"])


def test_foreign_types_in_weights_are_refused(tmp_path, tax):
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression

    LinearTagger(encoder="none").fit(tax, TEXTS, LABELS).save(tmp_path / "m")
    sio.dump({"vectorizer": LogisticRegression(), "coef": np.zeros(1), "intercept": np.zeros(1)},
             tmp_path / "m" / "weights.skops")
    with pytest.raises(ModelError, match="refusing to load"):
        load_tagger(tmp_path / "m", tax)


@pytest.mark.parametrize("scores, y, expected", [
    ([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], 0.5),
    ([0.9, 0.3, 0.2, 0.1], [1, 1, 0, 0], 0.25),
    ([0.9, 0.8], [0, 0], 0.5),
])
def test_best_f1_threshold(scores, y, expected):
    assert best_f1_threshold(np.array(scores), np.array(y)) == pytest.approx(expected)
