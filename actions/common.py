"""What every action shares: a guard so a failure never reaches the family as silence or a stack trace,
and small readers of the tracker."""
from __future__ import annotations

import asyncio
import logging
from abc import ABCMeta, abstractmethod
from datetime import date, datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.directory.for_chat import quadrant_for_area, understand_area
from bot.helpline.contacts import DEFAULT_PHONE, get_helpline
from bot.helpline.handoff import FamilyArea, flag_conversation
from bot.safeguarding.routes import area_of, concern_line
from bot.safeguarding.tiers import CONCERN, IMMEDIATE

logger = logging.getLogger(__name__)

# Set once the possible-concern line has been given, so it is said (and queued for staff) once a conversation.
CONCERN_NOTED_SLOT = "safeguarding_concern_noted"
# Entities that say where the family lives.
AREA_ENTITIES = ("outside_area", "district", "quadrant")
# The callback form's answer when the family would rather not say where they live (domain.yml callback_area).
AREA_NOT_GIVEN = "not given"
# Slots that hold a place the family named, in answer to the service search or the callback form.
PLACE_SLOTS = ("search_area", "callback_area")
# Asked after every answer, so the family can say whether it helped (the rules that count "No" answers and hand
# over to a person follow this response, and count_not_helped counts the "No" answers given to it).
FEEDBACK_QUESTION = "utter_did_that_help"
# Places looked at, newest first, before giving up: enough for any real conversation, and a bound on lookups.
MAX_PLACES = 10


def helpline_phone(quadrant: str | None = None) -> str:
    try:
        return get_helpline().phone_for(quadrant)
    except Exception:  # the content folder itself is unreadable: still give a number
        logger.exception("Could not read the helpline file")
        return DEFAULT_PHONE


def transcript(tracker: Tracker, limit: int = 60) -> list[tuple[str, str]]:
    """(speaker, text) for the conversation so far, oldest first.

    A button click arrives as its payload ("/affirm", '/more_info{"section": "steps"}'); staff reading the
    transcript need the words the family clicked, so a payload is shown as the title of the button the
    assistant had just offered with it (or marked as a button when no such button is known)."""
    turns: list[tuple[str, str]] = []
    offered: dict[str, str] = {}
    for event in tracker.events:
        text = event.get("text") or ""
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            offered = {str(b.get("payload")): str(b.get("title")) for b in buttons if b.get("payload")} or offered
            if text:
                turns.append(("bot", text))
        elif event.get("event") == "user" and text:
            if text.startswith("/"):
                text = f"[clicked: {offered[text]}]" if text in offered else "[clicked a button]"
            turns.append(("user", text))
    return turns[-limit:]


def latest_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    return "" if text.startswith("/") else text


def latest_ranking(tracker: Tracker) -> list[dict[str, Any]]:
    return list(tracker.latest_message.get("intent_ranking") or [])


def intent_confidence(tracker: Tracker) -> float | None:
    """The classifier's confidence in its intent for the latest message; None for a button click (no guess)."""
    value = (tracker.latest_message.get("intent") or {}).get("confidence")
    return None if value is None else float(value)


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


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def uk_bank_holidays() -> frozenset[date]:
    try:
        return get_helpline().bank_holidays
    except Exception:  # the routes still work; only "open now" may be wrong on a bank holiday
        logger.exception("Could not read the bank holidays")
        return frozenset()


def family_area(tracker: Tracker) -> str | None:
    """Where the family lives for safeguarding routes ('essex', 'southend', 'thurrock'), from every place
    they named in the conversation and the search form's area, newest last."""
    mentions: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                if entity.get("entity") in AREA_ENTITIES and entity.get("value"):
                    mentions.append(str(entity["value"]))
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") in AREA_ENTITIES and entity.get("value"):
            mentions.append(str(entity["value"]))
    mentions.append(str(tracker.get_slot("search_area") or ""))
    try:
        return area_of(mentions)
    except Exception:
        logger.exception("Could not read the area files")
        return None


def _places_said(tracker: Tracker) -> list[str]:
    """Every place the family named (areas in their messages, the search and callback forms' answers), newest
    first."""
    places: list[str] = []
    for event in tracker.events:
        if event.get("event") == "user":
            places += [str(e["value"]) for e in (event.get("parse_data") or {}).get("entities") or []
                       if e.get("entity") in AREA_ENTITIES and e.get("value")]
        elif event.get("event") == "slot" and event.get("name") in PLACE_SLOTS and event.get("value"):
            places.append(str(event["value"]))
    places += [str(e["value"]) for e in tracker.latest_message.get("entities") or []
               if e.get("entity") in AREA_ENTITIES and e.get("value")]
    places += [str(tracker.get_slot(slot)) for slot in PLACE_SLOTS if tracker.get_slot(slot)]
    newest_first = dict.fromkeys(place for place in reversed(places) if place != AREA_NOT_GIVEN)
    return list(newest_first)[:MAX_PLACES]


