"""One index generation opened for searching: everything a query needs, loaded once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.embedding import Embedder, check_compatible, create_embedder
from indexer.gloss import GlossIndex
from indexer.keyword import KeywordIndex
from indexer.records import Chunk, Report
from indexer.store.archive import open_archive
from indexer.store.base import VectorStore
from indexer.store.catalog import Catalog
from indexer.store.layout import open_faiss_store
from indexer.store.manifest import IndexCorrupt, Manifest, verify_generation
from indexer.store.segment import GLOSS, KEYWORD
from indexer.terms import TermPostings

BACKGROUND_VECTORS = 4096


class IndexNotFound(FileNotFoundError):
    pass


@dataclass
class LoadedIndex:
    directory: Path
    manifest: Manifest
    catalog: Catalog
    reports: dict[str, Report]
    chunks: list[Chunk]  # keyword-index row order
    chunk_report: list[Report]  # the report of each chunk row
    unit_chunk: np.ndarray  # chunk row of each vector
    unit_spans: np.ndarray  # (start, end) in the report's clean text of each vector
    store: VectorStore
    keyword: KeywordIndex
    embedder: Embedder
    gloss: GlossIndex | None = None  # English glosses of the chunks, for English questions
    unit_at: dict[tuple[str, int, int], int] = field(init=False)  # (doc_id, start, end) -> vector id
    report_list: list[Report] = field(init=False)  # the reports in a fixed order
    chunk_report_position: np.ndarray = field(init=False)  # of each chunk row's report in report_list
    # Of each chunk row, its rank by report source and position: equal scores come in this order, so
    # that results do not depend on the order segments hold the rows in (one paragraph in two reports).
    chunk_rank: np.ndarray = field(init=False, repr=False)
    # What a question's dense scores look like over the archive: a fixed sample of its vectors.
    dense_background: np.ndarray = field(init=False, repr=False)
    _unit_order: np.ndarray = field(init=False, repr=False)  # vector ids sorted by chunk row
    _sorted_rows: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.unit_at = {(self.chunks[int(row)].doc_id, int(start), int(end)): vector
                        for vector, (row, (start, end)) in enumerate(zip(self.unit_chunk, self.unit_spans))}
        self.report_list = list(self.reports.values())
        position = {report.doc_id: i for i, report in enumerate(self.report_list)}
        self.chunk_report_position = np.array([position[c.doc_id] for c in self.chunks], dtype=np.int64)
        ordinals = np.array([c.ordinal for c in self.chunks], dtype=np.int64)
        self.chunk_rank = np.empty(len(self.chunks), dtype=np.int64)
        self.chunk_rank[np.lexsort((ordinals, self.chunk_report_position))] = np.arange(len(self.chunks))
        self._unit_order = np.argsort(self.unit_chunk, kind="stable")
        self._sorted_rows = self.unit_chunk[self._unit_order]
        self.dense_background = self.store.vectors(self._background_ids())

    def _background_ids(self) -> np.ndarray:
        """Up to ``BACKGROUND_VECTORS`` vector ids, evenly spaced over the vectors ordered by report source
        and position: the same vectors whatever order the segments hold them in."""
        if not len(self.unit_chunk):
            return np.zeros(0, np.int64)
        canonical = np.lexsort((self.unit_spans[:, 0], self.chunk_report_position[self.unit_chunk]))
        picks = np.unique(np.linspace(0, len(canonical) - 1, min(BACKGROUND_VECTORS, len(canonical))).astype(np.int64))
        return np.sort(canonical[picks])

    @property
    def generation(self) -> str:
        return self.manifest.generation

    @classmethod
    def open(cls, index_dir: Path, embedder: Embedder | None = None, embed_threads: int = 0,
             few_queries: bool = False, database_url: str | None = None) -> LoadedIndex:
        """Open the live generation (of the PostgreSQL archive at ``database_url`` if given); queries
        are embedded with the model the index was built with (``embed_threads``, ``few_queries``: see
        ``create_embedder``). ``IndexCorrupt`` when any of its files is damaged."""
        return cls.open_live(open_archive(index_dir, database_url), embedder, embed_threads, few_queries)

    @classmethod
    def open_live(cls, archive, embedder: Embedder | None = None, embed_threads: int = 0,
                  few_queries: bool = False) -> LoadedIndex:
        """The live generation of ``archive`` (an ``IndexDirectory`` or a ``PostgresArchive``)."""
        directory = archive.current()
        if directory is None:
            raise IndexNotFound(f"no index in {archive.describe()}; run `reports index PATH` with the same "
                                "--index/--store first")
        return cls.open_generation(directory, embedder, embed_threads, few_queries, archive)

    @classmethod
    def open_generation(cls, directory: Path, embedder: Embedder | None = None, embed_threads: int = 0,
                        few_queries: bool = False, archive=None) -> LoadedIndex:
        """One generation's files in ``directory``; its vectors from ``archive`` (an ``IndexDirectory``
        or a ``PostgresArchive``; by default the FAISS vectors in ``directory``)."""
        # Every file is checked against the manifest first: a flipped byte in the vectors would
        # otherwise change rankings without any error.
        manifest = verify_generation(directory)
        if embedder is None:
            embedder = create_embedder(manifest.model["name"], embed_threads, few_queries)
        check_compatible(manifest.model, embedder, "query it with the model it was built with")
        if archive is None and str(manifest.store.get("kind", "")).startswith("pgvector"):
            raise IndexCorrupt(directory, "its vectors are in a PostgreSQL database: open it with --store URL")
        try:
            catalog = Catalog(directory)
            reports = {r.doc_id: r for r in catalog.reports(raw_text=False)}
            chunks = catalog.chunks()
            rows = np.array(catalog.unit_rows(), dtype=np.int64).reshape(-1, 3)
            store = (archive.open_store if archive else open_faiss_store)(directory, manifest, catalog)
            keyword = KeywordIndex.from_parts(_postings(catalog, KEYWORD), manifest.keyword["tokenizer"])
            gloss = GlossIndex.from_parts(_postings(catalog, GLOSS))
        except Exception as error:  # intact checksums, unreadable content: written by something else
            raise IndexCorrupt(directory, f"cannot be loaded ({type(error).__name__}: {error})") from error
        return cls(
            directory=directory,
            manifest=manifest,
            catalog=catalog,
            reports=reports,
            chunks=chunks,
            chunk_report=[reports[c.doc_id] for c in chunks],
            unit_chunk=rows[:, 0],
            unit_spans=rows[:, 1:],
            store=store,
            keyword=keyword,
            embedder=embedder,
            gloss=gloss,
        )

    def units_of(self, row: int) -> np.ndarray:
        """Vector ids of one chunk row, in text order."""
        low, high = np.searchsorted(self._sorted_rows, [row, row + 1])
        return self._unit_order[low:high]

    def resolve_report(self, name: str) -> str:
        """The doc_id of a report named by its doc_id, its source path or its file name; KeyError naming
        the candidates when a file name is ambiguous, or when nothing matches."""
        if name in self.reports:
            return name
        matching = [r.doc_id for r in self.reports.values() if name in (r.source, Path(r.source).name)]
        if len(matching) == 1:
            return matching[0]
        if matching:
            sources = ", ".join(sorted(self.reports[d].source for d in matching))
            raise KeyError(f"{name!r} names several reports ({sources}); give the path or the doc_id")
        raise KeyError(f"no report {name!r} in this index: give a doc_id (see `reports search`) or a source file name")

    def units_of_rows(self, rows) -> np.ndarray:
        """Vector ids of many chunk rows at once."""
        rows = np.asarray(rows, dtype=np.int64)
        low = np.searchsorted(self._sorted_rows, rows, side="left")
        high = np.searchsorted(self._sorted_rows, rows, side="right")
        counts = high - low
        # The positions low[i] .. high[i]-1 for every i, without a Python loop.
        starts = np.repeat(low - np.cumsum(counts) + counts, counts)
        return self._unit_order[starts + np.arange(counts.sum())]

    def rows_of(self, doc_id: str) -> list[int]:
        """Chunk rows of one report, in text order."""
        return [row for row, chunk in enumerate(self.chunks) if chunk.doc_id == doc_id]

    def close(self) -> None:
        self.catalog.close()


def _postings(catalog: Catalog, folder: str) -> list[TermPostings]:
    """The live rows' term frequencies of each segment, in row order."""
    return [TermPostings.load(segment.directory / folder).select(segment.chunk_live) for segment in catalog.segments]
