"""The safety net overrides the classifier on any real sign of danger, and leaves everything else alone."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.safety_net import SafetyNet


def _message(text: str, intent: str, ranking: list[tuple[str, float]]) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": ranking[0][1] if ranking else 0.0})
    message.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return message


def _decide(message: Message, floor: float = 0.3) -> dict:
    return SafetyNet(classifier_floor=floor).process([message])[0].get(INTENT)


def test_patterns_override_a_confident_classifier() -> None:
    message = _message("my son says he wants to die", "sen_support", [("sen_support", 0.95)])
    intent = _decide(message)
    assert intent["name"] == "safeguarding_urgent"
    assert intent["safety_net"] not in ("classifier", None)
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "safeguarding_urgent"
    assert message.get(INTENT_RANKING_KEY)[1]["name"] == "sen_support"  # where the model alone would have gone


def test_fallback_does_not_swallow_the_classifiers_own_safeguarding_choice() -> None:
    message = _message("words the patterns do not know", "nlu_fallback",
                       [("nlu_fallback", 0.4), ("safeguarding_urgent", 0.29), ("sen_support", 0.27)])
    assert _decide(message) == {"name": "safeguarding_urgent", "confidence": 1.0, "safety_net": "classifier",
                                "classifier_confidence": 0.29}


@pytest.mark.parametrize("score, expected", [(0.31, "safeguarding_urgent"), (0.29, "annual_review")])
def test_the_classifier_floor_is_the_line(score: float, expected: str) -> None:
    message = _message("words the patterns do not know", "annual_review",
                       [("annual_review", 1 - score), ("safeguarding_urgent", score)])
    assert _decide(message)["name"] == expected


def test_ordinary_messages_and_button_payloads_are_left_alone() -> None:
    ordinary = _message("when is the annual review", "annual_review", [("annual_review", 0.9), ("safeguarding_urgent", 0.02)])
    payload = _message("/affirm", "affirm", [("affirm", 1.0)])
    assert _decide(ordinary)["name"] == "annual_review"
    assert _decide(payload)["name"] == "affirm"
