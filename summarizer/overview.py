"""An overview across groups: the most typical point and the most distinctive one, quoted and cited.

Each group contributes its summary's sentences; a sentence's typicality is its mean cosine similarity
to the other groups' sentences (sentence vectors from the index). The most typical sentences say what
most groups say; the least typical one what only its group says.
"""

from __future__ import annotations

import dataclasses

from collections.abc import Sequence

import numpy as np

from indexer.records import AnswerGroup, SummarySentence


def build_overview(searcher, groups: Sequence[AnswerGroup], size: int = 3) -> tuple[SummarySentence, ...]:
    if len(groups) < 2 or size < 1:
        return ()
    index = searcher.index
    owners, sentences, vectors = [], [], []
    for group_number, group in enumerate(groups):
        for sentence in group.summary:
            unit = index.unit_at.get((sentence.doc_id, sentence.start, sentence.end))
            if unit is not None:
                owners.append(group_number)
                sentences.append(sentence)
                vectors.append(unit)
    if len(set(owners)) < 2:
        return ()
    matrix = index.store.vectors(vectors)
    similarity = matrix @ matrix.T
    owners_array = np.array(owners)
    typicality = np.array([similarity[i, owners_array != owners[i]].mean() for i in range(len(owners))])
    order = list(np.argsort(-typicality))
    picks = []
    for i in order:
        if owners[i] not in {owners[j] for j in picks}:
            picks.append(i)
        if len(picks) == max(size - 1, 1):
            break
    distinctive = next((i for i in reversed(order) if owners[i] not in {owners[j] for j in picks}), None)
    others = len(groups) - 1
    overview = [_noted(sentences[i], f"typical: close to what the other {others} groups say", "typical", str(others))
                for i in picks]
    if distinctive is not None and size > 1:
        label = groups[owners[distinctive]].label
        overview.append(_noted(sentences[distinctive], f"distinctive: only {label}", "distinctive", label))
    return tuple(overview)


def _noted(sentence: SummarySentence, note: str, kind: str, about: str) -> SummarySentence:
    return dataclasses.replace(sentence, note=note, note_kind=kind, note_about=about)
