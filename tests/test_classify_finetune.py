"""finetune.v1: a few steps on a few examples, then save -> reload -> the same scores."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipeline.classify.base import load_tagger
from pipeline.classify.finetune import FinetuneTagger, base_model_path
from pipeline.errors import ModelError
from pipeline.taxonomy import load_taxonomy

from tests.conftest import ROOT

TEXTS = ["The death penalty must be abolished and executions halted.",
         "Torture by police in detention must be investigated.",
         "Journalists were jailed for their reporting.",
         "The harvest was late this year."]
LABELS = [["1.1.a"], ["1.1.b"], ["1.2.a"], []]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(ROOT / "configs" / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml")


@pytest.mark.slow
def test_overfit_save_reload_identical(tmp_path, tax):
    tagger = FinetuneTagger(epochs=12, batch_size=4, learning_rate=1e-4, head_learning_rate=5e-2,
                            max_length=32, device="cpu").fit(tax, TEXTS, LABELS)
    assert tagger.losses_[-1] < tagger.losses_[0] / 2
    assert tagger.predict(TEXTS) == LABELS
    before = tagger.predict_scores(TEXTS + ["Executions resumed last week."])
    tagger.save(tmp_path / "ft")
    assert (tmp_path / "ft" / "head.safetensors").exists()
    assert not list((tmp_path / "ft").rglob("*.bin")) and not list((tmp_path / "ft").rglob("*.pkl"))
    assert json.loads((tmp_path / "ft" / "config.json").read_text())["settings"]["max_length"] == 32
    again = load_tagger(tmp_path / "ft", tax)
    np.testing.assert_array_equal(again.predict_scores(TEXTS + ["Executions resumed last week."]), before)


def test_base_weights_come_from_the_package():
    assert (base_model_path("minilm") / "model.safetensors").exists()


@pytest.mark.parametrize("base, message", [("no/such/dir", "neither 'minilm' nor a directory")])
def test_bad_base_model_is_explained(base, message):
    with pytest.raises(ModelError, match=message):
        base_model_path(base)


def test_unknown_labels_are_refused_before_loading_weights(tax):
    with pytest.raises(ModelError, match="9.9.z are not items"):
        FinetuneTagger().fit(tax, ["a"], [["9.9.z"]])


def test_incomplete_model_directory_is_refused(tmp_path, tax):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text(json.dumps({
        "name": "finetune.v1", "labels": tax.item_ids(), "taxonomy_id": tax.id, "taxonomy_hash": tax.hash,
        "settings": {}, "thresholds": [0.5] * 140}))
    with pytest.raises(ModelError, match="incomplete"):
        load_tagger(tmp_path / "m", tax)
