"""FAISS inner-product search: exact below ``exact_limit`` vectors, HNSW above it."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

FILE_NAME = "vectors.faiss"
# Measured with benchmarks/ann_recall.py (results in benchmarks/results/ann_recall.txt): exact search
# takes 12 ms at 100k vectors and 27 ms at 200k. On the gov_reports index's real vectors (93k, topped up
# to 200k with mixtures) HNSW (M=32) keeps recall@10 at 0.996-0.999 from efSearch 256 to 1024, in 2-6 ms.
# Search stays exact up to 500k vectors (about 70 ms): no real archive that large was measured.
EXACT_LIMIT = 500_000
HNSW_M = 32
HNSW_EF_SEARCH = 1024
# HNSW stores its vectors as float16: half the memory (0.8 GB instead of 1.6 GB at 10^6 vectors, which
# brought a served archive from 3.9 to 3.0 GB: benchmarks/results/million_http.txt); float16 keeps 11
# significant bits, so scores of unit vectors move by about 1e-4 and recall@10 stayed 0.992.
HNSW_STORAGE = faiss.ScalarQuantizer.QT_fp16
_DECODE_BLOCK = 65_536  # vectors decoded at a time when float16 ones are all scored

# On 2 cores a second FAISS thread only adds contention under concurrent requests. The same holds for
# numpy's OpenBLAS, whose idle threads spin after a matrix product and slow ONNX Runtime's next query
# embedding: hybrid search on the gov_reports index took p50 64 ms with them, 32 ms without.
faiss.omp_set_num_threads(1)
threadpool_limits(1, user_api="blas")


class FaissStore:
    FLAT, HNSW = "faiss-flat", "faiss-hnsw"

    def __init__(self, index: faiss.Index, kind: str) -> None:
        self._index = index
        self.kind = kind
        self.dimension = index.d

    @classmethod
    def create(cls, dimension: int, expected_size: int, exact_limit: int = EXACT_LIMIT) -> FaissStore:
        if expected_size <= exact_limit:
            return cls.exact(dimension)
        index = faiss.IndexHNSWSQ(dimension, HNSW_STORAGE, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index, cls.HNSW)

    @classmethod
    def exact(cls, dimension: int) -> FaissStore:
        return cls(faiss.IndexFlatIP(dimension), cls.FLAT)

    @classmethod
    def load(cls, directory: Path) -> FaissStore:
        index = faiss.read_index(str(directory / FILE_NAME))
        kind = cls.HNSW if isinstance(index, faiss.IndexHNSW) else cls.FLAT  # HNSW: Flat or SQ storage
        if kind == cls.HNSW:
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index, kind)

    def __len__(self) -> int:
        return self._index.ntotal

    def add(self, vectors: np.ndarray) -> None:
        if len(vectors):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, len(self))) if len(self) else 1
        if not len(self):
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        return self._index.search(queries, k)

    def search_within(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Like ``search``, among the vectors whose entry of the boolean mask ``allowed`` is true (HNSW
        skips the others while it walks its graph). A bitmap, not a list of ids: at a million vectors
        FAISS's id batch took 11 ms to build and 25 ms to search, the bitmap 5 ms in all."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        bits = np.packbits(np.asarray(allowed, dtype=bool), bitorder="little")  # kept alive for the search
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        if self.kind == "faiss-hnsw":
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
        else:
            params = faiss.SearchParameters(sel=selector)
        return self._index.search(queries, max(1, min(k, int(np.count_nonzero(allowed)))), params=params)

    def score_all(self, query: np.ndarray) -> np.ndarray:
        """The inner product of ``query`` with every stored vector, in id order: an exhaustive scan
        without FAISS's sort of the whole collection."""
        query = np.asarray(query, dtype=np.float32)
        stored = self._stored()
        if stored is not None:
            return stored @ query
        return np.concatenate([self._index.reconstruct_n(start, min(_DECODE_BLOCK, len(self) - start)) @ query
                               for start in range(0, len(self), _DECODE_BLOCK)] or [np.zeros(0, np.float32)])

    def score_ids(self, ids: np.ndarray, query: np.ndarray) -> np.ndarray:
        """The inner product of ``query`` with the stored vectors ``ids`` (exact for float32 storage)."""
        ids = np.asarray(ids, dtype=np.int64)
        stored = self._stored()
        return (stored[ids] if stored is not None else self.vectors(ids)) @ np.asarray(query, dtype=np.float32)

    def _stored(self) -> np.ndarray | None:
        """Every stored vector as one (n, dimension) array, a view of FAISS's memory, not a copy; None
        when they are stored as float16."""
        flat = self._index if self.kind == "faiss-flat" else faiss.downcast_index(self._index.storage)
        if not isinstance(flat, faiss.IndexFlat):
            return None
        stored = faiss.rev_swig_ptr(flat.get_xb(), len(self) * self.dimension)
        return np.asarray(stored).reshape(len(self), self.dimension)

    def vectors(self, ids) -> np.ndarray:
        """The stored vectors of ``ids`` (for similarity between chosen sentences)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.dimension), np.float32)
        return self._index.reconstruct_batch(ids)

    def save(self, directory: Path) -> list[str]:
        # Through a Python file, not FAISS's own: FAISS does not check fclose, so a failed write of a
        # small index (still in the stdio buffer) would pass silently and publish a truncated file.
        with (directory / FILE_NAME).open("wb") as handle:
            writer = faiss.PyCallbackIOWriter(handle.write)
            faiss.write_index(self._index, writer)
            del writer
        return [FILE_NAME]
