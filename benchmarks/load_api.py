"""Load benchmark of the HTTP API on 127.0.0.1 only: p50/p95 latency, throughput and errors at several
concurrencies.

    python benchmarks/load_api.py [INDEX_DIR] [--postgres [--docs corpus] | --store URL] [--processes 2]

Without INDEX_DIR, corpus/ is indexed into a temp dir first. Starts the real server (`reports serve`)
in its own process on a free loopback port, so the clients do not share its interpreter, then for each
(endpoint, clients) row sends a bounded number of requests from that many concurrent clients
(httpx.AsyncClient), and stops the server. With ``--postgres`` a throwaway PostgreSQL server
(tests/postgres_server.py) receives ``--docs`` (vectors from INDEX_DIR's cache) and ``--processes``
servers share it, the clients taking them in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from search_api.live_server import serving_process

QUERIES = ["行政复议案件", "行政机关负责人出庭应诉", "规范性文件备案审查", "法律顾问", "双随机一公开",
           "legal advisers", "administrative mediation", "权力清单", "信访工作", "公平竞争审查"]
ROWS = [("search", 1, 60), ("search", 8, 240), ("search", 32, 320), ("answer", 8, 32)]


async def run_row(urls: list[str], endpoint: str, clients: int, total: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            question, url = QUERIES[i % len(QUERIES)], urls[i % len(urls)]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path, nargs="?")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--docs", type=Path, default=Path(__file__).resolve().parent.parent / "corpus")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--store", help="serve this PostgreSQL archive as it is (INDEX_DIR is not read)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work, ExitStack() as stack:
        index_dir = args.index
        if index_dir is None and not args.store:
            index_dir = Path(work) / "index"
            build_index([args.docs], index_dir, create_embedder())
        database_url = args.store
        if args.postgres and not args.store:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
            from postgres_server import start_server

            server = start_server()
            stack.callback(server.remove)
            database_url = server.url
            shutil.copytree(index_dir / "cache", Path(work) / "pg" / "cache")
            build_index([args.docs], Path(work) / "pg", create_embedder(), database_url=database_url)
        started = time.perf_counter()
        urls = [stack.enter_context(serving_process(Path(work) / f"server-{i}" if database_url else index_dir,
                                                    database_url, start_seconds=1800))
                for i in range(args.processes)]
        print(f"server(s) answering after {time.perf_counter() - started:.0f} s")
        asyncio.run(run_row(urls, "search", 2, 10))  # warm up
        print(f"{args.processes} server process(es), store {'PostgreSQL' if database_url else 'FAISS directory'}")
        print("endpoint | clients | requests | p50 ms | p95 ms | requests/s | errors")
        for endpoint, clients, total in ROWS:
            started = time.perf_counter()
            latencies, errors = asyncio.run(run_row(urls, endpoint, clients, total))
            rate = total / (time.perf_counter() - started)
            p95 = statistics.quantiles(latencies, n=20)[18]
            print(f"{endpoint} | {clients} | {total} | {statistics.median(latencies):.0f} | {p95:.0f} | {rate:.1f} | {errors}",
                  flush=True)
        print("peak RSS of the server process(es): " + ", ".join(f"{mb:.0f} MB" for mb in server_peak_rss_mb()))


def server_peak_rss_mb() -> list[float]:
    """VmHWM of this process's children that run `reports serve`."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            command = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields["PPid"]) == os.getpid() and b"serve" in command:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return peaks


if __name__ == "__main__":
    main()
