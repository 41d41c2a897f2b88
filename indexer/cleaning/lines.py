"""The raw text as normalised lines, each knowing its place in the raw text."""

from __future__ import annotations

from collections.abc import Collection
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
    category: str  # of the block the line belongs to: "text" for plain text, unstructured's for HTML


def split_lines(raw: RawDocument) -> list[Line]:
    """Non-blank lines of the raw text, with the link text of the block each belongs to."""
    blocks_at = {block.start: block for block in raw.blocks}
    lines = []
    start = 0
    for line in raw.text.split("\n"):
        segments = split_on_whitespace(line, start)
        if segments:
            block = blocks_at.get(start)
            lines.append(
                Line(
                    start, start + len(line), join_segments(segments), tuple(segments),
                    block.link_chars if block else 0, block.category if block else "text",
                )
            )
        start += len(line) + 1
    return lines


def edge_lines(lines: list[Line], common: Collection[str] = frozenset()) -> list[Line]:
    """Lines before the first and after the last line of running prose that is not ``common`` (a line
    many pages of the site share, such as a licence notice in sentences): where page chrome lives. A
    page whose prose is all common keeps it as its body."""
    prose = [i for i, line in enumerate(lines) if is_body_line(line.text)]
    body = [i for i in prose if lines[i].text not in common] or prose
    if not body:
        return list(lines)
    return lines[: body[0]] + lines[body[-1] + 1 :]
