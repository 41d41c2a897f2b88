"""BM25 over Chinese and English tokens: term frequencies stored per segment (``indexer/terms.py``).

Chinese has no spaces, so text is segmented. Tokenizers (chosen by the eval, see ``DEFAULT_TOKENIZER``):
- ``jieba``: jieba's search mode, which also emits the shorter words inside long ones
  (行政机关负责人 -> 行政, 机关, 负责, 负责人, 行政机关负责人);
- ``bigram``: overlapping character bigrams of every CJK run, robust to words jieba does not know;
- ``jieba+bigram``: both.
Latin words are lower-cased whole words in every tokenizer.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from importlib.metadata import version

import numpy as np

from indexer.derived_cache import DerivedCache
from indexer.imports import import_without
from indexer.terms import TermIndex, TermPostings

# Measured on the dev queries with the search issue's eval (see README, "Search"): jieba+bigram.
DEFAULT_TOKENIZER = "jieba+bigram"
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Function words, and question words: a question's 如何/各地 say nothing about what a passage must contain.
_STOP_WORDS = frozenset("的 了 和 与 及 在 是 对 等 为 中 将 把 被 由 从 向 以 于 并 或 其 之 这 那 各 个 年 月 日 "
                        "如何 怎样 怎么 哪些 什么 为什么 是否 多少 各地 各市 哪里 有没有".split()) | frozenset(
    "a an and are as at be by for from how in is it of on or that the to was were what which with did do does".split()
)


@lru_cache(maxsize=1)
def _jieba():
    jieba = import_without("jieba", "pkg_resources")
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _latin_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def tokenize_jieba(text: str) -> list[str]:
    tokens = []
    for token in _jieba().lcut_for_search(text):
        token = token.strip().lower()
        if token and (_CJK_CHAR.search(token) or _WORD.fullmatch(token)):
            tokens.append(token)
    return [t for t in tokens if t not in _STOP_WORDS]


def blank_words(text: str, words: Collection[str] = ()) -> str:
    """``text`` with its stop words and ``words`` (as jieba segments it) replaced by spaces, so that no
    bigram spans them: "各地如何推进" gives 推进, not 地如 or 何推."""
    return "".join(" " if piece in _STOP_WORDS or piece in words else piece for piece in _jieba().lcut(text))


def tokenize_bigram(text: str) -> list[str]:
    tokens = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [t for t in tokens if t not in _STOP_WORDS] + [w for w in _latin_words(text) if w not in _STOP_WORDS]


def tokenize_jieba_bigram(text: str, jieba_tokens: Sequence[str] | None = None) -> list[str]:
    latin = set(_latin_words(text))
    jieba_part = tokenize_jieba(text) if jieba_tokens is None else list(jieba_tokens)
    return jieba_part + [t for t in tokenize_bigram(text) if t not in latin]


# Bump when tokenize_jieba's output for a text changes (its filters, the stop words).
_JIEBA_RULES = 1


def segment_texts(texts: Sequence[str], cache: DerivedCache | None = None) -> list[list[str]]:
    """``tokenize_jieba`` of every text (the keyword and the gloss index both start from it), taken
    from ``cache`` for texts segmented before."""
    if cache is None:
        return [tokenize_jieba(text) for text in texts]
    kind = f"jieba-search {version('jieba')} {_JIEBA_RULES}"
    return cache.map(kind, texts, tokenize_jieba, lambda tokens: "\n".join(tokens).encode("utf-8"),
                     lambda value: value.decode("utf-8").split("\n") if value else [])


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {
    "jieba": tokenize_jieba,
    "bigram": tokenize_bigram,
    "jieba+bigram": tokenize_jieba_bigram,
}


def concept_coverage(concepts: Sequence[tuple[Sequence[str], float]], idf: dict[str, float],
                     held: Callable[[str], bool | np.ndarray]):
    """The weighted share of ``concepts`` that a text holds, 0 to 1. A concept is a set of alternative
    tokens with a weight; a text holding any of them earns the IDF of the rarest one it holds, against
    the IDF of the concept's rarest. ``held(token)`` says whether a text holds a token: a bool, or an
    array of bools (one per document) to score many texts at once."""
    total = sum(weight * max((idf[t] for t in tokens), default=0.0) for tokens, weight in concepts)
    earned = 0.0
    for tokens, weight in concepts:
        if tokens:
            values = [idf[t] * held(t) for t in tokens]
            # One text (bools): Python's max; numpy's reduce costs 20x more on a short list.
            best = np.maximum.reduce(values) if isinstance(values[0], np.ndarray) else max(values)
            earned = earned + weight * best
    return earned / total if total else earned * 0.0


def text_coverage_of(concepts: Sequence[tuple[Sequence[str], float]], idf: dict[str, float]) -> Callable[[str], float]:
    """``concept_coverage`` of one text after another (the sentences of an answer), with the question's
    side worked out once. A text holds its tokens without being segmented (jieba costs about 1 ms a
    sentence): Chinese tokens as substrings, which every word and bigram of the text is, Latin ones as
    whole words."""
    weighted = [(weight, [(t, idf[t], bool(_WORD.fullmatch(t))) for t in tokens]) for tokens, weight in concepts if tokens]
    total = sum(weight * max(value for _, value, _ in alternatives) for weight, alternatives in weighted)
    any_latin = any(latin for _, alternatives in weighted for _, _, latin in alternatives)

    def coverage(text: str) -> float:
        if not total:
            return 0.0
        latin_words = set(_latin_words(text)) if any_latin else set()
        earned = sum(weight * max((value for t, value, latin in alternatives
                                   if (t in latin_words if latin else t in text)), default=0.0)
                     for weight, alternatives in weighted)
        return earned / total

    return coverage


# bm25s's defaults, which the keyword run's fusion weights were tuned with.
K1, B = 1.5, 0.75


def keyword_postings(texts: Sequence[str], tokenizer: str = DEFAULT_TOKENIZER,
                     segmented: Sequence[Sequence[str]] | None = None) -> TermPostings:
    """The term frequencies of ``texts`` (``segmented``: their ``segment_texts``, when the caller has it)."""
    if segmented is None or tokenizer == "bigram":
        corpus = [TOKENIZERS[tokenizer](text) for text in texts]
    elif tokenizer == "jieba":
        corpus = [list(tokens) for tokens in segmented]
    else:
        corpus = [tokenize_jieba_bigram(text, tokens) for text, tokens in zip(texts, segmented)]
    # An empty text gets a token that nothing matches, so that it has a length like any other.
    return TermPostings.from_documents([Counter(tokens or ["\u0000"]) for tokens in corpus])


class KeywordIndex:
    def __init__(self, terms: TermIndex, tokenizer: str) -> None:
        self._terms = terms
        self.tokenizer = tokenizer
        self._tokenize = TOKENIZERS[tokenizer]
        self.size = terms.size

    @classmethod
    def from_parts(cls, parts: Sequence[TermPostings], tokenizer: str) -> KeywordIndex:
        """One index over the postings of several segments, rows in their order."""
        return cls(TermIndex(parts, K1, B), tokenizer)

    @classmethod
    def build(cls, texts: Sequence[str], tokenizer: str = DEFAULT_TOKENIZER,
              segmented: Sequence[Sequence[str]] | None = None) -> KeywordIndex:
        return cls.from_parts([keyword_postings(texts, tokenizer, segmented)], tokenizer)

    def scores(self, query: str, extra_tokens: Sequence[str] = ()) -> np.ndarray:
        """BM25 score of every document (row order of the texts it was built from)."""
        return self._terms.scores(self._tokenize(query) + list(extra_tokens))

    def tokens(self, text: str) -> list[str]:
        return self._tokenize(text)

    def coverage(self, concepts: Sequence[tuple[Sequence[str], float]]) -> np.ndarray:
        """Per document, the weighted share of ``concepts`` it contains (see ``concept_coverage``)."""
        idf = self.idf([t for tokens, _ in concepts for t in tokens])
        return np.zeros(self.size, dtype=np.float32) + concept_coverage(concepts, idf, self._terms.holders)

    def holds(self, token: str) -> bool:
        """Whether any document of the index has ``token``."""
        return self._terms.holds(token)

    def idf(self, tokens: Sequence[str]) -> dict[str, float]:
        """Inverse document frequency, ``log(1 + N / df)``; tokens the archive lacks get the highest."""
        return {token: float(np.log(1 + self.size / max(self._terms.document_frequency(token), 1)))
                for token in set(tokens)}
