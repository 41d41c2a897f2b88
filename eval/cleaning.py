"""Score boilerplate removal at character level against hand-labelled main text (DAnIEL format).

A DAnIEL-format folder has ``html/NAME.html`` pages and ``reference/NAME.txt`` with the main text, one
``<p>`` per paragraph. Scores compare bags of non-whitespace characters, so they do not depend on how
either side breaks lines.
"""

from __future__ import annotations

import html
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class CharScore:
    precision: float
    recall: float
    f1: float


def char_scores(predicted: str, reference: str) -> CharScore:
    """Precision, recall and F1 of the characters of ``predicted`` against ``reference`` (multisets)."""
    predicted_chars = Counter("".join(predicted.split()))
    reference_chars = Counter("".join(reference.split()))
    overlap = sum((predicted_chars & reference_chars).values())
    precision = overlap / sum(predicted_chars.values()) if predicted_chars else 0.0
    recall = overlap / sum(reference_chars.values()) if reference_chars else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return CharScore(precision, recall, f1)


def mean_scores(scores: Sequence[CharScore]) -> CharScore:
    return CharScore(*(statistics.fmean(getattr(s, f) for s in scores) for f in ("precision", "recall", "f1")))


def read_reference(path: Path) -> str:
    """Paragraph texts of a DAnIEL reference file, one per line."""
    return "\n".join(html.unescape(_TAG.sub("", line)).strip() for line in path.read_text(encoding="utf-8").splitlines())


@dataclass(frozen=True)
class ExtractorResult:
    name: str
    mean: CharScore
    pages: int
    failures: int
    seconds: float


Extractor = Callable[[Path], str]


def score_extractors(folder: Path, extractors: dict[str, Extractor]) -> list[ExtractorResult]:
    """Run each extractor over every page of a DAnIEL-format folder; a page it fails on scores 0."""
    pages = sorted((folder / "html").glob("*.htm*"))
    results = []
    for name, extract in extractors.items():
        scores, failures, start = [], 0, time.perf_counter()
        for page in pages:
            reference = read_reference(folder / "reference" / f"{page.stem}.txt")
            try:
                predicted = extract(page)
            except Exception:  # an extractor that crashes on a page gets no credit for it
                predicted, failures = "", failures + 1
            scores.append(char_scores(predicted, reference))
        results.append(ExtractorResult(name, mean_scores(scores), len(pages), failures, time.perf_counter() - start))
    return results


def extract_with_our_cleaner(page: Path) -> str:
    from indexer.cleaning import clean_document
    from indexer.ingest import ingest_file

    return "\n".join(clean_document(raw).text for raw in ingest_file(page, page.name))


def extract_with_trafilatura(page: Path) -> str:
    import trafilatura

    return trafilatura.extract(page.read_bytes()) or ""


def write_results(out: Path, folder: Path, results: Sequence[ExtractorResult]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "cleaning.json").write_text(
        json.dumps({"data": str(folder), "results": [asdict(r) for r in results]}, indent=2), encoding="utf-8"
    )
    lines = [f"Cleaning on `{folder}` (character bags, mean over pages)", "",
             "| extractor | precision | recall | F1 | pages | failures |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.name} | {r.mean.precision:.3f} | {r.mean.recall:.3f} | {r.mean.f1:.3f} | {r.pages} | {r.failures} |"
              for r in results]
    (out / "cleaning.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
