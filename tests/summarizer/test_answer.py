"""Answers on the real-model index of corpus/."""

import numpy as np
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
            for figure in group.figures:
                report = real_searcher.index.reports[figure.doc_id]
                assert report.text[figure.start : figure.end] == figure.text and f"{figure.value:g}" in figure.text
                assert figure.doc_id in {p.doc_id for p in group.passages} and figure.jurisdiction == report.jurisdiction


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


SHENZHEN_SAMPLE = ("深圳市龙华区2019年法治政府建设工作报告_2019.txt", "深圳市光明区人民政府关于2021年度法治政府建设情况的报告_2022.txt",
                   "2023年坪山区政府工作报告_2023.txt", "2022年南山区政府工作报告_2022.txt", "大鹏新区2022年管委会工作报告_2022.txt",
                   "2021年坪山区政府工作报告_2021.txt")  # the last is portal chrome only


def test_seeds_and_shenzhen_reports_are_grouped_by_real_places(tmp_path):
    import shutil

    from support import CORPUS

    from indexer.embedding.fake import FakeEmbedder
    from indexer.pipeline import build_index
    from search_api.search import LoadedIndex, Searcher

    folder = tmp_path / "archive"
    shutil.copytree(CORPUS, folder)
    for name in SHENZHEN_SAMPLE:
        shutil.copy(shared_path("data", "gov_reports", "shenzhen", name), folder / name)
    summary = build_index([folder], tmp_path / "index", FakeEmbedder())
    assert ("2021年坪山区政府工作报告_2021.txt", "page chrome only, no body text") in {
        (f.source, f.reason) for f in summary.skipped}
    searcher = Searcher(LoadedIndex.open(tmp_path / "index", FakeEmbedder()))
    result = answer(searcher, MISSION_ZH)
    labels = [g.label for g in result.groups] + list(result.without_evidence)
    assert len(labels) == 10  # every report in scope is a group or listed without evidence
    assert {"龙华区，深圳市", "光明区，深圳市", "坪山区，深圳市", "南山区，深圳市", "大鹏新区，深圳市"} <= set(labels), labels
    assert not any("。" in label or "我代表" in label or "place unknown" in label for label in labels)


def test_a_plan_is_labelled_planned_and_no_heading_is_a_summary_sentence(real_searcher):
    from indexer.chunking import is_heading

    result = answer(real_searcher, MISSION_ZH)
    stances = {g.label: g.stance for g in result.groups}
    assert stances["昌吉市，昌吉回族自治州"] == "planned" and stances["乌鲁木齐市 (2017)"] == "reported"
    for query in load_span_queries(shared_path("eval", "seed_queries.jsonl")):
        assert not any(is_heading(s.text) for g in answer(real_searcher, query.query).groups for s in g.summary)


@pytest.mark.parametrize("text, heading", [("一、2020年工作回顾", True), ("（二）强化行政执法监督规范行政执法行为", True),
                                           ("2013年工作回顾", True), ("1.全年共受理行政复议案件12件，审结10件。", False),
                                           ("全年共办理行政复议案件二十件，全部依法审结。", False),
                                           ("五、全面清理政府文件,做好规范性文件备案审查工作。", True),
                                           ("（八）依法有效化解社会矛盾纠纷。提高行政复议办案质量。", False),
                                           ("3.持续推进权力清单、责任清单管理工作，根据法律法规规章和部门职能变化等情况，"
                                            "明确部门职责边界，实施动态管理。", False)])
def test_headings_are_told_from_statements(text, heading):
    from indexer.chunking import is_heading

    assert is_heading(text) is heading


def test_past_the_exhaustive_limit_answers_read_the_nearest_vectors_and_the_keyword_chunks(real_searcher):
    from search_api.search.searcher import SearchSettings, Searcher

    # The corpus index has 589 vectors: reading 100 of them and 30 chunks per lexical run is the
    # approximate path at the proportions of a large archive.
    approximate = Searcher(real_searcher.index, SearchSettings(exhaustive_limit=0, answer_depth=100, answer_keyword_chunks=30))
    for query in load_span_queries(shared_path("eval", "seed_queries.jsonl")):
        exact, approx = answer(real_searcher, query.query), answer(approximate, query.query)
        assert [g.label for g in approx.groups] == [g.label for g in exact.groups], query.query
        ranking = approximate.rank(query.query, "hybrid", exhaustive=True)
        assert 100 <= np.count_nonzero(~np.isnan(ranking.unit_scores)) < len(real_searcher.index.store)


