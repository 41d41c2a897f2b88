"""Place names from the cpca gazetteer (every province, city and county of China, with adcodes)."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    name: str  # as written in the text, with a parenthetical alias kept: 高新区(新市区)
    parent: str | None  # the city of a district or county
    province: str | None
    adcode: str | None
    level: str  # province, city, district


# A development zone written with the district it is administered as: 高新区(新市区), 经开区（头屯河区）.
_ALIAS_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,8}(?:区|县|市))[(（]$")


@lru_cache(maxsize=1)
def _cpca():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cpca imports the deprecated pkg_resources
        import cpca
    return cpca


def find_place(text: str) -> Place | None:
    """The most specific place named in ``text`` (a title or an issuer line), or None."""
    if not text:
        return None
    record = _cpca().transform([text], pos_sensitive=True).to_dict("records")[0]
    province, city, district = record.get("省"), record.get("市"), record.get("区")
    for level, name, position, parent in (
        ("district", district, record.get("区_pos"), city),
        ("city", city, record.get("市_pos"), province),
        ("province", province, record.get("省_pos"), None),
    ):
        if not name or position is None or position < 0:
            continue
        written = _written_name(text, position, name)
        if written is None:
            continue
        return Place(written, parent if level != "province" else None, province, record.get("adcode"), level)
    return None


def _written_name(text: str, position: int, name: str) -> str | None:
    """The name as the text writes it; cpca also reports names it only inferred (e.g. a city from a district)."""
    written = text[position : position + len(name)]
    if written != name:
        # Abbreviations such as 乌鲁木齐 for 乌鲁木齐市.
        short = name.rstrip("市省区县")
        if not text.startswith(short, position):
            return None
        written = name
    closing = text[position + len(name) : position + len(name) + 1]
    alias = _ALIAS_BEFORE.search(text[:position])
    if alias and closing in (")", "）"):
        return f"{alias.group(1)}{text[position - 1]}{written}{closing}"
    return written
