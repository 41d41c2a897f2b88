import math

import pytest

from indexer.keyword import KeywordIndex, concept_coverage, text_coverage_of
from summarizer.feedback import feedback_words

DOCUMENTS = ["出庭 应诉", "城市 管理", "行政 管理", "行政 复议"]


def _keyword_index() -> KeywordIndex:
    return KeywordIndex.build(DOCUMENTS, "jieba")


def test_a_concept_counts_once_whichever_alternative_is_present():
    index = _keyword_index()
    idf = index.idf(["出庭", "城市", "管理", "行政"])
    # idf = log(1 + 4 / df): 出庭 and 城市 df 1 -> log 5; 管理 and 行政 df 2 -> log 3.
    assert idf["出庭"] == pytest.approx(math.log(5)) and idf["管理"] == pytest.approx(math.log(3))
    concepts = [(("出庭",), 2.0), (("城市", "管理", "行政"), 1.0)]
    # The best possible: 2 log 5 + log 5 (城市, the rarest alternative) = 3 log 5.
    total = 3 * math.log(5)
    expected = [2 * math.log(5) / total, math.log(5) / total, math.log(3) / total, math.log(3) / total]
    assert index.coverage(concepts) == pytest.approx(expected, rel=1e-5)
    # "行政 管理" holds two alternatives of one concept: it counts once, at the rarer one's IDF.
    for document, share in zip(DOCUMENTS, expected):
        assert concept_coverage(concepts, idf, set(index.tokens(document)).__contains__) == pytest.approx(share, rel=1e-5)
        assert text_coverage_of(concepts, idf)(document) == pytest.approx(share, rel=1e-5)


def test_single_tokens_as_concepts_are_the_plain_idf_share():
    index = _keyword_index()
    concepts = [(("出庭",), 1.0), (("管理",), 1.0)]
    assert index.coverage(concepts)[1] == pytest.approx(math.log(3) / (math.log(5) + math.log(3)), rel=1e-5)
    assert concept_coverage(concepts, index.idf(["出庭", "管理"]), set().__contains__) == 0.0
    assert concept_coverage([], {}, {"出庭"}.__contains__) == 0.0
    assert text_coverage_of([], {})("出庭") == 0.0


def test_feedback_words_worked_by_hand():
    passages = [["出庭", "应诉", "应诉", "行政"], ["应诉", "诉讼"]]
    idf = {"出庭": 1.0, "应诉": 2.0, "行政": 0.5, "诉讼": 1.0}.__getitem__
    # 出庭 is asked already, so the first passage has 3 words. Relevance (frequency / length / rank):
    # 应诉 2/3 + 1/2/2 = 11/12, 行政 1/3, 诉讼 1/2/2 = 1/4; times IDF: 应诉 11/6, 诉讼 1/4, 行政 1/6.
    words = feedback_words(passages, lambda ws: {w: idf(w) for w in ws}, 2, exclude={"出庭"})
    assert words == pytest.approx({"应诉": 1.0, "诉讼": (1 / 4) / (11 / 6)})
    assert feedback_words([["一"]], lambda ws: {}, 3) == {}


def test_text_coverage_finds_every_token_the_tokenizer_would_and_latin_words_whole():
    index = _keyword_index()
    text = "2017年，全市各级政府共出庭应诉798件，依法 review 了 law enforcement。"
    found = set(index.tokens(text))
    idf = dict.fromkeys(found | {"复议", "lawyer", "law", "庭应"}, 1.0)
    assert text_coverage_of([(tuple(found), 1.0)], idf)(text) == 1.0
    assert text_coverage_of([(("复议",), 1.0), (("lawyer",), 1.0), (("law",), 1.0), (("庭应",), 1.0)], idf)(text) == 0.5

