"""The main text of a web page: the contiguous run of lines with the most prose in it.

Like Finn et al.'s Body Text Extraction: a line of prose counts for its length, any other line (links,
menus, teasers, widgets) against it, and the window with the highest total is the article. Short
non-prose lines between paragraphs (subheadings, captions) survive when prose surrounds them. The
page's headline is usually a title element just above the window and is kept with it.
"""

from __future__ import annotations

import re

from indexer.cleaning.lines import Line

_PROSE_MARKS = re.compile(r"[。！？；，]")
_MIN_PROSE = 15
_MAX_PROSE_LINK_SHARE = 0.3
_LINE_COST = 10  # every non-prose line costs this on top of its length
_HEADLINE_REACH = 3  # lines above the window searched for the headline


def is_prose(line: Line) -> bool:
    return (
        len(line.text) >= _MIN_PROSE
        and _PROSE_MARKS.search(line.text) is not None
        and line.link_chars <= _MAX_PROSE_LINK_SHARE * len(line.text)
    )


def line_weight(line: Line) -> int:
    if is_prose(line):
        return len(line.text) - line.link_chars
    return -(len(line.text) + line.link_chars + _LINE_COST)


def main_region(lines: list[Line]) -> range:
    """Indices of the lines of the main text (empty when no line is prose)."""
    best_total, best = 0, range(0)
    total, start = 0, 0
    for i, line in enumerate(lines):
        if total <= 0:
            total, start = 0, i
        total += line_weight(line)
        if total > best_total:
            best_total, best = total, range(start, i + 1)
    if not best:
        return best
    for i in range(best.start - 1, max(best.start - 1 - _HEADLINE_REACH, -1), -1):
        if lines[i].category == "Title" and not lines[i].link_chars:
            return range(i, best.stop)
    return best
