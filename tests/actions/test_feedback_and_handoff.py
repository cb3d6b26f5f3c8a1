"""Feedback, fallback, handoff and callback actions: the responses chosen, the slots that steer the dialogue,
and what is stored (redacted) for officers and the helpline."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk import Tracker
from sqlalchemy import select

import bot.helpline.handoff as handoff_module
from actions.feedback_actions import ActionFallback, ActionFeedbackNo, ActionOutOfScope
from actions.handoff_actions import ActionSaveCallback, ActionStartHandoff
from bot.db import models as m
from bot.insight.review import hash_sender
from tests.actions.conftest import run_action


def _user(text: str, intent: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def _tracker(events: list[dict], slots: dict | None = None, intent: str = "deny", text: str = "no") -> Tracker:
    ranking = [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "annual_review", "confidence": 0.31}]
    return Tracker("family-1", slots or {}, {"text": text, "intent": {"name": intent}, "intent_ranking": ranking},
                   events, False, None, {}, "action_listen")


def _events_no(times: int) -> list[dict]:
    events = [_user("my son is called Oliver Smith, what is an annual review", "annual_review")]
    for _ in range(times):
        events += [{"event": "action", "name": "utter_did_that_help"}, _user("no", "deny")]
    return events


def test_first_no_offers_other_routes_second_no_escalates(loaded_db, domain) -> None:
    dispatcher, events = run_action(ActionFeedbackNo(), _tracker(_events_no(1)), domain)
    assert dispatcher.messages[0]["response"] == "utter_sorry_not_helped"
    assert {"event": "slot", "timestamp": None, "name": "escalate", "value": False} in events
    dispatcher, events = run_action(ActionFeedbackNo(), _tracker(_events_no(2)), domain)
    assert dispatcher.messages[0]["response"] == "utter_sorry_escalating"
    assert {"event": "slot", "timestamp": None, "name": "escalate", "value": True} in events


def test_not_helped_is_recorded_redacted_with_hashed_sender(loaded_db, domain, session) -> None:
    run_action(ActionFeedbackNo(), _tracker(_events_no(1)), domain)
    row = session.execute(select(m.UnansweredQuestion).where(m.UnansweredQuestion.reason == "not_helped")
                          .order_by(m.UnansweredQuestion.id.desc())).scalars().first()
    assert "Oliver" not in row.text_redacted and "[name]" in row.text_redacted
    assert row.sender_hash != "family-1" and len(row.sender_hash) == 64


def test_two_fallbacks_in_a_row_escalate_and_keep_the_ranking(loaded_db, domain, session) -> None:
    events = [_user("blah", "nlu_fallback"), {"event": "action", "name": "action_fallback"},
              _user("blah again", "nlu_fallback")]
    dispatcher, slot_events = run_action(ActionFallback(), _tracker(events, intent="nlu_fallback", text="blah again"),
                                         domain)
    assert dispatcher.messages[0]["response"] == "utter_sorry_escalating"
    assert {"event": "slot", "timestamp": None, "name": "handoff_reason", "value": "fallbacks"} in slot_events
    row = session.execute(select(m.UnansweredQuestion).where(m.UnansweredQuestion.reason == "fallback")
                          .order_by(m.UnansweredQuestion.id.desc())).scalars().first()
    assert row.ranking == [{"name": "annual_review", "confidence": 0.31}]


def test_out_of_scope_is_recorded(loaded_db, domain, session, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SPOOL_DIR", str(tmp_path / "spool"))  # a spooled record must not pass for a stored one
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text="when are my bins"),
                               domain)
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"
    rows = session.execute(select(m.UnansweredQuestion).where(
        m.UnansweredQuestion.sender_hash == hash_sender("family-1"),
        m.UnansweredQuestion.text_redacted == "when are my bins")).scalars().all()
    assert len(rows) == 1
    assert (rows[0].reason, rows[0].intent, rows[0].confidence, rows[0].status) == \
        ("out_of_scope", "annual_review", 0.31, "new")  # the model's nearest intent, not nlu_fallback
    assert not (tmp_path / "spool").exists()


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(handoff_module, "datetime", type("FixedDatetime", (datetime,), {
        "now": classmethod(lambda cls, tz=None: moment)}))


def test_in_hours_gives_a_reference_and_stores_the_transcript(loaded_db, domain, session, monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))  # a Tuesday morning
    tracker = _tracker([_user("my email is jo@example.com, can I talk to someone", "request_human")],
                       intent="request_human", text="can I talk to someone")
    dispatcher, events = run_action(ActionStartHandoff(), tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_handoff_in_hours" and message["reference"].startswith("LO-")
    stored = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.reference == message["reference"])).scalar_one()
    assert "jo@example.com" not in stored.transcript_redacted and "[email]" in stored.transcript_redacted
    assert {"event": "slot", "timestamp": None, "name": "handoff_out_of_hours", "value": False} in events


def test_out_of_hours_offers_a_callback(loaded_db, domain, monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 12, 25, 10, 0, tzinfo=timezone.utc))  # Christmas Day
    dispatcher, events = run_action(ActionStartHandoff(), _tracker([], intent="request_human", text="a person"), domain)
    assert dispatcher.messages[0]["response"] == "utter_handoff_out_of_hours"
    assert "December" in dispatcher.messages[0]["next_opening"]
    assert {"event": "slot", "timestamp": None, "name": "handoff_out_of_hours", "value": True} in events


def _callback_tracker(consent: bool = True) -> Tracker:
    slots = {"callback_name": "Sam", "callback_contact": "07700900123", "callback_consent": consent}
    return _tracker([_user("talk to a person", "request_human")], slots=slots, intent="affirm", text="/affirm")


def test_callback_is_saved_only_after_commit(loaded_db, domain, session) -> None:
    dispatcher, _ = run_action(ActionSaveCallback(), _callback_tracker(), domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_callback_saved"
    stored = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.reference == message["reference"])).scalar_one()
    assert stored.kind == "callback" and stored.consent and stored.contact == "07700900123"
    assert "90 days" in stored.consent_text


def test_a_store_failure_is_told_never_reported_as_saved(loaded_db, domain, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise ConnectionError("database down")
    monkeypatch.setattr(handoff_module, "record_handoff_request", broken)
    dispatcher, _ = run_action(ActionSaveCallback(), _callback_tracker(), domain)
    assert dispatcher.messages[0]["response"] == "utter_callback_not_saved"
    assert "0333" in dispatcher.messages[0]["phone"]


def test_no_consent_saves_nothing(loaded_db, domain, session) -> None:
    before = len(session.execute(select(m.HandoffRequest)).scalars().all())
    dispatcher, _ = run_action(ActionSaveCallback(), _callback_tracker(consent=False), domain)
    assert dispatcher.messages[0]["response"] == "utter_callback_no_consent"
    assert len(session.execute(select(m.HandoffRequest)).scalars().all()) == before


@pytest.mark.parametrize(("text", "ok"), [("07700 900123", True), ("+44 7700 900123", True), ("jo@example.com", True),
                                          ("call me", False), ("12345", False)])
def test_contact_details_are_checked(text: str, ok: bool) -> None:
    assert (handoff_module.clean_contact(text) is not None) is ok


@pytest.mark.parametrize(("text", "name"), [("my name is sam", "Sam"), ("Mary-Jane Smith", "Mary-Jane"),
                                            ("123", None), ("", None)])
def test_first_names_are_cleaned(text: str, name: str | None) -> None:
    assert handoff_module.clean_first_name(text) == name


# Issue #17 items 1 and 2: every misunderstanding goes through ActionFallback (Rasa's core fallback included),
# is in the inbox once, and two in a row bring in a person.

def _core_miss(text: str, intent: str = "inform") -> list[dict]:
    """A message the classifier understood but no rule fitted: Rasa ran the core fallback (now ActionFallback)."""
    return [_user(text, intent), {"event": "action", "name": "action_fallback"},
            {"event": "slot", "name": "escalate", "value": False}, {"event": "action", "name": "action_listen"}]


def _inbox(session, text: str) -> list:
    return session.execute(select(m.UnansweredQuestion).where(m.UnansweredQuestion.text_redacted == text)).scalars().all()


def test_config_names_our_fallback_action_as_the_core_fallback(domain) -> None:
    import yaml

    from bot.config import ROOT
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    rule_policy = next(p for p in config["policies"] if p["name"] == "RulePolicy")
    assert rule_policy["core_fallback_action_name"] == "action_fallback"
    assert "action_fallback" in domain["actions"]


def test_a_core_fallback_is_recorded_and_counted_like_an_unsure_classifier(loaded_db, domain, session) -> None:
    # "Hi we live in Thurrock..." was not understood (no rule), then "that didnt answer it" (core fallback, and
    # nothing in the answer bank is close to it: "short breaks in Thurrock" now has its own answer there).
    events = _core_miss("Hi we live in Thurrock, what is there for us") + [_user("that didnt answer it", "deny")]
    dispatcher, slot_events = run_action(
        ActionFallback(), _tracker(events, intent="deny", text="that didnt answer it"), domain)
    assert "utter_sorry_escalating" in [msg.get("response") for msg in dispatcher.messages]
    assert {"event": "slot", "timestamp": None, "name": "escalate", "value": True} in slot_events
    assert len(_inbox(session, "that didnt answer it")) == 1


def test_three_misses_of_either_kind_offer_a_person_at_the_second(domain, loaded_db) -> None:
    first = [_user("short breaks please", "inform")]
    dispatcher, events = run_action(ActionFallback(), _tracker(first, intent="inform", text="short breaks please"),
                                    domain)
    assert {"event": "slot", "timestamp": None, "name": "escalate", "value": False} in events
    second = _core_miss("short breaks please") + [_user("zzz", "nlu_fallback")]
    _, events = run_action(ActionFallback(), _tracker(second, intent="nlu_fallback", text="zzz"), domain)
    assert {"event": "slot", "timestamp": None, "name": "escalate", "value": True} in events


def test_counting_starts_again_after_a_handoff_and_after_an_understood_message(domain, loaded_db) -> None:
    from actions.feedback_actions import count_misunderstandings
    handed = _core_miss("zzz")[:2] + [{"event": "action", "name": "action_start_handoff"}]
    assert count_misunderstandings(_tracker(handed + [_user("zzz again", "nlu_fallback")])) == 1
    understood = _core_miss("zzz") + [_user("what is an ehcp", "what_is_ehcp"),
                                       {"event": "action", "name": "action_answer_guidance"}]
    assert count_misunderstandings(_tracker(understood + [_user("blah", "nlu_fallback")])) == 1
    old_style = [_user("that didnt answer it", "deny"), {"event": "action", "name": "action_default_fallback"}]
    assert count_misunderstandings(_tracker(old_style + [_user("blah", "nlu_fallback")])) == 2
    assert count_misunderstandings(_tracker([])) == 1


@pytest.mark.parametrize("text", ["what is respite", "that didnt answer it", "zzz", "short breaks"])
def test_each_fresh_sender_fallback_is_its_own_inbox_entry(loaded_db, domain, session, text) -> None:
    before = len(_inbox(session, text))
    for sender in ("fresh-1", "fresh-2"):
        tracker = Tracker(sender, {}, {"text": text, "intent": {"name": "inform"}, "intent_ranking": []},
                          [_user(text, "inform")], False, None, {}, "action_listen")
        run_action(ActionFallback(), tracker, domain)
    session.expire_all()
    assert len(_inbox(session, text)) == before + 2


# Issue #17 item 9: the request keeps the family's area, so the helpline can route it without the transcript.

def _area_tracker(events: list[dict], slots: dict | None = None) -> Tracker:
    slots = {"callback_name": "Sam", "callback_contact": "07700900123", "callback_consent": True, **(slots or {})}
    return _tracker(events, slots=slots, intent="affirm", text="/affirm")


def _place(text: str, intent: str, entity: str, value: str) -> dict:
    event = _user(text, intent)
    event["parse_data"]["entities"] = [{"entity": entity, "value": value}]
    return event


def _stored(session, reference: str) -> m.HandoffRequest:
    return session.execute(select(m.HandoffRequest).where(m.HandoffRequest.reference == reference)).scalar_one()


def test_a_callback_keeps_the_district_the_family_named_and_its_quadrant(loaded_db, domain, session) -> None:
    events = [_place("we live in Colchester, what is an EHCP", "what_is_ehcp", "district", "Colchester"),
              _user("talk to a person", "request_human")]
    dispatcher, _ = run_action(ActionSaveCallback(), _area_tracker(events), domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert (stored.area, stored.quadrant) == ("Colchester", "north_east")


def test_the_search_forms_area_counts_and_the_newest_place_wins(loaded_db, domain, session) -> None:
    events = [_place("we used to live in Harlow", "inform", "district", "Harlow"),
              {"event": "slot", "name": "search_area", "value": "Chelmsford"}]
    dispatcher, _ = run_action(ActionSaveCallback(), _area_tracker(events, {"search_area": "Chelmsford"}), domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert (stored.area, stored.quadrant) == ("Chelmsford", "mid")


def test_anywhere_is_not_an_area_and_no_place_is_stored_as_none(loaded_db, domain, session) -> None:
    dispatcher, _ = run_action(ActionSaveCallback(), _area_tracker([_user("talk to a person", "request_human")],
                                                                    {"search_area": "any"}), domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert stored.area is None and stored.quadrant is None


def test_an_in_hours_contact_keeps_the_area_and_gives_that_teams_number(loaded_db, domain, session,
                                                                         monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))  # a Tuesday morning
    event = _place("I'm in Harlow, can I talk to someone", "request_human", "district", "Harlow")
    tracker = _tracker([event], intent="request_human", text="I'm in Harlow, can I talk to someone")
    tracker.latest_message["entities"] = event["parse_data"]["entities"]
    dispatcher, _ = run_action(ActionStartHandoff(), tracker, domain)
    message = dispatcher.messages[-1]
    # the team named with its number: the name is what families find on their letters
    assert message["response"] == "utter_handoff_in_hours" and message["phone"] == "0333 013 9911 (West Essex team)"
    stored = _stored(session, message["reference"])
    assert (stored.area, stored.quadrant) == ("Harlow", "west")


def test_a_family_outside_essex_is_stored_with_no_quadrant(loaded_db, domain, session) -> None:
    events = [_place("we live in Thurrock", "inform", "outside_area", "Thurrock")]
    dispatcher, _ = run_action(ActionSaveCallback(), _area_tracker(events), domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert stored.area and "Thurrock" in stored.area and stored.quadrant is None


# Issue #17 item 7: the callback asks which town or area the family lives in, only when no place is known.

def _form_turn(events: list[dict], candidate: dict, slots: dict) -> Tracker:
    """The tracker the validation action gets: the family's answer, then the form's slot candidates last."""
    slot_events = [{"event": "slot", "name": name, "value": value} for name, value in candidate.items()]
    return Tracker("family-area", {**slots, **candidate}, {"text": "", "intent": {"name": "inform"}},
                   events + slot_events, False, None, {"name": "callback_form"}, "action_listen")


def _requested(events: list[dict]) -> object:
    return next((e["value"] for e in events if e.get("name") == "requested_slot"), "unset")


def test_the_area_is_asked_after_the_contact_only_when_no_place_was_named(loaded_db, domain) -> None:
    from actions.handoff_actions import ValidateCallbackForm

    slots = {"callback_name": "Sam", "requested_slot": "callback_contact"}
    unknown = _form_turn([_user("talk to a person", "request_human")], {"callback_contact": "07700 900123"}, slots)
    _, events = run_action(ValidateCallbackForm(), unknown, domain)
    assert {"name": "callback_contact", "value": "07700900123"}.items() <= next(
        e for e in events if e.get("name") == "callback_contact").items()
    # Left to Rasa's form, which asks the next empty slot in the domain's order: the area, before consent.
    assert _requested(events) == "unset"
    assert domain["forms"]["callback_form"]["required_slots"] == ["callback_name", "callback_contact",
                                                                  "callback_area", "callback_consent"]
    named = _form_turn([_place("we're in Colchester, can I talk to someone", "request_human", "district",
                               "Colchester")], {"callback_contact": "07700 900123"}, slots)
    _, events = run_action(ValidateCallbackForm(), named, domain)
    assert _requested(events) == "callback_consent"  # Colchester is known: not asked again


@pytest.mark.parametrize("answer, kept", [
    ("Witham", "Braintree"), ("we live in clacton", "Tendring"), ("Colchester", "Colchester"),
    ("I'd rather not say", "not given"), ("not given", "not given"), ("prefer not to", "not given"),
    ("not sure", "not given"),
])
def test_the_area_answer_is_a_place_or_not_given(loaded_db, domain, answer, kept) -> None:
    from actions.handoff_actions import ValidateCallbackForm

    slots = {"callback_name": "Sam", "callback_contact": "07700900123", "requested_slot": "callback_area"}
    dispatcher, events = run_action(ValidateCallbackForm(), _form_turn([], {"callback_area": answer}, slots), domain)
    assert next(e["value"] for e in events if e.get("name") == "callback_area") == kept
    assert dispatcher.messages == []


def test_a_place_outside_essex_is_kept_and_an_unknown_one_is_asked_again(loaded_db, domain) -> None:
    from actions.handoff_actions import ValidateCallbackForm

    slots = {"callback_name": "Sam", "callback_contact": "07700900123", "requested_slot": "callback_area"}
    _, events = run_action(ValidateCallbackForm(), _form_turn([], {"callback_area": "Thurrock"}, slots), domain)
    assert "Thurrock" in next(e["value"] for e in events if e.get("name") == "callback_area")
    dispatcher, events = run_action(ValidateCallbackForm(), _form_turn([], {"callback_area": "Narnia"}, slots), domain)
    assert next(e["value"] for e in events if e.get("name") == "callback_area") is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_callback_area_unknown"]
    buttons = domain["responses"]["utter_ask_callback_area"][0]["buttons"]
    assert [(b["title"], b["payload"]) for b in buttons] == [("I'd rather not say", "/deny")]
    deny = next(m for m in domain["slots"]["callback_area"]["mappings"] if m["type"] == "from_intent")
    assert (deny["intent"], deny["value"]) == ("deny", "not given")


def test_the_callback_record_has_the_answered_area_or_not_given(loaded_db, domain, session) -> None:
    events = [_user("talk to a person", "request_human")]
    dispatcher, cleared = run_action(ActionSaveCallback(), _area_tracker(events, {"callback_area": "Braintree"}),
                                     domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert (stored.area, stored.quadrant) == ("Braintree", "mid")
    assert all(e.get("name") != "callback_area" for e in cleared)  # kept: a second request does not ask again
    dispatcher, _ = run_action(ActionSaveCallback(), _area_tracker(events, {"callback_area": "not given"}), domain)
    stored = _stored(session, dispatcher.messages[0]["reference"])
    assert (stored.area, stored.quadrant) == ("Not given", None)


@pytest.mark.parametrize(("text", "answer_id"), [
    ("my daughter is 15 and hasnt been to school since september because of anxiety. will i get fined",
     "school-avoidance-fined-for-anxiety"),
    ("how do i apply for DLA", "benefits-dla-how-to-claim"),
])
def test_a_send_question_called_out_of_scope_is_answered_when_the_bank_is_sure(
        loaded_db, domain, session, text, answer_id) -> None:
    """The classifier missed it; the bank knows it well, so the family gets the answer, not 'I can only help with
    SEND', and nothing goes to the officers' unanswered inbox."""
    dispatcher, events = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text=text), domain)
    assert dispatcher.messages[0]["response"].startswith("utter_bank_answer")
    assert "utter_out_of_scope" not in [msg.get("response") for msg in dispatcher.messages]
    assert {"event": "followup", "timestamp": None, "name": "utter_did_that_help"} in events
    assert not session.execute(select(m.UnansweredQuestion).where(
        m.UnansweredQuestion.text_redacted == text)).scalars().all()
    from bot.answers.for_chat import reply_for
    assert reply_for(text).hits[0].id == answer_id


def test_an_out_of_scope_question_is_never_stated_a_send_answer(loaded_db, domain) -> None:
    """Far from SEND: 'I can only help with SEND'. Near a SEND subject (term dates, a council job): at most the
    closest answer, headed by its own question so the family sees it is not what they asked."""
    for text in ("when are my bins collected", "how do i renew my passport"):
        dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text=text), domain)
        assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"], text
    for text in ("what are the school term dates for 2027", "I'd like to apply for a job at Essex County Council"):
        dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text=text), domain)
        first = dispatcher.messages[0]["response"]
        assert first == "utter_out_of_scope" or first.removesuffix("_unchecked") == "utter_bank_closest", text


@pytest.mark.parametrize(("score", "said"), [(0.95, "utter_bank_answer"), (0.80, "utter_bank_closest"),
                                             (0.70, "utter_out_of_scope")])
def test_out_of_scope_answered_stated_or_as_the_closest_by_how_sure_the_bank_is(
        loaded_db, domain, monkeypatch, score, said) -> None:
    import actions.bank_reply as bank_reply
    from bot.answers.retrieval import AnswerHit, AnswerReply
    hit = AnswerHit("benefits-blue-badge", "benefits", "Benefits", "Can my child get a Blue Badge?",
                    "A child aged 3 or over can get one if ...", score, {})
    kind = "answer" if score >= 0.75 else "choose"
    monkeypatch.setattr(bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply(kind, (hit,)))
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text="blue badge for my son?"),
                               domain)
    assert dispatcher.messages[0]["response"].removesuffix("_unchecked") == said


def _asked(text: str, confidence: float) -> Tracker:
    latest = {"text": text, "intent": {"name": "request_human", "confidence": confidence},
              "intent_ranking": [{"name": "request_human", "confidence": confidence}]}
    return Tracker("family-1", {}, latest, [{"event": "user", "text": text, "parse_data": latest}], False, None, {},
                   "action_listen")


def _answer_after(first: str, intent: str, answer_id: str, follow: str, follow_intent: str) -> list[dict]:
    """A conversation: the family's message, the bank's answer `answer_id` said to it, then the follow-up."""
    from bot.answers.retrieval import answer_index
    from bot.db.session import session_scope

    with session_scope() as session:
        index = answer_index(session)
        said_answer = index.answers[index.ids.index(answer_id)]
    return [_user(first, intent), {"event": "bot", "text": said_answer}, _user(follow, follow_intent)]


QUESTION_READ_AS_A_PERSON = "can I complain that the ehcp is late"


def test_a_question_weakly_read_as_asking_for_a_person_gets_its_answer_then_the_person(loaded_db, domain,
                                                                                       monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    dispatcher, _ = run_action(ActionStartHandoff(), _asked(QUESTION_READ_AS_A_PERSON, 0.3), domain)
    responses = [message["response"] for message in dispatcher.messages]
    assert responses[0].startswith("utter_bank_answer") and "complain" in dispatcher.messages[0]["answer"].lower()
    assert responses[-1] == "utter_handoff_in_hours"


def test_a_clear_request_for_a_person_gets_the_person_only(loaded_db, domain, monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    dispatcher, _ = run_action(ActionStartHandoff(), _asked(QUESTION_READ_AS_A_PERSON, 0.9), domain)
    assert [message["response"] for message in dispatcher.messages] == ["utter_handoff_in_hours"]


@pytest.mark.parametrize(("text", "answered"), [
    ("whats the phone number for essex sendiass?", "essexsendiass.co.uk"),
    # another way in that is not a person at the council: the Local Offer's address, a line to text
    ("whats the proper web address for the essex send local offer now? mine looks old", "send.essex.gov.uk"),
    ("i dont want to talk on the phone. is there anywhere i can text", "85258"),
    # the team's own numbers are the handoff itself: no answer before them
    ("phone number for the send team", None),
    ("i need to talk to someone", None),
])
def test_a_request_for_another_services_contact_gets_that_contact_then_the_person(loaded_db, domain, monkeypatch,
                                                                                  text, answered) -> None:
    """Asking for Essex SENDIASS's number, a family got only the council's SEND team numbers: SENDIASS is an
    independent service, and the family asked for it by name."""
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    dispatcher, _ = run_action(ActionStartHandoff(), _asked(text, 0.95), domain)
    responses = [message["response"] for message in dispatcher.messages]
    assert responses[-1] == "utter_handoff_in_hours"
    if answered is None:
        assert responses == ["utter_handoff_in_hours"]
    else:
        assert responses[0].startswith("utter_bank_answer") and answered in dispatcher.messages[0]["answer"]


def test_two_close_answers_to_a_follow_up_called_out_of_scope_give_the_closest(loaded_db, domain,
                                                                                monkeypatch) -> None:
    """Found chatting: "can i ask for a different school" after the draft plan's answer was called out of scope
    (school admissions) and got "I can only help with SEND"; the bank had two close answers about the plan's
    school. Right after a bank answer the closest is said; with nothing said before, two close answers are not."""
    import actions.bank_reply as bank_reply
    from bot.answers.retrieval import AnswerHit, AnswerReply, answer_index
    from bot.db.session import session_scope

    with session_scope() as session:
        index = answer_index(session)
        said_answer = index.answers[index.ids.index("draft-plan-how-long-to-comment")]
    hits = tuple(AnswerHit(i, "draft_plan", "Draft plan", f"Question {i}?", "An answer.", 0.8, {})
                 for i in ("draft-plan-name-a-school", "draft-plan-no-school-named"))
    monkeypatch.setattr(bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("choose", hits))
    after_answer = [_user("our draft ehcp came yesterday", "draft_plan"), {"event": "bot", "text": said_answer},
                    _user("can i ask for a different school", "out_of_scope")]
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker(after_answer, intent="out_of_scope",
                                                            text="can i ask for a different school"), domain)
    assert dispatcher.messages[0]["response"].removesuffix("_unchecked") == "utter_bank_closest"
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope",
                                                            text="can i ask for a different school"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


def test_a_follow_up_asking_what_the_answer_said_gets_it_again_not_only_send(loaded_db, domain) -> None:
    """Found chatting: "will we actually have to go?" after the answer that an appeal on a refusal to assess often
    has no hearing was called out of scope and told "I can only help with SEND". The bank never answers a
    follow-up with the answer it follows, so nothing else was near; now that answer is said again."""
    first = "we're appealing the refusal to assess my son and im terrified of having to stand up in a courtroom"
    follow = "will we actually have to go?"
    events = _answer_after(first, "assessment_refused", "assessment-refused-hearing", follow, "out_of_scope")
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker(events, intent="out_of_scope", text=follow), domain)
    said = [m["response"] for m in dispatcher.messages]
    assert said[0].removesuffix("_unchecked") == "utter_bank_answer_again", said
    assert "utter_out_of_scope" not in said
    # alone, with no answer before it, it is still out of scope
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope", text=follow), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


def test_out_of_scope_after_an_answer_says_the_answer_again_when_the_follow_up_asks_it(loaded_db, domain,
                                                                                    monkeypatch) -> None:
    """Nothing else near, but the follow-up's reading with the question before finds the answer just given: that
    answer again, headed "I think my last answer covers that", not "I can only help with SEND"."""
    import actions.bank_reply as bank_reply
    from bot.answers.retrieval import AnswerHit, AnswerReply
    answer = "An appeal against a refusal to assess is often decided on the papers, without a hearing."
    hit = AnswerHit("assessment-refused-hearing", "assessment_refused", "Refused", "Will there be a hearing?",
                    answer, 0.9, {})
    monkeypatch.setattr(bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("none", (), asked_again=hit))
    monkeypatch.setattr("actions.feedback_actions.follows_an_answer", lambda tracker: True)
    events = [_user("do we have to go to a hearing for a refusal to assess appeal", "assessment_refused"),
              {"event": "bot", "text": answer}, _user("will we actually have to go?", "out_of_scope")]
    dispatcher, returned = run_action(ActionOutOfScope(), _tracker(events, intent="out_of_scope",
                                                                   text="will we actually have to go?"), domain)
    assert dispatcher.messages[0]["response"].removesuffix("_unchecked") == "utter_bank_answer_again"
    assert dispatcher.messages[0]["answer"] == answer
    assert {"event": "followup", "timestamp": None, "name": "utter_did_that_help"} in returned
    monkeypatch.setattr(bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("none", ()))
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker(events, intent="out_of_scope",
                                                            text="will we actually have to go?"), domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_out_of_scope"]


@pytest.mark.parametrize(("score", "said"), [(0.92, "utter_bank_closest"), (0.85, "utter_out_of_scope")])
def test_out_of_scope_with_two_close_send_answers_offers_the_closest_only_when_both_are_near(
        loaded_db, domain, monkeypatch, score, said) -> None:
    """"Can we get help paying for a carer at home" found Family Fund and direct payments for care, close together:
    the closest is offered, not "I can only help with SEND". Two close answers further off stay out of scope."""
    import actions.bank_reply as bank_reply
    from bot.answers.retrieval import AnswerHit, AnswerReply
    hits = tuple(AnswerHit(answer_id, "benefits", "Benefits", "Question?", "Answer.", score - drop, {})
                 for answer_id, drop in (("find-service-family-fund", 0.0), ("personal-budget-social-care", 0.01)))
    monkeypatch.setattr(bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("choose", hits))
    dispatcher, _ = run_action(ActionOutOfScope(), _tracker([], intent="out_of_scope",
                                                            text="can we get help paying for a carer at home"), domain)
    assert dispatcher.messages[0]["response"].removesuffix("_unchecked") == said


def test_a_family_outside_essex_asking_for_the_team_is_told_its_own_local_offer_first(loaded_db, domain,
                                                                                       monkeypatch) -> None:
    """Leigh-on-Sea is in Southend: asking whether Essex's SEND team covers them, a family got only Essex's numbers
    and never heard that Southend has its own Local Offer (probe set v9, read)."""
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    text = "we're in leigh-on-sea, does the essex local offer and essex SEND team cover us"
    dispatcher, _ = run_action(ActionStartHandoff(), _asked(text, 0.95), domain)
    responses = [message["response"] for message in dispatcher.messages]
    assert responses[0] == "utter_outside_area" and dispatcher.messages[0]["area"] == "Southend-on-Sea"
    assert responses[-1] == "utter_handoff_in_hours"


def test_a_family_in_essex_asking_for_the_team_gets_no_area_note(loaded_db, domain, monkeypatch) -> None:
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    dispatcher, _ = run_action(ActionStartHandoff(), _asked("we live in colchester, can I speak to someone", 0.95),
                               domain)
    assert [message["response"] for message in dispatcher.messages] == ["utter_handoff_in_hours"]


def test_a_follow_up_the_classifier_was_unsure_of_gets_the_answer_again_not_say_it_another_way(loaded_db,
                                                                                               domain) -> None:
    """Found on follow-up set v5 (read): "whose job is it then?" after the answer that the council must step in
    when a school cancels the review fell back to "Could you say it another way?", a dead end. Read joined to the
    question before, the bank finds the answer just said; it is said again. Alone it still gets no answer."""
    first = "DS special school cancelled his annual review AGAIN, say theyre short staffed"
    follow = "whose job is it then?"
    events = _answer_after(first, "annual_review", "annual-review-school-cant-hold", follow, "nlu_fallback")
    dispatcher, returned = run_action(ActionFallback(), _tracker(events, intent="nlu_fallback", text=follow), domain)
    said = [m["response"] for m in dispatcher.messages]
    assert said[0].removesuffix("_unchecked") == "utter_bank_answer_again", said
    assert {"event": "followup", "timestamp": None, "name": "utter_did_that_help"} in returned
    dispatcher, _ = run_action(ActionFallback(), _tracker([_user(follow, "nlu_fallback")], intent="nlu_fallback",
                                                          text=follow), domain)
    assert not any(m["response"].startswith("utter_bank_answer") for m in dispatcher.messages)


def test_a_follow_up_weakly_read_as_asking_for_a_person_gets_the_closest_answer_then_the_person(
        loaded_db, domain, monkeypatch) -> None:
    """Found on follow-up set v5 (read): "anything different about this one?" after the answer on a Year 9 review's
    notice was read as asking for a person (0.41) and got only the team's numbers; the bank's closest answer, read
    with the message before, was the Year 9 review's look at adult life. A clear request stays the person alone."""
    _at(monkeypatch, datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    follow = "anything different about this one?"
    before = _answer_after("DS year 9 annual review invite just came thru for january", "annual_review",
                           "annual-review-notice-and-reports", follow, "request_human")[:-1]

    def turn(confidence: float, text: str = follow) -> Tracker:
        latest = {"text": text, "intent": {"name": "request_human", "confidence": confidence},
                  "intent_ranking": [{"name": "request_human", "confidence": confidence}]}
        events = before + [{"event": "user", "text": text, "parse_data": latest}]
        return Tracker("family-1", {}, latest, events, False, None, {}, "action_listen")

    # Weakly read, or surely read but naming no person (follow-up set v8, read: "can i just write to the head?" at
    # 0.61): the closest answer, then the person.
    for confidence in (0.41, 0.9):
        dispatcher, _ = run_action(ActionStartHandoff(), turn(confidence), domain)
        responses = [message["response"] for message in dispatcher.messages]
        assert responses[0].removesuffix("_unchecked") == "utter_bank_closest", responses
        assert "adult" in dispatcher.messages[0]["answer"].lower()
        assert responses[-1] == "utter_handoff_in_hours"
    for request in ("can I speak to someone about this one?", "i want to talk to a real person", "phone number?"):
        dispatcher, _ = run_action(ActionStartHandoff(), turn(0.9, request), domain)
        assert [message["response"] for message in dispatcher.messages] == ["utter_handoff_in_hours"], request
