"""Corpus exports: row selection and label merging, round trips for every format, redaction with
evidence offsets, the manifest, the redaction defaults, `aptag export` and `aptag names`."""

import hashlib
import json
import shutil
import zlib
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cells import unguard_cell
from pipeline.cli import app
from pipeline.coverage import Slice
from pipeline.errors import ExportError
from pipeline.export.corpus import decide_redaction, export_corpus, manifest_path
from pipeline.export.names import add_names, list_names, remove_names
from pipeline.export.rows import ExportFilters, load_rows
from pipeline.export.writers import FORMATS
from pipeline.store import Workspace

T1 = "Mr. Tomas Keller, a journalist, was arrested on 3 May. Keller's lawyer called +32 470 12 34 56."
T2 = "The human rights defender Aïcha Diallo met the Delegation. Contact: a.diallo@example.org."
T3 = "Le Gouvernement a adopté une loi sur les ONG ; Tamar Beridze craint des représailles."
T4 = "The Delegation discussed the budget of the civil society programme for 2025."
USER_LIST = ["Tamar Beridze", "Tomas Keller", "Aïcha Diallo"]
ITEMS = ["1.1.a", "1.2.b", "2.1.g", "3.4.a"]
runner = CliRunner()


def evidence(text: str, sentence: str, terms: list[str]) -> str:
    start = text.index(sentence)
    return json.dumps({"start": start, "end": start + len(sentence), "sentence": sentence, "terms": terms})


def make_workspace(path: Path) -> Path:
    """Two documents, four passages naming people, predictions of model m1 (one below threshold)
    and reviews: p2's item reviewed twice (0 then 1, latest wins), p1 given an item by review only,
    p3's prediction rejected by review."""
    with Workspace(path) as ws:
        _fill(ws)
        add_names(ws, USER_LIST)
    return path


def _fill(ws) -> None:
    with ws.transaction():
        ws.insert_df("documents", pd.DataFrame([
            {"doc_id": "d1", "source_path": "/home/officer/in/Keller_report.pdf", "sha256": "a", "format": "pdf",
             "doc_type": "report", "country": "KE", "date": date(2024, 3, 1), "language": "en",
             "title": "Case of Tomas Keller", "status": "ok"},
            {"doc_id": "d2", "source_path": "minutes.docx", "sha256": "b", "format": "docx", "doc_type": "minutes",
             "country": "SN", "date": date(2023, 6, 10), "language": "fr", "title": "Dialogue", "status": "ok"}]))
        ws.insert_df("passages", pd.DataFrame([
            {"passage_id": "p1", "doc_id": "d1", "seq": 0, "text": T1, "char_start": 0, "char_end": len(T1),
             "page": 1, "heading": "Tomas Keller", "language": "en"},
            {"passage_id": "p2", "doc_id": "d1", "seq": 1, "text": T2, "char_start": 200, "char_end": 200 + len(T2),
             "page": None, "heading": None, "language": "en"},
            {"passage_id": "p3", "doc_id": "d2", "seq": 0, "text": T3, "char_start": 0, "char_end": len(T3),
             "page": 2, "heading": None, "language": "fr"},
            {"passage_id": "p4", "doc_id": "d2", "seq": 1, "text": T4, "char_start": 90, "char_end": 90 + len(T4),
             "page": 2, "heading": None, "language": "en"}]))
        ws.insert_df("predictions", pd.DataFrame([
            {"passage_id": "p1", "item_id": "1.1.a", "score": 0.9, "model_id": "m1", "accepted": True,
             "evidence": evidence(T1, "Mr. Tomas Keller, a journalist, was arrested on 3 May.", ["journalist"])},
            {"passage_id": "p1", "item_id": "1.2.b", "score": 0.3, "model_id": "m1", "accepted": False,
             "evidence": None},
            {"passage_id": "p2", "item_id": "3.4.a", "score": 0.7, "model_id": "m1", "accepted": True,
             "evidence": evidence(T2, "The human rights defender Aïcha Diallo met the Delegation.",
                                  ["human rights defender"])},
            {"passage_id": "p3", "item_id": "3.4.a", "score": 0.6, "model_id": "m1", "accepted": True,
             "evidence": evidence(T3, "Tamar Beridze craint des représailles.", ["représailles"])},
            {"passage_id": "p3", "item_id": "1.1.a", "score": 0.5, "model_id": "m1", "accepted": True,
             "evidence": evidence(T3, "Le Gouvernement a adopté une loi sur les ONG ;", ["ONG"])},
            {"passage_id": "p4", "item_id": "3.4.a", "score": 0.45, "model_id": "m1", "accepted": True,
             "evidence": None}]))
        ann = pd.DataFrame([
            {"passage_id": "p2", "item_id": "3.4.a", "value": 1, "at": datetime(2024, 5, 1)},
            {"passage_id": "p2", "item_id": "3.4.a", "value": 0, "at": datetime(2024, 4, 1)},
            {"passage_id": "p1", "item_id": "2.1.g", "value": 1, "at": datetime(2024, 4, 1)},
            {"passage_id": "p3", "item_id": "1.1.a", "value": 0, "at": datetime(2024, 4, 2)}])
        ann["annotator"], ann["source"] = "officer", "test"
        ws.con.register("_ann", ann)
        ws.con.execute('INSERT INTO annotations SELECT passage_id, item_id, value, annotator, "at", source FROM _ann')
        ws.con.unregister("_ann")
        ws.set_setting("current_model", "m1")


