"""Terminal rendering of search results."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from search_api.search import SearchResult


def print_passages(console: Console, result: SearchResult) -> None:
    header = f"{len(result.passages)} results for “{result.query}” ({result.mode}, {result.took_ms:.0f} ms)"
    if result.translated_terms:
        header += "  terms: " + " ".join(result.translated_terms[:12])
    console.print(header, style="bold", markup=False, highlight=False)
    if not result.passages:
        console.print("Nothing found. Try another wording, another mode, or fewer filters.")
    for rank, passage in enumerate(result.passages, start=1):
        where = " · ".join(str(x) for x in (passage.jurisdiction or "?", passage.year or "?", passage.doc_number) if x)
        console.print(Text(f"\n[{rank}] {where} · {passage.title}", style="cyan"))
        console.print(Text(f"    {passage.source} [{passage.start}:{passage.end}]", style="dim"))
        body = Text(passage.text)
        for start, end in passage.highlights:
            body.stylize("bold yellow", start, end)
        console.print(body)
