"""The spreadsheet formula guard of every CSV and XLSX aptag writes (issue 17, case 3)."""

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from coverage_world import build_world
from pipeline.cells import guard_cell, guard_frame, unguard_cell
from pipeline.cli import app
from pipeline.store import Workspace

EVIL = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("value", [EVIL, "+1", "-2 members", "@SUM(A1)", "\tx", "\rx"])
def test_guard_and_unguard(value):
    assert guard_cell(value) == "'" + value and unguard_cell(guard_cell(value)) == value


def test_plain_text_numbers_and_dates_are_untouched():
    df = pd.DataFrame({"a": ["Kenya", EVIL], "n": [-1, 2], "d": pd.to_datetime(["2023-01-01", None])})
    out = guard_frame(df)
    assert out["a"].tolist() == ["Kenya", "'" + EVIL] and out["n"].tolist() == [-1, 2]
    assert unguard_cell("'quoted") == "'quoted" and guard_cell(3) == 3


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = build_world(tmp_path_factory.mktemp("evil"))
    with Workspace(path) as ws:
        ws.con.execute("UPDATE documents SET country = ? WHERE doc_id = 'D1'", [EVIL])
    return path


def test_coverage_csv_and_xlsx_write_formulas_as_text(world, tmp_path):
    runner = CliRunner()
    base = ["coverage", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"), "--by", "country"]
    res = runner.invoke(app, [*base, "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(io.StringIO(res.stdout))["country"]) == {"'" + EVIL, "KE", "SN"}
    out = tmp_path / "c.xlsx"
    assert runner.invoke(app, [*base, "-o", str(out)]).exit_code == 0
    from openpyxl import load_workbook

    cells = [c for row in load_workbook(out)["coverage"].iter_rows() for c in row if isinstance(c.value, str)
             and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'=") for c in cells)


def test_export_and_review_csv_are_guarded(world, tmp_path):
    runner = CliRunner()
    with Workspace(world) as ws:
        ws.con.execute("UPDATE passages SET text = '- ' || text WHERE passage_id = 'P1'")
    out = tmp_path / "corpus.csv"
    res = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "-w", str(world), "--no-redact",
                              "--taxonomy", str(world / "tiny.yaml")])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df.loc[df["passage_id"] == "P1", "text"].iloc[0].startswith("'- The EU raised")
    assert (df["country"] == "'" + EVIL).any()
    manifest = (tmp_path / "corpus.csv.manifest.json")
    assert "formula guard" in manifest.read_text(encoding="utf-8")
    queue = tmp_path / "queue.csv"
    res = runner.invoke(app, ["review", "export", "--n", "5", "--format", "csv", "-o", str(queue), "-w", str(world),
                              "--taxonomy", str(world / "tiny.yaml")])
    assert res.exit_code == 0, res.output
    q = pd.read_csv(queue, dtype=str, keep_default_na=False)
    assert not any(v.startswith(("=", "+", "-", "@")) for v in q.to_numpy().ravel())
