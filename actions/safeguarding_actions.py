"""Safeguarding replies for both tiers (the tier is decided once, in `bot.safeguarding.tiers`, by the NLU safety net).

Immediate risk: the emergency routes for the family's area come first, short, with 999 at the top, then
the answer to any question they also asked. Possible concern (the classifier's lean without a danger
pattern): the question behind the message is answered, then one short line of routes; never the full list.
Routes come from a file, so they are given even if the database is down; a failure to flag the
conversation for staff never delays them.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from actions.bank_reply import bank_reply, offer_answers, say_answer, say_answer_again, say_closest, utter_bank_answer
from actions.common import (
    CONCERN_NOTED_SLOT,
    SafeAction,
    concern_note,
    family_area,
    flag_for_staff,
    tier_of,
    uk_bank_holidays,
)
from actions.guidance_actions import answer_topic
from bot.safeguarding.routes import immediate_reply
from bot.safeguarding.tiers import CONCERN, IMMEDIATE

logger = logging.getLogger(__name__)

SAFEGUARDING_INTENT = "safeguarding_urgent"
# The model's own next choice must be at least this sure before its topic is answered after the routes.
QUESTION_BEHIND_CONFIDENCE = 0.2
# Below this the other intents' scores are rounding noise, not a preference.
CAUTIOUS_MIN_MASS = 0.001
# The topic a follow-up is read in after the emergency routes, by the danger the message showed.
TOPIC_AFTER_ROUTES = {"suicide_self_harm": "mental_health", "self_harm_signs": "mental_health"}


def question_behind(message: Dict[Text, Any]) -> str | None:
    """The SEND topic the family also asked about, if the model has a real idea of one.

    When only the classifier flagged the message (possible concern), a clear preference among the other
    intents is enough (at least half of what is left); when a danger pattern matched, the other intent must
    stand on its own (QUESTION_BEHIND_CONFIDENCE)."""
    others = [r for r in message.get("intent_ranking") or []
              if r.get("name") not in (SAFEGUARDING_INTENT, "nlu_fallback")]
    if not others:
        return None
    best = float(others[0].get("confidence") or 0.0)
    if best >= QUESTION_BEHIND_CONFIDENCE:
        return others[0].get("name")
    cautious = tier_of(message)[0] == CONCERN
    left = sum(float(r.get("confidence") or 0.0) for r in others)
    if cautious and left >= CAUTIOUS_MIN_MASS and best / left >= 0.5:
        return others[0].get("name")
    return None


class ActionSafeguarding(SafeAction):
    def name(self) -> Text:
        return "action_safeguarding"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        tier, reason = tier_of(tracker.latest_message)
        if tier == CONCERN:
            return self._possible_concern(dispatcher, tracker)
        try:
            routes = immediate_reply(family_area(tracker), reason, common.utc_now(), uk_bank_holidays())
        except Exception:  # the routes file is unreadable: the domain's own fallback still gives 999
            logger.exception("Could not read the emergency routes")
            dispatcher.utter_message(response="utter_safeguarding_fallback")
        else:
            dispatcher.utter_message(response="utter_safeguarding", routes=routes)
        flag_for_staff(tracker, IMMEDIATE, reason)
        events = _answer_the_question_too(dispatcher, tracker, intro="utter_safeguarding_also_asked")
        if not events and reason in TOPIC_AFTER_ROUTES:
            # What comes next is read with this message: "can I refer her myself?" after a daughter's self-harm
            # asks about mental health services. With no topic kept it was read alone and found the autism
            # referral answer (follow-up set v5, read).
            events = [SlotSet("guidance_topic", TOPIC_AFTER_ROUTES[reason])]
        return events

    @staticmethod
    def _possible_concern(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
        """The family's question first, then one line of routes (and the conversation queued for review)."""
        events = _answer_the_question_too(dispatcher, tracker, intro=None)
        if not events and not _answer_from_the_bank(dispatcher, tracker):
            dispatcher.utter_message(response="utter_safeguarding_concern_alone")
        if not concern_note(dispatcher, tracker, always=True):
            dispatcher.utter_message(response="utter_safeguarding_fallback")
        return events + [SlotSet(CONCERN_NOTED_SLOT, True)]


def _answer_from_the_bank(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """When the classifier's lean left no topic behind the message, its words may still find the question in
    the answer bank ("wot is a sendco ... my daughter keeps coming home crying"). One near answer is given (the
    alternative is no answer at all); two close ones are offered. False when nothing is near."""
    reply = bank_reply(tracker, None)
    if reply is not None and reply.kind == "none" and reply.asked_again is not None:
        # A short follow-up whose reading with the message before finds the answer just said: that answer again,
        # headed as such, rather than the routes alone. "can she keep going once shes an adult?" after the answer on
        # short breaks after 18 leaned to safeguarding and got no answer at all (follow-up set v6, read).
        return say_answer_again(dispatcher, tracker, reply) is not None
    if reply is None or reply.kind == "none":
        return False
    if reply.kind == "answer" or len(reply.hits) == 1:
        utter_bank_answer(dispatcher, reply.hits[0])
    else:
        offer_answers(dispatcher, reply.hits)
    return True


def _answer_the_question_too(dispatcher: CollectingDispatcher, tracker: Tracker,
                             intro: str | None) -> List[Dict[Text, Any]]:
    """A message can hold danger and a SEND question, and the classifier's lean flags some safe messages;
    either way the family's question still gets its answer."""
    topic = question_behind(tracker.latest_message)
    if not topic:
        return []
    answer = CollectingDispatcher()
    try:
        # The specific answer when the bank is sure of one, as for any question: a parent whose message about a
        # suspension leaned to safeguarding was given the SEN support summary, and lost the answer on suspensions.
        reply = bank_reply(tracker, topic)
        if reply is not None and reply.kind == "answer":
            events = say_answer(answer, reply.hits[0], topic)
        elif reply is not None and reply.kind == "choose":
            # Near but not sure: the closest, headed by its own question, as for any question. Probes v6 (read): a
            # mother asking whether she must wait six months to ask again, whose son had started to self-harm,
            # got the routes and then only the refusals summary; the fresh-request answer was first at 0.67.
            events = say_closest(answer, reply.hits, topic, tracker)
        elif answer_topic(answer, tracker, topic):
            events = [SlotSet("guidance_topic", topic)]
        else:
            return []
    except Exception:  # the database is down: the routes have been given, which is what matters
        logger.exception("Could not add the guidance answer after the safeguarding routes")
        return []
    if intro:
        dispatcher.utter_message(response=intro)
    dispatcher.messages.extend(answer.messages)
    return events
