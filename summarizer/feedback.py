"""Pseudo-relevance feedback for English questions: Chinese words taken from the best-ranked passages.

Dictionary translations of an English question miss words the reports use: "appearance in court"
gives 出庭, but one district writes only of 行政应诉. The passages that already answer the question well
use the reports' own vocabulary, so the words frequent in them and rare in the archive (RM3-style:
frequency in each feedback passage, weighted by its rank, times IDF) join the question's concepts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence


def feedback_words(
    passages: Sequence[list[str]], idf: Callable[[list[str]], dict[str, float]], count: int,
    exclude: set[str] = frozenset(),
) -> dict[str, float]:
    """The ``count`` best words of tokenised ``passages`` (best passage first), each weighted relative
    to the best word (which gets 1.0); tokens of one character and those in ``exclude`` are skipped."""
    relevance: Counter[str] = Counter()
    for rank, tokens in enumerate(passages, start=1):
        words = [t for t in tokens if len(t) >= 2 and t not in exclude]
        for word, frequency in Counter(words).items():
            relevance[word] += frequency / len(words) / rank
    weights = idf(list(relevance))
    scored = sorted(((relevance[w] * weights[w], w) for w in relevance), key=lambda pair: (-pair[0], pair[1]))
    scored = scored[:count]
    return {word: score / scored[0][0] for score, word in scored} if scored else {}
