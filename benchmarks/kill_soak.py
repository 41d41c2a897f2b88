"""Crash soak: SIGKILL `reports index` over and over, at random moments and at the exact points between
the generation's rename, the CURRENT switch and pruning; after every kill check that nothing was lost.

    python benchmarks/kill_soak.py [--rounds 120] [--model default|fake] [--seed 7]

Each round adds (or changes) one report in a copy of corpus/, starts a build and kills it: every 4th
round at an exact point (cycling through the points of tests/crash.py), the others after a random delay
within the length of an uninterrupted build. After the kill:
- the live generation passes its checksums and answers the seed questions exactly as the generation
  it holds did before (the previous state, or the new one when the kill came after the switch);
- the next, uninterrupted run completes, answers exactly like a clean build of the same files into a
  fresh index, leaves no scratch folder and at most two generations.
Prints one line per round and a summary; exits 1 on the first loss.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from eval.datasets import load_span_queries
from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import verify_generation
from search_api.search import LoadedIndex, SearchRequest, Searcher
from summarizer import answer

REPO = Path(__file__).resolve().parent.parent
# tests/crash.py by its path: putting tests/ on sys.path would let tests/summarizer/ shadow the package.
_spec = importlib.util.spec_from_file_location("crash", REPO / "tests" / "crash.py")
crash = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(crash)

SEED_QUERIES = REPO.parent / "shared" / "eval" / "seed_queries.jsonl"


def answers_of(index_dir: Path, embedder, questions: list[str]) -> list:
    """Search results and answers of every question, as JSON values (compare them with ``same``)."""
    searcher = Searcher(LoadedIndex.open(index_dir, embedder))
    try:
        out = [[[p.chunk_id, p.start, p.end, p.score] for p in
                searcher.search(SearchRequest(q, k=10)).passages] for q in questions]
        out += [answer(searcher, q).to_json() | {"generation": ""} for q in questions]
    finally:
        searcher.index.close()
    return json.loads(json.dumps(out, ensure_ascii=False))


def same(a, b) -> bool:
    """Equal, scores within 1e-4: a generation that kept segments holds its vectors in another order
    than a clean build, and float32 products then differ in the last bits (about 1e-7)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-4
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def files_of(index_dir: Path) -> dict:
    catalog = Catalog(IndexDirectory(index_dir).current())
    try:
        return {source: sha for source, (sha, _, _) in catalog.file_status().items()}
    finally:
        catalog.close()


def cached_vectors(index_dir: Path) -> int:
    path = IndexDirectory(index_dir).cache_path
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]


def new_report(corpus: Path, round_number: int) -> str:
    """A report no earlier round wrote, every sentence new (so it must be embedded): lines of two seed
    reports, chosen by the round number, each marked with it."""
    names = sorted(p.name for p in (REPO / "corpus").glob("*.txt"))
    first = (REPO / "corpus" / names[round_number % len(names)]).read_text(encoding="utf-8").splitlines()
    second = (REPO / "corpus" / names[(round_number + 2) % len(names)]).read_text(encoding="utf-8").splitlines()
    cut = 3 + round_number % max(len(first) - 6, 1)
    lines = first[:cut] + second[cut:]
    return "\n".join([f"第{round_number}号补充报告"] + [f"{line}（第{round_number}轮）" for line in lines if line.strip()])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=120)
    parser.add_argument("--model", default="default")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    model = None if args.model == "default" else args.model
    cli_model = "multilingual-e5-small" if model is None else model
    rng = random.Random(args.seed)
    embedder = create_embedder(model)
    questions = [q.query for q in load_span_queries(SEED_QUERIES)]
    work = Path(tempfile.mkdtemp(prefix="kill-soak-"))
    corpus, index_dir = work / "corpus", work / "index"
    shutil.copytree(REPO / "corpus", corpus)
    build_index([corpus], index_dir, embedder)
    # How long an uninterrupted run takes when one report is new: random kills land within it.
    (corpus / "added-0.txt").write_text(new_report(corpus, 0), encoding="utf-8")
    started = time.perf_counter()
    crash.build_killed_after(10_000, corpus, index_dir, cli_model)
    full_seconds = time.perf_counter() - started
    state_answers = {json.dumps(files_of(index_dir), sort_keys=True): answers_of(index_dir, embedder, questions)}
    print(f"work folder {work}; an uninterrupted run with one new report takes {full_seconds:.1f} s", flush=True)
    counts = {"kills": 0, "switched before kill": 0, "losses": 0, "exact": 0, "random": 0, "killed while embedding": 0}
    for number in range(1, args.rounds + 1):
        (corpus / f"added-{number % 3}.txt").write_text(new_report(corpus, number), encoding="utf-8")
        vectors_before = cached_vectors(index_dir)
        if number % 4 == 0:
            point = list(crash.POINTS)[(number // 4) % len(crash.POINTS)]
            code, how = crash.build_killed_at_point(point, corpus, index_dir, cli_model), f"at {point}"
            counts["exact"] += 1
        else:
            delay = rng.uniform(0.2, 1.1 * full_seconds)
            code, how = crash.build_killed_after(delay, corpus, index_dir, cli_model), f"after {delay:.1f} s"
            counts["random"] += 1
        killed = code == -9
        counts["kills"] += killed
        embedded = cached_vectors(index_dir) - vectors_before
        counts["killed while embedding"] += killed and embedded > 0 and how.startswith("after")
        layout = IndexDirectory(index_dir)
        verify_generation(layout.current())
        live_files = json.dumps(files_of(index_dir), sort_keys=True)
        now = answers_of(index_dir, embedder, questions)
        switched = live_files not in state_answers
        if switched:  # the kill came after the switch: the new generation must be a whole one
            counts["switched before kill"] += killed
        elif not same(now, state_answers[live_files]):
            counts["losses"] += 1
        build_index([corpus], index_dir, embedder)
        final = answers_of(index_dir, embedder, questions)
        clean = work / f"clean-{number}"
        (clean / "cache").mkdir(parents=True)
        shutil.copy(layout.cache_path, clean / "cache" / "embeddings.sqlite")
        build_index([corpus], clean, embedder)
        reference = answers_of(clean, embedder, questions)
        shutil.rmtree(clean)
        state_answers[json.dumps(files_of(index_dir), sort_keys=True)] = final
        leftovers = list(layout.generations.glob(".building-*"))
        ok = same(final, reference) and not leftovers and len(layout.generation_dirs()) <= 2
        if switched and not same(now, final):
            ok = False
        counts["losses"] += not ok
        print(f"round {number:3d}: kill {how:>26} -> exit {code:>3}, {embedded:4d} vectors embedded before it, "
              f"live after kill: {'new' if switched else 'previous'} generation, next run "
              f"{'matches a clean build' if ok else 'LOST SOMETHING'}", flush=True)
        if not ok:
            break
    print(json.dumps(counts))
    shutil.rmtree(work)
    return 1 if counts["losses"] else 0


if __name__ == "__main__":
    sys.exit(main())
