"""Review queues out, corrections in: selection, every format's round trip, and bad input."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.annotate import (FORMATS, annotated_labels, detect_format, labelstudio_config, parse_corrections,
                               render_queue, resolve_corrections, select_for_review, write_annotations)
from pipeline.cli import app
from pipeline.store import Workspace
from pipeline.taxonomy import load_taxonomy

from tests.conftest import ROOT

COUNTRIES = ["Ostrana", "Ostrana", "Velmora", "Velmora", "Kestria", "Kestria"]


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy(ROOT / "configs" / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml")


def _predictions() -> pd.DataFrame:
    """Two models over six passages: p0 both confident, p1 they disagree, p2 near a threshold,
    p3 confident reject, p4/p5 disagree about other items."""
    rows = [
        ("p0", "1.1.a", 0.95, "semantic.v1", True), ("p0", "1.1.a", 0.9, "lexical.v1", True),
        ("p1", "1.1.b", 0.70, "semantic.v1", True), ("p1", "1.1.b", 0.05, "lexical.v1", False),
        ("p2", "1.2.a", 0.51, "semantic.v1", True), ("p2", "1.2.a", 0.52, "lexical.v1", True),
        ("p3", "1.1.a", 0.02, "semantic.v1", False),
        ("p4", "1.1.b", 0.80, "semantic.v1", True), ("p4", "1.1.b", 0.10, "lexical.v1", False),
        ("p5", "1.3.a", 0.75, "lexical.v1", True), ("p5", "1.3.a", 0.20, "semantic.v1", False),
    ]
    df = pd.DataFrame(rows, columns=["passage_id", "item_id", "score", "model_id", "accepted"])
    df["evidence"] = [json.dumps({"start": 0, "end": 5, "sentence": f"evidence {i}", "terms": []}) for i in range(len(df))]
    return df


def _passages() -> pd.DataFrame:
    return pd.DataFrame({"passage_id": [f"p{i}" for i in range(6)], "doc_id": ["d0", "d0", "d1", "d1", "d2", "d2"],
                         "seq": [0, 1, 0, 1, 0, 1], "text": [f"Passage number {i}, about rights; \"quoted\"." for i in range(6)],
                         "char_start": 0, "char_end": 40})


@pytest.fixture()
def ws(tmp_path):
    with Workspace(tmp_path / "ws") as w:
        docs = pd.DataFrame({"doc_id": ["d0", "d1", "d2"], "source_path": ["a.txt", "b.txt", "c.txt"],
                             "status": "ok", "country": ["Ostrana", "Velmora", "Kestria"], "title": ["A", "B", "C"]})
        w.insert_df("documents", docs)
        w.insert_df("passages", _passages())
        w.insert_df("predictions", _predictions())
        yield w


def _queue(n=6) -> pd.DataFrame:
    passages = _passages().assign(country=COUNTRIES, title="T")
    return select_for_review(passages, _predictions(), n=n)


def test_queue_puts_disagreement_and_uncertainty_before_confident_agreement():
    q = _queue()
    order = list(q["passage_id"])
    assert order.index("p1") < order.index("p0")
    assert "p3" not in order or order.index("p3") > order.index("p1")
    assert q.set_index("passage_id").at["p1", "reason"].startswith("1.1.b: taggers disagree (1/2 accept)")


def test_queue_spreads_over_items_and_countries():
    # p1 and p4 both have 1.1.b as their top item and equal value; p5 (another item, another
    # country) should be picked before the second 1.1.b passage.
    order = list(_queue(3)["passage_id"])
    assert order[:1] in (["p1"], ["p4"]) and "p5" in order[:2]


def test_queue_skips_annotated_passages():
    passages = _passages().assign(country=COUNTRIES)
    q = select_for_review(passages, _predictions(), n=6, annotated={"p1", "p4"})
    assert not {"p1", "p4"} & set(q["passage_id"])


def _edit(fmt: str, text: str, corrections: dict[str, list[str]]) -> str:
    """What a reviewer does: set the corrected items of each passage, in each tool's own way."""
    if fmt == "csv":
        df = pd.read_csv(__import__("io").StringIO(text), dtype=str, keep_default_na=False)
        df["items"] = df["passage_id"].map(lambda p: ";".join(corrections[p]))
        df["decision"] = "edit"
        return df.to_csv(index=False)
    if fmt in ("jsonl", "doccano"):
        key = "items" if fmt == "jsonl" else "label"
        rows = [json.loads(line) for line in text.splitlines()]
        decided = {"decision": "edit"} if fmt == "jsonl" else {}
        return "".join(json.dumps({**r, key: corrections[r["passage_id"]], **decided}) + "\n" for r in rows)
    # Label Studio's JSON export: each task gains an annotation with the reviewer's choices.
    tasks = json.loads(text)
    for k, t in enumerate(tasks):
        t["id"] = k + 1
        t["annotations"] = [{"id": k + 100, "completed_by": {"email": "officer@eu"}, "was_cancelled": False,
                             "updated_at": "2025-03-01T10:00:00Z",
                             "result": [{"from_name": "items", "to_name": "text", "type": "choices",
                                         "value": {"choices": corrections[t["data"]["passage_id"]]}}]}]
    return json.dumps(tasks)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_round_trips(fmt, tax, ws):
    q = _queue()
    text = render_queue(q, fmt)
    name = {"csv": "q.csv", "jsonl": "q.jsonl", "doccano": "q.jsonl", "labelstudio": "q.json"}[fmt]
    assert detect_format(name, text) == fmt
    back = parse_corrections(text, fmt)
    assert list(back["passage_id"]) == list(q["passage_id"])
    if fmt == "labelstudio":  # suggestions travel as predictions; a task has no items until annotated
        assert back["items"].isna().all()
    else:
        assert [sorted(x) for x in back["items"]] == [sorted(x) for x in q["items"]]
    assert [sorted(x) for x in back["candidates"]] == [sorted(x) for x in q["candidates"]]

    corrections = {p: [] for p in q["passage_id"]} | {"p1": ["1.1.b", "1.4.a"], "p2": []}
    rows = parse_corrections(_edit(fmt, text, corrections), fmt)
    ann, report = resolve_corrections(rows, taxonomy=tax, known_passages=set(_passages()["passage_id"]),
                                      existing=ws.table("annotations"), source=name, annotator="tester")
    write_annotations(ws, ann)
    labels = annotated_labels(ws.table("annotations")).set_index("passage_id")["items"].to_dict()
    assert labels["p1"] == ["1.1.b", "1.4.a"] and labels["p2"] == []
    stored = ws.table("annotations").set_index(["passage_id", "item_id"])["value"]
    assert stored[("p2", "1.2.a")] == 0  # the suggestion the reviewer removed is a recorded rejection
    assert report.skipped == [] and report.conflicts == []
    if fmt == "labelstudio":
        assert set(ws.table("annotations")["annotator"]) == {"labelstudio:officer@eu"}


