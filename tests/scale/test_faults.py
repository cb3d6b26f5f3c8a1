"""What a family sees when part of the replicated tier fails, and that nothing is half-written or lost.

What Rasa 3.6 does by itself (found by these tests, see deploy/README.md "When something fails"):
- action server refusing connections: RemoteAction raises, the processor logs "Encountered an exception
  while running action", drops the action's events and carries on. The REST reply is then whatever came
  next: "Did this help?" with no answer, "Sorry, I didn't quite understand" after "talk to a person", or
  an empty list (silence) for a safeguarding message. Status 200 every time.
- Redis lock store down: LockStore.issue_ticket raises LockError before the message is processed; RestInput
  catches it and answers 200 with an empty list (silence). The tracker is untouched; the redis client
  reconnects by itself when Redis is back.
The kind reply the family must get instead comes from the project's REST channel
(channels/local_offer_rest.py: "when the agent raised or produced no reply at all, answer with a kind
message that includes the helpline number") and, in production, from nginx's fallback for the action
upstream (deploy/nginx.conf). These tests hold the tier to that behaviour.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.scale.tier import CONTENT_DB, Tier, new_sender, pg_url, set_database_open, texts, user_texts

pytestmark = pytest.mark.timeout(900)

# Any of the helpline's numbers (data/local_offer/helpline.yml: 0333 013 xxxx).
HELPLINE = re.compile(r"0333\s?013\s?\d{4}")
GUIDANCE_QUESTION = "how long does an EHC needs assessment take?"


def _content_engine():
    return create_engine(pg_url(CONTENT_DB), future=True)


def _handoff_rows(sender: str) -> list[tuple[Any, ...]]:
    engine = _content_engine()
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(
                "SELECT kind, first_name, contact, consent FROM handoff_request WHERE conversation_id = :c "
                "ORDER BY id"), {"c": sender})]
    finally:
        engine.dispose()


def _assert_kind(reply: str, situation: str) -> None:
    assert reply.strip(), f"{situation}: the family got silence"
    assert HELPLINE.search(reply), f"{situation}: no helpline number in {reply!r}"


def _finish_callback(tier: Tier, sender: str, replica: int) -> str:
    """Ask for a person again in the same conversation and answer what the callback offer and form ask
    until the request is saved (at most 6 turns)."""
    # The offer is matched first: it also mentions "first name" and "phone number or email".
    answers = {"contact you when they open": "/affirm", "first name": "Sam",
               "phone number or email": "07700 900123", "Which town or area": "/deny", "Is that OK?": "/affirm"}
    reply = texts(tier.say(replica, sender, "/request_human"))
    for _ in range(6):
        if "saved" in reply and "couldn't save" not in reply:
            return reply
        question = next((q for q in answers if q in reply), None)
        assert question, f"unexpected reply while retrying the callback: {reply!r}"
        replica = 1 - replica
        reply = texts(tier.say(replica, sender, answers[question]))
    return reply


def test_action_server_down_still_gets_a_kind_reply(tier: Tier) -> None:
    """Replica B's own action server is gone (no nginx in front here: see test_nginx.py for that set-up)."""
    messages = (GUIDANCE_QUESTION, "/request_human", "my child is being hurt at home")
    tier.services["actions_b"].kill(signal.SIGKILL)
    try:
        replies = {message: texts(tier.say(1, new_sender("noactions"), message)) for message in messages}
    finally:
        tier.restart("actions_b")
    assert "Did this help?" in texts(tier.say(1, new_sender("actionsback"), GUIDANCE_QUESTION))
    unkind = {m: r for m, r in replies.items() if not r.strip() or not HELPLINE.search(r)}
    assert not unkind, f"action server down: no kind reply with the helpline number for {unkind}"
    assert "999" in replies["my child is being hurt at home"]


def test_local_offer_database_down_gets_a_kind_reply_and_writes_nothing(tier: Tier) -> None:
    sender = new_sender("nodb")
    # Payloads, not typed text: typed text would be spooled to var/spool/ when the database is down.
    assert "contact you when they open" in texts(tier.say(0, sender, "/request_human"))
    assert "first name" in texts(tier.say(1, sender, "/affirm"))
    assert "phone number or email" in texts(tier.say(0, sender, "Sam"))
    assert "Which town or area" in texts(tier.say(1, sender, "07700 900123"))  # no place named yet
    assert "Is that OK?" in texts(tier.say(0, sender, "/deny"))  # "I'd rather not say"
    set_database_open(CONTENT_DB, False)
    try:
        answer = texts(tier.say(0, new_sender("nodbguidance"), GUIDANCE_QUESTION))
        _assert_kind(answer, "database down, a guidance question")
        consented = texts(tier.say(0, sender, "/affirm"))
        _assert_kind(consented, "database down, saving a callback")
        assert "couldn't save your request" in consented
        assert "is saved" not in consented
    finally:
        set_database_open(CONTENT_DB, True)
    assert _handoff_rows(sender) == []
    # Back up: the family can ask again, and exactly one request is saved.
    assert "is saved" in _finish_callback(tier, sender, 1)
    assert _handoff_rows(sender) == [("callback", "Sam", "07700900123", True)]


