"""Accuracy of the describe stage (jurisdiction, parent, type) against a label file, without embedding.

A label file has one JSON object per line: ``{"file", "jurisdiction", "parent", "doc_type"}`` with
``file`` relative to the root folder (``../shared/eval/metadata_dev.jsonl`` over ``../shared/data``).
The labelled files are read, cleaned together (as an index run cleans a folder) and described; a
field is right when it equals the label exactly (a missing value is wrong unless the label is null).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from indexer.cleaning import clean_documents
from indexer.ingest import IngestError, ingest_file
from indexer.metadata import describe_report

FIELDS = {"jurisdiction": "jurisdiction", "parent": "jurisdiction_parent", "doc_type": "doc_type"}


@dataclass(frozen=True)
class MetadataLabel:
    file: str
    jurisdiction: str | None
    parent: str | None
    doc_type: str | None


@dataclass(frozen=True)
class MetadataCase:
    label: MetadataLabel
    found: dict  # field -> value described (None when the file could not be read)
    evidence: dict  # field -> the evidence that decided it

    @property
    def right(self) -> dict[str, bool]:
        return {field: self.found.get(field) == getattr(self.label, field) for field in FIELDS}


@dataclass(frozen=True)
class MetadataScores:
    files: int
    accuracy: dict[str, float]  # field -> share of files right
    missing: dict[str, int]  # field -> files described with no value where the label has one
    cases: tuple[MetadataCase, ...]


def load_labels(path: Path) -> list[MetadataLabel]:
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                data = json.loads(line)
                labels.append(MetadataLabel(data["file"], data.get("jurisdiction"), data.get("parent"),
                                            data.get("doc_type")))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a metadata label ({error})") from error
    return labels


def score_metadata(labels: Sequence[MetadataLabel], root: Path) -> MetadataScores:
    raws, unreadable = [], set()
    for label in labels:
        try:
            raws += ingest_file(root / label.file, label.file)
        except (IngestError, OSError):
            unreadable.add(label.file)
    described = {report.source: report for report in map(describe_report, clean_documents(raws))}
    cases = []
    for label in labels:
        report = described.get(label.file)
        found = {field: getattr(report, attribute) if report else None for field, attribute in FIELDS.items()}
        evidence = {field: report.evidence(attribute) if report else "unreadable"
                    for field, attribute in FIELDS.items()}
        cases.append(MetadataCase(label, found, evidence))
    count = max(len(cases), 1)
    accuracy = {field: sum(case.right[field] for case in cases) / count for field in FIELDS}
    missing = {field: sum(1 for case in cases if case.found[field] is None and getattr(case.label, field))
               for field in FIELDS}
    return MetadataScores(len(cases), accuracy, missing, tuple(cases))


def write_metadata_results(out: Path, labels_path: Path, scores: MetadataScores) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    data = {"labels": str(labels_path), "files": scores.files, "accuracy": scores.accuracy, "missing": scores.missing,
            "wrong": [asdict(case) | {"right": case.right} for case in scores.cases if not all(case.right.values())]}
    paths = [out / "metadata.json", out / "metadata.md"]
    paths[0].write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    paths[1].write_text(metadata_markdown(labels_path, scores), encoding="utf-8")
    return paths


def metadata_markdown(labels_path: Path, scores: MetadataScores) -> str:
    lines = [f"Metadata on `{labels_path}` ({scores.files} files)", "", "| field | accuracy | missing |", "|---|---|---|"]
    lines += [f"| {field} | {scores.accuracy[field]:.3f} | {scores.missing[field]} |" for field in FIELDS]
    wrong = [case for case in scores.cases if not all(case.right.values())]
    if wrong:
        lines += ["", "| file | field | label | described | evidence |", "|---|---|---|---|---|"]
        for case in wrong:
            for field, right in case.right.items():
                if not right:
                    lines.append(f"| {case.label.file} | {field} | {getattr(case.label, field)} | "
                                 f"{case.found[field]} | {case.evidence[field]} |")
    return "\n".join(lines) + "\n"
