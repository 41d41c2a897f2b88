"""Ray workers against the plain embed stage, on the same texts: a ratio and the largest difference.

    unshare -n sh -c 'ip link set lo up && python benchmarks/ray_embedding.py --index INDEX_DIR [--sample 2000] [--workers 2]'

Ray binds addresses beyond loopback, so run it in a network namespace of its own (``unshare -n``, as
root). Texts are a random sample (seed 0) of an index's vector texts, sorted by length as the pipeline
sorts them; both paths embed them in batches of 128, the plain one with one ONNX Runtime session on
all cores (the default), the Ray one with ``--workers`` actors of one thread each. Ray's start and the
workers' model load are timed apart from the embedding.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from index_throughput import vector_texts  # noqa: E402  (benchmarks/index_throughput.py)
from indexer.embedding import create_embedder  # noqa: E402
from indexer.embedding.ray_embedder import BATCH_SIZE, RayEmbedder  # noqa: E402


def embed_in_batches(embedder, texts: list[str], batch: int) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    vectors = np.concatenate([embedder.embed_passages(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    return vectors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    texts = vector_texts(args.index)
    texts = sorted(random.Random(0).sample(texts, min(args.sample, len(texts))), key=len)
    local = create_embedder()
    local.embed_passages(texts[:8])  # session warm
    plain, plain_seconds = embed_in_batches(local, texts, BATCH_SIZE)
    started = time.perf_counter()
    ray = RayEmbedder(local, None, "local", args.workers)
    start_seconds = time.perf_counter() - started
    distributed, ray_seconds = embed_in_batches(ray, texts, BATCH_SIZE * args.workers)
    ray.close()
    print(f"{len(texts)} texts ({sum(map(len, texts)):,} characters) from {args.index}")
    print(f"plain: {plain_seconds:.1f} s; Ray, {args.workers} workers: {ray_seconds:.1f} s "
          f"(+{start_seconds:.1f} s to start Ray and load the model in each worker); "
          f"ratio Ray / plain {ray_seconds / plain_seconds:.2f}")
    print(f"largest difference of a vector component: {np.abs(plain - distributed).max():.2e}; "
          f"lowest cosine {np.min(np.sum(plain * distributed, axis=1)):.6f}")


if __name__ == "__main__":
    main()
