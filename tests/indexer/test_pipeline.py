import os
from pathlib import Path

import pytest

from indexer.discovery import IndexingRefused
from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import IndexSettings, build_index
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import IndexCorrupt, read_manifest, verify_generation
from search_api.search import LoadedIndex


def _index(corpus: Path, index_dir: Path, embedder: FakeEmbedder, **kwargs):
    return build_index([corpus], index_dir, embedder, **kwargs)


def test_first_build_indexes_everything_and_second_embeds_nothing(corpus_copy, tmp_path, fake_embedder):
    first = _index(corpus_copy, tmp_path / "index", fake_embedder)
    assert len(first.new) == 5 and first.units_embedded > 0 and first.units >= first.chunks > 0 and not first.failed
    assert [f.reason for f in first.skipped] == ["folder README, not a report"]
    texts_before = fake_embedder.texts_embedded
    second = _index(corpus_copy, tmp_path / "index", fake_embedder)
    assert len(second.unchanged) == 5 and second.units_embedded == 0
    assert fake_embedder.texts_embedded == texts_before
    # Nothing changed: no new generation is published (servers keep theirs, nothing is written).
    assert second.generation == "gen-000001" and not second.published and second.chunks == first.chunks
    assert [p.name for p in IndexDirectory(tmp_path / "index").generation_dirs()] == ["gen-000001"]


def test_manifest_names_model_counts_and_checksums(corpus_copy, tmp_path, fake_embedder):
    summary = _index(corpus_copy, tmp_path / "index", fake_embedder)
    generation = IndexDirectory(tmp_path / "index").current()
    manifest = read_manifest(generation)
    assert manifest.generation == summary.generation
    assert manifest.model == {"name": "fake-bigram-hash", "runtime": "fake", "dimension": 64,
                              "vector_space": "fake-bigram-hash-64"}
    assert manifest.counts["chunks"] == summary.chunks and manifest.counts["units"] == summary.units == manifest.store["vectors"]
    assert manifest.keyword["tokenizer"] and manifest.keyword["documents"] == summary.chunks
    assert manifest.chunking["max_chars"] > 0
    segment = "segments/s-000001"
    assert manifest.segments == ["s-000001"]
    assert {"catalog.sqlite", f"{segment}/catalog.sqlite", f"{segment}/vectors.npy", f"{segment}/keyword/postings.npz",
            f"{segment}/gloss/postings.npz"} <= set(manifest.files)
    assert verify_generation(generation) == manifest
    (generation / segment / "vectors.npy").write_bytes(b"corrupt")
    with pytest.raises(IndexCorrupt, match="vectors.npy"):
        verify_generation(generation)


