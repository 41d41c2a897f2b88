"""Ingest: turn files into ``RawDocument`` records, or an ``IngestError`` that names the file and the reason."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from indexer.ingest.elements import parse_elements
from indexer.ingest.errors import IngestError
from indexer.ingest.jsonl import read_jsonl
from indexer.ingest.text import read_text
from indexer.records import RawDocument

TEXT_SUFFIXES = {".txt", ".md"}
ELEMENT_SUFFIXES = {".html", ".htm", ".docx", ".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | ELEMENT_SUFFIXES | {".jsonl"}
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024

__all__ = ["ElementParser", "IngestError", "SUPPORTED_SUFFIXES", "file_sha256", "ingest_file"]


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


ElementParser = Callable[[Path, str, bytes, str], RawDocument]  # path, source, data, sha256


def ingest_file(path: Path, source: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                parse: ElementParser = parse_elements) -> list[RawDocument]:
    """Read one file into one ``RawDocument`` (several for a JSON Lines archive). HTML, DOCX and PDF
    go through ``parse``: in this process by default, or in a bounded one (``IsolatedParser``)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(source, f"unsupported file type {suffix or '(none)'}")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(source, f"too large: {size:,} bytes (limit {max_bytes:,})")
    data = path.read_bytes()
    sha256 = file_sha256(data)
    if suffix in TEXT_SUFFIXES:
        return [read_text(path, source, data, sha256)]
    if suffix == ".jsonl":
        return read_jsonl(path, source, data, sha256)
    if not data.strip():
        raise IngestError(source, "empty file")
    return [parse(path, source, data, sha256)]
