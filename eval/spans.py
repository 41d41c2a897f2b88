"""Span labels: does a retrieved passage hold a labelled quote? (the rule in DESIGN.md)

A passage matches a quote when, with all whitespace deleted from both, the passage contains a run of at
least half of the quote's characters. Labels therefore do not depend on how the text was chunked.
Within one query a quote is credited once: to the first passage that matches it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def compact(text: str) -> str:
    return "".join(text.split())


def quote_matches(passage: str, quote: str) -> bool:
    passage, quote = compact(passage), compact(quote)
    if not quote:
        return False
    run = math.ceil(len(quote) / 2)
    return any(quote[i : i + run] in passage for i in range(len(quote) - run + 1))


def credit_quotes(passages: Sequence[tuple[str, str]], quotes: Sequence[tuple[str, str]]) -> list[int | None]:
    """For each ``(source, quote)``, the 0-based rank of the first ``(source, text)`` passage of the same
    source that matches it, or None."""
    return [
        next((rank for rank, (source, text) in enumerate(passages) if source == q_source and quote_matches(text, quote)), None)
        for q_source, quote in quotes
    ]


def passage_judgments(
    passage_ids: Sequence[str], passages: Sequence[tuple[str, str]], quotes: Sequence[tuple[str, str]],
    grades: Sequence[int],
) -> dict[str, int]:
    """Relevance judgments for one query's ranked passages, in the form metrics libraries take.

    A passage credited with quotes gets the highest of their grades (a passage that matches several
    quotes counts once). A quote no passage matches is judged under a placeholder id, so the ideal
    ranking still counts it and recall cannot reach 1 without it.
    """
    judged: dict[str, int] = {}
    for index, (rank, grade) in enumerate(zip(credit_quotes(passages, quotes), grades)):
        key = passage_ids[rank] if rank is not None else f"unmatched-quote-{index}"
        judged[key] = max(judged.get(key, 0), grade)
    return judged
