"""The split that `make bench-fallback` and `bench/pipeline_split.py` train on: no training run here.

Both choose settings on held-back training messages instead of a test set, so the split must be
stratified, repeatable, and keep every held-back message out of the training part.
"""
from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from lib.nlu_split import split_training_data  # noqa: E402

NLU = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hi
    - hello
    - hiya
    - good morning
    - hey
- intent: inform
  examples: |
    - he's [7](age)
    - [year 6](age)
    - Colchester
    - anywhere
- regex: age
  examples: |
    - \\b\\d{1,2}\\b
"""


def _write(tmp_path: Path) -> Path:
    (tmp_path / "nlu.yml").write_text(NLU, encoding="utf-8")
    return tmp_path


def test_split_is_stratified_repeatable_and_disjoint(tmp_path: Path) -> None:
    folder = _write(tmp_path)
    data, held = split_training_data(folder, 0.4, seed=7)
    assert split_training_data(folder, 0.4, seed=7) == (data, held)
    assert sorted(label for _, label in held) == ["greet", "greet", "inform", "inform"]
    trained = {line[2:] for block in data["nlu"] if "intent" in block for line in block["examples"].splitlines()}
    assert len(trained) == 5 and not trained & {text for text, _ in held}
    assert any(block.get("regex") == "age" for block in data["nlu"])  # regex blocks stay with training


def test_held_back_messages_lose_their_entity_markup(tmp_path: Path) -> None:
    _, held = split_training_data(_write(tmp_path), 1.0, seed=3)
    texts = {text for text, _ in held}
    assert {"he's 7", "year 6"} <= texts and not any("[" in text for text in texts)