def test_action_server_killed_while_saving_a_callback(tier: Tier) -> None:
    sender = new_sender("killsave")
    assert "contact you when they open" in texts(tier.say(0, sender, "/request_human"))
    assert "first name" in texts(tier.say(1, sender, "/affirm"))
    assert "phone number or email" in texts(tier.say(0, sender, "Sam"))
    assert "Which town or area" in texts(tier.say(1, sender, "07700 900123"))  # no place named yet
    assert "Is that OK?" in texts(tier.say(0, sender, "/deny"))  # "I'd rather not say"

    engine = _content_engine()
    holder = engine.connect()
    holder_tx = holder.begin()
    holder.execute(text("LOCK TABLE handoff_request IN ACCESS EXCLUSIVE MODE"))
    outcome: dict[str, Any] = {}

    def consent() -> None:
        try:
            outcome["reply"] = texts(tier.say(0, sender, "/affirm", timeout=600))
        except Exception as error:  # reported below, never swallowed
            outcome["error"] = error

    thread = threading.Thread(target=consent)
    try:
        thread.start()
        deadline = time.monotonic() + 120
        while True:  # until the action server's INSERT waits for our lock
            # A fresh connection each time: pg_stat_activity is a snapshot within one transaction.
            with engine.connect() as probe:
                waiting = probe.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock' "
                    "AND query ILIKE 'INSERT INTO handoff_request%'"), {"db": CONTENT_DB}).scalar_one()
            if waiting:
                break
            assert time.monotonic() < deadline, "the callback save never reached the database"
            time.sleep(0.2)
        tier.services["actions_a"].kill(signal.SIGKILL)
        thread.join(timeout=300)
    finally:
        holder_tx.rollback()
        holder.close()
    assert not thread.is_alive(), "Rasa never answered the turn whose action server was killed"
    assert "error" not in outcome, outcome.get("error")
    reply = outcome["reply"]
    assert "is saved" not in reply and "Thank you, Sam" not in reply, reply

    # The orphaned INSERT ran once the lock was released, but its client is gone: it must never commit.
    deadline = time.monotonic() + 60
    while True:
        with engine.connect() as connection:
            left = connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                "AND query ILIKE 'INSERT INTO handoff_request%' AND state <> 'idle'"),
                {"db": CONTENT_DB}).scalar_one()
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    engine.dispose()
    assert _handoff_rows(sender) == []

    tier.restart("actions_a")
    assert "is saved" in _finish_callback(tier, sender, 0)
    assert _handoff_rows(sender) == [("callback", "Sam", "07700900123", True)]
    # Last, so the checks on the data above always run: the family was told something kind, not nothing.
    _assert_kind(reply, "action server killed while saving")


def test_a_replica_killed_mid_conversation_carries_on_from_the_tracker_store(tier: Tier) -> None:
    sender = new_sender("restart")
    assert "How old is your child" in texts(tier.say(0, sender, "is there speech therapy in Colchester"))
    tier.services["rasa_a"].kill(signal.SIGKILL)
    try:
        # The other replica serves families while A is down.
        assert "Hello" in texts(tier.say(1, new_sender("meanwhile"), "hello"))
    finally:
        tier.restart("rasa_a")
    tracker = tier.tracker(sender, replica=0)
    assert tracker["active_loop"].get("name") == "service_search_form"
    assert tracker["slots"]["requested_slot"] == "search_age"
    assert "Here are the services that best match" in texts(tier.say(0, sender, "7"))
    assert tier.tracker(sender, replica=1)["slots"]["search_age"] == "7"


def test_redis_down_gets_a_kind_reply_and_recovers(tier: Tier) -> None:
    sender = new_sender("noredis")
    assert "How old is your child" in texts(tier.say(0, sender, "is there speech therapy in Colchester"))
    tier.services["redis"].kill(signal.SIGKILL)
    try:
        assert not tier.redis_up()
        during = [texts(tier.say(replica, sender, "7")) for replica in (0, 1)]
    finally:
        tier.restart("redis")
    # Nothing was half-processed while the lock store was away: the age question is still open.
    tracker = tier.tracker(sender, replica=1)
    assert user_texts(tracker) == ["is there speech therapy in Colchester"]
    assert tracker["slots"]["requested_slot"] == "search_age"
    # Both replicas use Redis again without a restart.
    assert "Here are the services that best match" in texts(tier.say(1, sender, "7"))
    assert "Hello" in texts(tier.say(0, new_sender("redisback"), "hello"))
    for replica, reply in enumerate(during):
        _assert_kind(reply, f"Redis down, replica {replica}")
