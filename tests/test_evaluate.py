import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pipeline.classify import REGISTRY
from pipeline.classify.base import Tagger
from pipeline.cli import app
from pipeline.errors import GoldError
from pipeline.evaluate import (
    annotator_scores, evaluate, indicator, level_matrix, level_report, matrix_figures, micro_f1_at, micro_f1_sets, parse_gold, roll_up, roll_up_margins,
    sdg_binary_table, sibling_confusion, theme_figures_matrix, tune_offset, upr_protocol,
)
from pipeline.taxonomy import dump_yaml, parse_plan

from conftest import require_data

# IDs 7.x and 8.x: no card file of the Action Plan (lines 1-5) claims them
PLAN = """# Tiny plan
## 7. Line one
### 7.1 Section A
- a. Abolish the death penalty.
- b. Prevent torture.
### 7.2 Section B
- a. Protect children.
## 8. Line two
### 8.1 Section C
- a. Observe elections.
"""


@pytest.fixture(scope="module")
def tax():
    return parse_plan(PLAN, taxonomy_id="tiny")


# gold / predictions whose figures are worked out by hand below
GOLD = [["7.1.a"], ["7.1.a", "7.2.a"], [], ["8.1.a"]]
PRED = [["7.1.a"], ["7.1.b"], ["7.2.a"], []]


def test_item_level_micro_and_macro_by_hand(tax):
    r = evaluate(GOLD, PRED, tax, n_boot=0)["item"]
    # tp=1 (7.1.a row 0); fp=2 (7.1.b row 1, 7.2.a row 2 - the empty gold row); fn=3
    assert (r["tp"], r["fp"], r["fn"]) == (1, 2, 3)
    assert r["micro_precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert r["micro_recall"] == pytest.approx(1 / 4, abs=1e-4)
    assert r["micro_f1"] == pytest.approx(2 / 7, abs=1e-4)
    # labels used: 7.1.a (P 1, R .5, F1 2/3), 7.1.b, 7.2.a, 8.1.a (all 0)
    assert r["n_labels"] == 4
    assert r["macro_precision"] == pytest.approx(1 / 4, abs=1e-4)
    assert r["macro_recall"] == pytest.approx(1 / 8, abs=1e-4)
    assert r["macro_f1"] == pytest.approx(1 / 6, abs=1e-4)


def test_section_and_line_roll_up_by_hand(tax):
    r = evaluate(GOLD, PRED, tax, n_boot=0)
    # sections: gold [7.1] [7.1,7.2] [] [8.1]; pred [7.1] [7.1] [7.2] [] -> tp 2, fp 1, fn 2
    s = r["section"]
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 2)
    assert s["micro_f1"] == pytest.approx(4 / 7, abs=1e-4)
    assert s["macro_f1"] == pytest.approx(1 / 3, abs=1e-4)
    # lines: gold [7] [7] [] [8]; pred [7] [7] [7] [] -> tp 2, fp 1, fn 1; line 7 F1 .8, line 8 F1 0
    line = r["line"]
    assert (line["micro_precision"], line["micro_recall"]) == (pytest.approx(2 / 3, abs=1e-4),) * 2
    assert line["macro_f1"] == pytest.approx(0.4, abs=1e-4)


def test_macro_averages_only_labels_in_gold_or_predictions(tax):
    # a perfect tagger on one item: the three items nobody used do not drag macro-F1 down
    r = evaluate([["7.1.a"]], [["7.1.a"]], tax, n_boot=0)["item"]
    assert r["n_labels"] == 1 and r["macro_f1"] == 1.0


def test_empty_gold_and_empty_predictions_score_zero_not_nan(tax):
    r = evaluate([[], []], [[], []], tax, n_boot=50)
    assert r["item"]["micro_f1"] == 0.0 and r["item"]["macro_f1"] == 0.0
    assert r["per_item"] == [] and r["confusion"] == []


def test_matches_scikit_learn_on_random_labels():
    from sklearn.metrics import precision_recall_fscore_support

    rng = np.random.default_rng(3)
    gold = rng.random((60, 7)) < 0.25
    pred = rng.random((60, 7)) < 0.3
    used = (gold | pred).any(0)
    r = level_report(gold, pred, n_boot=0)
    for avg in ("micro", "macro"):
        p, rec, f, _ = precision_recall_fscore_support(gold[:, used], pred[:, used], average=avg, zero_division=0)
        assert (r[f"{avg}_precision"], r[f"{avg}_recall"], r[f"{avg}_f1"]) == \
            (pytest.approx(p, abs=1e-4), pytest.approx(rec, abs=1e-4), pytest.approx(f, abs=1e-4))


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate():
    rng = np.random.default_rng(0)
    gold = rng.random((200, 5)) < 0.3
    pred = gold ^ (rng.random((200, 5)) < 0.15)
    a, b, c = (level_report(gold, pred, n_boot=300, seed=s) for s in (1, 1, 2))
    assert a["ci95"] == b["ci95"] and a["ci95"] != c["ci95"]
    lo, hi = a["ci95"]["micro_f1"]
    assert lo < a["micro_f1"] < hi and hi - lo < 0.2


