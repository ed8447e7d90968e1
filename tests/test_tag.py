"""The tag stage and `aptag tag`: model IDs, resumable idempotent tagging, bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import TagConfig
from pipeline.errors import ModelError
from pipeline.store import Workspace, content_id
from pipeline.tag import select_candidates, tag_workspace, tagger_spec
from pipeline.taxonomy import load_taxonomy

LONG = "The EU urged a moratorium on executions. " + "Roads were repaired in the north of the country. " * 1100
PASSAGES = [
    ("The EU urged a moratorium on executions.", "en"),
    ("La délégation a dénoncé la torture et la peine de mort.", "fr"),
    ("", "en"),
    ("   \n ", "en"),
    ("Die Todesstrafe muss abgeschafft werden, sagte die Delegation über die peine de mort.", "de"),
    (LONG, "en"),
    ("The ministry presented its budget for road construction.", "en"),
]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


@pytest.fixture()
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as ws:
        ws.insert_df("passages", pd.DataFrame({
            "passage_id": [content_id("doc", i) for i in range(len(PASSAGES))], "doc_id": "doc",
            "seq": range(len(PASSAGES)), "text": [t for t, _ in PASSAGES], "char_start": 0,
            "char_end": [len(t) for t, _ in PASSAGES], "page": 1, "heading": None,
            "language": [lang for _, lang in PASSAGES]}))
        yield ws


@pytest.fixture(scope="module")
def spec(tax):
    return tagger_spec("lexical.v1", TagConfig(), tax)


def test_tags_flags_and_evidence(ws, spec):
    summary = tag_workspace(ws, spec, batch_size=3)
    assert summary.tagged == len(PASSAGES) and summary.skipped == 0
    assert summary.flagged == {"empty": 2, "language:de": 1}
    pred = ws.table("predictions")
    texts = dict(zip(ws.table("passages")["passage_id"], ws.table("passages")["text"]))
    tags = pred[pred["accepted"]]
    first = content_id("doc", 0)
    assert "1.1.a" in set(tags.loc[tags.passage_id == first, "item_id"])
    assert "1.1.a" in set(tags.loc[tags.passage_id == content_id("doc", 1), "item_id"])
    assert "1.1.a" in set(tags.loc[tags.passage_id == content_id("doc", 4), "item_id"])  # tagged despite the flag
    for row in tags.itertuples():
        ev = json.loads(row.evidence)
        assert texts[row.passage_id][ev["start"]:ev["end"]] == ev["sentence"]
    long_ev = json.loads(tags.loc[(tags.passage_id == content_id("doc", 5)) & (tags.item_id == "1.1.a"),
                                  "evidence"].iloc[0])
    assert long_ev["sentence"] == "The EU urged a moratorium on executions." and long_ev["terms"]
    for empty in (2, 3):
        assert not (pred.passage_id == content_id("doc", empty)).any()
    assert ws.get_setting("current_model") == spec.model_id


def test_retag_is_idempotent_and_loads_nothing(ws, spec):
    tag_workspace(ws, spec)
    before = ws.table("predictions").sort_values(["passage_id", "item_id"]).reset_index(drop=True)
    lazy = type(spec)(spec.model_id, lambda cache_dir: pytest.fail("loaded a tagger with nothing to tag"), "x")
    summary = tag_workspace(ws, lazy)
    assert summary.tagged == 0 and summary.skipped == len(PASSAGES)
    after = ws.table("predictions").sort_values(["passage_id", "item_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)


def test_interrupted_run_resumes(ws, spec):
    calls = {"n": 0}

    def flaky(cache_dir):
        tagger = spec.load(cache_dir)
        real = tagger.predict_scores

        def predict(texts):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
            return real(texts)
        tagger.predict_scores = predict
        return tagger

    with pytest.raises(KeyboardInterrupt):
        tag_workspace(ws, type(spec)(spec.model_id, flaky, "flaky"), batch_size=2)
    # batches 1-2 committed (batch 2 holds the two empty passages, which are not scored); batch 3 rolled back
    assert len(ws.table("tagged")) == 4
    assert ws.table("predictions")["passage_id"].isin(ws.table("tagged")["passage_id"]).all()
    summary = tag_workspace(ws, spec, batch_size=2)
    assert summary.skipped == 4 and summary.tagged == len(PASSAGES) - 4


def test_changed_settings_make_a_new_model(tax, spec):
    other = tagger_spec("lexical.v1", TagConfig(lexical_saturation=2.0), tax)
    assert other.model_id != spec.model_id
    assert tagger_spec("lexical.v1", TagConfig(), tax).model_id == spec.model_id


def test_model_directory_with_other_labels_is_refused(tax, tmp_path):
    from pipeline.classify import create_tagger

    path = create_tagger("lexical.v1").fit(tax).save(tmp_path / "m")
    config = json.loads((path / "config.json").read_text())
    config["labels"] = config["labels"][:-1] + ["9.9.z"]
    (path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match=r"missing from the model: 5\.2\.[a-z].*unknown to the taxonomy: 9\.9\.z"):
        tagger_spec(str(path), TagConfig(), tax)


def test_select_candidates_keeps_all_accepted_and_top_others():
    scores = np.array([[0.9, 0.8, 0.7, 0.3, 0.1], [0.1, 0.25, 0.05, 0.0, 0.0]])
    rows, cols, accepted = select_candidates(scores, np.full(5, 0.6), review_floor=0.2, max_candidates=2)
    assert list(zip(rows, cols, accepted)) == [(0, 0, True), (0, 1, True), (0, 2, True), (1, 1, False)]


def test_cli_tag_prints_a_summary_and_refuses_unknown_models(ws):
    runner = CliRunner()
    path = str(ws.path)
    ws.close()
    result = runner.invoke(app, ["tag", "--model", "lexical.v1", "--workspace", path, "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert f"{len(PASSAGES)} passages tagged, 0 skipped" in result.output and "passages/s" in result.output
    again = runner.invoke(app, ["tag", "--model", "lexical.v1", "--workspace", path])
    assert f"0 passages tagged, {len(PASSAGES)} skipped" in again.output
    bad = runner.invoke(app, ["tag", "--model", "nonesuch.v9", "--workspace", path])
    assert bad.exit_code == 1 and "Unknown tagger 'nonesuch.v9'" in bad.output


@pytest.mark.parametrize("name", ["semantic.v1", "lexical.v1", "ensemble.v1", "linear.v1", "finetune.v1", "adaptive.v1"])
def test_settings_are_the_constructor_arguments_and_round_trip(name):
    """What config.json records is what rebuilds the tagger: every constructor argument, by name."""
    import inspect

    from pipeline.classify import create_tagger
    from pipeline.classify.base import tagger_class

    settings = create_tagger(name).get_settings()
    assert set(settings) == set(inspect.signature(tagger_class(name).__init__).parameters) - {"self"}
    changed = {k: (v + 1 if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in settings.items()}
    assert create_tagger(name, **changed).get_settings() == changed
