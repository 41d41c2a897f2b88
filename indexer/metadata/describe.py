"""Describe a cleaned document: title, jurisdiction, year, publish date, 文号, issuer and type.

The jurisdiction is taken from the first evidence that names a place, in this order (the kind of
evidence that decided each field is kept in ``Report.provenance``):

1. the file name ("深圳市龙华区2019年法治政府建设工作报告_2019.txt"; the scraper's "_2019" suffix only
   for the year), then
2. a title line at the top of the text (for JSON Lines, the record's ``title``),
3. the speech's own words: "我代表坪山区人民政府向大会报告工作", "在深圳市罗湖区第七届人民代表大会…会议上",
4. an issuer or signature line ("昌吉市人民政府办公室"),
5. the 文号's prefix (昌市政办发 -> the 昌…市 the text names),
6. the names of the folders holding the file.
Title, type and year come from the title line first, then the file name (the scraper's suffix, then the
publish date, only for the year). A place's parent and province come from the gazetteer, settled by the cities the text names where the
gazetteer has several places of that name or none (see places.py). Unknown stays unknown: a body
sentence is never a title or a place; without a title line the title is the file name.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import PurePosixPath

from indexer.metadata.gazetteer import default_gazetteer
from indexer.metadata.places import Place, find_place
from indexer.records import CleanDocument, Report

# 文号: issuer abbreviation, year in 〔〕 (or look-alike brackets), serial number: 昌市政办发〔2019〕18号.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(
    r"^(?:(?:发布|成文|印发)(?:时间|日期)[:：]\s*)?"
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)?\s*(?:(\d{1,2})\s*日?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*年|[)）])")
_SCRAPER_YEAR = re.compile(r"_((?:19|20)\d{2})年?$")
_TITLE_WORDS = re.compile(r"报告|汇报|情况|要点|方案|计划|通知|意见|决定|办法|总结|规划|纲要|建设")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[章节部分篇]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、])")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{2,30}(?:人民政府|政府|管委会|管理委员会)(?:办公室|办公厅)?$")
_SPEAKS_FOR = re.compile(r"我代表([\u4e00-\u9fff（）()]{2,30}?)(?:人民政府|管理委员会|管委会|政府)|我代表(国务院)")
_AT_CONGRESS = re.compile(r"在([\u4e00-\u9fff]{2,20}?)第[一二三四五六七八九十]+届人民代表大会")
_TO_CONGRESS = re.compile(r"各位代表|向大会(?:作)?(?:政府)?(?:工作)?报告|向大会报告|人民代表大会.{0,12}会议")
_REVIEWED = re.compile(r"((?:19|20)\d{2})年(?:工作|政府工作)?回顾|刚刚过去的((?:19|20)\d{2})年")
_SENTENCE_END = re.compile(r"[。；！？]")
_SALUTATION = re.compile(r"[\u4e00-\u9fff、]{2,12}[：:]")
_REPORTS_ITSELF = re.compile(r"(报告|汇报)如下")
_HEADER_LINES = 12
_OPENING_LINES = 40
_MAX_TITLE = 120
# Type by the words of the title (of the inner title for "关于印发《…》的通知"); first match wins.
_TYPES = (
    ("government_work_report", re.compile(r"政府工作报告")),
    ("work_plan", re.compile(r"要点|计划|方案|规划|安排")),
    ("annual_report", re.compile(r"报告|汇报|情况|总结")),
    ("notice", re.compile(r"通知|通报")),
    ("opinion", re.compile(r"意见|决定|办法")),
)


def make_doc_id(source: str) -> str:
    """Stable across rebuilds and content changes, so links and citations keep working."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def describe_report(clean: CleanDocument) -> Report:
    lines = [line.strip() for line in clean.text.split("\n") if line.strip()]
    header, opening = lines[:_HEADER_LINES], lines[:_OPENING_LINES]
    file_title, scraper_year, folders = _file_name_parts(clean.raw.source)
    title_line = find_title(header)
    title, title_evidence = _choose_title(title_line, file_title, clean)
    issuer = _find_issuer(lines)
    doc_number = _find_doc_number(header)
    place, place_evidence = _find_jurisdiction(clean.text, opening, file_title, title_line, issuer, doc_number,
                                               folders, clean.raw.format == "jsonl")
    publish_date = _find_publish_date(header + lines[-_HEADER_LINES:])
    doc_type, type_evidence = _classify(file_title, title_line, title, opening)
    year, year_evidence = _find_year(file_title, title_line, scraper_year, publish_date)
    reviewed = _reviewed_year(doc_type, year, opening)
    provenance = {"title": title_evidence, "jurisdiction": place_evidence, "doc_type": type_evidence,
                  "year": year_evidence}
    if place is not None:
        provenance["jurisdiction_parent"] = place.parent_evidence
    return Report(
        doc_id=make_doc_id(clean.raw.source),
        source=clean.raw.source,
        title=title,
        jurisdiction=place.name if place else None,
        jurisdiction_parent=place.parent if place else None,
        province=place.province if place else None,
        adcode=place.adcode if place else None,
        year=year,
        publish_date=publish_date,
        doc_number=doc_number,
        issuer=issuer or _issuer_from_place(place),
        doc_type=doc_type,
        clean=clean,
        reviewed_year=reviewed if reviewed != year else None,
        provenance=tuple((field, evidence) for field, evidence in provenance.items() if evidence),
    )


