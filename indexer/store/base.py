"""The interface of a vector store: FAISS (faiss_store.py) and pgvector (pgvector_store.py)."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class VectorStore(Protocol):
    """What searches and answers read. Writing a generation's vectors is the archive's part
    (``IndexDirectory.write_vectors``, ``PostgresArchive.write_vectors``)."""

    kind: str  # recorded in the manifest: "faiss-flat", "faiss-hnsw", ...
    dimension: int

    def __len__(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Inner-product scores and ids, shape ``(len(queries), k)``; missing hits have id -1."""
        ...

    def search_within(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Like ``search``, among the vectors whose entry of the boolean mask ``allowed`` is true."""
        ...

    def score_all(self, query: np.ndarray) -> np.ndarray:
        """The exact inner product of ``query`` with every stored vector, in id order."""
        ...

    def score_ids(self, ids: np.ndarray, query: np.ndarray) -> np.ndarray:
        """The exact inner product of ``query`` with the vectors ``ids``, in their order."""
        ...

    def vectors(self, ids) -> np.ndarray:
        """The stored vectors of ``ids``."""
        ...

