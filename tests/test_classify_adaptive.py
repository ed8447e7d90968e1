"""adaptive.v1: the zero-shot ensemble corrected by the labelled passages nearest to a text."""

import numpy as np
import pytest

from pipeline.classify import create_tagger, load_tagger
from pipeline.taxonomy import load_taxonomy

pytestmark = pytest.mark.slow

DEATH = "The EU raised the death penalty with the authorities and called for a moratorium on executions."
NEAR = "The EU raised the death penalty with the authorities again and called for a moratorium on executions."
PRESS = "The EU expressed concern about the arrest of three journalists and the closure of two newspapers."
OTHER = "Le ministre de la Justice a présenté la réforme du code pénal et des conditions de détention."


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def tags(tagger, texts):
    return [set(t) for t in tagger.predict(texts)]


def test_a_rejection_changes_the_tag_of_the_passage_and_of_its_near_duplicate(tax, tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("ws"))
    zero = create_tagger("adaptive.v1")
    zero.cache_dir = cache
    zero.fit(tax)  # no examples: exactly the zero-shot ensemble
    before = tags(zero, [DEATH, NEAR, PRESS])
    assert "1.1.a" in before[0] and "1.1.a" in before[1]
    assert np.allclose(zero.predict_scores([PRESS]), zero.base_.predict_scores([PRESS]))

    learned = create_tagger("adaptive.v1")
    learned.cache_dir = cache
    learned.fit(tax, [DEATH, OTHER], [["1.1.b"], ["1.5.e"]])  # a reviewer: not 1.1.a here, but 1.1.b
    after = tags(learned, [DEATH, NEAR, PRESS])
    assert "1.1.a" not in after[0] and "1.1.a" not in after[1]
    assert "1.1.b" in after[0] and "1.1.b" in after[1]
    assert after[2] == before[2]  # a passage far from every example keeps the zero-shot tags

    path = learned.save(tmp_path_factory.mktemp("model") / "adaptive")
    again = load_tagger(path, tax)
    again.cache_dir = cache
    assert tags(again, [DEATH, NEAR, PRESS]) == after


def test_the_stack_learns_a_labelling_convention_from_the_other_items_scores():
    from pipeline.classify.adaptive import fit_stack, stack_probability

    rng = np.random.default_rng(0)
    margins = rng.normal(-0.2, 0.05, size=(60, 5))
    margins[:30, 3] += 0.5           # item 3 clearly present in the first half...
    y = np.zeros((60, 1))
    y[:30, 0] = 1                    # ...and the labellers always add item 0 with it
    stack = fit_stack(margins, np.array([0]), y, l2=0.05)
    new = rng.normal(-0.2, 0.05, size=(20, 5))
    new[:10, 3] += 0.5
    p = stack_probability(stack, new, np.array([0]))[:, 0]
    assert (p[:10] > 0.5).all() and (p[10:] < 0.5).all()
    # no examples of a convention: the item's own margin decides, at its own threshold
    own = rng.uniform(-0.3, 0.3, size=(60, 5))
    plain = fit_stack(own, np.array([0]), (own[:, [0]] > 0).astype(float), l2=0.05)
    probe = np.zeros((2, 5))
    probe[:, 0] = [0.05, -0.05]
    p = stack_probability(plain, probe, np.array([0]))[:, 0]
    assert p[0] > 0.5 > p[1]


def test_a_learned_convention_is_kept_by_save_and_load(tax, tmp_path_factory):
    cache = str(tmp_path_factory.mktemp("ws"))
    texts = [DEATH, PRESS, OTHER,
             "The delegation asked about executions carried out last year and the use of the death penalty.",
             "Journalists covering the protests were detained; the EU called for their release.",
             "Le ministre a évoqué la peine de mort et le moratoire sur les exécutions."]
    # reviewers tag every death-penalty passage with the right to life in conflict (1.6.f) as well
    labels = [["1.1.a", "1.6.f"], ["1.3.d"], ["1.5.e"], ["1.1.a", "1.6.f"], ["1.3.d"], ["1.1.a", "1.6.f"]]
    model = create_tagger("adaptive.v1")
    model.cache_dir = cache
    model.fit(tax, texts, labels)
    assert "1.6.f" in {model.labels_[j] for j in model.stack_items_}
    own_model = next(line for line in model.describe() if line.startswith("Items with their own model"))
    assert "1.6.f" in own_model and "1.3.d" not in own_model  # what the model card says it learnt
    probe = ["The EU raised two recent death sentences and asked for a moratorium."]
    assert "1.6.f" in tags(model, probe)[0]
    again = load_tagger(model.save(tmp_path_factory.mktemp("model") / "adaptive"), tax)
    again.cache_dir = cache
    assert np.allclose(again.predict_scores(probe), model.predict_scores(probe))
