"""The softmax regression agrees with scikit-learn, handles two classes, and saves without pickle."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from bot.nlp.intent_model import SoftmaxRegression


def _data(classes: int) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(classes, 8))
    x = np.vstack([c + 0.3 * rng.normal(size=(20, 8)) for c in centres]).astype(np.float32)
    return x, [f"intent_{i}" for i in range(classes) for _ in range(20)]


@pytest.mark.parametrize("classes", [2, 4])
def test_probabilities_match_scikit_learn(classes: int) -> None:
    x, y = _data(classes)
    ours = SoftmaxRegression.fit(x, y, c=4.0)
    theirs = LogisticRegression(C=4.0, max_iter=3000).fit(x, y)
    assert ours.labels == list(theirs.classes_)
    assert np.allclose(ours.predict_proba(x), theirs.predict_proba(x), atol=1e-4)


def test_save_and_load(tmp_path: Path) -> None:
    x, y = _data(3)
    model = SoftmaxRegression.fit(x, y)
    model.save(tmp_path)
    again = SoftmaxRegression.load(tmp_path)
    assert again.labels == model.labels and np.allclose(again.predict_proba(x), model.predict_proba(x))
    with pytest.raises(ValueError):
        SoftmaxRegression.load(tmp_path / "missing")
