"""Labelled queries: span-labelled JSONL (seed queries) and BEIR folders (corpus, queries, qrels)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Quote:
    source: str
    quote: str
    grade: int


@dataclass(frozen=True)
class SpanQuery:
    id: str
    query: str
    lang: str
    relevant: tuple[Quote, ...]
    kind: str = "question"


def load_span_queries(path: Path) -> list[SpanQuery]:
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            queries.append(SpanQuery(
                data["id"], data["query"], data.get("lang", "zh"),
                tuple(Quote(r["source"], r["quote"], int(r["grade"])) for r in data["relevant"]),
                data.get("kind", "question"),
            ))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: not a span-labelled query ({error})") from error
    return queries


@dataclass(frozen=True)
class BeirSet:
    corpus: dict[str, str]  # doc id -> title and text
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_beir(folder: Path, corpus: str, queries: str, qrels: str) -> BeirSet:
    """A BEIR set from explicit file names, so queries of one language can meet another's corpus."""
    docs = {}
    for line in (folder / corpus).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            docs[record["_id"]] = "\n".join(p for p in (record.get("title", ""), record["text"]) if p)
    asked = {}
    for line in (folder / queries).read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            asked[record["_id"]] = record["text"]
    judged: dict[str, dict[str, int]] = {}
    with (folder / qrels).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if int(row["score"]) > 0 and row["query-id"] in asked:
                judged.setdefault(row["query-id"], {})[row["corpus-id"]] = 2  # BEIR "relevant" = answers it
    return BeirSet(docs, {q: t for q, t in asked.items() if q in judged}, judged)
