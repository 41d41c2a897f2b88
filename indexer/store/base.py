"""The interface of a vector store: FAISS now, room for pgvector later."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np


class VectorStore(Protocol):
    kind: str  # recorded in the manifest: "faiss-flat", "faiss-hnsw", ...
    dimension: int

    def __len__(self) -> int: ...

    def add(self, vectors: np.ndarray) -> None:
        """Append L2-normalised vectors; their ids are their positions, in order."""
        ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Inner-product scores and ids, shape ``(len(queries), k)``; missing hits have id -1."""
        ...

    def vectors(self, ids) -> np.ndarray:
        """The stored vectors of ``ids``."""
        ...

    def save(self, directory: Path) -> list[str]:
        """Write the store into ``directory``; return the file names written."""
        ...
