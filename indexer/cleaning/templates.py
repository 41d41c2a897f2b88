"""Lines that recur at the top or bottom of many pages of one site are the site's template.

A line is template when it stands in the head or tail zone (before the first or after the last line
of running prose) of at least ``min_documents`` documents and of ``min_share`` of the documents in the
same folder. Lines inside the body are never template: a salutation or a heading repeated across
reports ("各位代表：") is content.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
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
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    for source, lines in documents:
        folder = site_of(source)
        sizes[folder] += 1
        counts[folder].update({line.text for line in edge_lines(lines)})
    templates = {}
    for folder, counter in counts.items():
        needed = max(min_documents, min_share * sizes[folder])
        templates[folder] = frozenset(text for text, n in counter.items() if n >= needed)
    return templates


def site_of(source: str) -> str:
    """Documents of one folder usually come from one site; JSONL records share their file."""
    return str(PurePosixPath(source.split("#", 1)[0]).parent)
