"""The archive in PostgreSQL: generations that several servers on several machines share.

::

    report_archive.generations        name, created_at, manifest (jsonb)
    report_archive.generation_files   the generation's files (catalog, keyword and gloss indexes,
                                      manifest) in parts of at most 64 MiB
    report_archive.live               one row: the live generation
    report_archive."gen-000007_reports"   doc_id, source, title, jurisdiction, province, year, ...
    report_archive."gen-000007_chunks"    row, chunk_id, doc_id, ordinal, start, end, text
    report_archive."gen-000007_units"     vector_id, chunk_row, report, start, end, embedding vector(d),
                                          HNSW over embedding::halfvec(d), btree over report

A build writes its tables and files beside the live generation, then one transaction records the
generation and points ``live`` at it: every server sees the switch at once and none sees half of a
generation. The keyword and gloss indexes (BM25 matrices scored in memory by every server) travel as
files: each server keeps a local copy of the live generation's files, checked against the manifest's
checksums as a directory generation is. Prune keeps the live generation and the one it replaced.
The local directory (``--index``) keeps the builder's embedding cache and those copies.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from indexer.store.layout import IndexDirectory
from indexer.store.manifest import FILE_NAME as MANIFEST_FILE
from indexer.store.manifest import IndexCorrupt, Manifest, read_manifest
from indexer.store.pgvector_store import HNSW_EF_CONSTRUCTION, HNSW_M, PgVectorStore

SCHEMA = "report_archive"
PART_BYTES = 64 << 20  # bytea holds at most 1 GB; a keyword index can be larger
_LOCK_KEY = 0x7265706F  # pg_advisory_lock key of the build lock ("repo")
_GENERATION_NAME = re.compile(r"gen-\d{6,}")
_SETUP = f"""
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.generations (name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(),
    manifest jsonb NOT NULL);
CREATE TABLE IF NOT EXISTS {SCHEMA}.generation_files (
    generation text NOT NULL REFERENCES {SCHEMA}.generations(name) ON DELETE CASCADE,
    name text NOT NULL, part integer NOT NULL, content bytea NOT NULL, PRIMARY KEY (generation, name, part));