def test_reimport_changes_nothing(tax, ws):
    text = "".join(json.dumps({**json.loads(line), "decision": "accept"}) + "\n"
                   for line in render_queue(_queue(), "jsonl").splitlines())
    rows = parse_corrections(text, "jsonl")
    kw = dict(taxonomy=tax, known_passages=set(_passages()["passage_id"]), source="q.jsonl", annotator="t")
    ann, first = resolve_corrections(rows, existing=ws.table("annotations"), **kw)
    write_annotations(ws, ann)
    ann2, second = resolve_corrections(rows, existing=ws.table("annotations"), **kw)
    assert first.took > 0 and second.took == 0 and second.unchanged == first.took
    assert len(ws.table("annotations")) == first.took


def test_bad_rows_are_skipped_with_reasons_and_conflicts_reported(tax, ws):
    lines = [
        # a typo in an item ID: the whole row is skipped, so its other candidate is not recorded as rejected
        {"passage_id": "p0", "items": ["1.1.a", "9.9.z"], "candidates": ["1.1.a", "1.1.b"]},
        {"passage_id": "gone", "items": ["1.1.a"]},                 # passage no longer in the workspace
        {"passage_id": "p1", "items": ["1.1.b"]},
        {"passage_id": "p1", "items": ["1.1.b"]},                   # duplicate: same answer
        {"passage_id": "p2", "items": ["1.2.a"]},
        {"passage_id": "p2", "items": [], "candidates": ["1.2.a"]},  # contradiction: last one wins
        {"passage_id": "p3"},                                       # no items field
    ]
    text = "".join(json.dumps(x) + "\n" for x in lines)
    ann, report = resolve_corrections(parse_corrections(text, "jsonl"), taxonomy=tax,
                                      known_passages=set(_passages()["passage_id"]),
                                      existing=ws.table("annotations"), source="bad.jsonl", annotator="t")
    got = {(r.passage_id, r.item_id): r.value for r in ann.itertuples()}
    assert got == {("p1", "1.1.b"): 1, ("p2", "1.2.a"): 0}
    joined = "\n".join(report.lines())
    assert "row 1: unknown item ID '9.9.z' on passage p0" in joined and "the whole row is skipped" in joined
    assert "row 2: passage gone is not in the workspace" in joined
    assert "row 7: passage p3 has no items field" in joined
    assert report.conflicts == ["passage p2 item 1.2.a: row 5 says 1, row 6 says 0; kept 0"]
    assert report.took == 2 and report.passages == 2