@pytest.fixture()
def ws_path(tmp_path):
    return make_workspace(tmp_path / "ws")


def rows_of(ws_path, **filters):
    with Workspace(ws_path, create=False, read_only=True) as ws:
        return load_rows(ws, filters=ExportFilters(**filters), model_id="m1", taxonomy_id="ap")


# --- rows ---------------------------------------------------------------------------------------
def test_rows_merge_predictions_and_reviews(ws_path):
    rows = rows_of(ws_path).set_index("passage_id")
    assert list(rows.index) == ["p1", "p2", "p3", "p4"]
    assert rows.loc["p1", "items"] == ["1.1.a", "2.1.g"]  # 1.2.b under threshold; 2.1.g from review only
    assert rows.loc["p1", "labels"] == [{"item_id": "1.1.a", "label": 1, "score": 0.9, "source": "predicted"},
                                        {"item_id": "2.1.g", "label": 1, "score": None, "source": "reviewed"}]
    assert rows.loc["p2", "labels"] == [{"item_id": "3.4.a", "label": 1, "score": 0.7, "source": "reviewed"}]
    assert rows.loc["p3", "items"] == ["3.4.a"]  # 1.1.a rejected by review, kept as a 0 label
    assert {"item_id": "1.1.a", "label": 0, "score": 0.5, "source": "reviewed"} in rows.loc["p3", "labels"]
    assert [e["item_id"] for e in rows.loc["p3", "evidence"]] == ["3.4.a"]
    r = rows.loc["p1"]
    assert (r["source_file"], r["country"], r["doc_type"], r["date"], r["taxonomy_id"], r["model_id"]) == \
        ("Keller_report.pdf", "KE", "report", "2024-03-01", "ap", "m1")
    assert r["country_code"] == "KEN"  # the ISO alpha-3 beside the country as the workspace holds it


@pytest.mark.parametrize("filters, expected", [
    ({"slice": Slice(countries=("SN",))}, ["p3", "p4"]),
    ({"slice": Slice(doc_types=("report",))}, ["p1", "p2"]),
    ({"slice": Slice(start=date(2024, 1, 1))}, ["p1", "p2"]),
    ({"slice": Slice(end=date(2023, 12, 31))}, ["p3", "p4"]),
    ({"items": ("2.1.g",)}, ["p1"]),
    ({"items": ("3.4",)}, ["p2", "p3", "p4"]),  # a section selects its items
    ({"items": ("1",)}, ["p1"]),  # a line too; p3's 1.1.a was rejected
    ({"reviewed_only": True}, ["p1", "p2", "p3"]),
])
def test_filters_select_passages(ws_path, filters, expected):
    assert list(rows_of(ws_path, **filters)["passage_id"]) == expected


def test_min_score_drops_predicted_labels_only(ws_path):
    rows = rows_of(ws_path, min_score=0.65).set_index("passage_id")
    assert rows.loc["p1", "items"] == ["1.1.a", "2.1.g"]
    assert rows.loc["p3", "items"] == []  # 0.6 < 0.65
    assert rows.loc["p4", "items"] == []
    assert rows.loc["p2", "items"] == ["3.4.a"]  # reviewed: kept whatever its score


def test_reviewed_only_keeps_reviewed_labels_only(ws_path):
    rows = rows_of(ws_path, reviewed_only=True).set_index("passage_id")
    assert rows.loc["p1", "items"] == ["2.1.g"]
    assert all(lab["source"] == "reviewed" for labs in rows["labels"] for lab in labs)


