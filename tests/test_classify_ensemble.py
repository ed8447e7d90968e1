"""ensemble.v1's decision rules: runner-up items of a passage need their own support (relative margin),
and in prose one of their sentences must be about them (sentence support)."""

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


class _Half:
    """A tagger half that scores texts from a table and records what it was asked."""

    def __init__(self, table):
        self.table, self.asked = table, []

    def predict_scores(self, texts):
        self.asked += texts
        return np.array([self.table[t] for t in texts], dtype=float)


S1, S2 = "The EU raised the death penalty.", "It also mentioned the prisons."


def supported(sentence_scores, support=0.9):
    t = EnsembleTagger(threshold=0.4, sentence_support=support, semantic_weight=1.0, lexical_weight=1.0)
    t.labels_ = ["a", "b", "c"]
    t.thresholds_ = np.full(3, 0.4)
    t.semantic_ = _Half(sentence_scores)
    t.lexical_ = _Half(sentence_scores)
    return t


def test_a_tag_no_sentence_is_about_falls_under_its_threshold():
    # b leads the second sentence; c is only second best there (0.6 < 0.9 * 0.8)
    t = supported({S1: [0.9, 0.2, 0.1], S2: [0.3, 0.8, 0.6]})
    out = t.apply_support(np.array([[0.9, 0.7, 0.5]]), [PROSE])
    assert out[0, 0] == pytest.approx(0.9) and out[0, 1] == pytest.approx(0.7)
    assert out[0, 2] == pytest.approx(0.4 + 0.6 / 0.8 - 0.9)  # a review candidate just under the threshold
    assert t.semantic_.asked == [S1, S2]


def test_an_item_close_to_a_sentence_top_keeps_its_tag():
    t = supported({S1: [0.9, 0.2, 0.1], S2: [0.3, 0.8, 0.75]})  # 0.75 >= 0.9 * 0.8
    out = t.apply_support(np.array([[0.9, 0.7, 0.5]]), [PROSE])
    assert (out >= 0.4).all()


def test_the_passage_best_item_stands_even_when_no_sentence_leads_it():
    t = supported({S1: [0.5, 0.9, 0.1], S2: [0.5, 0.8, 0.1]})
    out = t.apply_support(np.array([[0.9, 0.7, 0.1]]), [PROSE])
    assert out[0, 0] == pytest.approx(0.9) and out[0, 1] == pytest.approx(0.7)


def test_passages_with_one_tag_or_one_sentence_are_not_split():
    t = supported({})
    one_tag = np.array([[0.9, 0.3, 0.1]])
    assert (t.apply_support(one_tag.copy(), [PROSE]) == one_tag).all()
    two_tags = np.array([[0.9, 0.7, 0.1]])
    assert (t.apply_support(two_tags.copy(), [LIST]) == two_tags).all()
    assert t.semantic_.asked == []
    off = supported({S1: [0.9, 0.2, 0.1], S2: [0.3, 0.8, 0.1]}, support=0.0)
    scores = np.array([[0.9, 0.7, 0.5]])
    assert (off.apply_support(scores.copy(), [PROSE]) == scores).all()
