"""Lines that recur at the top or bottom of many pages of one site are the site's template.

A line is common to a site when at least ``min_documents`` documents and ``min_share`` of the documents
in the same folder hold it. It is template when it stands in the head or tail zone of that many
documents: before the first or after the last line of running prose that is not itself common. So a
footer written in sentences that every page repeats (Wikisource's licence notice under each government
work report: "本作品是中华人民共和国的法律、法规，国家机关的决议…属于公有领域。") is template, while
lines common to the site inside the body are content: a salutation or a heading repeated across reports
("各位代表：").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from indexer.cleaning.lines import Line, edge_lines

MIN_DOCUMENTS = 3
MIN_SHARE = 0.3


def find_template_lines(
    documents: Iterable[tuple[str, list[Line]]],
    min_documents: int = MIN_DOCUMENTS,
    min_share: float = MIN_SHARE,
) -> dict[str, frozenset[str]]:
    """Map each folder to its template lines, from ``(source, lines)`` pairs."""
    documents = [(site_of(source), lines) for source, lines in documents]
    sizes = Counter(folder for folder, _ in documents)
    needed = {folder: max(min_documents, min_share * size) for folder, size in sizes.items()}
    common = _held_by_enough(documents, needed, lambda folder, lines: lines)
    return _held_by_enough(documents, needed, lambda folder, lines: edge_lines(lines, common[folder]))


def _held_by_enough(documents: list[tuple[str, list[Line]]], needed: dict[str, float],
                    chosen: Callable[[str, list[Line]], list[Line]]) -> dict[str, frozenset[str]]:
    """Per folder, the texts of the ``chosen`` lines of at least ``needed`` of its documents."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for folder, lines in documents:
        counts[folder].update({line.text for line in chosen(folder, lines)})
    return {folder: frozenset(text for text, n in counter.items() if n >= needed[folder])
            for folder, counter in counts.items()}


def site_of(source: str) -> str:
    """Documents of one folder usually come from one site; JSONL records share their file."""
    return str(PurePosixPath(source.split("#", 1)[0]).parent)
