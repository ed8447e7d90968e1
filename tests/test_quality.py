"""Quality cards and corrected counts (pipeline/quality.py, `aptag quality`, `coverage --corrected`)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.quality import (CountPrior, corrected_counts, fit_calibration, load_prior, quality_cards, review_data,
                              wilson, with_corrected)
from pipeline.store import Workspace

from tests.conftest import ROOT

ITEMS = ["1.1.a", "1.1.b", "1.1.c"]
MODEL = "ensemble.v1-0123456789ab"


def world(n: int = 600, seed: int = 0, a: float = -1.0, b: float = 8.0, offsets=(0.0, 1.5, -1.5)):
    """Stored predictions whose truth follows a known calibration per item; margins in [-0.19, 0.5]."""
    rng = np.random.default_rng(seed)
    rows = []
    for j, item in enumerate(ITEMS):
        m = rng.uniform(-0.19, 0.5, size=n)
        truth = rng.random(n) < 1 / (1 + np.exp(-(a + b * m + offsets[j])))
        rows += [(f"p{j}-{i}", item, 0.39 + m[i], m[i] >= 0, int(truth[i])) for i in range(n)]
    return pd.DataFrame(rows, columns=["passage_id", "item_id", "score", "accepted", "truth"])


def annotate(pred: pd.DataFrame, k: int, seed: int = 1) -> pd.DataFrame:
    """k random stored pairs per item answered from the truth."""
    pick = pred.sample(frac=1, random_state=seed).groupby("item_id").head(k)
    return pd.DataFrame({"passage_id": pick["passage_id"], "item_id": pick["item_id"], "value": pick["truth"],
                         "at": pd.Timestamp("2026-01-01")})


def data_for(pred, ann):
    return review_data(pred, ann, ITEMS, thresholds=np.full(len(pred), 0.39))


def test_wilson_interval_matches_the_textbook_values():
    lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-3) and hi == pytest.approx(0.7634, abs=1e-3)
    lo, hi = wilson(0, 10)
    assert lo == 0 and hi == pytest.approx(0.2775, abs=1e-3)
    assert np.isnan(wilson(0, 0)[0])


def test_calibration_recovers_the_scores_meaning_from_enough_reviews():
    pred = world()
    cal = fit_calibration(data_for(pred, annotate(pred, 400)), CountPrior(model_id=MODEL, sd=3.0))
    a, b, *d = cal.mean
    assert b == pytest.approx(8.0, abs=2.0)
    # the item offsets come out in the right order: 1.1.b tags are right more often than 1.1.c's
    assert d[1] > d[0] > d[2]


def test_corrected_counts_beat_raw_counts_and_their_intervals_hold_the_truth():
    errors_raw, errors_corrected, held = [], [], []
    for seed in range(4):
        pred = world(seed=seed)
        truth = pred.groupby("item_id")["truth"].sum().reindex(ITEMS).to_numpy()
        counts = corrected_counts(data_for(pred, annotate(pred, 40, seed)), CountPrior(model_id=MODEL, a=-1, b=8),
                                  seed=seed)
        errors_raw.append(np.abs(counts["raw"] - truth).mean())
        errors_corrected.append(np.abs(counts["corrected"] - truth).mean())
        held += list((counts["low"] <= truth) & (truth <= counts["high"]))
    assert np.mean(errors_corrected) < 0.6 * np.mean(errors_raw)
    assert np.mean(held) >= 0.9


def test_intervals_narrow_as_labels_are_added():
    pred = world()
    prior = CountPrior(model_id=MODEL, a=-1, b=8)
    widths = [(lambda c: (c["high"] - c["low"]).mean())(corrected_counts(data_for(pred, annotate(pred, k)), prior))
              for k in (0, 20, 200)]
    assert widths[0] > widths[1] > widths[2]


def test_without_labels_or_a_fitting_prior_there_is_no_corrected_count():
    pred = world(n=50)
    counts = corrected_counts(data_for(pred, None), CountPrior())
    assert counts["corrected"].isna().all() and (counts["basis"] == "no labels, no benchmark calibration").all()
    assert (counts["raw"] == pred[pred["accepted"]].groupby("item_id").size().reindex(ITEMS).to_numpy()).all()
    few = corrected_counts(data_for(pred, annotate(pred, 1)), CountPrior())
    assert few["corrected"].isna().all() and few["basis"].str.startswith("3 reviewed tags").all()
    enough = corrected_counts(data_for(pred, annotate(pred, 10)), CountPrior())
    assert enough["corrected"].notna().all()
    # a prior fitted for another tagger is not used
    assert CountPrior(model_id="linear.v1-aa").for_model(MODEL).model_id is None
    assert CountPrior(model_id="ensemble.v1-ffffffffffff").for_model(MODEL).model_id is not None


def test_an_item_the_model_never_stores_stays_a_gap_with_a_small_upper_bound():
    pred = world(n=100)
    pred = pred[pred["item_id"] != "1.1.c"]
    counts = corrected_counts(data_for(pred, annotate(pred, 10)), CountPrior(model_id=MODEL, a=-1, b=8, hit=80, miss=20))
    gap = counts.set_index("item_id").loc["1.1.c"]
    assert gap["raw"] == 0 and gap["corrected"] == 0 and 0 < gap["high"] <= 5


def test_a_passage_a_reviewer_added_counts_exactly():
    pred = world(n=50)
    ann = pd.DataFrame({"passage_id": ["new-1", "new-2"], "item_id": ["1.1.c", "1.1.c"], "value": [1, 1],
                        "at": pd.Timestamp("2026-01-01")})
    counts = corrected_counts(data_for(pred, ann), CountPrior(model_id=MODEL, a=-1, b=8)).set_index("item_id")
    plain = corrected_counts(data_for(pred, None), CountPrior(model_id=MODEL, a=-1, b=8)).set_index("item_id")
    assert counts.at["1.1.c", "raw"] == plain.at["1.1.c", "raw"] + 2
    assert counts.at["1.1.c", "low"] >= 2


def test_cards_count_reviews_and_flag_items():
    pred = world(n=200)
    ann = annotate(pred, 30)
    ann = pd.concat([ann, pd.DataFrame({"passage_id": ["x"], "item_id": ["1.1.a"], "value": [1],
                                        "at": pd.Timestamp("2026-01-02")})])
    cards = quality_cards(data_for(pred, ann), CountPrior(model_id=MODEL, a=-1, b=8), {"1.1.a": "Death penalty"})
    a = cards.set_index("item_id").loc["1.1.a"]
    merged = ann.merge(pred, on=["passage_id", "item_id"], how="left")
    assert a["reviewed"] == 31 and a["added"] == 1 + int(((merged["accepted"] == False) & (merged["value"] == 1)  # noqa: E712
                                                          & (merged["item_id"] == "1.1.a")).sum())
    assert a["accepted"] + a["rejected"] + a["added"] <= a["reviewed"]
    assert a["precision_low"] <= a["precision"] <= a["precision_high"] and a["title"] == "Death penalty"
    assert a["flag"] == "" and len(a["next"]) == 3
    assert not set(a["next"]) & set(ann["passage_id"])  # the passages to label next are unreviewed ones
    few = quality_cards(data_for(pred, annotate(pred, 3)), CountPrior())
    assert (few["flag"].isin(["few labels", "low precision"])).all()


def test_the_shipped_prior_was_written_by_the_benchmark_for_the_default_model():
    prior = load_prior(ROOT / "configs" / "quality" / "count_prior.json")
    assert prior.model_id.startswith("ensemble.v1-") and prior.b > 0 and 0 < prior.miss < prior.hit
    assert "review_simulation.py" in prior.source


def test_with_corrected_puts_the_estimate_beside_the_raw_count():
    table = pd.DataFrame({"level": "item", "id": ["1.1.a", "1.1.b"], "title": ["x", "y"], "passages": [3, 0],
                          "documents": [1, 0]})
    cards = pd.DataFrame({"item_id": ["1.1.b", "1.1.a"], "corrected": [1.0, 2.0], "low": [0.0, 1.0],
                          "high": [2.0, 5.0], "basis": ["benchmark calibration", "4 reviewed"]})
    out = with_corrected(table, cards)
    assert list(out.columns) == ["level", "id", "title", "passages", "corrected", "corrected_low", "corrected_high",
                                 "corrected_basis", "documents"]
    assert out["corrected"].tolist() == [2.0, 1.0]


# --- the command line ------------------------------------------------------------------------

@pytest.fixture()
def ws_path(tmp_path):
    pred = world(n=120)
    passages = pd.DataFrame({"passage_id": pred["passage_id"].unique()})
    passages["doc_id"] = "d0"
    passages["seq"] = range(len(passages))
    passages["text"] = "A passage about rights."
    passages["char_start"], passages["char_end"] = 0, 23
    with Workspace(tmp_path / "ws") as w:
        w.insert_df("documents", pd.DataFrame({"doc_id": ["d0"], "source_path": ["a.txt"], "status": "ok",
                                               "country": ["Ostrana"], "title": ["A"]}))
        w.insert_df("passages", passages)
        w.insert_df("predictions", pred.drop(columns="truth").assign(model_id=MODEL, evidence=None))
        w.set_setting("current_model", MODEL)
    pred.to_json(tmp_path / "truth.jsonl", orient="records", lines=True)
    return tmp_path / "ws"


def _card(runner, ws, item="1.1.a"):
    res = runner.invoke(app, ["quality", "--item", item, "--format", "json", "--workspace", str(ws)])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["items"][0]


def test_cli_quality_intervals_narrow_as_corrections_are_imported(ws_path, tmp_path):
    runner = CliRunner()
    truth = pd.read_json(tmp_path / "truth.jsonl", lines=True)
    before = _card(runner, ws_path)
    assert before["reviewed"] == 0 and before["flag"] == "few labels"
    widths = [before["high"] - before["low"]]
    done: set[str] = set()
    for n in (15, 60):
        queue = tmp_path / f"queue{n}.jsonl"
        res = runner.invoke(app, ["review", "export", "--n", str(n), "--format", "jsonl", "-o", str(queue),
                                  "--workspace", str(ws_path)])
        assert res.exit_code == 0, res.output
        rows = [json.loads(line) for line in queue.read_text().splitlines()]
        for r in rows:  # the reviewer answers from the truth
            right = set(truth.loc[(truth["passage_id"] == r["passage_id"]) & (truth["truth"] == 1), "item_id"])
            r["items"] = sorted(right & set(r["candidates"]))
            r["decision"] = "edit"
            done.add(r["passage_id"])
        queue.write_text("".join(json.dumps(r) + "\n" for r in rows))
        res = runner.invoke(app, ["review", "import", str(queue), "--workspace", str(ws_path), "--annotator", "t"])
        assert res.exit_code == 0, res.output
        card = _card(runner, ws_path)
        widths.append(card["high"] - card["low"])
    assert card["reviewed"] > 0 and card["precision"] is not None
    assert widths[0] > widths[-1]


def test_cli_quality_table_and_errors(ws_path):
    runner = CliRunner()
    res = runner.invoke(app, ["quality", "--workspace", str(ws_path)])
    assert res.exit_code == 0, res.output
    assert "1.1.a" in res.output and "corrected" in res.output and "few labels" in res.output
    res = runner.invoke(app, ["quality", "--item", "9.9.z", "--workspace", str(ws_path)])
    assert res.exit_code == 1 and "Unknown item ID '9.9.z'" in res.output


def test_cli_coverage_corrected(ws_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "c.csv"
    res = runner.invoke(app, ["coverage", "--corrected", "--format", "csv", "-o", str(out), "--workspace", str(ws_path)])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert {"corrected", "corrected_low", "corrected_high", "corrected_basis"} <= set(df.columns)
    row = df.set_index("id").loc["1.1.a"]
    assert row["corrected_low"] <= row["corrected"] <= row["corrected_high"]
    res = runner.invoke(app, ["coverage", "--corrected", "--by", "country", "--workspace", str(ws_path)])
    assert res.exit_code == 2 and "without --by" in res.output
