"""Tabular ingest: each row a document, ids / metadata / offsets kept, bad rows named and skipped,
re-ingest idempotent, an edited row a new version."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import IngestConfig, SegmentConfig
from pipeline.errors import IngestError
from pipeline.ingest.table import TableColumns, ingest_table
from pipeline.store import Workspace

COLUMNS = TableColumns(text="body", id="ref", country="state", date="when", doc_type="kind")
LONG = ("The EU raised the detention of journalists and asked for their release.\n\n"
        "The delegation welcomed the moratorium on the death penalty and called for its abolition in law.")
ROWS = [
    {"ref": "R-1", "body": LONG, "state": "Kenya", "when": "2023-05-04", "kind": "minutes"},
    {"ref": "R-2", "body": "Ratify the Optional Protocol to the Convention against Torture (Slovenia).",
     "state": "Senegal", "when": "2019", "kind": "statement"},
    {"ref": "R-3", "body": "", "state": "Kenya", "when": "2023-05-04", "kind": "minutes"},          # no text
    {"ref": "R-4", "body": "Protect human rights defenders.", "state": "Kenya", "when": "31 Febtober",
     "kind": "minutes"},                                                                              # bad date
    {"ref": "R-5", "body": "Le représentant de l'UE a soulevé la liberté d'expression en ligne.",
     "state": "", "when": "", "kind": ""},                                                            # metadata detected
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def ingest(path, ws_dir, columns=COLUMNS) -> pd.DataFrame:
    with Workspace(ws_dir) as ws:
        return ingest_table(path, ws, columns, IngestConfig(), SegmentConfig())


def stored(ws_dir):
    with Workspace(ws_dir) as ws:
        docs = ws.con.execute("SELECT * FROM documents ORDER BY source_path").df()
        passages = ws.con.execute("SELECT * FROM passages").df()
    return docs, passages


def test_csv_rows_become_documents_with_their_ids_metadata_and_offsets(tmp_path):
    table = write_csv(tmp_path / "register.csv", ROWS)
    summary = ingest(table, tmp_path / "ws")
    assert list(summary["status"]) == ["ingested", "ingested", "failed", "failed", "ingested"]
    failed = summary[summary.status == "failed"]["error"].tolist()
    assert "register.csv, row 3" in failed[0] and "'body' is empty" in failed[0]
    assert "register.csv, row 4" in failed[1] and "Febtober" in failed[1] and "'when'" in failed[1]

    docs, passages = stored(tmp_path / "ws")
    ok = docs[docs.status == "ok"].set_index("source_path")
    src = str(table.resolve())
    assert set(ok.index) == {f"{src}#R-1", f"{src}#R-2", f"{src}#R-5"}
    r1, r2, r5 = ok.loc[f"{src}#R-1"], ok.loc[f"{src}#R-2"], ok.loc[f"{src}#R-5"]
    assert (r1.country, r1.date.date(), r1.doc_type) == ("Kenya", dt.date(2023, 5, 4), "minutes")
    assert (r2.country, r2.date.date(), r2.doc_type) == ("Senegal", dt.date(2019, 1, 1), "statement")
    assert r5.language == "fr"  # not given: detected from the text
    assert r1.text == LONG
    merged = passages.merge(docs[["doc_id", "text"]].rename(columns={"text": "doc_text"}), on="doc_id")
    assert len(merged[merged.doc_id == r1.doc_id]) == 2  # two paragraphs, two passages
    for row in merged.itertuples():
        assert row.doc_text[row.char_start:row.char_end] == row.text


def test_reingest_changes_nothing_and_an_edited_row_is_a_new_version(tmp_path):
    table = write_csv(tmp_path / "t.csv", ROWS)
    ingest(table, tmp_path / "ws")
    before = stored(tmp_path / "ws")
    again = ingest(table, tmp_path / "ws")
    assert list(again["status"]) == ["unchanged", "unchanged", "failed", "failed", "unchanged"]
    after = stored(tmp_path / "ws")
    assert len(after[0]) == len(before[0]) and len(after[1]) == len(before[1])  # failures not recorded twice

    edited = [dict(ROWS[0], body="The EU raised the case of the jailed lawyers."), *ROWS[1:]]
    write_csv(table, edited)
    third = ingest(table, tmp_path / "ws")
    assert list(third["status"])[:2] == ["ingested", "unchanged"]
    docs, _ = stored(tmp_path / "ws")
    versions = docs[docs.source_path == f"{table.resolve()}#R-1"]
    assert sorted(versions.status) == ["ok", "superseded"]
    assert versions[versions.status == "ok"].text.item() == "The EU raised the case of the jailed lawyers."


def test_jsonl_bad_lines_are_named_and_parquet_round_trips(tmp_path):
    lines = [json.dumps(r) for r in ROWS[:2]] + ["{not json", json.dumps(["a", "list"]), json.dumps(ROWS[4])]
    (tmp_path / "t.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest(tmp_path / "t.jsonl", tmp_path / "ws")
    assert list(summary["status"]) == ["ingested", "ingested", "failed", "failed", "ingested"]
    assert "t.jsonl, row 3: not valid JSON" in summary.error[2]
    assert "row 4: a JSON list" in summary.error[3]

    pd.DataFrame(ROWS[:2]).to_parquet(tmp_path / "t.parquet")
    pq = ingest(tmp_path / "t.parquet", tmp_path / "ws2")
    assert list(pq["status"]) == ["ingested", "ingested"]
    docs, _ = stored(tmp_path / "ws2")
    assert sorted(p.rsplit("#", 1)[1] for p in docs.source_path) == ["R-1", "R-2"]


def test_a_missing_column_stops_the_table_with_the_columns_it_has(tmp_path):
    table = write_csv(tmp_path / "t.csv", ROWS)
    with pytest.raises(IngestError, match=r"no column 'text'.*it has 'ref', 'body'"):
        ingest(table, tmp_path / "ws", TableColumns(text="text"))


def test_cli_reads_tables_only_with_a_text_column(tmp_path):
    table = write_csv(tmp_path / "t.csv", ROWS)
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(table), "-w", str(tmp_path / "ws")])
    assert res.exit_code == 2 and "--text-column" in res.output
    res = runner.invoke(app, ["ingest", str(table), "-w", str(tmp_path / "ws"), "--text-column", "body",
                              "--id-column", "ref", "--country-column", "state", "--date-column", "when"])
    assert res.exit_code == 0, res.output
    assert "ingested 3, unchanged 0, failed 2" in res.output
    assert "row 3" in res.output and "row 4" in res.output


def test_run_on_a_table_reports_its_rows_and_stage_times(tmp_path):
    table = write_csv(tmp_path / "t.csv", ROWS)
    ws = tmp_path / "ws"
    res = CliRunner().invoke(app, ["run", str(table), "-w", str(ws), "--model", "lexical.v1",
                                   "--text-column", "body", "--id-column", "ref", "--country-column", "state"])
    assert res.exit_code == 0, res.output
    assert "Ingested 4 input(s), 0 unchanged, 1 failed" in res.output  # no --date-column: row 4 is fine
    assert "Time: ingest" in res.output and (ws / "report.html").is_file()
    docs, _ = stored(ws)
    ok = docs[docs.status == "ok"].set_index(docs[docs.status == "ok"].source_path.str.rsplit("#", n=1).str[1])
    assert (ok.loc["R-1", "country"], ok.loc["R-2", "country"], ok.loc["R-4", "country"]) == ("Kenya", "Senegal", "Kenya")
