"""Jurisdictions (with their districts) and years, with report counts, for the web page's filters."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from indexer.records import Report


def facets(reports: Iterable[Report]) -> dict:
    reports = list(reports)
    places = Counter(r.jurisdiction for r in reports if r.jurisdiction)
    parents = {r.jurisdiction: r.jurisdiction_parent for r in reports if r.jurisdiction}
    # A place whose parent is also a place of the archive is listed under it.
    tops = sorted(p for p in places if parents.get(p) not in places)
    jurisdictions = [
        {"name": top, "count": places[top],
         "districts": [{"name": d, "count": places[d]} for d in sorted(places) if parents.get(d) == top]}
        for top in tops
    ]
    years = Counter(r.year for r in reports if r.year)
    return {"jurisdictions": jurisdictions, "years": [{"year": y, "count": years[y]} for y in sorted(years)],
            "reports": len(reports)}
