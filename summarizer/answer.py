"""``answer``: a question answered per jurisdiction (or document, or year) with cited, extractive summaries."""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.chunking import is_heading
from indexer.keyword import text_coverage_of
from indexer.records import Answer, AnswerGroup, Figure, Report, SummarySentence
from indexer.units import sentence_unit_spans
from search_api.search import Filters, Searcher
from search_api.search.filters import why_nothing_in_scope
from search_api.search.highlight import TermHighlighter
from search_api.search.query_text import strip_query
from search_api.search.script import in_archive_script
from search_api.search.searcher import Ranking
from search_api.search.strength import is_covered
from summarizer.evidence import EVIDENCE_THRESHOLD, Concepts, weigh_evidence
from summarizer.figures import relevant_mentions
from summarizer.grouping import compare_years, grouper
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
    # Figures come from the group's sentences at least this relevant (coverage x closeness, as in the
    # summary): a sentence that shares a word or two with the question is not about it. On the dev
    # questions the figures researchers expect sit in sentences of 0.365 and above, the nearest unwanted
    # ones at 0.257 (a petition case, for the English mission question "handle ... in court") and 0.136
    # (mediation, for a question on reconsideration). 0.2 before English closeness came from a rendering.
    figure_min_relevance: float = 0.3
    # A summary sentence is at least this share as relevant as the group's best (or cites a figure), and
    # a sentence of the group's k-th passage (from 0) counts 1 - k * later_passage_discount of its
    # relevance: the group's surest passage holds its surest sentences. Summary precision of the answers
    # eval, Chinese seed questions: 0.489 (share 0.5, no discount) -> 0.533 (discount 0.2) -> 0.565
    # (share 0.7); group recall unchanged. Each step, and the English wording's, in
    # benchmarks/results/summary_precision.txt.
    summary_min_share: float = 0.7
    later_passage_discount: float = 0.2


COMPARE = ("years",)


def answer(
    searcher: Searcher, question: str, group_by: str = "jurisdiction", filters: Filters = Filters(),
    settings: AnswerSettings = AnswerSettings(), compare: str | None = None,
) -> Answer:
    """``compare="years"`` also lays out each place with reports of several years year by year
    (``Answer.comparison``); it needs the groups by jurisdiction."""
    question = strip_query(question)
    if not question:
        raise ValueError("question is empty")
    if compare is not None and compare not in COMPARE:
        raise ValueError(f"compare must be one of {', '.join(COMPARE)}, not {compare!r}")
    if compare and group_by != "jurisdiction":
        raise ValueError("comparing years needs the answer grouped by jurisdiction")
    index = searcher.index
    question = in_archive_script(index, question)
    notice = why_nothing_in_scope(index.reports.values(), filters)
    if notice:
        return Answer(question, group_by, (), (), (), index.generation, covered=False, notice=notice)
    in_scope = sorted((r for r in index.reports.values() if filters.accepts(r)), key=lambda r: r.source)
    key_of = grouper(group_by, in_scope)
    covered, share = is_covered(index, question)
    if not covered:
        labels = tuple(dict.fromkeys(key_of(report).label for report in in_scope))
        comparison = compare_years((), in_scope) if compare == "years" else ()
        return Answer(question, group_by, (), labels, (), index.generation, covered=False, archive_share=share,
                      comparison=comparison)
    weighed = weigh_evidence(searcher, question, filters, settings.feedback_passages, settings.feedback_words)
    ranking, evidence = weighed.ranking, weighed.by_row
    rows_by_group: dict = {key_of(r): [] for r in in_scope}
    # Only rows that are evidence can head or join a group: sorting and grouping the others (most of a
    # large archive) would change nothing.
    passing = [row for row in ranking.rows if evidence[row] >= settings.threshold]
    # A group's passages come by evidence for a Chinese question, in the fused order for an English one,
    # whose evidence rests on a rendering of it. Chunks holding a labelled quote of the seed questions
    # against the others, AUC: English (14 questions) evidence 0.923, fused score 0.982; Chinese 0.996 and
    # 0.997. Summary precision of the English wording 0.367 -> 0.386 (Chinese in fused order: 0.565 ->
    # 0.552); with closeness from the archive's rendering (evidence.weigh_evidence), 0.465 against 0.416
    # by evidence.
    for row in passing if ranking.terms else sorted(passing, key=lambda r: -evidence[r]):
        rows_by_group[key_of(index.chunk_report[row])].append(row)

    highlighter = TermHighlighter(searcher.highlight_terms(question, ranking) + list(weighed.feedback))
    idf = index.keyword.idf([t for alternatives, _ in weighed.concepts for t in alternatives])
    groups, without = [], []
    for group, rows in rows_by_group.items():
        top = rows[: settings.passages_per_group]
        if not top:
            without.append(group.label)
            continue
        strength = max(evidence[row] for row in top)
        passages = tuple(searcher.passage(row, evidence[row], highlighter, ranking.best_unit.get(row)) for row in top)
        sentences = _relevant_sentences(searcher, top, ranking, weighed.concepts, idf, settings.figure_min_relevance)
        summary = _summarise(sentences, settings)
        figures = _figures(sentences, weighed.concepts, settings)
        years = tuple(sorted({index.chunk_report[row].year for row in top if index.chunk_report[row].year}))
        doc_types = tuple(sorted({index.chunk_report[row].doc_type for row in top}))
        groups.append(AnswerGroup(group.key, group.label, years, strength, summary, passages, stance_of(doc_types),
                                  doc_types, figures))
    groups.sort(key=lambda g: -g.evidence)
    overview = build_overview(searcher, groups, settings.overview_sentences)
    comparison = compare_years(groups, in_scope) if compare == "years" else ()
    return Answer(question, group_by, tuple(groups), tuple(without), overview, index.generation,
                  covered=bool(groups), archive_share=share, comparison=comparison)


