"""The vectors of one generation in PostgreSQL with pgvector: the second ``VectorStore``.

The exact float32 vectors stay in the ``units`` table, so every score this store returns is the
same inner product FAISS computes. Only the HNSW graph is built over their half-precision copies
(an expression index), which halves its size; its candidates are re-scored exactly. Metadata filters
run in SQL on the ``report`` column.
"""

from __future__ import annotations

import numpy as np

# pgvector's HNSW defaults (m 16, ef_construction 64). On the gov_reports vectors the 25 seed and
# translated questions' nearest 10 had recall 0.872 / 0.928 / 0.956 / 0.992 / 1.000 against exact search
# at ef_search 40 / 100 / 200 / 400 / 1000, p50 1 / 2 / 4 / 6 / 15 ms (benchmarks/results/postgres_store.txt).
# ef_search is at least 400 and at most pgvector's limit, else the depth asked for; iterative scans go on
# past it when a filter drops candidates.
HNSW_M = 16
HNSW_EF_CONSTRUCTION = 64
MIN_EF_SEARCH = 400
MAX_EF_SEARCH = 1000  # pgvector's limit
MAX_SCAN_TUPLES = 100_000


class PgVectorStore:
    kind = "pgvector-hnsw"

    def __init__(self, pool, table: str, dimension: int, size: int) -> None:
        self._pool = pool
        self._table = table  # schema-qualified and quoted
        self.dimension = dimension
        self._size = size
        with pool.connection() as conn:
            reports = conn.execute(f"SELECT report FROM {table} ORDER BY vector_id").fetchall()
        self._report_of = np.fromiter((r for (r,) in reports), dtype=np.int32, count=len(reports))

    def __len__(self) -> int:
        return self._size

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._nearest(queries, k, "", ())

    def search_within(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Like ``search`` among the vectors of ``allowed`` (a mask over vector ids), as a SQL filter on
        their reports: a filter takes whole reports, so the mask is read as the reports it covers."""
        reports = np.unique(self._report_of[np.asarray(allowed, dtype=bool)]).tolist()
        return self._nearest(queries, min(k, int(np.count_nonzero(allowed))), "WHERE report = ANY(%s)", (reports,))

    def score_all(self, query: np.ndarray) -> np.ndarray:
        with self._pool.connection() as conn:
            rows = conn.cursor(binary=True).execute(
                f"SELECT -(embedding <#> %s) FROM {self._table} ORDER BY vector_id", (_vector(query),)).fetchall()
        return np.fromiter((s for (s,) in rows), dtype=np.float32, count=len(rows))

    def score_ids(self, ids: np.ndarray, query: np.ndarray) -> np.ndarray:
        """Exact scores of ``ids``, read as runs of consecutive ids: a filter's vectors are whole reports,
        which are consecutive, and 28k ids took 49 ms as a list of ids against 23 ms as 2 runs."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros(0, np.float32)
        ordered = np.unique(ids)
        breaks = np.flatnonzero(np.diff(ordered) != 1)
        low, high = np.r_[ordered[0], ordered[breaks + 1]], np.r_[ordered[breaks], ordered[-1]]
        with self._pool.connection() as conn, conn.transaction():
            # The planner cannot see how few runs there are and scans the whole table (8 runs of a year
            # filter: 88-108 ms against 14-29 ms with an index scan per run).
            conn.execute("SET LOCAL enable_seqscan = off")
            rows = conn.cursor(binary=True).execute(
                f"SELECT u.vector_id, -(u.embedding <#> %s) FROM unnest(%s::int8[], %s::int8[]) AS run(low, high) "
                f"JOIN {self._table} u ON u.vector_id BETWEEN run.low AND run.high",
                (_vector(query), low.tolist(), high.tolist())).fetchall()
        return _in_order(ids, rows)

    def vectors(self, ids) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.dimension), np.float32)
        with self._pool.connection() as conn:
            rows = conn.cursor(binary=True).execute(
                f"SELECT vector_id, embedding FROM {self._table} WHERE vector_id = ANY(%s)", (ids.tolist(),)).fetchall()
        found = {vector_id: embedding.to_numpy() for vector_id, embedding in rows}
        return np.stack([found[int(i)] for i in ids]).astype(np.float32)

    def _nearest(self, queries: np.ndarray, k: int, where: str, params: tuple) -> tuple[np.ndarray, np.ndarray]:
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        k = max(1, min(k, len(self)))
        scores = np.full((len(queries), k), -np.inf, np.float32)
        ids = np.full((len(queries), k), -1, np.int64)
        # The graph is walked with half-precision vectors; the hits are scored with the exact ones and
        # re-sorted (a relaxed iterative scan returns them roughly in order).
        sql = (f"SELECT vector_id, -(embedding <#> %s) FROM {self._table} {where} "
               f"ORDER BY embedding::halfvec({self.dimension}) <#> %s::halfvec({self.dimension}) LIMIT %s")
        with self._pool.connection() as conn, conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {min(max(k, MIN_EF_SEARCH), MAX_EF_SEARCH)}")
            conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            conn.execute(f"SET LOCAL hnsw.max_scan_tuples = {MAX_SCAN_TUPLES}")
            for i, query in enumerate(queries):
                vector = _vector(query)
                rows = conn.execute(sql, (vector, *params, vector, k)).fetchall()
                rows.sort(key=lambda row: -row[1])
                ids[i, : len(rows)] = [r[0] for r in rows]
                scores[i, : len(rows)] = [r[1] for r in rows]
        return scores, ids


def _vector(values: np.ndarray):
    from pgvector import Vector

    return Vector(np.asarray(values, dtype=np.float32))


def _in_order(ids: np.ndarray, rows) -> np.ndarray:
    """The scores of ``rows`` (vector id, score) in the order of ``ids``."""
    found = dict(rows)
    return np.array([found[int(i)] for i in ids], dtype=np.float32)
