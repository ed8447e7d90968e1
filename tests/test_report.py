"""The report's data (cube, evidence), its escaping and self-containment, the table writers'
edge cases, and `aptag report`, on the hand-built workspace of coverage_world.py."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coverage_world import SCRIPT_TEXT, build_world, tiny_taxonomy
from pipeline import coverage as cv
from pipeline.cli import app
from pipeline.report import build_report
from pipeline.report.data import build_payload, highlight_span, select_evidence, to_json
from pipeline.report.html import render_html
from pipeline.store import Workspace

DATA_BLOCK = re.compile(r'<script type="application/json" id="aptag-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def nodes() -> pd.DataFrame:
    return cv.taxonomy_frame(tiny_taxonomy())


def make_page(world: Path, nodes: pd.DataFrame, **kw) -> str:
    with Workspace(world, create=False, read_only=True) as ws:
        inputs = cv.load_inputs(ws)
        return build_report(ws, inputs, nodes, taxonomy={"id": "tiny", "name": "Tiny plan"},
                            generated_at=datetime(2024, 6, 1, 12, 0), **kw)


def payload_of(page: str) -> dict:
    return json.loads(DATA_BLOCK.search(page).group(1))


@pytest.fixture(scope="module")
def page(world, nodes) -> str:
    return make_page(world, nodes)


def decode(payload: dict, level: str) -> dict:
    """The cube level expanded as report.js decodeCube does."""
    cb, sl, start = payload["cube"][level], payload["slices"], payload["dims"]["period_start"]
    n = len(cb["n"])

    def dense(col):
        if isinstance(col, list):
            return col
        out = [0] * n
        for i, v in zip(col["i"], col["v"]):
            out[i] = v
        return out

    dd, lf, u = dense(cb["dd"]), dense(cb["lf"]), dense(cb["u"])
    first = [None if f < 0 else start[sl["p"][k]] + f for f, k in zip(cb["f"], cb["k"])]
    return {"node": cb["node"], "n": cb["n"], "u": u, "r": dense(cb["r"]),
            "c": [sl["c"][k] for k in cb["k"]], "t": [sl["t"][k] for k in cb["k"]], "p": [sl["p"][k] for k in cb["k"]],
            "d": [a - b for a, b in zip(cb["n"], dd)], "s": [m / 100 * (a - b) for m, a, b in zip(cb["m"], cb["n"], u)],
            "f": first, "l": [None if f is None else f + x for f, x in zip(first, lf)]}


def cube_sum(payload: dict, level: str, node_id: str | None, field: str = "n", **where) -> int:
    cube = decode(payload, level)
    index = [n[0] for n in payload["nodes"]].index(node_id) if node_id else -1
    dims = payload["dims"]
    total = 0
    for k in range(len(cube["n"])):
        if cube["node"][k] != index:
            continue
        if any(dims[{"c": "country", "t": "doc_type", "p": "period"}[key]][cube[key][k]] != value
               for key, value in where.items()):
            continue
        total += cube[field][k]
    return total


@pytest.mark.parametrize("level, node_id, where, passages", [
    ("item", "1.1.a", {}, 3),
    ("item", "1.1.a", {"c": "KE", "p": "2023-Q1"}, 2),
    ("item", "1.2.a", {"c": "SN"}, 1),
    ("section", "1.1", {}, 4),          # P1 carries 1.1.a and 1.1.b but counts once for the section
    ("line", "1", {}, 6),
    ("*", None, {}, 6),                  # passages with any evidence
    ("*", None, {"c": "KE"}, 4),
])
def test_cube_cells_sum_to_distinct_passages(page, level, node_id, where, passages):
    assert cube_sum(payload_of(page), level, node_id, **where) == passages


def test_cube_counts_documents_review_and_unscored_tags(page):
    p = payload_of(page)
    assert cube_sum(p, "section", "1.1", "d") == 3
    assert cube_sum(p, "item", "1.2.a", "r") == 1 and cube_sum(p, "section", "2.1", "r") == 1
    assert cube_sum(p, "item", "2.1.b", "u") == 1          # the reviewer's tag has no score
    assert cube_sum(p, "*", None, "r") == 2


def test_cube_keeps_scores_and_dates(page):
    p = payload_of(page)
    assert cube_sum(p, "item", "1.1.a", "s") == pytest.approx(2.4)          # 0.9 + 0.7 + 0.8
    cube, index = decode(p, "item"), [n[0] for n in p["nodes"]].index("1.2.a")
    days = sorted(d for node, d in zip(cube["node"], cube["f"]) if node == index and d is not None)
    assert [str(pd.Timestamp("1970-01-01") + pd.Timedelta(days=d))[:10] for d in days] == ["2023-04-03", "2023-05-20"]


def test_dims_and_slices(page):
    p = payload_of(page)
    assert p["dims"]["country"] == ["KE", "SN"]
    assert p["dims"]["period"] == ["2023-Q1", "2023-Q2", "undated"]
    assert sum(p["slices"]["documents"]) == 4 and sum(p["slices"]["passages"]) == 7


def test_periods_between_are_filled_so_neighbours_differ_by_one(world, nodes):
    p = payload_of(make_page(world, nodes, period="month"))
    assert p["dims"]["period"] == ["2023-02", "2023-03", "2023-04", "2023-05", "undated"]


def test_evidence_reviewed_first_then_by_score_with_offsets(page):
    p = payload_of(page)
    ids = [n[0] for n in p["nodes"]]
    ev = p["evidence"][str(ids.index("1.2.a"))]
    texts = [p["passages"][e[0]][2] for e in ev]
    assert texts == [TEXT_P4, SCRIPT_TEXT]
    start, end = ev[1][2], ev[1][3]
    assert SCRIPT_TEXT[start:end] == SCRIPT_TEXT[:44]
    assert str(ids.index("2.1.a")) not in p["evidence"]   # only to review: no evidence shown


TEXT_P4 = "Human rights defenders met the delegation."


def test_max_evidence_caps_the_passages_embedded_per_item(world, nodes):
    p = payload_of(make_page(world, nodes, max_evidence=1))
    assert all(len(v) == 1 for v in p["evidence"].values())
    assert p["meta"]["max_evidence"] == 1
    assert cube_sum(p, "item", "1.1.a") == 3   # counts still include every passage


def test_document_text_never_reaches_the_page_as_markup(page):
    assert "<script>alert" not in page
    assert "<b>sub-committee" not in page
    data = DATA_BLOCK.search(page).group(1)
    assert "</" not in data and "<" not in data
    assert SCRIPT_TEXT in [p[2] for p in payload_of(page)["passages"]]


def test_title_is_escaped(world, nodes):
    page = make_page(world, nodes, title='Kenya </title><script>alert(1)</script> & co')
    assert "<script>alert(1)" not in page
    assert "Kenya &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_marker_text_in_data_is_not_substituted(world, nodes):
    page = make_page(world, nodes, title="@@DATA@@ and @@JS@@")
    assert "<title>@@DATA@@ and @@JS@@</title>" in page


def test_page_is_self_contained(page):
    assert not re.search(r'(src|href)\s*=\s*"(?!data:)', page)
    assert "http://" not in page and "https://" not in page
    assert "default-src 'none'" in page
    assert page.count("<script") == 2  # the data block and the inline script, nothing else


def test_payload_json_round_trips_non_finite_numbers_as_null():
    text = to_json({"a": float("nan"), "b": [1.5, float("inf")], "c": "</script><!--"})
    assert json.loads(text) == {"a": None, "b": [1.5, None], "c": "</script><!--"}
    assert "<" not in text


@pytest.mark.parametrize("evidence, expected", [
    ({"start": 0, "end": 5, "sentence": "Hello"}, (0, 5)),
    ('{"start": 6, "end": 11, "sentence": "world"}', (6, 11)),
    ({"start": 0, "end": 5, "sentence": "world"}, (6, 11)),      # offsets disagree: find the sentence
    ({"start": 3, "end": 99, "sentence": ""}, None),             # offsets outside the text
    ({"start": 3, "end": 99, "sentence": "absent"}, None),
    ("not json", None),
    (None, None),
])
def test_highlight_span(evidence, expected):
    assert highlight_span("Hello world.", evidence) == expected


def test_report_of_an_empty_workspace_still_renders(tmp_path, nodes):
    with Workspace(tmp_path / "ws") as ws:
        inputs = cv.load_inputs(ws)
        page = build_report(ws, inputs, nodes)
    p = payload_of(page)
    assert p["dims"]["period"] == [] and p["cube"]["item"]["n"] == [] and p["evidence"] == {}


def test_select_evidence_respects_the_slice(world, nodes):
    with Workspace(world, create=False, read_only=True) as ws:
        facts = cv.load_inputs(ws).facts()
    pairs = select_evidence(facts, nodes, 20, cv.Slice(countries=("SN",)))
    assert sorted(zip(pairs["passage_id"], pairs["item_id"])) == [("P4", "1.2.a"), ("P6", "1.1.b")]


# --- the command -----------------------------------------------------------------------------

runner = CliRunner()


def test_cli_report_writes_one_html_file(world, tmp_path):
    out = tmp_path / "out" / "report.html"
    res = runner.invoke(app, ["report", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"), "-o", str(out),
                              "--country", "KE", "--title", "Kenya 2023"])
    assert res.exit_code == 0, res.output
    assert "Wrote" in res.output and str(out) in res.output.replace("\n", "")
    p = payload_of(out.read_text(encoding="utf-8"))
    assert p["meta"]["title"] == "Kenya 2023" and p["meta"]["scope"] == "country KE"
    assert p["dims"]["country"] == ["KE"] and sum(p["slices"]["documents"]) == 2


def test_cli_report_defaults_to_the_workspace(world):
    res = runner.invoke(app, ["report", "-w", str(world), "--taxonomy", str(world / "tiny.yaml")])
    assert res.exit_code == 0, res.output
    assert (world / "report.html").is_file()
    (world / "report.html").unlink()


def test_cli_report_bad_period_is_usage_error(world):
    res = runner.invoke(app, ["report", "-w", str(world), "--period", "decade"])
    assert res.exit_code == 2 and "month, quarter, year" in res.output


@pytest.mark.slow
def test_cli_run_ingests_tags_counts_and_reports_and_a_rerun_does_no_new_work(tmp_path):
    root = Path(__file__).resolve().parents[1] / "corpus" / "samples"
    src = tmp_path / "in"
    src.mkdir()
    for name in ("2023-06-21_meridia_subcommittee-minutes.txt", "2025-02-11_valdoria_hr-consultations-minutes.md"):
        if not (root / name).exists():
            pytest.skip(f"sample {name} not in corpus/samples")
        (src / name).write_bytes((root / name).read_bytes())
    ws, out = tmp_path / "ws", tmp_path / "report.html"
    args = ["run", str(src), "-w", str(ws), "-o", str(out), "--model", "lexical.v1"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "Ingested 2 file(s), 0 unchanged, 0 failed" in first.output
    assert "items with evidence in 2 documents" in first.output and str(out) in first.output.replace("\n", "")
    p = payload_of(out.read_text(encoding="utf-8"))
    assert p["meta"]["model_id"].startswith("lexical.v1") and sum(p["slices"]["documents"]) == 2
    assert sorted(p["dims"]["country"]) == ["Meridia", "Valdoria"]
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "Ingested 0 file(s), 2 unchanged" in again.output and "Tagged 0 passage(s)" in again.output
