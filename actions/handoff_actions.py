"""Hand the family to people: the SEND team when asked, and emergency routes first when a child is at risk."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SafeAction, helpline_phone
from bot.contacts import get_emergency


class ActionHandoff(SafeAction):
    def name(self) -> Text:
        return "action_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_handoff", team="", phone=helpline_phone())
        return []


class ActionSafeguarding(SafeAction):
    """Emergency routes come first and come from a file, so they are given even if the database is down."""

    def name(self) -> Text:
        return "action_safeguarding"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        try:
            emergency = get_emergency()
        except Exception:  # the routes file is unreadable: the domain's own fallback still gives 999
            dispatcher.utter_message(response="utter_safeguarding_fallback")
        else:
            dispatcher.utter_message(response="utter_safeguarding", intro=emergency.intro, routes=emergency.as_lines())
        dispatcher.utter_message(response="utter_safeguarding_then_helpline", phone=helpline_phone())
        return []
