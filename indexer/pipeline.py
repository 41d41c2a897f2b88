"""``build_index``: files on disk to a new index generation, incrementally.

Files whose bytes are unchanged since the live generation are not parsed again; chunk texts already
embedded are taken from the cache; a file that fails now but was indexed before keeps its previous
version, so nothing already indexed is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from indexer.chunking import ChunkSettings, chunk_report
from indexer.cleaning import clean_documents
from indexer.dedupe import dedupe_reports
from indexer.embedding import Embedder
from indexer.embedding import check_compatible
from indexer.embedding.cache import EmbeddingCache, text_key
from indexer.ingest import DEFAULT_MAX_FILE_BYTES, SUPPORTED_SUFFIXES, IngestError, ingest_file
from indexer.metadata import describe_report
from indexer.keyword import DEFAULT_TOKENIZER, KeywordIndex
from indexer.records import FileFailure, RawDocument
from indexer.store.catalog import Catalog, file_source_of, write_catalog
from indexer.store.faiss_store import FaissStore
from indexer.store.layout import IndexDirectory
from indexer.units import UnitSettings, vector_units
from indexer.store.manifest import Manifest, checksum, package_versions, read_manifest, write_manifest

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class IndexSettings:
    chunking: ChunkSettings = ChunkSettings()
    units: UnitSettings = UnitSettings()
    keyword_tokenizer: str = DEFAULT_TOKENIZER
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    embed_batch_size: int = 128  # texts per call; larger batches keep ONNX Runtime's matrix products efficient


@dataclass
class IndexSummary:
    generation: str = ""
    files_seen: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)  # failed now, previous version still indexed
    skipped: list[FileFailure] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # copy -> canonical source
    reports: int = 0
    chunks: int = 0
    units: int = 0  # texts with a vector: sentences and/or chunks
    units_embedded: int = 0  # of those, embedded in this run (the rest came from the cache)
    tokens_embedded: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def embed_tokens_per_second(self) -> float:
        seconds = self.seconds.get("embed", 0.0)
        return self.tokens_embedded / seconds if seconds else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["embed_tokens_per_second"] = round(self.embed_tokens_per_second, 1)
        return data


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: str  # relative to its root; prefixed with the root's name when several roots are indexed


def discover_files(paths: Sequence[Path]) -> tuple[list[SourceFile], list[FileFailure]]:
    """Supported files under ``paths`` in a stable order, and those passed over with the reason."""
    found: list[SourceFile] = []
    passed_over: list[FileFailure] = []
    several = len(paths) > 1
    for root in paths:
        root = Path(root)
        if not root.exists():
            passed_over.append(FileFailure(str(root), "no such file or directory"))
            continue
        prefix = f"{root.resolve().name}/" if several else ""
        candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in candidates:
            relative = path.name if root.is_file() else path.relative_to(root).as_posix()
            source = prefix + relative
            if any(part.startswith(".") for part in Path(relative).parts):
                continue
            if path.stem.upper() == "README":
                passed_over.append(FileFailure(source, "folder README, not a report"))
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                passed_over.append(FileFailure(source, f"unsupported file type {path.suffix or '(none)'}"))
            else:
                found.append(SourceFile(path, source))
    return found, passed_over


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    settings: IndexSettings = IndexSettings(),
    progress: Progress | None = None,
    rebuild: bool = False,
) -> IndexSummary:
    progress = progress or (lambda stage, done, total: None)
    layout = IndexDirectory(index_dir)
    summary = IndexSummary()
    with layout.lock():
        previous = None if rebuild else layout.current()
        if previous is not None:
            check_compatible(read_manifest(previous).model, embedder, "use that model or pass --rebuild")
        def clock(stage: str):
            return _timed(summary.seconds, stage)

        with clock("ingest"):
            raws, file_status = _ingest(paths, previous, settings, summary, progress)
        with clock("clean"):
            cleaned = clean_documents(raws)
        with clock("describe"):
            described = [describe_report(c) for c in cleaned]
        with clock("dedupe"):
            reports = dedupe_reports(described)
            for report in reports:
                for copy in report.also_published_at:
                    summary.duplicates[copy] = report.source
        with clock("chunk"):
            chunks = [chunk for report in reports for chunk in chunk_report(report, settings.chunking)]
            units = [unit for chunk in chunks for unit in vector_units(chunk, settings.units)]
        with clock("embed"):
            vectors = _embed([unit.text for unit in units], layout, embedder, settings, summary, progress)
        with clock("store"):
            summary.generation = _write_generation(
                layout, paths, embedder, settings, raws, file_status, reports, chunks, units, vectors, summary
            )
        summary.reports, summary.chunks, summary.units = len(reports), len(chunks), len(units)
    return summary


def _ingest(paths, previous, settings, summary, progress):
    files, summary.skipped = discover_files([Path(p) for p in paths])
    summary.files_seen = len(files)
    old_status: dict = {}
    old_raws: dict[str, list[RawDocument]] = {}
    if previous is not None:
        catalog = Catalog(previous)
        old_status = catalog.file_status()
        for raw in catalog.raw_documents():
            old_raws.setdefault(file_source_of(raw.source), []).append(raw)
        catalog.close()
    raws: list[RawDocument] = []
    file_status: list[tuple[str, str | None, str, str | None]] = []
    for done, file in enumerate(files, start=1):
        progress("ingest", done - 1, len(files))
        try:
            sha256 = checksum(file.path)["sha256"]
        except OSError as error:
            sha256 = None
            failure = FileFailure(file.source, f"cannot read: {error.strerror}")
        else:
            failure = None
        if sha256 and file.source in old_raws and old_status.get(file.source, (None,))[0] == sha256:
            raws.extend(old_raws[file.source])
            summary.unchanged.append(file.source)
            file_status.append((file.source, sha256, "indexed", None))
            continue
        if failure is None:
            try:
                raws.extend(ingest_file(file.path, file.source, settings.max_file_bytes))
            except IngestError as error:
                failure = FileFailure(error.source, error.reason)
            except OSError as error:
                failure = FileFailure(file.source, f"cannot read: {error.strerror}")
        if failure is None:
            (summary.changed if file.source in old_status else summary.new).append(file.source)
            file_status.append((file.source, sha256, "indexed", None))
        elif file.source in old_raws:
            summary.failed.append(failure)
            summary.kept_previous.append(file.source)
            raws.extend(old_raws[file.source])
            file_status.append((file.source, old_status[file.source][0], "indexed", f"kept previous version: {failure.reason}"))
        else:
            summary.failed.append(failure)
            file_status.append((file.source, sha256, "failed", failure.reason))
    progress("ingest", len(files), len(files))
    seen = {file.source for file in files}
    summary.removed = sorted(source for source in old_raws if source not in seen)
    return raws, file_status


def _embed(texts: list[str], layout, embedder, settings, summary, progress) -> np.ndarray:
    cache = EmbeddingCache(layout.cache_path, embedder)
    try:
        keys = [text_key(text) for text in texts]
        cached = cache.get_many(set(keys))
        # By length, so that each batch holds texts of about one size and the runtime pads little.
        missing = sorted({key: text for key, text in zip(keys, texts) if key not in cached}.items(),
                         key=lambda item: (len(item[1]), item[0]))
        total = len(missing)
        for start in range(0, total, settings.embed_batch_size):
            progress("embed", start, total)
            batch = missing[start : start + settings.embed_batch_size]
            texts = [text for _, text in batch]
            vectors = embedder.embed_passages(texts)
            tokens = [embedder.count_tokens(text) for text in texts]
            cache.put_many([key for key, _ in batch], vectors, tokens)
            cached.update({key: vector for (key, _), vector in zip(batch, vectors)})
            summary.units_embedded += len(batch)
            summary.tokens_embedded += sum(tokens)
        progress("embed", total, total)
    finally:
        cache.close()
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    return np.stack([cached[key] for key in keys]).astype(np.float32)


def _write_generation(layout, paths, embedder, settings, raws, file_status, reports, chunks, units, vectors,
                      summary) -> str:
    with layout.building() as scratch:
        store = FaissStore.create(embedder.dimension, len(vectors))
        store.add(vectors)
        names = store.save(scratch)
        names.append(write_catalog(scratch, file_status, raws, reports, chunks, units))
        keyword = KeywordIndex.build([chunk.text for chunk in chunks], settings.keyword_tokenizer)
        names += keyword.save(scratch)
        generation = layout.next_name()
        write_manifest(
            scratch,
            Manifest(
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
                    "duplicates": len(summary.duplicates),
                    "chunks": len(chunks),
                    "units": len(units),
                },
                roots=[str(Path(p).resolve()) for p in paths],
                versions=package_versions(),
                files={name: checksum(scratch / name) for name in names},
            ),
        )
        layout.publish(scratch, generation)
    return generation


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds[stage] = round(time.perf_counter() - start, 3)
