"""Cleaning: strip web-page chrome from raw text and keep a map back to the raw offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.cleaning.lines import Line, edge_lines, split_lines
from indexer.cleaning.main_region import main_region
from indexer.cleaning.rules import chrome_pattern, link_share, looks_like_menu
from indexer.cleaning.templates import find_template_lines, site_of
from indexer.records import CleanDocument, OffsetMap, RawDocument, RemovedLine

# A block whose text is mostly link text is navigation, unless it reads like a sentence.
_MAX_LINK_SHARE = 0.5

__all__ = ["clean_document", "clean_documents", "has_body_text"]
# Running prose: a sentence of some length. A portal's menu, search form and footer have none.
_PROSE_SENTENCE = re.compile(r"[^\n。！？]{8,}(?:[。！？]|[.!?](?=\s|$))")
_MIN_PROSE_SENTENCES = 1
_OPENING_MARKS = "《“‘（(「『【〔"
_CONTINUING_MARKS = "》”’）)」』】〕，、；：。！？"


def clean_documents(raws: Sequence[RawDocument]) -> list[CleanDocument]:
    """Clean documents together, so that a site's repeated template lines are recognised."""
    lines_by_source = {raw.source: split_lines(raw) for raw in raws}
    templates = find_template_lines(lines_by_source.items())
    return [
        _clean(raw, lines_by_source[raw.source], templates.get(site_of(raw.source), frozenset())) for raw in raws
    ]


def has_body_text(clean: CleanDocument) -> bool:
    """Whether cleaning left any running prose: a page that is nothing but navigation is not a report."""
    return len(_PROSE_SENTENCE.findall(clean.text, 0, 200_000)) >= _MIN_PROSE_SENTENCES


def clean_document(raw: RawDocument, template_lines: frozenset[str] = frozenset()) -> CleanDocument:
    return _clean(raw, split_lines(raw), template_lines)


def _clean(raw: RawDocument, lines: list[Line], template_lines: frozenset[str]) -> CleanDocument:
    at_edges = {line.raw_start for line in edge_lines(lines, template_lines)}
    # Web pages carry teasers, link lists and widgets that no line rule catches; their article is
    # the main region. Text dumps keep every line the rules let through (signatures, dates).
    region = main_region(lines) if raw.format == "html" else range(len(lines))
    kept: list[Line] = []
    removed: list[RemovedLine] = []
    for i, line in enumerate(lines):
        reason = "outside the main text" if i not in region else None
        reason = reason or _noise_reason(line, line.raw_start in at_edges, template_lines)
        if reason:
            removed.append(RemovedLine(line.raw_start, line.raw_end, line.text, reason))
        else:
            kept.append(line)
    text, offset_map = _assemble(kept)
    return CleanDocument(raw=raw, text=text, offset_map=offset_map, removed=tuple(removed))


def _noise_reason(line: Line, at_edge: bool, template_lines: frozenset[str]) -> str | None:
    reason = chrome_pattern(line.text)
    if reason:
        return reason
    if link_share(len(line.text), line.link_chars) > _MAX_LINK_SHARE and not _reads_like_prose(line.text):
        return "navigation links"
    if at_edge and looks_like_menu(line.text):
        return "menu"
    if at_edge and line.text in template_lines:
        return "repeated template line"
    return None


def _reads_like_prose(text: str) -> bool:
    return len(text) >= 40 and any(mark in text for mark in "。！？")


def _breaks_a_sentence(previous: str, line: str) -> bool:
    """Whether a line break falls inside a sentence: after an opening mark, or before a closing mark or
    a comma. Scraped pages put a link on a line of its own ("制定了《\n企业国有资产监督管理暂行条例\n》等"),
    which cut the sentence into three for quotes and summaries."""
    return previous[-1] in _OPENING_MARKS or line[0] in _CONTINUING_MARKS


def _assemble(lines: list[Line]) -> tuple[str, OffsetMap]:
    """Join kept lines with newlines (none where the break falls inside a sentence); segments inside a
    line are joined by one space."""
    parts: list[str] = []
    clean_starts: list[int] = []
    raw_starts: list[int] = []
    lengths: list[int] = []
    position = 0
    for line_number, line in enumerate(lines):
        if line_number and not _breaks_a_sentence(lines[line_number - 1].text, line.text):
            parts.append("\n")
            position += 1
        for segment_number, segment in enumerate(line.segments):
            if segment_number:
                parts.append(" ")
                position += 1
            clean_starts.append(position)
            raw_starts.append(segment.raw_start)
            lengths.append(len(segment.text))
            parts.append(segment.text)
            position += len(segment.text)
    return "".join(parts), OffsetMap(tuple(clean_starts), tuple(raw_starts), tuple(lengths))
