"""Calibrate the evidence threshold that decides which reports say nothing about a question.

    python benchmarks/calibrate_evidence.py [INDEX_DIR]      (default: index corpus/ in a temp dir)

For every seed query (and our English wording of the Chinese ones) and every report, the report's evidence is its best chunk's (summarizer/evidence.py);
the report has evidence when it holds a quote of any grade for the query (grade 1, "related", counts:
a report with related evidence gets a group; "without evidence" means nothing related at all). Prints
precision, recall and F1 of "evidence >= t" over all (query, report) pairs for a range of t, overall and
per language.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from eval.datasets import load_span_queries
from eval.harness import index_or_corpus
from search_api.search import Searcher
from summarizer.evidence import weigh_evidence

REPO = Path(__file__).resolve().parent.parent
QUERIES = [REPO.parent / "shared" / "eval" / "seed_queries.jsonl",
           REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl"]


def report_evidence(searcher: Searcher, question: str) -> dict[str, float]:
    index = searcher.index
    best = {report.source: 0.0 for report in index.reports.values()}
    for row, value in weigh_evidence(searcher, question).by_row.items():
        source = index.chunk_report[row].source
        best[source] = max(best[source], value)
    return best


def main(index_dir: Path | None) -> None:
    with index_or_corpus(index_dir, REPO / "corpus") as index:
        searcher = Searcher(index)
        pairs = []  # (language, evidence, relevant)
        for query in (q for path in QUERIES for q in load_span_queries(path)):
            relevant = {q.source for q in query.relevant}
            for source, value in report_evidence(searcher, query.query).items():
                pairs.append((query.lang, value, source in relevant))
        print("threshold | all P R F1 | zh F1 | en F1")
        for threshold in np.arange(0.0, 2.05, 0.1):
            cells = []
            for language in ("all", "zh", "en"):
                chosen = [(v >= threshold, rel) for lang, v, rel in pairs if language in ("all", lang)]
                tp = sum(1 for c, r in chosen if c and r)
                precision = tp / max(sum(1 for c, _ in chosen if c), 1)
                recall = tp / max(sum(1 for _, r in chosen if r), 1)
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                cells.append(f"{precision:.2f} {recall:.2f} {f1:.2f}" if language == "all" else f"{f1:.2f}")
            print(f"{threshold:5.1f} | " + " | ".join(cells))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
