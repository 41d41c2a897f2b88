"""The index directory: generations side by side and a ``CURRENT`` file naming the live one.

::

    INDEX_DIR/
      CURRENT                      name of the live generation, replaced atomically
      cache/embeddings.sqlite      content-hash -> vector, shared by all generations
      generations/gen-000007/      manifest.json, catalog.sqlite, segments/ (``segment.py``), and
                                   vectors.faiss above FAISS's exact-search limit
      generations/.building-…/     a build in progress; never read, removed when it fails

A build writes a new generation beside the live one, flushes it to disk, and switches ``CURRENT`` with
one rename, so an interrupted build leaves the previous index intact and readers never see a
half-written one. Pruning keeps the live generation and the one it replaced (a server may still be
reading it), whatever their names; a generation that was renamed into place but never made live (a
build killed between the two renames) is removed by the next build.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.store.manifest import IndexCorrupt
from indexer.store.segment import read_vectors

ENVIRONMENT_VARIABLE = "REPORTS_INDEX"


def default_index_dir() -> Path:
    """``$REPORTS_INDEX``, else the per-user data directory."""
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return Path(os.environ[ENVIRONMENT_VARIABLE])
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "report-archive-search" / "index"


class IndexWriteError(RuntimeError):
    """Writing or publishing a new generation failed; the live generation is unchanged."""


class IndexDirectory:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.generations = self.root / "generations"
        self.cache_path = self.root / "cache" / "embeddings.sqlite"

    def current(self) -> Path | None:
        """The live generation's folder; None before the first build."""
        name = self.current_name()
        return self.generations / name if name else None

    def current_name(self) -> str | None:
        pointer = self.root / "CURRENT"
        try:
            name = pointer.read_bytes().decode("utf-8").strip()
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            name = ""
        if not _GENERATION_NAME.fullmatch(name) or not (self.generations / name).is_dir():
            raise IndexCorrupt(pointer, f"names no generation of this index ({name[:40]!r})")
        return name

    def generation_dirs(self) -> list[Path]:
        """Every published generation, newest first."""
        return sorted((p for p in self.generations.glob("gen-*") if _GENERATION_NAME.fullmatch(p.name)),
                      key=lambda p: p.name, reverse=True)

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

    # Segments keep their own vectors; a new generation reuses the live one's unchanged segments.
    segment_vectors = True
    reuses_segments = True

    def vectors_name(self, generation: str) -> str:
        from indexer.store.faiss_store import FILE_NAME

        return FILE_NAME

    def write_vectors(self, scratch: Path, generation: str, catalog, written, vectors) -> tuple[str, list[str]]:
        """The vector store of a generation whose segments are written (``catalog`` reads them): none
        beyond the segments' own vectors, unless there are more than exact search serves, in which case
        an HNSW graph over all of them. The store's kind and the files it wrote into ``scratch``."""
        from indexer.store.faiss_store import EXACT_LIMIT, FaissStore

        count = sum(int(segment.unit_live.sum()) for segment in catalog.segments)
        if count <= EXACT_LIMIT:
            return FaissStore.FLAT, []
        store = None
        for segment in catalog.segments:
            part = read_vectors(segment.directory, segment.unit_live)
            store = store or FaissStore.create(part.shape[1], count, EXACT_LIMIT)
            store.add(part)
        return store.kind, store.save(scratch)

    def open_store(self, directory: Path, manifest, catalog):
        return open_faiss_store(directory, manifest, catalog)

    def describe(self) -> str:
        return str(self.root)

    def close(self) -> None:
        """Nothing to release (a ``PostgresArchive`` closes its connections)."""

    def publish(self, scratch: Path, name: str) -> Path:
        """Make the generation built in ``scratch`` the live one, durably, then prune."""
        try:
            replaced = self.current_name()
        except IndexCorrupt:  # a damaged CURRENT is what this publish repairs
            replaced = None
        _fsync_tree(scratch)
        final = self.generations / name
        scratch.rename(final)
        _fsync_directory(self.generations)
        pointer_tmp = self.root / "CURRENT.tmp"
        with pointer_tmp.open("w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, self.root / "CURRENT")
        try:
            _fsync_directory(self.root)
        except OSError:  # the switch is done; after a crash CURRENT names the old or the new generation, both whole
            pass
        self._prune(keep={name, replaced})
        return final

    def prune_behind(self, live: str) -> None:
        """Keep the live generation and the newest one before it (the one it most likely replaced, which
        a server may still read); remove the rest. For a run that publishes nothing: a build killed
        after its switch left one generation more than publishing keeps."""
        older = [p.name for p in self.generation_dirs() if p.name < live]
        self._prune(keep={live, *older[:1]})

    def remove_stale_builds(self) -> None:
        """Scratch folders of builds that were killed; a running build holds the lock, so none is live."""
        for stale in self.generations.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One build at a time per index directory."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = (self.root / ".lock").open("w")
        except OSError as error:
            raise IndexWriteError(f"could not lock {self.root}: {error}; the live generation is unchanged") from error
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise RuntimeError(f"another build is running on {self.root}") from error
            yield

    def _prune(self, keep: set[str | None]) -> None:
        for generation in self.generation_dirs():
            if generation.name not in keep:
                shutil.rmtree(generation, ignore_errors=True)
        self.remove_stale_builds()


_GENERATION_NAME = re.compile(r"gen-\d{6,}")


def open_faiss_store(directory: Path, manifest, catalog):
    """The vectors of the generation in ``directory``: its HNSW graph, or its segments' live vectors
    (``catalog`` reads which)."""
    from indexer.store.faiss_store import FaissStore

    if manifest.store["kind"] != FaissStore.FLAT:
        return FaissStore.load(directory)
    store = FaissStore.exact(manifest.model["dimension"])
    for segment in catalog.segments:  # one at a time: no copy of all of them beside the store's own
        store.add(read_vectors(segment.directory, segment.unit_live))
    return store


def _fsync_tree(directory: Path) -> None:
    """Flush every file and folder under ``directory`` to disk, so a crash after the rename that
    publishes it cannot leave a live generation with missing data."""
    for path in sorted(directory.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        else:
            _fsync_directory(path)
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
