"""The service search action: what the family asked, from the database, said back plainly."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.service_actions import ActionSearchServices, ValidateServiceSearchForm
from tests.actions.conftest import make_tracker, run_action


def test_speech_therapy_in_colchester(loaded_db: str, domain) -> None:
    tracker = make_tracker("is there speech therapy in Colchester", "find_service",
                           slots={"search_topic": "speech therapy", "search_area": "Colchester", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] in {"utter_services_intro", "utter_services_widened"}
    assert "utter_service_card" in responses
    intro = next(m for m in dispatcher.messages if m["response"] == "utter_services_intro")
    assert "speech and language therapy" in intro["described"] and "Colchester" in intro["described"]
    cards = [m for m in dispatcher.messages if m["response"] == "utter_service_card"]
    assert 1 <= len(cards) <= 3


def test_families_outside_essex_are_sent_to_their_own_local_offer(loaded_db: str, domain) -> None:
    tracker = make_tracker("autism groups in Southend", "find_service",
                           slots={"search_topic": "autism", "search_area": "Southend-on-Sea", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_outside_area"
    assert "Southend" in dispatcher.messages[0]["area"]


def test_no_match_gives_the_helpline(loaded_db: str, domain) -> None:
    tracker = make_tracker("underwater basket weaving", "find_service",
                           slots={"search_topic": "underwater basket weaving", "search_area": "any", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_services_none"
    assert "0333" in dispatcher.messages[0]["phone"]


# Issue #17 item 6: the age is not asked again, and the "Under 5" button is not changed into "age 3".

def _slot(events: list[dict], name: str) -> object:
    return next((e["value"] for e in events if e.get("event") == "slot" and e.get("name") == name), "unset")


def test_a_new_search_keeps_the_age_and_area_already_given(loaded_db: str, domain) -> None:
    from actions.service_actions import ActionStartSearch
    slots = {"search_topic": "Speech and language therapy", "search_area": "Colchester", "search_age": "4",
             "search_offset": 3.0}
    tracker = make_tracker("show me more short breaks", "find_service", slots=slots,
                           entities=[{"entity": "service_category", "value": "short breaks"}])
    _, events = run_action(ActionStartSearch(), tracker, domain)
    assert _slot(events, "search_age") == "unset" and _slot(events, "search_area") == "unset"
    assert _slot(events, "search_topic") == "unset" and _slot(events, "search_offset") == 0
    _, events = run_action(ActionStartSearch(), make_tracker("find a service", "find_service", slots=slots), domain)
    assert _slot(events, "search_topic") is None and _slot(events, "search_age") == "unset"


def test_an_area_outside_essex_does_not_carry_its_filled_in_answers(loaded_db: str, domain) -> None:
    from actions.service_actions import ActionStartSearch
    slots = {"search_topic": "any", "search_area": "Thurrock", "search_age": "any"}
    _, events = run_action(ActionStartSearch(), make_tracker("find a service", "find_service", slots=slots), domain)
    assert _slot(events, "search_area") is None and _slot(events, "search_age") is None


def test_a_council_outside_essex_named_beside_an_essex_place_is_said_before_the_search(loaded_db: str,
                                                                                       domain) -> None:
    """"Hi from Grays ... his friend in Billericay goes": the form searches Billericay, and the family is told that
    Grays is in Thurrock, which has its own Local Offer. With only an Essex place, nothing of the kind is said."""
    from actions.service_actions import ActionStartSearch
    text = "hi from Grays. can my son join the short breaks clubs? his friend in Billericay goes"
    entities = [{"entity": "outside_area", "value": "Grays"}, {"entity": "district", "value": "Billericay"}]
    dispatcher, _ = run_action(ActionStartSearch(), make_tracker(text, "find_service", entities=entities), domain)
    outside = [m for m in dispatcher.messages if m.get("response") == "utter_outside_area"]
    assert len(outside) == 1 and outside[0]["area"] == "Thurrock"
    text = "can my son join the short breaks clubs in Billericay"
    dispatcher, _ = run_action(ActionStartSearch(), make_tracker(text, "find_service", entities=entities[1:]), domain)
    assert not [m for m in dispatcher.messages if m.get("response") == "utter_outside_area"]


def test_a_question_asked_with_a_full_search_gets_its_answer_and_a_search_alone_does_not(loaded_db: str,
                                                                                         domain) -> None:
    """A kind of help and a place make a full search, and the bank's answers near a search's own words are noise
    before it; a question asked beside them ("do we need a diagnosis?") gets the bank's sure answer first."""
    from actions.service_actions import ActionStartSearch
    entities = [{"entity": "service_category", "value": "short breaks"}, {"entity": "district", "value": "Harlow"}]
    tracker = make_tracker("do we need a diagnosis for short breaks in harlow", "find_service", entities=entities)
    dispatcher, _ = run_action(ActionStartSearch(), tracker, domain)
    assert dispatcher.messages and dispatcher.messages[0]["response"].startswith("utter_bank_answer")
    assert "does not need a diagnosis" in dispatcher.messages[0]["answer"]
    entities = [{"entity": "service_category", "value": "speech therapy"},
                {"entity": "district", "value": "Colchester"}]
    tracker = make_tracker("speech therapy in colchester", "find_service", entities=entities)
    dispatcher, _ = run_action(ActionStartSearch(), tracker, domain)
    assert not [m for m in dispatcher.messages if str(m.get("response", "")).startswith("utter_bank")]


