"""The web page in headless Chromium (Debian's, driven by Playwright): ask, read, open a citation."""

import shutil
from pathlib import Path

import pytest
from search_api.live_server import running_server
from support import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(real_corpus_index):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with running_server(real_corpus_index[0]) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        page.goto(url)
        yield page
        browser.close()
        assert page.console_errors == []  # no favicon 404, no script error, in any test


def _downloaded(page, selector) -> str:
    with page.expect_download() as download:
        page.click(selector)
    return Path(download.value.path()).read_text(encoding="utf-8-sig")


def test_answer_by_jurisdiction_and_open_a_citation(page):
    page.fill("#q", "各地如何落实行政机关负责人出庭应诉")
    page.click("#answer")
    page.wait_for_selector(".group", timeout=120_000)
    groups = page.locator(".group h2").all_inner_texts()
    assert len(groups) >= 3 and any(h.startswith("乌鲁木齐市 (2017) · 2017") for h in groups)
    citation = page.locator(".group .cite").first
    cited_sentence = citation.evaluate("node => node.parentElement.firstChild.textContent")
    citation.click()
    page.wait_for_selector("#viewer:not([hidden]) #cited")
    assert page.locator("#cited").inner_text() == cited_sentence
    assert page.locator("#cited").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "answer-citation.png"))
    page.click("#close")


def test_phrase_search_lists_every_occurrence_and_exports(page):
    page.select_option("#mode", "phrase")
    page.fill("#q", "有件必备、有备必审")
    page.click("#search")
    page.wait_for_selector("#occurrences")
    assert page.locator("#occurrences tr").count() == 1 + 3
    content = _downloaded(page, "#export-csv")
    assert content.count("有件必备") == 3 and content.startswith("rank,jurisdiction,year,doc_number")
    page.screenshot(path=str(ARTIFACTS / "phrase.png"))
    page.select_option("#mode", "hybrid")


def test_empty_and_error_states_and_english_labels(page):
    page.fill("#q", "")
    page.click("#answer")
    assert page.locator("#status.error").is_visible()
    page.click("#lang")
    assert page.locator("#answer").inner_text() == "Answer by jurisdiction"
    page.fill("#q", "完全无关的火箭燃料加注")
    page.select_option("#jurisdiction", "城东区")
    page.click("#search")
    page.wait_for_function("document.querySelector('#status').textContent.includes('results')")
    assert page.locator("#weak-only").is_visible()  # nothing matches well, and the page says so
    page.select_option("#jurisdiction", "")
    page.click("#answer")
    page.wait_for_selector("#not-covered")
    assert "does not cover" in page.locator("#not-covered").inner_text()
    assert page.locator(".group").count() == 0
    page.screenshot(path=str(ARTIFACTS / "not-covered.png"))
    page.click("#lang")


def test_figures_table_cites_each_value_and_exports(page):
    page.fill("#q", "各地行政机关负责人出庭应诉情况")
    page.click("#answer")
    page.wait_for_selector("#figures-table")
    row = page.locator("#figures-table tr", has_text="798")
    assert "出庭应诉" in row.inner_text() and "乌鲁木齐市" in page.locator("#figures-table").inner_text()
    row.locator(".cite").click()
    page.wait_for_selector("#viewer:not([hidden]) #cited")
    assert "798件" in page.locator("#cited").inner_text() and page.locator("#cited").is_visible()
    page.screenshot(path=str(ARTIFACTS / "figures-citation.png"))

    page.click("#raw-toggle")  # the same span in the source file's own characters
    page.wait_for_function("document.querySelector('#raw-toggle').textContent.includes('清洗')")
    assert "798件" in page.locator("#cited").inner_text()
    page.click("#close")

    figures = _downloaded(page, "#figures-csv")
    assert figures.startswith("group,jurisdiction,year,what,value,unit,quote") and ",798,件," in figures
    assert "## Figures" in _downloaded(page, "#answer-export-md")
    import json

    exported = json.loads(_downloaded(page, "#answer-export-json"))
    assert any(f["value"] == 798 for g in exported["groups"] for f in g["figures"])
    headings = page.locator(".group h2").all_inner_texts()
    assert any("2017" in h and "年度报告" in h for h in headings)  # years and document type
    assert "没有记载" in page.locator("#without").inner_text()  # what the list of silent places means


def test_year_comparison_and_the_url_keeps_the_state(page):
    page.fill("#q", "how did each city handle administrative appearance in court")
    page.select_option("#jurisdiction", "乌鲁木齐市")
    page.check("#compare")
    page.click("#answer")
    page.wait_for_selector(".comparison-card")
    rows = page.locator(".comparison tr").all_inner_texts()
    assert rows[1].startswith("2017") and "798" in rows[1]
    assert rows[2].startswith("2021") and "未提及" in rows[2] and "2021年度" in rows[2]
    page.screenshot(path=str(ARTIFACTS / "compare-years.png"))
    shared = page.url
    assert "view=answer" in shared and "compare=years" in shared

    page.fill("#q", "有件必备、有备必审")
    page.select_option("#mode", "phrase")
    page.click("#search")
    page.wait_for_selector("#occurrences")
    page.go_back()  # the back button brings the answer back, with its question and filters
    page.wait_for_selector(".comparison-card")
    assert page.input_value("#q") == "how did each city handle administrative appearance in court"
    assert page.input_value("#jurisdiction") == "乌鲁木齐市" and page.is_checked("#compare")

    page.goto(shared)  # a shared link opens the same answer
    page.wait_for_selector(".comparison-card")
    assert page.locator(".comparison tr").count() == 3
    page.uncheck("#compare")
    page.select_option("#jurisdiction", "")
    page.select_option("#mode", "hybrid")


def test_a_filter_that_matches_nothing_says_why(page):
    page.goto(page.url.split("?")[0] + "?q=出庭&view=search&year=2030")
    page.wait_for_selector("#notice")
    assert page.locator("#notice").inner_text() == "报告库中没有 2030 年的报告。"
    page.click("#lang")  # the language switch redraws the results
    assert "no report from 2030" in page.locator("#notice").inner_text()
    page.click("#lang")
