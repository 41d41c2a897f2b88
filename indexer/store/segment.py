"""A segment: the records of some files, written once and served by every later generation that keeps them.

::

    segments/s-000007/    written by gen-000007
      catalog.sqlite      raw documents, reports, chunks, units, a fingerprint per file
      vectors.npy         float32, one row per unit (absent when the archive keeps vectors elsewhere)
      keyword/            term frequencies of the chunks (``indexer/terms.py``)
      gloss/              weighted English glosses of the chunks

A new generation links the segments it keeps from the one it replaces (hard links: no byte is
copied) and writes one segment for the files whose records changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.derived_cache import DerivedCache
from indexer.gloss import gloss_postings
from indexer.keyword import keyword_postings, segment_texts
from indexer.records import Chunk, RawDocument, Report, VectorUnit
from indexer.store.catalog import file_source_of, write_segment_catalog

VECTORS = "vectors.npy"
KEYWORD = "keyword"
GLOSS = "gloss"


def segment_name(generation: str) -> str:
    """The segment written by ``generation`` (gen-000007 -> s-000007)."""
    return "s-" + generation.removeprefix("gen-")


def fingerprints(raws: Sequence[RawDocument], reports: Sequence[Report], chunks: Sequence[Chunk],
                 units: Sequence[VectorUnit]) -> dict[str, str]:
    """File source -> SHA-256 of every record derived from the file: a file whose fingerprint is
    unchanged keeps its segment. Records of one file can change while its bytes do not (another file
    became the canonical copy of a duplicate), so the records are compared, not the file."""
    records: dict[str, list] = defaultdict(list)
    for raw in raws:
        records[file_source_of(raw.source)].append(raw)
    file_of_doc = {}
    for report in reports:
        file_of_doc[report.doc_id] = file_source_of(report.source)
        records[file_of_doc[report.doc_id]].append(report)
    file_of_chunk = {}
    for chunk in chunks:
        file_of_chunk[chunk.chunk_id] = file_of_doc[chunk.doc_id]
        records[file_of_doc[chunk.doc_id]].append(chunk)
    for unit in units:
        records[file_of_chunk[unit.chunk_id]].append(unit)
    # Sorted: the records of a file reused from the live generation come in another order than
    # those of a file parsed again (a JSON Lines file's lines by name, not by number).
    return {source: hashlib.sha256("\n".join(sorted(map(repr, items))).encode("utf-8")).hexdigest()
            for source, items in records.items()}


def write_segment(directory: Path, raws, reports, chunks, units, vectors: np.ndarray | None,
                  file_fingerprints: dict[str, str], tokenizer: str, derived: DerivedCache | None = None) -> list[str]:
    """Write one segment into ``directory`` (created); the names of its files, relative to it.
    ``vectors`` None: the archive keeps them itself (PostgreSQL)."""
    directory.mkdir(parents=True)
    names = [write_segment_catalog(directory, raws, reports, chunks, units, file_fingerprints)]
    if vectors is not None:
        np.save(directory / VECTORS, np.ascontiguousarray(vectors, dtype=np.float32))
        names.append(VECTORS)
    texts = [chunk.text for chunk in chunks]
    segmented = segment_texts(texts, derived)
    for folder, postings in ((KEYWORD, keyword_postings(texts, tokenizer, segmented)),
                             (GLOSS, gloss_postings(texts, segmented=segmented))):
        names += [f"{folder}/{name}" for name in postings.save(directory / folder)]
    return names


def link_segment(source: Path, target: Path) -> None:
    """``target`` holds the files of ``source`` without copying them (a copy where links fail)."""
    shutil.copytree(source, target, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def read_vectors(directory: Path, live: np.ndarray) -> np.ndarray:
    vectors = np.load(directory / VECTORS, mmap_mode="r")
    return np.asarray(vectors[live] if not live.all() else vectors, dtype=np.float32)


__all__ = ["GLOSS", "KEYWORD", "VECTORS", "fingerprints", "link_segment", "read_vectors", "segment_name",
           "write_segment"]
