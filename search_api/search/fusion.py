"""Fusion of the dense and keyword rankings.

The default fuses scores, each made comparable as a z-score against the same retriever's scores over
the whole archive. A retriever that is sure of a passage (its score far above the archive's) then
counts for more than one whose scores are flat; rank fusion cannot tell the two apart. That matters
most for English questions over Chinese text: on XQuAD the model's cross-lingual vectors are sharp
and the dictionary translations noisy, on the reports the reverse. Hybrid nDCG@10 with RRF -> z-score
(benchmarks/results/tune_fusion.txt): English seed questions 0.591 -> 0.673, XQuAD English over
Chinese (dev half) 0.842 -> 0.880, Chinese seed questions 0.934 -> 0.954, XQuAD Chinese 0.977 -> 0.979.

Reciprocal rank fusion stays available (``SearchSettings.fusion = "rrf"``) for comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RRF_K = 60
FUSIONS = ("zscore", "rrf")


@dataclass(frozen=True)
class ScoredRun:
    """One retriever's scores for the items it returned, and the spread of its scores over the archive."""

    items: np.ndarray  # int64
    scores: np.ndarray  # float64, one per item
    mean: float
    spread: float
    floor: float  # the score of an item it did not return

    @classmethod
    def against(cls, items, scores, population, floor: float) -> ScoredRun:
        population = np.asarray(population, dtype=np.float64)
        mean = float(population.mean()) if population.size else 0.0
        spread = float(population.std()) if population.size else 0.0
        return cls(np.asarray(items, np.int64), np.asarray(scores, np.float64), mean, spread or 1.0, floor)

    def as_dict(self) -> dict[int, float]:
        return dict(zip(self.items.tolist(), self.scores.tolist()))

    def gap(self, k: int = 10) -> float:
        """How far the best item stands above the ``k``-th (or the last), in spreads of the archive's scores."""
        if not len(self.scores):
            return 0.0
        k = min(k, len(self.scores))
        top = -np.partition(-self.scores, k - 1)[:k]
        return float((top.max() - top.min()) / self.spread)

    def ranking(self) -> list[int]:
        return self.items[np.lexsort((self.items, -self.scores))].tolist()


def z_score_fusion(runs: Sequence[ScoredRun], weights: Sequence[float],
                   tie_rank: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Items by the weighted sum of ``(score - mean) / spread`` over the runs (ties by ``tie_rank`` of
    the item, else by item)."""
    items = np.unique(np.concatenate([run.items for run in runs])) if runs else np.zeros(0, np.int64)
    fused = np.zeros(len(items))
    for run, weight in zip(runs, weights):
        scores = np.full(len(items), run.floor)
        scores[np.searchsorted(items, run.items)] = run.scores
        fused += weight * (scores - run.mean) / run.spread
    order = np.lexsort((items if tie_rank is None else tie_rank[items], -fused))
    return list(zip(items[order].tolist(), fused[order].tolist()))


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None, k: int = RRF_K,
    tie_rank: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Items by the weighted sum of ``weight / (k + rank)`` over the rankings they appear in (rank from 1)."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0] if tie_rank is None else tie_rank[pair[0]]))


def fuse(runs: Sequence[ScoredRun], weights: Sequence[float], how: str = "zscore",
         tie_rank: np.ndarray | None = None) -> list[tuple[int, float]]:
    """``tie_rank``: per item, the order of items of equal score (by default their own order)."""
    if how == "zscore":
        return z_score_fusion(runs, weights, tie_rank)
    if how == "rrf":
        return reciprocal_rank_fusion([run.ranking() for run in runs], weights, tie_rank=tie_rank)
    raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, not {how!r}")
