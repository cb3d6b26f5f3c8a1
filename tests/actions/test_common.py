"""What every action shares: the transcript staff read, and the question whose "No" answers are counted."""
from __future__ import annotations

import yaml

import actions.common as common
from bot.config import ROOT
from tests.actions.conftest import make_tracker


def test_the_rules_that_count_no_answers_follow_the_question_the_actions_ask() -> None:
    """The actions end an answer by asking FEEDBACK_QUESTION; a "No" counts towards a handoff only if the rules
    that catch it follow that same response."""
    rules = yaml.safe_load((ROOT / "data" / "rules" / "conversation.yml").read_text())["rules"]
    asked_before = {rule["rule"]: rule["steps"][0].get("action") for rule in rules}
    assert asked_before["it did not help"] == common.FEEDBACK_QUESTION
    assert asked_before["it helped"] == common.FEEDBACK_QUESTION


def test_transcripts_show_the_words_of_the_button_a_family_clicked() -> None:
    tracker = make_tracker("/affirm", "affirm")
    tracker.events.extend([
        {"event": "user", "text": "what is an ehcp"},
        {"event": "bot", "text": "Did this help?", "data": {"buttons": [{"title": "Yes, thanks", "payload": "/affirm"},
                                                                        {"title": "No", "payload": "/deny"}]}},
        {"event": "user", "text": "/affirm"},
        {"event": "user", "text": "/something_never_offered"},
    ])
    assert common.transcript(tracker) == [("user", "what is an ehcp"), ("bot", "Did this help?"),
                                          ("user", "[clicked: Yes, thanks]"), ("user", "[clicked a button]")]


# Issue #17 item 9: a safeguarding flag says where the family lives, so the right team picks it up.

def _stored(sender: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from bot.db import models as m
    from bot.db.session import session_scope

    with session_scope() as session:
        rows = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.conversation_id == sender)
                               .order_by(m.HandoffRequest.id)).scalars().all()
        session.expunge_all()
        return rows


def _said_colchester_then(text: str, intent: str, sender: str):  # type: ignore[no-untyped-def]
    tracker = make_tracker(text, intent)
    tracker.sender_id = sender
    tracker.events.extend([
        {"event": "user", "text": "we live in Colchester",
         "parse_data": {"intent": {"name": "inform"}, "entities": [{"entity": "district", "value": "Colchester"}]}},
        {"event": "bot", "text": "Thanks."},
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}},
    ])
    return tracker


def test_an_immediate_risk_flag_after_the_family_named_colchester_has_that_area_and_its_team(
        loaded_db, domain) -> None:
    from actions.safeguarding_actions import ActionSafeguarding
    from tests.actions.conftest import run_action

    sender = "flag-area-immediate"
    tracker = _said_colchester_then("he said he wants to die", "safeguarding_urgent", sender)
    tracker.latest_message["safeguarding"] = {"tier": "immediate", "reason": "suicide_self_harm"}
    run_action(ActionSafeguarding(), tracker, domain)
    [flag] = _stored(sender)
    assert (flag.reason, flag.area, flag.quadrant) == ("safeguarding", "Colchester", "north_east")


def test_a_possible_concern_flag_has_the_area_too_and_none_when_no_place_was_named(loaded_db) -> None:
    from bot.safeguarding.tiers import CONCERN

    common.flag_for_staff(_said_colchester_then("i'm not coping", "sen_support", "flag-area-concern"),
                          CONCERN, "distress")
    [flag] = _stored("flag-area-concern")
    assert (flag.area, flag.quadrant) == ("Colchester", "north_east")
    nowhere = make_tracker("i'm not coping", "sen_support")
    nowhere.sender_id = "flag-area-unknown"
    common.flag_for_staff(nowhere, CONCERN, "distress")
    [flag] = _stored("flag-area-unknown")
    assert (flag.area, flag.quadrant) == (None, None)


def test_the_family_place_is_the_newest_place_named_and_anywhere_is_no_place(loaded_db) -> None:
    tracker = _said_colchester_then("anywhere", "inform", "place-order")
    tracker.slots["search_area"] = "any"
    assert common.family_place(tracker).fields() == {"area": "Colchester", "quadrant": "north_east"}
    tracker.latest_message["entities"] = [{"entity": "district", "value": "Harlow"}]
    assert common.family_place(tracker).fields() == {"area": "Harlow", "quadrant": "west"}


def test_blocking_work_runs_off_the_event_loop_so_other_families_are_not_kept_waiting() -> None:
    import asyncio
    import threading
    import time

    from rasa_sdk.executor import CollectingDispatcher

    loop_threads: list[int] = []

    class Slow(common.SafeAction):
        def name(self) -> str:
            return "action_slow_test"

        def act(self, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
            loop_threads.append(threading.get_ident())
            time.sleep(0.3)  # a slow database call
            return []

    async def two_families() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(Slow().run(CollectingDispatcher(), make_tracker("hi", "greet"), {}) for _ in range(2)))
        return time.perf_counter() - started

    elapsed = asyncio.run(two_families())
    assert elapsed < 0.55, elapsed  # side by side, not one after the other (0.6 s)
    assert threading.get_ident() not in loop_threads
