"""English questions that name a place, against the same question in Chinese: how many of the top 10
passages of hybrid search come from that place.

    python benchmarks/english_places.py INDEX_DIR      (a gov_reports index: the places are Shenzhen's)

No labels: the Chinese wording is the reference a researcher reading Chinese would get.
"""

from __future__ import annotations

import sys
from pathlib import Path

from indexer.embedding import create_embedder
from search_api.search import LoadedIndex, Searcher, SearchRequest

QUESTIONS = [  # English, Chinese, the place
    ("administrative reconsideration cases in Futian district", "福田区行政复议案件", "福田区"),
    ("legal advisers of the Luohu district government", "罗湖区政府法律顾问", "罗湖区"),
    ("How did Yantian build a law-based government?", "盐田区法治政府建设", "盐田区"),
    ("Guangdong government legal adviser system", "广东省政府法律顾问制度", "广东省"),
    ("Shenzhen business environment reform", "深圳市营商环境改革", "深圳市"),
    ("Nanshan district smart city", "南山区智慧城市", "南山区"),
    ("Gansu administrative reconsideration", "甘肃省行政复议", "甘肃省"),
]


def main(index_dir: Path) -> None:
    searcher = Searcher(LoadedIndex.open(index_dir, create_embedder()))
    totals = [0, 0]
    for english, chinese, place in QUESTIONS:
        found = [sum(p.jurisdiction == place for p in searcher.search(SearchRequest(q, k=10)).passages)
                 for q in (english, chinese)]
        totals = [t + f for t, f in zip(totals, found)]
        print(f"{place}: English {found[0]}/10, Chinese {found[1]}/10  ({english})")
    print(f"all: English {totals[0]}/{10 * len(QUESTIONS)}, Chinese {totals[1]}/{10 * len(QUESTIONS)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
