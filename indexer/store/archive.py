"""Where generations live: an index directory (FAISS, the default) or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from indexer.store.layout import IndexDirectory


def open_archive(index_dir: Path, database_url: str | None = None):
    """``IndexDirectory`` for ``index_dir``, or with ``database_url`` a ``PostgresArchive`` (the
    directory then keeps only the embedding cache and local copies of the generation files)."""
    if not database_url:
        return IndexDirectory(index_dir)
    from indexer.store.postgres import PostgresArchive, is_database_url

    if not is_database_url(database_url):
        raise ValueError(f"--store takes a postgresql:// URL, not {database_url!r}")
    return PostgresArchive(database_url, index_dir)
