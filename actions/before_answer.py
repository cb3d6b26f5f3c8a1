"""What the assistant says before its answer: a short acknowledgement when the family is angry or worn out, and
which Local Offer covers them when they live outside Essex, or the plan-transfer rules when they are moving in.

Used by the guidance answer, the fallback, 'not helped', out-of-scope and handoff actions, so each says these
things the same way. Never before a safeguarding reply: that reply must come first and alone."""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.bank_reply import bank_reply, utter_bank_answer
from actions.common import latest_text, tier_of
from bot.answers.for_chat import MOVING_IN
from bot.conversation.tone import feeling_in
from bot.directory.for_chat import PlaceSaid, place_in_message
from bot.nlp.questions import asks_something

logger = logging.getLogger(__name__)
ACKNOWLEDGEMENTS = {"angry": "utter_acknowledge_angry", "exhausted": "utter_acknowledge_exhausted"}


def is_safeguarding(message: Dict[Text, Any]) -> bool:
    """The safety net (or the classifier) marked this message as a possible risk to a child."""
    intent = (message.get("intent") or {}).get("name")
    return intent == "safeguarding_urgent" or tier_of(message)[0] is not None


def acknowledge_feelings(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """One approved sentence (domain.yml) when the message is angry or exhausted; not twice in a row."""
    if is_safeguarding(tracker.latest_message):
        return False
    try:
        feeling = feeling_in(latest_text(tracker))
    except Exception:  # the word list is unreadable: the answer still comes, just without the sentence
        logger.exception("Could not read the tone words")
        return False
    if feeling is None or _acknowledged_last_turn(tracker):
        return False
    dispatcher.utter_message(response=ACKNOWLEDGEMENTS[feeling])
    return True


def _acknowledged_last_turn(tracker: Tracker) -> bool:
    """The assistant's reply to the family's previous message already acknowledged how they feel."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return False
        elif event.get("event") == "bot" and users_seen == 1:
            if (event.get("metadata") or {}).get("utter_action") in ACKNOWLEDGEMENTS.values():
                return True
    return False


def place_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> PlaceSaid:
    """Moving into Essex with a plan: the transfer rules. Living (or moving) outside Essex: their own Local
    Offer. Returns what the message said, so a caller can skip an answer the transfer rules replace."""
    try:
        place = place_in_message(latest_text(tracker))
    except Exception:
        logger.exception("Could not read the places")
        return PlaceSaid()
    if place.plan_moves_to_essex:
        dispatcher.utter_message(response="utter_moving_into_essex")
        say_moving_in_detail(dispatcher, tracker)
    elif place.outside_area and not moving_in_was_said(tracker):
        _say_outside_area(dispatcher, place)
    return place


def moving_in_was_said(tracker: Tracker) -> bool:
    """The transfer rules for a family moving into Essex were said earlier in this conversation. Their old council,
    named again ("and when should Suffolk hand it over?"), is where they are coming from: telling them Suffolk is
    not covered by Essex's Local Offer would send them back to it (found on follow-up set v2, read)."""
    return any((event.get("metadata") or {}).get("utter_action") == "utter_moving_into_essex"
               for event in tracker.events if event.get("event") == "bot")


def outside_area_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Which Local Offer covers a council outside Essex that the message names; False when it names none.

    For the service search, whose form takes one place: "hi from Grays ... his friend in Billericay goes" searched
    Billericay and never said that Grays is in Thurrock, whose own Local Offer covers the family."""
    try:
        place = place_in_message(latest_text(tracker))
    except Exception:
        logger.exception("Could not read the places")
        return False
    if place.outside_area and not place.plan_moves_to_essex:
        _say_outside_area(dispatcher, place)
        return True
    return False


def _say_outside_area(dispatcher: CollectingDispatcher, place: PlaceSaid) -> None:
    area = place.outside_area or {}
    dispatcher.utter_message(response="utter_outside_area", area=area["name"], local_offer=area["local_offer"],
                             url=area["url"])


# Answers never said after the transfer rules: the three utter_moving_into_essex says word for word (a test keeps
# them the same), and moving out of Essex, which a message about moving in can sit near.
NOT_AFTER_TRANSFER = MOVING_IN | {"moving-into-essex-moving-out"}


def say_moving_in_detail(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After the transfer rules, the bank's answer to a question the family asked that the rules do not answer
    ("when will the next review be?", "will his transport carry on?"): the rules alone left it unanswered."""
    if not asks_something(latest_text(tracker)):
        return
    reply = bank_reply(tracker, "moving_into_essex")
    if reply is not None and reply.kind == "answer" and reply.hits[0].id not in NOT_AFTER_TRANSFER:
        utter_bank_answer(dispatcher, reply.hits[0])


def say_before_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The acknowledgement and the place note; True when the transfer rules were the answer to the message."""
    if is_safeguarding(tracker.latest_message):
        return False
    acknowledge_feelings(dispatcher, tracker)
    return place_note(dispatcher, tracker).plan_moves_to_essex
