"""Replies from the answer bank, shared by the topic answer and the fallback: the specific answer when one is
close, a choice of the close ones, or the topics the classifier leaned to ("Did you mean") instead of a bare
"say it another way". Every word shown is approved: answers and their questions come from the bank, topic
names from its titles (`bot.conversation.topic_labels`), the sentences around them from the domain.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence, Text

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_ranking, latest_text
from bot.answers.for_chat import is_follow_up, reply_for, topic_of_answer_said
from bot.answers.retrieval import AnswerHit, AnswerReply
from bot.config import get_settings
from bot.constants import SEND_WEB
from bot.conversation.topic_labels import topic_label
from bot.helpline.contacts import get_helpline
from bot.insight.review import record_family_choice
from bot.last_checked import format_date
from bot.nlp.questions import NOT_TOPICS  # intents that are not topics a family would pick from a list

logger = logging.getLogger(__name__)

# "Something else" in the words: the way out of a choice that fits nothing is a person.
SOMETHING_ELSE = {"title": "Something else: talk to a person", "payload": "/request_human"}
# At most this many topics are offered; a topic below MIN_TOPIC_CONFIDENCE is noise, not an idea.
MAX_TOPICS = 3
MIN_TOPIC_CONFIDENCE = 0.05
# An answer is said with its "last checked" date, or, when it may show none, the `_unchecked` response that
# asks the family to check the Local Offer (the same rule as a guidance section: bot.last_checked).
BANK_ANSWER, BANK_ANSWER_SECTIONS = "utter_bank_answer", "utter_bank_answer_sections"
UNCHECKED = "_unchecked"
# The answer said again to a follow-up that asks what it already says.
ANSWER_AGAIN = "utter_bank_answer_again"
# Answers about what Essex County Council itself offers: to a family who said earlier that they live outside Essex,
# the note on their own council's Local Offer is said again beside such an answer. "can we use them?" after a
# Southend family asked about Essex short breaks was told "your child can if they ... live in the Essex County
# Council area", with nothing about Southend's own (follow-up set v8, read).
AREA_TOPICS = frozenset({"local_offer", "find_service", "short_breaks"})
AREA_WORDS = "essex county council area"
BANK_ANSWER_RESPONSES = frozenset(name + suffix for name in (BANK_ANSWER, BANK_ANSWER_SECTIONS)
                                  for suffix in ("", UNCHECKED))


@lru_cache(maxsize=4)
def guidance_topics(content_dir: Path | None = None) -> frozenset[str]:
    """Topics with a guidance article (their sections can be offered as buttons), from the content files."""
    folder = content_dir or get_settings().content_dir
    return frozenset(p.stem for p in (folder / "guidance").glob("*.yml"))


@dataclass(frozen=True)
class LastTurn:
    """The turn before the family's latest message, read from the tracker in one walk."""

    question: str = ""  # the family's message before the latest one
    said: tuple[str, ...] = ()  # the texts of the assistant's reply to it
    said_last: str | None = None  # the response the assistant said last (its `utter_action`)


def last_turn(tracker: Tracker) -> LastTurn:
    said: list[str] = []
    said_last: str | None = None
    latest_seen = False
    for event in reversed(list(tracker.events)):
        kind = event.get("event")
        if kind == "user":
            if latest_seen:
                return LastTurn(event.get("text") or "", tuple(reversed(said)), said_last)
            latest_seen = True
        elif kind == "bot" and latest_seen:
            if said_last is None:
                said_last = (event.get("metadata") or {}).get("utter_action")
            if event.get("text"):
                said.append(str(event["text"]))
    return LastTurn("", tuple(reversed(said)), said_last)


def question_asked(tracker: Tracker, turn: LastTurn | None = None) -> tuple[str, str | None]:
    """The words to answer, and the topic the family picked when this message is a click on "Did you mean".

    A click arrives as a payload ("/sen_support"), so the question is the message before it."""
    text = latest_text(tracker)
    if text:
        return text, None
    turn = turn or last_turn(tracker)
    if turn.said_last == "utter_did_you_mean" and turn.question and not turn.question.startswith("/"):
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return turn.question, intent
    return "", None


def bank_reply(tracker: Tracker, intent: str | None) -> AnswerReply | None:
    """The answer bank's reply to the family's question, with the classified intent as a prior. A topic the
    family picked from "Did you mean" is recorded for officers as a labelled example."""
    turn = last_turn(tracker)
    text, picked = question_asked(tracker, turn)
    if picked:
        record_family_choice(tracker.sender_id, text, picked)
    ranking = [{"name": picked, "confidence": 1.0}] if picked else latest_ranking(tracker)
    previous = None if picked else turn.question  # a short follow-up is also read with the question before
    return reply_for(text, picked or intent, ranking, conversation_topic(tracker), previous, turn.said)


