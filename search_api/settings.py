"""The service's settings: one object, from environment variables (``REPORTS_*``) or arguments."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from indexer.store.layout import default_index_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTS_")

    index: Path = Field(default_factory=default_index_dir, description="Index directory")
    database_url: str | None = Field(None, description="postgresql:// URL of a shared archive (REPORTS_DATABASE_URL); "
                                     "the index directory then holds local caches only")
    corpus: Path = Field(Path("corpus"), description="Indexed by `reports serve` when there is no index yet")
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_chars: int = 2000
    max_k: int = 100
    max_body_bytes: int = 1_000_000
    reload_seconds: float = Field(2.0, description="How often to look for a new index generation")
    # One thread per query embedding and at most one search or answer per core: concurrent requests
    # then use the cores side by side instead of sharing both (ONNX Runtime's threads spin while they
    # wait). At 8 clients p95 fell from 166-261 ms to 117-150 ms (benchmarks/results/service.txt).
    embed_threads: int = Field(1, description="ONNX Runtime threads per query embedding (0: one per core)")
    workers: int = Field(default_factory=lambda: os.cpu_count() or 1,
                         description="Searches and answers computed at once; more wait their turn")
