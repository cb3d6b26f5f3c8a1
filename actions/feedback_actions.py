"""'Did this help?', not understanding, and questions outside SEND: each is recorded for officers, and the
family is handed to a person after two 'No' answers or two misunderstandings in a row."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import SafeAction, count_not_helped, count_recent_user_intents, latest_ranking
from bot.review import record_helpful, record_unanswered

ESCALATE_AFTER = 2


def _previous_user_text(tracker: Tracker) -> str:
    """The question the family asked before answering 'No' (the one the answer failed)."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if not seen_latest:
            seen_latest = True
            continue
        text = event.get("text") or ""
        if not text.startswith("/"):
            return text
    return ""


class ActionFeedbackYes(SafeAction):
    def name(self) -> Text:
        return "action_feedback_yes"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        record_helpful(tracker.sender_id, tracker.get_slot("guidance_topic"), True)
        dispatcher.utter_message(response="utter_glad_it_helped")
        return []


class ActionFeedbackNo(SafeAction):
    def name(self) -> Text:
        return "action_feedback_no"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot("guidance_topic")
        record_helpful(tracker.sender_id, topic, False)
        record_unanswered(tracker.sender_id, _previous_user_text(tracker), "not_helped", None, topic)
        if count_not_helped(tracker) >= ESCALATE_AFTER:
            dispatcher.utter_message(response="utter_sorry_escalating")
            return [SlotSet("escalate", True), SlotSet("handoff_reason", "not_helped")]
        dispatcher.utter_message(response="utter_sorry_not_helped")
        return [SlotSet("escalate", False)]


class ActionFallback(SafeAction):
    """The classifier was unsure. Its original ranking is kept for officers; a second miss in a row
    brings in a person rather than a third 'sorry'."""

    def name(self) -> Text:
        return "action_fallback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        record_unanswered(tracker.sender_id, tracker.latest_message.get("text") or "", "fallback",
                          latest_ranking(tracker))
        if count_recent_user_intents(tracker, "nlu_fallback") >= ESCALATE_AFTER:
            dispatcher.utter_message(response="utter_sorry_escalating")
            return [SlotSet("escalate", True), SlotSet("handoff_reason", "fallbacks")]
        dispatcher.utter_message(response="utter_default")
        return [SlotSet("escalate", False)]


class ActionOutOfScope(SafeAction):
    def name(self) -> Text:
        return "action_out_of_scope"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        record_unanswered(tracker.sender_id, tracker.latest_message.get("text") or "", "out_of_scope",
                          latest_ranking(tracker))
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
