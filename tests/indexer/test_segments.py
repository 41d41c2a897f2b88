"""A generation keeps the unchanged segments of the one it replaces and serves what a clean build serves."""

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store import faiss_store
from indexer.store.catalog import MAX_SEGMENTS
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import read_manifest
from indexer.store.writer import plan_segments
from search_api.search import LoadedIndex, SearchRequest, Searcher, loaded_index

QUERIES = ("行政复议案件", "行政机关负责人出庭应诉", "法律顾问 合法性审查", "administrative reconsideration")


def _served(index_dir: Path) -> dict:
    """What a generation serves, by record rather than by row: scores of each chunk and vector of each unit."""
    index = LoadedIndex.open(index_dir, FakeEmbedder())
    chunk_ids = [chunk.chunk_id for chunk in index.chunks]
    served = {"reports": {doc_id: (r.source, r.title, r.also_published_at) for doc_id, r in index.reports.items()}}
    for query in QUERIES:
        served[("keyword", query)] = dict(zip(chunk_ids, np.round(index.keyword.scores(query), 4)))
        served[("gloss", query)] = dict(zip(chunk_ids, np.round(index.gloss.scores(query), 4)))
    units = {key: index.store.vectors([vector])[0].round(6).tobytes() for key, vector in index.unit_at.items()}
    served["units"] = units
    served["background"] = sorted(vector.round(6).tobytes() for vector in index.dense_background)
    return served


def _clean_build(folder: Path, tmp_path: Path) -> dict:
    index_dir = tmp_path / "clean"
    shutil.rmtree(index_dir, ignore_errors=True)
    build_index([folder], index_dir, FakeEmbedder())
    return _served(index_dir)


