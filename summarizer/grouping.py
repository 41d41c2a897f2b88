"""How answers are grouped: by jurisdiction (years kept apart), by document, or by year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.records import Report

GROUP_BY = ("jurisdiction", "document", "year")


@dataclass(frozen=True)
class GroupKey:
    key: str
    label: str


def grouper(group_by: str, reports: Iterable[Report]):
    """A function from report to ``GroupKey``, for the reports in scope."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, not {group_by!r}")
    reports = list(reports)
    if group_by == "document":
        return lambda r: GroupKey(r.doc_id, f"{jurisdiction_label(r)} {r.year or ''} · {r.title}".strip())
    if group_by == "year":
        return lambda r: GroupKey(str(r.year or "unknown"), str(r.year or "year unknown"))
    # One jurisdiction with reports of several years gets a group per year.
    reports_per_place = Counter(r.jurisdiction or r.source for r in reports)

    def by_jurisdiction(report: Report) -> GroupKey:
        place = report.jurisdiction or report.source
        label = jurisdiction_label(report)
        if reports_per_place[place] > 1 and report.year:
            return GroupKey(f"{place}|{report.year}", f"{label} ({report.year})")
        return GroupKey(place, label)

    return by_jurisdiction


def jurisdiction_label(report: Report) -> str:
    """A district with its city: 高新区(新市区)，乌鲁木齐市; a city or province as it is."""
    if not report.jurisdiction:
        return report.title
    parent = report.jurisdiction_parent
    if parent and parent != report.province and parent != report.jurisdiction:
        return f"{report.jurisdiction}，{parent}"
    return report.jurisdiction
