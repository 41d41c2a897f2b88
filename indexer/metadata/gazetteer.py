"""Every province, city and county of China with its adcode, from the cpca package's gazetteer.

Used to find place names in a title or a sentence, to give each its city and province, and to count
how often a document names each city (the evidence that settles an ambiguous or unlisted district).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Rows of the table that are groupings, not places.
_PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Division:
    name: str  # 南山区
    adcode: str  # 440305
    level: str  # province, city, district
    city: str | None  # the city of a district; None for provinces and cities
    province: str  # the province (itself, for a province)

    @property
    def parent(self) -> str | None:
        """The city of a district; a county directly under a province (or a municipality) has that."""
        return (self.city or self.province) if self.level == "district" else None


class Gazetteer:
    def __init__(self, divisions: list[Division], nations: list[str]) -> None:
        self.divisions = divisions
        # What a short name drops: 宁夏回族自治区 -> 宁夏, 昌吉回族自治州 -> 昌吉, 深圳市 -> 深圳.
        ethnic = "|".join(sorted((n.removesuffix("族") for n in nations), key=len, reverse=True))
        self._ethnic_suffix = re.compile(rf"(?:(?:{ethnic})族?)+(?:自治区|自治州)$")
        self._suffix = re.compile(r"(?:自治区|自治州|特别行政区|地区|省|市|盟)$")
        self.by_name: dict[str, list[Division]] = {}
        for division in divisions:
            self.by_name.setdefault(division.name, []).append(division)
        # Short names of provinces and cities only: a county's short name (南山) is too often a word.
        self.short_names: dict[str, list[Division]] = {}
        for division in divisions:
            short = self.short_name(division)
            if division.level != "district" and len(short) >= 2 and short != division.name:
                self.short_names.setdefault(short, []).append(division)
        names = sorted(set(self.by_name) | set(self.short_names), key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, names)))
        self._city_by_short = {self.short_name(d): d for d in divisions
                               if d.level == "city" and len(self.short_name(d)) >= 2}
        self._city_pattern = re.compile("|".join(map(re.escape, sorted(self._city_by_short, key=len, reverse=True))))

    @classmethod
    def from_cpca(cls) -> Gazetteer:
        # Only cpca's data files are read: importing it would load pkg_resources and its own models.
        spec = importlib.util.find_spec("cpca")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("cpca is not installed")
        resources = Path(spec.submodule_search_locations[0]) / "resources"
        names = {}
        with (resources / "adcodes.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                names[row["adcode"][:6]] = row["name"]
        nations = (resources / "56_nations.csv").read_text(encoding="utf-8").split()
        divisions = []
        for code, name in names.items():
            if name in _PLACEHOLDERS:
                continue
            province = names.get(code[:2] + "0000", name)
            if code.endswith("0000"):
                divisions.append(Division(name, code, "province", None, name))
            elif code.endswith("00"):
                divisions.append(Division(name, code, "city", None, province))
            else:
                # Counties of a municipality (北京市) or directly under a province have no city row.
                city = names.get(code[:4] + "00")
                divisions.append(Division(name, code, "district", None if city in _PLACEHOLDERS else city, province))
        return cls(divisions, nations)

    def mentions(self, text: str) -> list[tuple[int, str, list[Division]]]:
        """Known names in ``text``, longest first at each position: ``(start, name as written, divisions)``."""
        found = []
        for match in self._pattern.finditer(text):
            name = match.group()
            found.append((match.start(), name, self.by_name.get(name) or self.short_names[name]))
        return found

    def short_name(self, division: Division) -> str:
        if division.level == "district":
            return division.name
        ethnic = self._ethnic_suffix.search(division.name)
        # An ethnic name of one character without 族 is a place's own character: 西藏自治区, not 西 + 藏.
        if ethnic and ethnic.start() >= 2 and ("族" in ethnic.group() or len(ethnic.group()) - 3 >= 2):
            return division.name[: ethnic.start()]
        return self._suffix.sub("", division.name) or division.name

    def city_mentions(self, text: str) -> dict[str, int]:
        """How often ``text`` names each city (by its short name): 深圳 -> 深圳市."""
        counts: dict[str, int] = {}
        for match in self._city_pattern.finditer(text):
            city = self._city_by_short[match.group()].name
            counts[city] = counts.get(city, 0) + 1
        return counts


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_cpca()
