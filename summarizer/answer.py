"""``answer``: a question answered per jurisdiction (or document, or year) with cited, extractive summaries."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.chunking import is_heading
from indexer.records import Answer, AnswerGroup, SummarySentence
from indexer.units import sentence_unit_spans
from search_api.search import Filters, Searcher
from search_api.search.query_text import strip_query
from search_api.search.strength import is_covered
from search_api.search.searcher import Ranking
from indexer.keyword import concept_coverage
from summarizer.evidence import EVIDENCE_THRESHOLD, Concepts, weigh_evidence, z_scorer
from summarizer.grouping import grouper
from summarizer.overview import build_overview
from summarizer.selection import mmr_select

@dataclass(frozen=True)
class AnswerSettings:
    passages_per_group: int = 3
    sentences_per_group: int = 3
    chars_per_group: int = 200
    threshold: float = EVIDENCE_THRESHOLD
    overview_sentences: int = 3
    feedback_passages: int = 5  # English questions: chunks and words of feedback (evidence.py)
    feedback_words: int = 5


def answer(
    searcher: Searcher, question: str, group_by: str = "jurisdiction", filters: Filters = Filters(),
    settings: AnswerSettings = AnswerSettings(),
) -> Answer:
    question = strip_query(question)
    if not question:
        raise ValueError("question is empty")
    index = searcher.index
    in_scope = sorted((r for r in index.reports.values() if filters.accepts(r)), key=lambda r: r.source)
    key_of = grouper(group_by, in_scope)
    covered, share = is_covered(index, question)
    if not covered:
        labels = tuple(dict.fromkeys(key_of(report).label for report in in_scope))
        return Answer(question, group_by, (), labels, (), index.generation, covered=False, archive_share=share)
    # Every chunk is scored so that each group gets its own best passages, not just the global top.
    # Passages are ordered by evidence, not by the fused score: the rendering's dense run would be wasted.
    ranking = searcher.rank(question, "hybrid", filters, exhaustive=True, render=False)
    weighed = weigh_evidence(index, ranking, question, settings.feedback_passages, settings.feedback_words)
    evidence = weighed.by_row
    rows_by_group: dict = {key_of(r): [] for r in in_scope}
    for row in sorted(ranking.rows, key=lambda r: -evidence[r]):
        rows_by_group[key_of(index.chunk_report[row])].append(row)

    highlight_terms = index.keyword.tokens(question) + ranking.terms + list(weighed.feedback)
    idf = index.keyword.idf([t for alternatives, _ in weighed.concepts for t in alternatives])
    groups, without = [], []
    for group, rows in rows_by_group.items():
        top = rows[: settings.passages_per_group]
        strength = evidence[top[0]] if top else float("-inf")
        if strength < settings.threshold:
            without.append(group.label)
            continue
        top = [row for row in top if evidence[row] >= settings.threshold]
        passages = tuple(searcher.passage(row, evidence[row], highlight_terms, ranking.best_unit.get(row)) for row in top)
        summary = _summarise(searcher, top, ranking, weighed.concepts, idf, settings)
        years = tuple(sorted({index.chunk_report[row].year for row in top if index.chunk_report[row].year}))
        doc_types = tuple(sorted({index.chunk_report[row].doc_type for row in top}))
        groups.append(AnswerGroup(group.key, group.label, years, strength, summary, passages, stance_of(doc_types),
                                  doc_types))
    groups.sort(key=lambda g: -g.evidence)
    overview = build_overview(searcher, groups, settings.overview_sentences)
    return Answer(question, group_by, tuple(groups), tuple(without), overview, index.generation,
                  covered=bool(groups), archive_share=share)


PLAN_TYPES = {"work_plan"}


def stance_of(doc_types: tuple[str, ...]) -> str:
    planned = [t in PLAN_TYPES for t in doc_types]
    return "planned" if all(planned) else "mixed" if any(planned) else "reported"


def _summarise(searcher: Searcher, rows: list[int], ranking: Ranking, concepts: Concepts,
               idf: dict[str, float], settings: AnswerSettings) -> tuple[SummarySentence, ...]:
    """The sentences of a group's passages that answer the question, in document order."""
    index = searcher.index
    z = z_scorer(ranking.unit_scores)
    candidates = []  # (doc_id, start, end, text, relevance)
    for row in rows:
        chunk = index.chunks[row]
        report = index.chunk_report[row]
        for start, end in sentence_unit_spans(chunk):
            text = report.text[start:end]
            if is_heading(text):
                continue  # a heading names a topic; it does not say what was done
            unit = index.unit_at.get((report.doc_id, start, end))
            dense = z(float(ranking.unit_scores[unit])) if unit is not None else 0.0
            held = index.keyword.held_tokens(text, idf)
            coverage = concept_coverage(concepts, idf, held.__contains__)
            # Closeness adds to coverage rather than multiplying it, so a sentence stays
            # choosable when it has no vector of its own (merged or chunk-only units).
            candidates.append((report.doc_id, start, end, text, coverage * (1 + max(dense, 0.0))))
    chosen = mmr_select([c[4] for c in candidates], [c[3] for c in candidates],
                        settings.sentences_per_group, settings.chars_per_group)
    picked = sorted((candidates[i] for i in chosen), key=lambda c: (c[0], c[1]))
    return tuple(SummarySentence(text, doc_id, start, end) for doc_id, start, end, text, _ in picked)
