"""Values derived from a text (its jieba tokens, its MinHash), cached by the text's SHA-256.

Beside the embedding cache, and for the same reason: a build after one file changed derives these
again for that file's texts only. Segmenting every chunk with jieba took about 80 % of the store stage
of the gov_reports archive, and MinHash of every report most of the dedupe stage. A kind names what
derived the value and its version, so a changed rule never reads stale entries.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

Value = TypeVar("Value")


class DerivedCache:
    """Only a shortcut: a cache that cannot be opened, read or written (a full disk, a damaged file) is
    passed by, and every value derived again; the build's own writes report such a disk."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db: sqlite3.Connection | None = sqlite3.connect(path)
            self._db.execute("CREATE TABLE IF NOT EXISTS derived (kind TEXT, text_sha256 TEXT, value BLOB,"
                             " PRIMARY KEY (kind, text_sha256))")
        except (OSError, sqlite3.Error):
            self._db = None

    def map(self, kind: str, texts: Sequence[str], derive: Callable[[str], Value], encode: Callable[[Value], bytes],
            decode: Callable[[bytes], Value]) -> list[Value]:
        """``derive(text)`` for every text, from the cache where it holds the value."""
        keys = [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in texts]
        found = self._read(kind, list(dict.fromkeys(keys)), decode)
        missing = {key: text for key, text in zip(keys, texts) if key not in found}  # each text once
        fresh = {key: derive(text) for key, text in missing.items()}
        self._write(kind, {key: encode(value) for key, value in fresh.items()})
        found.update(fresh)
        return [found[key] for key in keys]

    def _read(self, kind: str, keys: list[str], decode) -> dict:
        found = {}
        try:
            for start in range(0, len(keys) if self._db else 0, 500):
                batch = keys[start : start + 500]
                rows = self._db.execute(f"SELECT text_sha256, value FROM derived WHERE kind = ? AND text_sha256 IN "
                                        f"({','.join('?' * len(batch))})", [kind, *batch])
                found.update((key, decode(value)) for key, value in rows)
        except (sqlite3.Error, ValueError):  # damaged: derive everything again
            return {}
        return found

    def _write(self, kind: str, encoded: dict[str, bytes]) -> None:
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO derived VALUES (?, ?, ?)",
                                     [(kind, key, value) for key, value in encoded.items()])
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
