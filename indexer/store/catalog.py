"""Report, chunk and file metadata in SQLite: one catalog per segment, one for the generation.

A segment's catalog holds the raw documents, reports, chunks and vectors (units) of the files it was
written for, with a fingerprint of each file's records (``groups``). The generation's catalog holds the
status of every file, its segments in order and, per segment, the files whose records a later segment
replaced (``deleted``). ``Catalog`` reads them as one: the live records of each segment, one segment
after another, so chunk row ``i`` is keyword row ``i`` and unit ``j`` is vector ``j`` of the generation.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.records import (
    Block,
    Chunk,
    CleanDocument,
    OffsetMap,
    RawDocument,
    RemovedLine,
    Report,
    VectorUnit,
)

FILE_NAME = "catalog.sqlite"
SEGMENTS = "segments"  # the generation's folder of segment folders
_SEGMENT_SCHEMA = """
CREATE TABLE raw_documents (source TEXT PRIMARY KEY, file_source TEXT NOT NULL, path TEXT, format TEXT,
    encoding TEXT, sha256 TEXT, text TEXT NOT NULL, blocks TEXT NOT NULL);
CREATE TABLE reports (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, title TEXT, jurisdiction TEXT,
    jurisdiction_parent TEXT, province TEXT, adcode TEXT, year INTEGER, publish_date TEXT, doc_number TEXT,
    issuer TEXT, doc_type TEXT, clean_text TEXT NOT NULL, offset_map TEXT NOT NULL, removed TEXT NOT NULL,
    also_published_at TEXT NOT NULL, reviewed_year INTEGER, provenance TEXT NOT NULL, file_source TEXT NOT NULL);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES reports(doc_id), ordinal INTEGER, start INTEGER, end INTEGER,
    text TEXT NOT NULL, heading_path TEXT NOT NULL);
CREATE INDEX chunks_by_doc ON chunks (doc_id, ordinal);
CREATE TABLE units (vector_id INTEGER PRIMARY KEY, chunk_row INTEGER NOT NULL REFERENCES chunks(row),
    start INTEGER, end INTEGER);
CREATE TABLE groups (file_source TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
"""
_GENERATION_SCHEMA = """
CREATE TABLE files (source TEXT PRIMARY KEY, sha256 TEXT, status TEXT NOT NULL, reason TEXT);
CREATE TABLE segments (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE deleted (segment TEXT NOT NULL, file_source TEXT NOT NULL, PRIMARY KEY (segment, file_source));
"""


def file_source_of(source: str) -> str:
    """Records of a JSON Lines archive are named ``file#line``; the file is what was hashed."""
    return source.split("#", 1)[0]


def write_segment_catalog(
    directory: Path,
    raws: Sequence[RawDocument],
    reports: Sequence[Report],
    chunks: Sequence[Chunk],
    units: Sequence[VectorUnit],
    fingerprints: Mapping[str, str],
) -> str:
    """A segment's catalog: chunk ``i`` is its keyword row ``i``; unit ``j`` its vector ``j``;
    ``fingerprints``: file source -> fingerprint of the file's records."""
    db = sqlite3.connect(directory / FILE_NAME)
    with db:
        db.executescript(_SEGMENT_SCHEMA)
        db.executemany(
            "INSERT INTO raw_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (r.source, file_source_of(r.source), r.path, r.format, r.encoding, r.sha256, r.text,
                 json.dumps([[b.start, b.end, b.origin, b.category, b.link_chars] for b in r.blocks]))
                for r in raws
            ],
        )
        db.executemany(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*_report_row(r), file_source_of(r.source)) for r in reports],
        )
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (i, c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, c.text, json.dumps(c.heading_path, ensure_ascii=False))
                for i, c in enumerate(chunks)
            ],
        )
        row_of = {c.chunk_id: i for i, c in enumerate(chunks)}
        db.executemany(
            "INSERT INTO units VALUES (?, ?, ?, ?)",
            [(j, row_of[u.chunk_id], u.start, u.end) for j, u in enumerate(units)],
        )
        db.executemany("INSERT INTO groups VALUES (?, ?)", sorted(fingerprints.items()))
    db.close()
    return FILE_NAME


def write_catalog(
    directory: Path,
    file_status: Iterable[tuple[str, str | None, str, str | None]],
    segments: Sequence[str],
    deleted: Mapping[str, Iterable[str]],
) -> str:
    """The generation's catalog: the status of every file, its segments in order and, per segment,
    the file sources whose records it no longer serves."""
    db = sqlite3.connect(directory / FILE_NAME)
    with db:
        db.executescript(_GENERATION_SCHEMA)
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", list(file_status))
        db.executemany("INSERT INTO segments VALUES (?, ?)", list(enumerate(segments)))
        db.executemany("INSERT INTO deleted VALUES (?, ?)",
                       [(segment, source) for segment, sources in deleted.items() for source in sorted(sources)])
    db.close()
    return FILE_NAME


