"""Coverage statistics on the hand-built workspace of coverage_world.py (numbers worked out by hand
there), the model choice, periods, and the `aptag coverage` command."""

from __future__ import annotations

import io
import json
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coverage_world import build_world, tiny_taxonomy
from pipeline import coverage as cv
from pipeline import periods
from pipeline.cli import app
from pipeline.errors import WorkspaceError
from pipeline.store import Workspace
from pipeline.taxonomy import Node, Taxonomy

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def inputs(world) -> cv.CoverageInputs:
    with Workspace(world, create=False, read_only=True) as ws:
        return cv.load_inputs(ws)


@pytest.fixture(scope="module")
def nodes() -> pd.DataFrame:
    return cv.taxonomy_frame(tiny_taxonomy())


def row(table: pd.DataFrame, node_id: str, **keys) -> pd.Series:
    sel = table["id"] == node_id
    for k, v in keys.items():
        sel &= table[k] == v
    assert sel.sum() == 1, f"expected one row for {node_id} {keys}, found {sel.sum()}"
    return table[sel].iloc[0]


def same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return a != a
    if isinstance(b, float):
        return a == pytest.approx(b)
    if isinstance(b, str) and len(b) == 10 and b[4] == "-":
        return pd.Timestamp(a) == pd.Timestamp(b)
    return a == b


COLS = ["passages", "documents", "countries", "first", "last", "share", "mean_score", "to_review", "gap"]
NaT, NaN = pd.NaT, float("nan")


# --- model choice ----------------------------------------------------------------------------

@pytest.mark.parametrize("current, counts, expected", [
    (None, {"a": 3, "b": 5}, "b"),
    (None, {"b": 4, "a": 4}, "a"),          # ties: alphabetical
    ("a", {"a": 3, "b": 5}, "a"),           # the setting wins over the count
    ("a", {}, "a"),
    (None, {}, None),
])
def test_pick_model(current, counts, expected):
    assert cv.pick_model(current, counts) == expected


def test_pick_model_refuses_a_current_model_without_predictions():
    with pytest.raises(WorkspaceError, match=r"Model 'new' .* has no predictions.*aptag tag.*--model"):
        cv.pick_model("new", {"old": 10})


def test_model_with_most_predictions_is_used_unless_the_setting_names_another(world):
    with Workspace(world, create=False, read_only=True) as ws:
        assert cv.current_model(ws) == "m1"
        assert cv.current_model(ws, "m0") == "m0"
    with Workspace(world) as ws:
        ws.set_setting("current_model", "m0")
        try:
            inputs = cv.load_inputs(ws)
        finally:
            ws.con.execute("DELETE FROM settings WHERE key = 'current_model'")
    assert inputs.model_id == "m0"
    assert set(inputs.predictions["item_id"]) == {"2.1.b"}


# --- which tags count ------------------------------------------------------------------------

def test_reviews_override_predictions_and_the_latest_review_wins(inputs):
    tags = cv.effective_tags(inputs.predictions, inputs.annotations).set_index(["passage_id", "item_id"])
    assert ("P5", "2.1.a") not in tags.index                      # accepted 0.95, then rejected
    assert bool(tags.loc[("P4", "1.2.a"), "accepted"])             # below threshold, accepted by review
    assert bool(tags.loc[("P4", "1.2.a"), "reviewed"])
    assert math.isnan(tags.loc[("P2", "2.1.b"), "score"])          # added by a reviewer, no prediction
    assert not bool(tags.loc[("P3", "1.2.a"), "accepted"])         # below threshold: to review
    assert len(tags) == 10


def test_failed_documents_and_unknown_passages_drop_out(inputs):
    facts = inputs.facts()
    assert set(facts["doc_id"]) == {"D1", "D2", "D3", "D4"}
    assert facts.loc[facts["doc_id"] == "D4", "date"].isna().all()


# --- the statistics --------------------------------------------------------------------------

