"""English glosses of the Chinese chunks (document-side translation), searched with BM25.

Query translation has to pick one sense of each English word and misses the reports' own phrases.
The other direction keeps every sense: each Chinese word of a chunk (jieba search mode) stands for the
stemmed content words of its first CC-CEDICT definitions and for the common English words whose first
ECDICT senses it is (indexer/ecdict.py: "penalty" for 处罚, which CC-CEDICT calls "to penalize"), each
weighted 1/n over its n English words, so a word with many senses does not outweigh one with a single
sure translation (in the spirit of probabilistic structured queries, Darwish & Oard 2003). An English
question, stemmed the same way, is then scored by BM25 over these weighted term frequencies, like any
English document collection.

Stored per segment as term frequencies (``indexer/terms.py``), BM25's statistics summed when a
generation is opened.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer.cedict import built_from_cedict, content_words, definition_words, read_cedict, stemmer
from indexer.ecdict import SENSES_FILE, read_ecdict_senses
from indexer.keyword import tokenize_jieba
from indexer.terms import TermIndex, TermPostings

SENSES = 6  # definitions of a word that are glossed
_FAMILY_PREFIX = 6
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
K1, B = 1.2, 0.75
# A word is highlighted for an English question when at least this share of its senses' stems are the
# question's: 信访 (complaint, letter, petition) for "letters", not 上报 (report, superior, appear,
# newspaper, reply, letter).
HIGHLIGHT_SHARE = 0.25


class ChineseToEnglish:
    def __init__(self, glosses: dict[str, tuple[str, ...]]) -> None:
        # Latin words are already English (CC-CEDICT's few Latin headwords would add noise): leaving them
        # out here spares a regular expression per token.
        self._glosses = {word: stems for word, stems in glosses.items() if _CJK.search(word)}
        self._words_by_stem: dict[str, list[str]] | None = None  # built on first use

    @classmethod
    def from_dictionaries(cls, cedict: Path | None = None, ecdict: Path | None = None) -> ChineseToEnglish:
        """CC-CEDICT's first ``SENSES`` definitions of each word, then the English words whose first
        ECDICT senses it is (indexer/ecdict.py)."""
        stem = stemmer()
        senses: dict[str, list[str]] = defaultdict(list)
        for simplified, definitions in read_cedict(cedict):
            senses[simplified] += definitions
        glosses = {}
        for word, definitions in senses.items():
            translations = [words for words in map(definition_words, definitions) if words is not None][:SENSES]
            stems = [stem(w) for words in translations for w in words if len(w) > 1]
            if stems:
                glosses[word] = tuple(dict.fromkeys(stems))
        for english, chinese in read_ecdict_senses(ecdict):
            for english_stem in map(stem, content_words(english)):
                for word in chinese:
                    if english_stem not in glosses.get(word, ()):
                        glosses[word] = (*glosses.get(word, ()), english_stem)
        return cls(glosses)

    def gloss(self, text: str, tokens: Sequence[str] | None = None) -> dict[str, float]:
        """Weighted English stems of a Chinese text (``tokens``: its ``tokenize_jieba``, if known);
        nothing for a text that is mostly not Chinese (its own words already serve English questions,
        and a few glossed names would stand out)."""
        weights: dict[str, float] = defaultdict(float)
        latin = len(_LATIN.findall(text))
        if latin and len(_CJK.findall(text)) < latin:
            return weights
        glosses = self._glosses
        for token in tokenize_jieba(text) if tokens is None else tokens:
            stems = glosses.get(token)
            if stems:
                share = 1.0 / len(stems)
                for stem in stems:
                    weights[stem] += share
        return weights

    def rendering(self, stems: Sequence[str], passages: Sequence[str]) -> list[str]:
        """An English question's ``stems`` in the words of ``passages`` (its best-ranked chunks): for
        each stem in turn, the word (two characters or more) through which the passages' glosses hold the
        most of it (its occurrences / its number of stems, as ``gloss`` weighs them), each word once.
        "filing of major administrative penalty decisions" -> 备案 重大 行政处罚 决策, where the dictionary's
        first choice per English word is 文件 主要 管理 惩罚 决定. Occurrences are counted as substrings,
        not segmented: jieba's search mode gives a word's parts as words too (行政处罚: 行政, 处罚), and
        segmenting costs about 2 ms a passage."""
        text = "\n".join(passages)
        words: list[str] = []
        for stem in stems:
            held = [(weight, len(word), word) for word in self._words_with(stem)
                    if (weight := text.count(word) / len(self._glosses[word]))]
            word = max(held)[2] if held else None
            if word and word not in words:
                words.append(word)
        return words

    def words_glossed_as(self, stems: Sequence[str], min_share: float = HIGHLIGHT_SHARE) -> list[str]:
        """The Chinese words (two characters or more) that give at least ``min_share`` of their gloss
        weight to ``stems``: what an English question's gloss run found in a chunk, for highlighting."""
        # A gloss holds a stem once: the count is how many of the question's stems a word's gloss holds.
        held = Counter(word for stem in dict.fromkeys(stems) for word in self._words_with(stem))
        return [word for word, count in held.items() if count >= min_share * len(self._glosses[word])]

    def _words_with(self, stem: str) -> list[str]:
        """The words (two characters or more) whose glosses hold ``stem``."""
        if self._words_by_stem is None:
            by_stem = defaultdict(list)
            for word, glossed in self._glosses.items():
                if len(word) > 1:
                    for each in glossed:
                        by_stem[each].append(word)
            self._words_by_stem = dict(by_stem)
        return self._words_by_stem.get(stem, [])


