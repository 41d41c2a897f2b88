"""A damaged index is refused with an error naming the file, never searched (results would be wrong)."""

import shutil

import pytest
from typer.testing import CliRunner

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import build_index
from indexer.store.layout import IndexDirectory
from search_api.cli import app
from search_api.search import IndexCorrupt, LoadedIndex, SearchRequest, Searcher
from search_api.service import SearchService


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    from support import CORPUS

    index_dir = tmp_path_factory.mktemp("integrity") / "index"
    build_index([CORPUS], index_dir, FakeEmbedder())
    return index_dir


def _generation_files(index_dir):
    generation = IndexDirectory(index_dir).current()
    return sorted(p for p in generation.rglob("*") if p.is_file())


def _top(index_dir) -> list[str]:
    searcher = Searcher(LoadedIndex.open(index_dir, FakeEmbedder()))
    return [p.chunk_id for p in searcher.search(SearchRequest("行政复议案件", k=5)).passages]


def test_a_flipped_byte_anywhere_in_any_file_is_refused_by_name(built_index):
    expected = _top(built_index)
    files = _generation_files(built_index)
    assert {"manifest.json", "catalog.sqlite", "vectors.npy", "postings.npz"} <= {p.name for p in files}
    cases = 0
    for path in files:
        original = path.read_bytes()
        for position in sorted({0, len(original) // 3, len(original) // 2, len(original) - 1}):
            damaged = bytearray(original)
            damaged[position] ^= 0x01
            path.write_bytes(bytes(damaged))
            try:
                with pytest.raises(IndexCorrupt) as error:
                    LoadedIndex.open(built_index, FakeEmbedder())
            finally:
                path.write_bytes(original)
            assert path.name in str(error.value), (path, position)
            cases += 1
    assert cases >= 3 * len(files) - 2
    assert _top(built_index) == expected  # restored: the same results as before


def test_a_missing_file_or_pointer_is_refused(built_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(built_index, copy)
    (IndexDirectory(copy).current() / "segments" / "s-000001" / "vectors.npy").unlink()
    with pytest.raises(IndexCorrupt, match="vectors.npy"):
        LoadedIndex.open(copy, FakeEmbedder())
    (copy / "CURRENT").write_text("gen-999999\n")
    with pytest.raises(IndexCorrupt, match="CURRENT"):
        LoadedIndex.open(copy, FakeEmbedder())


def test_the_cli_names_the_damaged_file_without_a_traceback(built_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(built_index, copy)
    vectors = IndexDirectory(copy).current() / "segments" / "s-000001" / "vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 0x01
    vectors.write_bytes(bytes(data))
    result = CliRunner().invoke(app, ["search", "行政复议", "--index", str(copy)])
    assert result.exit_code == 2
    assert "vectors.npy" in result.output and "Traceback" not in result.output


def test_the_service_keeps_serving_the_last_good_generation(tmp_path, corpus_copy, monkeypatch):
    import search_api.search.loaded_index as loaded_index

    monkeypatch.setattr(loaded_index, "create_embedder", lambda name, threads=0, few_texts=False: FakeEmbedder())
    index_dir = tmp_path / "index"
    build_index([corpus_copy], index_dir, FakeEmbedder())
    service = SearchService(index_dir, reload_seconds=60)
    (corpus_copy / "new.txt").write_text("某区2020年法治政府建设情况报告\n全年共办理行政复议案件二十件。", encoding="utf-8")
    build_index([corpus_copy], index_dir, FakeEmbedder())
    catalog = IndexDirectory(index_dir).current() / "catalog.sqlite"
    data = bytearray(catalog.read_bytes())
    data[-1] ^= 0x01
    catalog.write_bytes(bytes(data))
    assert not service.reload_if_changed() and not service.reload_if_changed()
    assert service.searcher.index.generation == "gen-000001"
    assert "catalog.sqlite" in service.problem and "serving gen-000001" in service.problem
    # A server that starts while the live generation is damaged serves the newest intact one.
    restarted = SearchService(index_dir, reload_seconds=60)
    assert restarted.searcher.index.generation == "gen-000001" and "catalog.sqlite" in restarted.problem