def family_place(tracker: Tracker) -> FamilyArea:
    """Where the family lives, from the newest place they named that the directory knows ('anywhere' is not a
    place), so the queue can route what is stored for them (a handoff, a callback, a safeguarding flag) to
    the right team; an empty FamilyArea when none is known or the lookup fails.

    Here rather than with the handoff actions because the safeguarding flag needs it too, and actions import
    this module, never each other in a circle. (family_area above is the coarser council area the
    emergency routes need: Essex, Southend or Thurrock.)"""
    try:
        for said in _places_said(tracker):
            understood = understand_area(said)
            if understood.value and understood.value != "any":
                quadrant = None if understood.outside_area else quadrant_for_area(understood.value)
                return FamilyArea(understood.value, quadrant)
    except Exception:
        logger.exception("Could not work out the family's area")
    return FamilyArea()


def tier_of(message: Dict[Text, Any]) -> tuple[str | None, str]:
    """(tier, reason) decided by the NLU safety net; a safeguarding intent with no recorded tier is immediate."""
    recorded = message.get("safeguarding") or {}
    if recorded.get("tier"):
        return str(recorded["tier"]), str(recorded.get("reason") or "")
    intent = message.get("intent") or {}
    if intent.get("name") == "safeguarding_urgent":
        return IMMEDIATE, str(intent.get("safety_net") or "classifier")
    return None, ""


def flag_for_staff(tracker: Tracker, tier: str, reason: str) -> None:
    """Queue the conversation for the helpline, with where the family lives so the right team can pick it up;
    a failure here never stops the family's reply."""
    try:
        flag_conversation(tracker.sender_id, tier, reason, tracker.get_slot("guidance_topic"), transcript(tracker),
                          family_place(tracker))
    except Exception:
        logger.exception("Could not flag a safeguarding conversation to the helpline queue")


def concern_note(dispatcher: CollectingDispatcher, tracker: Tracker, always: bool = False) -> bool:
    """The one-line possible-concern note (the area's line now, and 999), queued for staff once a conversation.

    Said once a conversation unless `always` (when the note is the answer itself). False when the routes file
    cannot be read, so the caller can fall back to the domain's own 999 line."""
    noted = bool(tracker.get_slot(CONCERN_NOTED_SLOT))
    if noted and not always:
        return True
    try:
        line = concern_line(family_area(tracker), utc_now(), uk_bank_holidays())
    except Exception:
        logger.exception("Could not read the emergency routes")
        return False
    dispatcher.utter_message(response="utter_safeguarding_concern", line=line)
    if not noted:
        flag_for_staff(tracker, CONCERN, tier_of(tracker.latest_message)[1])
    return True


class SafeAction(Action, metaclass=ABCMeta):
    """Runs `act`; on any error the family gets a kind reply with the helpline number instead.

    After the answer, a message the safety net marked as a possible concern gets its one-line note (once a
    conversation). Abstract, so the action server does not register it as an action of its own."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        # `act` reads and writes the database and may run the sentence encoder: blocking calls. On a worker
        # thread they leave the action server's event loop free to answer other families meanwhile.
        return await asyncio.to_thread(self._run_blocking, dispatcher, tracker, domain)

    def _run_blocking(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        try:
            events = self.act(dispatcher, tracker, domain)
        except Exception:
            logger.exception("Action %s failed", self.name())
            dispatcher.utter_message(response="utter_something_went_wrong", phone=helpline_phone())
            events = []
        return events + self._possible_concern_note(dispatcher, tracker)

    @staticmethod
    def _possible_concern_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        tier, _ = tier_of(tracker.latest_message)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tier != CONCERN or intent == "safeguarding_urgent" or tracker.get_slot(CONCERN_NOTED_SLOT):
            return []
        try:
            if concern_note(dispatcher, tracker):
                return [SlotSet(CONCERN_NOTED_SLOT, True)]
        except Exception:
            logger.exception("Could not add the possible-concern note")
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
            if name == "deny" and last_action == FEEDBACK_QUESTION:
                count += 1
    return count