def test_import_over_an_earlier_annotation_reports_the_change(tax, ws):
    write_annotations(ws, pd.DataFrame([{"passage_id": "p0", "item_id": "1.1.a", "value": 1, "annotator": "a",
                                         "at": datetime(2024, 1, 1), "source": "old"}]))
    rows = parse_corrections(json.dumps({"passage_id": "p0", "items": [], "candidates": ["1.1.a"]}), "jsonl")
    ann, report = resolve_corrections(rows, taxonomy=tax, known_passages={"p0"},
                                      existing=ws.table("annotations"), source="new", annotator="b")
    write_annotations(ws, ann)
    assert report.conflicts == ["passage p0 item 1.1.a: the workspace had 1, row 1 says 0; kept 0"]
    assert ws.table("annotations")[["item_id", "value", "source"]].values.tolist() == [["1.1.a", 0, "new"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_file_is_reported(fmt, tax):
    rows = parse_corrections("", fmt)
    ann, report = resolve_corrections(rows, taxonomy=tax, known_passages=set(), existing=pd.DataFrame(
        columns=["passage_id", "item_id", "value"]), source="empty", annotator="t")
    assert ann.empty and report.took == 0
    assert "empty file" in report.lines()[1]


def test_labelstudio_cancelled_and_unannotated_tasks_are_skipped(tax):
    tasks = [{"data": {"passage_id": "p0"}, "annotations": []},
             {"data": {"passage_id": "p1"}, "annotations": [{"was_cancelled": True, "result": []}]}]
    rows = parse_corrections(json.dumps(tasks), "labelstudio")
    _, report = resolve_corrections(rows, taxonomy=tax, known_passages={"p0", "p1"},
                                    existing=pd.DataFrame(columns=["passage_id", "item_id", "value"]),
                                    source="ls.json", annotator="t")
    assert report.skipped == ["row 1: passage p0 has no items field (not annotated)",
                              "row 2: the annotation was cancelled in Label Studio"]


def test_labelstudio_json_min_export_is_read(tax):
    rows = parse_corrections(json.dumps([{"passage_id": "p0", "items": {"choices": ["1.1.a"]},
                                          "annotator": "x@eu", "updated_at": "2025-01-01"},
                                         {"passage_id": "p1", "items": "1.1.b"}]), "labelstudio")
    assert rows["items"].tolist() == [["1.1.a"], ["1.1.b"]]


def test_labelstudio_config_lists_every_item(tax):
    xml = labelstudio_config(tax)
    assert xml.count("<Choice ") == 140 and 'value="1.1.a"' in xml


@pytest.mark.parametrize("name, text, message", [
    ("x.txt", "", "Cannot tell the format of x.txt"),
])
def test_unknown_format_is_explained(name, text, message):
    from pipeline.errors import GoldError

    with pytest.raises(GoldError, match=message):
        detect_format(name, text)


def test_cli_export_then_import(tmp_path, ws):
    ws.close()
    runner = CliRunner()
    out = tmp_path / "queue.csv"
    res = runner.invoke(app, ["review", "export", "--n", "3", "--format", "csv", "-o", str(out),
                              "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 0, res.output
    assert "3 passages" in res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert (df["decision"] == "").all()  # the decision column starts empty
    untouched = runner.invoke(app, ["review", "import", str(out), "--workspace", str(tmp_path / "ws")])
    assert untouched.exit_code == 1 and "3 rows with an empty decision column were skipped" in untouched.output
    with Workspace(tmp_path / "ws") as w:
        assert w.table("annotations").empty  # the machine's suggestions never become labels by themselves
    df.loc[0, "items"] = df.loc[0, "items"] + ";7.7.q"
    df.loc[0, "decision"] = "edit"
    df.loc[1, "decision"] = "reject"
    df.to_csv(out, index=False)
    res = runner.invoke(app, ["review", "import", str(out), "--workspace", str(tmp_path / "ws"),
                              "--annotator", "me"])
    assert res.exit_code == 0, res.output
    assert "unknown item ID '7.7.q'" in res.output and "1 rows with an empty decision" in res.output
    with Workspace(tmp_path / "ws") as w:
        ann = w.table("annotations")
    assert set(ann["passage_id"]) == {df.loc[1, "passage_id"]} and (ann["value"] == 0).all()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    res = runner.invoke(app, ["review", "import", str(empty), "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 1
    assert "empty file" in res.output and "nothing imported" in res.output


def test_import_from_a_report_of_another_model_says_what_matched(tmp_path, ws):
    ws.close()
    rows = [{"passage_id": "p0", "items": ["1.1.a"], "candidates": ["1.1.a"], "decision": "edit", "annotator": "A",
             "model_id": "ensemble.v1-elsewhere", "source": "report"},
            {"passage_id": "zz", "items": [], "candidates": ["1.1.b"], "decision": "edit", "annotator": "A",
             "model_id": "ensemble.v1-elsewhere", "source": "report"}]
    path = tmp_path / "aptag-corrections.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = CliRunner().invoke(app, ["review", "import", str(path), "--workspace", str(tmp_path / "ws")])
    assert res.exit_code == 0, res.output
    assert "downloaded from a report of model ensemble.v1-elsewhere" in res.output
    assert "1 of 2 passages are in this workspace" in res.output and "passage zz is not in the workspace" in res.output
    with Workspace(tmp_path / "ws") as w:
        ann = w.table("annotations")
    assert list(zip(ann["passage_id"], ann["item_id"], ann["value"], ann["annotator"])) == [("p0", "1.1.a", 1, "A")]