def test_per_item_table_and_sibling_confusion(tax):
    r = evaluate(GOLD, PRED, tax, n_boot=0)
    rows = {row["item"]: row for row in r["per_item"]}
    assert set(rows) == {"7.1.a", "7.1.b", "7.2.a", "8.1.a"}  # items with support or predictions
    assert (rows["7.1.a"]["support"], rows["7.1.a"]["tp"], rows["7.1.a"]["fn"]) == (2, 1, 1)
    assert rows["7.1.a"]["title"] == "Abolish the death penalty."
    # row 1: 7.1.b (same section as gold 7.1.a) predicted instead of it; 7.2.a has no sibling
    assert r["confusion"] == [{"gold_item": "7.1.a", "predicted_item": "7.1.b", "instead": 1, "as_well": 0, "total": 1}]


def test_confusion_counts_as_well_and_ignores_other_sections(tax):
    table = sibling_confusion([["7.1.a"], ["7.1.a"]], [["7.1.a", "7.1.b"], ["8.1.a"]], tax)
    assert table.to_dict("records") == [{"gold_item": "7.1.a", "predicted_item": "7.1.b", "instead": 0, "as_well": 1, "total": 1}]


def test_roll_up_and_margins(tax):
    assert roll_up([["7.1.a", "7.1.b"], []], tax, "section") == [{"7.1"}, set()]
    margins = np.array([[-0.2, 0.1, -0.5, -0.1]])
    rolled, labels = roll_up_margins(margins, tax.item_ids(), tax, "section")
    assert labels == ["7.1", "7.2", "8.1"] and rolled.tolist() == [[0.1, -0.5, -0.1]]


def test_tune_offset_picks_the_best_shift_nearest_zero():
    margins = np.array([[0.05], [-0.05], [-0.2]])
    gold = np.array([[True], [True], [False]])
    offset, f1 = tune_offset(lambda off: micro_f1_at(margins, gold, off))
    assert offset == pytest.approx(-0.05) and f1 == 1.0


# --- gold files ------------------------------------------------------------------------------
def test_parse_gold_reads_rows_and_skips_blank_lines(tax):
    text = '{"text": "a", "items": ["7.1.a"]}\n\n{"text": "b", "items": []}\n'
    rows = parse_gold(text, tax)
    assert rows["line"].tolist() == [1, 3] and rows["items"].tolist() == [["7.1.a"], []]


def test_unknown_ids_are_named_with_their_lines(tax):
    text = "\n".join(json.dumps(r) for r in [
        {"text": "a", "items": ["9.9.z"]}, {"text": "b", "items": ["7.1.a"]},
        {"text": "c", "items": ["9.9.z", "7.1"]}])
    with pytest.raises(GoldError) as exc:
        parse_gold(text, tax, source="g.jsonl")
    msg = str(exc.value)
    assert "g.jsonl" in msg and "'9.9.z' (lines 1, 3)" in msg and "'7.1', a section ID (line 3)" in msg
    assert "--taxonomy" in msg


@pytest.mark.parametrize("line, expected", [
    ('{"text": "a", "items": [', "line 2: not valid JSON"),
    ('["a"]', "line 2: expected an object with a string \"text\""),
    ('{"text": "a", "items": "7.1.a"}', "line 2: \"items\" must be a list"),
])
def test_malformed_rows_name_the_line(tax, line, expected):
    with pytest.raises(GoldError, match=expected.replace("[", r"\[")):
        parse_gold('{"text": "ok", "items": []}\n' + line, tax)


def test_empty_gold_file_is_refused(tax):
    with pytest.raises(GoldError, match="holds no rows"):
        parse_gold("\n\n", tax)


