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
    # One jurisdiction with reports of several years gets a group per year; places of one name in two
    # cities (南山区 of 深圳市 and of 鹤岗市) stay apart.
    reports_per_place = Counter(place_key(r) for r in reports)

    def by_jurisdiction(report: Report) -> GroupKey:
        place = place_key(report)
        label = jurisdiction_label(report)
        if reports_per_place[place] > 1 and report.year:
            return GroupKey(f"{place}|{report.year}", f"{label} ({report.year})")
        return GroupKey(place, label)

    return by_jurisdiction


def place_key(report: Report) -> str:
    if not report.jurisdiction:
        return report.source
    return f"{report.jurisdiction_parent}/{report.jurisdiction}" if report.jurisdiction_parent else report.jurisdiction


def jurisdiction_label(report: Report) -> str:
    """A district with its city: 高新区(新市区)，乌鲁木齐市; a city or province as it is; a report whose
    place is unknown by its title (a title line or the file name, never a body sentence), marked so."""
    if not report.jurisdiction:
        return f"{report.title} (place unknown)"
    parent = report.jurisdiction_parent
    if parent and parent != report.province and parent != report.jurisdiction:
        return f"{report.jurisdiction}，{parent}"
    return report.jurisdiction
