"""Paths and helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SHARED = REPO.parent / "shared"
SEED_SOURCES = sorted(p.name for p in CORPUS.glob("*.txt"))


def shared_path(*parts: str) -> Path:
    """A path in ../shared; the test is skipped when that data is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