def test_a_full_search_that_asks_who_pays_gets_the_answer_first(loaded_db: str, domain) -> None:
    """Probes v7: a foster carer in Colchester asking who pays for short breaks for a child placed by a London council
    got only "How old is your child?": a search cannot say who pays. A sure answer comes first when the question
    asks who, when or how much, as it does when the bank is surest."""
    from actions.service_actions import ActionStartSearch
    entities = [{"entity": "service_category", "value": "short breaks"}, {"entity": "district", "value": "Colchester"}]
    text = ("I'm a foster carer in Colchester. The lad I've got is placed with me by a London council, not Essex. "
            "I'd love to get him into the Essex short breaks activities. Who pays for that if he's not an Essex child?")
    dispatcher, _ = run_action(ActionStartSearch(), make_tracker(text, "find_service", entities=entities), domain)
    assert dispatcher.messages and dispatcher.messages[0]["response"].startswith("utter_bank_answer")
    assert "paid for by" in dispatcher.messages[0]["answer"]


def test_age_buttons_are_bands_said_back_as_chosen(loaded_db: str, domain) -> None:
    from actions.service_actions import ValidateServiceSearchForm
    from bot.directory.for_chat import understand_age
    buttons = next(r for r in domain["responses"]["utter_ask_search_age"])["buttons"]
    bands = {b["title"]: b["payload"] for b in buttons}
    assert bands["Under 5"] == '/inform{{"age": "under 5"}}'
    assert [understand_age(t).value for t in ("Under 5", "under 5s", "5 to 11", "16 to 25", "4", "any age")] == \
        ["under 5", "under 5", "5 to 11", "16 to 25", "4", "any"]
    tracker = make_tracker("", "inform", slots={"search_topic": "Speech and language therapy",
                                                "search_area": "Colchester", "search_age": "under 5"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    said = " ".join(str(m.get("described", "")) for m in dispatcher.messages)
    assert "age under 5" in said and "age 3" not in said
    assert ValidateServiceSearchForm  # the form keeps the band (validate_search_age uses understand_age)


def test_show_more_pages_on_without_asking_again(loaded_db: str, domain) -> None:
    from actions.service_actions import ActionMoreServices
    slots = {"search_topic": "any", "search_area": "any", "search_age": "4", "search_offset": 3.0}
    dispatcher, events = run_action(ActionMoreServices(), make_tracker("show me more", "more_services", slots=slots),
                                    domain)
    assert all(m["response"] != "utter_ask_search_age" for m in dispatcher.messages)
    assert "utter_service_card" in [m["response"] for m in dispatcher.messages]
    assert _slot(events, "search_offset") == 6.0


def test_the_band_is_kept_searched_as_a_range_and_not_asked_again(loaded_db: str, domain) -> None:
    """'Under 5' stays the family's answer through the form, the search, 'show me more' and a new search."""
    from actions.service_actions import ActionMoreServices, ActionStartSearch, ValidateServiceSearchForm
    from bot.directory.for_chat import find_services_for_family

    validated = ValidateServiceSearchForm().validate_search_age("Under 5", CollectingDispatcher(), make_tracker(
        "Under 5", "inform"), domain)
    assert validated == {"search_age": "under 5"}
    slots = {"search_topic": "any", "search_area": "any", "search_age": "under 5"}
    dispatcher, events = run_action(ActionSearchServices(), make_tracker("", "inform", slots=slots), domain)
    assert _slot(events, "search_age") == "unset"  # never rewritten to one age
    intro = next(m for m in dispatcher.messages if m["response"] == "utter_services_intro")
    assert intro["described"] == ", age under 5"
    # Every card shown is for some child aged 0 to 4, and a service from age 4 is among those under 5.
    band = find_services_for_family(topic="any", area="any", age="under 5", limit=500).result.cards
    assert band and all((c.minimum_age or 0) <= 4 for c in band) and any(c.minimum_age == 4 for c in band)

    slots["search_offset"] = 3.0
    dispatcher, events = run_action(ActionMoreServices(), make_tracker("show me more", "more_services", slots=slots),
                                    domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert "utter_service_card" in responses and "utter_ask_search_age" not in responses
    assert _slot(events, "search_age") == "unset" and _slot(events, "search_offset") == 6.0
    _, events = run_action(ActionStartSearch(), make_tracker("find a service", "find_service", slots=slots), domain)
    assert _slot(events, "search_age") == "unset"  # a new search keeps the band: the form does not ask again


def test_a_question_asked_as_a_search_gets_the_banks_answer_before_the_form(loaded_db: str, domain) -> None:
    """'how do we sign up for short breaks' used to get only 'Which town or area of Essex do you live in?'."""
    from actions.service_actions import ActionStartSearch
    tracker = make_tracker("how do we sign up for short breaks in essex", "find_service",
                           entities=[{"entity": "service_category", "value": "short breaks"}])
    dispatcher, events = run_action(ActionStartSearch(), tracker, domain)
    responses = [m.get("response") for m in dispatcher.messages]
    assert responses[0].removesuffix("_unchecked") in ("utter_bank_answer", "utter_bank_closest")
    assert "short break" in dispatcher.messages[0]["answer"].lower()
    assert responses[-1] == "utter_search_as_well" and _slot(events, "search_offset") == 0  # the search goes on


def test_a_full_search_goes_straight_to_the_search(loaded_db: str, domain) -> None:
    from actions.service_actions import ActionStartSearch
    tracker = make_tracker("speech therapy in colchester", "find_service",
                           entities=[{"entity": "service_category", "value": "speech therapy"},
                                     {"entity": "district", "value": "colchester"}])
    dispatcher, _ = run_action(ActionStartSearch(), tracker, domain)
    assert dispatcher.messages == []


def test_a_need_and_a_place_are_not_a_full_search(loaded_db: str, domain) -> None:
    from actions.service_actions import ActionStartSearch
    tracker = make_tracker("my son is autistic, we live in harlow, how long is the wait for an autism assessment",
                           "find_service", entities=[{"entity": "need", "value": "autistic"},
                                                     {"entity": "district", "value": "harlow"}])
    dispatcher, _ = run_action(ActionStartSearch(), tracker, domain)
    assert [m.get("response") for m in dispatcher.messages][-1:] == ["utter_search_as_well"]


def test_an_answer_not_understood_is_said_only_when_the_form_asked_for_it(domain) -> None:
    """The message that starts a search is read for each answer too; a question never put gets no "Sorry, I didn't
    recognise that" (found chatting: a money question got its answer, then that line, then the form's question)."""
    form = ValidateServiceSearchForm()
    opening = "is there any help with money for families of disabled children"
    for slot, validate in (("search_topic", form.validate_search_topic), ("search_area", form.validate_search_area),
                           ("search_age", form.validate_search_age)):
        at_start, answering = CollectingDispatcher(), CollectingDispatcher()
        assert validate(opening, at_start, make_tracker(opening, "find_service", {"requested_slot": None}),
                        domain)[slot] is None
        # Asked, an answer that is neither what was asked nor a question ("the moon") gets that line. (A question
        # typed instead is answered from the bank: the tests below.)
        assert validate("the moon", answering, make_tracker("the moon", "inform", {"requested_slot": slot}),
                        domain)[slot] is None
        assert at_start.messages == []
        assert [m["response"] for m in answering.messages] == [f"utter_{slot}_unknown"]


def test_more_with_no_search_goes_on_from_the_answer_not_to_services(loaded_db: str, domain) -> None:
    """Found chatting: "what are my options" after an answer was read as more services and got "That's all the
    services I have for that search" although no search had been made. It is a follow-up to the answer."""
    from actions.service_actions import ActionMoreServices

    tracker = make_tracker("what are my options", "more_services", slots={"guidance_topic": "annual_review"})
    tracker.events.extend([
        {"event": "user", "text": "the council wants to end my son's ehcp at the annual review"},
        {"event": "bot", "text": "Within 4 weeks of the meeting, the council must tell you its decision."},
        {"event": "user", "text": "what are my options"},
    ])
    dispatcher, events = run_action(ActionMoreServices(), tracker, domain)
    said = [m.get("response") for m in dispatcher.messages]
    assert said and "utter_services_no_more" not in said


def test_another_kind_of_help_given_for_the_place_becomes_the_search(loaded_db: str, domain) -> None:
    """Asked for the town after a search for hearing help, "is there anything for visual impairment too" got
    "Sorry, I don't know that place". The new kind of help is kept and the place asked again, without that line."""
    form = ValidateServiceSearchForm()
    text = "is there anything for visual impairment too"
    dispatcher = CollectingDispatcher()
    slots = form.validate_search_area(text, dispatcher, make_tracker(text, "find_service", {
        "requested_slot": "search_area", "search_topic": "Hearing impairment"}), domain)
    assert slots["search_area"] is None and slots["search_topic"] == "Vision"
    assert dispatcher.messages == []
    nowhere = CollectingDispatcher()  # neither a place nor a kind of help: said so, as before
    assert form.validate_search_area("blah blah", nowhere, make_tracker("blah blah", "inform", {
        "requested_slot": "search_area"}), domain) == {"search_area": None}
    assert [m["response"] for m in nowhere.messages] == ["utter_search_area_unknown"]


def _after_an_answer(text: str, intent: str, slots: dict, previous: str, answer: str | None = None):
    """The form asking where, after the bank's answer to `previous` (or `answer`)."""
    if answer is None:
        from bot.answers.for_chat import reply_for
        first = reply_for(previous)
        assert first is not None and first.hits
        answer = first.hits[0].answer
    tracker = make_tracker(text, intent, slots)
    tracker.events.extend([
        {"event": "user", "text": previous},
        {"event": "slot", "name": "search_topic", "value": slots.get("search_topic")},
        {"event": "bot", "text": answer},
        {"event": "bot", "text": "Which town or area of Essex do you live in?"},
        {"event": "user", "text": text},
    ])
    return tracker


def test_a_question_typed_while_the_form_asks_where_is_answered_not_taken_for_a_place(loaded_db: str, domain) -> None:
    """Found on follow-up set v2: after an answer on short breaks the form asked where, and "but is she too old
    now?" got "Sorry, I don't know that place". It is answered from the bank, and the place is asked again."""
    form = ValidateServiceSearchForm()
    text = "but is she too old now?"
    dispatcher = CollectingDispatcher()
    tracker = _after_an_answer(text, "inform", {"requested_slot": "search_area", "search_topic": "Short breaks"},
                               "my daughter is 21, she went to short breaks clubs all through her teens")
    slots = form.validate_search_area(text, dispatcher, tracker, domain)
    assert slots["search_area"] is None
    said = [m.get("response") for m in dispatcher.messages]
    assert "utter_search_area_unknown" not in said
    assert any(r and r.startswith(("utter_bank_answer", "utter_bank_closest")) for r in said)
    assert "18" in " ".join(str(m.get("answer") or "") for m in dispatcher.messages)


def test_a_question_the_classifier_put_outside_send_is_answered_while_the_form_asks_where(loaded_db: str,
                                                                                         domain) -> None:
    """Follow-up set v7 (read): after an answer and the search's "Which town?", "can he still use CAMHS at his age?"
    was read as out of scope (0.23) and got "Which town?" again. The bank answers it (up to 25 with SEN); the search
    keeps its kind of help."""
    form = ValidateServiceSearchForm()
    text = "can he still use CAMHS at his age?"
    dispatcher = CollectingDispatcher()
    tracker = _after_an_answer(text, "out_of_scope", {"requested_slot": "search_area", "search_topic": "Autism"},
                               "DS is 19, autistic, has an EHCP and is at college. He's been finding everything hard "
                               "going lately, really low. Adult services just don't seem to get autism")
    slots = form.validate_search_topic("Mental health", dispatcher, tracker, domain)
    assert slots["search_topic"] == "Autism"
    assert "25" in " ".join(str(m.get("answer") or "") for m in dispatcher.messages)


def test_a_send_question_naming_a_kind_of_help_does_not_change_the_search(loaded_db: str, domain) -> None:
    """"does he get free transport at that distance" while the form asked where: "transport" filled the kind of
    help, so the question was lost and the form asked where again. The question is answered; the search keeps
    its kind of help. A search for another kind of help ("is there anything for dyslexia too?") still changes it."""
    form = ValidateServiceSearchForm()
    text = "does he get free transport at that distance"
    dispatcher = CollectingDispatcher()
    tracker = _after_an_answer(text, "school_transport", {"requested_slot": "search_area", "search_topic": "Autism"},
                               "my DS is 7 and autistic, the nearest suitable school is about 2 and a half miles away")
    slots = form.validate_search_topic("transport", dispatcher, tracker, domain)
    assert slots["search_topic"] == "Autism"
    assert dispatcher.messages and all(m.get("response") != "utter_search_topic_unknown" for m in dispatcher.messages)
    search = CollectingDispatcher()
    other = _after_an_answer("is there anything for dyslexia too?", "find_service",
                             {"requested_slot": "search_area", "search_topic": "Autism"}, "autism groups", "Groups.")
    assert form.validate_search_topic("dyslexia", search, other, domain)["search_topic"] != "Autism"
    assert search.messages == []
