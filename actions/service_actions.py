"""Find Local Offer services: a form that asks only for what is missing, the best three matches, more on
request, wider areas when nothing is near, and the gap recorded for officers."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.bank_reply import bank_reply, follows_an_answer, say_before_search
from actions.before_answer import outside_area_note
from actions.common import FEEDBACK_QUESTION, SafeAction, helpline_phone, intent_confidence, latest_ranking, latest_text
from actions.guidance_actions import follow_up
from actions.question_in_search import answer_question, asks_a_send_question, value_before
from bot.answers.scoring import asked_kinds
from bot.directory.for_chat import (
    FamilySearch,
    find_services_for_family,
    understand_age,
    understand_area,
    understand_topic,
)
from bot.directory.vocabulary import QUADRANT_LABELS
from bot.guidance.articles import load_guidance
from bot.insight.review import record_unanswered

PAGE = 3
SEARCH_SLOTS = ("search_topic", "search_area", "search_age")


# Below this, "a search" was the classifier's weak guess. Right after an answer, such a message with nothing to
# search for (no kind of help, need or place) asks about that answer: "is that allowed? feels really woolly" after
# the answer on vague wording in section F (find_service 0.29) got "What kind of help are you looking for?"
# (follow-up set v9, read).
WEAK_SEARCH = 0.5
# A full search's own words reach at most 1.00 in the bank ("speech therapy in colchester" 0.996, "holiday clubs in
# chelmsford" 0.987); a question asked with them, more ("how do I sign up for short breaks clubs in Colchester" 1.04).
SURE_BESIDE_A_SEARCH = 1.0


class ActionStartSearch(SafeAction):
    """A new search asks again what help is wanted (unless this message says), but keeps the child's age and the
    family's area from an earlier search: the same child and the same home, so asking again only repeats a
    question the family has answered. A new age or place in the message replaces them (slot mappings)."""

    def name(self) -> Text:
        return "action_start_search"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if _asks_about_the_answer(tracker, entities):
            answered = answer_question(dispatcher, tracker)  # as a question typed while the form waits
            if answered is not None:  # no search: "Did this help?", as after any answer
                return [SlotSet(name, value) for name, value in answered.items()] + [FollowupAction(FEEDBACK_QUESTION)]
        reply = bank_reply(tracker, "find_service")
        if "service_category" in entities and entities & {"district", "quadrant"}:
            # A full search (a kind of help and a place: "speech therapy in Colchester", "a holiday club in
            # Chelmsford") gets a bank answer first only when it also asks something the bank is surest of ("do we
            # need a diagnosis for short breaks clubs in Harlow?" 1.10): searches alone reach 0.79 to 1.00.
            # So does one that asks who, when or how much, which a search cannot answer ("Who pays for that if he's
            # not an Essex child technically?", a foster carer in Colchester asking about short breaks: 0.86).
            if reply is not None and reply.kind == "answer" and (
                    reply.hits[0].score > SURE_BESIDE_A_SEARCH or asked_kinds(latest_text(tracker)) - {"define"}):
                say_before_search(dispatcher, reply)
        elif reply is not None and reply.kind != "none":
            # Not a full search: it may be a question the answer bank knows. A need and a place are not enough
            # for a search ("autism waiting list in Harlow, 2 years?").
            say_before_search(dispatcher, reply)
        if entities & {"district", "quadrant"}:  # an Essex place is searched; a council outside Essex is said too
            outside_area_note(dispatcher, tracker)
        events = []
        if not entities & {"need", "service_category"}:
            events.append(SlotSet("search_topic", None))
        if not entities & {"district", "quadrant", "outside_area"} and _area_is_outside(tracker):
            # An area outside Essex filled the other answers with 'any' to end the form: ask for them properly.
            events += [SlotSet("search_area", None), SlotSet("search_age", None)]
        return events + [SlotSet("search_offset", 0)]


def _asks_about_the_answer(tracker: Tracker, entities: set[str]) -> bool:
    """A short message right after an answer, only weakly read as a search, naming nothing to search for."""
    confidence = intent_confidence(tracker)
    if confidence is None or confidence >= WEAK_SEARCH:
        return False
    return not entities & {"need", "service_category", "district", "quadrant", "outside_area"} and \
        follows_an_answer(tracker)


def _area_is_outside(tracker: Tracker) -> bool:
    area = tracker.get_slot("search_area")
    return bool(area) and area != "any" and understand_area(str(area)).outside_area is not None


class ValidateServiceSearchForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_service_search_form"

    def validate_search_topic(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        if _waits_for_place_or_age(tracker) and asks_a_send_question(tracker):
            # "does he get free transport at that distance?" while the form asks where: a question, not a new
            # search for transport. Answered, and the search keeps its kind of help.
            answered = answer_question(dispatcher, tracker)
            if answered is not None:
                return {**answered, "search_topic": value_before(tracker, "search_topic")}
        understood = understand_topic(str(value or ""))
        if understood.value is None and _was_asked(tracker, "search_topic"):
            dispatcher.utter_message(response="utter_search_topic_unknown")
        return {"search_topic": understood.value}

    def validate_search_area(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        understood = understand_area(str(value or ""))
        if understood.value is None:
            if not _was_asked(tracker, "search_area"):
                return {"search_area": None}
            # Asked the place, the family named another kind of help instead ("is there anything for visual
            # impairment too?"): that is the search now, and the place is asked again without "I don't know
            # that place".
            other = understand_topic(str(value or "")).value
            if other not in (None, "any"):
                return {"search_area": None, "search_topic": other}
            answered = answer_question(dispatcher, tracker)  # "but is she too old now?": a question, not a place
            if answered is not None:
                return {**answered, "search_area": None}
            dispatcher.utter_message(response="utter_search_area_unknown")
            return {"search_area": None}
        if understood.outside_area:
            # No point asking more: this family's services are in another council's Local Offer.
            return {"search_area": understood.value, "search_topic": tracker.get_slot("search_topic") or "any",
                    "search_age": tracker.get_slot("search_age") or "any"}
        return {"search_area": understood.value}

    def validate_search_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        understood = understand_age(str(value or ""))
        if understood.value is None and _was_asked(tracker, "search_age"):
            answered = answer_question(dispatcher, tracker)  # a question typed instead of an age
            if answered is not None:
                return {**answered, "search_age": None}
            dispatcher.utter_message(response="utter_search_age_unknown")
        return {"search_age": understood.value}


def _waits_for_place_or_age(tracker: Tracker) -> bool:
    """The form has its kind of help and is asking where or for whom."""
    return tracker.get_slot("requested_slot") in ("search_area", "search_age")


def _was_asked(tracker: Tracker, slot: str) -> bool:
    """The form asked for `slot` and this message is the family's answer. The message that starts a search
    ("is there any help with money for families of disabled children?") is also read for each answer; when it
    gives none, the form simply asks, with no "Sorry, I didn't recognise that" for a question never put."""
    return tracker.get_slot("requested_slot") == slot


def _show(dispatcher: CollectingDispatcher, search: FamilySearch) -> None:
    for card in search.result.cards:
        dispatcher.utter_message(
            response="utter_service_card",
            name=card.name,
            example=" (example)" if card.is_example and "example" not in card.name.lower() else "",
            description=card.description,
            who_for=card.who_for,
            area=card.area,
            cost=card.cost,
            contact=card.contact,
            referral=card.referral,
        )
    if any(card.is_example for card in search.result.cards):
        dispatcher.utter_message(response="utter_services_example_note")
    if search.has_more:
        dispatcher.utter_message(response="utter_services_more")


def _search(tracker: Tracker, offset: int = 0) -> FamilySearch:
    """The family's remembered answers, searched one page at a time."""
    return find_services_for_family(
        topic=tracker.get_slot("search_topic"),
        area=tracker.get_slot("search_area"),
        age=tracker.get_slot("search_age"),
        limit=PAGE,
        offset=offset,
    )