# --- protocols -------------------------------------------------------------------------------
def test_upr_protocol_by_hand(tax):
    theme_map = {"t1": ["7.1.a"], "t2": ["7.1.b", "7.2.a"]}
    themes = [["t1"], ["t1", "t2"], ["t2", "unmapped"]]
    pred = [["7.1.a", "8.1.a"], ["7.2.a"], []]  # 8.1.a is not evaluable: ignored
    r = upr_protocol(themes, pred, theme_map, tax, n_boot=0)
    assert r["theme_recall"] == 0.5  # t1 row 0 and t2 row 1 found; t1 row 1 and t2 row 2 missed
    assert r["item_precision"] == 1.0  # 7.1.a and 7.2.a both mapped from their row's themes
    assert r["theme_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert (r["item"]["tp"], r["item"]["fp"], r["item"]["fn"]) == (2, 0, 4)
    # sections: gold [7.1] [7.1,7.2] [7.1,7.2]; pred [7.1] [7.2] [] -> tp 2, fp 0, fn 3
    assert r["section"]["micro_f1"] == pytest.approx(4 / 7, abs=1e-4)
    assert r["per_theme"] == [{"theme": "t1", "items": ["7.1.a"], "pairs": 2, "found": 1, "recall": 0.5},
                              {"theme": "t2", "items": ["7.1.b", "7.2.a"], "pairs": 2, "found": 1, "recall": 0.5}]


def test_sdg_binary_table_by_hand():
    t = sdg_binary_table([1, 1, 2, 2], [True, False, True, False], [["1"], ["1"], [], ["3"]])
    one, two, avg = t.to_dict("records")
    assert (one["accuracy"], one["precision"], one["recall"], one["tp"], one["fp"]) == (50.0, 50.0, 100.0, 1, 1)
    assert one["f1"] == pytest.approx(2 / 3)
    assert (two["accuracy"], two["precision"], two["recall"], two["f1"], two["tn"], two["fn"]) == (50.0, 0, 0, 0, 1, 1)
    assert avg["sdg"] == "Average" and avg["accuracy"] == 50.0 and avg["n"] == 2.0
    assert list(t.columns) == ["sdg", "n", "accuracy", "precision", "recall", "f1", "tp", "fp", "tn", "fn"]


def test_annotator_pairs_and_predictions():
    ann = [{"A": ["1"], "B": ["1"]}, {"A": ["2"], "B": []}, {"A": [], "C": ["3"]}]
    pairs = annotator_scores(ann, n_boot=0)
    assert pairs["A-B"]["f1"] == pytest.approx(2 / 3, abs=1e-4) and pairs["A-B"]["n_rows"] == 2
    assert pairs["A-C"]["f1"] == 0 and pairs["B-C"]["n_rows"] == 0
    vs = annotator_scores(ann, pred=[["1"], ["2"], ["3"]], n_boot=20)
    assert vs["A"]["f1"] == pytest.approx(0.8, abs=1e-4) and vs["C"]["f1"] == 1.0 and vs["C"]["n_rows"] == 1
    assert micro_f1_sets([["1"]], [["1", "2"]])["precision"] == 0.5


def test_unga_annotator_band_from_data():
    path = require_data("unga_sdg", "unga_sdg_multiannotator.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    band = annotator_scores([{a: v["sdgs"] for a, v in r["annotators"].items()} for r in rows], n_boot=0)
    f1s = [v["f1"] for v in band.values()]
    assert len(f1s) == 3 and 0.77 < min(f1s) and max(f1s) < 0.81


# --- command line ----------------------------------------------------------------------------
class StubTagger(Tagger):
    """Tags an item when its ID appears in the text, in square brackets."""

    name = "stub.v1"

    def fit(self, taxonomy, texts=None, labels=None):
        self.labels_ = taxonomy.item_ids()
        self.thresholds_ = np.full(len(self.labels_), 0.5)
        self.taxonomy_id_, self.taxonomy_hash_ = taxonomy.id, taxonomy.hash
        return self

    def predict_scores(self, texts):
        return np.array([[float(f"[{lab}]" in t) for lab in self.labels_] for t in texts]).reshape(len(texts), -1)


@pytest.fixture
def cli_env(tmp_path, tax, monkeypatch):
    monkeypatch.setitem(REGISTRY, "stub.v1", f"{__name__}:StubTagger")
    tax_file = tmp_path / "tiny.yaml"
    tax_file.write_text(dump_yaml(tax), encoding="utf-8")
    return tmp_path, tax_file


def _write_gold(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


GOLD_ROWS = [{"text": f"passage {' '.join(f'[{p}]' for p in pred)}", "items": gold} for gold, pred in zip(GOLD, PRED)]


def test_cli_json_has_the_contract_keys(cli_env):
    tmp, tax_file = cli_env
    gold = _write_gold(tmp / "gold.jsonl", GOLD_ROWS)
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--taxonomy", str(tax_file),
                                   "--model", "stub.v1", "--json", "--bootstrap", "100"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for level in ("item", "section", "line"):
        assert {"micro_f1", "micro_precision", "micro_recall", "macro_f1", "macro_precision", "macro_recall"} <= set(out[level])
    assert out["item"]["micro_f1"] == pytest.approx(2 / 7, abs=1e-4)
    assert out["section"]["micro_f1"] == pytest.approx(4 / 7, abs=1e-4)
    assert out["model"] == "stub.v1" and out["n_rows"] == 4 and len(out["item"]["ci95"]["micro_f1"]) == 2
    assert out["confusion"][0]["predicted_item"] == "7.1.b"


def test_cli_set_configures_the_tagger_as_aptag_tag_would(cli_env):
    tmp, tax_file = cli_env
    gold = _write_gold(tmp / "gold.jsonl", GOLD_ROWS)
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--taxonomy", str(tax_file), "--json",
                                   "--bootstrap", "0", "--set", "tag.model=stub.v1"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["model"] == "stub.v1"
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--taxonomy", str(tax_file), "--model", "stub.v1",
                                   "--set", "tag.encoder_backend=tensorrt"])
    assert res.exit_code != 0 and "encoder_backend" in res.output


def test_cli_prints_readable_tables(cli_env):
    tmp, tax_file = cli_env
    gold = _write_gold(tmp / "gold.jsonl", GOLD_ROWS)
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--taxonomy", str(tax_file), "--model", "stub.v1",
                                   "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    f1_row = next(line for line in lines if line.strip().startswith("micro F1"))
    assert f1_row.split()[2:] == ["0.286", "0.571", "0.667"]  # item, section, line
    item_row = next(line for line in lines if line.strip().startswith("7.1.a"))
    assert item_row.split()[1:8] == ["2", "1", "0", "1", "1.00", "0.50", "0.67"] and "Abolish" in item_row


def test_cli_unknown_ids_exit_1_naming_ids_and_lines(cli_env):
    tmp, tax_file = cli_env
    gold = _write_gold(tmp / "gold.jsonl", [{"text": "x", "items": []}, {"text": "y", "items": ["7.7.q"]}])
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--taxonomy", str(tax_file), "--model", "stub.v1"])
    assert res.exit_code == 1
    assert "'7.7.q' (line 2)" in res.stderr


def test_cli_missing_gold_file_exit_1(cli_env):
    tmp, tax_file = cli_env
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp / "nope.jsonl"), "--taxonomy", str(tax_file),
                                   "--model", "stub.v1"])
    assert res.exit_code == 1 and "not found" in res.stderr


