"""Hostile files beside real reports: each gets a named outcome, the rest is indexed, memory stays bounded."""

import time

from hostile import docx_with_body_xml, write_hostile_files

from indexer.embedding.fake import FakeEmbedder
from indexer.ingest import IngestError, ingest_file
from indexer.ingest.isolated import IsolatedParser, ParseLimits
from indexer.pipeline import build_index
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory


def test_each_hostile_file_has_a_named_outcome_and_the_reports_are_indexed(corpus_copy, tmp_path):
    expected = write_hostile_files(corpus_copy)
    summary = build_index([corpus_copy], tmp_path / "index", FakeEmbedder())
    reasons = {f.source: f.reason for f in summary.failed}
    for name, outcome in expected.items():
        if outcome == "indexed":
            assert name in summary.new, name
        else:
            assert outcome in reasons[name], (name, reasons.get(name))
    assert summary.reports == 5 + 2
    assert summary.parser_peak_rss_bytes < 1.5e9  # the bomb was refused before it was inflated
    catalog = Catalog(IndexDirectory(tmp_path / "index").current())
    page = next(r for r in catalog.reports() if r.source == "script.html")
    assert "行政复议案件二十件" in page.text and "counter" not in page.text


def test_a_parse_over_the_time_or_memory_limit_costs_that_file_and_the_next_one_parses(tmp_path):
    slow = docx_with_body_xml(tmp_path / "slow.docx", 4_000_000)
    fine = docx_with_body_xml(tmp_path / "fine.docx", 1_000)
    for limits, reason in ((ParseLimits(seconds=0.5), "took over"), (ParseLimits(memory_bytes=20_000_000), "memory")):
        with IsolatedParser(limits) as parse:
            started = time.monotonic()
            try:
                ingest_file(slow, "slow.docx", parse=parse)
            except IngestError as error:
                assert error.source == "slow.docx" and reason in error.reason
            else:
                raise AssertionError(f"{limits} did not stop the parse")
            assert time.monotonic() - started < 60
            assert "法治政府建设" in ingest_file(fine, "fine.docx", parse=parse)[0].text
