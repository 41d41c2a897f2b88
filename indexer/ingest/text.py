"""Plain-text and Markdown files: the text as decoded, one block per line."""

from __future__ import annotations

from pathlib import Path

from indexer.ingest.encoding import decode_bytes
from indexer.records import Block, RawDocument


def read_text(path: Path, source: str, data: bytes, sha256: str) -> RawDocument:
    text, encoding = decode_bytes(data, source)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(
        source=source,
        path=str(path),
        format=path.suffix.lower().lstrip(".") or "txt",
        encoding=encoding,
        sha256=sha256,
        text=text,
        blocks=line_blocks(text),
    )


def line_blocks(text: str) -> tuple[Block, ...]:
    blocks = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            blocks.append(Block(start, start + len(line), f"line {number}"))
        start += len(line) + 1
    return tuple(blocks)
