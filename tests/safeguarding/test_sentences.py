"""A long message's sentence that reads like a safeguarding example is found by both lines (near a risk example,
and nearer it than any other example by the margin); short messages and near-ties are left alone."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.safeguarding.sentences import FLOOR, MARGIN, MIN_MESSAGE, RiskExamples, sentences_to_check


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _examples() -> RiskExamples:
    vectors = np.vstack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0, 0, 1)])
    found = RiskExamples.from_examples(vectors, ["safeguarding_urgent", "school_transport", "sen_support"],
                                       "safeguarding_urgent")
    assert found is not None
    return found


def test_a_sentence_near_a_risk_example_and_far_from_the_rest_is_found() -> None:
    sentences = np.vstack([_unit(0, 1, 0.1), _unit(1, 0.2, 0)])  # the first is transport, the second is risk
    found = _examples().find(sentences)
    assert found is not None and found.index == 1
    assert found.similarity > FLOOR and found.margin > MARGIN
    assert found.as_dict() == {"sentence": 1, "similarity": round(found.similarity, 4),
                               "margin": round(found.margin, 4)}


def test_a_sentence_as_near_another_example_as_a_risk_one_is_not_found() -> None:
    tie = _unit(1, 1, 0)  # equally near safeguarding and transport: the margin is 0
    assert _examples().find(tie[None, :]) is None


def test_a_sentence_far_from_every_example_is_not_found_even_with_a_margin() -> None:
    far = _unit(0.45, -0.6, -0.6)  # cosine 0.45 with the risk example (under the floor), negative with the rest
    assert _examples().find(far[None, :]) is None


def test_no_examples_to_compare_gives_no_detector() -> None:
    vectors = np.vstack([_unit(1, 0), _unit(0, 1)])
    assert RiskExamples.from_examples(vectors, ["sen_support", "school_transport"], "safeguarding_urgent") is None
    assert RiskExamples.from_examples(vectors, ["safeguarding_urgent"] * 2, "safeguarding_urgent") is None


def test_only_long_messages_are_split_and_tiny_sentences_are_dropped() -> None:
    assert sentences_to_check("He went out an hour ago. Where do I send the form?") == []
    story = "We waited two years for the assessment and the panel met in May. " * 3 + "Anyway. Who do I ask?"
    assert len(story) >= MIN_MESSAGE
    assert sentences_to_check(story) == ["We waited two years for the assessment and the panel met in May."] * 3


def test_the_examples_are_saved_and_read_back(tmp_path: Path) -> None:
    examples = _examples()
    examples.save(tmp_path)
    again = RiskExamples.load(tmp_path)
    assert again is not None
    assert np.array_equal(again.risk, examples.risk) and np.array_equal(again.other, examples.other)
    assert RiskExamples.load(tmp_path / "elsewhere") is None
