"""Hand the family to people: the SEND team when asked or when the assistant has failed them, and an
out-of-hours callback that is never silently lost. (Safeguarding replies: actions/safeguarding_actions.py.)"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank_reply import bank_reply, follows_an_answer, say_answer_again, utter_bank_answer, utter_bank_closest
from actions.before_answer import acknowledge_feelings, outside_area_note
from actions.common import (
    AREA_NOT_GIVEN,
    SafeAction,
    family_place,
    helpline_phone,
    intent_confidence,
    latest_ranking,
    latest_text,
    transcript,
)
from bot.directory.for_chat import declines_to_say, understand_area
from bot.helpline.handoff import (
    FamilyArea,
    HandoffNotSaved,
    clean_contact,
    clean_first_name,
    next_opening_text,
    save_callback,
    start_handoff,
)
from bot.insight.review import record_unanswered

logger = logging.getLogger(__name__)
# Cleared after each request. callback_area is not: it is where the family lives, not a detail of one request.
CALLBACK_SLOTS = ("callback_name", "callback_contact", "callback_consent")
# What the queue shows when the family chose not to say where they live (asked, and declined: not unknown).
AREA_NOT_GIVEN_LABEL = "Not given"
# Below this, "a person" was the classifier's weak guess ("who do I chase?", "got a call saying he's on internal
# exclusion again"): the answer bank's answer, when it is sure of one, comes before the team's number.
WEAK_REQUEST = 0.5
# Asked for a person by naming an advice service the council does not run ("whats the phone number for essex
# sendiass?", 1.32), or for another way in that is not a person at the council ("whats the proper web address for
# the essex send local offer now?", 0.91; "i dont want to talk on the phone. is there anywhere i can text", 1.07):
# that answer comes first when the bank is at least this sure of it, then the team's number as for any request.
# None of the 80 requests for a person in our held-out sets reaches one ("i need to talk to someone" finds the text
# lines at 0.92, under their 1.0); "phone number for the SEND team" finds the team's numbers, which the handoff
# gives anyway.
OTHER_SERVICE_CONTACTS = {"independent-advice-contact-sendiass": 1.0, "independent-advice-contact-charity": 1.0,
                          "mental-health-text-support": 1.0, "essex-send-services-local-offer-website": 0.9,
                          "find-service-local-offer-where": 0.9}


# Words that ask for a person or a way to reach one. A short follow-up after an answer without any of them is a
# question about that answer, however sure the classifier is that it wants a person: "can i just write to the
# head?" after the answer on taking a child out of a special school (request_human 0.61) got only the team's
# number (follow-up set v8, read).
_PERSON = re.compile(r"\b(?:speak|talk|chat|call|ring|phone|number|contact|person|human|someone|somebody|anyone|"
                     r"adviser|advisor|agent|staff|team|caseworker|officer|real|help ?line|email you|meet)\b",
                     re.IGNORECASE)


def names_a_person(text: str) -> bool:
    """The message asks for a person, or a way to reach one (_PERSON)."""
    return bool(_PERSON.search(text or ""))


def _quadrant(tracker: Tracker) -> str | None:
    return family_place(tracker).quadrant


class ActionStartHandoff(SafeAction):
    """In hours: the team's number and a reference. Out of hours: when they open, and the offer of a callback."""

    def name(self) -> Text:
        return "action_start_handoff"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        asked = (tracker.latest_message.get("intent") or {}).get("name") == "request_human"
        reason = "asked" if asked else (tracker.get_slot("handoff_reason") or "asked")
        topic = tracker.get_slot("guidance_topic")
        area = family_place(tracker)
        quadrant = area.quadrant
        if reason == "asked" and latest_text(tracker):
            record_unanswered(tracker.sender_id, latest_text(tracker), "handoff", latest_ranking(tracker), topic)
            acknowledge_feelings(dispatcher, tracker)
            # "we're in leigh-on-sea, does the essex SEND team cover us": Southend's own Local Offer first.
            outside_area_note(dispatcher, tracker)
            if asked:
                _answer_before_the_person(dispatcher, tracker)
        try:
            start = start_handoff(tracker.sender_id, reason, topic, transcript(tracker), quadrant, area=area)
        except HandoffNotSaved:
            logger.exception("Could not store a handoff")
            dispatcher.utter_message(response="utter_handoff_in_hours_unsaved", phone=helpline_phone(quadrant))
            return [SlotSet("handoff_out_of_hours", False), SlotSet("escalate", False)]
        events = [SlotSet("handoff_reason", reason), SlotSet("escalate", False)]
        if start.in_hours:
            dispatcher.utter_message(response="utter_handoff_in_hours", phone=start.phone, reference=start.reference)
            return events + [SlotSet("handoff_out_of_hours", False)]
        dispatcher.utter_message(response="utter_handoff_out_of_hours", phone=start.phone,
                                 next_opening=start.next_opening)
        return events + [SlotSet("handoff_out_of_hours", True)]


