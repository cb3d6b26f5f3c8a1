"""The answer model on a tiny synthetic bank: it learns which answer a vector belongs to, its term can change
the ranking without moving the model's best pick off the score scale, and an answer it was not fitted on as it
now stands (new, or edited since) is never put below the others by it."""
from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from bot.answers import answer_model
from bot.answers.answer_model import Example, fit_answer_model
from bot.answers.retrieval import rank
from bot.answers.scoring import ANSWER_MODEL_WEIGHT, build_index, model_scores
from bot.nlp.intent_model import SoftmaxRegression
from tests.answers.index_rows import DIM, Row

NOW = datetime(2026, 12, 6, 9, 0)



def unit(*weights: tuple[int, float]) -> np.ndarray:
    v = np.zeros(DIM, np.float32)
    for axis, weight in weights:
        v[axis] = weight
    return (v / np.linalg.norm(v)).astype(np.float32)


def wordings(axis: int, rng: np.random.Generator, n: int = 5) -> np.ndarray:
    """n wording vectors around one axis, and the answer text's vector on it too (the last row)."""
    rows = [unit((axis, 1.0)) + rng.normal(0, 0.05, DIM).astype(np.float32) for _ in range(n)]
    return np.stack([r / np.linalg.norm(r) for r in rows] + [unit((axis, 1.0))]).astype(np.float32)


@pytest.fixture
def bank() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(16)
    return {"transport": wordings(0, rng), "budget": wordings(10, rng), "fines": wordings(20, rng),
            "tribunal": wordings(30, rng)}


def examples(bank: dict[str, np.ndarray], version: str = "v1") -> list[Example]:
    return [Example(answer_id, version, matrix) for answer_id, matrix in bank.items()]


def test_the_fit_learns_which_answer_a_vector_is(bank: dict[str, np.ndarray]) -> None:
    model = fit_answer_model(examples(bank), NOW)
    assert model is not None and sorted(model.classifier.labels) == sorted(bank)
    assert model.versions == ["v1"] * 4 and model.fitted_at == NOW
    for axis, expected in ((0, "transport"), (10, "budget"), (20, "fines"), (30, "tribunal")):
        probabilities = model.classifier.predict_proba(unit((axis, 1.0))[None, :])[0]
        assert model.classifier.labels[int(np.argmax(probabilities))] == expected
        assert probabilities.max() > 0.5


def test_columns_leave_out_answers_new_or_edited_since_the_fit(bank: dict[str, np.ndarray]) -> None:
    model = fit_answer_model(examples(bank), NOW)
    assert model is not None
    columns = model.columns(["budget", "transport", "brand-new", "fines"], ["v1", "v1", "v1", "v2 (edited)"])
    assert [model.classifier.labels[c] for c in columns[:2]] == ["budget", "transport"]
    assert list(columns[2:]) == [-1, -1]


def test_no_model_for_one_answer_or_above_the_size_limit(bank: dict[str, np.ndarray],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert fit_answer_model(examples({"transport": bank["transport"]}), NOW) is None
    monkeypatch.setattr(answer_model, "MAX_ANSWERS", 3)
    assert fit_answer_model(examples(bank), NOW) is None


def index_with_model(bank: dict[str, np.ndarray], fitted_on: list[str], extra: dict[str, np.ndarray] | None = None):  # type: ignore[no-untyped-def]
    model = fit_answer_model(examples({k: bank[k] for k in fitted_on}), NOW)
    assert model is not None
    everything = {**bank, **(extra or {})}
    rows = [Row(k, "t", f"question {k}", f"answer {k}", "", m) for k, m in everything.items()]
    columns = model.columns(list(everything), ["v1"] * len(everything))
    return build_index(rows, model.classifier, columns), build_index(rows)


def test_the_term_adds_log_p_less_its_largest_value(bank: dict[str, np.ndarray]) -> None:
    with_model, without = index_with_model(bank, list(bank))
    message = unit((0, 1.0), (10, 0.3))
    learned = model_scores(with_model, message)
    assert learned is not None and learned.max() == 0.0 and (learned <= 0).all()
    best = int(np.argmax(learned))
    assert with_model.ids[best] == "transport"
    scores = {h.id: h.score for h in rank(with_model, message, "anything", limit=4)}
    plain = {h.id: h.score for h in rank(without, message, "anything", limit=4)}
    assert scores["transport"] == pytest.approx(plain["transport"], abs=1e-4)  # the best pick keeps its score
    assert scores["budget"] < plain["budget"] - 0.01  # the others lose by how much less likely they are
    assert model_scores(without, message) is None  # no model: the term is off
    # the word-only path (no message vector) is unchanged by a model
    assert [(h.id, h.score) for h in rank(with_model, None, "question budget")] == \
           [(h.id, h.score) for h in rank(without, None, "question budget")]


def test_the_term_can_change_the_ranking() -> None:
    # Two answers the cosines and words cannot tell apart (a tie, which index order breaks for "first"); a model
    # that learned the message is the second's decides it, by ANSWER_MODEL_WEIGHT * log(p_second / p_first).
    rows = [Row(k, "t", "q", "a", "same words", np.stack([unit((0, 1.0)), unit((0, 1.0))])) for k in ("first", "second")]
    weights = np.zeros((2, DIM), np.float32)
    weights[1, 0] = 3.0  # the message's direction is evidence for "second"
    classifier = SoftmaxRegression(["first", "second"], weights, np.zeros(2, np.float32))
    plain = rank(build_index(rows), unit((0, 1.0)), "same words", limit=2)
    assert [h.id for h in plain] == ["first", "second"] and plain[0].score == plain[1].score
    learned = rank(build_index(rows, classifier, np.array([0, 1])), unit((0, 1.0)), "same words", limit=2)
    assert [h.id for h in learned] == ["second", "first"]
    assert learned[0].score == plain[0].score
    assert learned[0].score - learned[1].score == pytest.approx(ANSWER_MODEL_WEIGHT * 3.0, abs=1e-4)


def test_a_new_answer_is_not_buried_while_the_model_does_not_know_it(bank: dict[str, np.ndarray]) -> None:
    # "fines-new" is asked about, a little closer by cosine than "fines", which the model knows well: the model
    # would put every other answer far below "fines", and must not do so to the answer it has never seen.
    rng = np.random.default_rng(5)
    new = {"fines-new": wordings(21, rng)}
    with_model, without = index_with_model(bank, list(bank), extra=new)
    message = unit((20, 1.0), (21, 1.1))
    assert rank(without, message, "anything")[0].id == "fines-new"
    learned = model_scores(with_model, message)
    assert learned is not None
    position = with_model.ids.index("fines-new")
    assert learned[position] == 0.0 == learned.max()
    known = np.array([i != position for i in range(len(with_model))])
    assert np.median(learned[known]) < -1  # the median, say, would have buried it
    hits = rank(with_model, message, "anything", limit=2)
    assert [h.id for h in hits] == ["fines-new", "fines"]
