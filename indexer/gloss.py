"""English glosses of the Chinese chunks (document-side translation), searched with BM25.

Query translation has to pick one sense of each English word and misses the reports' own phrases.
The other direction keeps every sense: each Chinese word of a chunk (jieba search mode) stands for the
stemmed content words of its first CC-CEDICT definitions and for the common English words whose first
ECDICT senses it is (indexer/ecdict.py: "penalty" for 处罚, which CC-CEDICT calls "to penalize"), each
weighted 1/n over its n English words, so a word with many senses does not outweigh one with a single
sure translation (in the spirit of probabilistic structured queries, Darwish & Oard 2003). An English
question, stemmed the same way, is then scored by BM25 over these weighted term frequencies, like any
English document collection. ECDICT's senses rank; whether the archive speaks of a word at all is
left to CC-CEDICT's (``dictionary_stems``).

Stored per segment as term frequencies (``indexer/terms.py``), BM25's statistics summed when a
generation is opened, beside the stems CC-CEDICT gives the segment's words.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
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
DICTIONARY_STEMS = "dictionary_stems.json"


class ChineseToEnglish:
    def __init__(self, glosses: dict[str, tuple[str, ...]], dictionary_senses: dict[str, int] | None = None) -> None:
        """``glosses``: each Chinese word's English stems, CC-CEDICT's first; ``dictionary_senses``: how
        many of a word's stems, from the first, are CC-CEDICT's (all of them for a word it does not name)."""
        # Latin words are already English (CC-CEDICT's few Latin headwords would add noise): leaving them
        # out here spares a regular expression per token.
        self._glosses = {word: stems for word, stems in glosses.items() if _CJK.search(word)}
        self._dictionary_senses = dictionary_senses or {}
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
        cedict_senses = {word: len(stems) for word, stems in glosses.items()}
        for english, chinese in read_ecdict_senses(ecdict):
            for english_stem in map(stem, content_words(english)):
                for word in chinese:
                    if english_stem not in glosses.get(word, ()):
                        glosses[word] = (*glosses.get(word, ()), english_stem)
        return cls(glosses, {word: cedict_senses.get(word, 0) for word in glosses})

    def gloss(self, text: str, tokens: Sequence[str] | None = None) -> dict[str, float]:
        """Weighted English stems of a Chinese text (``tokens``: its ``tokenize_jieba``, if known);
        nothing for a text that is mostly not Chinese (its own words already serve English questions,
        and a few glossed names would stand out)."""
        weights: dict[str, float] = defaultdict(float)
        for _, stems in self._glossed(text, tokens):
            share = 1.0 / len(stems)
            for stem in stems:
                weights[stem] += share
        return weights

    def dictionary_stems(self, text: str, tokens: Sequence[str] | None = None) -> set[str]:
        """The stems of ``gloss`` that CC-CEDICT itself gives the text's words, ECDICT's left out: what
        says the archive speaks of a thing. ECDICT, read backwards, also lends words figurative senses
        that help ranking but would answer questions the reports never address (轨道 "railway" from
        法治轨道, 大量 "sea" from "a sea of")."""
        senses = self._dictionary_senses
        return {stem for word, stems in self._glossed(text, tokens) for stem in stems[: senses.get(word, len(stems))]}

    def _glossed(self, text: str, tokens: Sequence[str] | None) -> Iterator[tuple[str, tuple[str, ...]]]:
        """``(word, its stems)`` of each glossed token of the text."""
        latin = len(_LATIN.findall(text))
        if latin and len(_CJK.findall(text)) < latin:
            return
        glosses = self._glosses
        for token in tokenize_jieba(text) if tokens is None else tokens:
            stems = glosses.get(token)
            if stems:
                yield token, stems

    def words_glossed_as(self, stems: Sequence[str], min_share: float = HIGHLIGHT_SHARE) -> list[str]:
        """The Chinese words (two characters or more) that give at least ``min_share`` of their gloss
        weight to ``stems``: what an English question's gloss run found in a chunk, for highlighting."""
        if self._words_by_stem is None:
            by_stem = defaultdict(list)
            for word, glossed in self._glosses.items():
                if len(word) > 1:
                    for stem in glossed:
                        by_stem[stem].append(word)
            self._words_by_stem = dict(by_stem)
        wanted = set(stems)
        candidates = dict.fromkeys(word for stem in wanted for word in self._words_by_stem.get(stem, ()))
        return [word for word in candidates
                if sum(stem in wanted for stem in self._glosses[word]) >= min_share * len(self._glosses[word])]


# Bump when from_dictionaries' output changes.
_BUILD_VERSION = 5


@lru_cache(maxsize=1)
def default_glosser() -> ChineseToEnglish:
    """Built from CC-CEDICT and ECDICT's senses (3 s here) once per installation and cached, not once per
    index build."""
    # By content: a fresh checkout gives the file a new time, not new senses.
    senses = hashlib.sha256(SENSES_FILE.read_bytes()).hexdigest()[:16]
    built = built_from_cedict("chinese-english", f"{_BUILD_VERSION} {SENSES} {senses}",
                              lambda: _parts(ChineseToEnglish.from_dictionaries()))
    return ChineseToEnglish(built["glosses"], built["dictionary_senses"])


def _parts(glosser: ChineseToEnglish) -> dict:
    return {"glosses": glosser._glosses, "dictionary_senses": glosser._dictionary_senses}


