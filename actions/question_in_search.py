"""A question the family types while the service search waits for a place or an age.

Why: the search form is offered after many answers ("I can also look for services near you"), and families often
ignore it and ask their next question instead. Before, the question was lost: "does he get free transport at that
distance?" changed the search's topic to transport and got "Which town or area?" again; "but is she too old now?"
was read as a place ("Sorry, I don't know that place"). Now such a question is answered from the answer bank,
read as a follow-up of the question before, and the form then asks its question again (found on follow-up set v2,
read: bench/answers.md).
"""
from __future__ import annotations

import re
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.bank_reply import bank_reply, outside_area_again, say_answer, say_answer_again, say_closest
from bot.nlp.questions import NOT_TOPICS

# A message that opens like a question ("does he...", "but is she...", "whens the...") or ends with a question mark.
_QUESTION_START = re.compile(
    r"^\s*(?:(?:but|and|so|ok|okay|also|sorry)\s*,?\s+)?(?:does|do|did|is|are|was|were|can|could|will|would|should|"
    r"shall|has|have|what.?s|whats|what|when.?s|whens|when|how|who|why|where|which|isn.?t|doesn.?t|won.?t|can.?t)\b",
    re.IGNORECASE)


# Intents that are no SEND topic but may still carry the family's question while the form waits.
ASKED_ANYWAY = frozenset({"more_info", "out_of_scope", "nlu_fallback"})


def is_question(text: str) -> bool:
    """A question by its shape: a question mark at the end, or a question word or verb first."""
    stripped = (text or "").strip()
    return stripped.endswith("?") or bool(_QUESTION_START.match(stripped))


def asks_a_send_question(tracker: Tracker) -> bool:
    """The latest message may be a question about SEND rather than an answer to the form: question-shaped, and read
    as a SEND topic, a follow-up (more_info), out of scope or unsure (ASKED_ANYWAY), not as part of the search. The
    caller answers it only when the answer bank has something to say."""
    intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
    # A search ("is there anything for dyslexia too?"), a place, an age, "more", "no": part of the search itself.
    # A question the classifier was unsure of or put outside SEND is the family's question all the same: "can he still
    # use CAMHS at his age?" (out of scope, 0.23) got "Which town?" again (follow-up set v7, read); the bank decides.
    if intent == "find_service" or (intent in NOT_TOPICS and intent not in ASKED_ANYWAY):
        return False
    return is_question(tracker.latest_message.get("text") or "")


def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The bank's answer to the family's question, read with the question before it; the slots to set with it
    (the topic now in hand), or None when the bank had nothing to say and nothing was said."""
    if not is_question(tracker.latest_message.get("text") or ""):
        return None
    intent = str((tracker.latest_message.get("intent") or {}).get("name") or "") or None
    reply = bank_reply(tracker, intent)
    if reply is None:
        return None
    if reply.kind == "answer":
        events = say_answer(dispatcher, reply.hits[0], intent)
    elif reply.asked_again is not None:
        events = say_answer_again(dispatcher, tracker, reply) or []
    elif reply.kind == "choose":
        events = say_closest(dispatcher, reply.hits, intent)
    else:
        return None
    if reply.hits:  # not for the answer said again: its note, if any, was said with it
        outside_area_again(dispatcher, tracker, reply.hits[0])
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def value_before(tracker: Tracker, slot: str) -> Any:
    """A slot's value before the family's latest message (the form sees the new value already)."""
    latest_seen = False
    for event in reversed(list(tracker.events)):
        if event.get("event") == "user":
            latest_seen = True
        elif latest_seen and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None