def test_a_changed_file_is_written_alone_and_the_rest_linked(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(loaded_index, "BACKGROUND_VECTORS", 50)  # a sample, not every vector
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    first = IndexDirectory(index_dir).current()
    changed = sorted(corpus_copy.glob("00*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新增行政复议案件十二件。\n", encoding="utf-8")

    summary = build_index([corpus_copy], index_dir, FakeEmbedder())
    second = IndexDirectory(index_dir).current()
    assert summary.segments_kept == 1 and read_manifest(second).segments == ["s-000001", "s-000002"]
    # The kept segment's files are the first generation's, not copies.
    for path in (first / "segments" / "s-000001").rglob("*"):
        if path.is_file():
            twin = second / path.relative_to(first)
            assert os.stat(path).st_ino == os.stat(twin).st_ino, path
    new_segment = LoadedIndex.open(index_dir, FakeEmbedder()).catalog.segments[1]
    assert new_segment.chunk_live.all() and new_segment.chunk_live.size < summary.chunks / 2
    assert _served(index_dir) == _clean_build(corpus_copy, tmp_path)


def test_a_json_lines_file_that_did_not_change_keeps_its_segment(corpus_copy, tmp_path):
    # Its records come back from the live generation ordered by name (#10 before #2): the same records.
    records = [{"title": f"{2010 + n}年某市政府工作报告", "content": f"过去一年，全市办理行政复议案件{n + 10}件。"}
               for n in range(12)]
    (corpus_copy / "reports.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                               encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    changed = min(corpus_copy.glob("00*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新增行政复议案件十二件。\n", encoding="utf-8")
    build_index([corpus_copy], index_dir, FakeEmbedder())
    catalog = LoadedIndex.open(index_dir, FakeEmbedder()).catalog
    assert catalog.deleted("s-000001") == {changed.name}


def test_a_paragraph_in_two_reports_is_shown_from_the_same_one_as_after_a_clean_build(corpus_copy, tmp_path):
    shared = "二、行政复议\n全市共办理行政复议案件一百二十件，纠错率百分之十二，全部在法定期限内审结。"
    first = "一、总体情况\n" + "".join(f"甲市推进第{n}项依法行政任务，完成{n * 3}件。" for n in range(30))
    second = "一、总体情况\n" + "".join(f"乙县开展第{n}次执法检查，发现问题{n * 7}个。" for n in range(30))
    (corpus_copy / "zz_first.txt").write_text(f"甲市2019年报告\n{first}\n{shared}", encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    # A later report with the same section lands in a new segment, after the first one's rows.
    (corpus_copy / "aa_second.txt").write_text(f"乙县2020年报告\n{second}\n{shared}", encoding="utf-8")
    build_index([corpus_copy], index_dir, FakeEmbedder())
    paragraph = shared.split("\n")[1]

    def shown(folder: Path) -> list[str]:
        searcher = Searcher(LoadedIndex.open(folder, FakeEmbedder()))
        return [p.source for p in searcher.search(SearchRequest(paragraph, k=3)).passages]

    build_index([corpus_copy], tmp_path / "clean", FakeEmbedder())
    assert shown(index_dir)[0] == shown(tmp_path / "clean")[0] == "aa_second.txt"  # by source, whatever the rows


def test_removed_files_and_a_duplicate_that_becomes_canonical(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    original = min(corpus_copy.glob("00*.txt"))
    shutil.copy(original, corpus_copy / "zz_copy.txt")  # the same report published twice
    build_index([corpus_copy], index_dir, FakeEmbedder())
    sources = {r.source for r in LoadedIndex.open(index_dir, FakeEmbedder()).reports.values()}
    assert original.name in sources and "zz_copy.txt" not in sources

    original.unlink()  # the copy is now the only one, and becomes the report
    build_index([corpus_copy], index_dir, FakeEmbedder())
    served = _served(index_dir)
    assert any(source == "zz_copy.txt" for source, *_ in served["reports"].values())
    assert served == _clean_build(corpus_copy, tmp_path)


def test_segments_are_merged_before_there_are_too_many(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    for number in range(MAX_SEGMENTS + 2):  # a new file each time: one segment more each time, until merged
        (corpus_copy / f"new_{number}.txt").write_text(f"新增报告{number}\n全年办理行政复议案件{number + 20}件。",
                                                        encoding="utf-8")
        build_index([corpus_copy], index_dir, FakeEmbedder())
        assert len(read_manifest(IndexDirectory(index_dir).current()).segments) <= MAX_SEGMENTS
    assert _served(index_dir) == _clean_build(corpus_copy, tmp_path)


def test_above_the_exact_limit_the_generation_holds_a_graph_of_every_live_vector(corpus_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(faiss_store, "EXACT_LIMIT", 10)
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    changed = sorted(corpus_copy.glob("00*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n全年新增行政复议案件十二件。\n", encoding="utf-8")
    summary = build_index([corpus_copy], index_dir, FakeEmbedder())
    manifest = read_manifest(IndexDirectory(index_dir).current())
    assert summary.segments_kept == 1 and manifest.store["kind"] == "faiss-hnsw" and "vectors.faiss" in manifest.files
    index = LoadedIndex.open(index_dir, FakeEmbedder())
    assert index.store.kind == "faiss-hnsw" and len(index.store) == manifest.counts["units"] == summary.units
    # Vector j of the graph is unit j of the segments (float16 in the graph).
    exact = np.concatenate([np.load(s.directory / "vectors.npy")[s.unit_live] for s in index.catalog.segments])
    assert np.allclose(index.store.vectors(np.arange(len(exact))), exact, atol=1e-3)


class _LiveGeneration:
    """What plan_segments reads of the live generation's catalog."""

    def __init__(self, segments: dict[str, dict[str, str]], deleted: dict[str, set[str]]) -> None:
        self.segment_names = list(segments)
        self._segments, self._deleted = segments, deleted

    def fingerprints(self):
        return {source: (name, fingerprint) for name, groups in self._segments.items()
                for source, fingerprint in groups.items() if source not in self._deleted.get(name, set())}

    def deleted(self, name):
        return set(self._deleted.get(name, set()))

    def group_count(self, name):
        return len(self._segments[name])


def test_plan_keeps_unchanged_files_and_merges_when_a_third_is_dead():
    live = _LiveGeneration({"s-000001": {"a": "1", "b": "2", "c": "3", "d": "4"}, "s-000002": {"e": "5"}}, {})
    plan = plan_segments(live, {"a": "1", "b": "2", "c": "3", "d": "4", "e": "changed", "f": "6"})
    assert plan.kept == ["s-000001"] and plan.written == {"e": "changed", "f": "6"}
    assert plan.deleted == {"s-000001": set()}
    # b changed too: a quarter of what s-000001 holds is dead, it stays.
    plan = plan_segments(live, {"a": "1", "b": "x", "c": "3", "d": "4", "e": "5"})
    assert plan.kept == ["s-000001", "s-000002"] and plan.deleted["s-000001"] == {"b"} and plan.written == {"b": "x"}
    # b and c changed: half of what the kept segments hold is dead, everything is written again.
    plan = plan_segments(live, {"a": "1", "b": "x", "c": "y", "d": "4"})
    assert plan.kept == [] and plan.written == {"a": "1", "b": "x", "c": "y", "d": "4"}


@pytest.mark.parametrize("dead", [set(), {"a"}])
def test_plan_writes_nothing_new_when_only_files_are_removed(dead):
    live = _LiveGeneration({"s-000001": {"a": "1", "b": "2", "c": "3", "d": "4"}}, {"s-000001": dead})
    plan = plan_segments(live, {"b": "2", "c": "3", "d": "4"})
    assert plan.kept == ["s-000001"] and plan.written == {} and plan.deleted == {"s-000001": {"a"}}
