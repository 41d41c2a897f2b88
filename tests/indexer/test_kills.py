"""SIGKILL at the exact points of a build: the index always opens with the results of a whole
generation, and the next run completes, matches a clean build and cleans up."""

import pytest
from crash import POINTS, build_killed_at_point

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import verify_generation
from search_api.search import LoadedIndex, SearchRequest, Searcher

QUESTIONS = ("行政复议案件", "行政机关负责人出庭应诉", "法律顾问")


def _results(index_dir):
    searcher = Searcher(LoadedIndex.open(index_dir, FakeEmbedder()))
    return [[(p.source, p.start, p.end, round(p.score, 4)) for p in searcher.search(SearchRequest(q, k=5)).passages]
            for q in QUESTIONS]


def _clean_build_results(folder, work):
    build_index([folder], work, FakeEmbedder())
    return _results(work)


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_at_each_point_leaves_a_whole_generation(point, corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    extended = corpus_copy / "000_1b3becc2b1274469.txt"  # a second generation, so a kill can leave three
    extended.write_text(extended.read_text(encoding="utf-8") + "\n全年新增行政复议案件十二件。\n", encoding="utf-8")
    build_index([corpus_copy], index_dir, FakeEmbedder())
    before = _results(index_dir)
    # A new report (half of one seed report and half of another, so it is no near-duplicate).
    first, second = ((corpus_copy / name).read_text(encoding="utf-8").splitlines()
                     for name in ("003_592341dc8e18cf32.txt", "004_21f6359df466e4c8.txt"))
    (corpus_copy / "added.txt").write_text("\n".join(first[: len(first) // 2] + second[len(second) // 2 :]),
                                           encoding="utf-8")
    after = _clean_build_results(corpus_copy, tmp_path / "clean")

    assert build_killed_at_point(point, corpus_copy, index_dir) == -9
    layout = IndexDirectory(index_dir)
    verify_generation(layout.current())
    assert _results(index_dir) == (after if point in ("current-switched", "pruning") else before)

    build_index([corpus_copy], index_dir, FakeEmbedder())
    assert _results(index_dir) == after
    assert not list(layout.generations.glob(".building-*"))
    assert len(layout.generation_dirs()) == 2