@pytest.mark.parametrize("level, node_id, expected", [
    ("item", "1.1.a", [3, 2, 1, "2023-02-10", "2023-05-20", 3 / 6, 0.8, 0, ""]),
    ("item", "1.1.b", [2, 2, 2, "2023-02-10", "2023-02-10", 2 / 6, 0.55, 0, ""]),
    ("item", "1.2.a", [2, 2, 2, "2023-04-03", "2023-05-20", 2 / 6, 0.525, 1, ""]),
    ("item", "2.1.a", [0, 0, 0, NaT, NaT, 0.0, NaN, 1, "none"]),
    ("item", "2.1.b", [1, 1, 1, "2023-02-10", "2023-02-10", 1 / 6, NaN, 0, ""]),
    ("section", "1.1", [4, 3, 2, "2023-02-10", "2023-05-20", 4 / 6, 0.725, 0, ""]),
    ("section", "1.2", [2, 2, 2, "2023-04-03", "2023-05-20", 2 / 6, 0.525, 1, ""]),
    ("section", "2.1", [1, 1, 1, "2023-02-10", "2023-02-10", 1 / 6, NaN, 1, ""]),
    ("line", "1", [6, 4, 2, "2023-02-10", "2023-05-20", 1.0, 3.95 / 6, 0, ""]),
    ("line", "2", [1, 1, 1, "2023-02-10", "2023-02-10", 1 / 6, NaN, 1, ""]),
])
def test_coverage_per_level(inputs, nodes, level, node_id, expected):
    table = cv.coverage_table(inputs.facts(), nodes, level=level)
    r = row(table, node_id)
    for col, want in zip(COLS, expected):
        got = r[col]
        if want is NaT:
            assert pd.isna(got), col
        else:
            assert same(got, want), f"{node_id} {col}: {got!r} != {want!r}"


def test_ungrouped_table_lists_every_node_in_taxonomy_order(inputs, nodes):
    assert cv.coverage_table(inputs.facts(), nodes, level="item")["id"].tolist() == ["1.1.a", "1.1.b", "1.2.a", "2.1.a", "2.1.b"]
    assert cv.coverage_table(inputs.facts(), nodes, level="section")["id"].tolist() == ["1.1", "1.2", "2.1"]


def test_summary(inputs, nodes):
    result = cv.compute_coverage(inputs, nodes)
    assert result.summary == {"documents": 4, "passages": 7, "tagged_passages": 6, "items": 5, "items_covered": 4,
                              "gaps_none": 1, "gaps_slice": 0, "to_review_passages": 2, "model_id": "m1"}
    assert result.gaps[["id", "gap", "to_review"]].values.tolist() == [["2.1.a", "none", 1]]


def test_gaps_in_a_country_slice_tell_apart_absent_everywhere_and_absent_here(inputs, nodes):
    sl = cv.Slice(countries=("SN",))
    result = cv.compute_coverage(inputs, nodes, sl=sl)
    assert dict(zip(result.gaps["id"], result.gaps["gap"])) == {"1.1.a": "slice", "2.1.a": "none", "2.1.b": "slice"}
    assert row(result.table, "1.1.b")["passages"] == 1 and row(result.table, "1.1.b")["share"] == pytest.approx(0.5)
    assert result.summary["documents"] == 2 and result.summary["passages"] == 3
    assert result.summary["items_covered"] == 2 and result.summary["gaps_slice"] == 2


def test_a_date_range_compares_with_the_previous_window_of_the_same_length(inputs, nodes):
    sl = cv.Slice(start=date(2023, 4, 1), end=date(2023, 6, 30))
    table = cv.coverage_table(inputs.facts(), nodes, sl=sl)
    got = {r.id: (r.passages, r.prev_passages, r.change) for r in table.itertuples()}
    assert got == {"1.1.a": (1, 2, -1), "1.1.b": (0, 1, -1), "1.2.a": (2, 0, 2), "2.1.a": (0, 0, 0), "2.1.b": (0, 1, -1)}
    assert row(table, "1.1.b")["gap"] == "slice"  # its undated passage is outside any date range


def test_grouping_by_period_compares_each_period_with_the_one_before(inputs, nodes):
    table = cv.coverage_table(inputs.facts(), nodes, by=["period"], period="quarter")
    got = {(r.id, r.period): (r.passages, r.prev_passages, r.change) for r in table.itertuples()}
    assert got[("1.1.a", "2023-Q1")][0] == 2 and pd.isna(got[("1.1.a", "2023-Q1")][1])  # nothing before Q1
    assert got[("1.1.a", "2023-Q2")] == (1, 2, -1)
    assert got[("1.2.a", "2023-Q2")] == (2, 0, 2)
    p, prev, change = got[("1.1.b", "undated")]
    assert p == 1 and pd.isna(prev) and pd.isna(change)
    assert ("2.1.a", "undated") in got and row(table, "2.1.a", period="undated")["to_review"] == 1