# --- round trips ---------------------------------------------------------------------------------
def read_back(fmt: str, path: Path) -> list[dict]:
    """Each export read with its own library: passage_id, text, items, (score, source) per label, evidence."""
    if fmt in ("jsonl", "doccano"):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        if fmt == "doccano":
            return [{"passage_id": r["passage_id"], "text": r["text"], "items": r["label"], "labels": r["labels"],
                     "evidence": [{"item_id": i, "start": s, "end": e} for s, e, i in r["evidence"]]} for r in rows]
        return rows
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        return [{"passage_id": r.passage_id, "text": unguard_cell(r.text), "items": r["items"].split(";") if r["items"] else [],
                 "labels": json.loads(r["labels"]), "evidence": json.loads(r["evidence"])} for _, r in df.iterrows()]
    if fmt == "parquet":
        return pd.read_parquet(path).to_dict("records")
    if fmt == "hf":
        from datasets import load_from_disk

        return list(load_from_disk(str(path))["train"])
    if fmt == "spacy":
        import spacy
        from spacy.tokens import DocBin

        docs = DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)
        return [{"passage_id": d.user_data["passage_id"], "text": d.text, "labels": d.user_data["labels"],
                 "items": sorted((k for k, v in d.cats.items() if v == 1.0), key=ITEMS.index),
                 "evidence": [{"item_id": s.label_, "start": s.start_char, "end": s.end_char}
                              for s in d.spans["evidence"]]} for d in docs]
    tasks = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for t in tasks:
        results = [r for block in ("predictions", "annotations") for x in t.get(block, []) for r in x["result"]]
        out.append({"passage_id": t["data"]["passage_id"], "text": t["data"]["text"],
                    "items": sorted((c for r in results if r["type"] == "choices" for c in r["value"]["choices"]),
                                    key=ITEMS.index),
                    "evidence": [{"item_id": r["value"]["labels"][0], "start": r["value"]["start"],
                                  "end": r["value"]["end"]} for r in results if r["type"] == "labels"]})
    return out


def _plain(v):
    return [_plain(x) for x in v] if hasattr(v, "__len__") and not isinstance(v, (str, dict)) else \
        {k: _plain(x) for k, x in v.items()} if isinstance(v, dict) else v


def target(fmt: str, tmp_path: Path) -> Path:
    return tmp_path / "out" / (f"corpus.{fmt}" if fmt != "hf" else "corpus_hf")


@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_gives_same_passages_labels_and_evidence(ws_path, tmp_path, fmt, redact):
    rows = rows_of(ws_path)
    out = target(fmt, tmp_path)
    export_corpus(rows, fmt, out, redact=redact, reason="test", user_names=USER_LIST, filters=ExportFilters(),
                  taxonomy_id="ap", model_id="m1", labels=ITEMS)
    back = sorted(read_back(fmt, out), key=lambda r: r["passage_id"])
    assert [r["passage_id"] for r in back] == list(rows["passage_id"])
    assert [list(r["items"]) for r in back] == list(rows["items"])
    if redact:
        assert "Tomas Keller" not in back[0]["text"] and "[PERSON_1]" in back[0]["text"]
    else:
        assert [r["text"] for r in back] == list(rows["text"])
    if "labels" in back[0]:
        assert [_plain(r["labels"]) for r in back] == list(rows["labels"])
    for r, orig in zip(back, rows.itertuples()):
        ev = _plain(r["evidence"])
        assert [e["item_id"] for e in ev] == [e["item_id"] for e in orig.evidence]
        for e, o in zip(ev, orig.evidence):
            if redact:  # the span still covers the same sentence, now with pseudonyms
                assert r["text"][e["start"]:e["end"]].split()[-1] == o["sentence"].split()[-1]
            else:
                assert r["text"][e["start"]:e["end"]] == o["sentence"]


