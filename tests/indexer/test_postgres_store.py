"""The PostgreSQL archive and its pgvector store, against a real server (fake embedder: fast)."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
from support import CORPUS

from indexer.pipeline import build_index
from indexer.store.archive import open_archive
from indexer.store.layout import IndexWriteError
from indexer.store.postgres import SCHEMA, DatabaseUnavailable
from search_api.search import LoadedIndex


def _tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (SCHEMA,))}


def _open(local, url, embedder):
    archive = open_archive(local, url)
    return archive, LoadedIndex.open_generation(archive.current(), embedder, archive=archive)


def test_the_pgvector_store_scores_exactly_as_faiss(tmp_path, database_url, fake_embedder):
    build_index([CORPUS], tmp_path / "faiss", fake_embedder)
    build_index([CORPUS], tmp_path / "pg", fake_embedder, database_url=database_url)
    faiss_index = LoadedIndex.open(tmp_path / "faiss", fake_embedder)
    archive, pg_index = _open(tmp_path / "pg", database_url, fake_embedder)
    faiss_store, pg_store = faiss_index.store, pg_index.store
    assert pg_store.kind == "pgvector-hnsw" and len(pg_store) == len(faiss_store) > 500
    ids = np.array([0, 7, len(pg_store) - 1, 3])
    np.testing.assert_allclose(pg_store.vectors(ids), faiss_store.vectors(ids), atol=1e-6)
    query = faiss_store.vectors([11])[0]
    np.testing.assert_allclose(pg_store.score_all(query), faiss_store.score_all(query), atol=1e-5)
    np.testing.assert_allclose(pg_store.score_ids(ids, query), faiss_store.score_ids(ids, query), atol=1e-5)
    # A few hundred vectors: HNSW finds the exact top 10.
    pg_scores, pg_ids = pg_store.search(query, 10)
    faiss_scores, faiss_ids = faiss_store.search(query, 10)
    assert pg_ids[0].tolist() == faiss_ids[0].tolist()
    np.testing.assert_allclose(pg_scores, faiss_scores, atol=1e-5)
    # Filtered in SQL: only the vectors of one report.
    report = pg_index.chunks[0].doc_id
    allowed = np.array([pg_index.chunks[row].doc_id == report for row in pg_index.unit_chunk])
    _, within = pg_store.search_within(query, 5, allowed)
    assert len(within[0]) == 5 and allowed[within[0]].all()
    assert within[0].tolist() == faiss_store.search_within(query, 5, allowed)[1][0].tolist()
    archive.close()


def test_generations_switch_in_the_database_and_the_old_ones_are_dropped(tmp_path, corpus_copy, database_url,
                                                                         fake_embedder):
    local = tmp_path / "local"
    first = build_index([corpus_copy], local, fake_embedder, database_url=database_url)
    again = build_index([corpus_copy], local, fake_embedder, database_url=database_url)
    assert first.published and not again.published and again.generation == first.generation
    names = sorted(corpus_copy.glob("*.txt"))
    for number, path in enumerate(names[:2]):
        path.write_text(path.read_text(encoding="utf-8") + f"\n补充说明第{number}条。\n", encoding="utf-8")
        build_index([corpus_copy], local, fake_embedder, database_url=database_url)
    archive = open_archive(local, database_url)
    assert archive.current_name() == "gen-000003"
    # The live generation and the one it replaced; the first one's tables are gone.
    assert {p.name for p in archive.generation_dirs()} == {"gen-000003", "gen-000002"}
    tables = _tables(database_url)
    assert {"gen-000003_units", "gen-000002_units", "gen-000003_reports", "gen-000003_chunks"} <= tables
    assert not any(t.startswith("gen-000001") for t in tables)
    index = LoadedIndex.open_generation(archive.current(), fake_embedder, archive=archive)
    assert len(index.store) == index.manifest.store["vectors"]
    with psycopg.connect(database_url) as conn:
        assert conn.execute(f'SELECT count(*) FROM {SCHEMA}."gen-000003_reports"').fetchone()[0] == len(index.reports)
    archive.close()


def test_a_failed_publish_leaves_the_live_generation_and_no_tables(tmp_path, corpus_copy, database_url,
                                                                   fake_embedder, monkeypatch):
    local = tmp_path / "local"
    build_index([corpus_copy], local, fake_embedder, database_url=database_url)
    before = _tables(database_url)
    (corpus_copy / "new.txt").write_text("2020年法治政府建设情况报告\n一、加强行政执法监督。" * 20, encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("indexer.store.writer.write_manifest", fail)
    with pytest.raises(IndexWriteError, match="No space left"):
        build_index([corpus_copy], local, fake_embedder, database_url=database_url)
    archive = open_archive(local, database_url)
    assert archive.current_name() == "gen-000001"
    assert _tables(database_url) == before
    archive.close()


def test_one_build_at_a_time_per_database(tmp_path, database_url, fake_embedder):
    archive = open_archive(tmp_path / "elsewhere", database_url)
    with archive.lock(), pytest.raises(RuntimeError, match="another build is running"):
        build_index([CORPUS], tmp_path / "local", fake_embedder, database_url=database_url)
    archive.close()


def test_an_unreachable_database_is_named_without_its_password(tmp_path, fake_embedder):
    url = f"postgresql://someone:secret@/nowhere?host={tmp_path}&port=1"
    with pytest.raises(DatabaseUnavailable) as error:
        build_index([CORPUS], tmp_path / "local", fake_embedder, database_url=url)
    assert "someone:***@" in str(error.value) and "secret" not in str(error.value)
    assert not (tmp_path / "local" / "generations").exists() or not any((tmp_path / "local" / "generations").iterdir())


def test_a_damaged_local_copy_is_downloaded_again(tmp_path, database_url, fake_embedder):
    from indexer.store.manifest import verify_generation

    build_index([CORPUS], tmp_path / "builder", fake_embedder, database_url=database_url)
    reader = open_archive(tmp_path / "reader", database_url)
    copy = reader.current()
    reader.close()
    (copy / "catalog.sqlite").write_bytes(b"flipped")
    restarted = open_archive(tmp_path / "reader", database_url)
    assert restarted.current() == copy
    verify_generation(copy)  # whole again
    restarted.close()