def question_stems(question: str) -> list[str]:
    stem = stemmer()
    return list(dict.fromkeys(stem(word) for word in content_words(question)))


def gloss_postings(texts: Sequence[str], glosser: ChineseToEnglish | None = None,
                   segmented: Sequence[Sequence[str]] | None = None) -> TermPostings:
    """The weighted English stems of ``texts`` (``segmented``: their ``segment_texts``, when known)."""
    glosser = glosser or default_glosser()
    segmented = segmented if segmented is not None else [None] * len(texts)
    return TermPostings.from_documents([glosser.gloss(text, tokens) for text, tokens in zip(texts, segmented)])


def save_glosses(directory: Path, texts: Sequence[str], segmented: Sequence[Sequence[str]] | None = None,
                 glosser: ChineseToEnglish | None = None) -> list[str]:
    """Write the glosses of ``texts`` into ``directory``: their postings and the stems CC-CEDICT itself
    gives their words; the names of the files written."""
    glosser = glosser or default_glosser()
    names = gloss_postings(texts, glosser, segmented).save(directory)
    stems = _dictionary_stems(texts, glosser, segmented)
    (directory / DICTIONARY_STEMS).write_text(json.dumps(sorted(stems)), encoding="utf-8")
    return [*names, DICTIONARY_STEMS]


def _dictionary_stems(texts: Sequence[str], glosser: ChineseToEnglish,
                      segmented: Sequence[Sequence[str]] | None) -> set[str]:
    segmented = segmented if segmented is not None else [None] * len(texts)
    return set().union(*(glosser.dictionary_stems(text, tokens) for text, tokens in zip(texts, segmented)))


def load_dictionary_stems(directories: Sequence[Path]) -> set[str] | None:
    """The stems CC-CEDICT gives the words of these glosses' texts; None if one was written before
    they were kept (its glosses are CC-CEDICT's alone, and the postings say as much)."""
    stems: set[str] = set()
    for directory in directories:
        path = directory / DICTIONARY_STEMS
        if not path.exists():
            return None
        stems.update(json.loads(path.read_text(encoding="utf-8")))
    return stems


class GlossIndex:
    def __init__(self, terms: TermIndex, dictionary_stems: set[str] | None = None) -> None:
        """``dictionary_stems``: the stems that CC-CEDICT gives the chunks' words, if known
        (``ChineseToEnglish.dictionary_stems``); what ``known_share`` counts as spoken of."""
        self._terms = terms
        self.size = terms.size
        self._dictionary_stems = dictionary_stems
        self._families: dict[str, list[str]] | None = None  # built on first use

    @classmethod
    def from_parts(cls, parts: Sequence[TermPostings], dictionary_stems: set[str] | None = None) -> GlossIndex:
        return cls(TermIndex(parts, K1, B, saturation_scale=K1 + 1), dictionary_stems)

    @classmethod
    def build(cls, texts: Sequence[str], glosser: ChineseToEnglish | None = None,
              segmented: Sequence[Sequence[str]] | None = None) -> GlossIndex:
        glosser = glosser or default_glosser()
        return cls.from_parts([gloss_postings(texts, glosser, segmented)], _dictionary_stems(texts, glosser, segmented))

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every chunk (row order) for an English question."""
        return self._terms.scores(self.held_stems(question))

    def held_stems(self, question: str) -> list[str]:
        """The question's stems that the glosses hold, each as itself or its word family's stem."""
        return [term for term in map(self._term, question_stems(question)) if term is not None]

    def known_share(self, question: str, translatable: Callable[[str], bool] = lambda word: True) -> float:
        """The IDF-weighted share of an English question's words that the archive speaks of: low when it
        never speaks of the question. A word is spoken of when CC-CEDICT gives its stem to a word of the
        archive (``dictionary_stems``; without them, when a chunk's gloss holds the stem). A word that is
        not counts as absent, at the highest IDF, if it means something (``translatable``: a dictionary
        has it) and is left out if nothing says what it means (a name, a typo, "normative"): unknown is
        not absent. A word is known through its word family too (reconsideration -> reconsider)."""
        top = math.log(1 + (self.size + 0.5) / 0.5)
        stem = stemmer()
        spoken_of = None if self._dictionary_stems is None else self._dictionary_stems.__contains__
        weights = []
        for word in dict.fromkeys(content_words(question)):
            term = self._term(stem(word), spoken_of)
            if term is not None:
                weights.append((self._terms.bm25_idf(term), True))
            elif translatable(word):
                weights.append((top, False))
        total = sum(weight for weight, _ in weights)
        return sum(weight for weight, known in weights if known) / total if total else 0.0

    def _term(self, stem: str, held: Callable[[str], bool] | None = None) -> str | None:
        """The stem, or a stem of its word family, that the glosses hold (and ``held`` accepts): one
        sharing its first 6 letters and all but at most one letter of the shorter of the two."""
        in_glosses = self._terms.holds

        def accepted(term: str) -> bool:
            return in_glosses(term) and (held is None or held(term))

        if accepted(stem):
            return stem
        if len(stem) < _FAMILY_PREFIX:
            return None
        if self._families is None:
            self._families = defaultdict(list)
            for term in self._terms.terms():
                self._families[term[:_FAMILY_PREFIX]].append(term)
        related = [(len(term), term) for term in self._families.get(stem[:_FAMILY_PREFIX], ())
                   if len(os.path.commonprefix([stem, term])) >= min(len(stem), len(term)) - 1 and accepted(term)]
        return min(related)[1] if related else None
