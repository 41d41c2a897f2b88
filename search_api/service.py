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
from indexer.gloss import default_glosser
from indexer.store.archive import open_archive
from indexer.store.manifest import IndexCorrupt
from search_api.search import LoadedIndex, Searcher, SearchRequest
from search_api.search.translate import default_translator

log = logging.getLogger(__name__)


class SearchService:
    def __init__(self, index_dir: Path, reload_seconds: float = 2.0, embed_threads: int = 0,
                 database_url: str | None = None) -> None:
        self._layout = open_archive(index_dir, database_url)  # an IndexDirectory or a PostgresArchive
        self._reload_seconds = reload_seconds
        self.problem = ""  # why a newer generation is not served, for /api/health
        self._refused: str | None = None  # the damaged generation last refused, not tried again
        self._searcher = Searcher(self._open_last_good(embed_threads))
        # Heavy lazily built helpers are built now, not by the first requests.
        default_translator()
        default_glosser().words_glossed_as(())  # for English questions' highlights
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
        self._layout.close()

    def reload_if_changed(self) -> bool:
        """Switch to the live generation if it is new and intact; a damaged one is refused (logged
        once) and the last good one served on."""
        try:
            current = self._layout.current()
        except IndexCorrupt as error:  # CURRENT itself is damaged
            return self._refuse(error, str(error.path), self._searcher.index.generation)
        if current is None or current == self._searcher.index.directory or str(current) == self._refused:
            return False
        try:
            # The model stays loaded: a new generation built with the same model reuses it.
            searcher = Searcher(LoadedIndex.open_generation(current, self.embedder, archive=self._layout))
        except IndexCorrupt as error:
            return self._refuse(error, str(current), self._searcher.index.generation)
        self._searcher, self.problem, self._refused = searcher, "", None
        log.info("switched to index generation %s", searcher.index.generation)
        return True

    def _open_last_good(self, embed_threads: int) -> LoadedIndex:
        """The live generation, else (when it is damaged) the newest intact one."""
        try:
            return LoadedIndex.open_live(self._layout, embed_threads=embed_threads)
        except IndexCorrupt as damaged:
            for directory in self._layout.generation_dirs():
                try:
                    index = LoadedIndex.open_generation(directory, embed_threads=embed_threads, archive=self._layout)
                except IndexCorrupt:
                    continue
                try:
                    what = str(self._layout.current())
                except IndexCorrupt:  # CURRENT itself
                    what = str(damaged.path)
                self._refuse(damaged, what, index.generation)
                return index
            raise

    def _refuse(self, error: IndexCorrupt, what: str, served: str) -> bool:
        if what != self._refused:
            log.error("not serving %s: %s; serving %s", what, error, served)
        self._refused = what
        self.problem = f"{error} (serving {served})"
        return False

    def _watch(self) -> None:
        while not self._stop.wait(self._reload_seconds):
            try:
                self.reload_if_changed()
            except Exception:  # e.g. a generation pruned while being opened: try again next time
                log.exception("could not load the new index generation; still serving the previous one")
