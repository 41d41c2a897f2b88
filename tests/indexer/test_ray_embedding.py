"""``reports index --ray``: Ray workers give the vectors, cache and manifest of the local path.

Ray binds addresses beyond loopback, so its runtime runs in a network namespace of its own that has
only a loopback interface (``unshare -n``, which needs root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import asdict

import numpy as np
import pytest
from support import CORPUS

from indexer.embedding import create_embedder
from indexer.pipeline import build_index
from search_api.search import LoadedIndex

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                                reason="a loopback-only network namespace needs root and unshare")


def _index_with_ray(docs, index_dir) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from search_api.cli import main; main()", "index", str(docs),
               "--index", str(index_dir), "--ray", "local", "--ray-workers", "2"]
    script = "ip link set lo up && exec " + " ".join(f"'{part}'" for part in command)
    return subprocess.run(["unshare", "-n", "sh", "-c", script], capture_output=True, text=True, timeout=600)


def test_ray_workers_give_the_local_vectors_cache_and_manifest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "002_2a18c0f27f3b9e20.txt", docs)
    embedder = create_embedder()
    build_index([docs], tmp_path / "local", embedder)
    result = _index_with_ray(docs, tmp_path / "ray")
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    local, distributed = (LoadedIndex.open(tmp_path / name, embedder) for name in ("local", "ray"))
    assert len(local.store) == len(distributed.store) > 20
    ids = np.arange(len(local.store))
    np.testing.assert_allclose(distributed.store.vectors(ids), local.store.vectors(ids), atol=1e-5)

    def comparable(manifest) -> dict:
        return {k: v for k, v in asdict(manifest).items() if k not in ("created_at", "files")}

    assert comparable(distributed.manifest) == comparable(local.manifest)
    # Every vector is in the Ray run's cache: indexing again without Ray embeds nothing.
    again = build_index([docs], tmp_path / "ray", embedder, rebuild=True)
    assert again.units_embedded == 0 and again.units == len(local.store)
