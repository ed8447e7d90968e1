"""Ingesting files into a workspace: every input accounted for, bad files reported, nothing half-written."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ingest_fixtures import (PARA, docx_bytes, eml_bytes, encrypted_pdf_bytes, pdf_bytes, scanned_pdf_bytes,
                             write)
from pipeline.cli import app
from pipeline.config import IngestConfig, SegmentConfig
from pipeline.ingest import read_document
from pipeline.ingest.batch import find_inputs, ingest_files
from pipeline.ingest.common import assemble
from pipeline.segment import segment_document
from pipeline.store import Workspace

ROOT = Path(__file__).resolve().parents[1]
MINUTES = ("Minutes of the EU-Valdoria Human Rights Dialogue\n\nDate: 12 March 2024\n\n"
           "The EU raised the detention of journalists in Valdoria, recalling Art. 19 of the ICCPR. "
           "The authorities of Valdoria said that a reply would follow.\n")


def run(files, ws_dir, ingest_cfg=None, overrides=None, on_result=None) -> pd.DataFrame:
    with Workspace(ws_dir) as ws:
        return ingest_files(files, ws, ingest_cfg or IngestConfig(), SegmentConfig(), overrides, on_result)


def tables(ws_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Workspace(ws_dir) as ws:
        return ws.table("documents"), ws.table("passages")


def assert_consistent(ws_dir, reread: bool = False) -> None:
    """No passage without its document, each document's passages complete (seq 0..n-1, exact slices)
    and, with ``reread``, exactly the passages its source file segments into today."""
    docs, passages = tables(ws_dir)
    assert set(passages["doc_id"]) <= set(docs.loc[docs["status"] != "failed", "doc_id"])
    for doc in docs[docs["status"] != "failed"].itertuples():
        stored = passages[passages["doc_id"] == doc.doc_id].sort_values("seq")
        assert stored["seq"].tolist() == list(range(len(stored)))
        for p in stored.itertuples():
            assert doc.text[p.char_start:p.char_end] == p.text
        if reread:
            assembled = assemble(read_document(Path(doc.source_path).read_bytes(), doc.source_path, IngestConfig()).blocks)
            expected = segment_document(doc.doc_id, assembled.text, doc.language, SegmentConfig(),
                                        assembled.heading_spans, paged=pd.notna(doc.n_pages))
            assert assembled.text == doc.text
            assert stored["passage_id"].tolist() == [p["passage_id"] for p in expected]


# --- the normal case ------------------------------------------------------------------------------
def test_ingest_stores_documents_passages_and_metadata(tmp_path):
    f = write(tmp_path / "in" / "minutes.txt", MINUTES)
    summary = run([f], tmp_path / "ws")
    assert summary["status"].tolist() == ["ingested"]
    docs, passages = tables(tmp_path / "ws")
    doc = docs.iloc[0]
    assert (doc.status, doc.format, doc.doc_type, doc.country, doc.language, str(doc.date.date())) == (
        "ok", "txt", "minutes", "Valdoria", "en", "2024-03-12")
    assert doc.title == "Minutes of the EU-Valdoria Human Rights Dialogue"
    assert doc.source_path == str(f.resolve()) and len(doc.doc_id) == 16 and doc.sha256.startswith(doc.doc_id)
    # the short "Date: ..." field line joins the paragraph below it
    assert passages["text"].tolist() == [MINUTES[MINUTES.index("Date:"):].strip()]
    assert_consistent(tmp_path / "ws", reread=True)


def test_ingesting_the_same_files_twice_adds_nothing(tmp_path):
    files = [write(tmp_path / "in" / "a.txt", MINUTES), write(tmp_path / "in" / "b.pdf", pdf_bytes([[("p", PARA)]])),
             write(tmp_path / "in" / "bad.pdf", b"%PDF-1.4 garbage")]
    first = run(files, tmp_path / "ws")
    before = tables(tmp_path / "ws")
    second = run(files, tmp_path / "ws")
    after = tables(tmp_path / "ws")
    assert first["status"].tolist() == ["ingested", "ingested", "failed"]
    assert second["status"].tolist() == ["unchanged", "unchanged", "failed"]
    assert len(after[0]) == len(before[0]) == 3 and len(after[1]) == len(before[1])


def test_a_changed_file_becomes_a_new_version_and_the_old_one_is_kept(tmp_path):
    f = write(tmp_path / "a.txt", MINUTES)
    run([f], tmp_path / "ws")
    write(f, MINUTES + "\nA paragraph added in the second version of the minutes.\n")
    assert run([f], tmp_path / "ws")["status"].tolist() == ["ingested"]
    docs, passages = tables(tmp_path / "ws")
    assert sorted(docs["status"]) == ["ok", "superseded"]
    assert docs["source_path"].nunique() == 1
    assert passages["doc_id"].nunique() == 2  # the old version keeps its passages
    write(f, MINUTES)  # back to the first version
    summary = run([f], tmp_path / "ws")
    assert summary["status"].tolist() == ["unchanged"]
    docs, _ = tables(tmp_path / "ws")
    assert docs.set_index("doc_id").loc[summary["doc_id"][0], "status"] == "ok"
    assert sorted(docs["status"]) == ["ok", "superseded"]


def test_a_file_that_failed_and_is_fixed_replaces_its_failure(tmp_path):
    f = write(tmp_path / "a.txt", b"")
    assert run([f], tmp_path / "ws")["status"].tolist() == ["failed"]
    write(f, MINUTES)
    assert run([f], tmp_path / "ws")["status"].tolist() == ["ingested"]
    assert tables(tmp_path / "ws")[0]["status"].tolist() == ["ok"]


def test_same_content_under_two_names_is_stored_once(tmp_path):
    a, b = write(tmp_path / "a.txt", MINUTES), write(tmp_path / "copy.txt", MINUTES)
    summary = run([a, b], tmp_path / "ws")
    assert summary["status"].tolist() == ["ingested", "unchanged"]
    assert "same content as" in summary["notes"][1]


def test_sidecar_beats_detection_and_command_line_beats_sidecar(tmp_path):
    f = write(tmp_path / "a.txt", MINUTES)
    write(tmp_path / "a.txt.meta.yaml", "country: Republic of Valdoria\ndoc_type: report\ndate: 1 avril 2024\n")
    run([f], tmp_path / "ws", overrides={"doc_type": "other"})
    doc = tables(tmp_path / "ws")[0].iloc[0]
    assert (doc.country, doc.doc_type, str(doc.date.date()), doc.language) == (
        "Republic of Valdoria", "other", "2024-04-01", "en")


def test_a_rerun_with_new_metadata_updates_the_stored_document_only(tmp_path):
    f = write(tmp_path / "a.txt", MINUTES)
    run([f], tmp_path / "ws")
    before = tables(tmp_path / "ws")
    write(tmp_path / "a.txt.meta.yaml", "country: Meridia\n")
    summary = run([f], tmp_path / "ws", overrides={"doc_type": "report", "language": "en"})
    assert summary["status"].tolist() == ["unchanged"]
    assert summary["notes"][0] == "metadata updated: country, doc_type"
    docs, passages = tables(tmp_path / "ws")
    assert (docs["country"][0], docs["doc_type"][0]) == ("Meridia", "report")
    assert len(docs) == 1 and passages.equals(before[1])


def test_a_bad_sidecar_fails_its_file_with_the_reason(tmp_path):
    f = write(tmp_path / "a.txt", MINUTES)
    write(tmp_path / "a.txt.meta.yaml", "kind: minutes\n")
    summary = run([f], tmp_path / "ws")
    assert summary["status"].tolist() == ["failed"]
    assert "a.txt.meta.yaml: unknown metadata field 'kind'" in summary["error"][0]


def test_find_inputs_walks_folders_and_skips_hidden_files_and_sidecars(tmp_path):
    write(tmp_path / "d" / "a.txt", "x")
    write(tmp_path / "d" / "sub" / "b.pdf", "x")
    write(tmp_path / "d" / "a.txt.meta.yaml", "country: X")
    write(tmp_path / "d" / ".hidden.txt", "x")
    write(tmp_path / "d" / ".git" / "config", "x")
    found = find_inputs([tmp_path / "d", tmp_path / "d" / "a.txt", tmp_path / "missing.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["d/a.txt", "d/sub/b.pdf", "missing.txt"]


def test_email_attachments_become_documents_pointing_to_the_message(tmp_path):
    pdf = pdf_bytes([[("h", "Annex"), ("p", PARA)], [("p", PARA)]])
    data = eml_bytes("Under instruction, the Head of Delegation delivered the démarche to the authorities of "
                     "Valdoria.", attachments=[("annex.pdf", pdf, "application/pdf"),
                                                ("broken.docx", b"PK\x03\x04broken", "application/octet-stream"),
                                                ("logo.png", b"\x89PNG....", "image/png")])
    summary = run([write(tmp_path / "msg.eml", data)], tmp_path / "ws")
    assert summary["status"].tolist() == ["ingested"]
    assert "2 attachment(s) as documents, 1 failed" in summary["notes"][0]
    assert "logo.png" in summary["notes"][0]
    docs, passages = tables(tmp_path / "ws")
    message = docs[docs["parent_doc_id"].isna()].iloc[0]
    assert (message.format, message.doc_type, str(message.date.date())) == ("eml", "demarche", "2024-03-12")
    children = docs[docs["parent_doc_id"] == message.doc_id].set_index("status")
    assert children.loc["ok", "source_path"].endswith("msg.eml#annex.pdf")
    assert children.loc["ok", "n_pages"] == 2 and children.loc["ok", "date"] == message.date  # inherited
    assert "broken.docx" in children.loc["failed", "error"]
    assert set(passages["doc_id"]) == {message.doc_id, children.loc["ok", "doc_id"]}


# --- bad input ------------------------------------------------------------------------------------
def zip_bomb_docx() -> bytes:
    buf = io.BytesIO(docx_bytes([("p", PARA)]))
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/filler.bin", b"\0" * (3 * 1024 * 1024))
    return buf.getvalue()


BAD = [
    ("corrupt.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "corrupt PDF"),
    ("truncated.pdf", lambda: pdf_bytes([[("p", PARA)]])[:300], "corrupt PDF"),
    ("locked.pdf", lambda: encrypted_pdf_bytes("secret"), "encrypted PDF: it needs a password"),
    ("scan.pdf", lambda: scanned_pdf_bytes(), "no text layer, OCR it first"),
    ("empty.txt", lambda: b"", "empty file"),
    ("blank.txt", lambda: b" \n\n \t\n", "empty file"),
    ("binary.txt", lambda: bytes(range(256)) * 20, "binary file"),
    ("control.txt", lambda: bytes(range(1, 32)) * 50, "undecodable bytes"),
    ("not-a-pdf.pdf", lambda: b"Just some words.", "has a .pdf name but no %PDF header"),
    ("not-a-zip.docx", lambda: b"Just some words.", "not a zip archive, so not a DOCX"),
    ("bomb.docx", zip_bomb_docx, "over the limit of 1 MB (ingest.max_unzipped_mb)"),
    ("archive.zip", lambda: zipfile_bytes(), "a zip archive that is not a Word document"),
    ("image.txt", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "unsupported format: a PNG image"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 50, "legacy Office file"),
    ("page.html", lambda: b"<html><head><script>var x = 1;</script><style>p{}</style></head><body></body></html>",
     "no text found in the HTML file"),
    ("big.txt", lambda: b"word " * 300_000, "over the limit of 1 MB (ingest.max_file_mb)"),
    ("data.csv", lambda: b"a,b\n1,2\n", "unsupported extension '.csv'"),
]


def zipfile_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize("name, make, message", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_reported_and_recorded_and_the_batch_goes_on(tmp_path, name, make, message):
    bad = write(tmp_path / "in" / name, make())
    good = write(tmp_path / "in" / "zz-good.txt", MINUTES)
    summary = run([bad, good], tmp_path / "ws", IngestConfig(max_file_mb=1, max_unzipped_mb=1))
    assert summary["status"].tolist() == ["failed", "ingested"]
    error = summary["error"][0]
    assert message in error and str(bad) in error
    docs, passages = tables(tmp_path / "ws")
    failed = docs[docs["status"] == "failed"]
    assert failed["error"].tolist() == [error] and failed["source_path"].tolist() == [str(bad.resolve())]
    assert set(passages["doc_id"]) == set(docs.loc[docs["status"] == "ok", "doc_id"])


@pytest.mark.parametrize("name, make, fmt, note", [
    ("report.txt", lambda: pdf_bytes([[("p", PARA)]]), "pdf", "named .txt but the content is pdf"),
    ("minutes.pdf.docx", lambda: pdf_bytes([[("p", PARA)]]), "pdf", "named .docx but the content is pdf"),
    ("notes.html", lambda: MINUTES.encode(), "html", None),
    ("latin.txt", lambda: "Démarche effectuée à Tamberi.".encode("latin-1"), "txt", "decoded as cp1252"),
])
def test_wrong_extension_or_legacy_encoding_is_read_with_a_note(tmp_path, name, make, fmt, note):
    summary = run([write(tmp_path / name, make())], tmp_path / "ws")
    assert summary["status"].tolist() == ["ingested"] and summary["format"][0] == fmt
    if note:
        assert note in summary["notes"][0]


def test_html_scripts_and_styles_never_reach_the_store(tmp_path):
    page = (b"<html><head><style>.x{color:red}</style><script>STEAL()</script></head><body>"
            b"<p>The EU welcomes the release of Mr. Okoro in Valdoria.</p><script>TRACK()</script></body></html>")
    run([write(tmp_path / "s.html", page)], tmp_path / "ws")
    docs, passages = tables(tmp_path / "ws")
    assert "STEAL" not in docs["text"][0] and "TRACK" not in docs["text"][0] and "color" not in docs["text"][0]
    assert passages["text"].tolist() == ["The EU welcomes the release of Mr. Okoro in Valdoria."]


def test_a_file_that_disappears_mid_run_is_reported_and_the_rest_go_on(tmp_path):
    files = [write(tmp_path / f"{i}.txt", MINUTES + f"\nDocument {i}.\n") for i in range(3)]

    def delete_next(result):
        if result.path.endswith("0.txt"):
            files[1].unlink()

    summary = run(files, tmp_path / "ws", on_result=delete_next)
    assert summary["status"].tolist() == ["ingested", "failed", "ingested"]
    assert "1.txt: file not found (it may have been moved or deleted during the run)" in summary["error"][1]
    assert tables(tmp_path / "ws")[0]["status"].value_counts().to_dict() == {"ok": 2, "failed": 1}


@pytest.mark.slow
def test_a_folder_of_ten_thousand_files(tmp_path):
    folder = tmp_path / "many"
    for i in range(10_000):
        write(folder / f"{i // 1000:02d}" / f"note-{i:05d}.txt", f"Note {i}: the EU raised case number {i} with the "
              "authorities, who promised a reply.\n")
    files = find_inputs([folder])
    assert len(files) == 10_000
    summary = run(files, tmp_path / "ws")
    assert (summary["status"] == "ingested").all()
    docs, passages = tables(tmp_path / "ws")
    assert len(docs) == 10_000 and len(passages) == 10_000
    assert (run(files, tmp_path / "ws")["status"] == "unchanged").all()


def test_kill_during_ingest_leaves_the_workspace_consistent_and_the_next_run_completes_it(tmp_path):
    folder = tmp_path / "in"
    n = 1000
    for i in range(n):
        write(folder / f"doc-{i:04d}.txt", f"Title {i}\n\n" + MINUTES + f"\nParagraph unique to document {i}, "
              "long enough to be a passage of its own.\n")
    ws_dir = tmp_path / "ws"
    Workspace(ws_dir).close()  # the schema exists, so the first write to the log is a batch of documents
    wal = ws_dir / "aptag.duckdb.wal"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "-w", str(ws_dir)],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (wal.exists() and wal.stat().st_size > 0) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]

    assert_consistent(ws_dir, reread=True)
    stored_after_kill = len(tables(ws_dir)[0])
    assert stored_after_kill < n  # killed mid-run

    summary = run(find_inputs([folder]), ws_dir)
    assert set(summary["status"]) <= {"ingested", "unchanged"}
    assert (summary["status"] == "unchanged").sum() == stored_after_kill
    docs, _ = tables(ws_dir)
    assert len(docs) == n and (docs["status"] == "ok").all()
    assert_consistent(ws_dir, reread=True)


def test_the_sample_corpus_is_ingested_with_the_metadata_its_sources_state(tmp_path):
    import yaml

    samples, sources = ROOT / "corpus" / "samples", ROOT / "corpus" / "sample_sources" / "src"
    if not sources.is_dir():
        pytest.skip(f"needs the sample sources in {sources}")
    truth = {y["file"]: y for y in (yaml.safe_load(f.read_text(encoding="utf-8")) for f in sources.glob("*.yaml"))}
    summary = run(find_inputs([samples]), tmp_path / "ws")
    assert len(summary) == len(truth) >= 8 and (summary["status"] == "ingested").all()
    docs, passages = tables(tmp_path / "ws")
    for doc in docs[docs["parent_doc_id"].isna()].itertuples():
        expected = truth[Path(doc.source_path).name]
        assert (doc.doc_type, doc.language, doc.date.date()) == (
            expected["doc_type"], expected["language"], expected["date"]), doc.source_path
        assert doc.country in expected["country"] and doc.title == expected["title"]
    assert set(docs["format"]) >= {"pdf", "docx", "html", "eml", "txt"}
    assert_consistent(tmp_path / "ws")


# --- the command line -----------------------------------------------------------------------------
def test_cli_ingest_prints_a_summary_and_exits_0_when_some_files_fail(tmp_path):
    write(tmp_path / "in" / "a.txt", MINUTES)
    write(tmp_path / "in" / "empty.txt", b"")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "-w", str(tmp_path / "ws"),
                                      "--country", "Valdoria"])
    assert result.exit_code == 0, result.output
    assert "ingested 1, unchanged 0, failed 1" in result.output
    assert "empty.txt: empty file" in result.output and "minutes" in result.output
    again = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "-w", str(tmp_path / "ws")])
    assert "ingested 0, unchanged 1, failed 1" in again.output


def test_cli_ingest_exits_1_when_nothing_could_be_read(tmp_path):
    write(tmp_path / "empty.txt", b"")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "empty.txt"), str(tmp_path / "missing.pdf"),
                                      "-w", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert "missing.pdf: file not found" in result.output and "failed 2" in result.output


def test_cli_ingest_rejects_a_bad_option_value_as_bad_usage(tmp_path):
    write(tmp_path / "a.txt", MINUTES)
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["ingest", str(tmp_path / "a.txt"), "--doc-type", "memo",
                                      "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2
    assert "doc_type 'memo' is not one of minutes, demarche" in result.output


def test_cli_ingest_help_has_an_example():
    result = CliRunner().invoke(app, ["ingest", "--help"])
    assert result.exit_code == 0 and "Example: aptag ingest" in result.output


def test_documents_carry_the_iso_code_of_their_country_and_a_changed_country_updates_it(tmp_path):
    write(tmp_path / "in" / "a.txt", MINUTES)
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "-w", str(tmp_path / "ws"), "--country", "Kenya"])
    assert res.exit_code == 0, res.output
    docs, _ = tables(tmp_path / "ws")
    assert docs[["country", "country_code"]].values.tolist() == [["Kenya", "KEN"]]
    res = CliRunner().invoke(app, ["ingest", str(tmp_path / "in"), "-w", str(tmp_path / "ws"), "--country", "Valdoria"])
    assert res.exit_code == 0, res.output
    docs, _ = tables(tmp_path / "ws")
    assert docs["country"].tolist() == ["Valdoria"] and docs["country_code"].isna().all()  # fictional: no code


def test_a_workspace_made_before_country_codes_gains_the_column(tmp_path):
    import duckdb

    from pipeline.store import DB_NAME, Workspace

    (tmp_path / "old").mkdir()
    con = duckdb.connect(str(tmp_path / "old" / DB_NAME))
    con.execute("CREATE TABLE documents (doc_id VARCHAR PRIMARY KEY, source_path VARCHAR NOT NULL, sha256 VARCHAR, "
                "format VARCHAR, doc_type VARCHAR, country VARCHAR, date DATE, language VARCHAR, title VARCHAR, "
                "n_pages INTEGER, ingested_at TIMESTAMP, status VARCHAR NOT NULL, error VARCHAR, "
                "parent_doc_id VARCHAR, text VARCHAR)")
    con.execute("INSERT INTO documents (doc_id, source_path, country, status) VALUES ('d', 'a.txt', 'Kenya', 'ok')")
    con.close()
    with Workspace(tmp_path / "old") as ws:
        assert ws.table("documents")["country_code"].isna().all()


def test_a_document_the_database_refuses_costs_only_itself(tmp_path, monkeypatch):
    from pipeline.store import Workspace

    for name in ("a.txt", "b.txt", "c.txt"):
        write(tmp_path / "in" / name, MINUTES + f"Annex {name}.\n")  # distinct contents
    real = Workspace.insert_df

    def refuse_b(self, table, df, **kw):  # stands for any row the database will not take
        if table == "documents" and df["source_path"].astype(str).str.endswith("b.txt").any() and (df["status"] == "ok").any():
            raise ValueError("value out of range")
        return real(self, table, df, **kw)

    monkeypatch.setattr(Workspace, "insert_df", refuse_b)
    summary = run(find_inputs([tmp_path / "in"]), tmp_path / "ws").set_index("path")
    assert summary["status"].to_dict() == {str(tmp_path / "in" / "a.txt"): "ingested",
                                           str(tmp_path / "in" / "b.txt"): "failed",
                                           str(tmp_path / "in" / "c.txt"): "ingested"}
    assert "could not be stored in the workspace (ValueError: value out of range)" in summary.loc[str(tmp_path / "in" / "b.txt"), "error"]
    docs, _ = tables(tmp_path / "ws")
    assert sorted(docs.loc[docs["status"] == "ok", "source_path"].map(lambda p: Path(p).name)) == ["a.txt", "c.txt"]
    assert docs.loc[docs["status"] == "failed", "source_path"].map(lambda p: Path(p).name).tolist() == ["b.txt"]
    assert_consistent(tmp_path / "ws")
    monkeypatch.setattr(Workspace, "insert_df", real)
    again = run(find_inputs([tmp_path / "in"]), tmp_path / "ws").set_index("path")["status"]
    assert again.to_dict()[str(tmp_path / "in" / "b.txt")] == "ingested"  # the next run stores it
    docs, _ = tables(tmp_path / "ws")
    assert (docs["status"] == "ok").sum() == 3 and (docs["status"] == "failed").sum() == 0
