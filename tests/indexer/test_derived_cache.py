"""Jieba tokens and MinHash signatures are derived once per text, and a broken cache costs only time."""

from __future__ import annotations

import indexer.keyword
from support import CORPUS

from indexer.derived_cache import DerivedCache
from indexer.keyword import segment_texts, tokenize_jieba
from indexer.pipeline import DERIVED_CACHE, build_index


def _counting(calls: list[str]):
    def derive(text: str) -> str:
        calls.append(text)
        return text.upper()

    return derive


def _map(cache: DerivedCache, texts: list[str], calls: list[str]) -> list[str]:
    return cache.map("upper v1", texts, _counting(calls), str.encode, bytes.decode)


def test_each_text_is_derived_once_and_kinds_are_kept_apart(tmp_path):
    cache, calls = DerivedCache(tmp_path / "derived.sqlite"), []
    assert _map(cache, ["ab", "cd", "ab"], calls) == ["AB", "CD", "AB"]
    assert calls == ["ab", "cd"]
    assert _map(cache, ["cd", "ef"], calls) == ["CD", "EF"] and calls == ["ab", "cd", "ef"]
    other = []
    cache.map("upper v2", ["ab"], _counting(other), str.encode, bytes.decode)
    assert other == ["ab"]
    cache.close()


def test_a_damaged_or_unwritable_cache_derives_everything_again(tmp_path):
    damaged = tmp_path / "derived.sqlite"
    damaged.write_bytes(b"not a database" * 100)
    calls = []
    assert _map(DerivedCache(damaged), ["ab"], calls) == ["AB"] and calls == ["ab"]
    (tmp_path / "file").write_text("x")
    unwritable = DerivedCache(tmp_path / "file" / "derived.sqlite")  # its folder is a file
    assert _map(unwritable, ["ab", "ab"], calls) == ["AB", "AB"]


def test_cached_tokens_are_the_tokens(tmp_path):
    texts = ["行政机关负责人出庭应诉", "", "Legal advisers 法律顾问"]
    cache = DerivedCache(tmp_path / "derived.sqlite")
    first, second = segment_texts(texts, cache), segment_texts(texts, cache)
    assert first == second == [tokenize_jieba(text) for text in texts]
    assert second[1] == []


def test_a_changed_file_is_segmented_alone(tmp_path, corpus_copy, fake_embedder, monkeypatch):
    build_index([corpus_copy], tmp_path / "index", fake_embedder)
    assert (tmp_path / "index" / "cache" / DERIVED_CACHE).exists()
    changed = sorted(corpus_copy.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新增一段关于行政复议的说明。\n", encoding="utf-8")
    segmented = []
    original = indexer.keyword.tokenize_jieba
    monkeypatch.setattr(indexer.keyword, "tokenize_jieba", lambda text: segmented.append(text) or original(text))
    summary = build_index([corpus_copy], tmp_path / "index", fake_embedder)
    assert summary.changed == [changed.name]
    # Only chunks whose text is new: the changed report's last ones (its others are unchanged).
    assert 0 < len(segmented) <= 3 < summary.chunks
    assert all("行政复议的说明" in text for text in segmented[-1:])
