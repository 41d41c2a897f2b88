import numpy as np
import pytest

from summarizer.report_summary import textrank
from summarizer.selection import bigrams, jaccard, mmr_select


def test_jaccard_of_bigrams_worked_by_hand():
    # 出庭应诉: {出庭, 庭应, 应诉}; 应诉案件: {应诉, 诉案, 案件}; shared 1 of 5.
    assert jaccard(bigrams("出庭应诉"), bigrams("应诉案件")) == pytest.approx(1 / 5)


def test_mmr_prefers_relevant_then_drops_repetition():
    texts = ["建立出庭应诉机制。", "建立出庭应诉机制！", "全年出庭应诉798件。", "天气晴朗。"]
    # 0 and 1 are near copies; 3 has no relevance and is never chosen.
    assert mmr_select([1.0, 0.99, 0.8, 0.0], texts, max_sentences=3, max_chars=200) == [0, 2, 1]
    assert mmr_select([1.0, 0.99, 0.8, 0.0], texts, max_sentences=2, max_chars=200) == [0, 2]


def test_mmr_respects_the_character_budget_but_always_gives_one():
    texts = ["长" * 150, "短句一。", "中" * 60]
    assert mmr_select([1.0, 0.5, 0.9], texts, max_sentences=3, max_chars=160) == [0, 1]
    assert mmr_select([0.0, 0.0, 0.0], texts) == []


def test_textrank_ranks_the_centre_of_a_star_first():
    similarity = np.array([[1, 0.9, 0.9, 0.9], [0.9, 1, 0, 0], [0.9, 0, 1, 0], [0.9, 0, 0, 1]], dtype=float)
    rank = textrank(similarity)
    assert int(np.argmax(rank)) == 0 and rank.sum() == pytest.approx(1.0)
    assert rank[1] == pytest.approx(rank[2]) == pytest.approx(rank[3])


def test_the_first_sentences_are_taken_whatever_their_length_and_the_rest_fill_the_budget():
    texts = ["甲" * 150, "乙" * 80, "丙" * 30, "丁" * 20]
    relevance = [1.0, 0.9, 0.8, 0.7]
    # Without ``first`` the long best sentence leaves room for the 30 characters of 丙 and 丁 only.
    assert mmr_select(relevance, texts, 3, 200) == [0, 2, 3]
    # A figure sentence and a statement both taken first: 230 characters, nothing else fits.
    assert mmr_select(relevance, texts, 3, 200, first=[1, 0]) == [1, 0]
    assert mmr_select(relevance, texts, 3, 300, first=[3]) == [3, 0, 1]
