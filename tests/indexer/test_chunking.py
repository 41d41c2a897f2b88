import dataclasses

import pytest

from indexer.chunking import ChunkSettings, chunk_report, heading_of

SENTENCE_ENDS = "。！？；"




@pytest.mark.parametrize("max_chars", [150, 400, 800])
def test_chunks_are_verbatim_ordered_and_bounded(seed_reports, max_chars):
    settings = ChunkSettings(max_chars=max_chars)
    for report in seed_reports:
        chunks = chunk_report(report, settings)
        assert chunks
        previous_end = 0
        for chunk in chunks:
            assert report.text[chunk.start : chunk.end] == chunk.text
            assert chunk.start >= previous_end
            previous_end = chunk.end
            assert len(chunk.text) <= max_chars + settings.min_chars


def test_chunks_never_cut_inside_a_sentence_when_sentences_fit(seed_reports):
    for report in seed_reports:
        for chunk in chunk_report(report, ChunkSettings(max_chars=300)):
            after = report.text[chunk.end : chunk.end + 1]
            # A chunk ends at a sentence or clause end, a line end, or the end of the text.
            assert after in ("", "\n") or chunk.text[-1] in SENTENCE_ENDS + "，", chunk.text[-20:]


def test_headings_start_chunks_and_form_the_path(seed_reports):
    report = next(r for r in seed_reports if r.source.startswith("004"))
    chunks = chunk_report(report)
    complaint = next(c for c in chunks if "（一）加强组织领导" in c.text)
    assert complaint.heading_path == ("一、工作开展情况", "（一）加强组织领导，健全工作机制")
    assert complaint.text.startswith("一、工作开展情况\n（一）加强组织领导")
    for chunk in chunks:
        heading = heading_of(chunk.text.split("\n", 1)[0])
        if heading and heading[0] > 0:
            assert heading[1] in chunk.heading_path


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("一、强化组织保障，统筹推进法治政府建设", (1, "一、强化组织保障，统筹推进法治政府建设")),
        ("（二）严格对执法资格的审查。全面实行行政执法人员持证上岗", (2, "（二）严格对执法资格的审查")),
        ("1.建立领导干部学法用法制度。 一是采取", (3, "1.建立领导干部学法用法制度")),
        ("2017年，在市委、市政府的正确领导下", None),
    ],
)
def test_heading_markers(paragraph, expected):
    assert heading_of(paragraph) == expected


def test_chunk_ids_follow_the_report(seed_reports):
    report = dataclasses.replace(seed_reports[0], doc_id="abc")
    assert [c.chunk_id for c in chunk_report(report)][:2] == ["abc-0000", "abc-0001"]
