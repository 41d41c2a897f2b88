"""The service's settings: one object, from environment variables (``REPORTS_*``) or arguments."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from indexer.store.layout import default_index_dir


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTS_")

    index: Path = Field(default_factory=default_index_dir, description="Index directory")
    corpus: Path = Field(Path("corpus"), description="Indexed by `reports serve` when there is no index yet")
    host: str = "127.0.0.1"
    port: int = 8000
    max_query_chars: int = 2000
    max_k: int = 100
    max_body_bytes: int = 1_000_000
    reload_seconds: float = Field(2.0, description="How often to look for a new index generation")