def find_title(header: list[str]) -> str | None:
    """The first header line that names a kind of document, before the text begins (a salutation such
    as "各位代表：" or a paragraph); a 《 left open continues on the next lines."""
    for i, line in enumerate(header):
        if _SALUTATION.fullmatch(line) or (len(line) >= 40 and _SENTENCE_END.search(line)):
            return None
        if DOC_NUMBER.fullmatch(line) or _DATE_LINE.match(line) or _SENTENCE_END.search(line):
            continue
        if len(line) > _MAX_TITLE or not _TITLE_WORDS.search(line) or _HEADING.match(line) or line.endswith(("：", ":")):
            continue
        title = line
        for following in header[i + 1 :]:
            if title.count("《") <= title.count("》"):
                break
            title += following
        return title.lstrip("-—").strip()
    return None


def classify_type(title: str, opening: list[str] = ()) -> str:
    """By the title (the inner title of "关于印发《…》的通知"), else by how the text introduces itself.
    A 工作报告 made to a people's congress ("各位代表…向大会报告工作") is a government work report
    whatever the title calls it (管委会工作报告, 2016年10月政府工作报告…)."""
    inner = re.search(r"关于(?:印发|转发|报送|发布)《(.+?)》", title)
    subject = inner.group(1) if inner else title
    for doc_type, pattern in _TYPES:
        if pattern.search(subject):
            if doc_type == "annual_report" and "工作报告" in subject and _speaks_to_congress(opening):
                return "government_work_report"
            return doc_type
    if _speaks_to_congress(opening):
        return "government_work_report"
    if any(_REPORTS_ITSELF.search(line) for line in opening[:_HEADER_LINES]):
        return "annual_report"
    return "other"


def _speaks_to_congress(opening: list[str]) -> bool:
    return sum(1 for line in opening[:_HEADER_LINES] if _TO_CONGRESS.search(line)) >= 1 and any(
        "各位代表" in line or "向大会" in line for line in opening[:_HEADER_LINES])


def _file_name_parts(source: str) -> tuple[str | None, int | None, list[str]]:
    """The file name as a title (when it reads like one), the scraper's year suffix, the folder names."""
    path = PurePosixPath(source.split("#", 1)[0])
    stem = path.stem
    suffix = _SCRAPER_YEAR.search(stem)
    name = stem[: suffix.start()] if suffix else stem
    has_chinese = re.search(r"[\u4e00-\u9fff]{2}", name) is not None
    folders = [part for part in reversed(path.parts[:-1]) if re.search(r"[\u4e00-\u9fff]{2}", part)]
    return (name if has_chinese else None), (int(suffix.group(1)) if suffix else None), folders


def _choose_title(title_line: str | None, file_title: str | None, clean: CleanDocument) -> tuple[str, str]:
    if title_line:
        return title_line, "JSONL title" if clean.raw.format == "jsonl" else "title line"
    if file_title:
        return file_title, "file name"
    return PurePosixPath(clean.raw.source).name, "file name"


