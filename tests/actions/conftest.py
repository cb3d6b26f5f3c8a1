"""Trackers and the domain for action tests: actions are run as the action server runs them."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.config import ROOT


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


def make_tracker(text: str, intent: str, slots: dict[str, Any] | None = None,
                 entities: list[dict[str, Any]] | None = None) -> Tracker:
    return Tracker(
        sender_id="test-sender",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def follow_up_after_answer(first: str, answer_id: str, follow: str, intent: str, topic: str) -> Tracker:
    """The family's `follow` right after the bank's answer `answer_id` was said to `first` (the database loaded)."""
    from bot.answers.retrieval import answer_index
    from bot.db.session import session_scope

    with session_scope() as session:
        index = answer_index(session)
        said = index.answers[index.ids.index(answer_id)]
    tracker = make_tracker(follow, intent, slots={"guidance_topic": topic})
    tracker.events = [{"event": "user", "text": first}, {"event": "bot", "text": said},
                      {"event": "user", "text": follow}]
    return tracker


def run_action(action, tracker: Tracker, domain: dict[str, Any]) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher, events
