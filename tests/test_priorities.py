"""A partner's own priorities: parsed and checked, kept in the workspace, and put first in coverage."""

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from coverage_world import build_world
from pipeline.cli import app
from pipeline.errors import AptagError
from pipeline.priorities import Priorities, order_by_priorities, parse_priorities
from pipeline.taxonomy import load_taxonomy

GOOD = """country: KE
period: 2023-2025
priorities:
  - {item: 2.1.b, note: anti-corruption}
  - {item: 1.1.a}
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("prio"))


def test_parse_keeps_items_notes_and_period():
    tax = load_taxonomy()
    p = parse_priorities("country: Norvalia\npriorities:\n  - {item: 1.1.c, note: defenders}\n  - 2.1.a\n", tax)
    assert p == Priorities("Norvalia", ("1.1.c", "2.1.a"), {"1.1.c": "defenders"}, None)


@pytest.mark.parametrize("text, message", [
    ("country: X\npriorities:\n  - {item: 1.1.c}\n  - {item: 9.9.z}\n", "unknown item ID '9.9.z' (entry 2)"),
    ("priorities:\n  - {item: 1.1.c}\n", "'country: NAME'"),
    ("country: X\npriorities: []\n", "non-empty list"),
    ("country: [unclosed\n", "not valid YAML"),
])
def test_bad_files_are_named_errors(text, message):
    with pytest.raises(AptagError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        parse_priorities(text, load_taxonomy(), source="p.yaml")


def test_order_puts_unraised_priorities_first():
    table = pd.DataFrame({"id": ["a", "b", "c", "d"]})
    out = order_by_priorities(table, Priorities("X", ("d", "b")), pd.Series({"b": 3, "c": 1}))
    assert out["id"].tolist() == ["d", "b", "a", "c"]
    assert out["priority"].tolist() == ["not raised", "raised", "", ""]


def test_cli_priorities_move_the_uncovered_priority_items_to_the_top(world, tmp_path):
    runner = CliRunner()
    tax = str(world / "tiny.yaml")
    file = tmp_path / "ke.yaml"
    file.write_text(GOOD, encoding="utf-8")
    res = runner.invoke(app, ["priorities", "set", "KE", str(file), "-w", str(world), "--taxonomy", tax])
    assert res.exit_code == 0, res.output
    assert "2 priority items kept (period 2023-2025)" in res.output
    res = runner.invoke(app, ["coverage", "-w", str(world), "--taxonomy", tax, "--country", "KE", "--priorities",
                              "--format", "csv"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout), dtype=str, keep_default_na=False)
    # 1.1.a has evidence the EU raised (P1 in the world); 2.1.b only a reviewer's tag: not raised
    assert df["id"].tolist()[:2] == ["2.1.b", "1.1.a"] and df["priority"].tolist()[:2] == ["not raised", "raised"]
    assert set(df["priority"].iloc[2:]) == {""}
    wrong = runner.invoke(app, ["priorities", "set", "SN", str(file), "-w", str(world), "--taxonomy", tax])
    assert wrong.exit_code == 1 and "is for 'KE', not 'SN'" in wrong.output
    missing = runner.invoke(app, ["coverage", "-w", str(world), "--taxonomy", tax, "--country", "SN", "--priorities"])
    assert missing.exit_code == 1 and "No priorities for 'SN'" in missing.output
    no_country = runner.invoke(app, ["coverage", "-w", str(world), "--taxonomy", tax, "--priorities"])
    assert no_country.exit_code == 2
