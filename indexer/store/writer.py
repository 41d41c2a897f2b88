"""Writing one generation of the index directory and publishing it (the FAISS directory store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from indexer.gloss import SENSES as GLOSS_SENSES
from indexer.gloss import GlossIndex
from indexer.keyword import KeywordIndex
from indexer.store.catalog import FILE_NAME as CATALOG_FILE
from indexer.store.catalog import write_catalog
from indexer.store.faiss_store import FILE_NAME as FAISS_FILE
from indexer.store.faiss_store import FaissStore
from indexer.store.layout import IndexDirectory, IndexWriteError
from indexer.store.manifest import FILE_NAME as MANIFEST_FILE
from indexer.store.manifest import Manifest, checksum, package_versions, write_manifest


def write_generation(layout: IndexDirectory, paths, embedder, settings, raws, file_status, reports, chunks, units,
                     vectors, duplicates: int) -> str:
    """Write a new generation (vectors, catalog, keyword and gloss indexes, manifest) and publish it;
    ``IndexWriteError`` naming the file or step that failed, with the live generation unchanged."""
    with writing(f"write a new generation in {layout.generations}"), layout.building() as scratch:
        store = FaissStore.create(embedder.dimension, len(vectors))
        store.add(vectors)
        with writing(f"write {FAISS_FILE}"):
            names = store.save(scratch)
        with writing(f"write {CATALOG_FILE}"):
            names.append(write_catalog(scratch, file_status, raws, reports, chunks, units))
        keyword = KeywordIndex.build([chunk.text for chunk in chunks], settings.keyword_tokenizer)
        with writing("write the keyword index"):
            names += keyword.save(scratch)
        gloss = GlossIndex.build([chunk.text for chunk in chunks])
        with writing("write the gloss index"):
            names += gloss.save(scratch)
        generation = layout.next_name()
        manifest = Manifest(
            generation=generation,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            model={"name": embedder.model, "runtime": embedder.runtime, "dimension": embedder.dimension,
                   "vector_space": embedder.vector_space},
            chunking=asdict(settings.chunking),
            units=asdict(settings.units),
            keyword={"kind": "bm25s", "tokenizer": keyword.tokenizer, "documents": keyword.size},
            store={"kind": store.kind, "vectors": len(store)},
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
    except (OSError, RuntimeError, sqlite3.Error, ValueError) as error:
        if isinstance(error, IndexWriteError):
            raise
        raise IndexWriteError(f"could not {what}: {error}; the live generation is unchanged") from error
