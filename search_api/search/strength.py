"""How strongly the archive answers a question: whether it speaks of it at all, and per passage.

- **Covered**: the IDF-weighted share of the question's words that the archive holds anywhere (a word it
  never holds counts at the highest IDF), its words for places left out. A question about rockets or
  subways asks for words the reports never use, whatever else it shares with them. Chinese questions are
  measured on their keyword tokens (``keyword_share``), English ones on the chunks' English glosses
  (indexer/gloss.py), whose words are the archive's own, not a dictionary's guess at one sense; the
  Chinese terms an English question quotes on their keyword tokens too, and both parts must pass. The
  thresholds were calibrated per language on the dev questions (``benchmarks/calibrate_refusal.py``;
  off-topic questions against on-topic ones).
- **Evidence** of a passage: the IDF-weighted coverage of the question's concepts times the dense
  z-score against the archive (negative counts as 0). ``EVIDENCE_THRESHOLD`` decides both which reports
  an answer quotes (summarizer/evidence.py) and when a search result's match is "strong".
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from indexer.cedict import stemmer
from indexer.keyword import blank_words, concept_coverage
from search_api.search.translate import chinese_part, default_translator, is_english

# Calibrated on the dev questions (benchmarks/results/calibrate_refusal.txt): between the highest share
# of an off-topic question and the lowest of an on-topic one, in each language.
COVERED_SHARE = {"zh": 0.53, "en": 0.70}
EVIDENCE_THRESHOLD = 0.3
# Words for the places an answer is grouped by say nothing of its topic: "how did each jurisdiction
# handle appearance in court" is on-topic where no report says "jurisdiction" (管辖), and "which cities
# built subway lines" earns nothing for "cities". Shares leave them out.
PLACE_WORDS = ("jurisdiction", "city", "district", "county", "province", "government", "region", "place",
               "municipality", "area", "town")  # stemmed: plurals too
PLACE_WORDS_ZH = ("城市", "地方", "各个", "区县", "市县", "县区", "各区", "各县", "辖区", "政府", "地区", "各级", "全市",
                  "全区", "全县", "本市", "本区", "我市", "我区")
QUESTION_WORDS_ZH = ("怎么样", "有没有", "是不是")  # beside the keyword stop words (如何, 哪些, 多少...)
_BLANKED_ZH = frozenset(PLACE_WORDS_ZH + QUESTION_WORDS_ZH)  # looked up for each word of every question

Concepts = list[tuple[tuple[str, ...], float]]  # alternative keyword tokens, weight


def language_of(question: str) -> str:
    return "en" if is_english(question) else "zh"


def archive_shares(index, question: str) -> dict[str, float]:
    """The share (0 to 1) of the question's IDF-weighted words that the archive holds anywhere, per
    language: an English question that quotes Chinese terms has both."""
    if language_of(question) == "zh" or index.gloss is None:
        return {"zh": keyword_share(index, question)}
    shares = {"en": index.gloss.known_share(question, default_translator().knows, _place_stems())}
    quoted = chinese_part(question)
    if quoted:
        shares["zh"] = keyword_share(index, quoted)
    return shares


@lru_cache(maxsize=1)
def _place_stems() -> frozenset[str]:
    stem = stemmer()
    return frozenset(map(stem, PLACE_WORDS))


def archive_share(index, question: str) -> float:
    return min(archive_shares(index, question).values())


def is_covered(index, question: str) -> tuple[bool, float]:
    """Covered when each language's part of the question reaches its threshold: "how did cities handle
    火箭燃料" is not covered for its common English words."""
    shares = archive_shares(index, question)
    return all(share >= COVERED_SHARE[language] for language, share in shares.items()), float(min(shares.values()))


def keyword_share(index, text: str) -> float:
    """The IDF-weighted share of a text's keyword tokens that the archive holds anywhere, leaving out its
    question words and words for places and the bigrams across them (各地如何推进: 地如, 何推), which no
    report has and which counted as absent words."""
    topical = blank_words(text, _BLANKED_ZH)
    tokens = list(dict.fromkeys(index.keyword.tokens(topical) or index.keyword.tokens(text)))
    idf = index.keyword.idf(tokens)
    return float(concept_coverage([((token,), 1.0) for token in tokens], idf, index.keyword.holds))


def question_concepts(index, question: str, terms: list[str]) -> Concepts:
    """What a text must contain to answer the question: each token of a Chinese question on its own;
    for an English one, each translated word or phrase, any of whose Chinese terms will do (so that the
    wrong senses among a word's translations cost nothing where the right one is present), and each
    token of the Chinese terms it quotes."""
    if not terms:
        return [((token,), 1.0) for token in dict.fromkeys(index.keyword.tokens(question))]
    translated = [(tuple(dict.fromkeys(t for term in concept.terms for t in index.keyword.tokens(term))), concept.weight)
                  for concept in default_translator().concepts(question)]
    return translated + [((token,), 1.0) for token in dict.fromkeys(index.keyword.tokens(chinese_part(question)))]


def evidence(coverage, dense_z):
    """Coverage times closeness (a negative z-score counts as 0); numbers or numpy arrays alike."""
    return coverage * np.maximum(dense_z, 0.0)