class ActionSearchServices(SafeAction):
    def name(self) -> Text:
        return "action_search_services"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        search = _search(tracker)
        if search.outside_area:
            dispatcher.utter_message(response="utter_outside_area", area=search.outside_area["name"],
                                     local_offer=search.outside_area["local_offer"], url=search.outside_area["url"])
            return []
        result = search.result
        if not result.found or result.widened_to:
            record_unanswered(tracker.sender_id, f"services{search.described}", "no_match",
                              latest_ranking(tracker), topic="find_service")
        if not result.found:
            dispatcher.utter_message(response="utter_services_none", described=search.described,
                                     phone=helpline_phone(search.quadrant))
            return []
        if result.widened_to:
            widened = "the whole of Essex" if result.widened_to == "county" else QUADRANT_LABELS.get(
                search.quadrant or "", "a wider area")
            dispatcher.utter_message(response="utter_services_widened", asked=search.district_name or "that area",
                                     widened=widened)
        dispatcher.utter_message(response="utter_services_intro", described=search.described)
        _show(dispatcher, search)
        return [SlotSet("search_offset", float(PAGE))]


class ActionMoreServices(SafeAction):
    def name(self) -> Text:
        return "action_more_services"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        offset = int(tracker.get_slot("search_offset") or 0)
        if not offset or not any(tracker.get_slot(s) for s in SEARCH_SLOTS):
            # No search to go on with: "is there anything else?" or "what are my options?" after an answer asks for
            # more on that answer, not for services (it got "That's all the services I have for that search").
            topic = tracker.get_slot("guidance_topic")
            return follow_up(dispatcher, tracker, domain, topic, load_guidance(topic) if topic else None)
        search = _search(tracker, offset)
        if not search.result.cards:
            dispatcher.utter_message(response="utter_services_no_more")
            return []
        _show(dispatcher, search)
        return [SlotSet("search_offset", float(offset + PAGE))]
