"""The index directory: generations side by side and a ``CURRENT`` file naming the live one.

::

    INDEX_DIR/
      CURRENT                      name of the live generation, replaced atomically
      cache/embeddings.sqlite      content-hash -> vector, shared by all generations
      generations/gen-000007/      manifest.json, catalog.sqlite, vectors.faiss
      generations/.building-…/     a build in progress; never read, removed when it fails

A build writes a new generation beside the live one and switches ``CURRENT`` with one rename, so an
interrupted build leaves the previous index intact and readers never see a half-written one.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENVIRONMENT_VARIABLE = "REPORTS_INDEX"
KEEP_GENERATIONS = 2  # the live one and the one before, which a running server may still be reading


def default_index_dir() -> Path:
    """``$REPORTS_INDEX``, else the per-user data directory."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "report-archive-search" / "index"


class IndexDirectory:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.generations = self.root / "generations"
        self.cache_path = self.root / "cache" / "embeddings.sqlite"

    def current(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        generation = self.generations / pointer.read_text(encoding="utf-8").strip()
        return generation if generation.is_dir() else None

    @contextmanager
    def building(self) -> Iterator[Path]:
        """A scratch directory for a new generation, removed unless it is published."""
        self.generations.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=self.generations))
        try:
            yield scratch
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def next_name(self) -> str:
        numbers = [int(p.name[4:]) for p in self.generations.glob("gen-*") if p.name[4:].isdigit()]
        return f"gen-{max(numbers, default=0) + 1:06d}"

    def publish(self, scratch: Path, name: str) -> Path:
        final = self.generations / name
        scratch.rename(final)
        pointer_tmp = self.root / "CURRENT.tmp"
        pointer_tmp.write_text(name + "\n", encoding="utf-8")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, self.root / "CURRENT")
        self._prune(keep=name)
        return final

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One build at a time per index directory."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise RuntimeError(f"another build is running on {self.root}") from error
            yield

    def _prune(self, keep: str) -> None:
        names = sorted(p.name for p in self.generations.glob("gen-*"))
        for name in names[:-KEEP_GENERATIONS]:
            if name != keep:
                shutil.rmtree(self.generations / name, ignore_errors=True)
        for stale in self.generations.glob(".building-*"):
            # Left by a build that was killed; a running build holds the lock, so none is live.
            shutil.rmtree(stale, ignore_errors=True)
