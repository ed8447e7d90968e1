"""The report in a real browser: headless Chromium opens the file from disk, a filter is applied,
an item's drill-down opened, and what is shown is checked, with no console errors. Screenshots
land in tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coverage_world import SCRIPT_TEXT, build_world
from pipeline.cli import app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
INSTALL = ("headless Chromium is needed for the browser tests: install Debian's packages with "
           "`sudo apt-get update && sudo apt-get install -y chromium chromium-driver` "
           "(`make test` does this itself when run as root).")


def _chromium() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        pytest.fail(f"{INSTALL} Found chromium: {binary or 'no'}, chromedriver: {driver or 'no'}.")
    return binary, driver


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = _chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1400,1800"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(options=opts, service=Service(driver))
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    world = build_world(tmp_path_factory.mktemp("world"))
    out = {}
    for name, extra in (("full", []), ("capped", ["--max-evidence", "1"])):
        path = world / f"{name}.html"
        res = CliRunner().invoke(app, ["report", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"),
                                       "-o", str(path), *extra])
        assert res.exit_code == 0, res.output
        out[name] = path
    return out


def open_report(browser, path: Path) -> None:
    browser.get(path.resolve().as_uri())
    assert browser.execute_script("return document.body.dataset.ready") == "1", "the report script did not finish"


def text(browser, element_id: str) -> str:
    return browser.find_element("id", element_id).text


def choose(browser, select_id: str, visible_prefix: str) -> None:
    from selenium.webdriver.support.ui import Select

    sel = Select(browser.find_element("id", select_id))
    option = next(o for o in sel.options if o.text.startswith(visible_prefix))
    sel.select_by_visible_text(option.text)


def console_errors(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def shot(browser, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / name))


def test_filter_and_drill_down(browser, reports):
    open_report(browser, reports["full"])
    assert text(browser, "sum-docs").startswith("4") and text(browser, "sum-tagged").startswith("6")
    assert text(browser, "sum-covered").startswith("4 / 5")

    choose(browser, "f-country", "KE")
    assert text(browser, "sum-docs").startswith("2")
    assert text(browser, "sum-passages").startswith("4")
    assert text(browser, "sum-tagged").startswith("4")
    assert text(browser, "sum-covered").startswith("4 / 5")
    gaps = [li.get_attribute("data-node") for li in browser.find_elements("css selector", "#gaps-none li")]
    assert gaps == ["2.1.a"]

    browser.find_element("css selector", 'tr[data-node="1.2.a"] th.rowh').click()
    assert text(browser, "drill-title").startswith("1.2.a")
    assert text(browser, "drill-stats").startswith("1 passage in 1 document from 1 country · first 2023-05-20 · "
                                                   "last 2023-05-20 · mean score 0.85 · 1 to review")
    cards = browser.find_elements("css selector", "#drill-list .ev")
    assert len(cards) == 1
    assert SCRIPT_TEXT in cards[0].find_element("css selector", ".text").text
    assert cards[0].find_element("css selector", "mark").text == SCRIPT_TEXT[:44]
    assert "Kenya country report" in cards[0].text and "p. 7" in cards[0].text
    assert browser.find_elements("css selector", "#drill script") == []   # shown as text, never run
    assert text(browser, "drill-more").startswith("Showing 1 of 1 passages")
    shot(browser, "report_filtered_drilldown.png")
    assert console_errors(browser) == []


def test_period_filter_shows_change_and_cells_open_their_evidence(browser, reports):
    open_report(browser, reports["full"])
    choose(browser, "f-from", "2023-Q2")
    choose(browser, "f-to", "2023-Q2")
    assert text(browser, "sum-docs").startswith("2")
    change = browser.find_element("css selector", '#levels tr[data-node="1.2"] td:last-child').text
    assert change == "+2"
    slice_gaps = [li.get_attribute("data-node") for li in browser.find_elements("css selector", "#gaps-slice li")]
    assert slice_gaps == ["1.1.b", "2.1.b"]

    choose(browser, "hm-cols", "Countries")
    cells = browser.find_elements("css selector", 'tr[data-node="1.1.a"] td:not(.total)')
    assert [c.text for c in cells] == ["1", ""]  # KE, SN
    cells[0].click()
    assert "country: KE" in text(browser, "drill-cell")
    assert text(browser, "drill-more").startswith("Showing 1 of 1")
    assert console_errors(browser) == []


def test_capped_report_says_how_many_more(browser, reports):
    open_report(browser, reports["capped"])
    browser.find_element("css selector", 'tr[data-node="1.1.a"] th.rowh').click()
    assert len(browser.find_elements("css selector", "#drill-list .ev")) == 1
    more = text(browser, "drill-more")
    assert more.startswith("Showing 1 of 3 passages") and "2 more are counted but not embedded" in more
    browser.find_element("id", "drill-close").click()
    assert not browser.find_element("id", "drill").is_displayed()
    browser.find_element("css selector", 'tr[data-node="1.1"] th.rowh').click()   # fold the section
    assert browser.find_elements("css selector", 'tr[data-node="1.1.a"]') == []
    shot(browser, "report_capped.png")
    assert console_errors(browser) == []


def test_rounds_section_and_said_by_filter(browser, tmp_path):
    import json as _json

    import pandas as pd

    from pipeline.store import Workspace

    world = build_world(tmp_path / "world")
    body = "The EU raised the death penalty again. The Kenyan side rejected a moratorium."
    with Workspace(world) as ws, ws.transaction():  # a second round of KE minutes
        ws.insert_df("documents", pd.DataFrame([("D6", "d6.txt", "minutes", "KE", pd.Timestamp("2023-09-01"),
                                                 "Second Kenya dialogue", "ok")],
                                               columns=["doc_id", "source_path", "doc_type", "country", "date",
                                                        "title", "status"]))
        ws.insert_df("passages", pd.DataFrame([("P8", "D6", 0, body, 0, len(body), 1)],
                                              columns=["passage_id", "doc_id", "seq", "text", "char_start",
                                                       "char_end", "page"]))
        ev = {"start": 0, "end": 38, "sentence": body[:38], "terms": [], "actor": "eu", "act": "raised"}
        ws.insert_df("predictions", pd.DataFrame([("P8", "1.1.a", 0.9, "m1", True, _json.dumps(ev))],
                                                 columns=["passage_id", "item_id", "score", "model_id", "accepted",
                                                          "evidence"]))
    path = world / "rounds.html"
    res = CliRunner().invoke(app, ["report", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"), "-o", str(path)])
    assert res.exit_code == 0, res.output
    open_report(browser, path)
    section = browser.find_element("id", "rounds-section")
    assert section.is_displayed() and "KE: 2 rounds" in section.text
    row = browser.find_element("css selector", "#rounds tr.round-persisting")
    assert row.text.startswith("1.1.a") and "rejected" not in row.text.split("\n")[0]
    browser.find_element("css selector", 'tr[data-node="1.1.a"] th.rowh').click()
    assert len(browser.find_elements("css selector", "#drill-list .ev")) == 4
    choose(browser, "f-actor", "EU")
    cards = browser.find_elements("css selector", "#drill-list .ev")
    assert len(cards) == 2 and all("EU raised" in c.text for c in cards)
    assert "EU raised 2" in text(browser, "drill-said")
    choose(browser, "f-country", "SN")
    assert not browser.find_element("id", "rounds-section").is_displayed()
    shot(browser, "report_rounds.png")
    assert console_errors(browser) == []



def test_review_from_the_report_survives_a_reload_and_imports(browser, tmp_path):
    import time

    import pandas as pd

    from pipeline.store import Workspace

    world = build_world(tmp_path / "world")
    path = world / "review.html"
    res = CliRunner().invoke(app, ["report", "-w", str(world), "--taxonomy", str(world / "tiny.yaml"), "-o", str(path)])
    assert res.exit_code == 0, res.output
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    open_report(browser, path)
    browser.find_element("css selector", 'tr[data-node="1.1.a"] th.rowh').click()
    assert "Quality: 0 reviewed tags" in text(browser, "drill-quality")
    cards = browser.find_elements("css selector", "#drill-list .ev")
    pids = [c.get_attribute("data-passage") for c in cards]
    assert pids == ["P1", "P3", "P2"]
    cards[0].find_element("css selector", ".rv-accept").click()
    browser.find_elements("css selector", "#drill-list .ev")[1].find_element("css selector", ".rv-reject").click()
    box = browser.find_elements("css selector", "#drill-list .ev")[2].find_element("css selector", ".rv-add")
    box.send_keys("1.2.a\n")
    assert text(browser, "rv-download") == "Download corrections (3)"

    browser.refresh()
    assert browser.execute_script("return document.body.dataset.ready") == "1"
    browser.find_element("css selector", 'tr[data-node="1.1.a"] th.rowh').click()
    cards = browser.find_elements("css selector", "#drill-list .ev")
    assert "on" in cards[0].find_element("css selector", ".rv-accept").get_attribute("class").split()
    assert "on" in cards[1].find_element("css selector", ".rv-reject").get_attribute("class").split()
    assert cards[2].find_element("css selector", ".rv-added").text.startswith("+ 1.2.a")
    assert text(browser, "rv-download") == "Download corrections (3)"
    browser.find_element("id", "rv-name").send_keys("Desk officer A")
    browser.find_element("id", "rv-download").click()
    for _ in range(50):
        got = list(downloads.glob("aptag-corrections-*.jsonl"))
        if got:
            break
        time.sleep(0.1)
    assert len(got) == 1, "the corrections file was not downloaded"
    shot(browser, "report_review.png")
    assert console_errors(browser) == []

    res = CliRunner().invoke(app, ["review", "import", str(got[0]), "-w", str(world), "--taxonomy", str(world / "tiny.yaml")])
    assert res.exit_code == 0, res.output
    assert "downloaded from a report of model m1" not in res.output  # the same model: nothing to warn about
    with Workspace(world) as ws:
        ann = ws.table("annotations")
    new = ann[ann["source"] == got[0].name]
    assert sorted(zip(new["passage_id"], new["item_id"], new["value"])) == [("P1", "1.1.a", 1), ("P2", "1.2.a", 1),
                                                                           ("P3", "1.1.a", 0)]
    assert set(new["annotator"]) == {"Desk officer A"}
