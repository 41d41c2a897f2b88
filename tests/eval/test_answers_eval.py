import pytest

from eval.answers import (
    AnswerMean,
    AnswerScore,
    group_recall,
    mean_answer_scores,
    spans_several_reports,
    summary_precision,
)
from eval.datasets import Quote, SpanQuery

QUERY = SpanQuery("q", "出庭应诉", "zh", (
    Quote("a.txt", "建立行政机关负责人出庭应诉机制", 2),
    Quote("b.txt", "行政首长出庭应诉制度", 2),
    Quote("c.txt", "以区政府为被告行政诉讼案件6件", 1),
))


def test_group_recall_counts_grade_2_reports_only():
    assert group_recall(["a.txt", "c.txt"], QUERY) == 0.5  # b.txt missing; c.txt holds only grade 1
    assert group_recall(["a.txt", "b.txt"], QUERY) == 1.0


def test_summary_precision_worked_by_hand():
    sentences = [("a.txt", "建立行政机关负责人出庭应诉机制，明确责任。"),  # matches a.txt's quote
                 ("c.txt", "以区政府为被告行政诉讼案件6件。"),  # matches the grade-1 quote
                 ("b.txt", "全年受理信访案件541件。"),  # matches nothing
                 ("a.txt", "行政首长出庭应诉制度")]  # text of b.txt's quote but the wrong source
    assert summary_precision(sentences, QUERY) == pytest.approx(2 / 4)
    assert summary_precision([], QUERY) == 1.0


def test_only_queries_spanning_several_reports_are_scored():
    assert spans_several_reports(QUERY)
    single = SpanQuery("s", "x", "en", (Quote("a.txt", "调解成功4361件", 2),))
    assert not spans_several_reports(single)


def test_means_per_file_then_per_language_worked_by_hand():
    scores = [AnswerScore("a", 1.0, 0.5, 4), AnswerScore("b", 0.5, 0.25, 8), AnswerScore("c-en", 1.0, 1.0, 2)]
    languages = {"a": "zh", "b": "zh", "c-en": "en"}
    assert mean_answer_scores("seed", scores, languages) == [
        AnswerMean("seed", pytest.approx(2.5 / 3), pytest.approx(1.75 / 3), 14),
        AnswerMean("seed (en)", 1.0, 1.0, 2),
        AnswerMean("seed (zh)", 0.75, 0.375, 12),
    ]
    # One language: no breakdown; no scores: no mean.
    assert mean_answer_scores("tr", scores[2:], languages) == [AnswerMean("tr", 1.0, 1.0, 2)]
    assert mean_answer_scores("none", [], languages) == []
