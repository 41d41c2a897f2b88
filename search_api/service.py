"""The live searcher, switched to each new index generation as ``reports index`` publishes it.

Requests take the searcher current when they start and keep it to the end; the switch replaces one
reference, so no request is dropped or sees two generations. The previous generation's files stay on
disk (the layout keeps two), so requests still reading it finish normally.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from indexer.embedding import Embedder
from indexer.store.layout import IndexDirectory
from search_api.search import LoadedIndex, SearchRequest, Searcher
from search_api.search.translate import default_translator

log = logging.getLogger(__name__)


class SearchService:
    def __init__(self, index_dir: Path, reload_seconds: float = 2.0, embed_threads: int = 0) -> None:
        self._layout = IndexDirectory(index_dir)
        self._reload_seconds = reload_seconds
        self._searcher = Searcher(LoadedIndex.open(index_dir, embed_threads=embed_threads))
        # Heavy lazily built helpers are built now, not by the first requests.
        default_translator()
        self._searcher.search(SearchRequest("warm up", 1))
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def searcher(self) -> Searcher:
        return self._searcher

    @property
    def embedder(self) -> Embedder:
        return self._searcher.index.embedder

    def start_watching(self) -> None:
        self._watcher = threading.Thread(target=self._watch, name="generation-watcher", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watcher:
            self._watcher.join(timeout=5)

    def reload_if_changed(self) -> bool:
        current = self._layout.current()
        if current is None or current == self._searcher.index.directory:
            return False
        # The model stays loaded: a new generation built with the same model reuses it.
        searcher = Searcher(LoadedIndex.open(self._layout.root, self.embedder))
        self._searcher = searcher
        log.info("switched to index generation %s", searcher.index.generation)
        return True

    def _watch(self) -> None:
        while not self._stop.wait(self._reload_seconds):
            try:
                self.reload_if_changed()
            except Exception:  # a half-built or unreadable generation: keep serving the old one
                log.exception("could not load the new index generation; still serving the previous one")
