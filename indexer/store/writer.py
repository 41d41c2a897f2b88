"""Writing one generation of the index directory and publishing it (the FAISS directory store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from indexer.derived_cache import DerivedCache
from indexer.gloss import SENSES as GLOSS_SENSES
from indexer.gloss import GlossIndex
from indexer.keyword import KeywordIndex, segment_texts
from indexer.store.catalog import FILE_NAME as CATALOG_FILE
from indexer.store.catalog import write_catalog
from indexer.store.layout import IndexWriteError
from indexer.store.manifest import FILE_NAME as MANIFEST_FILE
from indexer.store.manifest import Manifest, checksum, package_versions, write_manifest


def write_generation(layout, paths, embedder, settings, raws, file_status, reports, chunks, units,
                     vectors, duplicates: int, derived: DerivedCache | None = None) -> str:
    """Write a new generation (vectors, catalog, keyword and gloss indexes, manifest) and publish it;
    ``IndexWriteError`` naming the file or step that failed, with the live generation unchanged.
    ``derived``: where chunk texts segmented by earlier builds are found."""
    with writing(f"write a new generation in {layout.describe()}"), layout.building() as scratch:
        generation = layout.next_name()
        with writing(f"write {layout.vectors_name(generation)}"):
            store_kind, names = layout.write_vectors(scratch, generation, vectors, reports, chunks, units)
        with writing(f"write {CATALOG_FILE}"):
            names.append(write_catalog(scratch, file_status, raws, reports, chunks, units))
        texts = [chunk.text for chunk in chunks]
        segmented = segment_texts(texts, derived)
        keyword = KeywordIndex.build(texts, settings.keyword_tokenizer, segmented)
        with writing("write the keyword index"):
            names += keyword.save(scratch)
        gloss = GlossIndex.build(texts, segmented=segmented)
        with writing("write the gloss index"):
            names += gloss.save(scratch)
        manifest = Manifest(
            generation=generation,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            model={"name": embedder.model, "runtime": embedder.runtime, "dimension": embedder.dimension,
                   "vector_space": embedder.vector_space},
            chunking=asdict(settings.chunking),
            units=asdict(settings.units),
            keyword={"kind": "bm25s", "tokenizer": keyword.tokenizer, "documents": keyword.size},
            store={"kind": store_kind, "vectors": len(vectors)},
            counts={
                "files": len(file_status),
                "failed": sum(1 for *_, status, _ in file_status if status == "failed"),
                "documents": len(raws),
                "reports": len(reports),
                "duplicates": duplicates,
                "chunks": len(chunks),
                "units": len(units),
            },
            roots=[str(Path(p).resolve()) for p in paths],
            versions=package_versions() | {"pipeline": settings.pipeline_version},
            files={name: checksum(scratch / name) for name in names},
            gloss={"kind": "cedict-bm25", "senses": GLOSS_SENSES, "documents": gloss.size},
        )
        with writing(f"write {MANIFEST_FILE}"):
            write_manifest(scratch, manifest)
        with writing(f"publish {generation}"):
            layout.publish(scratch, generation)
    return generation


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
