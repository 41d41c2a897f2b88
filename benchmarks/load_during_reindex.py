"""HTTP load while `reports index` publishes new generations: every answer must be a 2xx from exactly one
generation (the `X-Index-Generation` header equals the body's `generation`).

    python benchmarks/load_during_reindex.py [--clients 8] [--publishes 5] [--model default|fake]

Serves a copy of corpus/ with `reports serve` in its own process (127.0.0.1 only), runs search and
answer clients against it, and meanwhile runs `reports index` on the copy again and again, each time
with one report added or removed, so that each run publishes a generation the server switches to.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from search_api.live_server import serving_process

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = ["行政复议案件", "行政机关负责人出庭应诉", "规范性文件备案审查", "legal advisers", "法律顾问"]


async def clients_until(url: str, clients: int, done: asyncio.Event) -> dict:
    statuses, generations, mismatches, latencies = Counter(), Counter(), 0, []

    async def client(number: int, http: httpx.AsyncClient) -> None:
        nonlocal mismatches
        count = 0
        while not done.is_set():
            question = QUESTIONS[(number + count) % len(QUESTIONS)]
            started = time.perf_counter()
            try:
                if count % 4 == 3:
                    response = await http.post(f"{url}/api/answer", json={"question": question})
                else:
                    response = await http.get(f"{url}/api/search", params={"q": question, "k": 10})
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] += 1
            header = response.headers.get("x-index-generation")
            generations[header] += 1
            if response.status_code == 200 and response.json().get("generation") != header:
                mismatches += 1
            count += 1

    async with httpx.AsyncClient(timeout=120) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return {"statuses": statuses, "generations": generations, "mismatches": mismatches, "latencies": latencies}


async def run(url: str, corpus: Path, index_dir: Path, clients: int, publishes: int, model: str) -> dict:
    done = asyncio.Event()
    load = asyncio.create_task(clients_until(url, clients, done))
    extra = corpus / "extra.txt"
    seconds = []
    for number in range(publishes):
        if extra.exists():
            extra.unlink()
        else:
            shutil.copy(REPO / "corpus" / "003_592341dc8e18cf32.txt", extra)
        started = time.perf_counter()
        command = [sys.executable, "-c", "from search_api.cli import main; main()", "index", str(corpus),
                   "--index", str(index_dir), "--model", model]
        process = await asyncio.create_subprocess_exec(*command, stdout=subprocess.DEVNULL,
                                                       stderr=subprocess.DEVNULL)
        if await process.wait() != 0:
            raise RuntimeError(f"reports index failed on publish {number + 1}")
        seconds.append(time.perf_counter() - started)
        await asyncio.sleep(3)  # the server looks for a new generation every 2 s
    done.set()
    return await load | {"index_seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--publishes", type=int, default=5)
    parser.add_argument("--model", default="multilingual-e5-small")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        corpus, index_dir = Path(work) / "corpus", Path(work) / "index"
        shutil.copytree(REPO / "corpus", corpus)
        build_index([corpus], index_dir, create_embedder(args.model))
        with serving_process(index_dir) as url:
            result = asyncio.run(run(url, corpus, index_dir, args.clients, args.publishes, args.model))
    latencies = result["latencies"]
    non_2xx = sum(n for status, n in result["statuses"].items() if not (isinstance(status, int) and status < 300))
    print(f"requests {sum(result['statuses'].values())}, non-2xx or failed {non_2xx}, "
          f"header/body generation mismatches {result['mismatches']}")
    print(f"statuses {dict(result['statuses'])}")
    print(f"generations served {dict(sorted(result['generations'].items()))}")
    print(f"latency p50 {statistics.median(latencies):.0f} ms, p95 {statistics.quantiles(latencies, n=20)[18]:.0f} ms; "
          f"reports index runs took {', '.join(f'{s:.1f}' for s in result['index_seconds'])} s")


if __name__ == "__main__":
    main()
