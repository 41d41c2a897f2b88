"""Answers on the real-model index of corpus/."""

import pytest
from support import shared_path

from eval.datasets import load_span_queries
from search_api.search import Filters
from summarizer import answer, summarize_report

MISSION_ZH = "各地如何落实行政机关负责人出庭应诉"
MISSION_EN = "how did each city handle administrative appearance in court"


def _check_citations(searcher, result):
    sentences = [s for g in result.groups for s in g.summary] + list(result.overview)
    for sentence in sentences:
        assert searcher.index.reports[sentence.doc_id].text[sentence.start : sentence.end] == sentence.text
    return sentences


def test_every_summary_sentence_of_every_seed_answer_is_cited_exactly(real_searcher):
    for query in load_span_queries(shared_path("eval", "seed_queries.jsonl")):
        result = answer(real_searcher, query.query)
        _check_citations(real_searcher, result)
        for group in result.groups:
            assert len(group.summary) <= 3
            assert sum(len(s.text) for s in group.summary[1:]) <= 200
            doc_ids = [s.doc_id for s in group.summary]
            assert [(s.doc_id, s.start) for s in group.summary] == sorted((s.doc_id, s.start) for s in group.summary)
            assert set(doc_ids) <= {p.doc_id for p in group.passages}


@pytest.mark.parametrize("question", [MISSION_ZH, MISSION_EN])
def test_the_mission_question_is_answered_per_jurisdiction(real_searcher, question):
    result = answer(real_searcher, question)
    labels = [g.label for g in result.groups]
    assert {"乌鲁木齐市 (2017)", "高新区(新市区)，乌鲁木齐市", "昌吉市，昌吉回族自治州"} <= set(labels), labels
    text = {g.label: "".join(s.text for s in g.summary) for g in result.groups}
    assert "出庭应诉" in text["乌鲁木齐市 (2017)"] and "出庭应诉" in text["昌吉市，昌吉回族自治州"]
    assert "出庭应诉" in text["高新区(新市区)，乌鲁木齐市"]
    assert set(labels).isdisjoint(result.without_evidence)
    assert len(labels) + len(result.without_evidence) == 5  # every report in scope is accounted for
    assert [g.evidence for g in result.groups] == sorted((g.evidence for g in result.groups), reverse=True)


@pytest.mark.parametrize("question", [MISSION_ZH, MISSION_EN])
def test_the_mission_answer_has_all_four_jurisdictions_and_not_2021(real_searcher, question):
    result = answer(real_searcher, question)
    assert {g.label for g in result.groups} == {"乌鲁木齐市 (2017)", "高新区(新市区)，乌鲁木齐市",
                                                 "昌吉市，昌吉回族自治州", "城东区，西宁市"}
    assert result.without_evidence == ("乌鲁木齐市 (2021)",)


@pytest.mark.parametrize("question", [MISSION_ZH, MISSION_EN])
def test_the_mission_answer_quotes_what_each_jurisdiction_did(real_searcher, question):
    text = {g.label: "".join(s.text for s in g.summary) for g in answer(real_searcher, question).groups}
    assert "798件" in text["乌鲁木齐市 (2017)"]
    assert "9件" in text["高新区(新市区)，乌鲁木齐市"]
    assert "出庭应诉的比例" in text["昌吉市，昌吉回族自治州"]
    # 城东区 writes only of 行政应诉: an English question reaches it through feedback words.
    assert "78.9%" in text["城东区，西宁市"]


def test_a_question_no_report_addresses_has_no_groups(real_searcher):
    result = answer(real_searcher, "航天发射场火箭燃料加注流程")
    assert result.groups == () and len(result.without_evidence) == 5


def test_filters_limit_the_scope(real_searcher):
    result = answer(real_searcher, MISSION_ZH, filters=Filters(jurisdiction="乌鲁木齐市"))
    assert {g.label for g in result.groups} | set(result.without_evidence) <= {
        "乌鲁木齐市 (2017)", "乌鲁木齐市 (2021)", "高新区(新市区)，乌鲁木齐市"}


def test_whole_report_summary_is_cited_and_in_document_order(real_searcher):
    doc_id = next(r.doc_id for r in real_searcher.index.reports.values() if r.source.startswith("004"))
    summary = summarize_report(real_searcher, doc_id)
    assert 1 <= len(summary) <= 5
    assert [s.start for s in summary] == sorted(s.start for s in summary)
    for sentence in summary:
        assert real_searcher.index.reports[doc_id].text[sentence.start : sentence.end] == sentence.text
    with pytest.raises(KeyError):
        summarize_report(real_searcher, "no-such-report")
