"""``--model multilingual-e5-small-int8``: int8 passages near the default's, the default's queries."""

from __future__ import annotations

import shutil

import numpy as np
from support import CORPUS

from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from search_api.search import LoadedIndex, SearchRequest, Searcher

TEXTS = ["行政机关负责人出庭应诉工作", "legal advisers for the government", "全年共办理行政复议案件125件"]


def test_int8_passages_stay_near_the_default_and_queries_are_the_default():
    default, int8 = create_embedder(), create_embedder("multilingual-e5-small-int8")
    assert int8.vector_space == default.vector_space and int8.runtime != default.runtime
    cosines = np.sum(default.embed_passages(TEXTS) * int8.embed_passages(TEXTS), axis=1)
    assert (cosines > 0.99).all() and (cosines < 0.99999).all()  # quantised, not the same graph
    np.testing.assert_array_equal(int8.embed_queries(TEXTS), default.embed_queries(TEXTS))


def test_an_int8_index_is_searched_with_the_default_model(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "002_2a18c0f27f3b9e20.txt", docs)
    build_index([docs], tmp_path / "index", create_embedder("multilingual-e5-small-int8"))
    index = LoadedIndex.open(tmp_path / "index")
    assert index.manifest.model["runtime"].endswith("int8-dynamic")
    assert index.embedder.runtime.endswith("fp32")
    assert Searcher(index).search(SearchRequest("行政复议", 3)).passages
