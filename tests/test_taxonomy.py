from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import TaxonomyError
from pipeline.taxonomy import dump_yaml, load_taxonomy, parse_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "corpus" / "reference" / "eu-action-plan-human-rights-democracy-2020-2024.md"
SDG = ROOT / "corpus" / "reference" / "sdg_framework.md"
AP_YAML = ROOT / "configs" / "taxonomy" / "eu-hrd-action-plan-2020-2024.yaml"

SECTION_COUNTS = {"1.1": 16, "1.2": 5, "1.3": 10, "1.4": 11, "1.5": 5, "1.6": 8, "2.1": 12, "2.2": 6,
                  "2.3": 4, "2.4": 8, "3.1": 8, "3.2": 3, "3.3": 5, "3.4": 4, "3.5": 5, "3.6": 4,
                  "4.1": 6, "4.2": 7, "5.1": 4, "5.2": 9}


@pytest.fixture(scope="module")
def plan():
    return parse_plan(PLAN.read_text(encoding="utf-8"), taxonomy_id="ap", source=str(PLAN))


def test_action_plan_counts(plan):
    assert len(plan.at_level("line")) == 5
    assert len(plan.at_level("section")) == 20
    assert len(plan.items()) == 140
    assert dict(Counter(n.parent for n in plan.items())) == SECTION_COUNTS


@pytest.mark.parametrize("item_id, start, end", [
    ("1.1.k", "Work towards the promotion, protection and fulfilment of all human rights and the full and "
              "effective implementation of the Beijing platform for action and the programme of action of the "
              "International Conference on Population and Development, and the outcomes of their review "
              "conferences, and remain committed to sexual and reproductive health and rights, in this context. "
              "Continue reaffirming",
     "including comprehensive sexuality education, and health-care services."),
    ("2.1.g", "Support the development of policy frameworks that apply offline rules on elections",
     "including the action plan against disinformation, the Commission's electoral package, the code of "
     "practice on disinformation and the upcoming European Democracy Action Plan and Digital Service Act."),
    ("3.4.a", "Deepen engagement with and enhance support for independent and pluralistic civil society",
     "in order to defend their right to exercise their roles free from any form of intimidation, "
     "discrimination or violence."),
])
def test_items_across_page_breaks_keep_whole_text_without_footnotes(plan, item_id, start, end):
    text = plan.get(item_id).text
    assert text.startswith(start)
    assert text.endswith(end)
    for debris in ("<sup>", "http", "**", "---"):
        assert debris not in text


def test_italics_removed_and_line_descriptions_kept(plan):
    assert "inter alia legitimate land tenure rights" in plan.get("1.1.c").text
    assert plan.get("1").description.startswith("Protecting and empowering individuals means")
    assert plan.get("4").title == "NEW TECHNOLOGIES: HARNESSING OPPORTUNITIES AND ADDRESSING CHALLENGES"


def test_section_5_2_items_keep_their_timing(plan):
    assert [n.id for n in plan.children("5.2")] == [f"5.2.{c}" for c in "abcdefghi"]
    assert plan.get("5.2.b").note == "Mid-term review. Timing: June 2023"
    assert plan.get("5.2.b").text.startswith("Conduct a mid-term review")


def test_parent_at_and_hash_stable(plan):
    assert plan.parent_at("4.2.c", "section") == "4.2"
    assert plan.parent_at("4.2.c", "line") == "4"
    again = parse_plan(PLAN.read_text(encoding="utf-8"), taxonomy_id="ap", source=str(PLAN))
    assert again.hash == plan.hash


def test_yaml_round_trip(plan, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(dump_yaml(plan), encoding="utf-8")
    loaded = load_taxonomy(path)
    assert loaded.nodes == plan.nodes and loaded.levels == plan.levels and loaded.hash == plan.hash


def test_committed_yaml_is_what_the_parser_builds(plan):
    committed = load_taxonomy(AP_YAML)
    assert committed.item_ids() == plan.item_ids()
    assert all(committed.get(i).text == plan.get(i).text for i in plan.item_ids())


def test_sdg_framework_same_parser():
    sdg = parse_plan(SDG.read_text(encoding="utf-8"), taxonomy_id="sdg", levels=["goal", "target"])
    assert len(sdg.at_level("goal")) == 17
    assert len(sdg.items()) == 169
    assert len(sdg.children("17")) == 19
    assert sdg.get("1").title == "No poverty"
    assert sdg.get("1").description == "End poverty in all its forms everywhere"
    assert sdg.parent_at("3.b", "goal") == "3"


@pytest.mark.parametrize("doc, line, problem", [
    ("## 1. Line\n### 1.1 Sec\n- a. One.\n- a. Two.\n", 4, "duplicate ID '1.1.a'"),
    ("## 1. Line\n- a. Lost item.\n### 1.1 Sec\n- a. One.\n", 2, "outside a section"),
    ("## 1. Line\n### 1.1 Sec\n- a. One.\n- b.\n", 4, "item '1.1.b' is empty"),
    ("## 1. Line\n### 1.1 Sec\n- a. One.\n### 1.2 Empty\n## 2. Next\n### 2.1 S\n- a. x.\n", 4, "section '1.2' (Empty) has no items"),
    ("## 1. Line\n### 1.1 Sec\n- a. One.\n### 1.1 Again\n- a. x.\n", 4, "duplicate ID '1.1'"),
])
def test_malformed_plan_names_line_and_problem(doc, line, problem):
    with pytest.raises(TaxonomyError) as err:
        parse_plan(doc, taxonomy_id="bad")
    assert f"line {line}:" in str(err.value)
    assert problem in str(err.value)


def test_heading_styles_vary_and_items_continue_after_footnotes():
    doc = ("#### **1. FIRST**\nIntro of the line.\n##### 1.1. Alpha\n- a. Starts here and goes on<sup>1</sup>\n\n---\n"
           "<sup>1</sup> A footnote.\n\nacross the page break.\n- b. *Italic* item.\n## **2 SECOND**\n### **2.1 Beta**\n- a. Only.\n")
    tax = parse_plan(doc, taxonomy_id="t")
    assert tax.get("1.1.a").text == "Starts here and goes on across the page break."
    assert tax.get("1.1.b").text == "Italic item."
    assert tax.get("1").description == "Intro of the line."
    assert tax.get("2.1").title == "Beta"


def test_cli_show_and_build(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(app, ["taxonomy", "show", "1.1.a"])
    assert shown.exit_code == 0
    assert "death penalty" in shown.output and "1.1 Protecting people" in shown.output
    missing = runner.invoke(app, ["taxonomy", "show", "9.9"])
    assert missing.exit_code == 1
    out = tmp_path / "sdg.yaml"
    built = runner.invoke(app, ["taxonomy", "build", str(SDG), "-o", str(out), "--levels", "goal,target"])
    assert built.exit_code == 0, built.output
    assert len(load_taxonomy(out).items()) == 169
