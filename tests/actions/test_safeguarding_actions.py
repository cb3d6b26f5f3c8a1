"""Safeguarding replies for both tiers: routes for where the family lives, the question still answered, and
a queue entry staff can triage (immediate risk and possible concern kept apart, each with its reason)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

import actions.common as common
from actions.guidance_actions import ActionAnswerGuidance
from actions.safeguarding_actions import ActionSafeguarding, question_behind
from bot.db import models as m
from bot.db.session import session_scope
from tests.actions.conftest import follow_up_after_answer, make_tracker, run_action

SATURDAY_NOON = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
MONDAY_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
CHRISTMAS_DAY_TEN = datetime(2026, 12, 25, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def at(monkeypatch):
    def set_time(moment: datetime) -> None:
        monkeypatch.setattr(common, "utc_now", lambda: moment)
    set_time(MONDAY_TEN)
    return set_time


def _immediate(text: str, reason: str = "suicide_self_harm", ranking=None, entities=None, slots=None):
    tracker = make_tracker(text, "safeguarding_urgent", slots=slots, entities=entities)
    tracker.latest_message["intent"] = {"name": "safeguarding_urgent", "safety_net": reason, "tier": "immediate"}
    tracker.latest_message["safeguarding"] = {"tier": "immediate", "reason": reason}
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c}
                                                for n, c in (ranking or [("safeguarding_urgent", 1.0)])]
    return tracker


def _flags(sender: str = "test-sender") -> list[m.HandoffRequest]:
    with session_scope() as session:
        rows = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.conversation_id == sender)
                               .order_by(m.HandoffRequest.id)).scalars().all()
        session.expunge_all()
        return rows


def _clear_flags() -> None:
    with session_scope() as session:
        for row in session.execute(select(m.HandoffRequest)).scalars():
            session.delete(row)


def test_immediate_risk_gives_999_first_then_the_essex_lines_and_one_line_for_the_other_councils(
        loaded_db, domain, at) -> None:
    _clear_flags()
    dispatcher, _ = run_action(ActionSafeguarding(), _immediate("he said he wants to die"), domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_safeguarding"
    lines = first["routes"].splitlines()
    assert lines[0] == "If a child is in danger right now, call 999."
    assert lines[1].startswith("- Police, fire or ambulance: 999")
    assert "Essex Children and Families Hub: 0345 603 7627. Open now" in lines[2]  # Monday 10am
    assert "0345 606 1212" in lines[3]
    assert "0800 1111" in first["routes"]  # Childline, for a young person at risk
    assert lines[-1].startswith("Live in Southend or Thurrock?") and "01702 215007" in lines[-1] \
        and "01375 652802" in lines[-1]
    assert len(lines) <= 8  # short enough to read on a phone
    [flag] = _flags()
    assert (flag.kind, flag.reason, flag.flag_reason) == ("flag", "safeguarding", "suicide_self_harm")


@pytest.mark.parametrize("moment", [SATURDAY_NOON, CHRISTMAS_DAY_TEN])
def test_at_weekends_and_on_bank_holidays_the_out_of_hours_line_comes_first_and_says_it_is_open(
        loaded_db, domain, at, moment) -> None:
    at(moment)
    dispatcher, _ = run_action(ActionSafeguarding(), _immediate("he said he wants to die"), domain)
    lines = dispatcher.messages[0]["routes"].splitlines()
    assert "0345 606 1212. Open now" in lines[2] and "weekends and bank holidays" in lines[2]
    assert "0345 603 7627" in lines[3] and "Open now" not in lines[3]


def test_a_family_in_southend_gets_southends_own_routes(loaded_db, domain, at) -> None:
    tracker = _immediate("my son has run away", "missing_signs",
                         entities=[{"entity": "outside_area", "value": "southend"}])
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    routes = dispatcher.messages[0]["routes"]
    assert "Southend children's social care: 01702 215007" in routes
    assert "0345 603 7627" not in routes and "01375" not in routes and "Live in" not in routes


def test_a_family_in_thurrock_gets_thurrocks_own_routes_from_a_place_named_earlier(loaded_db, domain, at) -> None:
    tracker = _immediate("my dad hits my mum", "domestic_abuse")
    tracker.events.append({"event": "user", "text": "we live in grays",
                           "parse_data": {"entities": [{"entity": "outside_area", "value": "grays"}]}})
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    routes = dispatcher.messages[0]["routes"]
    assert "Thurrock Multi-Agency Safeguarding Hub: 01375 652802" in routes and "01375 372468" in routes
    assert "0345 603 7627" not in routes


def test_a_family_in_colchester_gets_essex_routes_without_the_other_councils(loaded_db, domain, at) -> None:
    tracker = _immediate("she took an overdose", "immediate_danger", slots={"search_area": "Colchester"})
    routes = run_action(ActionSafeguarding(), tracker, domain)[0].messages[0]["routes"]
    assert "0345 603 7627" in routes and "Live in" not in routes


def test_without_its_file_the_reply_still_says_999(domain, monkeypatch, at) -> None:
    import actions.safeguarding_actions as module

    def broken(*args, **kwargs):
        raise OSError("file missing")
    monkeypatch.setattr(module, "immediate_reply", broken)
    dispatcher, _ = run_action(ActionSafeguarding(), _immediate("help"), domain)
    assert dispatcher.messages[0]["response"] == "utter_safeguarding_fallback"


def test_the_question_behind_an_immediate_risk_is_answered_after_the_routes(loaded_db, domain, at) -> None:
    tracker = _immediate("he is not safe at home and when will the EHC assessment decision come", "abuse_harm",
                         ranking=[("safeguarding_urgent", 1.0), ("assessment_timeline", 0.41), ("sen_support", 0.1)])
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert responses[0] == "utter_safeguarding"
    assert responses[1] == "utter_safeguarding_also_asked"
    # the bank's closest answer on when the decision comes (near, not sure), headed by its question, or the summary
    assert responses[2].startswith(("utter_bank_closest", "utter_guidance_summary"))
    assert "assessment" in str(dispatcher.messages[2].get("answer", dispatcher.messages[2].get("summary"))).lower()
    assert any(e.get("name") == "guidance_topic" and e.get("value") for e in events)


def test_after_the_routes_a_near_answer_is_said_as_the_closest_not_the_topics_summary(loaded_db, domain, at) -> None:
    """Probes v6: the routes came first, as they must, and then only the refusals summary, though the bank's
    answer on asking again within six months was first (near, not sure)."""
    text = ("The LA did an EHC needs assessment for DS five months ago and decided not to issue a plan. Since then "
            "he's started self harming. Another mum told me I'm not allowed to ask again until six months have "
            "passed. Is that true?")
    tracker = _immediate(text, "self_harm_signs",
                         ranking=[("safeguarding_urgent", 1.0), ("assessment_refused", 0.6), ("sen_support", 0.1)])
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert responses[:2] == ["utter_safeguarding", "utter_safeguarding_also_asked"]
    assert responses[2].startswith("utter_bank_closest"), responses
    assert "within 6 months" in dispatcher.messages[2]["answer"]


def test_no_extra_answer_when_the_model_had_no_other_real_idea(loaded_db, domain, at) -> None:
    tracker = _immediate("she has gone and we cannot find her", "missing_signs",
                         ranking=[("safeguarding_urgent", 1.0), ("find_service", 0.05)])
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    assert [msg["response"] for msg in dispatcher.messages] == ["utter_safeguarding"]
    assert events == []


def test_a_classifier_lean_answers_the_question_then_gives_one_line_never_the_full_list(
        loaded_db, domain, at) -> None:
    _clear_flags()
    tracker = make_tracker("who do I tell if I'm worried about a child and how long does an EHC needs assessment take",
                           "safeguarding_urgent")
    tracker.latest_message["intent"] = {"name": "safeguarding_urgent", "safety_net": "classifier", "tier": "concern"}
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "classifier 0.62"}
    tracker.latest_message["intent_ranking"] = [{"name": "safeguarding_urgent", "confidence": 1.0},
                                                {"name": "assessment_timeline", "confidence": 0.3}]
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert "utter_safeguarding" not in responses
    assert responses[0].startswith("utter_bank_answer") and responses[-1] == "utter_safeguarding_concern"
    assert "20 weeks" in dispatcher.messages[0]["answer"]  # the specific answer, not the topic's summary
    line = dispatcher.messages[-1]["line"]
    assert "Essex Children and Families Hub, 0345 603 7627" in line and "call 999" in line
    assert {"event": "slot", "name": "safeguarding_concern_noted", "value": True, "timestamp": None} in events
    [flag] = _flags()
    assert (flag.kind, flag.flag_reason) == ("concern", "classifier 0.62")


def test_a_lean_with_no_question_behind_it_still_gets_the_line_and_an_offer(loaded_db, domain, at) -> None:
    tracker = make_tracker("something words", "safeguarding_urgent")
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "classifier 0.9"}
    tracker.latest_message["intent_ranking"] = [{"name": "safeguarding_urgent", "confidence": 1.0}]
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    assert [msg["response"] for msg in dispatcher.messages] == ["utter_safeguarding_concern_alone",
                                                                "utter_safeguarding_concern"]


def test_a_worried_parents_question_is_answered_with_the_concern_line_after_it_once(loaded_db, domain, at) -> None:
    _clear_flags()
    tracker = make_tracker("wot is a sendco and how do i talk to them my daughter keeps coming home crying",
                           "sen_support")
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "distress"}
    dispatcher, events = run_action(ActionAnswerGuidance(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert responses[0].removesuffix("_unchecked") == "utter_bank_answer_sections"  # dated or "please check"
    assert responses[-1] == "utter_safeguarding_concern"
    assert "SENCO" in dispatcher.messages[0]["answer"]  # the question asked, answered first
    assert {"event": "slot", "name": "safeguarding_concern_noted", "value": True, "timestamp": None} in events
    [flag] = _flags()
    assert (flag.kind, flag.flag_reason) == ("concern", "distress")
    # Later in the same conversation the note is not repeated, and nothing more is queued.
    tracker.slots["safeguarding_concern_noted"] = True
    again, _ = run_action(ActionAnswerGuidance(), tracker, domain)
    assert "utter_safeguarding_concern" not in [msg["response"] for msg in again.messages]
    assert len(_flags()) == 1


def test_an_ordinary_question_gets_nothing_extra(loaded_db, domain, at) -> None:
    dispatcher, events = run_action(ActionAnswerGuidance(), make_tracker("what is a senco", "sen_support"), domain)
    assert "utter_safeguarding_concern" not in [msg["response"] for msg in dispatcher.messages]


def test_a_cautious_classifier_flag_still_answers_the_clear_question_behind_it() -> None:
    ranking = [{"name": "safeguarding_urgent", "confidence": 1.0}, {"name": "diagnosis_pathway", "confidence": 0.004},
               {"name": "sen_support", "confidence": 0.001}]
    cautious = {"intent": {"name": "safeguarding_urgent", "safety_net": "classifier"},
                "safeguarding": {"tier": "concern", "reason": "classifier 0.4"}, "intent_ranking": ranking}
    pattern = {"intent": {"name": "safeguarding_urgent", "safety_net": "suicide_self_harm"},
               "safeguarding": {"tier": "immediate", "reason": "suicide_self_harm"}, "intent_ranking": ranking}
    noise = {"intent": {"name": "safeguarding_urgent", "safety_net": "classifier"},
             "safeguarding": {"tier": "concern", "reason": "classifier 0.4"},
             "intent_ranking": [ranking[0], {"name": "sen_support", "confidence": 0.0002}]}
    assert question_behind(cautious) == "diagnosis_pathway"
    assert question_behind(pattern) is None
    assert question_behind(noise) is None



def test_the_issues_sendco_message_gets_its_question_answered_with_one_line_of_routes(loaded_db, domain, at) -> None:
    """The model put nearly all its belief on safeguarding, so no topic stands behind it: the words still find
    the question in the answer bank, and the routes are one line, never the full list."""
    tracker = make_tracker("wot is a sendco and how do i talk to them my daughter keeps coming home crying",
                           "safeguarding_urgent")
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "classifier 0.83"}
    tracker.latest_message["intent_ranking"] = [
        {"name": "safeguarding_urgent", "confidence": 1.0}, {"name": "request_human", "confidence": 0.073},
        {"name": "independent_advice", "confidence": 0.037}, {"name": "sen_support", "confidence": 0.03},
        {"name": "greet", "confidence": 0.03}]
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert [responses[0].removesuffix("_unchecked"), *responses[1:]] == ["utter_bank_answer",
                                                                          "utter_safeguarding_concern"]
    # said like every bank answer: with its last-checked date, or with the Local Offer to check it on
    answer = dispatcher.messages[0]
    assert bool(answer["last_checked"]) == (answer["response"] == "utter_bank_answer") and answer["link"]
    assert "special educational needs co-ordinator (SENCO)" in dispatcher.messages[0]["answer"]


def test_an_ordinary_question_read_as_a_possible_concern_keeps_its_specific_answer(loaded_db, domain, at) -> None:
    """Found chatting: ordinary school life the classifier leans to safeguarding on (a suspension) was given the SEN
    support summary and the one line; the answer on suspensions comes first now, as for any question."""
    tracker = make_tracker("my son got excluded for 5 days today, what can I do", "safeguarding_urgent")
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "classifier 0.39"}
    tracker.latest_message["intent_ranking"] = [{"name": "safeguarding_urgent", "confidence": 1.0},
                                                {"name": "sen_support", "confidence": 0.35}]
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert responses[0].startswith("utter_bank_answer") and responses[-1] == "utter_safeguarding_concern"
    assert "utter_guidance_summary" not in responses and "utter_safeguarding" not in responses
    assert "governors" in dispatcher.messages[0]["answer"]  # the answer on a short suspension


def test_after_the_routes_for_self_harm_what_comes_next_is_read_as_about_mental_health(loaded_db, domain,
                                                                                       at) -> None:
    """Follow-up set v5 (read): "can I refer her myself?" after a daughter's self-harm was read alone and found the
    autism referral answer. The routes now leave mental health as the topic, so the next message is read with this
    one; other dangers (a missing child) leave no topic."""
    tracker = _immediate("DD has started self harming, found marks on her arms last night")
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    assert [msg["response"] for msg in dispatcher.messages] == ["utter_safeguarding"]
    assert {"event": "slot", "timestamp": None, "name": "guidance_topic", "value": "mental_health"} in events
    _, events = run_action(ActionSafeguarding(), _immediate("she has gone and we cannot find her", "missing_signs"),
                           domain)
    assert events == []


def test_a_follow_up_leaning_to_safeguarding_gets_the_answer_it_follows_again_with_the_line(loaded_db, domain,
                                                                                             at) -> None:
    """Follow-up set v6 (read): "can she keep going once shes an adult?" after the answer on short breaks after 18
    leaned to safeguarding (the concern tier, nothing behind it) and got the routes with no answer at all. Read with
    the message before, it asks what that answer says: it is said again, headed as such, then the one line."""
    tracker = follow_up_after_answer("DD is 17, autistic, and absolutely loves her short breaks club in Chelmsford on "
                                     "saturdays", "adult-care-at-18-short-breaks-after-18",
                                     "can she keep going once shes an adult?", "safeguarding_urgent", "short_breaks")
    tracker.latest_message["safeguarding"] = {"tier": "concern", "reason": "classifier 0.6"}
    tracker.latest_message["intent_ranking"] = [{"name": "safeguarding_urgent", "confidence": 1.0}]
    said = tracker.events[1]["text"]
    dispatcher, _ = run_action(ActionSafeguarding(), tracker, domain)
    responses = [msg["response"] for msg in dispatcher.messages]
    assert responses[0].removesuffix("_unchecked") == "utter_bank_answer_again", responses
    assert dispatcher.messages[0]["answer"] == said
    assert responses[-1] == "utter_safeguarding_concern"