# Bump when from_dictionaries' output changes.
_BUILD_VERSION = 6


@lru_cache(maxsize=1)
def default_glosser() -> ChineseToEnglish:
    """Built from CC-CEDICT and ECDICT's senses (3 s here) once per installation and cached, not once per
    index build."""
    # By content: a fresh checkout gives the file a new time, not new senses.
    senses = hashlib.sha256(SENSES_FILE.read_bytes()).hexdigest()[:16]
    return ChineseToEnglish(built_from_cedict("chinese-english", f"{_BUILD_VERSION} {SENSES} {senses}",
                                              lambda: ChineseToEnglish.from_dictionaries()._glosses))


def question_stems(question: str) -> list[str]:
    stem = stemmer()
    return list(dict.fromkeys(stem(word) for word in content_words(question)))


def gloss_postings(texts: Sequence[str], glosser: ChineseToEnglish | None = None,
                   segmented: Sequence[Sequence[str]] | None = None) -> TermPostings:
    """The weighted English stems of ``texts`` (``segmented``: their ``segment_texts``, when known)."""
    glosser = glosser or default_glosser()
    segmented = segmented if segmented is not None else [None] * len(texts)
    return TermPostings.from_documents([glosser.gloss(text, tokens) for text, tokens in zip(texts, segmented)])


class GlossIndex:
    def __init__(self, terms: TermIndex) -> None:
        self._terms = terms
        self.size = terms.size
        self._families: dict[str, list[str]] | None = None  # built on first use

    @classmethod
    def from_parts(cls, parts: Sequence[TermPostings]) -> GlossIndex:
        return cls(TermIndex(parts, K1, B, saturation_scale=K1 + 1))

    @classmethod
    def build(cls, texts: Sequence[str], glosser: ChineseToEnglish | None = None,
              segmented: Sequence[Sequence[str]] | None = None) -> GlossIndex:
        return cls.from_parts([gloss_postings(texts, glosser, segmented)])

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every chunk (row order) for an English question."""
        return self._terms.scores(self.held_stems(question))

    def held_stems(self, question: str) -> list[str]:
        """The question's stems that the glosses hold, each as itself or its word family's stem."""
        return [term for term in map(self._term, question_stems(question)) if term is not None]

    def known_share(self, question: str, translatable: Callable[[str], bool] = lambda word: True,
                    ignored: Collection[str] = ()) -> float:
        """The IDF-weighted share of an English question's words that any chunk's gloss holds: low when
        the archive never speaks of the question. A word no gloss holds counts as absent, at the highest
        IDF, if it means something (``translatable``: a dictionary has it) and is left out if nothing
        says what it means (a name, a typo, "normative"): unknown is not absent. A word is known through
        its word family too (reconsideration -> reconsider). Words whose stems are ``ignored`` count
        neither way, unless the question has no others."""
        top = math.log(1 + (self.size + 0.5) / 0.5)
        stem = stemmer()
        words = list(dict.fromkeys(content_words(question)))
        weights = []
        for word in [word for word in words if stem(word) not in ignored] or words:
            term = self._term(stem(word))
            if term is not None:
                weights.append((self._terms.bm25_idf(term), True))
            elif translatable(word):
                weights.append((top, False))
        total = sum(weight for weight, _ in weights)
        return sum(weight for weight, known in weights if known) / total if total else 0.0

    def _term(self, stem: str) -> str | None:
        """The stem, or a stem of its word family that the glosses hold: one sharing its first 6 letters
        and all but at most one letter of the shorter of the two."""
        held = self._terms.holds(stem)
        if held or len(stem) < _FAMILY_PREFIX:
            return stem if held else None
        if self._families is None:
            self._families = defaultdict(list)
            for term in self._terms.terms():
                self._families[term[:_FAMILY_PREFIX]].append(term)
        related = [(len(term), term) for term in self._families.get(stem[:_FAMILY_PREFIX], ())
                   if len(os.path.commonprefix([stem, term])) >= min(len(stem), len(term)) - 1]
        return min(related)[1] if related else None