def _find_jurisdiction(text, opening, file_title, title_line, issuer, doc_number, folders, jsonl) -> tuple[Place | None, str]:
    @cache
    def body_cities() -> dict[str, int]:
        return default_gazetteer().city_mentions(text)

    sources = [("file name", file_title), ("JSONL title" if jsonl else "title line", title_line)]
    speech = "\n".join(opening)
    sources += [("speaker sentence", match.group(1) or match.group(2)) for match in _SPEAKS_FOR.finditer(speech)][:1]
    sources += [("congress sentence", match.group(1)) for match in _AT_CONGRESS.finditer(speech)][:1]
    sources += [("issuer line", issuer), ("文号 prefix", _doc_number_place(doc_number, text))]
    sources += [("folder name", folder) for folder in folders]
    for evidence, candidate in sources:
        place = find_place(candidate or "", body_cities)
        if place is not None:
            return place, evidence
    return None, ""


def _doc_number_place(doc_number: str | None, text: str) -> str | None:
    """The place a 文号 abbreviates, among the places the text names: 昌市政办发 -> 昌吉市, 东区政 -> 城东区
    (the abbreviation's characters, in order, in a longer name of the same level)."""
    if not doc_number:
        return None
    prefix = re.match(r"([\u4e00-\u9fff]{1,2}?)(市|区|县|州)", doc_number)
    if not prefix:
        return None
    letters, level = prefix.groups()
    for _, name, _ in default_gazetteer().mentions(text.replace(doc_number, "")):
        if name.endswith(level) and len(name) > len(letters) + 1 and _in_order(letters, name[:-1]):
            return name
    return None


def _in_order(letters: str, word: str) -> bool:
    position = 0
    for letter in letters:
        position = word.find(letter, position) + 1
        if not position:
            return False
    return True


def _classify(file_title, title_line, title, opening) -> tuple[str, str]:
    for evidence, candidate in (("title line", title_line), ("file name", file_title)):
        if candidate:
            doc_type = classify_type(candidate, opening)
            if doc_type != "other":
                return doc_type, evidence
    doc_type = classify_type(title, opening)
    return doc_type, "opening lines" if doc_type != "other" else ""


def _find_year(file_title, title_line, scraper_year, publish_date) -> tuple[int | None, str]:
    for evidence, candidate in (("title line", title_line), ("file name", file_title)):
        years = [int(y) for y in _YEAR.findall(candidate or "")]
        if years:
            return years[0], evidence
    if scraper_year:
        return scraper_year, "file name suffix"
    if publish_date:
        # An undated annual report is published early in the following year.
        return int(publish_date[:4]) - 1, "publish date"
    return None, ""


def _reviewed_year(doc_type: str, year: int | None, opening: list[str]) -> int | None:
    """The year whose work a report reports on: a 2021 government work report reviews 2020."""
    if doc_type == "work_plan":
        return None
    for line in opening:
        match = _REVIEWED.search(line)
        if match:
            return int(match.group(1) or match.group(2))
    if doc_type == "government_work_report" and year:
        return year - 1
    return year


def _find_doc_number(header: list[str]) -> str | None:
    """The 文号 stands on a line of its own at the top; numbers cited in the body are other documents'."""
    for line in header:
        if DOC_NUMBER.fullmatch(line.replace(" ", "")):
            return line.replace(" ", "")
    return None


def _find_publish_date(lines: list[str]) -> str | None:
    for line in lines:
        match = _DATE_LINE.match(line)
        if match:
            year, month, day = match.groups()
            if 1949 <= int(year) <= 2100 and 1 <= int(month) <= 12:
                return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    return None


def _find_issuer(lines: list[str]) -> str | None:
    """A standalone government line: at the top (issuing office) or above the closing date (signature)."""
    for line in lines[:_HEADER_LINES] + lines[::-1][:_HEADER_LINES]:
        if _ISSUER_LINE.match(line):
            return line
    return None


def _issuer_from_place(place: Place | None) -> str | None:
    if place is None:
        return None
    return "国务院" if place.level == "national" else f"{place.name}人民政府"
