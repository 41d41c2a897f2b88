"""How answers are grouped: by jurisdiction (years kept apart), by document, or by year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from indexer.records import AnswerGroup, PlaceYears, Report, YearEntry

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


def compare_years(groups: Iterable[AnswerGroup], reports: Iterable[Report]) -> tuple[PlaceYears, ...]:
    """Each place with reports of several years among ``reports`` (those in scope), year by year: the
    group of ``groups`` that answers for that year, or silence. Places in the order of their best group."""
    reports = list(reports)
    key_of = grouper("jurisdiction", reports)
    answered = {g.key: rank for rank, g in enumerate(groups)}
    by_place: dict[str, dict[int | None, list[Report]]] = {}
    for report in reports:
        by_place.setdefault(place_key(report), {}).setdefault(report.year, []).append(report)
    places = []
    for place, years in by_place.items():
        if len(years) < 2:
            continue
        entries = []
        for year in sorted(years, key=lambda y: (y is None, y or 0)):
            key = key_of(years[year][0]).key
            chosen = sorted(years[year], key=lambda r: r.doc_id)
            entries.append(YearEntry(year, key if key in answered else None, tuple(r.doc_id for r in chosen),
                                     tuple(r.title for r in chosen)))
        best = min((answered[e.group_key] for e in entries if e.group_key), default=len(answered))
        places.append((best, place, PlaceYears(place, jurisdiction_label(years[next(iter(years))][0]), tuple(entries))))
    return tuple(p for *_, p in sorted(places, key=lambda x: (x[0], x[1])))
