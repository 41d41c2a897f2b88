"""Injected faults while a generation is written: the live generation survives each one, and the error
says what failed."""

import os
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from indexer.embedding.fake import FakeEmbedder
from indexer.pipeline import IndexWriteError, build_index
from indexer.store.layout import IndexDirectory
from indexer.store.manifest import verify_generation
from search_api.search import LoadedIndex, SearchRequest, Searcher

REPORTS = {
    "a.txt": "甲区2020年法治政府建设情况报告\n全年共办理行政复议案件二十件，全部依法审结。\n推进行政机关负责人出庭应诉。",
    "b.txt": "乙县2021年法治政府建设情况报告\n聘请法律顾问十二名，开展合法性审查三十件。",
}
# The file-system calls a build makes (os.rename is what Path.rename calls).
OPERATIONS = ("fsync", "rename", "replace")


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    build_index([folder], index_dir, FakeEmbedder())
    (folder / "c.txt").write_text("丙市2022年法治政府建设情况报告\n办理行政诉讼案件九件。", encoding="utf-8")
    return folder, index_dir


def _results(index_dir: Path) -> list[tuple[str, int, int]]:
    searcher = Searcher(LoadedIndex.open(index_dir, FakeEmbedder()))
    return [(p.source, p.start, p.end) for p in searcher.search(SearchRequest("行政复议案件", k=5)).passages]


def _copy_to_count_on(index_dir: Path, tmp_path: Path) -> Path:
    """A copy of the index, for a build like the ones under test (one segment kept) that counts calls."""
    copy = tmp_path / "count-index"
    shutil.copytree(index_dir, copy)
    return copy


def _calls_of_a_build(folder, index_dir, tmp_path, monkeypatch) -> Counter:
    copy = _copy_to_count_on(index_dir, tmp_path)
    calls = Counter()
    for name in OPERATIONS:
        original = getattr(os, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(os, name, counted)
    build_index([folder], copy, FakeEmbedder())
    monkeypatch.undo()
    return calls


def test_a_failing_fsync_rename_or_replace_at_any_call_keeps_the_live_generation(archive, tmp_path, monkeypatch):
    folder, index_dir = archive
    calls = _calls_of_a_build(folder, index_dir, tmp_path, monkeypatch)
    assert calls["fsync"] >= 5 and calls["rename"] >= 1 and calls["replace"] >= 1
    before, expected = IndexDirectory(index_dir).current(), _results(index_dir)
    failures = 0
    for name in OPERATIONS:
        for k in range(1, calls[name] + 1):
            # Each build has a change to publish (an unchanged archive publishes nothing).
            (folder / "c.txt").write_text(f"丙市2022年法治政府建设情况报告\n办理行政诉讼案件{k}件，{name}。", encoding="utf-8")
            original, seen = getattr(os, name), [0]

            def failing(*args, _original=original, _k=k, _seen=seen, **kwargs):
                _seen[0] += 1
                if _seen[0] == _k:
                    raise OSError(5, f"injected failure of {name} #{_k}")
                return _original(*args, **kwargs)

            monkeypatch.setattr(os, name, failing)
            try:
                build_index([folder], index_dir, FakeEmbedder())
            except IndexWriteError as error:
                failures += 1
                assert "could not" in str(error) and "injected failure" in str(error)
                assert "the live generation is unchanged" in str(error)
                assert IndexDirectory(index_dir).current() == before, (name, k)
            else:
                # Only a failure after the switch (flushing the folder that holds CURRENT) lets the
                # build finish; the new generation is then live and whole.
                assert (name, k) == ("fsync", calls["fsync"]), (name, k)
                before = IndexDirectory(index_dir).current()
                expected = _results(index_dir)
            finally:
                monkeypatch.undo()
            verify_generation(IndexDirectory(index_dir).current())
            assert _results(index_dir) == expected
    assert failures == sum(calls.values()) - 1
    summary = build_index([folder], index_dir, FakeEmbedder())  # and the next run completes and cleans up
    layout = IndexDirectory(index_dir)
    assert summary.reports == 3 and not list(layout.generations.glob(".building-*"))
    assert len(layout.generation_dirs()) == 2


def test_a_failing_open_for_writing_at_any_call_keeps_the_live_generation(archive, tmp_path, monkeypatch):
    # Files that Python code writes (the lock, the keyword index, the manifest, CURRENT) through open().
    import builtins
    import io

    folder, index_dir = archive
    before, expected = IndexDirectory(index_dir).current(), _results(index_dir)
    original_open, opened = builtins.open, [0]

    def counting_open(file, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wax+"):
            opened[0] += 1
        return original_open(file, mode, *args, **kwargs)

    copy = _copy_to_count_on(index_dir, tmp_path)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)  # what pathlib calls
    build_index([folder], copy, FakeEmbedder())
    monkeypatch.undo()
    assert opened[0] >= 6
    for k in range(1, opened[0] + 1):
        seen = [0]

        def failing_open(file, mode="r", *args, _k=k, _seen=seen, **kwargs):
            if any(flag in mode for flag in "wax+"):
                _seen[0] += 1
                if _seen[0] == _k:
                    raise OSError(28, f"injected: no space left for {file}")
            return original_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", failing_open)
        monkeypatch.setattr(io, "open", failing_open)
        with pytest.raises(IndexWriteError, match="could not .*injected"):
            build_index([folder], index_dir, FakeEmbedder())
        monkeypatch.undo()
        assert IndexDirectory(index_dir).current() == before and _results(index_dir) == expected


def _build_with_file_size_limit(folder: Path, index_dir: Path, limit: int) -> subprocess.CompletedProcess:
    # The kernel refuses writes past RLIMIT_FSIZE (EFBIG): a write by SQLite, FAISS or numpy fails
    # once the file it writes grows past the limit.
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from indexer.embedding.fake import FakeEmbedder
        from indexer.pipeline import IndexWriteError, build_index
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        try:
            build_index([{str(folder)!r}], {str(index_dir)!r}, FakeEmbedder())
        except IndexWriteError as error:
            print(error)
            sys.exit(3)
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def test_a_failing_write_keeps_the_live_generation(archive):
    folder, index_dir = archive
    before, expected = IndexDirectory(index_dir).current(), _results(index_dir)
    named = []
    # New text to embed: the embedding cache is written first. Then, with c.txt and b.txt dropped
    # (a change with nothing to embed), the generation's own files, its new segment first.
    for limit, change in ((0, None), (0, "drop")):
        if change == "drop":
            (folder / "c.txt").unlink(missing_ok=True)
            (folder / "b.txt").unlink(missing_ok=True)
        run = _build_with_file_size_limit(folder, index_dir, limit)
        assert run.returncode == 3, run.stdout + run.stderr
        assert run.stdout.startswith("could not write") and "the live generation is unchanged" in run.stdout
        named.append(run.stdout.split(":")[0])
        assert IndexDirectory(index_dir).current() == before and _results(index_dir) == expected
    assert named == ["could not write the embedding cache " + str(index_dir / "cache" / "embeddings.sqlite"),
                     "could not write segment s-000002"]
