"""Hostile inputs from the probe of issue 17: file names that are not UTF-8, symlink loops."""

from __future__ import annotations

import os

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import IngestConfig, SegmentConfig
from pipeline.ingest.batch import find_inputs, ingest_files
from pipeline.store import Workspace

TEXT = (b"Minutes of the EU-Valdoria Human Rights Dialogue\n\nThe EU raised the detention of journalists in "
        b"Valdoria. The authorities of Valdoria said that a reply would follow.\n")


def test_a_file_name_that_is_not_utf8_is_ingested_with_the_rest_of_its_batch(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.path.join(os.fsencode(folder), b"caf\xe9.txt")
    with open(bad, "wb") as f:
        f.write(TEXT)
    (folder / "good.txt").write_bytes(TEXT.replace(b"journalists", b"lawyers"))
    with Workspace(tmp_path / "ws") as ws:
        summary = ingest_files(find_inputs([folder]), ws, IngestConfig(), SegmentConfig())
    assert summary["status"].tolist() == ["ingested", "ingested"]
    assert any(p.endswith("caf\\xe9.txt") for p in summary["path"])  # shown escaped
    with Workspace(tmp_path / "ws") as ws:
        assert len(ws.table("documents")) == 2
        summary = ingest_files(find_inputs([folder]), ws, IngestConfig(), SegmentConfig())  # a rerun works too
    assert summary["status"].tolist() == ["unchanged", "unchanged"]


def test_a_symlink_loop_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(TEXT)
    os.symlink(folder / "loop_b", folder / "loop_a")
    os.symlink(folder / "loop_a", folder / "loop_b")
    result = CliRunner().invoke(app, ["ingest", str(folder), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert "loop_a: a symbolic link that loops back on itself" in result.output
    assert "ingested 1, unchanged 0, failed 2" in result.output
