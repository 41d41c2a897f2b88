"""The app on a free 127.0.0.1 port, in a background thread or its own process, for tests and benchmarks;
stopped on exit."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn

from search_api.app import create_app
from search_api.http_protocol import JsonErrorH11Protocol
from search_api.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(index_dir: Path, reload_seconds: float = 0.2, database_url: str | None = None):
    port = free_port()
    settings = Settings(index=index_dir, host="127.0.0.1", port=port, reload_seconds=reload_seconds,
                        database_url=database_url)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning",
                                           http=JsonErrorH11Protocol))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, 60)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving_process(index_dir: Path, database_url: str | None = None, start_seconds: float = 120):
    """`reports serve` in its own process, so that load clients do not share the server's interpreter."""
    port = free_port()
    command = [sys.executable, "-c", "from search_api.cli import main; main()", "serve", "--index", str(index_dir),
               "--host", "127.0.0.1", "--port", str(port), *(["--store", database_url] if database_url else [])]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, start_seconds)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_healthy(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not start within {seconds:.0f} s")
