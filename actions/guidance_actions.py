"""Answer a SEND topic from its guidance article, and give one section of it on request."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.bank_reply import (
    SOMETHING_ELSE,
    bank_reply,
    last_turn,
    offer_other_questions,
    offer_topics,
    outside_area_again,
    say_answer,
    say_answer_again,
    say_closest,
)
from actions.before_answer import say_before_answer
from actions.common import FEEDBACK_QUESTION, SafeAction, helpline_phone, latest_text
from bot.answers.for_chat import checks_what_was_said, topic_of_answer_said
from bot.conversation.followups import asks_where_to_send_request
from bot.guidance.articles import Guidance, load_guidance, section_from_text
from bot.guidance.case_dates import case_dates_in_turn, dates_topic

# The response whose buttons name the article's sections in approved words; a section reply re-offers them.
SECTION_BUTTONS_FROM = "utter_guidance_summary"

SECTION_HEADINGS = {
    "steps": "utter_section_heading_steps",
    "timescales": "utter_section_heading_timescales",
    "who_can_help": "utter_section_heading_who_can_help",
    "if_it_goes_wrong": "utter_section_heading_if_it_goes_wrong",
}


def _heading(domain: Dict[Text, Any], section: str) -> str:
    responses = domain.get("responses", {}).get(SECTION_HEADINGS.get(section, ""), [])
    return responses[0].get("text", "") if responses else ""


class ActionAnswerGuidance(SafeAction):
    """The topic is the intent the family's message was understood as; the words come from the database: the
    answer bank's answer to the specific question when one is close, else the topic's article summary (with
    the closest answers offered when some were near)."""

    def name(self) -> Text:
        return "action_answer_guidance"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = (tracker.latest_message.get("intent") or {}).get("name") or ""
        if say_before_answer(dispatcher, tracker):  # moving into Essex with a plan: the transfer rules answer it
            return [SlotSet("guidance_topic", topic)]
        # The specific answer from the answer bank when one is close; the topic's summary otherwise.
        reply = bank_reply(tracker, topic)
        if reply is not None and reply.kind == "answer":
            events = say_answer(dispatcher, reply.hits[0], topic, tracker)  # and any other topic it asked about
            # the family's own dates last, where they stay in view, for the answer they read
            say_deadlines(dispatcher, tracker, dates_topic(reply.hits[0].topic, topic))
            return events
        if reply is not None and reply.kind == "choose":  # near but not sure: said with its question, then a way on
            events = say_closest(dispatcher, reply.hits, topic, tracker)
            say_deadlines(dispatcher, tracker, dates_topic(reply.hits[0].topic, topic))
            return events
        if not answer_topic(dispatcher, tracker, topic, with_deadlines=False):
            dispatcher.utter_message(response="utter_guidance_missing", phone=helpline_phone())
            return []
        offer_other_questions(dispatcher, tracker, answered=topic)  # a second question in the same message
        say_deadlines(dispatcher, tracker, topic)  # last: on a phone the family's own dates stay in view
        return [SlotSet("guidance_topic", topic)]


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str, with_deadlines: bool = True) -> bool:
    """Say the article's summary and then the deadlines worked out from the family's dates (if any); False when
    `topic` has no article. Shared with the safeguarding action, which answers the question too.

    The family's own dates come after the generic text, never before it: on a 375 px screen a personal answer
    said first scrolls away under the article. A caller with more to say after the summary passes
    `with_deadlines=False` and calls `say_deadlines` itself, last."""
    guidance = load_guidance(topic)
    if guidance is None:
        return False
    # No "last checked" date for a summary resting only on undated or old pages (it needs an officer's re-read).
    checked = guidance.checked_text("summary")
    dispatcher.utter_message(
        response="utter_guidance_summary" if checked else "utter_guidance_summary_unchecked",
        title=guidance.title,
        summary=guidance.summary,
        link=guidance.local_offer_url,
        last_checked=checked,
    )
    if asks_where_to_send_request(latest_text(tracker), topic):
        dispatcher.utter_message(response="utter_where_to_send_request", phone=helpline_phone())
    if with_deadlines:
        say_deadlines(dispatcher, tracker, topic)
    return True


def say_deadlines(dispatcher: CollectingDispatcher, tracker: Tracker, topic: str) -> None:
    """The deadlines worked out from the family's own dates, when they asked about one and gave what it needs (in
    this message, or in the one before when this one only asks when)."""
    dates = case_dates_in_turn(topic, latest_text(tracker), last_turn(tracker).question, date.today())
    if dates:
        response = "utter_deadlines_school_year" if dates.from_school_year else "utter_deadlines"
        dispatcher.utter_message(response=response, start=dates.start, lines="\n".join(dates.lines),
                                 exceptions=dates.exceptions)
        if dates.if_past:
            dispatcher.utter_message(response="utter_deadlines_past", if_past=dates.if_past)


class ActionGuidanceSection(SafeAction):
    """'What happens', 'Time limits in law' and so on, for the topic last answered."""

    def name(self) -> Text:
        return "action_guidance_section"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.get_slot("guidance_topic")
        chosen = tracker.get_slot("section") or next(tracker.get_latest_entity_values("section"), None)
        section = chosen or section_from_text(tracker.latest_message.get("text") or "")
        if not chosen and section and (_answered_another_topic(tracker, topic) or _checks_a_bank_answer(tracker)):
            # "what do I do next" after an answer on exclusions (no article): the bank, with that answer as its
            # context, not the "What happens" section of the article the slot last named. "Does that still count
            # legally then?" after an answer checks that answer: not the time limits its word "legally" names.
            section = None
        guidance = load_guidance(topic) if topic else None
        if asks_where_to_send_request(latest_text(tracker), topic):
            dispatcher.utter_message(response="utter_where_to_send_request", phone=helpline_phone())
            return [SlotSet("section", None)]
        if section not in SECTION_HEADINGS:
            return follow_up(dispatcher, tracker, domain, topic, guidance) + [SlotSet("section", None)]
        if guidance is None:
            # No article to take the section from: the last answer's topic has none. "who else should be there?" after
            # the answer on individual healthcare plans ("who" names the "Who can help" section) got a bare "which
            # topic?"; the bank's closest, or the answer just said again, comes first (follow-up set v7, read).
            return follow_up(dispatcher, tracker, domain, topic, None) + [SlotSet("section", None)]
        if not chosen:
            # Typed, not a button: "whats the deadline?" after a final plan about to be appealed, "how long have i
            # got" after a refusal. The bank, reading it with the message before, is surer of the one time limit
            # asked than the article's whole list of them; the section is said when the bank is not sure.
            reply = bank_reply(tracker, topic)
            if reply is not None and reply.kind == "answer":
                return say_answer(dispatcher, reply.hits[0], topic) + [SlotSet("section", None),
                                                                        FollowupAction(FEEDBACK_QUESTION)]
        items = guidance.section_text(section)
        others = other_section_buttons(domain, guidance.available_sections(), section)
        if not items:
            dispatcher.utter_message(response="utter_guidance_section_empty", link=guidance.local_offer_url,
                                     buttons=others)
        else:
            checked = guidance.checked_text(section)
            dispatcher.utter_message(
                response="utter_guidance_section" if checked else "utter_guidance_section_unchecked",
                heading=_heading(domain, section),
                items=items,
                link=guidance.local_offer_url,
                last_checked=checked,
                buttons=others,
            )
            advice_links(dispatcher, items)
        # "Did this help?" again, after this section, so the question is never lost behind a click.
        return [SlotSet("section", None), FollowupAction(FEEDBACK_QUESTION)]


def _checks_a_bank_answer(tracker: Tracker) -> bool:
    """The message only checks what was said ("is that right?") and what was said was an answer from the bank."""
    return checks_what_was_said(latest_text(tracker)) and topic_of_answer_said(last_turn(tracker).said) is not None


def _answered_another_topic(tracker: Tracker, topic: str | None) -> bool:
    """The last reply was a bank answer on a topic other than the article's: a typed "what happens next?" is
    about that answer, so the article's section would answer something the family did not ask."""
    said = topic_of_answer_said(last_turn(tracker).said)
    return said is not None and said != topic


def follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any], topic: str | None,
              guidance: Guidance | None) -> List[Dict[Text, Any]]:
    """A typed follow-up that names no section ("what can I do about it?", "and if they say no?"): answered from the
    bank with the topic last answered as its context, else the topic's sections (or "Did you mean") as buttons,
    never a bare "which topic?"."""
    reply = bank_reply(tracker, topic)
    if reply is not None and reply.kind in ("answer", "choose"):
        hit = reply.hits[0]
        events = say_answer(dispatcher, hit, topic) if reply.kind == "answer" else say_closest(dispatcher, reply.hits,
                                                                                                topic)
        outside_area_again(dispatcher, tracker, hit)
        # "so is the 24th my last day?" after "it was served on 9 March": the family's own date, worked out, as after
        # a first question (follow-up set v8, read: the 15 days were said, not the day they end).
        say_deadlines(dispatcher, tracker, topic or hit.topic)
        return events + [FollowupAction(FEEDBACK_QUESTION)]
    again = say_answer_again(dispatcher, tracker, reply)
    if again is not None:
        return again + [FollowupAction(FEEDBACK_QUESTION)]
    buttons = other_section_buttons(domain, guidance.available_sections(), "") if guidance is not None else []
    if buttons:
        dispatcher.utter_message(response="utter_ask_which_section", title=guidance.title,
                                 buttons=buttons + [SOMETHING_ELSE])
    elif not offer_topics(dispatcher, tracker):
        dispatcher.utter_message(response="utter_ask_which_topic", buttons=[SOMETHING_ELSE])
    return []


def _section_of(payload: str) -> str | None:
    """'/more_info{"section": "steps"}' -> 'steps' (the domain writes the braces doubled, for its templates)."""
    match = re.search(r'"section"\s*:\s*"([a-z_]+)"', payload)
    return match.group(1) if match else None


def other_section_buttons(domain: Dict[Text, Any], available: List[str], shown: str) -> List[Dict[str, str]]:
    """The article's other sections, as the summary's buttons word them, to offer again under a section.

    Why: on a phone the summary's buttons have scrolled away by the time a section has been read, so the
    remaining ones are offered where the family is reading."""
    responses = domain.get("responses", {}).get(SECTION_BUTTONS_FROM) or [{}]
    buttons = []
    for button in responses[0].get("buttons") or []:
        payload = str(button.get("payload") or "").replace("{{", "{").replace("}}", "}")
        section = _section_of(payload)
        if section and section != shown and section in available:
            buttons.append({"title": str(button.get("title") or ""), "payload": payload})
    return buttons


def advice_links(dispatcher: CollectingDispatcher, text: str) -> None:
    """A section that names Essex SENDIASS or IPSEA is followed by their websites, so the family can reach them
    (the fact sheet has no Essex SENDIASS phone number, so none is given)."""
    if re.search(r"\b(?:sendiass|ipsea)\b", text or "", re.IGNORECASE):
        dispatcher.utter_message(response="utter_independent_advice_links")