def test_no_change_against_a_window_before_the_first_document(inputs, nodes):
    sl = cv.Slice(start=date(2023, 1, 1), end=date(2023, 3, 31))
    table = cv.coverage_table(inputs.facts(), nodes, sl=sl)
    assert table["prev_passages"].isna().all() and table["change"].isna().all()


def test_grouping_by_country_and_type_shares_within_the_group(inputs, nodes):
    table = cv.coverage_table(inputs.facts(), nodes, by=["country", "doc_type"])
    assert row(table, "1.1.a", country="KE", doc_type="minutes")[["passages", "share"]].tolist() == [2, 1.0]
    assert row(table, "1.1.b", country="KE", doc_type="minutes")["share"] == pytest.approx(0.5)
    assert "gap" not in table.columns
    assert len(table) == 8


@pytest.mark.parametrize("period, expected", [
    ("month", ["2023-02", "2023-05", "2023-04", "undated"]),
    ("quarter", ["2023-Q1", "2023-Q2", "2023-Q2", "undated"]),
    ("year", ["2023", "2023", "2023", "undated"]),
])
def test_period_labels(period, expected):
    dates = pd.Series(pd.to_datetime(["2023-02-10", "2023-05-20", "2023-04-03", None]))
    assert [periods.period_label(o, period) for o in periods.period_ordinals(dates, period)] == expected


@pytest.mark.parametrize("text, end, expected", [
    ("2023", False, date(2023, 1, 1)), ("2023", True, date(2023, 12, 31)),
    ("2023-Q2", False, date(2023, 4, 1)), ("2023-q4", True, date(2023, 12, 31)),
    ("2024-02", True, date(2024, 2, 29)), ("2023-05-17", True, date(2023, 5, 17)),
])
def test_parse_bound(text, end, expected):
    assert periods.parse_bound(text, end=end) == expected


@pytest.mark.parametrize("text", ["23", "2023-13", "2023-Q5", "2023-02-30", "May 2023"])
def test_parse_bound_rejects_with_the_accepted_forms(text):
    with pytest.raises(ValueError, match="YYYY-Qn|valid date"):
        periods.parse_bound(text)


@pytest.mark.parametrize("start, end, expected", [
    (date(2023, 4, 1), date(2023, 6, 30), (date(2023, 1, 1), date(2023, 3, 31))),
    (date(2023, 1, 1), date(2023, 12, 31), (date(2022, 1, 1), date(2022, 12, 31))),
    (date(2024, 1, 1), date(2024, 1, 31), (date(2023, 12, 1), date(2023, 12, 31))),
    (date(2023, 3, 10), date(2023, 3, 19), (date(2023, 2, 28), date(2023, 3, 9))),
])
def test_previous_window(start, end, expected):
    assert periods.previous_window(start, end) == expected


def test_levels_follow_the_taxonomy_and_item_means_the_leaves():
    nodes = {"1": Node(id="1", level="goal", title="No poverty"),
             "1.1": Node(id="1.1", level="target", parent="1", text="Eradicate extreme poverty")}
    frame = cv.taxonomy_frame(Taxonomy(id="sdg", name="SDG", levels=["goal", "target"], nodes=nodes))
    assert cv.resolve_level(frame, "item") == "target"
    assert cv.resolve_level(frame, "goal") == "goal"
    with pytest.raises(ValueError, match="'item' or one of goal, target, not 'section'"):
        cv.resolve_level(frame, "section")


def test_item_labels_replace_missing_titles():
    frame = cv.taxonomy_frame(tiny_taxonomy(), {"1.1.a": "Death penalty", "1.1": "ignored: sections keep titles"})
    titles = dict(zip(frame["id"], frame["title"]))
    assert titles["1.1.a"] == "Death penalty" and titles["1.1"] == "Inequalities"


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