PLAN_TYPES = {"work_plan"}


def stance_of(doc_types: tuple[str, ...]) -> str:
    planned = [t in PLAN_TYPES for t in doc_types]
    return "planned" if all(planned) else "mixed" if any(planned) else "reported"


@dataclass(frozen=True)
class _Sentence:
    report: Report
    start: int
    end: int
    text: str
    coverage: float  # of the question's concepts
    closeness: float  # the dense z-score of its own vector against the archive (0 if negative or none)
    passage: int  # the rank of its passage in the group, from 0
    states_figure: bool  # a figure the question asks about (looked for from figure_min_relevance up)

    @property
    def relevance(self) -> float:
        # Closeness adds to coverage rather than multiplying it, so a sentence stays
        # choosable when it has no vector of its own (merged or chunk-only units).
        return self.coverage * (1 + self.closeness)


def _relevant_sentences(searcher: Searcher, rows: list[int], ranking: Ranking, concepts: Concepts,
                        idf: dict[str, float], figure_min_relevance: float) -> list[_Sentence]:
    """The sentences of a group's passages (headings left out), each with its relevance to the question."""
    index = searcher.index
    z = ranking.unit_z
    holds_term = _term_holder(concepts)
    text_coverage = text_coverage_of(concepts, idf)
    sentences = []
    for passage, row in enumerate(rows):
        chunk = index.chunks[row]
        report = index.chunk_report[row]
        for start, end in sentence_unit_spans(chunk):
            text = report.text[start:end]
            if is_heading(text):
                continue  # a heading names a topic; it does not say what was done
            unit = index.unit_at.get((report.doc_id, start, end))
            dense = z(float(ranking.unit_scores[unit])) if unit is not None else 0.0
            sentence = _Sentence(report, start, end, text, text_coverage(text), max(dense, 0.0), passage, False)
            # Only a sentence relevant enough to be cited for its figures is searched for them.
            if sentence.relevance >= figure_min_relevance and relevant_mentions(text, holds_term):
                sentence = replace(sentence, states_figure=True)
            sentences.append(sentence)
    return sentences


def _term_holder(concepts: Concepts):
    """Whether a phrase holds a term of the question (bigrams too: 应诉 in 出庭应诉)."""
    terms = {t for alternatives, _ in concepts for t in alternatives if len(t) >= 2}
    return lambda phrase: any(t in phrase for t in terms)


def _summarise(sentences: list[_Sentence], settings: AnswerSettings) -> tuple[SummarySentence, ...]:
    """The sentences that answer the question, in document order."""
    # Sentences at least summary_min_share as relevant as the best, and those the figures table cites.
    # The best of each kind is shown whatever its length: researchers quote results in numbers, which
    # score lower than statements of policy that repeat the question, and a long statement would leave
    # no room.
    relevance = [s.relevance * (1 - settings.later_passage_discount * s.passage) for s in sentences]
    top = max(relevance, default=0.0)
    cites = [_cites_figure(s, settings) for s in sentences]
    scores = [r if cited or r >= settings.summary_min_share * top else 0.0 for r, cited in zip(relevance, cites)]
    figures = [i for i, cited in enumerate(cites) if cited]
    statements = [i for i, cited in enumerate(cites) if not cited and scores[i] > 0]
    first = [max(kind, key=scores.__getitem__) for kind in (figures, statements) if kind]
    chosen = mmr_select(scores, [s.text for s in sentences], settings.sentences_per_group, settings.chars_per_group,
                        first=first)
    picked = sorted((sentences[i] for i in chosen), key=lambda s: (s.report.doc_id, s.start))
    return tuple(SummarySentence(s.text, s.report.doc_id, s.start, s.end, raw_span=s.report.raw_span(s.start, s.end))
                 for s in picked)


def _cites_figure(sentence: _Sentence, settings: AnswerSettings) -> bool:
    return sentence.states_figure and sentence.relevance >= settings.figure_min_relevance


def _figures(sentences: list[_Sentence], concepts: Concepts, settings: AnswerSettings) -> tuple[Figure, ...]:
    """The figures of the group's most relevant sentences that answer the question (figures.py)."""
    holds_term = _term_holder(concepts)
    figures, seen = [], set()
    for sentence in sorted(sentences, key=lambda s: (s.report.doc_id, s.start)):
        if not _cites_figure(sentence, settings):
            continue
        for mention in relevant_mentions(sentence.text, holds_term):
            report, start, end = sentence.report, sentence.start + mention.start, sentence.start + mention.end
            key = (report.doc_id, mention.value, mention.unit, mention.what)
            if key not in seen:
                seen.add(key)
                figures.append(Figure(mention.value, mention.unit, mention.what, report.text[start:end], report.doc_id,
                                      start, end, report.jurisdiction, report.year, report.raw_span(start, end)))
    return tuple(figures)
