import numpy as np
import pytest

from search_api.search import Filters, SearchRequest
from search_api.search.searcher import best_per_group


def _search(searcher, query, **kwargs):
    return searcher.search(SearchRequest(query, **kwargs))


@pytest.mark.parametrize("mode", ["hybrid", "dense", "keyword"])
def test_passages_are_spans_of_clean_text_with_highlights_inside(fake_searcher, mode):
    result = _search(fake_searcher, "行政复议案件", k=7, mode=mode)
    assert 0 < len(result.passages) <= 7 and result.mode == mode and result.generation.startswith("gen-")
    for passage in result.passages:
        report = fake_searcher.index.reports[passage.doc_id]
        assert report.text[passage.start : passage.end] == passage.text
        assert all(0 <= s < e <= len(passage.text) for s, e in passage.highlights)
    assert len({p.chunk_id for p in result.passages}) == len(result.passages)
    assert len({"".join(p.text.split()) for p in result.passages}) == len(result.passages)


def test_keyword_results_contain_the_terms_and_are_highlighted(fake_searcher):
    for passage in _search(fake_searcher, "公平竞争审查", mode="keyword").passages[:3]:
        assert "公平竞争审查" in passage.text
        assert any(passage.text[s:e] in ("公平竞争审查", "公平竞争", "竞争审查", "审查", "公平", "竞争") for s, e in passage.highlights)


def test_filters_restrict_results_and_an_empty_filter_result_is_empty(fake_searcher):
    urumqi = _search(fake_searcher, "行政复议", k=20, filters=Filters(jurisdiction="乌鲁木齐市")).passages
    assert urumqi and {p.jurisdiction for p in urumqi} <= {"乌鲁木齐市", "高新区(新市区)"}
    assert "高新区(新市区)" in {p.jurisdiction for p in urumqi}
    assert {p.year for p in _search(fake_searcher, "行政复议", filters=Filters(year_from=2021)).passages} == {2021}
    assert _search(fake_searcher, "行政复议", filters=Filters(jurisdiction="北京市")).passages == []
    assert _search(fake_searcher, "行政复议", filters=Filters(year_from=1990, year_to=1991)).passages == []


def test_an_english_question_highlights_the_words_its_glosses_found(fake_searcher):
    # The dictionary renders "letters" and "visits" as 信件, 访问...; the reports say 信访, whose gloss
    # (complaint, letter, petition) is how the gloss run found them.
    result = _search(fake_searcher, "handling of letters and visits", mode="keyword")
    assert "信访" not in result.translated_terms
    highlighted = {p.text[s:e] for p in result.passages for s, e in p.highlights}
    assert any("信访" in words for words in highlighted)
    # A Chinese question highlights its own words only.
    ranking = fake_searcher.rank("信件处理", "keyword")
    assert fake_searcher.highlight_terms("信件处理", ranking) == fake_searcher.index.keyword.tokens("信件处理")


def test_a_possessive_does_not_make_a_question_uncovered(fake_searcher):
    # "people's" once left a word "s" that no gloss holds, counted as absent: "not covered".
    result = _search(fake_searcher, "people's mediation of disputes")
    assert result.covered and result.archive_share == _search(fake_searcher, "people mediation of disputes").archive_share


def test_an_irregular_verb_form_does_not_make_a_question_uncovered(fake_searcher):
    # "taken" is no gloss's word ("take" is): it once counted as absent, and refused the question.
    result = _search(fake_searcher, "what measures were taken to resolve disputes through mediation")
    assert result.covered and result.archive_share == 1.0


def test_words_for_places_neither_cover_nor_uncover_an_english_question(fake_searcher):
    from search_api.search.strength import archive_share

    # No report says 管辖 ("jurisdiction"), which once counted as absent and refused the question.
    on_topic = _search(fake_searcher, "how did each jurisdiction handle appearance in court")
    assert on_topic.covered and on_topic.archive_share == 1.0
    # "cities" is the archive's word, but earns an off-topic question nothing.
    assert archive_share(fake_searcher.index, "which cities built subway lines") == archive_share(
        fake_searcher.index, "which built subway lines")


def test_a_chinese_question_in_question_form_is_covered_like_its_topic(fake_searcher):
    # The bigrams across 如何/怎样 and words for places (地怎, 样开, 各区如) are in no report: they once
    # counted as absent and refused the question.
    for question, topic in (("各地怎样开展普法宣传教育", "开展普法宣传教育"), ("哪些区县建立了政府法律顾问制度", "建立法律顾问制度")):
        result = _search(fake_searcher, question)
        assert result.covered and result.archive_share == _search(fake_searcher, topic).archive_share
    assert not _search(fake_searcher, "各地如何发展足球运动").covered


def test_an_english_question_quoting_chinese_terms_needs_them_in_the_archive(fake_searcher):
    from search_api.search.strength import archive_shares, question_concepts

    question = "how did cities handle 行政复议 cases"
    result = _search(fake_searcher, question, mode="keyword")
    assert result.covered and result.translated_terms and "行政复议" in result.passages[0].text
    ranking = fake_searcher.rank(question, "keyword")
    assert ("行政复议",) in [alternatives for alternatives, _ in question_concepts(fake_searcher.index, question, ranking.terms)]
    # Its English words are common ones the glosses hold; the quoted term is what the archive lacks.
    off_topic = "how did cities handle 火箭燃料 cases"
    assert archive_shares(fake_searcher.index, off_topic)["en"] == 1.0
    assert not _search(fake_searcher, off_topic).covered


