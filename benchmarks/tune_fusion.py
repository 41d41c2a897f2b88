"""Fusion (RRF or z-score) and the weights of English questions' runs, on dev halves.

    python benchmarks/tune_fusion.py [WORK]

English questions fuse three runs: the dense run of the question (weight 1), the dense run of its Chinese
rendering (the translated weight; 0 leaves it out) and the keyword run of the dictionary's terms (the
English keyword weight). Scores hybrid search (nDCG@10) for each setting on:
- the English seed questions: the 3 of the seed file and our English wording of the other 11
  (``benchmarks/data/seed_queries_translated_en.jsonl``), over corpus/;
- the even-numbered half (crc32 of the query id) of XQuAD's English questions over Chinese passages;
and, as checks not used for choosing, the odd half, XQuAD English over English, and the Chinese
questions (seed file, XQuAD Chinese), which use the Chinese keyword weight of 1.0 in every row.
Uses the eval indexes that ``reports eval retrieval --seed ... --beir ...`` left in WORK (default
~/.cache/report-archive-search/eval), so nothing is embedded but the questions.
"""

from __future__ import annotations

import functools
import sys
import zlib
from pathlib import Path

from eval.datasets import BeirSet, load_beir, load_span_queries
from eval.harness import open_searcher, score_beir, score_span_queries
from indexer.embedding import create_embedder
from search_api.search.searcher import SearchSettings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GRID = [("rrf", 0.0, 1.0), ("zscore", 0.0, 0.7), ("zscore", 0.0, 0.3)] + [
    ("zscore", translated, keyword) for translated in (0.4, 0.5, 0.6, 0.7) for keyword in (0.4, 0.5, 0.6)]


def half(beir: BeirSet, parity: int) -> BeirSet:
    ids = {q for q in beir.queries if zlib.crc32(q.encode()) % 2 == parity}
    return BeirSet(beir.corpus, {q: t for q, t in beir.queries.items() if q in ids},
                   {q: r for q, r in beir.qrels.items() if q in ids})


def main(work: Path) -> None:
    embedder = create_embedder()
    # Every row asks the same questions: embed each once.
    embed_once = functools.lru_cache(maxsize=None)(lambda texts, embed=embedder.embed_queries: embed(list(texts)))
    embedder.embed_queries = lambda texts: embed_once(tuple(texts))
    seed = load_span_queries(SHARED / "eval" / "seed_queries.jsonl")
    seed_english = [q for q in seed if q.lang == "en"]
    seed_english += load_span_queries(REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl")
    seed_chinese = [q for q in seed if q.lang != "en"]
    xquad = SHARED / "data" / "xquad"
    en_zh = load_beir(xquad, "zh_corpus.jsonl", "en_queries.jsonl", "zh_qrels.tsv")
    en_en = load_beir(xquad, "en_corpus.jsonl", "en_queries.jsonl", "en_qrels.tsv")
    zh_zh = load_beir(xquad, "zh_corpus.jsonl", "zh_queries.jsonl", "zh_qrels.tsv")
    print("fusion | translated weight | English keyword weight | seed en (dev) | XQuAD en->zh dev half "
          "| other half | XQuAD en->en | seed zh | XQuAD zh->zh")
    print("|".join(["---"] * 9))
    for fusion, translated, keyword in GRID:
        settings = SearchSettings(fusion=fusion, translated_dense_weight=translated, english_keyword_weight=keyword)
        seed_searcher = open_searcher(work / "seed" / "index", embedder, settings)
        zh_searcher = open_searcher(work / "xquad-zh" / "index", embedder, settings)
        scores = [
            score_span_queries("seed", seed_searcher, seed_english, ["hybrid"]),
            score_beir("dev", zh_searcher, half(en_zh, 0), {}, ["hybrid"]),
            score_beir("test", zh_searcher, half(en_zh, 1), {}, ["hybrid"]),
            score_beir("en", open_searcher(work / "xquad-en" / "index", embedder, settings), en_en, {}, ["hybrid"]),
            score_span_queries("seed", seed_searcher, seed_chinese, ["hybrid"]),
            score_beir("zh", zh_searcher, zh_zh, {}, ["hybrid"]),
        ]
        cells = [f"{rows[0].scores['nDCG@10']:.3f}" for rows in scores]
        print(f"{fusion} | {translated:.1f} | {keyword:.1f} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.home() / ".cache" / "report-archive-search" / "eval")
