"""ensemble.v1's relative margin: runner-up items of a passage need their own support."""

import numpy as np
import pytest

from pipeline.classify.ensemble import EnsembleTagger, single_sentence


def tagger(margin=0.75, single=0.6, threshold=0.4):
    t = EnsembleTagger(threshold=threshold, relative_margin=margin, relative_margin_single=single)
    t.labels_ = ["a", "b", "c"]
    t.thresholds_ = np.full(3, threshold)
    return t


PROSE = "The EU raised the death penalty. It also mentioned the prisons."
LIST = "Ratify the Convention and abolish the death penalty"


def test_single_sentence():
    assert single_sentence(LIST) and single_sentence("Art. 19 of the ICCPR protects it.")
    assert not single_sentence(PROSE) and not single_sentence("L'UE a salué. « Elle a demandé »")
    # a UN report's paragraph number does not make a recommendation two sentences
    assert single_sentence("96.44. Continue its reform of the education system (Malaysia);")
    assert not single_sentence("96.44. Continue its reform. Also ratify the Convention (Chile);")


def test_runner_up_below_the_margin_falls_under_its_threshold_and_stays_a_candidate():
    scores = np.array([[0.9, 0.6, 0.2]])  # 0.6 < 0.75 * 0.9
    out = tagger().apply_margin(scores.copy(), [PROSE])
    assert out[0, 0] == pytest.approx(0.9)          # the best item is untouched
    assert 0.2 < out[0, 1] < 0.4                     # no tag, still above a review floor of 0.2
    assert out[0, 2] <= 0.2


def test_one_sentence_text_has_the_looser_margin():
    scores = np.array([[0.9, 0.6, 0.2]])  # 0.6 >= 0.6 * 0.9: kept in a one-sentence text
    out = tagger().apply_margin(scores.copy(), [LIST])
    assert out[0, 1] >= 0.4


def test_decision_equals_threshold_and_margin_together():
    rng = np.random.default_rng(0)
    scores = rng.random((200, 3))
    texts = [PROSE] * 200
    out = tagger().apply_margin(scores.copy(), texts)
    expected = (scores >= 0.4) & (scores >= 0.75 * scores.max(1, keepdims=True))
    assert ((out >= 0.4) == expected).all()


def test_no_margin_changes_nothing():
    scores = np.array([[0.9, 0.6, 0.2]])
    assert (tagger(0.0, 0.0).apply_margin(scores.copy(), [PROSE]) == scores).all()