def conversation_topic(tracker: Tracker) -> str | None:
    """What the conversation is about: the topic last answered, or the service search while its form waits for a
    place or an age. A question typed then ("can we carry on using them?" after a family moving to Southend said
    their children loved Essex short breaks) is a follow-up of the message that started the search, but with no
    topic in hand it was read alone (0.49) and the family was told "I didn't catch the age" (follow-up set v9,
    read); read with that message, it finds the answer on short breaks for Southend and Thurrock (0.85)."""
    topic = tracker.get_slot("guidance_topic")
    if topic is None and (tracker.active_loop or {}).get("name") == "service_search_form":
        return "find_service"
    return topic


def follows_an_answer(tracker: Tracker) -> bool:
    """A short message right after a bank answer: the family is going on with that answer's subject."""
    turn = last_turn(tracker)
    return is_follow_up(latest_text(tracker), turn.question, topic_of_answer_said(turn.said))


def say_answer(dispatcher: CollectingDispatcher, hit: AnswerHit, fallback_topic: str | None,
               tracker: Tracker | None = None) -> List[Dict[Text, Any]]:
    """The answer; its article's sections as buttons when the topic has an article; then, when the message
    asked about another topic too, that topic as a button."""
    with_sections = hit.topic in guidance_topics()
    utter_bank_answer(dispatcher, hit, with_sections)
    if tracker is not None:
        outside_area_again(dispatcher, tracker, hit)
        offer_other_questions(dispatcher, tracker, answered=hit.topic)
    topic = hit.topic if with_sections or not fallback_topic else fallback_topic
    return [SlotSet("guidance_topic", topic)]


