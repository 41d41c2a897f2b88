"""Term frequencies stored per segment, BM25 worked out over the live documents of all of them.

A segment's ``TermPostings`` holds, for each term, the rows (chunks) that have it and how often, and
each row's length: what one segment knows without the others. BM25's collection statistics (document
frequencies, the average length) change whenever any report changes, so they are summed over the
segments when a generation is opened (``TermIndex``), as Lucene does per segment; a new generation
then writes postings only for the reports that changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class TermPostings:
    vocabulary: dict[str, int]  # term -> column
    indptr: np.ndarray  # column c's postings are [indptr[c], indptr[c + 1])
    rows: np.ndarray  # int32, ascending within a column
    frequencies: np.ndarray  # float32, one per posting
    lengths: np.ndarray  # float32, one per row: the sum of its frequencies

    @property
    def size(self) -> int:
        return len(self.lengths)

    @classmethod
    def from_documents(cls, documents: Sequence[Mapping[str, float]]) -> TermPostings:
        """One row per document, from its term -> frequency mapping."""
        vocabulary = {term: column for column, term in enumerate(sorted(set().union(*documents)))}
        sizes = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        rows = np.repeat(np.arange(len(documents), dtype=np.int32), sizes)
        columns = np.fromiter((vocabulary[t] for d in documents for t in d), dtype=np.int64, count=int(sizes.sum()))
        frequencies = np.fromiter((f for d in documents for f in d.values()), dtype=np.float32, count=len(columns))
        # Python loops over the 4 million postings of gov_reports took 13 s; a sort of flat arrays does not.
        order = np.lexsort((rows, columns))
        indptr = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(columns, minlength=len(vocabulary)), out=indptr[1:])
        lengths = np.array([sum(d.values()) for d in documents], dtype=np.float32)
        return cls(vocabulary, indptr, rows[order], frequencies[order], lengths)

    def save(self, directory: Path) -> list[str]:
        directory.mkdir(parents=True)
        (directory / "vocabulary.json").write_text(json.dumps(self.vocabulary, ensure_ascii=False), encoding="utf-8")
        with (directory / "postings.npz").open("wb") as handle:
            np.savez(handle, indptr=self.indptr, rows=self.rows, frequencies=self.frequencies, lengths=self.lengths)
        return ["vocabulary.json", "postings.npz"]

    @classmethod
    def load(cls, directory: Path) -> TermPostings:
        vocabulary = json.loads((directory / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(directory / "postings.npz") as data:
            return cls(vocabulary, data["indptr"], data["rows"], data["frequencies"], data["lengths"])

    def select(self, live: np.ndarray) -> TermPostings:
        """The postings of the rows where ``live`` is true, renumbered in order."""
        if live.all():
            return self
        position = np.cumsum(live, dtype=np.int64) - 1
        keep = live[self.rows]
        columns = np.repeat(np.arange(len(self.vocabulary)), np.diff(self.indptr))
        indptr = np.zeros_like(self.indptr)
        np.cumsum(np.bincount(columns[keep], minlength=len(self.vocabulary)), out=indptr[1:])
        return TermPostings(self.vocabulary, indptr, position[self.rows[keep]].astype(np.int32),
                            self.frequencies[keep], self.lengths[live])


class TermIndex:
    """BM25 (the Lucene variant) over the postings of several segments, one row range after another.

    ``saturation_scale`` multiplies every term weight: 1 is bm25s's Lucene BM25, ``k1 + 1`` the
    textbook form; it matters only beside other runs."""

    def __init__(self, parts: Sequence[TermPostings], k1: float, b: float, saturation_scale: float = 1.0) -> None:
        self.size = sum(part.size for part in parts)
        lengths = np.concatenate([part.lengths for part in parts]) if parts else np.zeros(0, np.float32)
        # In float64: a float32 sum depends on the order of the rows, which differs between a clean build
        # and one that kept segments.
        average = float(lengths.mean(dtype=np.float64)) if self.size else 0.0
        average = average or 1.0
        self._parts = []
        offset = 0
        for part in parts:
            # The saturated frequency of each posting, worked out once: a query then adds up columns.
            norm = k1 * (1 - b + b * part.lengths / average)
            saturated = (part.frequencies * saturation_scale / (part.frequencies + norm[part.rows])).astype(np.float32)
            rows = part.rows + np.int32(offset) if offset else part.rows  # int32: half the memory of int64
            self._parts.append((part.vocabulary, part.indptr, rows, saturated))
            offset += part.size
        self._terms: list[str] | None = None

    def postings(self, term: str) -> list[tuple[np.ndarray, np.ndarray]]:
        """(rows, saturated frequencies) of ``term`` in each part that has it."""
        found = []
        for vocabulary, indptr, rows, saturated in self._parts:
            column = vocabulary.get(term)
            if column is not None:
                low, high = indptr[column], indptr[column + 1]
                found.append((rows[low:high], saturated[low:high]))
        return found

    def document_frequency(self, term: str) -> int:
        return sum(len(rows) for rows, _ in self.postings(term))

    def bm25_idf(self, term: str) -> float:
        return self._idf_of(self.document_frequency(term))

    def _idf_of(self, df: int) -> float:
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    def scores(self, terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every row; a term given twice counts twice."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in terms:
            postings = self.postings(term)
            if postings:
                idf = np.float32(self._idf_of(sum(len(rows) for rows, _ in postings)))
                for rows, saturated in postings:
                    scores[rows] += idf * saturated  # a row appears once in a column
        return scores

    def holders(self, term: str) -> np.ndarray:
        """A boolean per row: whether it has ``term``."""
        held = np.zeros(self.size, dtype=bool)
        for rows, _ in self.postings(term):
            held[rows] = True
        return held

    def holds(self, term: str) -> bool:
        return any(term in vocabulary for vocabulary, *_ in self._parts)

    def terms(self) -> list[str]:
        """Every term of every part (built on first use)."""
        if self._terms is None:
            self._terms = sorted(set().union(*(vocabulary for vocabulary, *_ in self._parts)))
        return self._terms
