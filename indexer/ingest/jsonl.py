"""JSON Lines archives: one report per line, with ``content`` (or ``text``) and optional ``title``/``year``."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.ingest.encoding import decode_bytes
from indexer.ingest.errors import IngestError
from indexer.ingest.text import line_blocks
from indexer.records import RawDocument


def read_jsonl(path: Path, source: str, data: bytes, sha256: str) -> list[RawDocument]:
    text, encoding = decode_bytes(data, source)
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise IngestError(f"{source}#{number}", f"invalid JSON: {error.msg}") from error
        body = record.get("content") or record.get("text") if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise IngestError(f"{source}#{number}", "no 'content' or 'text' field")
        title = record.get("title")
        # The title goes first so that it is described and cited like a title in any other file.
        body = f"{title}\n{body}" if isinstance(title, str) and title and not body.startswith(title) else body
        body = body.replace("\r\n", "\n")
        documents.append(
            RawDocument(f"{source}#{number}", str(path), "jsonl", encoding, sha256, body, line_blocks(body))
        )
    if not documents:
        raise IngestError(source, "no records")
    return documents
