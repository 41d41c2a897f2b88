"""HTML, DOCX and PDF parsing in a child process with a time and a memory limit.

Parsers are C code (lxml, pdfminer's loops, zip inflation) that no Python timeout can stop: a DOCX zip
bomb kept one parsing for over ten minutes, another grew to 6.8 GB. Here one long-lived worker process
parses file after file (the parser libraries are imported once, in it); a file that runs past the time
limit or the memory limit costs that file, named with the reason, and the worker is replaced.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from indexer.ingest.errors import IngestError
from indexer.records import RawDocument

_POLL_SECONDS = 0.1
_START_SECONDS = 120


@dataclass(frozen=True)
class ParseLimits:
    seconds: float = 180.0  # per file; a provincial DOCX of gov_reports parses in under a second
    memory_bytes: int = 2 * 1024**3  # the worker's memory beyond what its imports take


class IsolatedParser:
    """An ``ElementParser`` (see ``indexer.ingest``) that runs ``parse_elements`` in a worker process.

    Use it as a context manager: the worker starts on the first file and stops on exit."""

    def __init__(self, limits: ParseLimits = ParseLimits()) -> None:
        self.limits = limits
        self._process: subprocess.Popen | None = None
        self._requests: Connection | None = None
        self._answers: Connection | None = None
        self.peak_rss_bytes = 0  # the largest worker memory seen, for reports and benchmarks

    def __enter__(self) -> IsolatedParser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __call__(self, path: Path, source: str, data: bytes, sha256: str) -> RawDocument:
        if self._process is None or self._process.poll() is not None:
            try:
                self._start()
            except (OSError, RuntimeError) as error:
                raise IngestError(source, f"the parser process could not start: {error}") from error
        try:
            self._requests.send((str(path), source, data, sha256))
            result = self._wait(source)
        except (EOFError, OSError):  # the worker is gone (killed by the kernel, say)
            result = IngestError(source, f"the parser died on this file (exit code {self._process.wait()}; "
                                         "out of memory?)")
        if isinstance(result, IngestError):
            if self._process is not None and self._process.poll() is not None:
                self._stop()
            raise result
        return result

    def _wait(self, source: str) -> RawDocument | IngestError:
        deadline = time.monotonic() + self.limits.seconds
        while not self._answers.poll(_POLL_SECONDS):
            self.peak_rss_bytes = max(self.peak_rss_bytes, _rss_bytes(self._process.pid))
            if time.monotonic() > deadline:
                self._stop()
                return IngestError(source, f"parsing took over {self.limits.seconds:g} s (limit per file)")
        return self._answers.recv()

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            try:
                self._requests.send(None)
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self._stop()

    def _start(self) -> None:
        # A fresh interpreter (not a fork: the parent may hold ONNX Runtime's and FAISS's threads), fed
        # through its own pipes, so nothing the parsers print can garble the answers.
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        package_root = str(Path(__file__).resolve().parents[2])
        environment = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "indexer.ingest.isolated", str(to_child), str(from_child),
             str(self.limits.memory_bytes)],
            pass_fds=(to_child, from_child), env=environment, stdin=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._requests = Connection(from_parent, readable=False)
        self._answers = Connection(to_parent, writable=False)
        # The parsers' imports (seconds) do not count against the first file's time.
        if not self._answers.poll(_START_SECONDS) or self._answers.recv() != "ready":
            self._stop()
            raise RuntimeError(f"the parser process did not start within {_START_SECONDS} s")

    def _stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
            self._requests.close()
            self._answers.close()
        self._process = None


def _serve(requests: Connection, answers: Connection, memory_bytes: int) -> None:
    """The worker: parse each file sent, answer with its ``RawDocument`` or ``IngestError``."""
    from indexer.ingest.elements import parse_elements, preload

    preload()
    # Allocations past the limit fail with MemoryError (RLIMIT_DATA counts the heap and private mappings).
    limit = _data_bytes() + memory_bytes
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    answers.send("ready")
    while (request := requests.recv()) is not None:
        path, source, data, sha256 = request
        try:
            result = parse_elements(Path(path), source, data, sha256)
        except IngestError as error:
            result = error
        except MemoryError:
            result = IngestError(source, f"parsing needs more than {memory_bytes / 1e9:.1f} GB of memory")
        answers.send(result)


def _rss_bytes(pid: int) -> int:
    return _status_kib(pid, "VmRSS") * 1024


def _data_bytes() -> int:
    return _status_kib("self", "VmData") * 1024


def _status_kib(pid, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False),
           int(sys.argv[3]))
