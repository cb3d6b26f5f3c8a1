"""The component turns a question read as a reply into more_info, keeps the model's own ranking below it, and leaves
everything else alone."""
from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.follow_up import FollowUpQuestion


def _run(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence},
                                     {"name": "more_info", "confidence": 0.1}])
    return FollowUpQuestion().process([message])[0]


def test_a_question_read_as_yes_becomes_a_follow_up() -> None:
    message = _run("is that right?", "affirm", 0.8)
    assert message.get(INTENT) == {"name": "more_info", "confidence": 0.8, "read_as": "affirm"}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["more_info", "affirm"]


def test_a_plain_reply_is_left_alone() -> None:
    assert _run("yes thanks", "affirm", 0.9).get(INTENT)["name"] == "affirm"
    assert _run("is that right?", "annual_review", 0.5).get(INTENT)["name"] == "annual_review"
