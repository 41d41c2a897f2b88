"""Answers and searches as CSV rows, for a spreadsheet: every row carries its citation.

CSV starts with a byte-order mark so that Excel reads the Chinese text as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from indexer.records import Answer, Report
from search_api.search import SearchResult

FIGURE_COLUMNS = ("group", "jurisdiction", "year", "what", "value", "unit", "quote", "source", "start", "end")
SENTENCE_COLUMNS = ("group", "jurisdiction", "year", "stance", "sentence", "source", "start", "end")
PASSAGE_COLUMNS = ("rank", "jurisdiction", "year", "doc_number", "title", "match", "passage", "source", "start", "end")


def figure_rows(answer: Answer, reports: dict[str, Report]) -> list[tuple]:
    return [(group.label, f.jurisdiction, f.year or "", f.what, f"{f.value:g}", f.unit, f.text,
             reports[f.doc_id].source, f.start, f.end) for group in answer.groups for f in group.figures]


def sentence_rows(answer: Answer, reports: dict[str, Report]) -> list[tuple]:
    rows = []
    for group in answer.groups:
        for s in group.summary:
            report = reports[s.doc_id]
            rows.append((group.label, report.jurisdiction, report.year or "", group.stance, s.text, report.source,
                         s.start, s.end))
    return rows


def passage_rows(result: SearchResult) -> list[tuple]:
    return [(rank, p.jurisdiction, p.year or "", p.doc_number or "", p.title, p.match, p.text, p.source, p.start, p.end)
            for rank, p in enumerate(result.passages, start=1)]


def to_csv(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def answer_csv(answer: Answer, reports: dict[str, Report], figures: bool = False) -> str:
    """A row per figure (``figures``) or per summary sentence."""
    if figures:
        return to_csv(FIGURE_COLUMNS, figure_rows(answer, reports))
    return to_csv(SENTENCE_COLUMNS, sentence_rows(answer, reports))


def search_csv(result: SearchResult) -> str:
    return to_csv(PASSAGE_COLUMNS, passage_rows(result))
