"""What gets a vector: each sentence of a chunk, the whole chunk, or both.

Chunk vectors retrieve whole passages (as the model's published XQuAD figures do); sentence vectors let
answers pick and cite the sentence that answers a question without embedding anything at query time.
On the dev queries both kinds together score like either alone (benchmarks/results/tune_seed.txt), so
the default keeps both. Sentences shorter than ``min_chars`` (headings, "一是") are merged into the next
one, so short headings do not win the dense ranking on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.records import Chunk, VectorUnit
from indexer.sentences import sentence_spans

KINDS = ("sentence", "chunk", "sentence+chunk")


@dataclass(frozen=True)
class UnitSettings:
    kind: str = "sentence+chunk"
    min_chars: int = 20

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unit kind must be one of {KINDS}, not {self.kind!r}")


def vector_units(chunk: Chunk, settings: UnitSettings = UnitSettings()) -> list[VectorUnit]:
    units = []
    if settings.kind in ("sentence", "sentence+chunk"):
        units = [_unit(chunk, s, e) for s, e in sentence_unit_spans(chunk, settings.min_chars)]
    if settings.kind == "chunk" or (settings.kind == "sentence+chunk" and len(units) > 1):
        units.append(_unit(chunk, chunk.start, chunk.end))
    return units


def sentence_unit_spans(chunk: Chunk, min_chars: int = UnitSettings.min_chars) -> list[tuple[int, int]]:
    """Spans (in the report's clean text) of the chunk's sentences, short ones merged into the next."""
    spans = [(chunk.start + s, chunk.start + e) for s, e in sentence_spans(chunk.text)]
    merged: list[tuple[int, int]] = []
    pending: int | None = None  # start of short sentences waiting to join the next one
    for start, end in spans:
        start = pending if pending is not None else start
        if end - start < min_chars:
            pending = start
            continue
        merged.append((start, end))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], spans[-1][1])
        else:
            merged.append((pending, spans[-1][1]))
    return merged


def _unit(chunk: Chunk, start: int, end: int) -> VectorUnit:
    return VectorUnit(chunk.chunk_id, start, end, chunk.text[start - chunk.start : end - chunk.start])
