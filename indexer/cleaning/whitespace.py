"""Whitespace clean-up that remembers where every kept character came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width space, NBSP, the typographic spaces and zero-width characters scraped pages are full of.
_SPACE_RUN = re.compile(r"[\s\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")


@dataclass(frozen=True)
class Segment:
    """``text`` is copied verbatim from the raw text at ``raw_start``."""

    raw_start: int
    text: str


def split_on_whitespace(line: str, raw_start: int) -> list[Segment]:
    """The non-space pieces of a line; joined by single spaces they form the clean line."""
    segments = []
    position = 0
    for match in _SPACE_RUN.finditer(line):
        if match.start() > position:
            segments.append(Segment(raw_start + position, line[position : match.start()]))
        position = match.end()
    if position < len(line):
        segments.append(Segment(raw_start + position, line[position:]))
    return segments


def join_segments(segments: list[Segment]) -> str:
    return " ".join(segment.text for segment in segments)
