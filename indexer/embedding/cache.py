"""Content-hash cache of passage vectors, shared by all generations of an index.

Keyed by model, runtime and the SHA-256 of the text: unchanged text is never embedded twice, and a
build that was interrupted keeps what it had embedded.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from indexer.embedding.base import Embedder


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path, embedder: Embedder) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, text_sha256 TEXT, tokens INTEGER, vector BLOB,"
            " PRIMARY KEY (model, text_sha256))"
        )
        self._model = f"{embedder.model}|{embedder.runtime}|{embedder.dimension}"
        self._dimension = embedder.dimension

    def get_many(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        found = {}
        keys = list(keys)
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            rows = self._db.execute(
                f"SELECT text_sha256, vector FROM vectors WHERE model = ? AND text_sha256 IN ({','.join('?' * len(batch))})",
                [self._model, *batch],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, keys: Sequence[str], vectors: np.ndarray, tokens: Sequence[int]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                [(self._model, k, n, v.astype(np.float32).tobytes()) for k, v, n in zip(keys, vectors, tokens)],
            )

    def close(self) -> None:
        self._db.close()