def test_a_filtered_search_past_the_exact_limit_searches_faiss_among_the_allowed_reports(real_searcher):
    from search_api.search import Filters, SearchRequest
    from search_api.search.searcher import SearchSettings, Searcher

    among = Searcher(real_searcher.index, SearchSettings(exact_subset_limit=0))
    request = SearchRequest("行政复议", 5, "dense", Filters("城东区"))
    passages = among.search(request).passages
    assert passages and {p.jurisdiction for p in passages} == {"城东区"}
    assert [p.chunk_id for p in passages] == [p.chunk_id for p in real_searcher.search(request).passages]


def test_a_summary_prefers_the_groups_surest_passage_and_sentences_close_to_the_question(seed_reports):
    import importlib

    from summarizer.answer import AnswerSettings

    answer_module = importlib.import_module("summarizer.answer")  # the package exports the function as `answer`
    report = seed_reports[0]

    def sentence(start, coverage, closeness, passage):
        return answer_module._Sentence(report, start, start + 10, report.text[start : start + 10], coverage, closeness,
                                       passage, False)

    one = AnswerSettings(sentences_per_group=1)
    # Equal relevance: the sentence of the first passage wins; the third passage's counts 1 - 2 x 0.2.
    first, third = sentence(100, 0.5, 0.0, 0), sentence(0, 0.5, 0.0, 2)
    assert [s.start for s in answer_module._summarise([third, first], one)] == [100]
    assert [s.start for s in answer_module._summarise([third, sentence(100, 0.25, 0.0, 0)], one)] == [0]  # 0.3 > 0.25
    # Closeness adds to coverage: 0.4 x (1 + 1.0) > 0.5; 0.4 x (1 + 0.2) < 0.5.
    covering = sentence(100, 0.5, 0.0, 0)
    assert [s.start for s in answer_module._summarise([sentence(0, 0.4, 1.0, 0), covering], one)] == [0]
    assert [s.start for s in answer_module._summarise([sentence(0, 0.4, 0.2, 0), covering], one)] == [100]


@pytest.mark.parametrize("question", [MISSION_ZH, "building the government legal adviser system"])
def test_a_groups_passages_come_by_evidence_in_chinese_and_in_the_fused_order_in_english(real_searcher, question):
    ranking = real_searcher.rank(question, "hybrid", exhaustive=True, render=False)
    position = {real_searcher.index.chunks[row].chunk_id: i for i, row in enumerate(ranking.rows)}
    groups = [g for g in answer(real_searcher, question).groups if len(g.passages) > 1]
    assert groups
    by_evidence = [[p.score for p in g.passages] == sorted((p.score for p in g.passages), reverse=True) for g in groups]
    if ranking.terms:  # English
        for group in groups:
            assert [position[p.chunk_id] for p in group.passages] == sorted(position[p.chunk_id] for p in group.passages)
        assert not all(by_evidence)  # else this question could not tell the two orders apart
    else:
        assert all(by_evidence)
    assert all(group.evidence == max(p.score for p in group.passages) for group in groups)


def test_an_english_answer_measures_closeness_for_the_question_in_its_best_passages_words(real_searcher):
    from summarizer.evidence import weigh_evidence

    plain = real_searcher.rank(MISSION_EN, "hybrid", exhaustive=True, render=False)
    rendered = weigh_evidence(real_searcher, MISSION_EN).ranking
    assert rendered.rows == plain.rows and rendered.fused == plain.fused  # the order is the hybrid one
    # 乌鲁木齐市's 798 cases of appearing in court: about 1.2 archive spreads closer than the mean to the
    # English question, 2.8 to its rendering in the reports' words.
    row = next(r for r in plain.rows if "出庭应诉798件" in real_searcher.index.chunks[r].text)
    assert rendered.dense_z(row) > plain.dense_z(row) + 1
    # A Chinese question's closeness is its own.
    chinese = weigh_evidence(real_searcher, MISSION_ZH).ranking
    assert chinese.dense == real_searcher.rank(MISSION_ZH, "hybrid", exhaustive=True, render=False).dense
