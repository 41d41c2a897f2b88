"""Grid over chunk size, vector units and keyword tokenizer on the seed (dev) queries.

    python benchmarks/tune_seed.py [--quick]

Builds an index of corpus/ per setting (the embedding cache makes repeats cheap) and prints nDCG@10 and
R@10 per mode and language. This is how the defaults in IndexSettings were chosen; it uses the dev
queries only.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

from eval.datasets import load_span_queries
from eval.harness import index_and_open, score_span_queries
from indexer.chunking import ChunkSettings
from indexer.embedding import create_embedder
from indexer.pipeline import IndexSettings
from indexer.units import UnitSettings

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO.parent / "shared" / "eval" / "seed_queries.jsonl"


def main(quick: bool) -> None:
    queries = load_span_queries(QUERIES)
    embedder = create_embedder()
    sizes = (400,) if quick else (200, 300, 400, 600)
    units = ("sentence",) if quick else ("chunk", "sentence", "sentence+chunk")
    tokenizers = ("jieba+bigram",) if quick else ("jieba", "bigram", "jieba+bigram")
    with tempfile.TemporaryDirectory() as work:
        cache_home = Path(work)
        print("max_chars units tokenizer | mode: nDCG@10 R@10 (all / zh / en)")
        for size, unit, tokenizer in itertools.product(sizes, units, tokenizers):
            settings = IndexSettings(ChunkSettings(max_chars=size), UnitSettings(kind=unit), tokenizer)
            searcher = index_and_open([REPO / "corpus"], cache_home, embedder, settings)
            rows = score_span_queries("seed", searcher, queries)
            by_mode: dict[str, list[str]] = {}
            for r in rows:
                by_mode.setdefault(r.mode, []).append(f"{r.scores['nDCG@10']:.3f}/{r.scores['R@10']:.3f}")
            print(f"{size:4d} {unit:15s} {tokenizer:13s} | " + " | ".join(f"{m}: {' '.join(v)}" for m, v in by_mode.items()),
                  flush=True)
            searcher.index.close()


if __name__ == "__main__":
    main("--quick" in sys.argv)
