"""The eval runs ``reports eval retrieval`` performs, by dataset."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from eval.datasets import load_beir, load_span_queries
from eval.harness import ModeScores, index_and_open, index_beir_corpus, open_searcher, score_beir, score_span_queries
from indexer.embedding import create_embedder
from indexer.pipeline import IndexSettings


def run_retrieval_eval(
    seeds: Sequence[Path], corpus: Path, beir: Path | None, beir_runs: str, modes: Sequence[str], work: Path,
    settings: IndexSettings = IndexSettings(), model: str | None = None,
) -> list[ModeScores]:
    """Each file of span-labelled queries over ``corpus`` is a dataset named by its file name."""
    if not seeds and beir is None:
        raise ValueError("give --seed and/or --beir")
    embedder = create_embedder(model)
    results: list[ModeScores] = []
    if seeds:
        searcher = index_and_open([corpus], work / "seed", embedder, settings)
        for path in seeds:
            results += score_span_queries(path.stem, searcher, load_span_queries(path), modes)
    if beir is not None:
        for pair in beir_runs.split(","):
            query_lang, corpus_lang = pair.split(":")
            data = load_beir(beir, f"{corpus_lang}_corpus.jsonl", f"{query_lang}_queries.jsonl",
                             f"{corpus_lang}_qrels.tsv")
            index_dir = index_beir_corpus(data, work / f"{beir.name}-{corpus_lang}", embedder, settings)
            name = f"{beir.name} {query_lang}->{corpus_lang}" if query_lang != corpus_lang else f"{beir.name} {query_lang}"
            results += score_beir(name, open_searcher(index_dir, embedder), data, {"all": query_lang}, modes)
    return results
