"""Search and answers at a million vectors, built in memory from a real index (issue: fast at scale).

    python benchmarks/million.py --index /path/to/gov_reports-index [--vectors 1000000]

The synthetic archive is the real index replicated until it holds ``--vectors`` vectors:
- reports and chunks are the real ones under new doc ids (copy 0 is the original), so every citation
  still points at real text, and filters by place and year select copies of real reports;
- vectors are the real ones plus Gaussian noise (``--noise`` per dimension, then normalised: cosine to
  the original about 0.98 at 0.01), so the ANN sees near-duplicates as a real archive of similar
  reports does;
- keyword and gloss postings are the real ones for each copy with a share (``--drop``) of them dropped
  at random in every copy but the first, so document frequencies and lengths vary as in a real archive.
Nothing is written to disk but the FAISS file, once, to measure its size, unless ``--write DIR``
writes the synthetic archive as an index directory, or with ``--store URL`` into a PostgreSQL archive
(and does nothing else), for `reports serve` and benchmarks/load_api.py. Queries are embedded with
the index's own model, as the server does. Results go to stdout; the committed figures are in
benchmarks/results/million.txt.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import math
import resource
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import faiss
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from latency import percentiles, timed  # noqa: E402  (benchmarks/latency.py)
from indexer.gloss import GlossIndex  # noqa: E402
from indexer.keyword import KeywordIndex  # noqa: E402
from indexer.store.segment import GLOSS, KEYWORD  # noqa: E402
from indexer.terms import TermPostings  # noqa: E402
from indexer.store.faiss_store import FaissStore  # noqa: E402
from search_api.search import Filters, LoadedIndex, SearchRequest, Searcher  # noqa: E402
from search_api.search.searcher import SearchSettings  # noqa: E402
from summarizer import answer  # noqa: E402


def replicate_postings(postings: TermPostings, copies: int, drop: float, rng) -> TermPostings:
    """The term frequencies of ``copies`` copies of the documents, copy ``c``'s documents numbered
    ``c * documents + d``; every copy but the first loses a share ``drop`` of its postings at random."""
    documents = postings.size
    term_of = np.repeat(np.arange(len(postings.indptr) - 1), np.diff(postings.indptr))
    parts_terms, parts_rows, parts_frequencies = [], [], []
    for copy in range(copies):
        keep = np.ones(len(postings.rows), bool) if copy == 0 else rng.random(len(postings.rows)) >= drop
        parts_terms.append(term_of[keep])
        parts_rows.append(postings.rows[keep].astype(np.int64) + copy * documents)
        parts_frequencies.append(postings.frequencies[keep])
    terms = np.concatenate(parts_terms)
    order = np.argsort(terms, kind="stable")  # by term, documents in copy order within it
    indptr = np.zeros(len(postings.indptr), dtype=np.int64)
    np.cumsum(np.bincount(terms, minlength=len(indptr) - 1), out=indptr[1:])
    rows, frequencies = np.concatenate(parts_rows)[order], np.concatenate(parts_frequencies)[order]
    lengths = np.bincount(rows, weights=frequencies, minlength=documents * copies).astype(np.float32)
    return TermPostings(postings.vocabulary, indptr, rows.astype(np.int32), frequencies, lengths)


def base_postings(base: LoadedIndex, folder: str) -> TermPostings:
    segments = base.catalog.segments
    if len(segments) != 1 or not segments[0].chunk_live.all():
        sys.exit(f"{base.directory} has {len(segments)} segments: rebuild it (`reports index ... --rebuild`) to have one")
    return TermPostings.load(segments[0].directory / folder)


def synthetic_index(base: LoadedIndex, copies: int, noise: float, drop: float, seed: int = 7
                    ) -> tuple[LoadedIndex, float, tuple[TermPostings, TermPostings]]:
    """The archive, the seconds its vectors took to add (the HNSW graph is built as they are) and its
    keyword and gloss postings."""
    rng = np.random.default_rng(seed)
    n_chunks, n_vectors = len(base.chunks), len(base.store)
    stored = base.store._stored().copy()
    store = FaissStore.create(base.store.dimension, n_vectors * copies)
    faiss.omp_set_num_threads(2)  # building only; serving uses 1 thread (faiss_store.py)
    started = time.perf_counter()
    for copy in range(copies):
        vectors = stored if copy == 0 else stored + rng.normal(0, noise, stored.shape).astype(np.float32)
        faiss.normalize_L2(vectors)
        store.add(vectors)
        print(f"  vectors: copy {copy + 1}/{copies}, {time.perf_counter() - started:.0f} s", flush=True)
    faiss.omp_set_num_threads(1)
    build_seconds = time.perf_counter() - started

    reports, chunks, chunk_report = {}, [], []
    for copy in range(copies):
        renamed = {doc_id: dataclasses.replace(r, doc_id=f"{doc_id}~{copy}", source=f"copy{copy:02d}/{r.source}")
                   for doc_id, r in base.reports.items()}
        reports.update({r.doc_id: r for r in renamed.values()})
        for chunk in base.chunks:
            report = renamed[chunk.doc_id]
            chunks.append(dataclasses.replace(chunk, doc_id=report.doc_id, chunk_id=f"{chunk.chunk_id}~{copy}"))
            chunk_report.append(report)

    keyword_postings = replicate_postings(base_postings(base, KEYWORD), copies, drop, rng)
    gloss_postings = replicate_postings(base_postings(base, GLOSS), copies, drop, rng)
    keyword = KeywordIndex.from_parts([keyword_postings], base.keyword.tokenizer)
    gloss = GlossIndex.from_parts([gloss_postings])

    index = LoadedIndex(
        directory=base.directory, manifest=base.manifest, catalog=base.catalog, reports=reports, chunks=chunks,
        chunk_report=chunk_report,
        unit_chunk=np.concatenate([base.unit_chunk + copy * n_chunks for copy in range(copies)]),
        unit_spans=np.tile(base.unit_spans, (copies, 1)), store=store, keyword=keyword, embedder=base.embedder,
        gloss=gloss,
    )
    return index, build_seconds, (keyword_postings, gloss_postings)


def write_generation_dir(index: LoadedIndex, postings: tuple[TermPostings, TermPostings], target: Path,
                         database_url: str | None = None) -> str:
    """The synthetic archive as a published generation of the index directory ``target`` (for
    `reports serve` and benchmarks/load_api.py), or of the PostgreSQL archive at ``database_url``
    (``target`` then holds its local copies): one segment, every copy's raw document renamed with its
    report; the HNSW graph is the one built in memory."""
    from indexer.records import VectorUnit
    from indexer.store.archive import open_archive
    from indexer.store.catalog import SEGMENTS, Catalog, write_catalog, write_segment_catalog
    from indexer.store.manifest import checksum, write_manifest
    from indexer.store.segment import VECTORS, segment_name

    layout = open_archive(target, database_url)
    reports = []
    for report in index.reports.values():
        raw = dataclasses.replace(report.clean.raw, source=report.source)
        reports.append(dataclasses.replace(report, clean=dataclasses.replace(report.clean, raw=raw)))
    units = [VectorUnit(index.chunks[row].chunk_id, int(start), int(end), "")
             for row, (start, end) in zip(index.unit_chunk, index.unit_spans)]
    vectors = index.store.vectors(np.arange(len(index.store)))  # float16 in the graph: what a rebuild would read
    with layout.lock(), layout.building() as scratch:
        generation = layout.next_name()
        name = segment_name(generation)
        segment = scratch / SEGMENTS / name
        segment.mkdir(parents=True)
        write_segment_catalog(segment, [r.clean.raw for r in reports], reports, index.chunks, units, {})
        if layout.segment_vectors:
            np.save(segment / VECTORS, vectors)
        for folder, part in zip((KEYWORD, GLOSS), postings):
            part.save(segment / folder)
        write_catalog(scratch, [], [name], {})
        if database_url:
            with closing(Catalog(scratch)) as catalog:
                kind, _ = layout.write_vectors(scratch, generation, catalog, ([], reports, index.chunks, units), vectors)
        else:
            kind, _ = index.store.kind, index.store.save(scratch)
        base = index.manifest
        counts = base.counts | {"reports": len(reports), "documents": len(reports), "chunks": len(index.chunks),
                                "units": len(units)}
        files = [p for p in scratch.rglob("*") if p.is_file()]
        manifest = dataclasses.replace(base, generation=generation, store={"kind": kind, "vectors": len(units)},
                                       counts=counts, keyword=base.keyword | {"documents": index.keyword.size},
                                       gloss=base.gloss | {"documents": index.gloss.size}, segments=[name],
                                       files={str(p.relative_to(scratch)): checksum(p) for p in files})
        write_manifest(scratch, manifest)
        layout.publish(scratch, generation)
    layout.close()
    return generation


def vm_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def recall_at_10(store: FaissStore, queries: np.ndarray) -> float:
    hits = 0
    for query in queries:
        exact = np.argpartition(-store.score_all(query), 10)[:10]
        _, found = store.search(query, 10)
        hits += len(set(exact.tolist()) & set(found[0].tolist()))
    return hits / (10 * len(queries))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--noise", type=float, default=0.01)
    parser.add_argument("--drop", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed-queries", type=Path, default=REPO.parent / "shared" / "eval" / "seed_queries.jsonl")
    parser.add_argument("--english-queries", type=Path, default=REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl")
    parser.add_argument("--write", type=Path, help="write the synthetic archive as an index directory and stop")
    parser.add_argument("--store", help="with --write: publish into this PostgreSQL database instead")
    args = parser.parse_args()

    base = LoadedIndex.open(args.index)
    if args.write:
        copies = max(1, math.ceil(args.vectors / len(base.store)))
        index, _, postings = synthetic_index(base, copies, args.noise, args.drop)
        started = time.perf_counter()
        generation = write_generation_dir(index, postings, args.write, args.store)
        sizes = sum(f.stat().st_size for f in args.write.rglob("*") if f.is_file() and generation in str(f))
        print(f"wrote {generation} of {args.write}: {len(index.reports)} reports, {len(index.store)} vectors, "
              f"{sizes / 2**20:.0f} MiB, in {time.perf_counter() - started:.0f} s")
        return
    zh = [json.loads(line)["query"] for line in args.seed_queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    en = [json.loads(line)["query"] for line in args.english_queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = zh + en
    print(f"base index: {len(base.reports)} reports, {len(base.chunks)} chunks, {len(base.store)} vectors; "
          f"{len(zh)} Chinese and {len(en)} English questions")

    # Answers on the real index, exhaustive against the approximate path of a large archive.
    exact, approximate = Searcher(base), Searcher(base, SearchSettings(exhaustive_limit=0))
    differences = 0
    for question in questions:
        a, b = answer(exact, question), answer(approximate, question)
        groups_a, groups_b = [g.label for g in a.groups], [g.label for g in b.groups]
        quotes_a = [(s.doc_id, s.start) for g in a.groups for s in g.summary]
        quotes_b = [(s.doc_id, s.start) for g in b.groups for s in g.summary]
        if groups_a != groups_b or quotes_a != quotes_b:
            differences += 1
            print(f"  differs: {question}\n    groups only exhaustive: {sorted(set(groups_a) - set(groups_b))}"
                  f"\n    groups only approximate: {sorted(set(groups_b) - set(groups_a))}"
                  f"\n    quotes: {len(set(quotes_a) & set(quotes_b))} shared of {len(quotes_a)} / {len(quotes_b)}")
    print(f"answers on the real index, approximate vs exhaustive: {len(questions) - differences}/{len(questions)} "
          "questions with the same groups and quotes")

    # Searches on the real index fuse only the lexical runs' 2,000 best chunks; against all of them:
    every_chunk = Searcher(base, SearchSettings(lexical_depth=len(base.chunks)))
    same = sum([p.chunk_id for p in exact.search(SearchRequest(q, 10)).passages]
               == [p.chunk_id for p in every_chunk.search(SearchRequest(q, 10)).passages] for q in questions)
    print(f"search top 10 on the real index, lexical runs cut to their 2,000 best chunks vs all: "
          f"{same}/{len(questions)} questions identical")

    copies = max(1, math.ceil(args.vectors / len(base.store)))
    print(f"building {copies} copies ...", flush=True)
    index, build_seconds, postings = synthetic_index(base, copies, args.noise, args.drop)
    searcher = Searcher(index)
    gc.collect()
    print(f"synthetic archive: {len(index.reports)} reports, {len(index.chunks)} chunks, {len(index.store)} vectors "
          f"({index.store.kind}); vectors added and graph built in {build_seconds:.0f} s; "
          f"RSS {vm_rss_mb():.0f} MB")
    with tempfile.TemporaryDirectory() as folder:
        store_bytes = sum(f.stat().st_size for f in Path(folder).iterdir()) if index.store.save(Path(folder)) else 0
    keyword_bytes = sum(a.nbytes for a in (postings[0].indptr, postings[0].rows, postings[0].frequencies))
    print(f"on disk: vectors.faiss {store_bytes / 2**20:.0f} MiB; keyword postings {keyword_bytes / 2**20:.0f} MiB")

    rng = np.random.default_rng(3)
    held = index.store.vectors(rng.choice(len(index.store), 200, replace=False))
    held += rng.normal(0, 0.02, held.shape).astype(np.float32)
    faiss.normalize_L2(held)
    print(f"dense recall@10, HNSW against exact, 200 perturbed stored vectors: {recall_at_10(index.store, held):.3f}")
    query_vectors = index.embedder.embed_queries(questions)
    print(f"dense recall@10, HNSW against exact, the {len(questions)} questions: {recall_at_10(index.store, query_vectors):.3f}")

    places = sorted({r.jurisdiction for r in base.reports.values() if r.jurisdiction},
                    key=lambda p: -sum(r.jurisdiction == p for r in base.reports.values()))
    years = statistics.mode([r.year for r in base.reports.values() if r.year])
    for name, filters in [("hybrid search", Filters()), (f"hybrid, jurisdiction {places[0]}", Filters(places[0])),
                          (f"hybrid, jurisdiction {places[-1]}", Filters(places[-1])),
                          (f"hybrid, year {years}", Filters(None, years, years))]:
        for question in questions[:2]:
            searcher.search(SearchRequest(question, 10, "hybrid", filters))  # warm up
        times = [t for q in questions for t in timed(lambda q=q: searcher.search(SearchRequest(q, 10, "hybrid", filters)),
                                                     args.repeats)]
        print(f"{name:40s} {percentiles(times)} (n={len(times)})")
    times = [t for q in questions for t in timed(lambda q=q: answer(searcher, q), 1)]
    print(f"{'answers':40s} {percentiles(times)}")
    phrases = ["行政复议", "有件必备、有备必审", "法治政府建设", "出庭应诉", "双随机、一公开"]
    searcher.search(SearchRequest(phrases[0], 1, "phrase"))  # builds the phrase index once
    times = [t for p in phrases for t in timed(lambda p=p: searcher.search(SearchRequest(p, 1, "phrase")), args.repeats)]
    print(f"{'phrase search over all chunks':40s} {percentiles(times)}")
    print(f"RSS now {vm_rss_mb():.0f} MB; peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
