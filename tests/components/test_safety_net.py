"""The safety net puts clear danger first whatever the classifier says, gives a classifier's lean only the
possible-concern tier, and leaves everything else alone."""
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


def _run(message: Message, floor: float = 0.3) -> Message:
    return SafetyNet(classifier_floor=floor).process([message])[0]


def test_patterns_override_a_confident_classifier_at_the_immediate_tier() -> None:
    message = _run(_message("my son says he wants to die", "sen_support", [("sen_support", 0.95)]))
    intent = message.get(INTENT)
    assert intent["name"] == "safeguarding_urgent"
    assert intent["safety_net"] == "suicide_self_harm" and intent["tier"] == "immediate"
    assert message.get("safeguarding") == {"tier": "immediate", "reason": "suicide_self_harm"}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "safeguarding_urgent"
    assert message.get(INTENT_RANKING_KEY)[1]["name"] == "sen_support"  # where the model alone would have gone


def test_the_classifiers_own_safeguarding_choice_is_a_concern_not_an_emergency() -> None:
    message = _run(_message("words the patterns do not know", "nlu_fallback",
                            [("nlu_fallback", 0.4), ("safeguarding_urgent", 0.29), ("sen_support", 0.27)]))
    assert message.get(INTENT) == {"name": "safeguarding_urgent", "confidence": 1.0, "safety_net": "classifier",
                                   "tier": "concern", "classifier_confidence": 0.29}
    assert message.get("safeguarding")["tier"] == "concern"


@pytest.mark.parametrize("score, tier", [(0.31, "concern"), (0.29, None)])
def test_a_lean_below_first_place_keeps_the_question_and_marks_a_concern_above_the_floor(score: float, tier) -> None:
    message = _run(_message("words the patterns do not know", "annual_review",
                            [("annual_review", 1 - score), ("safeguarding_urgent", score)]))
    assert message.get(INTENT)["name"] == "annual_review"  # the family's question is still answered
    assert (message.get("safeguarding") or {}).get("tier") == tier


def test_distress_words_mark_a_concern_and_keep_the_question() -> None:
    message = _run(_message("wot is a sendco and how do i talk to them my daughter keeps coming home crying",
                            "sen_support", [("sen_support", 0.8), ("safeguarding_urgent", 0.05)]))
    assert message.get(INTENT)["name"] == "sen_support"
    assert message.get("safeguarding") == {"tier": "concern", "reason": "distress"}


def test_ordinary_messages_and_button_payloads_are_left_alone() -> None:
    ordinary = _run(_message("when is the annual review", "annual_review",
                             [("annual_review", 0.9), ("safeguarding_urgent", 0.02)]))
    payload = _run(_message("/affirm", "affirm", [("affirm", 1.0)]))
    assert ordinary.get(INTENT)["name"] == "annual_review" and ordinary.get("safeguarding") is None
    assert payload.get(INTENT)["name"] == "affirm" and payload.get("safeguarding") is None


def test_a_risk_sentence_found_in_a_long_message_marks_a_concern_and_keeps_the_question() -> None:
    message = _message("a long story about the tribunal bundle with one worrying sentence in it", "disagree_appeal",
                       [("disagree_appeal", 0.8), ("safeguarding_urgent", 0.05)])
    message.set("risk_sentence", {"sentence": 3, "similarity": 0.61, "margin": 0.14})
    message = _run(message)
    assert message.get(INTENT)["name"] == "disagree_appeal"
    assert message.get("safeguarding") == {"tier": "concern", "reason": "sentence 0.61"}
