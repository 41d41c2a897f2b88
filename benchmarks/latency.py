"""In-process latency of hybrid search and of answers: p50/p95 over the seed queries.

    python benchmarks/latency.py INDEX_DIR [--queries FILE ...]

``--queries``: span-labelled query files (default: the seed questions); p50/p95 over all of them.

With an index built with the fake embedder (fast to build on a large archive), the figures are those
of everything but the model; query embedding with the real model is timed separately and printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from eval.datasets import load_span_queries
from indexer.embedding import create_embedder
from search_api.search import LoadedIndex, SearchRequest, Searcher
from summarizer import answer

QUERIES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "seed_queries.jsonl"


def percentiles(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.0f} ms, p95 {statistics.quantiles(values, n=20)[18]:.0f} ms"


def timed(function, repeat: int = 3) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(index_dir: Path, query_files: list[Path]) -> None:
    searcher = Searcher(LoadedIndex.open(index_dir))
    questions = [q.query for path in query_files for q in load_span_queries(path)]
    searcher.search(SearchRequest(questions[0]))  # load jieba and the dictionary once
    answer(searcher, questions[0])
    index = searcher.index
    print(f"index: {index_dir} ({len(index.reports)} reports, {len(index.chunks)} chunks, {len(index.store)} vectors, "
          f"model {index.manifest.model['name']})")
    search_times = [t for q in questions for t in timed(lambda: searcher.search(SearchRequest(q, k=10)))]
    print(f"hybrid search: {percentiles(search_times)}")
    answer_times = [t for q in questions for t in timed(lambda: answer(searcher, q), repeat=1)]
    print(f"answer: {percentiles(answer_times)}")
    if index.manifest.model["name"] != "intfloat/multilingual-e5-small":
        real = create_embedder()
        embed_times = [t for q in questions for t in timed(lambda: real.embed_queries([q]))]
        print(f"real query embedding alone (add to the above): {percentiles(embed_times)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("--queries", type=Path, nargs="+", default=[QUERIES])
    arguments = parser.parse_args()
    main(arguments.index, arguments.queries)
