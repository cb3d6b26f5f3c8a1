"""What every action shares: a guard so a failure never reaches the family as silence or a stack trace,
and small readers of the tracker."""
from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.contacts import DEFAULT_PHONE, get_helpline

logger = logging.getLogger(__name__)


def helpline_phone(quadrant: str | None = None) -> str:
    try:
        return get_helpline().phone_for(quadrant)
    except Exception:  # the content folder itself is unreadable: still give a number
        logger.exception("Could not read the helpline file")
        return DEFAULT_PHONE


def transcript(tracker: Tracker, limit: int = 60) -> list[tuple[str, str]]:
    """(speaker, text) for the conversation so far, oldest first."""
    turns = [
        ("user" if event.get("event") == "user" else "bot", event.get("text") or "")
        for event in tracker.events
        if event.get("event") in ("user", "bot") and event.get("text")
    ]
    return turns[-limit:]


def latest_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def latest_ranking(tracker: Tracker) -> list[dict[str, Any]]:
    return list(tracker.latest_message.get("intent_ranking") or [])


def count_recent_user_intents(tracker: Tracker, intent: str) -> int:
    """How many of the family's most recent messages in a row were `intent` (newest first, stops at another)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name != intent:
            break
        count += 1
    return count


class SafeAction(Action, metaclass=ABCMeta):
    """Runs `act`; on any error the family gets a kind reply with the helpline number instead.
    Abstract, so the action server does not register it as an action of its own."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            return self.act(dispatcher, tracker, domain)
        except Exception:
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(response="utter_something_went_wrong", phone=helpline_phone())
            return []

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        """Do the action's work; return its events."""


def count_not_helped(tracker: Tracker) -> int:
    """How many times in this conversation the family answered 'Did this help?' with No."""
    count, last_action = 0, None
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") != "action_listen":
            last_action = event.get("name")
        elif event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name == "deny" and last_action == "utter_did_that_help":
                count += 1
    return count
