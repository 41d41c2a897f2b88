import math

import pytest

from eval.metrics import score_runs


def test_metrics_worked_by_hand():
    # q1: relevant a (grade 2) at rank 2 and b (grade 1) at rank 1; c (grade 2) never retrieved.
    # DCG = 1/log2(2) + 2/log2(3) = 1 + 1.26186 = 2.26186 (gain = grade)
    # ideal = 2/log2(2) + 2/log2(3) + 1/log2(4) = 2 + 1.26186 + 0.5 = 3.76186 -> nDCG 0.60126
    # grade-2 items: a, c -> R@1 0, R@5 0.5, R@10 0.5; MRR@10 (grade 2): 1/2.
    scores = score_runs({"q1": {"a": 2, "b": 1, "c": 2}}, {"q1": ["b", "a", "x"]})
    assert scores["nDCG@10"] == pytest.approx((1 + 2 / math.log2(3)) / (2 + 2 / math.log2(3) + 0.5), abs=1e-4)
    assert (scores["R@1"], scores["R@5"], scores["R@10"]) == (0.0, 0.5, 0.5)
    assert scores["MRR@10"] == pytest.approx(0.5)


def test_a_query_without_results_scores_zero_in_the_mean():
    scores = score_runs({"q1": {"a": 2}, "q2": {"b": 2}}, {"q1": ["a"], "q2": []})
    assert scores["nDCG@10"] == pytest.approx(0.5) and scores["R@10"] == pytest.approx(0.5)