def aptag(world: Path, *args: str):
    return runner.invoke(app, ["coverage", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"), *args])


def test_cli_table_prints_rows_and_the_headline(world):
    res = aptag(world)
    assert res.exit_code == 0, res.output
    assert "Death penalty" not in res.output  # another taxonomy: the plan's cards are not applied
    assert "Abolish the death penalty worldwide." in res.output
    assert "4/5 items covered" in res.output and "1 with no evidence at all" in res.output


def test_cli_csv_by_country_and_period(world):
    res = aptag(world, "--by", "country,period", "--level", "section", "--format", "csv")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout), dtype={"id": str})
    assert df.columns.tolist()[:5] == ["level", "id", "title", "country", "period"]
    r = df[(df["id"] == "1.1") & (df["country"] == "KE") & (df["period"] == "2023-Q2")].iloc[0]
    assert (r["passages"], r["prev_passages"], r["change"]) == (1, 2, -1)


def test_cli_json_with_filters(world):
    res = aptag(world, "--country", "KE", "--doc-type", "minutes,report", "--from", "2023-Q2", "--to", "2023-Q2",
                "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["meta"]["countries"] == ["KE"] and data["meta"]["from"] == "2023-04-01"
    cov = {r["id"]: r for r in data["coverage"]}
    assert cov["1.1.a"]["passages"] == 1 and cov["1.1.a"]["prev_passages"] == 2 and cov["1.1.a"]["first"] == "2023-05-20"
    assert cov["2.1.a"]["mean_score"] is None
    assert data["summary"]["documents"] == 1 and data["summary"]["passages"] == 2  # D2: P3, P7


def test_cli_xlsx_has_three_sheets(world, tmp_path):
    out = tmp_path / "coverage.xlsx"
    res = aptag(world, "-o", str(out))
    assert res.exit_code == 0, res.output
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"coverage", "gaps", "summary"}
    assert sheets["coverage"]["passages"].sum() == 8
    assert sheets["gaps"]["id"].tolist() == ["2.1.a"]


def test_cli_by_actor_and_act_and_their_filters(world):
    res = aptag(world, "--by", "actor,act", "--format", "csv")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout), dtype={"id": str})
    got = {(r.actor, r.act): r.passages for r in df[df["id"] == "1.1.a"].itertuples()}
    assert got == {("eu", "raised"): 1, ("none", "none"): 1, ("unknown", "unknown"): 1}
    res = aptag(world, "--actor", "eu", "--act", "raised", "--format", "json")
    assert res.exit_code == 0, res.output
    cov = {r["id"]: r["passages"] for r in json.loads(res.stdout)["coverage"]}
    assert cov == {"1.1.a": 1, "1.1.b": 0, "1.2.a": 0, "2.1.a": 0, "2.1.b": 0}
    bad = aptag(world, "--actor", "EU")
    assert bad.exit_code == 2 and "--actor" in bad.output


@pytest.mark.parametrize("args, message", [
    (["--by", "region"], "--by takes country, doc_type, period"),
    (["--from", "2023-13"], "valid date"),
    (["--from", "2024", "--to", "2023"], "is after --to"),
    (["--period", "week"], "month, quarter, year"),
    (["--level", "chapter"], "'item' or one of line, section, item"),
    (["--format", "pdf"], "table, csv, xlsx, json"),
    (["--format", "xlsx"], "give -o FILE.xlsx"),
])
def test_cli_bad_usage_exits_2_naming_the_problem(world, args, message):
    res = aptag(world, *args)
    assert res.exit_code == 2
    assert message in " ".join(res.output.split()).replace("│", "").replace("  ", " ") or message in res.output


def test_cli_without_workspace_says_how_to_make_one(tmp_path):
    res = runner.invoke(app, ["coverage", "-w", str(tmp_path / "none")])
    assert res.exit_code == 1
    assert "No workspace" in res.output and "aptag ingest" in res.output


def test_cli_model_without_predictions_is_refused(world):
    res = aptag(world, "--model", "nope")
    assert res.exit_code == 1
    assert "Model 'nope'" in res.output and "models with predictions: m0, m1" in res.output


def test_notebook_runs_against_a_workspace(world, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("APTAG_WORKSPACE", str(world))
    monkeypatch.setenv("APTAG_TAXONOMY", str(world / "tiny.yaml"))
    nb = nbformat.read(ROOT / "notebooks" / "coverage.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = "\n".join(o.get("text", "") + json.dumps(o.get("data", {})) for c in nb.cells if c.cell_type == "code"
                        for o in c.get("outputs", []))
    assert "Model m1" in outputs and "1.1.a" in outputs
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