def _report_row(report: Report) -> tuple:
    clean = report.clean
    offsets = clean.offset_map
    return (
        report.doc_id, report.source, report.title, report.jurisdiction, report.jurisdiction_parent,
        report.province, report.adcode, report.year, report.publish_date, report.doc_number, report.issuer,
        report.doc_type, clean.text,
        json.dumps([offsets.clean_starts, offsets.raw_starts, offsets.lengths]),
        json.dumps([[r.raw_start, r.raw_end, r.text, r.reason] for r in clean.removed], ensure_ascii=False),
        json.dumps(report.also_published_at, ensure_ascii=False), report.reviewed_year,
        json.dumps(report.provenance, ensure_ascii=False),
    )


@dataclass(frozen=True)
class SegmentRows:
    """Which rows of one segment the generation serves."""

    name: str
    directory: Path
    chunk_live: np.ndarray  # a boolean per chunk row of the segment
    unit_live: np.ndarray  # a boolean per vector of the segment


# SQLite attaches at most 10 databases to one connection (its compiled default); a build merges the
# segments before there are more (``indexer/store/writer.py``).
MAX_SEGMENTS = 8
_SEGMENT_NAME = re.compile(r"s-\d{6,}")


class Catalog:
    """Read access to a generation's catalog and, through it, to its segments' catalogs."""

    def __init__(self, directory: Path) -> None:
        # Read-only, and usable from the threads of a web server.
        self.directory = Path(directory)
        self._db = sqlite3.connect(f"file:{self.directory / FILE_NAME}?mode=ro", uri=True, check_same_thread=False)
        self.segment_names = [name for (name,) in self._db.execute("SELECT name FROM segments ORDER BY position")]
        if not all(_SEGMENT_NAME.fullmatch(name) for name in self.segment_names):  # they are written into SQL
            raise ValueError(f"{self.directory / FILE_NAME} names a segment that is not one: {self.segment_names}")
        self._deleted = {name: set() for name in self.segment_names}
        for segment, source in self._db.execute("SELECT segment, file_source FROM deleted"):
            self._deleted[segment].add(source)
        for number, name in enumerate(self.segment_names):
            self._db.execute(f"ATTACH DATABASE ? AS s{number}",
                             (f"file:{self.directory / SEGMENTS / name / FILE_NAME}?mode=ro",))
        for table in ("raw_documents", "reports"):
            live = [f"SELECT * FROM s{number}.{table} WHERE file_source NOT IN "
                    f"(SELECT file_source FROM main.deleted WHERE segment = '{name}')"
                    for number, name in enumerate(self.segment_names)]
            self._db.execute(f"CREATE TEMP VIEW {table} AS {' UNION ALL '.join(live)}")  # a generation has one at least

    def close(self) -> None:
        self._db.close()

    def file_status(self) -> dict[str, tuple[str | None, str, str | None]]:
        return {s: (h, st, r) for s, h, st, r in self._db.execute("SELECT source, sha256, status, reason FROM files")}

    def fingerprints(self) -> dict[str, tuple[str, str]]:
        """File source -> (segment, fingerprint of its records) for every file the generation serves."""
        found = {}
        for number, name in enumerate(self.segment_names):
            for source, fingerprint in self._db.execute(f"SELECT file_source, fingerprint FROM s{number}.groups"):
                if source not in self._deleted[name]:
                    found[source] = (name, fingerprint)
        return found

    def deleted(self, segment: str) -> set[str]:
        return set(self._deleted[segment])

    def group_count(self, segment: str) -> int:
        """How many files' records the segment holds, served or not."""
        number = self.segment_names.index(segment)
        return self._db.execute(f"SELECT count(*) FROM s{number}.groups").fetchone()[0]

    @cached_property
    def segments(self) -> list[SegmentRows]:
        result = []
        for number, name in enumerate(self.segment_names):
            sources = dict(self._db.execute(f"SELECT doc_id, file_source FROM s{number}.reports"))
            deleted = self._deleted[name]
            chunk_live = np.array([sources[doc_id] not in deleted for (doc_id,) in
                                   self._db.execute(f"SELECT doc_id FROM s{number}.chunks ORDER BY row")], dtype=bool)
            unit_rows = np.array([row for (row,) in self._db.execute(
                f"SELECT chunk_row FROM s{number}.units ORDER BY vector_id")], dtype=np.int64)
            result.append(SegmentRows(name, self.directory / SEGMENTS / name, chunk_live, chunk_live[unit_rows]))
        return result

    def raw_documents(self) -> Iterator[RawDocument]:
        for row in self._db.execute(
            "SELECT source, path, format, encoding, sha256, text, blocks FROM raw_documents ORDER BY source"
        ):
            yield _raw_from_row(row)

    def raw_document(self, source: str) -> RawDocument | None:
        row = self._db.execute(
            "SELECT source, path, format, encoding, sha256, text, blocks FROM raw_documents WHERE source = ?", (source,)
        ).fetchone()
        return _raw_from_row(row) if row else None

    def reports(self, raw_text: bool = True) -> list[Report]:
        """Every report; with ``raw_text`` False their raw documents come without text and blocks (a
        server quotes clean text and reads a raw text when asked: ``raw_document``; at a million vectors
        the raw texts held 135 MB)."""
        return [self._report_from_row(row, raw_text)
                for row in self._db.execute(f"SELECT {_REPORT_COLUMNS} FROM reports ORDER BY source")]

    def report(self, doc_id: str) -> Report | None:
        row = self._db.execute(f"SELECT {_REPORT_COLUMNS} FROM reports WHERE doc_id = ?", (doc_id,)).fetchone()
        return self._report_from_row(row) if row else None

    def chunks(self) -> list[Chunk]:
        """The live chunks in row order (the keyword index's document order)."""
        chunks = []
        for number, segment in enumerate(self.segments):
            rows = self._db.execute(f"SELECT {_CHUNK_COLUMNS} FROM s{number}.chunks ORDER BY row")
            chunks += [_chunk_from_row(row) for row, live in zip(rows, segment.chunk_live) if live]
        return chunks

    def _raw_without_text(self, source: str) -> RawDocument:
        path, fmt, encoding, sha256 = self._db.execute(
            "SELECT path, format, encoding, sha256 FROM raw_documents WHERE source = ?", (source,)).fetchone()
        return RawDocument(source, path, fmt, encoding, sha256, "", ())

    def unit_rows(self) -> list[tuple[int, int, int]]:
        """``(chunk_row, start, end)`` of every live vector, in vector order."""
        found, offset = [], 0
        for number, segment in enumerate(self.segments):
            row_of = np.cumsum(segment.chunk_live) - 1 + offset  # the generation's row of each live chunk
            units = self._db.execute(f"SELECT chunk_row, start, end FROM s{number}.units ORDER BY vector_id")
            found += [(int(row_of[row]), start, end) for (row, start, end), live in zip(units, segment.unit_live) if live]
            offset += int(segment.chunk_live.sum())
        return found

    def unit_texts(self) -> list[str]:
        """The text of every vector, in vector order (each a span of its chunk)."""
        chunks = self.chunks()
        return [chunks[row].text[start - chunks[row].start : end - chunks[row].start]
                for row, start, end in self.unit_rows()]

    def _report_from_row(self, row: tuple, raw_text: bool = True) -> Report:
        (doc_id, source, title, jurisdiction, parent, province, adcode, year, publish_date, doc_number, issuer,
         doc_type, clean_text, offset_map, removed, also, reviewed_year, provenance) = row
        raw = self.raw_document(source) if raw_text else self._raw_without_text(source)
        clean = CleanDocument(
            raw=raw,
            text=clean_text,
            offset_map=OffsetMap(*(tuple(part) for part in json.loads(offset_map))),
            removed=tuple(RemovedLine(*item) for item in json.loads(removed)),
        )
        return Report(doc_id, source, title, jurisdiction, parent, province, adcode, year, publish_date, doc_number,
                      issuer, doc_type, clean, tuple(json.loads(also)), reviewed_year,
                      tuple(tuple(pair) for pair in json.loads(provenance)))


_REPORT_COLUMNS = (
    "doc_id, source, title, jurisdiction, jurisdiction_parent, province, adcode, year, publish_date, doc_number,"
    " issuer, doc_type, clean_text, offset_map, removed, also_published_at, reviewed_year, provenance"
)
_CHUNK_COLUMNS = "chunk_id, doc_id, ordinal, start, end, text, heading_path"


def _raw_from_row(row: tuple) -> RawDocument:
    source, path, fmt, encoding, sha256, text, blocks = row
    return RawDocument(source, path, fmt, encoding, sha256, text, tuple(Block(*b) for b in json.loads(blocks)))


def _chunk_from_row(row: tuple) -> Chunk:
    chunk_id, doc_id, ordinal, start, end, text, heading_path = row
    return Chunk(chunk_id, doc_id, ordinal, start, end, text, tuple(json.loads(heading_path)))


__all__ = ["Catalog", "SegmentRows", "file_source_of", "write_catalog", "write_segment_catalog"]
