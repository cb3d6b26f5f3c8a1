"""'Did this help?', not understanding, and questions outside SEND: each is recorded for officers, and the
family is handed to a person after two 'No' answers or two misunderstandings in a row.

Every misunderstanding comes through ActionFallback: the classifier's own 'nlu_fallback' (a rule) and Rasa's core
fallback when no rule fits what was understood (config.yml names this action as `core_fallback_action_name`). So
each one is in the officers' inbox once and counts towards the handoff, whichever way it happened."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bank_reply import (
    BANK_ANSWER_RESPONSES,
    SOMETHING_ELSE,
    bank_reply,
    follows_an_answer,
    offer_topics,
    say_answer,
    say_answer_again,
    say_closest,
)
from actions.before_answer import acknowledge_feelings, say_before_answer
from actions.common import (
    FEEDBACK_QUESTION,
    SafeAction,
    count_not_helped,
    helpline_phone,
    intent_confidence,
    latest_ranking,
    latest_text,
)
from actions.guidance_actions import say_deadlines
from bot.answers.retrieval import AnswerHit, out_of_scope_answer, out_of_scope_near
from bot.conversation.followups import asks_where_to_send_request
from bot.insight.review import record_helpful, record_unanswered

ESCALATE_AFTER = 2
# Replies that mean the assistant did not understand the message (Rasa's own one, in conversations from before
# config.yml named ActionFallback as the core fallback).
MISUNDERSTOOD = frozenset({"action_fallback", "action_default_fallback"})
# A person was offered: counting misunderstandings starts again after this.
HANDED_OVER = frozenset({"action_start_handoff", "action_safeguarding"})
# Replies the fallback gives when the words and the conversation still made the question clear: recorded for
# officers (the classifier missed it), but not a misunderstanding the family sees.
ANSWERED_ANYWAY = frozenset({"utter_where_to_send_request", "utter_moving_into_essex"}) | BANK_ANSWER_RESPONSES


def count_misunderstandings(tracker: Tracker) -> int:
    """How many of the family's latest messages in a row were not understood, the one being answered included.

    An earlier message counts when the classifier was unsure of it (nlu_fallback) or the assistant's reply to it
    was a fallback (no rule fitted). Counting stops at a message that was understood, at a new session, and at a
    handoff, so a family who has just been offered a person is not offered one again at the next miss."""
    turns: list[tuple[str | None, set[str]]] = []  # (intent, actions and responses before the next message)
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started":
            turns = []
        elif kind == "user":
            turns.append((((event.get("parse_data") or {}).get("intent") or {}).get("name"), set()))
        elif kind == "action" and turns:
            turns[-1][1].add(event.get("name") or "")
        elif kind == "bot" and turns:
            turns[-1][1].add((event.get("metadata") or {}).get("utter_action") or "")
    count = 1  # the message being answered now (the last user event, when the tracker has it)
    for intent, said in reversed(turns[:-1]):
        if said & (HANDED_OVER | ANSWERED_ANYWAY) or not (intent == "nlu_fallback" or said & MISUNDERSTOOD):
            break
        count += 1
    return count


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


# A reply to "Did this help?" the classifier reads as "no" less surely than this may be a question of its own.
SURE_NO = 0.5


def _question_not_a_no(tracker: Tracker, topic: str | None) -> AnswerHit | None:
    """The bank's answer when the family's reply to "Did this help?" is a follow-up question the classifier took
    for a weak "no" ("do they have to tell me why", deny 0.32), else None: a plain or sure "no" stays a "no"."""
    if (intent_confidence(tracker) or 0.0) >= SURE_NO:
        return None
    if len(latest_text(tracker).split()) < 4:
        return None
    reply = bank_reply(tracker, topic)
    return reply.hits[0] if reply is not None and reply.kind == "answer" else None


class ActionFeedbackNo(SafeAction):
    def name(self) -> Text:
        return "action_feedback_no"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot("guidance_topic")
        follow_up = _question_not_a_no(tracker, topic)
        if follow_up is not None:  # "do they have to tell me why?" read as a weak "no": answer it instead
            return say_answer(dispatcher, follow_up, topic, tracker) + [SlotSet("escalate", False)]
        record_helpful(tracker.sender_id, topic, False)
        record_unanswered(tracker.sender_id, _previous_user_text(tracker), "not_helped", None, topic)
        acknowledge_feelings(dispatcher, tracker)
        if count_not_helped(tracker) >= ESCALATE_AFTER:
            dispatcher.utter_message(response="utter_sorry_escalating")
            return [SlotSet("escalate", True), SlotSet("handoff_reason", "not_helped")]
        dispatcher.utter_message(response="utter_sorry_not_helped")
        return [SlotSet("escalate", False)]


class ActionFallback(SafeAction):
    """The message was not understood: the classifier was unsure (a rule), or no rule fitted what it understood
    (Rasa's core fallback runs this action). Either way the question and the classifier's own ranking go to the
    officers' inbox, and a second miss in a row brings in a person rather than a third 'sorry'."""

    def name(self) -> Text:
        return "action_fallback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot("guidance_topic")
        record_unanswered(tracker.sender_id, tracker.latest_message.get("text") or "", "fallback",
                          latest_ranking(tracker), topic)
        if say_before_answer(dispatcher, tracker):  # moving into Essex with a plan: the transfer rules answer it
            return [SlotSet("escalate", False)]
        if asks_where_to_send_request(latest_text(tracker), topic):
            dispatcher.utter_message(response="utter_where_to_send_request", phone=helpline_phone())
            return [SlotSet("escalate", False)]
        # The classifier was unsure, but the answer bank may know this exact question.
        reply = bank_reply(tracker, None)
        # Said from the bank, so "Did this help?" comes as after any answer: a "no" counts towards a person.
        if reply is not None and reply.kind == "answer":
            return say_answer(dispatcher, reply.hits[0], topic, tracker) + [SlotSet("escalate", False),
                                                                             FollowupAction(FEEDBACK_QUESTION)]
        # "whose job is it then?" after the answer that the council must step in when a school cancels the review:
        # the classifier was unsure of so short a message, but read joined to the question before, the bank finds
        # the answer just said. Said again, headed "I think my last answer covers that", not "say it another way".
        # (`asked_again` is only ever set for a short message right after a bank answer.)
        again = say_answer_again(dispatcher, tracker, reply)
        if again is not None:
            return again + [SlotSet("escalate", False), FollowupAction(FEEDBACK_QUESTION)]
        if count_misunderstandings(tracker) >= ESCALATE_AFTER:
            dispatcher.utter_message(response="utter_sorry_escalating")
            return [SlotSet("escalate", True), SlotSet("handoff_reason", "fallbacks")]
        # "Did you mean" rather than a dead end: close answers, else the topics the classifier leaned to.
        if reply is not None and reply.kind == "choose":
            return say_closest(dispatcher, reply.hits, None, tracker) + [SlotSet("escalate", False),
                                                                         FollowupAction(FEEDBACK_QUESTION)]
        if not offer_topics(dispatcher, tracker):
            # Never a bare "say it another way": a person is one click away, as after every other miss.
            dispatcher.utter_message(response="utter_default", buttons=[SOMETHING_ELSE])
        return [SlotSet("escalate", False)]


class ActionOutOfScope(SafeAction):
    def name(self) -> Text:
        return "action_out_of_scope"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if say_before_answer(dispatcher, tracker):  # moving into Essex with a plan: that is SEND after all
            return []
        # A SEND question the classifier missed ("will we be fined?", "how do I claim DLA?") that the bank knows well.
        reply = bank_reply(tracker, None)
        sure = out_of_scope_answer(reply)
        if sure is None and reply is not None and reply.kind == "answer" and reply.hits[0].again:
            sure = reply.hits[0]  # the answer just said, asked again: headed "I think my last answer covers that"
        if sure is not None:
            events = say_answer(dispatcher, sure, None, tracker)
            say_deadlines(dispatcher, tracker, sure.topic)  # "whats the last day to reply?" after the draft's date
            return events + [FollowupAction(FEEDBACK_QUESTION)]
        record_unanswered(tracker.sender_id, tracker.latest_message.get("text") or "", "out_of_scope",
                          latest_ranking(tracker))
        follows = follows_an_answer(tracker)
        if reply is not None and (reply.kind == "answer" or (reply.kind == "choose" and follows)
                                  or out_of_scope_near(reply, intent_confidence(tracker))):
            # Near a SEND answer but not sure: said as the closest, headed by its own question, with the way out.
            # Two close answers count too right after a bank answer: "can i ask for a different school?" after
            # the draft plan's answer is about the plan's school, not school admissions; and anywhere when both
            # are near enough to state alone.
            events = say_closest(dispatcher, reply.hits, None, tracker)
            if follows:  # "so is the 24th my last day?" after "it was served on 9 March": that date, worked out
                say_deadlines(dispatcher, tracker, tracker.get_slot("guidance_topic") or reply.hits[0].topic)
            return events
        again = say_answer_again(dispatcher, tracker, reply) if follows else None
        if again is not None:
            return again + [FollowupAction(FEEDBACK_QUESTION)]
        dispatcher.utter_message(response="utter_out_of_scope")
        return []
