"""Passages embedded by Ray workers, so that a cluster's machines share the embed stage.

Each worker is a Ray actor that loads the model once and embeds whole batches; batches go out in
order and come back in order, so the vectors, the embedding cache and the generation are those of
the local path. Query embedding and token counts stay in the calling process. Every node needs this
package installed (the same model is then loaded from its own disk: nothing is downloaded).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from indexer.embedding.base import Embedder

BATCH_SIZE = 128  # texts per task: the batch size the local path embeds with


class _EmbedWorker:
    def __init__(self, model: str | None) -> None:
        from indexer.embedding import create_embedder

        self._embedder = create_embedder(model, threads=1)

    def vector_space(self) -> str:
        return self._embedder.vector_space

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._embedder.embed_passages(texts)


class RayEmbedder:
    """``local``'s model run in Ray actors: ``address`` "local" starts a runtime on this machine with
    ``workers`` CPUs; "auto" or a cluster address joins a running cluster (one worker per CPU of it)."""

    def __init__(self, local: Embedder, model: str | None, address: str, workers: int | None = None) -> None:
        import ray
        from ray.util import ActorPool

        self._started = not ray.is_initialized()
        if self._started:
            if address == "local":
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
            else:
                ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        count = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        worker = ray.remote(num_cpus=1)(_EmbedWorker)
        self._actors = [worker.remote(model) for _ in range(count)]
        spaces = set(ray.get([actor.vector_space.remote() for actor in self._actors]))
        if spaces != {local.vector_space}:
            raise ValueError(f"Ray workers embed in {sorted(spaces)}, this process in {local.vector_space}: "
                             "install the same package and model on every node")
        self._pool = ActorPool(self._actors)
        self._local = local
        self.model, self.runtime = local.model, local.runtime
        self.vector_space, self.dimension = local.vector_space, local.dimension
        self.workers = count

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        batches = [list(texts[i : i + BATCH_SIZE]) for i in range(0, len(texts), BATCH_SIZE)]
        vectors = list(self._pool.map(lambda actor, batch: actor.embed.remote(batch), batches))
        return np.concatenate(vectors) if vectors else np.zeros((0, self.dimension), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._local.embed_queries(texts)

    def count_tokens(self, text: str) -> int:
        return self._local.count_tokens(text)

    def close(self) -> None:
        import ray

        for actor in self._actors:
            ray.kill(actor)
        if self._started:
            ray.shutdown()
