"""The raw text as normalised lines, each knowing its place in the raw text."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.cleaning.rules import is_body_line
from indexer.cleaning.whitespace import Segment, join_segments, split_on_whitespace
from indexer.records import RawDocument


@dataclass(frozen=True)
class Line:
    raw_start: int
    raw_end: int
    text: str  # whitespace-normalised
    segments: tuple[Segment, ...]
    link_chars: int


def split_lines(raw: RawDocument) -> list[Line]:
    """Non-blank lines of the raw text, with the link text of the block each belongs to."""
    link_chars_at = {block.start: block.link_chars for block in raw.blocks if block.link_chars}
    lines = []
    start = 0
    for line in raw.text.split("\n"):
        segments = split_on_whitespace(line, start)
        if segments:
            lines.append(
                Line(start, start + len(line), join_segments(segments), tuple(segments), link_chars_at.get(start, 0))
            )
        start += len(line) + 1
    return lines


def edge_lines(lines: list[Line]) -> list[Line]:
    """Lines before the first and after the last line of running prose: where page chrome lives."""
    body = [i for i, line in enumerate(lines) if is_body_line(line.text)]
    if not body:
        return list(lines)
    return lines[: body[0]] + lines[body[-1] + 1 :]
