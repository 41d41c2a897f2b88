"""Chinese-aware sentence spans: ends at 。！？； (and ! ? ; .) with closing quotes and brackets kept."""

from __future__ import annotations

import re

# An end mark, then any closing quotes/brackets that belong to the sentence.
_SENTENCE_END = re.compile(r"(?:[。！？；!?;]|\.(?=\s|$))[”’」』》〉）)\]】\"']*")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text[start:end]``; lines break sentences too. Whitespace is trimmed."""
    end = len(text) if end is None else end
    spans = []
    for line_start, line_end in _line_spans(text, start, end):
        cursor = line_start
        for match in _SENTENCE_END.finditer(text, line_start, line_end):
            spans.append((cursor, match.end()))
            cursor = match.end()
        if cursor < line_end:
            spans.append((cursor, line_end))
    return [span for span in (trim_span(text, s, e) for s, e in spans) if span[1] > span[0]]


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        newline = text.find("\n", cursor, end)
        stop = end if newline < 0 else newline
        spans.append((cursor, stop))
        cursor = stop + 1
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
