"""The table ``reports index`` prints at the end."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from indexer.pipeline import IndexSummary


def print_summary(console: Console, summary: IndexSummary) -> None:
    title = f"Index generation {summary.generation}"
    if not summary.published:
        title += " (nothing changed: no new generation)"
    table = Table(title=title, show_header=False)
    rows = [
        ("files seen", summary.files_seen),
        ("new", len(summary.new)),
        ("changed", len(summary.changed)),
        ("unchanged (skipped)", len(summary.unchanged)),
        ("removed", len(summary.removed)),
        ("failed", len(summary.failed)),
        ("duplicates", len(summary.duplicates)),
        ("reports", summary.reports),
        ("chunks", summary.chunks),
        ("vectors", summary.units),
        ("vectors embedded", summary.units_embedded),
        ("tokens embedded", summary.tokens_embedded),
        ("segments kept", summary.segments_kept),
        ("seconds", " ".join(f"{stage} {s:.1f}" for stage, s in summary.seconds.items())),
        ("embed tokens/s", f"{summary.embed_tokens_per_second:.0f}"),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    for warning in summary.warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)
    for title, items in (
        ("failed", [(f.source, f.reason + (" (previous version kept)" if f.source in summary.kept_previous else "")) for f in summary.failed]),
        ("skipped", [(f.source, f.reason) for f in summary.skipped]),
        ("duplicates", list(summary.duplicates.items())),
    ):
        if items:
            detail = Table(title=title, show_header=False)
            for source, reason in items:
                detail.add_row(source, reason)
            console.print(detail)
