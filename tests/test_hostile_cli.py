"""Sentences where tracebacks were (issue 17, case 6): each hostile input built in a temporary folder."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

MINUTES = ("Minutes of the EU-Valdoria Human Rights Dialogue\n\nThe EU raised the detention of journalists in "
           "Valdoria. The authorities of Valdoria said that a reply would follow.\n")
runner = CliRunner()


@pytest.fixture()
def untagged(tmp_path):
    (tmp_path / "a.txt").write_text(MINUTES, encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "-w", str(tmp_path / "ws")]).exit_code == 0
    return tmp_path


def test_coverage_table_of_an_untagged_workspace(untagged):
    res = runner.invoke(app, ["coverage", "-w", str(untagged / "ws")])
    assert res.exit_code == 0, res.output
    assert "0/140 items covered" in " ".join(res.output.split())


def test_workspace_that_is_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    for args in (["ingest", str(tmp_path / "file")], ["coverage"]):
        res = runner.invoke(app, [*args, "-w", str(tmp_path / "file")])
        assert res.exit_code == 1 and "is a file, not a folder" in res.output, res.output


@pytest.mark.parametrize("command", [["coverage", "--format", "csv"], ["report"], ["export", "--format", "jsonl"]])
def test_output_under_a_file(untagged, command):
    res = runner.invoke(app, [*command, "-w", str(untagged / "ws"), "-o", str(untagged / "a.txt" / "out")])
    assert res.exit_code == 1, res.output
    assert "a.txt is a file, not a folder" in " ".join(res.output.split())


def test_a_file_that_is_not_a_database_is_not_called_a_lock(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "aptag.duckdb").write_bytes(b"not a database at all" * 100)
    res = runner.invoke(app, ["coverage", "-w", str(tmp_path / "ws")])
    assert res.exit_code == 1 and "not an aptag workspace database" in " ".join(res.output.split())
    assert "may be writing" not in res.output


def test_review_import_of_a_one_megabyte_cell(untagged):
    import duckdb

    con = duckdb.connect(str(untagged / "ws" / "aptag.duckdb"), read_only=True)
    pid = con.execute("SELECT passage_id FROM passages LIMIT 1").fetchall()[0][0]
    con.close()
    big = untagged / "big.csv"
    big.write_text("passage_id,items,text\n" + f'{pid},1.3.e,"{"x" * 1_100_000}"\n', encoding="utf-8")
    res = runner.invoke(app, ["review", "import", str(big), "-w", str(untagged / "ws"), "--annotator", "me"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output


@pytest.mark.parametrize("command, target", [
    (["report"], "report.html"),  # by default into the workspace: a read-only workspace
    (["coverage", "--format", "csv", "-o", "{dir}/out.csv"], "out.csv"),
    (["quality", "--format", "csv", "-o", "{dir}/q.csv"], "q.csv"),
    (["export", "--format", "jsonl", "-o", "{dir}/corpus.jsonl"], "corpus.jsonl"),
])
def test_an_output_that_cannot_be_written_is_a_sentence(untagged, monkeypatch, command, target):
    """Root ignores file modes, so the read-only file system is simulated where Python opens the file."""
    import builtins
    import pathlib

    real_open, real_path_open = builtins.open, pathlib.Path.open

    def refuse(file, mode="r", *a, **kw):
        if str(file).endswith(target) and any(m in mode for m in "wax"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *a, **kw)

    def refuse_path(self, mode="r", *a, **kw):
        if str(self).endswith(target) and any(m in mode for m in "wax"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_path_open(self, mode, *a, **kw)

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse_path)
    args = [a.replace("{dir}", str(untagged)) for a in command]
    res = runner.invoke(app, [*args, "-w", str(untagged / "ws")])
    assert res.exit_code == 1, res.output
    text = " ".join(res.output.split())
    assert "Cannot write" in text and target in text and "Permission denied" in text, text
    assert "Traceback" not in res.output