def test_redacted_evidence_offsets_point_at_the_redacted_sentence(ws_path, tmp_path):
    out = tmp_path / "c.jsonl"
    export_corpus(rows_of(ws_path), "jsonl", out, redact=True, reason="test", user_names=USER_LIST,
                  filters=ExportFilters(), taxonomy_id="ap", model_id="m1")
    rows = {r["passage_id"]: r for r in read_back("jsonl", out)}
    seen = []
    for r in rows.values():
        for e in r["evidence"]:
            assert r["text"][e["start"]:e["end"]] == e["sentence"]
            seen.append(e["sentence"])
    assert seen == ["Mr. [PERSON_1], a journalist, was arrested on 3 May.",
                    "The human rights defender [PERSON_2] met the Delegation.",
                    "[PERSON_3] craint des représailles."]
    assert rows["p1"]["text"] == ("Mr. [PERSON_1], a journalist, was arrested on 3 May. [PERSON_1]'s lawyer "
                                  "called [PHONE_1].")
    assert rows["p1"]["title"] == "Case of [PERSON_1]" and rows["p1"]["source_file"] == "[PERSON_1]_report.pdf"
    assert rows["p2"]["text"].endswith("Contact: [EMAIL_1].")


def _views(path: Path) -> list[bytes]:
    """The bytes of a file, and of what it holds where the format compresses (spaCy, parquet)."""
    raw = path.read_bytes()
    views = [raw]
    if path.suffix == ".spacy":
        views.append(zlib.decompress(raw))
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        views.append(json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False).encode("utf-8"))
    return views


def _leaks(root: Path) -> set[str]:
    needles = {w for n in USER_LIST for w in [n, *n.split()]} | {"Aicha"}
    found = set()
    for f in root.rglob("*"):
        if f.is_file():
            for view in _views(f):
                found |= {n for n in needles if n.encode("utf-8") in view}
    return found


def test_no_listed_name_survives_in_any_exported_file(ws_path, tmp_path):
    for fmt in FORMATS:
        res = runner.invoke(app, ["export", "--format", fmt, "-o", str(target(fmt, tmp_path)), "--redact",
                                  "--workspace", str(ws_path)])
        assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "out").rglob("*"))) > 14
    assert _leaks(tmp_path / "out") == set()
    # the same check sees the names when they are there, in every format
    for fmt in FORMATS:
        plain = tmp_path / "plain" / fmt
        res = runner.invoke(app, ["export", "--format", fmt, "-o", str(target(fmt, plain)), "--no-redact",
                                  "--workspace", str(ws_path)])
        assert res.exit_code == 0, res.output
        assert {"Tamar Beridze", "Tomas Keller", "Keller"} <= _leaks(plain), fmt


# --- manifest and defaults ---------------------------------------------------------------------
def test_manifest_records_filters_counts_redaction_and_hashes(ws_path, tmp_path):
    out = tmp_path / "corpus_hf"
    filters = ExportFilters(Slice(countries=("KE", "SN")), min_score=0.4)
    m = export_corpus(rows_of(ws_path, slice=filters.slice, min_score=0.4), "hf", out, redact=True, reason="--redact", user_names=USER_LIST, filters=filters,
                      taxonomy_id="ap", model_id="m1", now=datetime(2025, 1, 2, 3, 4, 5))
    assert json.loads(manifest_path("hf", out).read_text()) == m
    assert (m["rows"], m["documents"], m["taxonomy_id"], m["model_id"]) == (4, 2, "ap", "m1")
    assert m["created_at"] == "2025-01-02T03:04:05"
    assert m["filters"] == {"country": ["KE", "SN"], "doc_type": [], "from": None, "to": None, "item": [],
                            "min_score": 0.4, "reviewed_only": False}
    assert m["labels"] == {"predicted": 3, "reviewed": 3}
    assert m["redaction"]["enabled"] and m["redaction"]["user_names"] == 3
    assert m["redaction"]["distinct"] == {"PERSON": 3, "EMAIL": 1, "PHONE": 1, "ID": 0}
    files = {f["path"]: f for f in m["files"]}
    assert "README.md" in files and "dataset_dict.json" in files
    for name, f in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == f["sha256"]
    card = (out / "README.md").read_text()
    assert "task_categories: [text-classification]" in card and "pseudonyms" in card


def test_hf_export_replaces_an_earlier_one_and_refuses_other_directories(ws_path, tmp_path):
    out = tmp_path / "corpus_hf"
    (out / "train").mkdir(parents=True)
    (out / "train" / "notes.txt").write_text("Tomas Keller")
    kwargs = dict(redact=True, reason="--redact", user_names=USER_LIST, filters=ExportFilters(),
                  taxonomy_id="ap", model_id="m1")
    with pytest.raises(ExportError, match="not an earlier hf export"):
        export_corpus(rows_of(ws_path), "hf", out, **kwargs)
    shutil.rmtree(out / "train")  # an empty directory is fine
    export_corpus(rows_of(ws_path), "hf", out, **kwargs)
    (out / "train" / "stale.arrow").write_text("Tomas Keller")
    export_corpus(rows_of(ws_path), "hf", out, **kwargs)
    assert not (out / "train" / "stale.arrow").exists()


