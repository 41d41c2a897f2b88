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
        page.goto(url)
        yield page
        browser.close()


def test_answer_by_jurisdiction_and_open_a_citation(page):
    page.fill("#q", "各地如何落实行政机关负责人出庭应诉")
    page.click("#answer")
    page.wait_for_selector(".group", timeout=120_000)
    groups = page.locator(".group h2").all_inner_texts()
    assert len(groups) >= 3 and "乌鲁木齐市 (2017)" in groups
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
    with page.expect_download() as download:
        page.click("#export-csv")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.count("有件必备") == 3 and content.startswith("jurisdiction,year,doc_number")
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
