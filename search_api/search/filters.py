"""Which chunks a query may return: jurisdiction (a city includes its districts), years, document type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from indexer.records import Report


@dataclass(frozen=True)
class Filters:
    jurisdiction: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.jurisdiction, self.year_from, self.year_to, self.doc_type))

    def accepts(self, report: Report) -> bool:
        if self.jurisdiction and not in_jurisdiction(report, self.jurisdiction):
            return False
        if (self.year_from is not None or self.year_to is not None) and not any(
                self._in_years(year) for year in (report.year, report.reviewed_year)):
            return False
        return not (self.doc_type and report.doc_type != self.doc_type)

    def _in_years(self, year: int | None) -> bool:
        """A report is in a year range by its own year or by the year it reviews: --year 2020 finds the
        2020 annual report and the 2021 government work report, which reviews 2020."""
        return year is not None and (self.year_from is None or year >= self.year_from) and (
            self.year_to is None or year <= self.year_to)


def why_nothing_in_scope(reports: Iterable[Report], filters: Filters) -> str:
    """Why no report passes ``filters`` ("北京市 is not in this archive"), or "" when some does."""
    if not filters.active:
        return ""
    reports = list(reports)
    if any(filters.accepts(r) for r in reports):
        return ""
    place, years, kind = filters.jurisdiction, _years_text(filters), filters.doc_type
    alone = {
        "place": bool(place) and any(Filters(place).accepts(r) for r in reports),
        "years": years is not None and any(Filters(None, filters.year_from, filters.year_to).accepts(r) for r in reports),
        "kind": bool(kind) and any(Filters(doc_type=kind).accepts(r) for r in reports),
    }
    if place and not alone["place"]:
        return f"{place} is not in this archive"
    if years is not None and not alone["years"]:
        return f"no report from {years} in this archive"
    if kind and not alone["kind"]:
        return f"no report of type {kind} in this archive"
    asked = " ".join(part for part in (f"of {place}" if place else "", f"of type {kind}" if kind else "",
                                       f"from {years}" if years is not None else "") if part)
    return f"no report {asked} in this archive (each filter alone matches some)"


def _years_text(filters: Filters) -> str | None:
    low, high = filters.year_from, filters.year_to
    if low is None and high is None:
        return None
    if low == high:
        return str(low)
    return f"{low if low is not None else ''}-{high if high is not None else ''}"


def in_jurisdiction(report: Report, name: str) -> bool:
    """A report of the place itself, of one of its districts, or of the province it names."""
    name = name.strip()
    return name in {report.jurisdiction, report.jurisdiction_parent, report.province} or (
        bool(report.jurisdiction) and _same_place(report.jurisdiction, name)
    )


def _same_place(jurisdiction: str, name: str) -> bool:
    # 高新区(新市区) is also found as 高新区 or 新市区; 乌鲁木齐 finds 乌鲁木齐市.
    aliases = {jurisdiction, *jurisdiction.replace("（", "(").replace("）", ")").rstrip(")").split("(")}
    return name in aliases or any(a.startswith(name) and len(name) >= 2 and len(a) - len(name) <= 1 for a in aliases)


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """``2017`` or ``2015-2018`` (either end may be left open: ``2015-``, ``-2018``)."""
    if not text:
        return None, None
    text = text.strip()
    if "-" in text:
        low, high = (part.strip() for part in text.split("-", 1))
        return (int(low) if low else None), (int(high) if high else None)
    return int(text), int(text)


def allowed_chunks(reports: list[Report], chunk_report: np.ndarray, filters: Filters) -> np.ndarray | None:
    """A boolean mask over chunk rows (``chunk_report``: each row's position in ``reports``), or None
    when nothing is filtered. Each report is judged once: an archive has 10-100x more chunks."""
    if not filters.active:
        return None
    return np.array([filters.accepts(r) for r in reports], dtype=bool)[chunk_report]
