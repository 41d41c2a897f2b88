"""``build_index``: files on disk to a new index generation, incrementally.

Files whose bytes are unchanged since the live generation are not parsed again; chunk texts already
embedded are taken from the cache; a file that fails now but was indexed before keeps its previous
version, so nothing already indexed is lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from indexer.chunking import ChunkSettings, chunk_report
from indexer.cleaning import clean_documents, has_body_text
from indexer.dedupe import dedupe_reports
from indexer.derived_cache import DerivedCache
from indexer.discovery import IndexingRefused, discover_files
from indexer.embedding import Embedder, check_compatible
from indexer.embedding.cache import EmbeddingCache, text_key
from indexer.ingest import DEFAULT_MAX_FILE_BYTES, IngestError, ingest_file
from indexer.ingest.isolated import IsolatedParser, ParseLimits
from indexer.keyword import DEFAULT_TOKENIZER
from indexer.metadata import describe_report
from indexer.records import FileFailure, RawDocument
from indexer.store.archive import open_archive
from indexer.store.catalog import Catalog, file_source_of
from indexer.store.layout import IndexWriteError
from indexer.store.manifest import IndexCorrupt, Manifest, checksum, verify_generation
from indexer.store.segment import fingerprints
from indexer.store.writer import SegmentPlan, plan_segments, write_generation, writing
from indexer.units import UnitSettings, vector_units

Progress = Callable[[str, int, int], None]  # stage, done, total

__all__ = ["IndexSettings", "IndexSummary", "IndexWriteError", "IndexingRefused", "PIPELINE_VERSION", "build_index"]


# Bump when a stage's output for the same file changes (cleaning, metadata, chunking, units, glosses),
# so that a run over unchanged files still writes a generation with the new output.
PIPELINE_VERSION = 9
DERIVED_CACHE = "derived.sqlite"  # beside the embedding cache: jieba tokens and MinHash signatures by text


@dataclass(frozen=True)
class IndexSettings:
    chunking: ChunkSettings = ChunkSettings()
    units: UnitSettings = UnitSettings()
    keyword_tokenizer: str = DEFAULT_TOKENIZER
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    pipeline_version: int = PIPELINE_VERSION
    parse_limits: ParseLimits = ParseLimits()  # per HTML, DOCX or PDF file: time and memory
    embed_batch_size: int = 128  # texts per call; larger batches keep ONNX Runtime's matrix products efficient


@dataclass
class IndexSummary:
    generation: str = ""
    published: bool = True  # False: nothing changed since the live generation, which stays
    files_seen: int = 0
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    kept_previous: list[str] = field(default_factory=list)  # failed now, previous version still indexed
    warnings: list[str] = field(default_factory=list)
    parser_peak_rss_bytes: int = 0  # of the HTML/DOCX/PDF parser process
    skipped: list[FileFailure] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # copy -> canonical source
    reports: int = 0
    chunks: int = 0
    units: int = 0  # texts with a vector: sentences and/or chunks
    units_embedded: int = 0  # of those, embedded in this run (the rest came from the cache)
    segments_kept: int = 0  # of the live generation, linked into the new one unchanged
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


def build_index(
    paths: Sequence[Path],
    index_dir: Path,
    embedder: Embedder,
    settings: IndexSettings = IndexSettings(),
    progress: Progress | None = None,
    rebuild: bool = False,
    prune: bool = False,
    database_url: str | None = None,
) -> IndexSummary:
    """Index the files under ``paths`` into a new generation of ``index_dir``. The index mirrors the
    PATHs: files no longer there are dropped, but a PATH that does not exist is refused
    (``IndexingRefused``), and so is a PATH that holds no file to index, or a run that would drop every
    indexed file, unless ``prune`` (or ``rebuild``) says that dropping is meant. With ``database_url`` the
    generation is published into that PostgreSQL database, and ``index_dir`` keeps the embedding cache."""
    progress = progress or (lambda stage, done, total: None)
    layout = open_archive(index_dir, database_url)
    try:
        return _build(paths, layout, embedder, settings, progress, rebuild, prune)
    finally:
        layout.close()


def _build(paths, layout, embedder, settings, progress, rebuild, prune) -> IndexSummary:
    summary = IndexSummary()
    with layout.lock(), closing(DerivedCache(layout.cache_path.with_name(DERIVED_CACHE))) as derived:
        layout.remove_stale_builds()
        previous = None if rebuild else _reusable_generation(layout, embedder, summary)

        def clock(stage: str):
            return _timed(summary.seconds, stage)

        with clock("ingest"):
            raws, file_status, old_status = _ingest(paths, previous and previous.directory, settings, summary,
                                                    progress, prune or rebuild)
        if previous is not None and _unchanged(previous.manifest, old_status, file_status, paths, settings):
            # Nothing to do: no new generation, so servers keep theirs and nothing is written.
            counts = previous.manifest.counts
            summary.generation, summary.published = previous.manifest.generation, False
            layout.prune_behind(summary.generation)
            summary.reports, summary.chunks, summary.units = counts["reports"], counts["chunks"], counts["units"]
            return summary
        with clock("clean"):
            cleaned = []
            for document in clean_documents(raws):
                if has_body_text(document):
                    cleaned.append(document)
                else:
                    summary.skipped.append(FileFailure(document.raw.source, "page chrome only, no body text"))
        with clock("describe"):
            described = [describe_report(c) for c in cleaned]
        with clock("dedupe"):
            reports = dedupe_reports(described, cache=derived)
            for report in reports:
                for copy in report.also_published_at:
                    summary.duplicates[copy] = report.source
        with clock("chunk"):
            chunks = [chunk for report in reports for chunk in chunk_report(report, settings.chunking)]
            units = [unit for chunk in chunks for unit in vector_units(chunk, settings.units)]
        with clock("plan"):
            plan = _plan(layout, previous, settings, fingerprints(raws, reports, chunks, units))
            written = plan.records(raws, reports, chunks, units)
            summary.segments_kept = len(plan.kept)
        with clock("embed"):
            vectors = _embed([unit.text for unit in written[3]], layout, embedder, settings, summary, progress)
        with clock("store"):
            summary.generation = write_generation(
                layout, paths, embedder, settings, raws, file_status, reports, len(summary.duplicates), plan,
                written, vectors, previous and previous.directory, derived,
            )
        summary.reports, summary.chunks, summary.units = len(reports), len(chunks), len(units)
    return summary


@dataclass(frozen=True)
class _Generation:
    directory: Path
    manifest: Manifest


def _reusable_generation(layout, embedder: Embedder, summary: IndexSummary) -> _Generation | None:
    """The live generation's manifest, if its files are intact: unchanged files are taken from it. A
    damaged one is not reused (its damage would be copied into the new generation with fresh
    checksums): every file is then read again."""
    try:
        previous = layout.current()
        if previous is None:
            return None
        manifest = verify_generation(previous)
    except IndexCorrupt as error:
        summary.warnings.append(f"the live generation is not reused, every file is read again: {error}")
        return None
    check_compatible(manifest.model, embedder, "use that model or pass --rebuild")
    return _Generation(previous, manifest)


def _unchanged(previous: Manifest, old_status: dict, file_status: list, paths, settings: IndexSettings) -> bool:
    """Whether a new generation would hold exactly what the live one holds: the same files with the
    same bytes (and the same failures), built by the same pipeline with the same settings."""
    now = {source: (sha256, status, reason) for source, sha256, status, reason in file_status}
    return (now == old_status and _same_settings(previous, settings)
            and previous.roots == [str(Path(p).resolve()) for p in paths])


def _same_settings(previous: Manifest, settings: IndexSettings) -> bool:
    return (previous.versions.get("pipeline") == settings.pipeline_version
            and previous.chunking == asdict(settings.chunking) and previous.units == asdict(settings.units)
            and previous.keyword.get("tokenizer") == settings.keyword_tokenizer)


def _plan(layout, previous: _Generation | None, settings: IndexSettings, file_fingerprints: dict) -> SegmentPlan:
    """Which segments of the live generation the new one keeps: none when the pipeline or its settings
    changed (every record may differ) or when the archive does not share segments."""
    if previous is None or not layout.reuses_segments or not _same_settings(previous.manifest, settings):
        return SegmentPlan.everything(file_fingerprints)
    with closing(Catalog(previous.directory)) as live:
        return plan_segments(live, file_fingerprints)


def _ingest(paths, previous: Path | None, settings, summary, progress, dropping_allowed: bool):
    discovery = discover_files([Path(p) for p in paths])
    files, summary.skipped, summary.failed = discovery.files, discovery.skipped, list(discovery.failed)
    summary.files_seen = len(files)
    old_status: dict = {}
    old_raws: dict[str, list[RawDocument]] = {}
    if previous is not None:
        catalog = Catalog(previous)
        old_status = catalog.file_status()
        for raw in catalog.raw_documents():
            old_raws.setdefault(file_source_of(raw.source), []).append(raw)
        catalog.close()
    if not dropping_allowed:
        _refuse_accidental_drops(paths, discovery, old_raws)
    raws: list[RawDocument] = []
    file_status: list[tuple[str, str | None, str, str | None]] = [
        (failure.source, None, "failed", failure.reason) for failure in discovery.failed]
    with IsolatedParser(settings.parse_limits) as parse:
        for done, file in enumerate(files, start=1):
            progress("ingest", done - 1, len(files))
            _ingest_one(file, parse, old_status, old_raws, settings, summary, raws, file_status)
        summary.parser_peak_rss_bytes = parse.peak_rss_bytes
    progress("ingest", len(files), len(files))
    seen = {file.source for file in files}
    summary.removed = sorted(source for source in old_raws if source not in seen)
    return raws, file_status, old_status


def _ingest_one(file, parse, old_status, old_raws, settings, summary, raws, file_status) -> None:
    """Read one file, or take it from the previous generation when its bytes are unchanged (or when
    it is broken now but was indexed before)."""
    sha256 = None
    try:
        sha256 = checksum(file.path)["sha256"]
        old_sha256, old_state, old_reason = old_status.get(file.source, (None, None, None))
        if old_sha256 == sha256 and file.source in old_raws:
            raws.extend(old_raws[file.source])
            summary.unchanged.append(file.source)
            file_status.append((file.source, sha256, "indexed", None))
            return
        if old_sha256 == sha256 and old_state == "failed":  # not parsed again: a bomb would cost its time again
            raise IngestError(file.source, old_reason)
        documents = ingest_file(file.path, file.source, settings.max_file_bytes, parse)
    except IngestError as error:
        failure = FileFailure(error.source, error.reason)
    except OSError as error:
        failure = FileFailure(file.source, f"cannot read: {error.strerror or error}")
    else:
        (summary.changed if file.source in old_status else summary.new).append(file.source)
        raws.extend(documents)
        file_status.append((file.source, documents[0].sha256, "indexed", None))
        return
    summary.failed.append(failure)
    if file.source in old_raws:
        summary.kept_previous.append(file.source)
        raws.extend(old_raws[file.source])
        file_status.append((file.source, old_status[file.source][0], "indexed",
                            f"kept previous version: {failure.reason}"))
    else:
        file_status.append((file.source, sha256, "failed", failure.reason))


def _refuse_accidental_drops(paths, discovery, indexed: dict) -> None:
    """A PATH with no file left, or a run that would drop every indexed file, is almost always a
    mistyped or wrong folder: refuse it before anything is written."""
    advice = "nothing was changed; pass --prune to drop the reports that are gone"
    for number, root in enumerate(paths):
        if not discovery.files_under(number):
            raise IndexingRefused(f"{root} holds no file to index; {advice}")
    if indexed and not indexed.keys() & {file.source for file in discovery.files}:
        raise IndexingRefused(f"none of the {len(indexed)} indexed files is under {', '.join(map(str, paths))}; "
                              f"{advice} (or index into another --index)")


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
            batch_texts = [text for _, text in batch]
            vectors = embedder.embed_passages(batch_texts)
            tokens = [embedder.count_tokens(text) for text in batch_texts]
            with writing(f"write the embedding cache {layout.cache_path}"):
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


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    seconds[stage] = round(time.perf_counter() - start, 3)