CREATE TABLE IF NOT EXISTS {SCHEMA}.live (singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation text NOT NULL REFERENCES {SCHEMA}.generations(name));
"""


class DatabaseUnavailable(ConnectionError):
    """The database cannot be reached or set up (a wrong URL, a server down, no pgvector)."""


def is_database_url(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://"))


def table_name(generation: str, kind: str) -> str:
    if not _GENERATION_NAME.fullmatch(generation):
        raise ValueError(f"not a generation name: {generation!r}")
    return f'{SCHEMA}."{generation}_{kind}"'


class PostgresArchive:
    """The same interface as ``IndexDirectory`` (what the pipeline, the loader and the service call),
    over a PostgreSQL database; ``root`` is the local directory of caches."""

    def __init__(self, url: str, root: Path, pool_size: int = 8) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self.url = url
        self.root = Path(root)
        self._local = IndexDirectory(self.root)
        self.cache_path = self._local.cache_path
        self.generations = self.root / "postgres" / hashlib.sha256(self.describe().encode()).hexdigest()[:12]
        self._pending: str | None = None  # a generation whose tables are being written
        self._intact: set[str] = set()  # local copies downloaded or checked by this process
        try:
            # Set up first with a plain connection: the pool's connections register pgvector's types,
            # which needs the extension, and a wrong URL fails here at once with the server's message.
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                self.read_only = conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]  # a replica
                if not self.read_only:
                    conn.execute(_SETUP)
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, configure=_configure, open=True,
                                        timeout=30)
        except psycopg.Error as error:
            raise DatabaseUnavailable(f"cannot use the database {self.describe()}: {error}") from error

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url)

    def close(self) -> None:
        self._pool.close()

    # Reading ------------------------------------------------------------------------------------------

    def current_name(self) -> str | None:
        with self._pool.connection() as conn:
            row = conn.execute(f"SELECT generation FROM {SCHEMA}.live").fetchone()
        return row[0] if row else None

    def current(self) -> Path | None:
        """A local copy of the live generation's files; None before the first build."""
        name = self.current_name()
        return self.materialize(name) if name else None

    def generation_dirs(self) -> list[Path]:
        with self._pool.connection() as conn:
            names = [n for (n,) in conn.execute(f"SELECT name FROM {SCHEMA}.generations ORDER BY name DESC")]
        return [self.materialize(name) for name in names]

    def materialize(self, name: str) -> Path:
        """The generation's files in the local directory, downloaded once; the reader checks them
        against the manifest's checksums, as it does any generation's files. A copy left by an earlier
        process whose files are missing or of the wrong size is downloaded again (the sizes only: the
        reader's check is the one that reads every byte)."""
        local = self.generations / name
        if name in self._intact:
            return local
        if _sizes_match(local):
            self._intact.add(name)
            return local
        shutil.rmtree(local, ignore_errors=True)
        self.generations.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".download-", dir=self.generations))
        try:
            # A server-side cursor: one part (up to 64 MiB) in memory at a time.
            with self._pool.connection() as conn, conn.transaction(), conn.cursor(name="generation_files") as cursor:
                cursor.itersize = 1
                cursor.execute(f"SELECT name, content FROM {SCHEMA}.generation_files WHERE generation = %s "
                               "ORDER BY name, part", (name,))
                for file_name, content in cursor:
                    path = scratch / file_name
                    if not path.resolve().is_relative_to(scratch.resolve()):
                        raise IndexCorrupt(local, f"generation {name} names a file outside it: {file_name!r}")
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with path.open("ab") as handle:
                        handle.write(content)
            if not (scratch / MANIFEST_FILE).exists():
                raise IndexCorrupt(local, f"generation {name} has no manifest in {self.describe()}")
            scratch.rename(local)
            self._intact.add(name)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return local

    def open_store(self, directory: Path, manifest: Manifest, catalog=None) -> PgVectorStore:
        return PgVectorStore(self._pool, table_name(manifest.generation, "units"), manifest.model["dimension"],
                             manifest.store["vectors"])

    # Writing ------------------------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One build at a time per database (a session advisory lock) and per local directory."""
        if self.read_only:
            raise RuntimeError(f"{self.describe()} is a read-only replica: build on the primary")
        with self._local.lock(), self._pool.connection() as conn:
            if not conn.execute("SELECT pg_try_advisory_lock(%s)", (_LOCK_KEY,)).fetchone()[0]:
                raise RuntimeError(f"another build is running on {self.describe()}")
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))

    @contextmanager
    def building(self) -> Iterator[Path]:
        with self._local.building() as scratch:
            try:
                yield scratch
            finally:
                if self._pending is not None:  # written, never published
                    self._drop_tables(self._pending)
                    self._pending = None

    def next_name(self) -> str:
        with self._pool.connection() as conn:
            names = [n for (n,) in conn.execute(f"SELECT name FROM {SCHEMA}.generations")]
        numbers = [int(n[4:]) for n in names if n[4:].isdigit()]
        return f"gen-{max(numbers, default=0) + 1:06d}"

    def vectors_name(self, generation: str) -> str:
        return f"the table {table_name(generation, 'units')}"

    # Every generation is written whole (its tables are its own): segments hold no vectors and none is
    # reused.
    segment_vectors = False
    reuses_segments = False

    def write_vectors(self, scratch: Path, generation: str, catalog, written, vectors: np.ndarray
                      ) -> tuple[str, list[str]]:
        """The generation's reports, chunks and vectors (``written``: all of them, as segments are not
        reused) as tables, nothing in ``scratch``; the HNSW index is built before the generation goes live."""
        _, reports, chunks, units = written
        self._pending = generation
        with self._pool.connection() as conn:
            _create_tables(conn, generation, vectors.shape[1])
            _copy_rows(conn, generation, reports, chunks, units, vectors)
            # The graph is built in memory when it fits (much faster than on disk): about 4 KB per vector,
            # at least 1 GB (the 10^6-vector benchmark used 4 GB).
            conn.execute(f"SET maintenance_work_mem = '{max(1024, len(vectors) * 4 // 1024)}MB'")
            conn.execute(f"CREATE INDEX ON {table_name(generation, 'units')} USING hnsw "
                         f"((embedding::halfvec({vectors.shape[1]})) halfvec_ip_ops) "
                         f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
            conn.execute(f"CREATE INDEX ON {table_name(generation, 'units')} (report)")
            conn.execute(f"ANALYZE {table_name(generation, 'units')}")
        return PgVectorStore.kind, []

    def publish(self, scratch: Path, name: str) -> Path:
        """Record the generation and make it live in one transaction, then prune."""
        replaced = self.current_name()
        manifest = read_manifest(scratch)
        from psycopg.types.json import Jsonb

        with self._pool.connection() as conn, conn.transaction():
            conn.execute(f"INSERT INTO {SCHEMA}.generations (name, manifest) VALUES (%s, %s)",
                         (name, Jsonb({"generation": manifest.generation, "counts": manifest.counts,
                                       "model": manifest.model, "store": manifest.store})))
            for file_name in [*manifest.files, MANIFEST_FILE]:
                with (scratch / file_name).open("rb") as handle:
                    for part, content in enumerate(iter(lambda: handle.read(PART_BYTES), b"")):
                        conn.execute(f"INSERT INTO {SCHEMA}.generation_files VALUES (%s, %s, %s, %s)",
                                     (name, file_name, part, content))
            conn.execute(f"INSERT INTO {SCHEMA}.live VALUES (true, %s) ON CONFLICT (singleton) "
                         "DO UPDATE SET generation = EXCLUDED.generation", (name,))
        self._pending = None
        self.generations.mkdir(parents=True, exist_ok=True)
        local = self.generations / name
        shutil.rmtree(local, ignore_errors=True)
        shutil.copytree(scratch, local)
        self._intact.add(name)
        self._prune(keep={name, replaced})
        return local

    def prune_behind(self, live: str) -> None:
        with self._pool.connection() as conn:
            older = [n for (n,) in conn.execute(f"SELECT name FROM {SCHEMA}.generations WHERE name < %s "
                                                "ORDER BY name DESC LIMIT 1", (live,))]
        self._prune(keep={live, *older})

    def remove_stale_builds(self) -> None:
        """Tables of builds that were killed before they were published (the build lock is held)."""
        self._local.remove_stale_builds()
        with self._pool.connection() as conn:
            published = {n for (n,) in conn.execute(f"SELECT name FROM {SCHEMA}.generations")}
            tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (SCHEMA,))]
        for generation in {t.rsplit("_", 1)[0] for t in tables if _GENERATION_NAME.match(t)} - published:
            self._drop_tables(generation)

    def _prune(self, keep: set[str | None]) -> None:
        with self._pool.connection() as conn:
            names = [n for (n,) in conn.execute(f"SELECT name FROM {SCHEMA}.generations")]
            gone = [n for n in names if n not in keep]
            with conn.transaction():
                conn.execute(f"DELETE FROM {SCHEMA}.generations WHERE name = ANY(%s)", (gone,))
        for name in gone:
            self._drop_tables(name)
        for local in self.generations.glob("gen-*"):
            if local.name not in keep:
                shutil.rmtree(local, ignore_errors=True)
        self.remove_stale_builds()

    def _drop_tables(self, generation: str) -> None:
        with self._pool.connection() as conn:
            for kind in ("units", "chunks", "reports"):
                conn.execute(f"DROP TABLE IF EXISTS {table_name(generation, kind)}")


