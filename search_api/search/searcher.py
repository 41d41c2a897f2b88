"""Search: dense, keyword, hybrid and exact-phrase retrieval over one loaded index generation."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from indexer.records import Passage
from search_api.search.filters import Filters, allowed_chunks
from search_api.search.fusion import reciprocal_rank_fusion
from search_api.search.highlight import term_highlights
from search_api.search.loaded_index import LoadedIndex
from search_api.search.phrase import PhraseIndex
from search_api.search.translate import default_translator, is_english

MODES = ("hybrid", "dense", "keyword", "phrase")


@dataclass(frozen=True)
class SearchSettings:
    dense_depth: int = 1000  # vectors read from FAISS before filtering and grouping into chunks
    keyword_weight: float = 1.0  # of the keyword ranking in the fusion (dense has 1.0)
    translated_dense: bool = True  # English questions also query with their Chinese terms
    max_k: int = 100


@dataclass(frozen=True)
class SearchRequest:
    query: str
    k: int = 10
    mode: str = "hybrid"
    filters: Filters = field(default_factory=Filters)


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: str
    passages: list[Passage]
    took_ms: float
    generation: str
    translated_terms: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"query": self.query, "mode": self.mode, "results": [p.to_json() for p in self.passages],
                "took_ms": round(self.took_ms, 1), "generation": self.generation,
                "translated_terms": list(self.translated_terms)}


@dataclass(frozen=True)
class _Ranked:
    rows: list[int]  # chunk rows, best first
    best_unit: dict[int, int]  # chunk row -> its best vector (dense only)


class Searcher:
    def __init__(self, index: LoadedIndex, settings: SearchSettings = SearchSettings()) -> None:
        self.index = index
        self.settings = settings

    @cached_property
    def phrases(self) -> PhraseIndex:
        return PhraseIndex(list(self.index.reports.values()))

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        if request.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {request.mode!r}")
        query = request.query.strip()
        if not query:
            raise ValueError("query is empty")
        if request.mode == "phrase":
            passages, terms = self._phrase(query, request.filters), ()
        else:
            passages, terms = self._ranked(query, request)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query, request.mode, passages, took, self.index.generation, tuple(terms))

    def _ranked(self, query: str, request: SearchRequest) -> tuple[list[Passage], list[str]]:
        k = max(1, min(request.k, self.settings.max_k))
        allowed = allowed_chunks(self.index.chunk_report, request.filters)
        if allowed is not None and not allowed.any():
            return [], []
        terms = default_translator().expand(query) if is_english(query) else []
        dense = self._dense(query, terms, allowed) if request.mode in ("dense", "hybrid") else None
        keyword = self._keyword(query, terms, allowed) if request.mode in ("keyword", "hybrid") else None
        if dense and keyword:
            fused = reciprocal_rank_fusion([dense.rows, keyword.rows], [1.0, self.settings.keyword_weight])
        else:
            only = dense or keyword
            fused = [(row, 1.0 / (rank + 1)) for rank, row in enumerate(only.rows)]
        highlight_terms = self.index.keyword.tokens(query) + terms
        passages, seen = [], set()
        for row, score in fused:
            chunk = self.index.chunks[row]
            fingerprint = "".join(chunk.text.split())
            if fingerprint in seen:
                continue  # the same text in another report (a shared paragraph) shows once
            seen.add(fingerprint)
            passages.append(self._passage(row, score, highlight_terms, dense.best_unit.get(row) if dense else None))
            if len(passages) == k:
                break
        return passages, terms

    def _dense(self, query: str, terms: list[str], allowed: np.ndarray | None) -> _Ranked:
        index = self.index
        queries = [query] + ([" ".join(terms)] if terms and self.settings.translated_dense else [])
        vectors = index.embedder.embed_queries(queries)
        depth = len(index.store) if allowed is not None else min(len(index.store), self.settings.dense_depth)
        scores, ids = index.store.search(vectors, depth)
        rankings, best_unit = [], {}
        for row_scores, row_ids in zip(scores, ids):
            chunk_best: dict[int, tuple[float, int]] = {}
            for score, unit in zip(row_scores, row_ids):
                if unit < 0:
                    continue
                row = int(index.unit_chunk[unit])
                if allowed is not None and not allowed[row]:
                    continue
                if row not in chunk_best or score > chunk_best[row][0]:
                    chunk_best[row] = (float(score), int(unit))
            ranking = sorted(chunk_best, key=lambda r: -chunk_best[r][0])
            rankings.append(ranking)
            for row in ranking:
                best_unit.setdefault(row, chunk_best[row][1])
        if len(rankings) == 1:
            return _Ranked(rankings[0], best_unit)
        return _Ranked([row for row, _ in reciprocal_rank_fusion(rankings)], best_unit)

    def _keyword(self, query: str, terms: list[str], allowed: np.ndarray | None) -> _Ranked:
        scores = self.index.keyword.scores(query, [t for term in terms for t in self.index.keyword.tokens(term)])
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        rows = np.flatnonzero(scores > 0)
        return _Ranked([int(r) for r in rows[np.argsort(-scores[rows], kind="stable")]], {})

    def _passage(self, row: int, score: float, terms: list[str], best_unit: int | None) -> Passage:
        chunk = self.index.chunks[row]
        report = self.index.chunk_report[row]
        highlights = term_highlights(chunk.text, terms)
        if not highlights and best_unit is not None:
            start, end = self.index.unit_spans[best_unit]
            highlights = [(int(start) - chunk.start, int(end) - chunk.start)]
        return Passage(report.doc_id, report.source, report.title, report.jurisdiction, report.year,
                       chunk.chunk_id, chunk.start, chunk.end, chunk.text, score, tuple(highlights), report.doc_number)

    def _phrase(self, phrase: str, filters: Filters) -> list[Passage]:
        """Every occurrence, as the sentence around it with the match highlighted (no top k)."""
        passages = []
        for occurrence in self.phrases.find(phrase, filters.accepts):
            report = occurrence.report
            start, end = occurrence.sentence_start, occurrence.sentence_end
            passages.append(Passage(
                report.doc_id, report.source, report.title, report.jurisdiction, report.year,
                f"{report.doc_id}@{occurrence.start}", start, end, occurrence.sentence, 1.0,
                ((occurrence.start - start, occurrence.end - start),), report.doc_number,
            ))
        return passages
