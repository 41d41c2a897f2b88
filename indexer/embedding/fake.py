"""A fast, deterministic stand-in for a real model, for unit tests.

Vectors are hashed character bigrams, so texts that share characters are close and ranking tests
still mean something. It counts calls and texts so tests can check batching and caching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from indexer.embedding.base import normalise


class FakeEmbedder:
    model = "fake-bigram-hash"
    runtime = "fake"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.vector_space = f"{self.model}-{dimension}"
        self.calls = 0
        self.texts_embedded = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def count_tokens(self, text: str) -> int:
        return len(text)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.texts_embedded += len(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for i in range(max(len(text) - 1, 1)):
                digest = hashlib.blake2b(text[i : i + 2].encode("utf-8"), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        return normalise(vectors + 1e-6)
