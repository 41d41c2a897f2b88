"""Run the search modes over labelled queries and score them, overall and per query language."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eval.datasets import BeirSet, SpanQuery
from eval.metrics import score_runs
from eval.spans import passage_judgments
from indexer.embedding import Embedder, create_embedder
from indexer.pipeline import IndexSettings, build_index
from search_api.search import LoadedIndex, Searcher, SearchRequest, SearchSettings

RANKED_MODES = ("dense", "keyword", "hybrid")
_BEIR_PASSAGES = 30  # passages read to find the top 10 distinct documents


@dataclass(frozen=True)
class ModeScores:
    dataset: str
    mode: str
    language: str  # "all" or the queries' language
    queries: int
    scores: dict[str, float]


def score_span_queries(
    dataset: str, searcher: Searcher, queries: Sequence[SpanQuery], modes: Iterable[str] = RANKED_MODES, k: int = 10
) -> list[ModeScores]:
    results = []
    for mode in modes:
        rankings, qrels = {}, {}
        for query in queries:
            passages = searcher.search(SearchRequest(query.query, k=k, mode=mode)).passages
            ids = [p.chunk_id for p in passages]
            rankings[query.id] = ids
            qrels[query.id] = passage_judgments(
                ids, [(p.source, p.text) for p in passages],
                [(q.source, q.quote) for q in query.relevant], [q.grade for q in query.relevant],
            )
        results += _by_language(dataset, mode, queries, qrels, rankings)
    return results


def score_beir(
    dataset: str, searcher: Searcher, beir: BeirSet, languages: dict[str, str], modes: Iterable[str] = RANKED_MODES
) -> list[ModeScores]:
    """BEIR documents were indexed as ``<doc id>.txt``; a document ranks by its best passage."""
    results = []
    for mode in modes:
        rankings = {}
        for query_id, text in beir.queries.items():
            passages = searcher.search(SearchRequest(text, k=_BEIR_PASSAGES, mode=mode)).passages
            rankings[query_id] = list(dict.fromkeys(Path(p.source).stem for p in passages))[:10]
        results.append(ModeScores(dataset, mode, languages.get("all", "all"), len(beir.queries),
                                  score_runs(beir.qrels, rankings)))
    return results


def index_beir_corpus(beir: BeirSet, work_dir: Path, embedder: Embedder, settings: IndexSettings) -> Path:
    """Index a BEIR corpus as one file per document (reused across runs: unchanged text is not re-embedded)."""
    docs = work_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for doc_id, text in beir.corpus.items():
        path = docs / f"{doc_id}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    index_dir = work_dir / "index"
    build_index([docs], index_dir, embedder, settings, rebuild=True)
    return index_dir


def open_searcher(index_dir: Path, embedder: Embedder, settings: SearchSettings = SearchSettings()) -> Searcher:
    return Searcher(LoadedIndex.open(index_dir, embedder), settings)


@contextmanager
def index_or_corpus(index_dir: Path | None, corpus: Path) -> Iterator[LoadedIndex]:
    """The index in ``index_dir``; without one, ``corpus`` indexed with the default model into a
    temporary folder that lasts as long as the ``with`` block (the benchmarks' default)."""
    with tempfile.TemporaryDirectory() as work:
        if index_dir is None:
            index_dir = Path(work)
            build_index([corpus], index_dir, create_embedder())
        yield LoadedIndex.open(index_dir)


def index_and_open(paths: Sequence[Path], work_dir: Path, embedder: Embedder, settings: IndexSettings) -> Searcher:
    index_dir = work_dir / "index"
    build_index(list(paths), index_dir, embedder, settings, rebuild=True)
    return open_searcher(index_dir, embedder)


def _by_language(dataset, mode, queries, qrels, rankings) -> list[ModeScores]:
    groups: dict[str, list[str]] = {"all": [q.id for q in queries]}
    for query in queries:
        groups.setdefault(query.lang, []).append(query.id)
    return [
        ModeScores(dataset, mode, language, len(ids),
                   score_runs({q: qrels[q] for q in ids}, {q: rankings[q] for q in ids}))
        for language, ids in groups.items()
    ]
