"""Writing one generation (segments kept and written, catalog, vectors, manifest) and publishing it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexer.derived_cache import DerivedCache
from indexer.gloss import SENSES as GLOSS_SENSES
from indexer.store.catalog import FILE_NAME as CATALOG_FILE
from indexer.store.catalog import MAX_SEGMENTS, SEGMENTS, Catalog, file_source_of, write_catalog
from indexer.store.layout import IndexWriteError
from indexer.store.manifest import FILE_NAME as MANIFEST_FILE
from indexer.store.manifest import Manifest, checksum, package_versions, read_manifest, write_manifest
from indexer.store.segment import link_segment, segment_name, write_segment


@dataclass(frozen=True)
class SegmentPlan:
    """What a new generation keeps of the live one and what it writes."""

    kept: list[str]  # segments of the live generation linked into the new one, in order
    deleted: dict[str, set[str]]  # kept segment -> file sources whose records it no longer serves
    written: dict[str, str]  # file source -> fingerprint, of the files whose records go into the new segment

    @classmethod
    def everything(cls, file_fingerprints: dict[str, str]) -> SegmentPlan:
        return cls([], {}, dict(file_fingerprints))

    def records(self, raws, reports, chunks, units) -> tuple[list, list, list, list]:
        """The raw documents, reports, chunks and units of the new segment: those derived from the
        files it is written for."""
        doc_ids = {report.doc_id for report in reports if file_source_of(report.source) in self.written}
        chunk_ids = {chunk.chunk_id for chunk in chunks if chunk.doc_id in doc_ids}
        return ([raw for raw in raws if file_source_of(raw.source) in self.written],
                [report for report in reports if report.doc_id in doc_ids],
                [chunk for chunk in chunks if chunk.chunk_id in chunk_ids],
                [unit for unit in units if unit.chunk_id in chunk_ids])


# A segment is rewritten with the rest once a third of what the kept segments hold is dead (their
# files changed since): dead rows cost memory and load time, and so do many small segments.
MAX_DEAD_SHARE = 1 / 3


def plan_segments(live: Catalog | None, file_fingerprints: dict[str, str]) -> SegmentPlan:
    """Keep every file of the ``live`` generation whose records are unchanged where they are; write
    the others into one new segment, or everything into one when that leaves too many segments or
    too much dead weight."""
    if live is None:
        return SegmentPlan.everything(file_fingerprints)
    served = live.fingerprints()
    unchanged = {source for source, fingerprint in file_fingerprints.items()
                 if served.get(source, ("", ""))[1] == fingerprint}
    kept = [name for name in live.segment_names if any(served[s][0] == name for s in unchanged)]
    deleted = {name: live.deleted(name) | {s for s, (segment, _) in served.items()
                                           if segment == name and s not in unchanged} for name in kept}
    written = {source: fingerprint for source, fingerprint in file_fingerprints.items() if source not in unchanged}
    dead = sum(len(sources) for sources in deleted.values())
    total = sum(live.group_count(name) for name in kept)
    if len(kept) + bool(written) > MAX_SEGMENTS or (total and dead / total > MAX_DEAD_SHARE):
        return SegmentPlan.everything(file_fingerprints)
    return SegmentPlan(kept, deleted, written)


def write_generation(layout, paths, embedder, settings, raws, file_status, reports, duplicates: int,
                     plan: SegmentPlan, written: tuple[list, list, list, list], vectors: np.ndarray,
                     live: Path | None = None, derived: DerivedCache | None = None) -> str:
    """Write a new generation and publish it: the segments of ``live`` (the live generation's folder)
    that ``plan`` keeps, linked, and one new segment holding ``written`` (``plan.records``) with
    ``vectors``, one per unit of those; ``IndexWriteError`` naming the file or step that failed, with
    the live generation unchanged. ``derived``: where chunk texts segmented by earlier builds are found."""
    with writing(f"write a new generation in {layout.describe()}"), layout.building() as scratch:
        generation = layout.next_name()
        previous = read_manifest(live).files if plan.kept else {}
        files = {}
        for name in plan.kept:
            with writing(f"link segment {name}"):
                link_segment(live / SEGMENTS / name, scratch / SEGMENTS / name)
            files |= {path: entry for path, entry in previous.items() if path.startswith(f"{SEGMENTS}/{name}/")}
        segments = list(plan.kept)
        if plan.written or not segments:  # a generation has one segment at least
            new = segment_name(generation)
            folder = scratch / SEGMENTS / new
            with writing(f"write segment {new}"):
                names = write_segment(folder, *written, vectors if layout.segment_vectors else None,
                                      plan.written, settings.keyword_tokenizer, derived)
            files |= {f"{SEGMENTS}/{new}/{name}": checksum(folder / name) for name in names}
            segments.append(new)
        with writing(f"write {CATALOG_FILE}"):
            write_catalog(scratch, file_status, segments, plan.deleted)
        with closing(Catalog(scratch)) as catalog:
            counts = _live_counts(catalog)
            with writing(f"write {layout.vectors_name(generation)}"):
                store_kind, names = layout.write_vectors(scratch, generation, catalog, written, vectors)
        files |= {name: checksum(scratch / name) for name in [CATALOG_FILE, *names]}
        manifest = Manifest(
            generation=generation,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            model={"name": embedder.model, "runtime": embedder.runtime, "dimension": embedder.dimension,
                   "vector_space": embedder.vector_space},
            chunking=asdict(settings.chunking),
            units=asdict(settings.units),
            keyword={"kind": "bm25", "tokenizer": settings.keyword_tokenizer, "documents": counts["chunks"]},
            store={"kind": store_kind, "vectors": counts["units"]},
            counts={
                "files": len(file_status),
                "failed": sum(1 for *_, status, _ in file_status if status == "failed"),
                "documents": len(raws),
                "reports": len(reports),
                "duplicates": duplicates,
                "chunks": counts["chunks"],
                "units": counts["units"],
            },
            roots=[str(Path(p).resolve()) for p in paths],
            versions=package_versions() | {"pipeline": settings.pipeline_version},
            files=files,
            gloss={"kind": "cedict+ecdict-bm25", "senses": GLOSS_SENSES, "documents": counts["chunks"]},
            segments=segments,
        )
        with writing(f"write {MANIFEST_FILE}"):
            write_manifest(scratch, manifest)
        with writing(f"publish {generation}"):
            layout.publish(scratch, generation)
    return generation


def _live_counts(catalog: Catalog) -> dict[str, int]:
    return {"chunks": sum(int(s.chunk_live.sum()) for s in catalog.segments),
            "units": sum(int(s.unit_live.sum()) for s in catalog.segments)}


@contextmanager
def writing(what: str) -> Iterator[None]:
    try:
        yield
    except Exception as error:
        if isinstance(error, IndexWriteError) or not _is_write_failure(error):
            raise
        raise IndexWriteError(f"could not {what}: {error}; the live generation is unchanged") from error


def _is_write_failure(error: Exception) -> bool:
    """Disk, SQLite or database errors (psycopg's, without importing it for a directory index)."""
    return (isinstance(error, (OSError, RuntimeError, sqlite3.Error, ValueError))
            or type(error).__module__.split(".")[0] in ("psycopg", "psycopg_pool"))
