"""A softmax regression from sentence vectors to intents: trained with scikit-learn, run with numpy.

Why so plain: on frozen encoder vectors a linear model is what the vectors were made for (similar meaning,
nearby points), it trains in seconds on a few thousand examples, and its probabilities blend cleanly with
DIET's (components/sentence_encoder.py). Saved as two arrays and a label list, so loading runs no pickle.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence, cast

import numpy as np
import numpy.typing as npt


class SoftmaxRegression:
    """Multinomial logistic regression: probabilities = softmax(x @ weights.T + bias)."""

    def __init__(self, labels: Sequence[str], weights: npt.NDArray[np.float32], bias: npt.NDArray[np.float32]) -> None:
        self.labels = list(labels)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)

    @classmethod
    def fit(cls, vectors: npt.NDArray[np.float32], labels: Sequence[str], c: float = 16.0) -> "SoftmaxRegression":
        """L2-regularised fit; `c` is the inverse strength (chosen by 5-fold CV on the training data)."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=c, max_iter=3000).fit(vectors, list(labels))
        weights, bias = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: sigmoid(z) = softmax([0, z])
            weights, bias = np.vstack([np.zeros_like(weights), weights]), np.concatenate([[0.0], bias])
        return cls([str(x) for x in model.classes_], weights, bias)

    def predict_proba(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        logits = vectors @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return cast("npt.NDArray[np.float32]", exp / exp.sum(axis=1, keepdims=True))

    def save(self, folder: Path) -> None:
        np.save(folder / "weights.npy", self.weights)
        np.save(folder / "bias.npy", self.bias)
        (folder / "labels.json").write_text(json.dumps(self.labels), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "SoftmaxRegression":
        if not (folder / "labels.json").exists():
            raise ValueError(f"no trained intent model in {folder}")
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        return cls(
            labels,
            np.load(folder / "weights.npy", allow_pickle=False),
            np.load(folder / "bias.npy", allow_pickle=False),
        )
