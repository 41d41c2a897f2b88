"""Structure- and sentence-aware chunking of a report's clean text.

A heading (一、 （一） 1. 第一章) starts a new chunk and extends the heading path; paragraphs of a
section are packed together up to ``max_chars``; a paragraph longer than that is split between
sentences (。！？； before ，), never inside one. Every chunk is a verbatim span of the clean text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.records import Chunk, Report
from indexer.sentences import trim_span

# Heading markers by level: 第一章/第一部分, 一、, （一）, 1. / 1、 / （1）.
_HEADING_LEVELS = (
    re.compile(r"^第[一二三四五六七八九十百]+[章节部分篇]"),
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[(（][一二三四五六七八九十]+[)）]"),
    re.compile(r"^(\d{1,2}[.．、](?!\d)|[(（]\d{1,2}[)）])"),
)
_HEADING_END = re.compile(r"[。；！？:：]")
_MAX_HEADING = 40
# Sentence ends first, then clause breaks; "" lets a run-on "sentence" be cut as a last resort.
SEPARATORS = ("\n", "。", "！", "？", "；", "，", "")


@dataclass(frozen=True)
class ChunkSettings:
    max_chars: int = 400
    min_chars: int = 60  # a smaller trailing piece is merged into the chunk before it


def chunk_report(report: Report, settings: ChunkSettings = ChunkSettings()) -> list[Chunk]:
    text = report.text
    chunks = []
    for ordinal, (start, end, path) in enumerate(_chunk_spans(text, settings)):
        chunks.append(Chunk(f"{report.doc_id}-{ordinal:04d}", report.doc_id, ordinal, start, end, text[start:end], path))
    return chunks


def heading_of(paragraph: str) -> tuple[int, str] | None:
    """``(level, heading)`` when a paragraph starts with a heading marker."""
    marker = _heading_marker(paragraph)
    if marker is None:
        return None
    end = _HEADING_END.search(paragraph)
    heading = paragraph[: end.start()] if end else paragraph
    return marker[0], heading[:_MAX_HEADING]


def _heading_marker(text: str) -> tuple[int, int] | None:
    """``(level, length)`` of the heading marker a text starts with."""
    for level, pattern in enumerate(_HEADING_LEVELS):
        match = pattern.match(text)
        if match:
            return level, match.end()
    return None


_PUNCTUATION = re.compile(r"[。！？；，、：,;:!?]")
_SENTENCE_MARK = re.compile(r"[。！？；]")
_FIGURE = re.compile(r"\d")


def is_heading(text: str) -> bool:
    """A heading, not a statement: a marked heading (一、 （一） 1.) of one short sentence that states no
    figure ("五、全面清理政府文件,做好规范性文件备案审查工作。", not "1.全年共受理…12件。"), or a short line
    with no punctuation at all ("2020年工作回顾"). Never a summary sentence on its own."""
    text = text.strip()
    marker = _heading_marker(text)
    if marker is not None and not _SENTENCE_MARK.search(text.rstrip("。")):
        body = text[marker[1]:]
        return not text.endswith("。") or (len(text) <= _MAX_HEADING and not _FIGURE.search(body))
    return len(text) <= 30 and not _PUNCTUATION.search(text)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.split("\n"):
        if line.strip():
            yield start, start + len(line)
        start += len(line) + 1


def _chunk_spans(text: str, settings: ChunkSettings) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    path: list[tuple[int, str]] = []
    current: list[tuple[int, int]] = []  # paragraphs of the chunk being built
    current_path: tuple[str, ...] = ()
    only_headings = True  # a chunk holding nothing but headings so far absorbs the next heading

    def flush() -> Iterator[tuple[int, int, tuple[str, ...]]]:
        if current:
            yield from _split_long(text, current[0][0], current[-1][1], current_path, settings)
            current.clear()

    for start, end in _paragraphs(text):
        paragraph = text[start:end]
        heading = heading_of(paragraph)
        is_bare_heading = heading is not None and len(paragraph) <= _MAX_HEADING
        if heading:
            level, title = heading
            path = [(lvl, t) for lvl, t in path if lvl < level] + [(level, title)]
            if not (current and only_headings):
                yield from flush()
                current_path = tuple(t for _, t in path)
                only_headings = True
            else:
                current_path = tuple(t for _, t in path)
        elif current and current[-1][1] - current[0][0] + 1 + (end - start) > settings.max_chars:
            yield from flush()
            only_headings = True
        if not current:
            current_path = tuple(t for _, t in path)
        current.append((start, end))
        only_headings = only_headings and is_bare_heading
    yield from flush()


def _split_long(
    text: str, start: int, end: int, path: tuple[str, ...], settings: ChunkSettings
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    if end - start <= settings.max_chars:
        yield start, end, path
        return
    # Imported here: answers and searches use is_heading, and langchain costs 0.13 s to import.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=list(SEPARATORS),
        keep_separator="end",
        chunk_size=settings.max_chars,
        chunk_overlap=0,
        strip_whitespace=False,
    )
    pieces: list[tuple[int, int]] = []
    cursor = start
    for piece in splitter.split_text(text[start:end]):
        # Pieces are verbatim and in order, so each is found at or after the previous one's end.
        piece_start = text.index(piece, cursor, end)
        cursor = piece_start + len(piece)
        piece_start, piece_end = trim_span(text, piece_start, cursor)
        if piece_end <= piece_start:
            continue
        small = piece_end - piece_start < settings.min_chars
        if pieces and small and piece_end - pieces[-1][0] <= settings.max_chars + settings.min_chars:
            pieces[-1] = (pieces[-1][0], piece_end)
        else:
            pieces.append((piece_start, piece_end))
    for piece_start, piece_end in pieces:
        yield piece_start, piece_end, path