@pytest.mark.parametrize("fmt, inside, flag, expected", [
    ("hf", False, None, True), ("csv", False, None, True), ("jsonl", False, None, True),
    ("jsonl", True, None, False), ("parquet", False, None, False), ("spacy", False, None, False),
    ("jsonl", False, False, False), ("parquet", True, True, True),
])
def test_redaction_default(tmp_path, fmt, inside, flag, expected):
    ws = tmp_path / "ws"
    out = (ws / "exports" if inside else tmp_path / "shared") / "corpus"
    on, reason = decide_redaction(fmt, out, ws, flag, ["hf", "csv", "jsonl"])
    assert on is expected
    assert reason


# --- command line -------------------------------------------------------------------------------
def test_cli_redacts_by_default_outside_the_workspace(ws_path, tmp_path):
    out = tmp_path / "share" / "c.csv"
    res = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "--workspace", str(ws_path),
                              "--country", "KE"])
    assert res.exit_code == 0, res.output
    assert "Redacted (default: csv outside the workspace" in res.stdout
    text = out.read_text(encoding="utf-8")
    assert "Keller" not in text and "[PERSON_1]" in text
    assert json.loads(Path(str(out) + ".manifest.json").read_text())["rows"] == 2


def test_cli_keeps_names_inside_the_workspace_or_with_no_redact(ws_path, tmp_path):
    res = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(ws_path / "exports" / "c.jsonl"),
                              "--workspace", str(ws_path)])
    assert res.exit_code == 0, res.output
    assert "Tomas Keller" in (ws_path / "exports" / "c.jsonl").read_text(encoding="utf-8")
    out = tmp_path / "c.jsonl"
    res = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(out), "--no-redact",
                              "--workspace", str(ws_path)])
    assert res.exit_code == 0
    assert "Not redacted (--no-redact)" in res.stderr
    assert "Tomas Keller" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, code, message", [
    (["--format", "xml"], 2, "expected one of jsonl, csv"),
    (["--format", "jsonl", "--item", "9.9.z"], 1, "9.9.z"),
    (["--format", "jsonl", "--country", "FR"], 1, "No passages to export"),
    (["--format", "jsonl", "--from", "2024-13"], 2, "not a valid date"),
])
def test_cli_errors_say_what_is_wrong(ws_path, tmp_path, args, code, message):
    res = runner.invoke(app, ["export", *args, "-o", str(tmp_path / "x.jsonl"), "--workspace", str(ws_path)])
    assert res.exit_code == code
    assert message in res.output


def test_cli_without_workspace_fails_with_the_fix(tmp_path):
    res = runner.invoke(app, ["export", "--format", "jsonl", "-o", str(tmp_path / "x.jsonl"),
                              "--workspace", str(tmp_path / "none")])
    assert res.exit_code == 1
    assert "aptag ingest" in res.output


def test_names_add_list_remove(ws_path, tmp_path):
    names_file = tmp_path / "names.txt"
    names_file.write_text("Ana Silva\n\nOmar Haddad\n", encoding="utf-8")
    res = runner.invoke(app, ["names", "add", "Li Wen", "tomas keller", "--file", str(names_file),
                              "--note", "met 2024", "--workspace", str(ws_path)])
    assert res.exit_code == 0, res.output
    assert "Added 3 name(s); 1 already listed." in res.stdout  # "tomas keller" is listed already
    res = runner.invoke(app, ["names", "list", "--workspace", str(ws_path)])
    assert res.stdout.splitlines()[-3:] == ["Ana Silva  (met 2024)", "Li Wen  (met 2024)", "Omar Haddad  (met 2024)"]
    res = runner.invoke(app, ["names", "remove", "li wen", "Nobody Here", "--workspace", str(ws_path)])
    assert res.exit_code == 1 and "Not in the list: Nobody Here" in res.output
    with Workspace(ws_path, create=False) as ws:
        assert "Li Wen" not in set(list_names(ws)["name"])
        assert remove_names(ws, ["Ana Silva"]) == []


def test_names_reject_empty_names(ws_path):
    res = runner.invoke(app, ["names", "add", "  ", "--workspace", str(ws_path)])
    assert res.exit_code == 1 and "not a name" in res.output
