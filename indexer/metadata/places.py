"""The place a title, file name or sentence names, with its parent and province.

Names come from the gazetteer (cpca's table of every province, city and county) and, for places it does
not list (districts created after its table, 新区 and other functional areas such as 大鹏新区), from
how they are written ("…区" or "…新区" before 政府, 管委会, 第…届 or a year): such a name is kept as
written. A district's parent is, in order: a city named with it (深圳市龙华区), its city in the
gazetteer when that is unique, and otherwise the city the document itself names most (南山区 is in
深圳市 and in 鹤岗市; a 坪山区 report names 深圳 dozens of times). Unknown stays unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.metadata.gazetteer import Division, Gazetteer, default_gazetteer

NATIONAL_NAME = "全国"
_NATIONAL = re.compile(r"国务院|中华人民共和国|全国人民代表大会")
# A district the gazetteer does not list, written before what follows a place's name in a title.
_UNLISTED = re.compile(r"(?:(?<=[\d年在市省州、，（）()《》\s_])|^)(?![年在市省州])([\u4e00-\u9fff]{2,3}?(?:新区|区|县))"
                       r"(?=[政人管第\d一二三四五六七八九十（(]|$)")
_GENERIC_STEMS = {"全", "本", "我", "各", "城", "市", "辖", "社", "园", "片", "景", "示范", "自贸", "保税", "开发",
                  "高新", "经开", "功能", "新", "该", "此", "山区", "地区", "老区", "灾区", "试验"}
# A development zone written with the district it is administered as: 高新区(新市区), 经开区（头屯河区）.
_ALIAS_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,8}(?:区|县|市))[(（]$")
_MIN_BODY_MENTIONS = 3


@dataclass(frozen=True)
class Place:
    name: str  # as written, a parenthetical alias kept: 高新区(新市区)
    parent: str | None  # the city of a district or county (a city's province is ``province``)
    province: str | None
    adcode: str | None
    level: str  # national, province, city, district
    parent_evidence: str = ""  # what decided the parent (gazetteer, same text, the body's mentions)


CityCounts = Callable[[], dict[str, int]]  # the document's mentions of each city, computed on demand


def find_place(text: str, body_cities: CityCounts = dict, gazetteer: Gazetteer | None = None) -> Place | None:
    """The most specific place ``text`` names (a district before a city before a province), or None."""
    if not text:
        return None
    gazetteer = gazetteer or default_gazetteer()
    mentions = gazetteer.mentions(text)
    districts = [(start, name, divisions) for start, name, divisions in mentions
                 if any(d.level == "district" for d in divisions)]
    cities = [divisions[0] for _, _, divisions in mentions if divisions[0].level == "city"]
    provinces = [divisions[0] for _, _, divisions in mentions if divisions[0].level == "province"]
    unlisted = _unlisted_districts(text, mentions)
    if districts and (not unlisted or districts[0][0] <= unlisted[0][0]):
        start, name, divisions = districts[0]
        return _district(text, start, name, [d for d in divisions if d.level == "district"], cities, provinces,
                         body_cities, gazetteer)
    if unlisted:
        start, name = unlisted[0]
        return _district(text, start, name, [], cities, provinces, body_cities, gazetteer)
    if cities:
        city = cities[0]
        return Place(city.name, None, city.province, city.adcode, "city")
    if provinces:
        province = provinces[0]
        return Place(province.name, None, province.name, province.adcode, "province")
    if _NATIONAL.search(text):
        return Place(NATIONAL_NAME, None, None, "100000", "national")
    return None


def _unlisted_districts(text: str, mentions) -> list[tuple[int, str]]:
    taken = [(start, start + len(name)) for start, name, _ in mentions]
    found = []
    for match in _UNLISTED.finditer(text):
        start, end = match.span(1)
        name = match.group(1)
        stems = {name[:-1], name.removesuffix("新区")}
        # 高新区(新市区): the zone is written with the district it is; the district names the place.
        aliased = text[end : end + 1] in ("(", "（") and any(s == end + 1 for s, _ in taken)
        if stems & _GENERIC_STEMS or aliased or any(s < end and start < e for s, e in taken):
            continue
        found.append((start, name))
    return found


def _district(text, start, name, divisions: list[Division], cities: list[Division], provinces, body_cities,
              gazetteer) -> Place:
    written = _written_with_alias(text, start, name)
    named_city = next((c for c in cities if c.name != name), None)
    candidates = [d for d in divisions if d.city or d.province]
    if named_city is not None:
        # 深圳市龙华区: the city written with it decides, even where the gazetteer knows another 龙华区.
        match = next((d for d in candidates if d.city == named_city.name), None)
        return Place(written, named_city.name, named_city.province, match.adcode if match else None, "district",
                     "named with it")
    counts = body_cities()
    # Of the places of that name, the one whose city the document names (南山区: 深圳市 or 鹤岗市).
    ranked = sorted(candidates, key=lambda d: -counts.get(d.city or "", 0))
    if ranked and counts.get(ranked[0].city or "", 0) > 0:
        best = ranked[0]
        evidence = "gazetteer" if len(candidates) == 1 else f"gazetteer, settled by the text's mentions of {best.city}"
        return Place(written, best.parent, best.province, best.adcode, "district", evidence)
    # A district the gazetteer does not list, or lists in a city the document never names (its table
    # has 海口's 龙华区, not 深圳's): the city the document names most, if one clearly does.
    city = _most_named_city(counts, gazetteer)
    if city is not None:
        return Place(written, city.name, city.province, None, "district",
                     f"the city the text names most ({counts[city.name]} times)")
    if len(candidates) == 1:
        only = candidates[0]
        return Place(written, only.parent, only.province, only.adcode, "district", "gazetteer")
    province = provinces[0].name if provinces else None
    return Place(written, province, province, None, "district", "named with it" if province else "")


def _most_named_city(counts: dict[str, int], gazetteer: Gazetteer) -> Division | None:
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < _MIN_BODY_MENTIONS or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    return next(d for d in gazetteer.by_name[ranked[0][0]] if d.level == "city")


def _written_with_alias(text: str, start: int, name: str) -> str:
    end = start + len(name)
    alias = _ALIAS_BEFORE.search(text[:start])
    if alias and text[end : end + 1] in (")", "）"):
        return f"{alias.group(1)}{text[start - 1]}{name}{text[end]}"
    return name
