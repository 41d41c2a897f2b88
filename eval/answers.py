"""Answer quality on span-labelled queries.

- group recall: of the reports holding a grade-2 quote for a query, the share whose group appears in
  the answer;
- summary precision: of the summary sentences shown, the share that match any labelled quote of the
  query (of any grade) by the span rule of eval/spans.py.
Only queries whose grade-2 quotes span several reports are scored, as the answers issue asks.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eval.datasets import SpanQuery
from eval.spans import quote_matches


@dataclass(frozen=True)
class AnswerScore:
    query_id: str
    group_recall: float
    summary_precision: float
    sentences: int


def group_recall(answered_sources: Iterable[str], query: SpanQuery) -> float:
    needed = {q.source for q in query.relevant if q.grade == 2}
    return len(needed & set(answered_sources)) / len(needed) if needed else 1.0


def summary_precision(sentences: Sequence[tuple[str, str]], query: SpanQuery) -> float:
    """``sentences`` are ``(source, text)``; 1.0 when there is nothing to judge."""
    if not sentences:
        return 1.0
    matched = sum(1 for source, text in sentences
                  if any(q.source == source and quote_matches(text, q.quote) for q in query.relevant))
    return matched / len(sentences)


def spans_several_reports(query: SpanQuery) -> bool:
    return len({q.source for q in query.relevant if q.grade == 2}) > 1


def score_answers(searcher, queries: Sequence[SpanQuery]) -> list[AnswerScore]:
    from summarizer import answer

    scores = []
    for query in filter(spans_several_reports, queries):
        result = answer(searcher, query.query)
        reports = searcher.index.reports
        answered = {p.source for group in result.groups for p in group.passages}
        sentences = [(reports[s.doc_id].source, s.text) for group in result.groups for s in group.summary]
        scores.append(AnswerScore(query.id, group_recall(answered, query), summary_precision(sentences, query),
                                  len(sentences)))
    return scores


@dataclass(frozen=True)
class AnswerMean:
    label: str  # the queries' file, and their language when the file has several
    group_recall: float
    summary_precision: float
    sentences: int


def mean_answer_scores(name: str, scores: Sequence[AnswerScore], languages: dict[str, str]) -> list[AnswerMean]:
    """The mean of one file's ``scores``, then per query language (``languages``: query id -> language)
    if it has several."""
    def mean(label: str, chosen: Sequence[AnswerScore]) -> AnswerMean:
        return AnswerMean(label, statistics.fmean(s.group_recall for s in chosen),
                          statistics.fmean(s.summary_precision for s in chosen), sum(s.sentences for s in chosen))

    found = sorted({languages[s.query_id] for s in scores})
    means = [mean(name, scores)] if scores else []
    if len(found) > 1:
        means += [mean(f"{name} ({language})", [s for s in scores if languages[s.query_id] == language])
                  for language in found]
    return means


@dataclass(frozen=True)
class RefusalScore:
    language: str
    refused: int
    questions: int

    @property
    def rate(self) -> float:
        return self.refused / self.questions if self.questions else 1.0


def load_offtopic(path) -> list[tuple[str, str]]:
    """``(question, language)`` of each line of an off-topic file (``{"id", "query", "lang"}``)."""
    import json

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["query"], row.get("lang", "zh")) for row in rows]


def score_refusals(searcher, questions: Sequence[tuple[str, str]]) -> list[RefusalScore]:
    """Per language, how many questions the archive does not address were answered "not covered"."""
    from summarizer import answer

    counts: dict[str, list[int]] = {}
    for question, language in questions:
        refused = not answer(searcher, question).covered
        for key in (language, "all"):
            counts.setdefault(key, [0, 0])
            counts[key][0] += refused
            counts[key][1] += 1
    return [RefusalScore(language, refused, total) for language, (refused, total) in sorted(counts.items())]
