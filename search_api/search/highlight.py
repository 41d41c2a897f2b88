"""Where a passage answers the query: the query's terms, else its best-matching sentence."""

from __future__ import annotations

from collections.abc import Iterable

_MIN_TERM = 2  # single characters would light up half of a Chinese passage


class TermHighlighter:
    """Every occurrence of a set of terms in a text; built once per question, used for each passage."""

    def __init__(self, terms: Iterable[str]) -> None:
        self._terms = {t.lower() for t in terms if len(t) >= _MIN_TERM}

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Merged ``[start, end)`` spans of every occurrence of the terms in ``text``."""
        lowered = text.lower()
        spans = []
        for term in self._terms:
            position = lowered.find(term)
            while position >= 0:
                spans.append((position, position + len(term)))
                position = lowered.find(term, position + 1)
        return merge_spans(spans)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
