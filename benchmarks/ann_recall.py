"""Exact (flat) vs HNSW FAISS search: recall@10 against exact search and latency, by collection size.

    python benchmarks/ann_recall.py [CACHE_SQLITE]

Real e5 vectors are concentrated in a narrow cone (cosines 0.80-0.91), which makes approximate search
harder than on random vectors. The collection is made from real vectors read from an embedding cache
(default: the index under $REPORTS_INDEX or the default location): as many real vectors as the size
allows, topped up with random mixtures of two real vectors plus a little noise, renormalised. The
queries are 200 real vectors held out of the collection. HNSW is built with each efConstruction.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import faiss
import numpy as np

from indexer.store.faiss_store import HNSW_M
from indexer.store.layout import IndexDirectory, default_index_dir

SIZES = (20_000, 100_000, 200_000)
EF_CONSTRUCTION = (40, 200)  # 40 is FAISS's default
EF_SEARCH = (64, 128, 256, 512, 1024)
QUERIES = 200


def real_vectors(cache: Path) -> np.ndarray:
    rows = sqlite3.connect(cache).execute(
        "SELECT vector FROM vectors WHERE model LIKE 'intfloat/multilingual-e5-small%'").fetchall()
    return np.stack([np.frombuffer(blob, dtype=np.float32) for (blob,) in rows])


def mixtures(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    i, j = rng.integers(0, len(base), n), rng.integers(0, len(base), n)
    weight = rng.uniform(0.3, 0.7, (n, 1)).astype(np.float32)
    vectors = weight * base[i] + (1 - weight) * base[j] + rng.normal(0, 0.01, (n, base.shape[1])).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def timed_search(index, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    ids = np.vstack([index.search(q[None, :], k)[1] for q in queries])
    return ids, (time.perf_counter() - start) / len(queries) * 1000


def collection(base: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    real = base[rng.permutation(len(base))[:size]]
    return np.vstack([real, mixtures(base, size - len(real), rng)]) if size > len(real) else real


def main(cache: Path) -> None:
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(0)
    vectors = real_vectors(cache)
    order = rng.permutation(len(vectors))
    queries, base = vectors[order[:QUERIES]], vectors[order[QUERIES:]]
    print(f"{len(vectors)} real vectors from {cache}; {QUERIES} held out as queries")
    print("size (real) | exact ms | efConstruction | HNSW build s | efSearch: recall@10 ms")
    for size in SIZES:
        data = collection(base, size, rng)
        flat = faiss.IndexFlatIP(data.shape[1])
        flat.add(data)
        truth, flat_ms = timed_search(flat, queries)
        for ef_construction in EF_CONSTRUCTION:
            start = time.perf_counter()
            hnsw = faiss.IndexHNSWFlat(data.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
            hnsw.hnsw.efConstruction = ef_construction
            hnsw.add(data)
            build = time.perf_counter() - start
            cells = []
            for ef in EF_SEARCH:
                hnsw.hnsw.efSearch = ef
                found, ms = timed_search(hnsw, queries)
                recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth)])
                cells.append(f"{ef}: {recall:.3f} {ms:.2f}")
            print(f"{size:7d} ({min(size, len(base))}) | {flat_ms:6.2f} | {ef_construction:3d} | {build:6.1f} | "
                  + " | ".join(cells), flush=True)


if __name__ == "__main__":
    default = IndexDirectory(default_index_dir()).cache_path
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
