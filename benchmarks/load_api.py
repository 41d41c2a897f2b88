"""Load benchmark of the HTTP API on 127.0.0.1 only: p50/p95 latency and errors at several concurrencies.

    python benchmarks/load_api.py [INDEX_DIR]     (default: index corpus/ into a temp dir first)

Starts the real server (`reports serve`) in its own process on a free loopback port, so the clients do
not share its interpreter, then for each (endpoint, clients) row sends a bounded number of requests from
that many concurrent clients (httpx.AsyncClient), and stops the server.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from search_api.live_server import serving_process

QUERIES = ["行政复议案件", "行政机关负责人出庭应诉", "规范性文件备案审查", "法律顾问", "双随机一公开",
           "legal advisers", "administrative mediation", "权力清单", "信访工作", "公平竞争审查"]
ROWS = [("search", 1, 60), ("search", 8, 240), ("search", 32, 320), ("answer", 8, 32)]


async def run_row(url: str, endpoint: str, clients: int, total: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            question = QUERIES[i % len(QUERIES)]
            start = time.perf_counter()
            try:
                if endpoint == "search":
                    response = await http.get(f"{url}/api/search", params={"q": question, "k": 10})
                else:
                    response = await http.post(f"{url}/api/answer", json={"question": question})
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - start) * 1000)

    async with httpx.AsyncClient(timeout=120) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    return latencies, errors


def main(index_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory() as work:
        if index_dir is None:
            index_dir = Path(work)
            build_index([Path(__file__).resolve().parent.parent / "corpus"], index_dir, create_embedder())
        with serving_process(index_dir) as url:
            asyncio.run(run_row(url, "search", 2, 10))  # warm up
            print("endpoint | clients | requests | p50 ms | p95 ms | errors")
            for endpoint, clients, total in ROWS:
                latencies, errors = asyncio.run(run_row(url, endpoint, clients, total))
                p95 = statistics.quantiles(latencies, n=20)[18]
                print(f"{endpoint} | {clients} | {total} | {statistics.median(latencies):.0f} | {p95:.0f} | {errors}",
                      flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
