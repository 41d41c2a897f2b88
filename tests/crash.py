"""``reports index`` killed with SIGKILL, at a chosen moment or at an exact point of the publish sequence.

Shared by tests/indexer/test_kills.py and benchmarks/kill_soak.py. The build runs in its own process;
an exact point makes that process kill itself right after (or before) one call, so the kill lands
between the rename of the new generation, the switch of CURRENT and the pruning of old generations.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

# name -> (module holding the function, function, kill before or after the call, which call)
POINTS = {
    "embedding": ("indexer.pipeline", "EmbeddingCache.put_many", "after", 1),
    "segment-written": ("indexer.store.writer", "write_segment", "after", 1),
    "catalog-written": ("indexer.store.writer", "write_catalog", "after", 1),
    "generation-renamed": ("os", "rename", "after", 1),  # into place, CURRENT not switched yet
    "current-switched": ("os", "replace", "after", 1),  # CURRENT names the new one, nothing pruned yet
    "pruning": ("shutil", "rmtree", "before", 1),
}

_DRIVER = textwrap.dedent("""
    import importlib, os, signal, sys
    from pathlib import Path
    point, when, call, folder, index_dir, model = sys.argv[1:7]
    module_name, attribute = point.rsplit(":", 1)
    owner = importlib.import_module(module_name)
    for part in attribute.split(".")[:-1]:
        owner = getattr(owner, part)
    name = attribute.split(".")[-1]
    original, calls = getattr(owner, name), [0]
    def killing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == int(call) and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls[0] == int(call) and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(owner, name, killing)
    from indexer.embedding import create_embedder
    from indexer.pipeline import build_index
    build_index([Path(folder)], Path(index_dir), create_embedder(model))
""")


def build_killed_at_point(point: str, folder: Path, index_dir: Path, model: str = "fake") -> int:
    """Run a build that SIGKILLs itself at ``point`` (a key of POINTS); its exit code (-9 when it did)."""
    module, attribute, when, call = POINTS[point]
    run = subprocess.run([sys.executable, "-c", _DRIVER, f"{module}:{attribute}", when, str(call), str(folder),
                          str(index_dir), model], capture_output=True, text=True, timeout=600)
    return run.returncode


def build_killed_after(seconds: float, folder: Path, index_dir: Path, model: str = "fake") -> int:
    """Run ``reports index`` and SIGKILL it after ``seconds`` (if it is still running); its exit code."""
    command = [sys.executable, "-c", "from search_api.cli import main; main()", "index", str(folder),
               "--index", str(index_dir), "--model", model]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    return process.wait()
