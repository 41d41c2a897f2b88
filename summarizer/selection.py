"""Query-focused sentence selection with a redundancy penalty (maximal marginal relevance)."""

from __future__ import annotations

from collections.abc import Sequence


def bigrams(text: str) -> set[str]:
    compact = "".join(text.split())
    return {compact[i : i + 2] for i in range(len(compact) - 1)} or {compact}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def mmr_select(
    relevance: Sequence[float], texts: Sequence[str], max_sentences: int = 3, max_chars: int = 200,
    balance: float = 0.7, first: Sequence[int] = (),
) -> list[int]:
    """Indices of the chosen sentences, in the order chosen.

    Each step takes the sentence with the best ``balance * relevance - (1 - balance) * redundancy``,
    relevance scaled to [0, 1] by the best candidate and redundancy the character-bigram Jaccard
    similarity to the closest sentence already chosen. Sentences with no relevance are never chosen.
    The ``first`` sentences (up to ``max_sentences``), or else the first one chosen, are taken whatever
    their length; later ones only while the total stays within ``max_chars``.
    """
    top = max(relevance, default=0.0)
    if top <= 0:
        return []
    chosen: list[int] = list(first)[:max_sentences]
    used = sum(len(texts[i]) for i in chosen)
    candidates = [i for i, r in enumerate(relevance) if r > 0 and i not in chosen]
    shapes = {i: bigrams(texts[i]) for i in chosen + candidates}
    while candidates and len(chosen) < max_sentences:
        def gain(i: int) -> float:
            redundancy = max((jaccard(shapes[i], shapes[j]) for j in chosen), default=0.0)
            return balance * relevance[i] / top - (1 - balance) * redundancy

        best = max(candidates, key=lambda i: (gain(i), -i))
        candidates.remove(best)
        if chosen and used + len(texts[best]) > max_chars:
            continue
        chosen.append(best)
        used += len(texts[best])
    return chosen