def test_changed_files_are_replaced_and_removed_files_dropped(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, fake_embedder)
    changed = sorted(corpus_copy.glob("00*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段：全年新增行政复议案件12件。\n", encoding="utf-8")
    removed = sorted(corpus_copy.glob("00*.txt"))[4]
    removed.unlink()
    summary = _index(corpus_copy, index_dir, fake_embedder)
    assert summary.changed == [changed.name] and summary.removed == [removed.name]
    assert 0 < summary.units_embedded < summary.units
    catalog = Catalog(IndexDirectory(index_dir).current())
    sources = [r.source for r in catalog.reports()]
    assert removed.name not in sources and len(sources) == 4
    assert any("全年新增行政复议案件12件" in c.text for c in catalog.chunks())


def test_bad_files_are_reported_and_the_rest_indexed(corpus_copy, tmp_path, fake_embedder):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus_copy / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (corpus_copy / "huge.txt").write_text("正文。" * 20_000, encoding="utf-8")
    summary = _index(corpus_copy, tmp_path / "index", fake_embedder, settings=IndexSettings(max_file_bytes=100_000))
    reasons = {f.source: f.reason for f in summary.failed}
    assert set(reasons) == {"empty.txt", "binary.txt", "broken.docx", "huge.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "DOCX" in reasons["broken.docx"] and "too large" in reasons["huge.txt"]
    assert len(summary.new) == 5 and summary.reports == 5


def test_a_file_that_breaks_keeps_its_previous_version(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    first = _index(corpus_copy, index_dir, fake_embedder)
    victim = sorted(corpus_copy.glob("00*.txt"))[0]
    victim.write_bytes(b"\x00\x01\x02" * 100)
    summary = _index(corpus_copy, index_dir, fake_embedder)
    assert summary.kept_previous == [victim.name] and summary.failed[0].source == victim.name
    assert summary.chunks == first.chunks and summary.units_embedded == 0


def test_interrupted_build_leaves_previous_index_usable(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, FakeEmbedder())
    before = IndexDirectory(index_dir).current()

    class Crash(FakeEmbedder):
        def embed_passages(self, texts):
            raise KeyboardInterrupt

    (corpus_copy / "new.txt").write_text("新的报告\n全年共办理行政复议案件二十件，全部依法审结。", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        _index(corpus_copy, index_dir, Crash())
    layout = IndexDirectory(index_dir)
    assert layout.current() == before
    assert not list(layout.generations.glob(".building-*"))
    assert len(LoadedIndex.open(index_dir, FakeEmbedder()).store) == read_manifest(before).counts["units"]


def test_index_built_with_another_model_needs_rebuild(corpus_copy, tmp_path):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, FakeEmbedder(dimension=64))
    with pytest.raises(ValueError, match="--rebuild"):
        _index(corpus_copy, index_dir, FakeEmbedder(dimension=32))
    summary = _index(corpus_copy, index_dir, FakeEmbedder(dimension=32), rebuild=True)
    assert summary.units_embedded > 0


def test_several_roots_are_prefixed_by_their_names(tmp_path, corpus_copy, fake_embedder):
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("某区2020年法治政府建设情况报告\n全年共办理行政复议案件二十件，全部依法审结。", encoding="utf-8")
    summary = build_index([corpus_copy, other], tmp_path / "index", fake_embedder)
    assert "other/a.txt" in summary.new and "corpus/000_1b3becc2b1274469.txt" in summary.new


def _live(index_dir: Path) -> tuple[str, int]:
    generation = IndexDirectory(index_dir).current()
    return generation.name, read_manifest(generation).counts["reports"]


def test_a_mistyped_path_is_refused_and_changes_nothing(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, fake_embedder)
    with pytest.raises(IndexingRefused, match="does_not_exist.*nothing was changed"):
        build_index([tmp_path / "does_not_exist"], index_dir, fake_embedder)
    with pytest.raises(IndexingRefused, match="does_not_exist"):
        build_index([corpus_copy, tmp_path / "does_not_exist"], index_dir, fake_embedder)
    assert _live(index_dir) == ("gen-000001", 5)


def test_an_emptied_folder_or_another_folder_needs_prune(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, fake_embedder)
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(IndexingRefused, match="holds no file to index"):
        build_index([other], index_dir, fake_embedder)
    (other / "a.txt").write_text("某区2020年法治政府建设情况报告\n全年共办理行政复议案件二十件。", encoding="utf-8")
    with pytest.raises(IndexingRefused, match="none of the 5 indexed files"):
        build_index([other], index_dir, fake_embedder)
    assert _live(index_dir) == ("gen-000001", 5)
    for report in corpus_copy.glob("*.txt"):
        report.unlink()
    with pytest.raises(IndexingRefused, match="holds no file to index"):
        _index(corpus_copy, index_dir, fake_embedder)
    assert _live(index_dir) == ("gen-000001", 5)
    summary = build_index([other], index_dir, fake_embedder, prune=True)
    assert len(summary.removed) == 5 and _live(index_dir) == ("gen-000002", 1)


def test_a_file_name_that_is_not_utf8_costs_that_file_only(corpus_copy, tmp_path, fake_embedder):
    bad = os.fsencode(corpus_copy) + b"/report-\xff\xfe.txt"
    with open(bad, "wb") as handle:
        handle.write("某区2020年法治政府建设情况报告\n全年共办理行政复议案件二十件。".encode())
    (corpus_copy / "two\nlines.txt").write_text("某县2021年法治政府建设情况报告\n全年共办理行政复议案件三十件。",
                                                encoding="utf-8")
    index_dir = tmp_path / "index"
    for _ in range(2):  # and again on the next run: the bad name never blocks the folder
        summary = _index(corpus_copy, index_dir, fake_embedder)
        assert [(f.source, f.reason) for f in summary.failed] == [
            ("report-\\xff\\xfe.txt", "file name is not valid UTF-8; rename it")]
        assert summary.reports == 6
    assert "two\nlines.txt" in {r.source for r in Catalog(IndexDirectory(index_dir).current()).reports()}


def test_broken_and_looping_links_are_named(corpus_copy, tmp_path, fake_embedder):
    (corpus_copy / "loop-a.txt").symlink_to(corpus_copy / "loop-b.txt")
    (corpus_copy / "loop-b.txt").symlink_to(corpus_copy / "loop-a.txt")
    (corpus_copy / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    summary = _index(corpus_copy, tmp_path / "index", fake_embedder)
    assert {f.source: f.reason for f in summary.failed} == {
        name: "broken symbolic link or link loop" for name in ("gone.txt", "loop-a.txt", "loop-b.txt")}
    assert summary.reports == 5


def test_a_damaged_live_generation_is_not_copied_into_the_next(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, fake_embedder)
    catalog = IndexDirectory(index_dir).current() / "catalog.sqlite"
    data = bytearray(catalog.read_bytes())
    data[len(data) // 2] ^= 0xFF
    catalog.write_bytes(bytes(data))
    summary = _index(corpus_copy, index_dir, fake_embedder)
    assert "not reused" in summary.warnings[0] and "catalog.sqlite" in summary.warnings[0]
    assert len(summary.new) == 5 and not summary.unchanged  # every file read again
    verify_generation(IndexDirectory(index_dir).current())


def test_killed_builds_leave_no_scratch_folders_behind(corpus_copy, tmp_path, fake_embedder):
    index_dir = tmp_path / "index"
    _index(corpus_copy, index_dir, fake_embedder)
    layout = IndexDirectory(index_dir)
    for number in range(3):
        (layout.generations / f".building-killed{number}").mkdir()
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexingRefused):  # even a run that refuses cleans up after the killed ones
        build_index([tmp_path / "empty"], index_dir, fake_embedder)
    assert not list(layout.generations.glob(".building-*"))


def test_a_file_of_page_chrome_only_is_skipped_by_name(corpus_copy, tmp_path, fake_embedder):
    menu = ["首页", "政务公开", "政策文件", "高级搜索", "按时间", "按相关度", "现行有效", "已失效", "无障碍 长者助手 我的收藏"]
    (corpus_copy / "portal.txt").write_text("\n".join(menu * 100), encoding="utf-8")
    summary = _index(corpus_copy, tmp_path / "index", fake_embedder)
    assert ("portal.txt", "page chrome only, no body text") in {(f.source, f.reason) for f in summary.skipped}
    assert summary.reports == 5
