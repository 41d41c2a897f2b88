"""Which files under the PATHs of ``reports index`` are reports, and which are passed over and why."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from indexer.ingest import SUPPORTED_SUFFIXES
from indexer.records import FileFailure


class IndexingRefused(ValueError):
    """A run that would lose indexed reports by mistake (a mistyped or empty PATH); nothing was changed."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: str  # relative to its root; prefixed with the root's name when several roots are indexed
    root: int  # position of its root among the PATHs


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[FileFailure] = field(default_factory=list)  # not reports: unsupported types, READMEs
    failed: list[FileFailure] = field(default_factory=list)  # reports that cannot be read: names, links

    def files_under(self, root: int) -> int:
        return sum(1 for file in self.files if file.root == root)


def printable_name(name: str) -> str:
    """A file name that may hold undecodable bytes (surrogate escapes), with those bytes shown as ``\\xNN``."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def discover_files(paths: Sequence[Path]) -> Discovery:
    """Supported files under ``paths`` in a stable order. Every PATH must exist: a mistyped one would
    otherwise look like a folder whose reports were all deleted."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise IndexingRefused(f"no such file or directory: {', '.join(missing)}; nothing was changed")
    found = Discovery()
    several = len(paths) > 1
    for number, root in enumerate(Path(p) for p in paths):
        prefix = f"{root.resolve().name}/" if several else ""
        entries = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in entries:
            relative = path.name if root.is_file() else path.relative_to(root).as_posix()
            source = prefix + relative
            if any(part.startswith(".") for part in Path(relative).parts):
                continue
            if path.is_symlink() and not path.exists():
                found.failed.append(FileFailure(printable_name(source), "broken symbolic link or link loop"))
            elif not path.is_file():
                continue
            elif not _is_utf8(source):
                # The catalog and every JSON answer name files in UTF-8; such a name cannot be cited.
                found.failed.append(FileFailure(printable_name(source), "file name is not valid UTF-8; rename it"))
            elif path.stem.upper() == "README":
                found.skipped.append(FileFailure(source, "folder README, not a report"))
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                found.skipped.append(FileFailure(source, f"unsupported file type {path.suffix or '(none)'}"))
            else:
                found.files.append(SourceFile(path, source, number))
    return found


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
