"""Typed records that flow between the stages of the pipeline.

Every stage takes records and returns new ones; none mutates its input. Offsets are character offsets
into Python strings: ``RawDocument.text`` for blocks and ``CleanDocument.text`` for everything after
cleaning.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A piece of the raw text and where it came from in the file (a line, an HTML element, a page)."""

    start: int
    end: int
    origin: str
    category: str = "text"
    link_chars: int = 0  # characters of link text inside the block (HTML), a sign of navigation


@dataclass(frozen=True)
class RawDocument:
    """A file's text as read, before any cleaning."""

    source: str  # path relative to the indexed root
    path: str  # absolute path at ingest time
    format: str  # txt, md, html, docx, pdf, jsonl
    encoding: str
    sha256: str  # of the file's bytes
    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets in clean text back to offsets in raw text.

    Clean text is made of segments, each copied verbatim from the raw text: segment ``i`` starts at
    ``clean_starts[i]`` in the clean text and at ``raw_starts[i]`` in the raw text. Characters
    between segments in the clean text (inserted newlines, collapsed spaces) map to the raw offset of
    the next segment.
    """

    clean_starts: tuple[int, ...]
    raw_starts: tuple[int, ...]
    lengths: tuple[int, ...]

    def to_raw(self, clean_offset: int) -> int:
        i = bisect_right(self.clean_starts, clean_offset) - 1
        if i < 0:
            return self.raw_starts[0] if self.raw_starts else 0
        inside = clean_offset - self.clean_starts[i]
        if inside <= self.lengths[i]:
            return self.raw_starts[i] + inside
        return self.raw_starts[i + 1] if i + 1 < len(self.raw_starts) else self.raw_starts[i] + self.lengths[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covering clean ``[start, end)``; ``end`` maps from its last character."""
        if end <= start:
            raw = self.to_raw(start)
            return raw, raw
        return self.to_raw(start), self.to_raw(end - 1) + 1


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleaner dropped, with the reason, for ``reports clean`` and the cleaning eval."""

    raw_start: int
    raw_end: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanDocument:
    raw: RawDocument
    text: str
    offset_map: OffsetMap
    removed: tuple[RemovedLine, ...]


@dataclass(frozen=True)
class Report:
    """A cleaned document with what a researcher filters and cites by."""

    doc_id: str
    source: str
    title: str
    jurisdiction: str | None
    jurisdiction_parent: str | None
    province: str | None
    adcode: str | None
    year: int | None  # the year the report covers
    publish_date: str | None  # ISO, possibly partial: 2018-01-19, 2018-01
    doc_number: str | None  # 文号
    issuer: str | None
    doc_type: str  # annual_report, work_plan, notice, government_work_report, other
    clean: CleanDocument = field(repr=False)
    also_published_at: tuple[str, ...] = ()
    reviewed_year: int | None = None  # the year whose work it reports, where that differs from ``year``
    # Which evidence decided each field: (field, evidence) pairs, e.g. ("jurisdiction", "file name").
    provenance: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return self.clean.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Where clean ``[start, end)`` lies in the source file's text (``?raw=true`` of the documents API):
        for .txt and .md the file's own characters, for HTML, DOCX and PDF the text parsed from them."""
        return self.clean.offset_map.raw_span(start, end)

    def evidence(self, field_name: str) -> str:
        return dict(self.provenance).get(field_name, "")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    ordinal: int
    start: int  # in the report's clean text
    end: int
    text: str
    heading_path: tuple[str, ...]


@dataclass(frozen=True)
class FileFailure:
    source: str
    reason: str


