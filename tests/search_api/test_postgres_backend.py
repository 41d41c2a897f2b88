"""Search, answers and eval on the PostgreSQL backend give what the FAISS directory gives (real model),
and servers sharing one database, or reading a streaming replica, switch generations together."""

from __future__ import annotations

import json
import threading

import httpx
import pytest
from support import REPO, shared_path

from eval.datasets import load_span_queries
from eval.harness import score_span_queries
from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index
from search_api.live_server import running_server
from search_api.search import SearchRequest
from search_api.service import SearchService
from summarizer import answer


def _questions() -> list[str]:
    seed = load_span_queries(shared_path("eval", "seed_queries.jsonl"))
    translated = load_span_queries(REPO / "benchmarks" / "data" / "seed_queries_translated_en.jsonl")
    return [q.query for q in seed + translated]


def _top10(searcher, question: str) -> list[str]:
    return [p.chunk_id for p in searcher.search(SearchRequest(question, 10)).passages]


def test_the_same_top_10_on_the_seed_and_translated_questions(real_searcher, pg_searcher):
    # The corpus index holds fewer vectors than pgvector's ef_search walks, so HNSW is exact here.
    questions = _questions()
    assert len(questions) >= 20
    for question in questions:
        assert _top10(pg_searcher, question) == _top10(real_searcher, question), question


def test_the_same_eval_scores(real_searcher, pg_searcher):
    queries = load_span_queries(shared_path("eval", "seed_queries.jsonl"))
    faiss_scores = [r.scores for r in score_span_queries("seed", real_searcher, queries)]
    pg_scores = [r.scores for r in score_span_queries("seed", pg_searcher, queries)]
    assert pg_scores == faiss_scores


@pytest.mark.parametrize("question", ["各地如何落实行政机关负责人出庭应诉",
                                      "how did each city handle administrative appearance in court"])
def test_the_same_answers(real_searcher, pg_searcher, question):
    faiss_answer, pg_answer = answer(real_searcher, question), answer(pg_searcher, question)
    assert [g.label for g in pg_answer.groups] == [g.label for g in faiss_answer.groups]
    assert [[p.chunk_id for p in g.passages] for g in pg_answer.groups] == \
        [[p.chunk_id for p in g.passages] for g in faiss_answer.groups]
    assert [s.text for g in pg_answer.groups for s in g.summary] == \
        [s.text for g in faiss_answer.groups for s in g.summary]


def test_the_api_serves_the_database(pg_corpus_index, real_searcher):
    local, url = pg_corpus_index
    with running_server(local, database_url=url) as api:
        stats = httpx.get(f"{api}/api/stats", timeout=30).json()
        body = httpx.get(f"{api}/api/search", params={"q": "行政复议", "k": 5}, timeout=60).json()
    assert stats["store"]["kind"] == "pgvector-hnsw"
    assert [p["chunk_id"] for p in body["results"]] == _top10(real_searcher, "行政复议")[:5]


def _edit(corpus, number: int) -> None:
    path = sorted(corpus.glob("*.txt"))[number]
    path.write_text(path.read_text(encoding="utf-8") + f"\n第{number}次补充：强化行政执法协调监督。\n", encoding="utf-8")


def test_two_servers_on_one_database_switch_together(tmp_path, corpus_copy, database_url):
    embedder = FakeEmbedder()
    build_index([corpus_copy], tmp_path / "builder", embedder, database_url=database_url)
    # Two "machines": each its own local directory of copies.
    servers = [SearchService(tmp_path / f"server-{i}", reload_seconds=60, database_url=database_url)
               for i in range(2)]
    try:
        assert {s.searcher.index.generation for s in servers} == {"gen-000001"}
        _edit(corpus_copy, 0)
        build_index([corpus_copy], tmp_path / "builder", embedder, database_url=database_url)
        assert all(s.reload_if_changed() for s in servers)
        assert {s.searcher.index.generation for s in servers} == {"gen-000002"}
        hits = [s.searcher.search(SearchRequest("强化行政执法协调监督", 1, "phrase")).passages for s in servers]
        assert all(len(h) == 1 for h in hits)
    finally:
        for server in servers:
            server.stop()


def test_a_streaming_replica_serves_while_the_primary_publishes(tmp_path, corpus_copy, postgres):
    embedder = FakeEmbedder()
    primary_url = postgres.new_database("replicated")
    build_index([corpus_copy], tmp_path / "builder", embedder, database_url=primary_url)
    standby = postgres.replica(port=postgres.port + 1)
    try:
        service = SearchService(tmp_path / "reader", reload_seconds=60, database_url=standby.url_of("replicated"))
        failures, searched, done = [], [0], threading.Event()

        def search_continuously():
            while not done.is_set():
                try:
                    service.reload_if_changed()
                    service.searcher.search(SearchRequest("行政执法", 5))
                    searched[0] += 1
                except Exception as error:  # any failure of a read while the primary writes
                    failures.append(repr(error))

        reader = threading.Thread(target=search_continuously)
        reader.start()
        _edit(corpus_copy, 1)
        build_index([corpus_copy], tmp_path / "builder", embedder, database_url=primary_url)
        _wait_for(lambda: service.searcher.index.generation == "gen-000002", 60)
        done.set()
        reader.join(timeout=60)
        assert failures == [] and searched[0] > 0
        hit = service.searcher.search(SearchRequest("强化行政执法协调监督", 1, "phrase")).passages
        assert len(hit) == 1
        service.stop()
    finally:
        standby.remove()


def _wait_for(condition, seconds: float) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_the_cli_searches_the_database_and_names_a_bad_url(pg_corpus_index, tmp_path):
    from typer.testing import CliRunner

    from search_api.cli import app

    local, url = pg_corpus_index
    result = CliRunner().invoke(app, ["search", "行政复议", "-k", "3", "--json", "--index", str(local)],
                                env={"REPORTS_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["results"]) == 3
    bad = CliRunner().invoke(app, ["search", "行政复议", "--index", str(tmp_path),
                                   "--store", f"postgresql://nobody@/none?host={tmp_path}&port=1"])
    assert bad.exit_code == 2 and "cannot use the database" in bad.output
