"""PostgreSQL + pgvector against the FAISS directory: the same archive, the same questions.

    python benchmarks/postgres_store.py --index /path/to/gov_reports-index --docs ../shared/data/gov_reports
                                  [--synthetic 1000000]

Starts a throwaway PostgreSQL server (tests/postgres_server.py) and
1. publishes ``--docs`` into it with ``build_index(..., database_url=...)``, taking every vector from
   ``--index``'s embedding cache (nothing is embedded): the store stage is the insert and the HNSW build;
2. on that archive and on ``--index``'s FAISS generation: recall@10 of pgvector HNSW against exact
   search, top-10 agreement of hybrid search, p50/p95 of hybrid search (all, by jurisdiction, by year)
   and of answers, and the database's size per 10^5 vectors;
3. with ``--synthetic N``: N vectors (the real ones replicated with Gaussian noise, as
   benchmarks/million.py does) copied into a table, the HNSW index built, and recall@10 and p50/p95 of
   plain and filtered nearest-neighbour queries, against exact search in numpy.
Results go to stdout; the committed figures are in benchmarks/results/postgres_store.txt.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from latency import percentiles, timed  # noqa: E402  (benchmarks/latency.py)
from postgres_server import start_server  # noqa: E402  (tests/postgres_server.py)
from indexer.pipeline import build_index  # noqa: E402
from indexer.store.archive import open_archive  # noqa: E402
from indexer.store import pgvector_store  # noqa: E402
from indexer.store.pgvector_store import HNSW_EF_CONSTRUCTION, HNSW_M  # noqa: E402
from search_api.search import Filters, LoadedIndex, SearchRequest, Searcher  # noqa: E402
from summarizer import answer  # noqa: E402


def questions() -> list[str]:
    files = [REPO.parent / "shared" / "eval" / "seed_queries.jsonl", REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl"]
    return [json.loads(line)["query"] for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def recall_at_10(store, exact_vectors: np.ndarray, queries: np.ndarray) -> float:
    hits = 0
    for query in queries:
        exact = np.argpartition(-(exact_vectors @ query), 10)[:10]
        _, found = store.search(query, 10)
        hits += len(set(exact.tolist()) & set(found[0].tolist()))
    return hits / (10 * len(queries))


def size_mb(conn, relation: str) -> float:
    return conn.execute("SELECT pg_total_relation_size(%s)", (relation,)).fetchone()[0] / 2**20


def compare_on_real_archive(args, server) -> None:
    url = server.new_database("archive")
    local = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    shutil.copytree(args.index / "cache", local / "cache")
    faiss_index = LoadedIndex.open(args.index)
    started = time.perf_counter()
    summary = build_index([args.docs], local, faiss_index.embedder, database_url=url)
    print(f"published {summary.units} vectors into PostgreSQL in {time.perf_counter() - started:.0f} s "
          f"({summary.units_embedded} embedded); stages {summary.seconds}")
    archive = open_archive(local, url)
    pg_index = LoadedIndex.open_generation(archive.current(), faiss_index.embedder, archive=archive)
    table = f'report_archive."{pg_index.generation}_units"'
    with archive._pool.connection() as conn:
        units_mb = size_mb(conn, table)
        all_mb = sum(size_mb(conn, f'report_archive."{pg_index.generation}_{kind}"') for kind in ("units", "chunks", "reports"))
        files_mb = conn.execute("SELECT sum(length(content)) FROM report_archive.generation_files").fetchone()[0] / 2**20
    n = len(pg_index.store)
    print(f"database: units table with indexes {units_mb:.0f} MiB ({units_mb / n * 1e5:.0f} MiB per 10^5 vectors); "
          f"reports+chunks+units {all_mb:.0f} MiB; generation files {files_mb:.0f} MiB; "
          f"{(all_mb + files_mb) / len(pg_index.reports):.2f} MiB per report")

    exact_vectors = faiss_index.store._stored()
    texts = questions()
    query_vectors = faiss_index.embedder.embed_queries(texts)
    rng = np.random.default_rng(3)
    held = exact_vectors[rng.choice(n, 200, replace=False)] + rng.normal(0, 0.02, (200, exact_vectors.shape[1]))
    held = (held / np.linalg.norm(held, axis=1, keepdims=True)).astype(np.float32)
    print(f"recall@10 of pgvector HNSW against exact: questions {recall_at_10(pg_index.store, exact_vectors, query_vectors):.3f}, "
          f"200 perturbed stored vectors {recall_at_10(pg_index.store, exact_vectors, held):.3f}")
    for name, store in (("FAISS", faiss_index.store), ("pgvector", pg_index.store)):
        times = [t for v in query_vectors for t in timed(lambda v=v: store.search(v, 10))]
        print(f"  nearest 10 vectors, {name:8s} {percentiles(times)}")
    default = pgvector_store.MIN_EF_SEARCH
    for ef in (40, 100, 200, 400, 1000):
        pgvector_store.MIN_EF_SEARCH = ef
        times = [t for v in query_vectors for t in timed(lambda v=v: pg_index.store.search(v, 10))]
        print(f"  ef_search {ef:4d}: recall@10 {recall_at_10(pg_index.store, exact_vectors, query_vectors):.3f}, "
              f"{percentiles(times)}")
    pgvector_store.MIN_EF_SEARCH = default
    hits = 0
    for query in query_vectors:
        exact = np.argpartition(-(exact_vectors @ query), 1000)[:1000]
        hits += len(set(exact.tolist()) & set(pg_index.store.search(query, 1000)[1][0].tolist()))
    print(f"  recall@1000 (a search's dense depth) at ef_search 1000: {hits / (1000 * len(query_vectors)):.3f}")

    searchers = {"FAISS": Searcher(faiss_index), "pgvector": Searcher(pg_index)}
    same = 0
    for q in texts:
        a, b = ([p.chunk_id for p in searchers[name].search(SearchRequest(q, 10)).passages] for name in searchers)
        same += a == b
        if a != b:
            print(f"  top 10 differ: {q}: {len(set(a) & set(b))} shared, first difference at rank "
                  f"{next(i for i, (x, y) in enumerate(zip(a, b)) if x != y) + 1}")
    print(f"hybrid search top 10 identical on {same}/{len(texts)} questions")
    same_answers = 0
    for q in texts:
        a, b = answer(searchers["FAISS"], q), answer(searchers["pgvector"], q)
        same_answers += [(g.label, [s.text for s in g.summary]) for g in a.groups] == \
            [(g.label, [s.text for s in g.summary]) for g in b.groups]
    print(f"answers with the same groups and summary sentences on {same_answers}/{len(texts)} questions")
    reports = list(faiss_index.reports.values())
    place = statistics.mode([r.jurisdiction for r in reports if r.jurisdiction])
    year = statistics.mode([r.year for r in reports if r.year])
    for label, filters in (("hybrid search", Filters()), (f"hybrid, jurisdiction {place}", Filters(place)),
                           (f"hybrid, year {year}", Filters(None, year, year))):
        for name, searcher in searchers.items():
            times = [t for q in texts for t in timed(lambda q=q: searcher.search(SearchRequest(q, 10, "hybrid", filters)))]
            print(f"  {label:32s} {name:8s} {percentiles(times)}")
    for name, searcher in searchers.items():
        times = [t for q in texts for t in timed(lambda q=q: answer(searcher, q), 1)]
        print(f"  {'answers':32s} {name:8s} {percentiles(times)}")
    archive.close()


def synthetic(args, server, base: LoadedIndex) -> None:
    import psycopg
    from pgvector.psycopg import register_vector

    url = server.new_database("synthetic")
    stored = base.store._stored()
    dimension = stored.shape[1]
    report_of = base.chunk_report_position[base.unit_chunk].astype(np.int32)
    copies = math.ceil(args.synthetic / len(stored))
    rng = np.random.default_rng(7)
    vectors = []
    for copy in range(copies):
        v = stored if copy == 0 else stored + rng.normal(0, 0.01, stored.shape).astype(np.float32)
        vectors.append(v / np.linalg.norm(v, axis=1, keepdims=True))
    vectors = np.concatenate(vectors)[: args.synthetic].astype(np.float32)
    reports = np.concatenate([report_of + copy * len(base.reports) for copy in range(copies)])[: args.synthetic]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        register_vector(conn)
        conn.execute(f"CREATE TABLE units (vector_id bigint PRIMARY KEY, report integer NOT NULL, embedding vector({dimension}))")
        started = time.perf_counter()
        with conn.cursor().copy("COPY units FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int4", "vector"])
            for i in range(len(vectors)):
                copy.write_row((i, int(reports[i]), vectors[i]))
        inserted = time.perf_counter() - started
        print(f"synthetic: {len(vectors):,} vectors copied in {inserted:.0f} s ({len(vectors) / inserted:,.0f} vectors/s)", flush=True)
        conn.execute("SET maintenance_work_mem = '4GB'")
        started = time.perf_counter()
        conn.execute(f"CREATE INDEX ON units USING hnsw ((embedding::halfvec({dimension})) halfvec_ip_ops) "
                     f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
        conn.execute("CREATE INDEX ON units (report)")
        conn.execute("VACUUM ANALYZE units")
        built = time.perf_counter() - started
        total_mb = size_mb(conn, "units")
        print(f"synthetic: HNSW and report index built in {built:.0f} s; table with indexes {total_mb:.0f} MiB "
              f"({total_mb / len(vectors) * 1e5:.0f} MiB per 10^5 vectors)", flush=True)

        queries = base.embedder.embed_queries(questions())
        held = vectors[rng.choice(len(vectors), 100, replace=False)] + rng.normal(0, 0.02, (100, dimension))
        queries = np.concatenate([queries, (held / np.linalg.norm(held, axis=1, keepdims=True)).astype(np.float32)])
        place_reports = np.flatnonzero(np.array([r.jurisdiction == statistics.mode(
            [x.jurisdiction for x in base.report_list if x.jurisdiction]) for r in base.report_list]))
        year = statistics.mode([r.year for r in base.report_list if r.year])
        year_reports = np.flatnonzero(np.array([r.year == year for r in base.report_list]))
        all_copies = lambda chosen: np.concatenate([chosen + c * len(base.reports) for c in range(copies)])  # noqa: E731
        for label, chosen in (("all", None), ("one jurisdiction", all_copies(place_reports)), (f"year {year}", all_copies(year_reports))):
            mask = np.ones(len(vectors), bool) if chosen is None else np.isin(reports, chosen)
            where = "" if chosen is None else "WHERE report = ANY(%s)"
            params = () if chosen is None else (chosen.tolist(),)
            times, hits = [], 0
            for query in queries:
                with conn.transaction():
                    conn.execute(f"SET LOCAL hnsw.ef_search = {pgvector_store.MIN_EF_SEARCH}")
                    conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                    start = time.perf_counter()
                    rows = conn.execute(
                        f"SELECT vector_id FROM units {where} ORDER BY embedding::halfvec({dimension}) <#> %s::halfvec({dimension}) LIMIT 10",
                        (*params, query)).fetchall()
                    times.append((time.perf_counter() - start) * 1000)
                scores = np.where(mask, vectors @ query, -np.inf)
                exact = np.argpartition(-scores, 10)[:10]
                hits += len(set(exact.tolist()) & {r[0] for r in rows})
            share = mask.mean()
            print(f"synthetic: nearest 10, {label:18s} ({share:.1%} of vectors) {percentiles(times)}, "
                  f"recall@10 {hits / (10 * len(queries)):.3f} (n={len(queries)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()
    server = start_server()
    server.stop()
    server.start("shared_buffers=2GB", "max_parallel_maintenance_workers=1")
    try:
        if not args.skip_archive:
            compare_on_real_archive(args, server)
        if args.synthetic:
            synthetic(args, server, LoadedIndex.open(args.index))
    finally:
        server.remove()


if __name__ == "__main__":
    main()
