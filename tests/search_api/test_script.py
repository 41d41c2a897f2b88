from search_api.search import LoadedIndex, SearchRequest
from search_api.search.script import in_archive_script


def test_a_traditional_question_over_simplified_reports_is_searched_in_simplified(fake_searcher):
    index = fake_searcher.index
    assert in_archive_script(index, "行政復議案件的辦理情況") == "行政复议案件的办理情况"
    assert in_archive_script(index, "行政复议案件") == "行政复议案件"
    assert in_archive_script(index, "administrative reconsideration") == "administrative reconsideration"
    traditional = fake_searcher.search(SearchRequest("行政機關負責人出庭應訴", mode="keyword"))
    simplified = fake_searcher.search(SearchRequest("行政机关负责人出庭应诉", mode="keyword"))
    assert traditional.covered and [p.chunk_id for p in traditional.passages] == [p.chunk_id for p in simplified.passages]


def test_answers_to_a_traditional_question_are_the_simplified_ones(fake_searcher):
    from summarizer import answer

    traditional, simplified = answer(fake_searcher, "行政復議案件"), answer(fake_searcher, "行政复议案件")
    assert traditional.covered and traditional.groups
    assert [g.key for g in traditional.groups] == [g.key for g in simplified.groups]


def test_an_archive_in_traditional_characters_keeps_traditional_questions(tmp_path, fake_embedder):
    from indexer.pipeline import build_index

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "香港報告.txt").write_text(
        "二〇二〇年法治政府建設情況報告\n本年度共辦理行政復議案件一百二十宗，依法審結一百一十宗。\n"
        "行政機關負責人出庭應訴制度得到全面落實，出庭應訴率明顯提高。\n", encoding="utf-8")
    build_index([reports], tmp_path / "index", fake_embedder)
    index = LoadedIndex.open(tmp_path / "index", fake_embedder)
    try:
        assert in_archive_script(index, "行政復議案件") == "行政復議案件"
        assert in_archive_script(index, "行政复议案件") == "行政复议案件"  # no table says which 復 or 複
    finally:
        index.close()