def _answer_before_the_person(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The answer, then the person, when "a person" was only the classifier's weak guess and the bank is sure, or
    when the family named another service's contact (OTHER_SERVICE_CONTACTS).

    Why both: the family may have asked for a person, so the handoff always follows; but a question misread as a
    request for a person lost its answer, and the team's number alone does not say what the family asked."""
    confidence = intent_confidence(tracker)
    if confidence is None:  # no score is no guess (a button, a test): the family asked
        return
    reply = bank_reply(tracker, None)
    if reply is None:
        return
    weak = confidence < WEAK_REQUEST or (follows_an_answer(tracker) and not names_a_person(latest_text(tracker)))
    if reply.kind == "answer":
        hit = reply.hits[0]
        if weak or hit.score >= OTHER_SERVICE_CONTACTS.get(hit.id, float("inf")):
            utter_bank_answer(dispatcher, hit)
    elif weak and follows_an_answer(tracker):
        # A short follow-up weakly read as asking for a person ("anything different about this one?" after the
        # notice for a Year 9 review, 0.41) asks about what was just said: the closest answer, or that answer again.
        if reply.kind == "choose":
            utter_bank_closest(dispatcher, reply.hits[0])
        else:
            say_answer_again(dispatcher, tracker, reply)


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> List[Text]:
        """The town or area is asked only when no place has been named in the conversation: a family who said
        'we live in Colchester' is not asked again."""
        if tracker.get_slot("callback_area") is None and family_place(tracker).place:
            return [slot for slot in domain_slots if slot != "callback_area"]
        return domain_slots

    def validate_callback_area(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        """A town, district or quadrant (or a council outside Essex) by its name; 'I'd rather not say' (or 'not
        sure') is an answer too, kept as not given; a place the directory does not know is asked again."""
        answer = str(value or "")
        if answer == AREA_NOT_GIVEN or declines_to_say(answer):
            return {"callback_area": AREA_NOT_GIVEN}
        understood = understand_area(answer)
        if understood.value is None:
            dispatcher.utter_message(response="utter_callback_area_unknown")
            return {"callback_area": None}
        return {"callback_area": AREA_NOT_GIVEN if understood.value == "any" else understood.value}

    def validate_callback_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        name = clean_first_name(str(value or ""))
        if name is None:
            dispatcher.utter_message(response="utter_callback_name_invalid")
        return {"callback_name": name}

    def validate_callback_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        contact = clean_contact(str(value or ""))
        if contact is None:
            dispatcher.utter_message(response="utter_callback_contact_invalid")
        return {"callback_contact": contact}


class ActionSaveCallback(SafeAction):
    """Saved only with consent; the family is told 'saved' only after the database has committed."""

    def name(self) -> Text:
        return "action_save_callback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        area = _callback_area(tracker)
        phone = helpline_phone(area.quadrant)
        clear = [SlotSet(slot, None) for slot in CALLBACK_SLOTS] + [SlotSet("handoff_out_of_hours", None)]
        start_text = next_opening_text()
        if not tracker.get_slot("callback_consent"):
            dispatcher.utter_message(response="utter_callback_no_consent", phone=phone)
            return clear
        consent = _consent_text(domain)
        try:
            reference = save_callback(
                tracker.sender_id, tracker.get_slot("handoff_reason") or "asked", tracker.get_slot("guidance_topic"),
                tracker.get_slot("callback_name"), tracker.get_slot("callback_contact"), consent, transcript(tracker),
                area,
            )
        except HandoffNotSaved:
            logger.exception("Could not store a callback request")
            dispatcher.utter_message(response="utter_callback_not_saved", phone=phone, next_opening=start_text)
            return clear
        dispatcher.utter_message(response="utter_callback_saved", name=tracker.get_slot("callback_name"),
                                 reference=reference, next_opening=start_text)
        return clear


class ActionCallbackDeclined(SafeAction):
    def name(self) -> Text:
        return "action_callback_declined"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_callback_declined", phone=helpline_phone(_quadrant(tracker)))
        return [SlotSet("handoff_out_of_hours", None)]


def _callback_area(tracker: Tracker) -> FamilyArea:
    """Where the family lives for the callback: the newest place named (the form's answer included), or
    'Not given' when they were asked and chose not to say."""
    area = family_place(tracker)
    if not area.place and tracker.get_slot("callback_area") == AREA_NOT_GIVEN:
        return FamilyArea(AREA_NOT_GIVEN_LABEL)
    return area


def _consent_text(domain: Dict[Text, Any]) -> str:
    """The exact consent sentence the family agreed to, as shown to them, kept with the request."""
    variants = domain.get("responses", {}).get("utter_ask_callback_consent", [])
    return variants[0].get("text", "") if variants else ""
