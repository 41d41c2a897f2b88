"""Terminal rendering of search results."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from indexer.records import Answer, Report
from search_api.search import SearchResult


def print_passages(console: Console, result: SearchResult) -> None:
    header = (f"{len(result.passages)} results for “{result.query}” ({result.mode}, {result.took_ms:.0f} ms), "
              f"{result.strong_matches} strong")
    if result.translated_terms:
        header += "  terms: " + " ".join(result.translated_terms[:12])
    console.print(header, style="bold", markup=False, highlight=False)
    if result.notice:
        console.print(f"Nothing in scope: {result.notice}.", style="yellow", markup=False)
    elif not result.passages:
        console.print("Nothing found. Try another wording, another mode, or fewer filters.")
    elif not result.covered:
        console.print("The archive does not seem to cover this: none of these passages is a strong match.",
                      style="yellow")
    elif not result.strong_matches:
        console.print("Nothing matches well: every passage below is a weak match.", style="yellow")
    for rank, passage in enumerate(result.passages, start=1):
        where = " · ".join(str(x) for x in (passage.jurisdiction or "?", passage.year or "?", passage.doc_number) if x)
        console.print(Text(f"\n[{rank}] {where} · {passage.title} ({passage.match} match)", style="cyan"))
        console.print(Text(f"    {passage.source} [{passage.start}:{passage.end}]  doc {passage.doc_id}", style="dim"))
        body = Text(passage.text)
        for start, end in passage.highlights:
            body.stylize("bold yellow", start, end)
        console.print(body)


def search_markdown(result: SearchResult) -> str:
    """Search results as Markdown: a numbered item per passage with its report and character span."""
    lines = [f"# {result.query}", "", f"{len(result.passages)} passages ({result.mode} search)", ""]
    for rank, p in enumerate(result.passages, start=1):
        where = ", ".join(str(x) for x in (p.jurisdiction or "?", p.year or "?", p.doc_number) if x)
        lines += [f"{rank}. **{p.title}** ({where}; {p.match} match), {p.source}, characters {p.start}-{p.end}",
                  "", f"   > {' '.join(p.text.split())}", ""]
    return "\n".join(lines)


def print_answer(answer: Answer, reports: dict[str, Report], figures: bool = False) -> str:
    """The answer as Markdown: a section per group, sentences with numbered citations, then the sources;
    with ``figures``, a table of the figures per jurisdiction, each value cited."""
    lines = [f"# {answer.question}", ""]
    citations: list[tuple[str, int, int]] = []

    def cite(doc_id: str, start: int, end: int) -> str:
        if (doc_id, start, end) not in citations:
            citations.append((doc_id, start, end))
        return f"[{citations.index((doc_id, start, end)) + 1}]"

    if answer.overview:
        lines += ["## Overview", ""]
        lines += [f"- {s.text} {cite(s.doc_id, s.start, s.end)} ({s.note})" for s in answer.overview]
        lines.append("")
    for group in answer.groups:
        stance = {"planned": " · planned, not reported (from a plan)", "mixed": " · partly planned (from a plan)"}
        lines += [f"## {group.label}{stance.get(group.stance, '')}", ""]
        lines += [f"- {s.text} {cite(s.doc_id, s.start, s.end)}" for s in group.summary]
        lines.append("")
    table = [(group, f) for group in answer.groups for f in group.figures]
    if figures:
        lines += ["## Figures", ""]
        if table:
            lines += ["| Jurisdiction | Year | What | Value | Source |", "|---|---|---|---|---|"]
            lines += [f"| {group.label} | {f.year or '?'} | {f.what} | {f.value:g} {f.unit} | "
                      f"{cite(f.doc_id, f.start, f.end)} |" for group, f in table]
        else:
            lines.append("No figure in the quoted evidence answers this question.")
        lines.append("")
    groups = {g.key: g for g in answer.groups}
    for place in answer.comparison:
        lines += [f"## {place.label}, year by year", "", "| Year | What the report says | Figures |", "|---|---|---|"]
        for entry in place.years:
            group = groups.get(entry.group_key)
            if group is None:
                titles = "; ".join(entry.titles)
                lines.append(f"| {entry.year or '?'} | (silent: {titles} says nothing about this question) | |")
                continue
            said = " ".join(f"{s.text} {cite(s.doc_id, s.start, s.end)}" for s in group.summary)
            numbers = "; ".join(f"{f.what} {f.value:g} {f.unit} {cite(f.doc_id, f.start, f.end)}" for f in group.figures)
            lines.append(f"| {entry.year or '?'} | {' '.join(said.split()).replace('|', '/')} | {numbers} |")
        lines.append("")
    if answer.notice:
        lines += [f"**Nothing in scope:** {answer.notice}.", ""]
    elif not answer.covered and not answer.groups and answer.archive_share < 1:
        lines += ["**Not covered:** the archive does not speak of this question (its words are not the "
                  "reports'); no report in scope is quoted.", ""]
    elif not answer.groups:
        lines += ["**Not covered:** no report in scope addresses this question.", ""]
    if answer.without_evidence:
        lines += ["## Without evidence", "", "These reports say nothing about the question: "
                  + "、".join(answer.without_evidence), ""]
    if citations:
        lines += ["## Sources", ""]
        for number, (doc_id, start, end) in enumerate(citations, start=1):
            report = reports[doc_id]
            lines.append(f"[{number}] {report.title} ({report.jurisdiction or '?'}, {report.year or '?'}), "
                         f"{report.source}, characters {start}-{end}")
    return "\n".join(lines)
