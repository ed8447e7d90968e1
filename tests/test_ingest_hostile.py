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


def forged_docx_bomb(inflated_mb: int = 300) -> bytes:
    """A valid DOCX plus a member that declares 4 kB in both headers but inflates to ``inflated_mb``."""
    import io
    import struct
    import zipfile

    from ingest_fixtures import docx_bytes

    good = zipfile.ZipFile(io.BytesIO(docx_bytes([("p", "The EU raised the death penalty with Valdoria.")])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            z.writestr(info, good.read(info))
        z.writestr("word/media/big.bin", b"\0" * (inflated_mb << 20))
    data = bytearray(buf.getvalue())
    name = b"word/media/big.bin"
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode())
    struct.pack_into("<I", data, info.header_offset + 22, 4096)          # local header: uncompressed size
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:                                                       # central directory entry
        if data[pos + 46:pos + 46 + len(name)] == name:
            struct.pack_into("<I", data, pos + 24, 4096)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def test_a_docx_bomb_with_forged_sizes_is_refused_by_what_it_inflates_to(tmp_path):
    import resource

    path = tmp_path / "bomb.docx"
    path.write_bytes(forged_docx_bomb())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Workspace(tmp_path / "ws") as ws:
        summary = ingest_files([path], ws, IngestConfig(max_unzipped_mb=200), SegmentConfig())
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert summary["status"].tolist() == ["failed"]
    assert "zip bomb" in summary["error"].iloc[0] or "forged" in summary["error"].iloc[0]
    assert grown_mb < 150  # streamed with a cap, never inflated whole


def test_deeply_nested_html_is_refused_before_parsing(tmp_path):
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / "deep.html"
    path.write_bytes(b"<html><body>" + b"<div>" * 500_000 + b"text" + b"</div>" * 500_000 + b"</body></html>")
    (tmp_path / "in" / "ok.html").write_bytes(b"<html><body><main><div><p>The EU raised the death penalty with the "
                                       b"authorities of Valdoria during the dialogue.</p></div></main></body></html>")
    with Workspace(tmp_path / "ws") as ws:
        summary = ingest_files(find_inputs([tmp_path / "in"]), ws, IngestConfig(), SegmentConfig())
    status = dict(zip(summary["path"].map(lambda p: p.rsplit("/", 1)[-1]), summary["status"]))
    assert status == {"deep.html": "failed", "ok.html": "ingested"}
    assert "nested more than 400 deep" in summary.loc[summary["status"] == "failed", "error"].iloc[0]
