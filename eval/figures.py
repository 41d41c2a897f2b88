"""Figures tables against the figures a researcher expects (``figures_dev.jsonl``).

A figure found is correct when an expected figure of the same question has its jurisdiction, value and
unit, and the expected quote lies inside the span the figure cites, in the expected source file. Each
expected figure is matched once. Precision is over the figures found, recall over those expected;
both are summed over the questions of a language (micro averages), because questions differ widely in
how many figures they have.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.records import Figure

_UNIT_SPELLINGS = {"％": "%"}


@dataclass(frozen=True)
class ExpectedFigure:
    source: str
    jurisdiction: str
    value: float
    unit: str
    quote: str
    what: str = ""
    year: int | None = None


@dataclass(frozen=True)
class FigureQuestion:
    id: str
    query: str
    lang: str
    figures: tuple[ExpectedFigure, ...]


@dataclass(frozen=True)
class FoundFigure:
    """A figure an answer gave, with what its citation points at."""

    source: str
    jurisdiction: str
    value: float
    unit: str
    cited_text: str  # the report's text over the cited span


@dataclass(frozen=True)
class FigureScore:
    query_id: str
    lang: str
    correct: int
    found: int
    expected: int
    missed: tuple[ExpectedFigure, ...]
    wrong: tuple[FoundFigure, ...]

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def load_figure_questions(path: Path) -> list[FigureQuestion]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            figures = tuple(ExpectedFigure(f["source"], f["jurisdiction"], float(f["value"]), f["unit"], f["quote"],
                                           f.get("what", ""), f.get("year")) for f in row["figures"])
            questions.append(FigureQuestion(row["id"], row["query"], row.get("lang", "zh"), figures))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a figures question ({type(error).__name__}: {error})") from None
    return questions


def _same_unit(a: str, b: str) -> bool:
    return _UNIT_SPELLINGS.get(a, a) == _UNIT_SPELLINGS.get(b, b)


def matches(found: FoundFigure, expected: ExpectedFigure) -> bool:
    return (found.jurisdiction == expected.jurisdiction and abs(found.value - expected.value) < 1e-9
            and _same_unit(found.unit, expected.unit) and Path(found.source).name == Path(expected.source).name
            and expected.quote in found.cited_text)


def score_figures(question: FigureQuestion, found: Sequence[FoundFigure]) -> FigureScore:
    unmatched = list(question.figures)
    wrong = []
    for figure in found:
        match = next((e for e in unmatched if matches(figure, e)), None)
        if match is None:
            wrong.append(figure)
        else:
            unmatched.remove(match)
    correct = len(question.figures) - len(unmatched)
    return FigureScore(question.id, question.lang, correct, len(found), len(question.figures), tuple(unmatched),
                       tuple(wrong))


def found_figures(figures: Iterable[Figure], reports) -> list[FoundFigure]:
    """``reports``: doc_id -> Report, for the source file and the text a figure cites."""
    return [FoundFigure(reports[f.doc_id].source, f.jurisdiction, f.value, f.unit,
                        reports[f.doc_id].text[f.start : f.end]) for f in figures]


def total(scores: Sequence[FigureScore], lang: str = "all") -> FigureScore:
    """The micro-averaged score of one language's questions (or all)."""
    chosen = [s for s in scores if lang in ("all", s.lang)]
    return FigureScore(f"all ({lang})", lang, sum(s.correct for s in chosen), sum(s.found for s in chosen),
                       sum(s.expected for s in chosen), (), ())


def run_figures_eval(searcher, questions: Sequence[FigureQuestion]) -> list[FigureScore]:
    from summarizer import answer

    scores = []
    for question in questions:
        result = answer(searcher, question.query)
        figures = [f for group in result.groups for f in group.figures]
        scores.append(score_figures(question, found_figures(figures, searcher.index.reports)))
    return scores
