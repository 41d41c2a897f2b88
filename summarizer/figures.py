"""Figures: the numeric facts of a group's evidence that answer the question, each with its citation.

A figure is a number with its unit or measure word (798件, 78.9%, 1.2亿元) and the phrase it counts, the
words of its clause before it ("共出庭应诉798件" counts 出庭应诉). Reports state a total and then break
it down ("共出庭应诉798件，其中上期结转17件，本期发生781件。应诉的798件案件中，已审结604件"): a researcher
asks for the total, so the parts are left out, namely
- the clauses after 其中 ("of which") that count in the same unit as the total before it, and
- a sentence that opens on a total already given ("应诉的798件案件中，...": "of the 798 cases, ...").
A figure is kept when its sentence is among the group's relevant ones and the phrase it counts holds a
term of the question, or when it is a rate (胜诉率78.9%) that qualifies a figure kept in its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Longest first, so 万元 wins over 元 and 人次 over 人. Time words that date rather than count (年, 月,
# 日, 号) are not units: "2017年" is a year, "〔2017〕15号" a document number.
UNITS = sorted(
    "% ％ 个百分点 百分点 亿元 万元 千元 元 万人次 人次 万人 人 件次 件 宗 起 例 项 次 个 家 户 名 位 所 场 期 批 部 "
    "条 份 篇 本 册 套 台 辆 处 座 万平方米 平方米 公里 千米 亩 个工作日 工作日 小时 天 万册 余件".split(),
    key=len, reverse=True,
)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?<![\d.〔\[［(（第])({_NUMBER})\s*(?:余|多)?\s*({'|'.join(map(re.escape, UNITS))})"
)
_CLAUSE_END = re.compile(r"[，,；;：:、。！？!?\n]")
_TOTAL_WORDS = re.compile(r"共计|合计|总计|累计|共")
_LEADING = re.compile(
    r"^(?:\d{4}年度?|\d{1,2}月份?|其中|经统计|全年|今年以来|今年|本年度|年内|依法|分别|另外|此外|同时|并|对|向|有)+"
)
_TRAILING = re.compile(r"(?:共计|合计|总计|累计|共|达到|达|为|是|约|近|超过|逾|分别|有)+$")
_OF_WHICH = "其中"
# "应诉的798件案件中，": a sentence that opens on a total given before, to break it down.
_BREAKDOWN_OPENING = re.compile(rf"^[^，,；;。]{{0,20}}?{_NUMBER}\s*[^\d，,；;。]{{0,6}}中[，,]")
RATE_UNITS = frozenset({"%", "％", "个百分点", "百分点"})


@dataclass(frozen=True)
class FigureMention:
    """A number in a sentence: offsets are into that sentence."""

    value: float
    unit: str
    what: str  # the phrase it counts, "" when its clause has none
    start: int  # of its clause, which is what a citation quotes
    end: int  # of its clause
    part_of_total: bool  # a breakdown of a total stated before


def find_figures(sentence: str) -> list[FigureMention]:
    """Every number with a unit in ``sentence``, in order, with the phrase it counts."""
    mentions: list[FigureMention] = []
    breakdown_sentence = bool(_BREAKDOWN_OPENING.match(sentence))
    of_which_unit = None  # the unit of the total that an open 其中 breaks down
    last_unit = None
    previous_end = 0
    for match in _FIGURE.finditer(sentence):
        clause_start = _clause_start(sentence, match.start())
        # "167项其他权力等2232项": what the second number counts starts after the first.
        phrase_start = max(clause_start, previous_end)
        clause = sentence[phrase_start : match.start()]
        unit = match.group(2)
        if _OF_WHICH in clause:
            of_which_unit = last_unit
        elif of_which_unit is not None and unit != of_which_unit:
            of_which_unit = None  # another measure (a rate after counts): the breakdown is over
        part = breakdown_sentence or (of_which_unit is not None and unit == of_which_unit)
        what = _what(clause)
        if len(what) < 2:  # "共对4526件案件进行了行政调解": the counted thing follows the number
            what = _what(sentence[match.end() : _clause_end(sentence, match.end())])
        clause_end = max(match.end(), _clause_end(sentence, match.end()))
        mentions.append(FigureMention(_value(match.group(1)), unit, what, clause_start, clause_end, part))
        last_unit, previous_end = unit, match.end()
    return mentions


def _clause_start(sentence: str, position: int) -> int:
    ends = [m.end() for m in _CLAUSE_END.finditer(sentence, 0, position)]
    start = ends[-1] if ends else 0
    while start < position and sentence[start].isspace():
        start += 1
    return start


def _clause_end(sentence: str, position: int) -> int:
    end = _CLAUSE_END.search(sentence, position)
    return end.start() if end else len(sentence)


def _what(clause: str) -> str:
    """The counted phrase: after a total word when words follow it ("全市…共出庭应诉" -> 出庭应诉), else
    before it ("行政应诉案件共计" -> 行政应诉案件); framing words trimmed."""
    parts = _TOTAL_WORDS.split(clause)
    after, before = parts[-1].strip(), parts[0].strip()
    what = after if len(parts) > 1 and after else before
    previous = None
    while what != previous:
        previous = what
        what = _TRAILING.sub("", _LEADING.sub("", what.strip(" 　“”\"'（）()")))
    return what


def _value(number: str) -> float:
    return float(number.replace(",", ""))


def relevant_mentions(sentence: str, holds_question_term: Callable[[str], bool]) -> Iterable[FigureMention]:
    """The figures of a relevant sentence that answer the question (see the module docstring)."""
    mentions = [m for m in find_figures(sentence) if m.what and not m.part_of_total]
    kept = [m for m in mentions if m.unit not in RATE_UNITS and holds_question_term(m.what)]
    if not kept:
        return []
    rates = [m for m in mentions if m.unit in RATE_UNITS]
    return sorted(kept + rates, key=lambda m: m.start)
