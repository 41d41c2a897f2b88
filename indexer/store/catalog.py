"""Report, chunk and file metadata of one generation, in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

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
_SCHEMA = """
CREATE TABLE files (source TEXT PRIMARY KEY, sha256 TEXT, status TEXT NOT NULL, reason TEXT);
CREATE TABLE raw_documents (source TEXT PRIMARY KEY, file_source TEXT NOT NULL, path TEXT, format TEXT,
    encoding TEXT, sha256 TEXT, text TEXT NOT NULL, blocks TEXT NOT NULL);
CREATE TABLE reports (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL UNIQUE, title TEXT, jurisdiction TEXT,
    jurisdiction_parent TEXT, province TEXT, adcode TEXT, year INTEGER, publish_date TEXT, doc_number TEXT,
    issuer TEXT, doc_type TEXT, clean_text TEXT NOT NULL, offset_map TEXT NOT NULL, removed TEXT NOT NULL,
    also_published_at TEXT NOT NULL, reviewed_year INTEGER, provenance TEXT NOT NULL);
CREATE TABLE chunks (row INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES reports(doc_id), ordinal INTEGER, start INTEGER, end INTEGER,
    text TEXT NOT NULL, heading_path TEXT NOT NULL);
CREATE INDEX chunks_by_doc ON chunks (doc_id, ordinal);
CREATE TABLE units (vector_id INTEGER PRIMARY KEY, chunk_row INTEGER NOT NULL REFERENCES chunks(row),
    start INTEGER, end INTEGER);
"""


def file_source_of(source: str) -> str:
    """Records of a JSON Lines archive are named ``file#line``; the file is what was hashed."""
    return source.split("#", 1)[0]


def write_catalog(
    directory: Path,
    file_status: Iterable[tuple[str, str | None, str, str | None]],
    raws: Sequence[RawDocument],
    reports: Sequence[Report],
    chunks: Sequence[Chunk],
    units: Sequence[VectorUnit],
) -> str:
    """Write a new catalog: chunk ``i`` is keyword-index row ``i``; unit ``j`` is vector ``j``."""
    db = sqlite3.connect(directory / FILE_NAME)
    with db:
        db.executescript(_SCHEMA)
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", list(file_status))
        db.executemany(
            "INSERT INTO raw_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (r.source, file_source_of(r.source), r.path, r.format, r.encoding, r.sha256, r.text,
                 json.dumps([[b.start, b.end, b.origin, b.category, b.link_chars] for b in r.blocks]))
                for r in raws
            ],
        )
        db.executemany(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_report_row(r) for r in reports],
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


class Catalog:
    """Read access to a generation's catalog."""

    def __init__(self, directory: Path) -> None:
        # Read-only, and usable from the threads of a web server.
        uri = f"file:{directory / FILE_NAME}?mode=ro"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def file_status(self) -> dict[str, tuple[str | None, str, str | None]]:
        return {s: (h, st, r) for s, h, st, r in self._db.execute("SELECT source, sha256, status, reason FROM files")}

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
        """All chunks in row order (the keyword index's document order)."""
        return [_chunk_from_row(row) for row in self._db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY row")]

    def _raw_without_text(self, source: str) -> RawDocument:
        path, fmt, encoding, sha256 = self._db.execute(
            "SELECT path, format, encoding, sha256 FROM raw_documents WHERE source = ?", (source,)).fetchone()
        return RawDocument(source, path, fmt, encoding, sha256, "", ())

    def unit_rows(self) -> list[tuple[int, int, int]]:
        """``(chunk_row, start, end)`` of every vector, in vector order."""
        return list(self._db.execute("SELECT chunk_row, start, end FROM units ORDER BY vector_id"))

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


__all__ = ["Catalog", "file_source_of", "write_catalog"]
