"""Describe a cleaned document: title, jurisdiction, year, publish date, 文号, issuer and type."""

from __future__ import annotations

import hashlib
import re

from indexer.metadata.places import Place, find_place
from indexer.records import CleanDocument, Report

# 文号: issuer abbreviation, year in 〔〕 (or look-alike brackets), serial number: 昌市政办发〔2019〕18号.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(
    r"^(?:(?:发布|成文|印发)(?:时间|日期)[:：]\s*)?"
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)?\s*(?:(\d{1,2})\s*日?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YEAR = re.compile(r"(\d{4})\s*年")
_TITLE_WORDS = re.compile(r"报告|汇报|情况|要点|方案|计划|通知|意见|决定|办法|总结|规划|纲要|建设")
_ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff()（）]{2,30}(?:人民政府|政府|管委会|管理委员会)(?:办公室|办公厅)?$")
_SENTENCE_END = re.compile(r"[。；！？]")
_REPORTS_ITSELF = re.compile(r"(报告|汇报)如下")
_HEADER_LINES = 12
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
    header = lines[:_HEADER_LINES]
    title = find_title(header) or (lines[0][:_MAX_TITLE] if lines else clean.raw.source)
    issuer = _find_issuer(lines)
    place = find_place(title) or (find_place(issuer) if issuer else None)
    publish_date = _find_publish_date(header + lines[-_HEADER_LINES:])
    return Report(
        doc_id=make_doc_id(clean.raw.source),
        source=clean.raw.source,
        title=title,
        jurisdiction=place.name if place else None,
        jurisdiction_parent=place.parent if place else None,
        province=place.province if place else None,
        adcode=place.adcode if place else None,
        year=_covered_year(title, publish_date),
        publish_date=publish_date,
        doc_number=_find_doc_number(header),
        issuer=issuer or _issuer_from_place(place),
        doc_type=classify_type(title, lines[:_HEADER_LINES]),
        clean=clean,
    )


def find_title(header: list[str]) -> str | None:
    """The first header line that names a kind of document; a 《 left open continues on the next lines."""
    for i, line in enumerate(header):
        if DOC_NUMBER.fullmatch(line) or _DATE_LINE.match(line) or _SENTENCE_END.search(line):
            continue
        if len(line) > _MAX_TITLE or not _TITLE_WORDS.search(line):
            continue
        title = line
        for following in header[i + 1 :]:
            if title.count("《") <= title.count("》"):
                break
            title += following
        return title.lstrip("-—").strip()
    return None


def classify_type(title: str, opening: list[str] = ()) -> str:
    """By the title (the inner title of "关于印发《…》的通知"), else by how the text introduces itself."""
    inner = re.search(r"关于(?:印发|转发|报送|发布)《(.+?)》", title)
    subject = inner.group(1) if inner else title
    for doc_type, pattern in _TYPES:
        if pattern.search(subject):
            return doc_type
    if any(_REPORTS_ITSELF.search(line) for line in opening):
        return "annual_report"
    return "other"


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


def _covered_year(title: str, publish_date: str | None) -> int | None:
    years = [int(y) for y in _YEAR.findall(title) if 1949 <= int(y) <= 2100]
    if years:
        return years[0]
    if publish_date:
        # An undated annual report is published early in the following year.
        return int(publish_date[:4]) - 1
    return None


def _find_issuer(lines: list[str]) -> str | None:
    """A standalone government line: at the top (issuing office) or above the closing date (signature)."""
    for line in lines[:_HEADER_LINES] + lines[::-1][:_HEADER_LINES]:
        if _ISSUER_LINE.match(line):
            return line
    return None


def _issuer_from_place(place: Place | None) -> str | None:
    return f"{place.name}人民政府" if place else None