def test_english_question_is_expanded_for_the_keyword_side(fake_searcher):
    result = _search(fake_searcher, "administrative mediation", mode="keyword")
    assert "调解" in result.translated_terms
    assert result.passages and "调解" in result.passages[0].text


def _texts_embedded(searcher, query, mode="hybrid", **options):
    embedder = searcher.index.embedder
    before = embedder.texts_embedded
    searcher.rank(query, mode, **options)
    return embedder.texts_embedded - before


def test_english_hybrid_questions_also_embed_their_chinese_rendering(fake_searcher):
    from search_api.search import Searcher, SearchSettings

    assert _texts_embedded(fake_searcher, "administrative mediation cases") == 2
    assert _texts_embedded(fake_searcher, "administrative mediation cases", "dense") == 1
    assert _texts_embedded(fake_searcher, "行政调解案件") == 1
    assert _texts_embedded(fake_searcher, "how did they do it") == 1  # nothing to render
    assert _texts_embedded(fake_searcher, "administrative mediation cases", render=False) == 1  # for answers
    without = Searcher(fake_searcher.index, SearchSettings(translated_dense_weight=0))
    assert _texts_embedded(without, "administrative mediation cases") == 1


def test_the_gloss_run_weighs_more_when_the_dense_run_is_flat_and_the_glosses_know_the_words(fake_searcher):
    from search_api.search.fusion import ScoredRun

    def dense(gap):  # ten chunks, the best ``gap`` spreads above the tenth
        return ScoredRun(np.arange(10), np.r_[gap, np.zeros(9)], mean=0.0, spread=1.0, floor=0.0)

    settings = fake_searcher.settings
    known = "administrative mediation"
    assert fake_searcher.index.gloss.known_share(known) == 1.0
    assert fake_searcher.gloss_weight_for(known, dense(0.5)) == settings.gloss_weight_alone
    assert fake_searcher.gloss_weight_for(known, dense(5.0)) == settings.gloss_weight
    halfway = sum(settings.flat_dense_gap) / 2
    assert fake_searcher.gloss_weight_for(known, dense(halfway)) == pytest.approx(
        (settings.gloss_weight + settings.gloss_weight_alone) / 2)
    # A name the glosses lack lowers the weight even when the dense run is flat.
    assert settings.gloss_weight < fake_searcher.gloss_weight_for("administrative mediation Zanzibarovich",
                                                                  dense(0.5)) < settings.gloss_weight_alone


def test_phrase_mode_lists_every_occurrence_beyond_k(fake_searcher):
    result = _search(fake_searcher, "依法行政", k=1, mode="phrase")
    assert len(result.passages) > 10
    for passage in result.passages:
        (start, end), = passage.highlights
        assert passage.text[start:end] == "依法行政"


def test_k_is_capped_and_bad_requests_are_errors(fake_searcher):
    assert len(_search(fake_searcher, "政府", k=1000).passages) <= 100
    with pytest.raises(ValueError, match="mode"):
        _search(fake_searcher, "政府", mode="fuzzy")
    with pytest.raises(ValueError, match="empty"):
        _search(fake_searcher, "   ")


def test_langchain_retriever_returns_documents_with_passage_metadata(fake_searcher):
    from search_api.langchain_retriever import ReportArchiveRetriever

    documents = ReportArchiveRetriever(searcher=fake_searcher, k=3).invoke("法律顾问")
    assert len(documents) == 3
    assert {"doc_id", "source", "jurisdiction", "year", "start", "end", "highlights"} <= set(documents[0].metadata)
    report = fake_searcher.index.reports[documents[0].metadata["doc_id"]]
    assert report.text[documents[0].metadata["start"] : documents[0].metadata["end"]] == documents[0].page_content


def test_the_vectors_of_many_chunk_rows_at_once_are_those_of_each_row_in_turn(real_searcher):
    import numpy as np

    index = real_searcher.index
    rows = [7, 0, len(index.chunks) - 1, 3, 7]
    expected = np.concatenate([index.units_of(row) for row in rows])
    assert index.units_of_rows(rows).tolist() == expected.tolist() and len(expected) > len(rows)
    assert index.units_of_rows([]).tolist() == []


@pytest.mark.parametrize("groups", [[0, 0, 1, 3, 3, 3], [3, 0, 3, 1, 0, 3]])  # runs (as read exhaustively), or not
def test_the_best_score_of_each_group_is_found_first_of_equals(groups):
    scores = np.array([0.2, 0.5, 0.1, 0.4, 0.9, 0.9], np.float32)
    best = best_per_group(np.array(groups), scores)
    expected = {0: [1], 1: [2], 3: [4]} if groups[0] == 0 else {0: [4], 1: [3], 3: [5]}
    assert best.tolist() == [position for group in sorted(expected) for position in expected[group]]
    assert best_per_group(np.zeros(0, np.int64), np.zeros(0, np.float32)).tolist() == []


def test_an_english_search_weighs_closeness_to_the_question_in_the_reports_words(real_searcher):
    # 乌鲁木齐市's 62 filings of major penalty decisions: hardly closer than the archive's mean to the
    # English question (a weak match before), well above it to its rendering 备案重大行政处罚决策.
    question = "filing of major administrative penalty decisions"
    ranking = real_searcher.rank(question)
    assert real_searcher.rendering(question, ranking).startswith("备案重大行政处罚")
    passages = _search(real_searcher, question, k=10).passages
    filings = next(p for p in passages if "重大行政处罚决定备案报告62件" in p.text)
    assert filings.match == "strong"