@dataclass(frozen=True)
class VectorUnit:
    """A span of a chunk that gets its own vector (a sentence, or the whole chunk)."""

    chunk_id: str
    start: int  # in the report's clean text
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A search result: a chunk of a report with its score and highlights (the JSON contract)."""

    doc_id: str
    source: str
    title: str
    jurisdiction: str | None
    year: int | None
    chunk_id: str
    start: int
    end: int
    text: str
    score: float
    highlights: tuple[tuple[int, int], ...] = ()  # [start, end) inside ``text``
    doc_number: str | None = None
    match: str = ""  # "strong" or "weak": whether the passage is evidence for the query (strength.py)
    raw_span: tuple[int, int] | None = None  # the same text in the source file (Report.raw_span)

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id, "source": self.source, "title": self.title, "jurisdiction": self.jurisdiction,
            "year": self.year, "chunk_id": self.chunk_id, "start": self.start, "end": self.end, "text": self.text,
            "score": round(self.score, 6), "highlights": [list(h) for h in self.highlights],
            "doc_number": self.doc_number, "match": self.match,
        } | _raw_json(self.raw_span)


@dataclass(frozen=True)
class SummarySentence:
    """A sentence quoted verbatim: ``report.text[start:end] == text``."""

    text: str
    doc_id: str
    start: int
    end: int
    note: str = ""  # in an overview: how widely the point is shared
    raw_span: tuple[int, int] | None = None  # the same text in the source file (Report.raw_span)
    # The note's parts, for a page that words it in its own language: "typical" with the number of
    # other groups, or "distinctive" with the one group that says it.
    note_kind: str = ""
    note_about: str = ""

    def to_json(self) -> dict:
        data = {"text": self.text, "doc_id": self.doc_id, "start": self.start, "end": self.end}
        notes = {"note": self.note, "note_kind": self.note_kind, "note_about": self.note_about} if self.note else {}
        return data | notes | _raw_json(self.raw_span)


@dataclass(frozen=True)
class Figure:
    """A number an answer cites, in the clause that states it: ``report.text[start:end] == text``."""

    value: float
    unit: str  # or measure word: 件, 人, %, 万元 ...
    what: str  # the phrase it counts: 出庭应诉, 胜诉率
    text: str
    doc_id: str
    start: int
    end: int
    jurisdiction: str
    year: int | None
    raw_span: tuple[int, int] | None = None  # the same text in the source file (Report.raw_span)

    def to_json(self) -> dict:
        return {"value": self.value, "unit": self.unit, "what": self.what, "text": self.text, "doc_id": self.doc_id,
                "start": self.start, "end": self.end, "jurisdiction": self.jurisdiction,
                "year": self.year} | _raw_json(self.raw_span)


@dataclass(frozen=True)
class AnswerGroup:
    key: str
    label: str
    years: tuple[int, ...]
    evidence: float  # calibrated strength of the best passage (see summarizer/evidence.py)
    summary: tuple[SummarySentence, ...]
    passages: tuple[Passage, ...]
    # "planned" when the quotes come from plans (工作要点, 实施方案: intentions, not results), "reported"
    # when from reports of what was done, "mixed" when both.
    stance: str = "reported"
    doc_types: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()  # the numbers of its evidence that answer the question

    def to_json(self) -> dict:
        return {"key": self.key, "label": self.label, "years": list(self.years), "evidence": round(self.evidence, 3),
                "stance": self.stance, "doc_types": list(self.doc_types),
                "summary": [s.to_json() for s in self.summary], "passages": [p.to_json() for p in self.passages],
                "figures": [f.to_json() for f in self.figures]}


@dataclass(frozen=True)
class YearEntry:
    """One year of a place's reports in a comparison: the answer's group for it, or silence."""

    year: int | None
    group_key: str | None  # None: that year's reports say nothing about the question
    doc_ids: tuple[str, ...]
    titles: tuple[str, ...] = ()  # of those reports, to name a silent year's

    def to_json(self) -> dict:
        return {"year": self.year, "group": self.group_key, "silent": self.group_key is None,
                "doc_ids": list(self.doc_ids), "titles": list(self.titles)}


@dataclass(frozen=True)
class PlaceYears:
    """A place with reports of several years, year by year (``reports answer --compare years``)."""

    key: str
    label: str
    years: tuple[YearEntry, ...]

    def to_json(self) -> dict:
        return {"key": self.key, "label": self.label, "years": [y.to_json() for y in self.years]}


@dataclass(frozen=True)
class Answer:
    question: str
    group_by: str
    groups: tuple[AnswerGroup, ...]
    without_evidence: tuple[str, ...]  # labels of the groups in scope with nothing relevant
    overview: tuple[SummarySentence, ...] = ()
    generation: str = ""
    # False when the archive does not speak of the question at all (its words are not the reports'):
    # then there are no groups, whatever a passage happens to share with it.
    covered: bool = True
    archive_share: float = 1.0  # the measure behind ``covered`` (search_api/search/strength.py)
    comparison: tuple[PlaceYears, ...] = ()  # filled when years are compared
    notice: str = ""  # why nothing was in scope: filters no report passes

    def to_json(self) -> dict:
        return {"question": self.question, "group_by": self.group_by, "covered": self.covered,
                "archive_share": round(self.archive_share, 3), "groups": [g.to_json() for g in self.groups],
                "without_evidence": list(self.without_evidence), "overview": [s.to_json() for s in self.overview],
                "comparison": [c.to_json() for c in self.comparison], "notice": self.notice,
                "generation": self.generation}


def _raw_json(raw_span: tuple[int, int] | None) -> dict:
    return {"raw_start": raw_span[0], "raw_end": raw_span[1]} if raw_span else {}
