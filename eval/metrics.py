"""Standard ranking metrics through ranx, over any judged runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ranx import Qrels, Run, evaluate

# grade >= 2 means "answers the query" in the span labels; BEIR qrels use 1 and are relabelled 2.
METRICS = ("ndcg@10", "recall@1-l2", "recall@5-l2", "recall@10-l2", "mrr@10-l2")
NAMES = {"ndcg@10": "nDCG@10", "recall@1-l2": "R@1", "recall@5-l2": "R@5", "recall@10-l2": "R@10",
         "mrr@10-l2": "MRR@10"}


def score_runs(qrels: Mapping[str, Mapping[str, int]], rankings: Mapping[str, Sequence[str]]) -> dict[str, float]:
    """Mean metrics over the queries of ``qrels``; ``rankings`` lists each query's ids, best first.

    A query with an empty ranking scores 0 on every metric.
    """
    run = {q: {doc: float(len(ids) - rank) for rank, doc in enumerate(ids)} for q, ids in rankings.items() if ids}
    for query in qrels:
        run.setdefault(query, {"no-result": 0.0})
    scores = evaluate(Qrels({q: dict(j) for q, j in qrels.items()}), Run(run), list(METRICS), make_comparable=True)
    return {NAMES[m]: float(scores[m]) for m in METRICS}