def outside_area_again(dispatcher: CollectingDispatcher, tracker: Tracker, hit: AnswerHit) -> bool:
    """The note on their own council's Local Offer again, beside an answer about what Essex itself offers
    (AREA_TOPICS, AREA_WORDS), when an earlier message of the family named a council outside Essex and this one
    names no place (a place in this message has its note already). Not after the transfer rules for a family
    moving into Essex: their old council is where they come from."""
    if hit.topic not in AREA_TOPICS and AREA_WORDS not in hit.answer.lower():
        return False
    from actions.before_answer import moving_in_was_said  # the place notes use this module's replies
    from bot.directory.for_chat import place_in_message

    try:
        if place_in_message(latest_text(tracker)).outside_area or moving_in_was_said(tracker):
            return False
        earlier = [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"][:-1]
        for text in reversed(earlier):
            place = place_in_message(text)
            if place.plan_moves_to_essex:
                return False
            if place.outside_area:
                area = place.outside_area
                dispatcher.utter_message(response="utter_outside_area", area=area["name"],
                                         local_offer=area["local_offer"], url=area["url"])
                return True
    except Exception:
        logger.exception("Could not read the places")
    return False


def say_answer_again(dispatcher: CollectingDispatcher, tracker: Tracker,
                     reply: AnswerReply | None) -> List[Dict[Text, Any]] | None:
    """The answer just given, again, headed "I think my last answer covers that", when a short follow-up asks what
    it already says (`reply.asked_again`) and the bank has nothing else near; None (nothing said) otherwise."""
    hit = reply.asked_again if reply is not None else None
    if hit is None:
        return None
    _utter_dated(dispatcher, ANSWER_AGAIN, hit)
    topic = hit.topic if hit.topic in guidance_topics() else tracker.get_slot("guidance_topic")
    return [SlotSet("guidance_topic", topic)]


def local_offer_web() -> str:
    """The Essex Local Offer's address from the content (helpline.yml `web`), or the built-in one when the file
    cannot be read: the "please check" line must always say where to check."""
    try:
        return get_helpline().web or SEND_WEB
    except Exception:
        logger.exception("Could not read the helpline file")
        return SEND_WEB


def utter_bank_answer(dispatcher: CollectingDispatcher, hit: AnswerHit, with_sections: bool = False) -> None:
    """One answer from the bank, with the date its sources were last checked, or, when it may show none (an
    officer must re-read them first), the line asking the family to check the Local Offer before relying on it.
    `with_sections` adds the buttons for its article's sections. The answer just said, asked again
    (`hit.again`), is headed "I think my last answer covers that", so the family sees it is the same answer."""
    if hit.again:
        _utter_dated(dispatcher, ANSWER_AGAIN, hit)
        return
    _utter_dated(dispatcher, BANK_ANSWER_SECTIONS if with_sections else BANK_ANSWER, hit)


def _utter_dated(dispatcher: CollectingDispatcher, response: str, hit: AnswerHit, **extra: Any) -> None:
    """`response` with the answer and its last-checked date, or its `_unchecked` form (check the Local Offer)."""
    checked = format_date(hit.checked) if hit.checked else ""
    dispatcher.utter_message(response=response if checked else response + UNCHECKED, answer=hit.answer,
                             last_checked=checked, link=local_offer_web(), **extra)


def other_question_buttons(tracker: Tracker, answered: str | None = None) -> List[Dict[str, str]]:
    """The other topics the family's message asked about (components/sentence_encoder.py, `also_asked`).

    The button's payload is the family's own question sentence, so a click is understood and answered as
    if it had been asked alone; the title is the topic in plain words."""
    buttons = []
    for other in tracker.latest_message.get("also_asked") or []:
        intent, sentence = str(other.get("intent") or ""), str(other.get("text") or "")
        if intent and sentence and intent != answered:
            buttons.append({"title": topic_label(intent), "payload": sentence})
    return buttons


def offer_other_questions(dispatcher: CollectingDispatcher, tracker: Tracker, answered: str | None = None) -> bool:
    """'You also asked about...' with a button per other topic; False when the message asked one thing."""
    buttons = other_question_buttons(tracker, answered)
    if buttons:
        dispatcher.utter_message(response="utter_also_asked", buttons=buttons)
    return bool(buttons)


def offer_answers(dispatcher: CollectingDispatcher, hits: Sequence[AnswerHit]) -> None:
    """'Is your question one of these?': a click sends the answer's own question, which finds that answer."""
    buttons = [{"title": hit.question, "payload": hit.question} for hit in hits]
    dispatcher.utter_message(response="utter_bank_choose", buttons=buttons + [SOMETHING_ELSE])


def say_closest(dispatcher: CollectingDispatcher, hits: Sequence[AnswerHit], fallback_topic: str | None,
                tracker: Tracker | None = None) -> List[Dict[Text, Any]]:
    """The best answer when it is near but not sure ('choose'): said, headed by the question it answers, then the
    other close answer (if any), the topic's overview and a person as buttons.

    Why said and not only offered: measured on the blind probe sets, the best answer below CONFIDENT carries the
    fact asked for about three times in four, and behind a button it reached only the families who clicked; the
    first reply stated the fact for 47% to 60% of the blind probes (bench/answers.md). Heading it with its own
    question lets a family see at once when it answers something else, and the buttons are the way on."""
    hit = hits[0]
    _utter_dated(dispatcher, "utter_bank_closest", hit, question=hit.question)
    buttons = [{"title": other.question, "payload": other.question} for other in hits[1:]]
    overview = next((t for t in (hit.topic, fallback_topic) if t and t in guidance_topics()), None)
    if overview:
        buttons.append({"title": f"Overview: {topic_label(overview)}", "payload": f"/{overview}"})
    dispatcher.utter_message(response="utter_bank_not_it", buttons=buttons + [SOMETHING_ELSE])
    if tracker is not None:
        outside_area_again(dispatcher, tracker, hit)
        offer_other_questions(dispatcher, tracker, answered=hit.topic)
    return [SlotSet("guidance_topic", overview or hit.topic)]


def say_before_search(dispatcher: CollectingDispatcher, reply: AnswerReply) -> None:
    """A question asked as a search ("how do we sign up for short breaks?", "is there a crisis line for
    children?"): the bank's best answer first (headed by its own question when it is only the closest), then a
    line saying the search comes too. The search form still asks where and for whom, so a family who wanted
    services loses nothing; measured on the blind probes, these questions got only the form's questions before."""
    hit = reply.hits[0]
    if reply.kind == "answer":
        utter_bank_answer(dispatcher, hit)
    else:
        utter_bank_closest(dispatcher, hit)
    dispatcher.utter_message(response="utter_search_as_well")


def utter_bank_closest(dispatcher: CollectingDispatcher, hit: AnswerHit) -> None:
    """The closest answer headed by its own question, with no buttons: for a reply that goes on to something else."""
    _utter_dated(dispatcher, "utter_bank_closest", hit, question=hit.question)


def topic_buttons(ranking: Sequence[Dict[str, Any]]) -> List[Dict[str, str]]:
    """The topics the classifier leaned to, best first, in plain words."""
    buttons = []
    for row in ranking:
        name = str(row.get("name") or "")
        if name in NOT_TOPICS or float(row.get("confidence") or 0.0) < MIN_TOPIC_CONFIDENCE:
            continue
        buttons.append({"title": topic_label(name), "payload": f"/{name}"})
        if len(buttons) == MAX_TOPICS:
            break
    return buttons


def offer_topics(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """'Did you mean one of these?' with the classifier's topics; False when it had no idea worth offering."""
    buttons = topic_buttons(latest_ranking(tracker))
    if not buttons:
        return False
    dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons + [SOMETHING_ELSE])
    return True
