"""What every action shares: a guard so a failure never reaches the family as silence or a stack trace."""
from __future__ import annotations

import logging
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


class SafeAction(Action):
    """Runs `act`; on any error the family gets a kind reply with the helpline number instead."""

    def name(self) -> Text:  # pragma: no cover - each action names itself
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            return self.act(dispatcher, tracker, domain)
        except Exception:
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(response="utter_something_went_wrong", phone=helpline_phone())
            return []

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:  # pragma: no cover - overridden
        raise NotImplementedError
