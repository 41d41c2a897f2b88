"""Weight of the keyword ranking for English questions, tuned on dev halves only.

    python benchmarks/tune_english_keyword_weight.py [WORK]

English questions reach Chinese text on the keyword side only through CC-CEDICT translations, which
are better for government vocabulary (the seed reports) than for XQuAD's Wikipedia names. This scores
hybrid search for several weights on the English seed questions (the 3 of the seed file and our English
wording of the other 11, ``benchmarks/data/seed_queries_translated_en.jsonl``) and on the even-numbered half
of XQuAD's English questions over Chinese passages (and, for reference, the odd half and XQuAD English
over English). Uses the eval indexes ``reports eval retrieval --seed ... --beir ...`` left in WORK
(default ~/.cache/report-archive-search/eval), so nothing is embedded.
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
WEIGHTS = (1.0, 0.5, 0.35, 0.25, 0.0)


def half(beir: BeirSet, parity: int) -> BeirSet:
    ids = {q for q in beir.queries if zlib.crc32(q.encode()) % 2 == parity}
    return BeirSet(beir.corpus, {q: t for q, t in beir.queries.items() if q in ids},
                   {q: r for q, r in beir.qrels.items() if q in ids})


def main(work: Path) -> None:
    embedder = create_embedder()
    # Each weight asks the same questions: embed each once.
    embed_once = functools.lru_cache(maxsize=None)(lambda texts, embed=embedder.embed_queries: embed(list(texts)))
    embedder.embed_queries = lambda texts: embed_once(tuple(texts))
    seed_english = [q for q in load_span_queries(SHARED / "eval" / "seed_queries.jsonl") if q.lang == "en"]
    seed_english += load_span_queries(REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl")
    xquad = SHARED / "data" / "xquad"
    en_zh = load_beir(xquad, "zh_corpus.jsonl", "en_queries.jsonl", "zh_qrels.tsv")
    en_en = load_beir(xquad, "en_corpus.jsonl", "en_queries.jsonl", "en_qrels.tsv")
    print("weight | seed en, 3 + 11 translated (dev) | XQuAD en->zh dev half | en->zh other half | XQuAD en->en   (hybrid nDCG@10)")
    for weight in WEIGHTS:
        settings = SearchSettings(english_keyword_weight=weight)
        scores = [
            score_span_queries("seed", open_searcher(work / "seed" / "index", embedder, settings), seed_english, ["hybrid"]),
            score_beir("dev", open_searcher(work / "xquad-zh" / "index", embedder, settings), half(en_zh, 0), {}, ["hybrid"]),
            score_beir("test", open_searcher(work / "xquad-zh" / "index", embedder, settings), half(en_zh, 1), {}, ["hybrid"]),
            score_beir("en", open_searcher(work / "xquad-en" / "index", embedder, settings), en_en, {}, ["hybrid"]),
        ]
        print(f"{weight:6.2f} | " + " | ".join(f"{rows[0].scores['nDCG@10']:.3f}" for rows in scores), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.home() / ".cache" / "report-archive-search" / "eval")