def _sizes_match(local: Path) -> bool:
    try:
        files = read_manifest(local).files
        return all((local / name).stat().st_size == entry.get("bytes") for name, entry in files.items())
    except (IndexCorrupt, OSError):
        return False


def _configure(conn) -> None:
    from pgvector.psycopg import register_vector

    conn.autocommit = True  # each statement its own transaction, unless a block opens one
    register_vector(conn)


def _create_tables(conn, generation: str, dimension: int) -> None:
    conn.execute(f"""
        CREATE TABLE {table_name(generation, 'reports')} (report integer PRIMARY KEY, doc_id text NOT NULL UNIQUE,
            source text NOT NULL, title text, jurisdiction text, jurisdiction_parent text, province text,
            adcode text, year integer, publish_date text, doc_type text);
        CREATE TABLE {table_name(generation, 'chunks')} (row integer PRIMARY KEY, chunk_id text NOT NULL,
            doc_id text NOT NULL, ordinal integer, start integer, "end" integer, text text NOT NULL);
        CREATE TABLE {table_name(generation, 'units')} (vector_id bigint PRIMARY KEY, chunk_row integer NOT NULL,
            report integer NOT NULL, start integer, "end" integer, embedding vector({dimension}) NOT NULL);
    """)


def _copy_rows(conn, generation: str, reports, chunks, units, vectors: np.ndarray) -> None:
    """Rows in the catalog's order: chunk ``i`` is keyword row ``i``, unit ``j`` is vector ``j``."""
    number = {report.doc_id: i for i, report in enumerate(reports)}
    row_of = {chunk.chunk_id: i for i, chunk in enumerate(chunks)}
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {table_name(generation, 'reports')} FROM STDIN") as copy:
            for i, r in enumerate(reports):
                copy.write_row((i, r.doc_id, r.source, r.title, r.jurisdiction, r.jurisdiction_parent, r.province,
                                r.adcode, r.year, r.publish_date, r.doc_type))
        with cursor.copy(f"COPY {table_name(generation, 'chunks')} FROM STDIN") as copy:
            for i, c in enumerate(chunks):
                copy.write_row((i, c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, c.text))
        with cursor.copy(f"COPY {table_name(generation, 'units')} FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int4", "int4", "int4", "int4", "vector"])
            for vector_id, (unit, vector) in enumerate(zip(units, vectors)):
                row = row_of[unit.chunk_id]
                copy.write_row((vector_id, row, number[chunks[row].doc_id], unit.start, unit.end, vector))