def test_cli_without_gold_is_bad_usage():
    assert CliRunner().invoke(app, ["evaluate"]).exit_code == 2


@pytest.mark.slow
def test_real_tagger_on_five_dev_rows(tmp_path):
    path = require_data("actionplan_dev", "dev.jsonl")
    if "semantic.v1" not in REGISTRY or not Path(__file__).resolve().parents[1].joinpath(
            "pipeline", "classify", "semantic.py").exists():
        pytest.skip("semantic.v1 is not implemented yet")
    gold = tmp_path / "five.jsonl"
    gold.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:5]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["evaluate", "--gold", str(gold), "--model", "semantic.v1", "--json", "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["n_rows"] == 5 and 0.0 <= out["item"]["micro_f1"] <= 1.0
    assert out["line"]["micro_recall"] >= out["item"]["micro_recall"]  # rolling up can only find more


def test_matrix_scorers_give_the_figures_of_the_full_protocols(tax):
    """benchmarks/dev_tune.py grid-searches with the matrix scorers: they must agree with
    level_report and upr_protocol, which the reported figures come from."""
    rng = np.random.default_rng(5)
    gold, pred = rng.random((40, 4)) < 0.3, rng.random((40, 4)) < 0.35
    full = level_report(gold, pred, n_boot=0)
    fast = matrix_figures(gold, pred)
    assert all(fast[k] == pytest.approx(full[k], abs=1e-4) for k in fast)
    labels = tax.item_ids()
    to_section, sections = level_matrix(tax, labels, "section")
    assert sections == ["7.1", "7.2", "8.1"]
    rows = [["7.1.a", "7.1.b"], ["8.1.a"], []]
    assert (((indicator(rows, labels).astype(float) @ to_section) > 0) == indicator(roll_up(rows, tax, "section"), sections)).all()

    theme_map = {"t1": ["7.1.a"], "t2": ["7.1.b", "7.2.a"]}
    themes = [["t1"], ["t1", "t2"], ["t2"]]
    pred_rows = [["7.1.a", "8.1.a"], ["7.2.a"], []]
    col = {i: j for j, i in enumerate(labels)}
    evaluable = np.isin(labels, ["7.1.a", "7.1.b", "7.2.a"])
    columns = [[np.array([col[i] for i in theme_map[t]]) for t in row] for row in themes]
    gold_m = indicator([{i for t in row for i in theme_map[t]} for row in themes], labels)
    figures = theme_figures_matrix(columns, gold_m, indicator(pred_rows, labels) & evaluable)
    protocol = upr_protocol(themes, pred_rows, theme_map, tax, n_boot=0)
    assert all(figures[k] == pytest.approx(protocol[k], abs=1e-4) for k in figures)
