"""Query and passage prefixes by model family: the models were trained with them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prefixes:
    query: str = ""
    passage: str = ""


_FAMILIES = (
    ("e5", Prefixes("query: ", "passage: ")),
    ("bge-small-zh", Prefixes("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-base-zh", Prefixes("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-large-zh", Prefixes("为这个句子生成表示以用于检索相关文章：", "")),
    ("bge-", Prefixes("Represent this sentence for searching relevant passages: ", "")),
    ("nomic-embed", Prefixes("search_query: ", "search_document: ")),
)


def prefixes_for(model: str) -> Prefixes:
    name = model.lower().rstrip("/").rsplit("/", 1)[-1]
    for marker, prefixes in _FAMILIES:
        if marker in name:
            return prefixes
    return Prefixes()
