"""Two Rasa replicas behind no sticky session: each turn of a conversation goes to the other replica, and
the conversation must stay coherent because the tracker lives in PostgreSQL and the Redis lock store
serialises the turns of one conversation.

Why it matters: a load balancer (nginx, Kubernetes) sends a family's next message wherever it likes. If the
replicas did not share the tracker, a family half-way through the service search would be asked again.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text

from tests.scale.tier import CONTENT_DB, Tier, new_sender, pg_url, texts, user_texts

pytestmark = pytest.mark.timeout(900)

AGE_QUESTION = "How old is your child"
RESULTS_INTRO = "Here are the services that best match"


def _alternate(tier: Tier, sender: str, messages: list[str], first: int = 0) -> list[str]:
    """Send each message to the replica the previous one did not go to; the reply text of each turn."""
    return [texts(tier.say((first + turn) % 2, sender, message)) for turn, message in enumerate(messages)]


def test_the_search_form_carries_on_on_the_other_replica(tier: Tier) -> None:
    sender = new_sender("search")
    asked = texts(tier.say(0, sender, "is there speech therapy in Colchester"))
    assert AGE_QUESTION in asked

    answered = texts(tier.say(1, sender, "7"))
    assert RESULTS_INTRO in answered
    assert "Colchester" in answered or "Essex" in answered
    assert AGE_QUESTION not in answered  # the other replica knew the age was the only thing missing

    slots = tier.tracker(sender, replica=0)["slots"]
    assert slots["search_topic"] == "Speech and language therapy"
    assert slots["search_area"] == "Colchester"
    assert slots["search_age"] == "7"
    assert slots["requested_slot"] is None
    # Both replicas read the same tracker.
    assert tier.tracker(sender, replica=1)["slots"] == slots


def test_two_no_answers_across_replicas_hand_off_to_a_person(tier: Tier) -> None:
    sender = new_sender("noes")
    replies = _alternate(tier, sender, [
        "how long does an EHC needs assessment take?",
        "/deny",
        "what is an EHC plan?",
        "/deny",
    ])
    assert "Did this help?" in replies[0]
    assert "Sorry that didn't help" in replies[1]
    assert "Did this help?" in replies[2]
    # The second "No" was counted although the first one was handled by the other replica.
    assert "put you in touch with a person" in replies[3]
    assert "The SEND team is closed just now" in replies[3]  # the tier's helpline is never open
    assert "contact you when they open" in replies[3]

    tracker = tier.tracker(sender, replica=1)
    assert tracker["slots"]["handoff_reason"] == "not_helped"
    assert tracker["slots"]["handoff_out_of_hours"] is True
    assert user_texts(tracker) == ["how long does an EHC needs assessment take?", "/deny",
                                   "what is an EHC plan?", "/deny"]


def test_the_callback_form_fills_across_replicas_and_saves_once(tier: Tier) -> None:
    sender = new_sender("callback")
    replies = _alternate(tier, sender, ["talk to a person", "/affirm", "Sam", "07700 900123", "/deny", "/affirm"])
    assert "closed just now" in replies[0]
    assert "first name" in replies[1]
    assert "phone number or email" in replies[2]
    assert "Which town or area" in replies[3]  # no place named in this conversation; "/deny" is "rather not say"
    assert "Is that OK?" in replies[4]
    assert "Thank you, Sam. Your request is saved" in replies[5]

    engine = create_engine(pg_url(CONTENT_DB), future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT kind, first_name, contact, consent FROM handoff_request WHERE conversation_id = :c"
            ), {"c": sender}).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("callback", "Sam", "07700900123", True)]


def test_interleaved_conversations_lose_and_duplicate_nothing(tier: Tier) -> None:
    """Six families at once, each alternating replicas; every turn is in the tracker once, in order."""
    scripts = {
        new_sender(f"many{n}"): ["hello", "how long does an EHC needs assessment take?", "/affirm",
                                 "is there speech therapy in Colchester", str(age), "thank you"]
        for n, age in enumerate([7, 4, 12, 9, 15, 6])
    }

    def run(item: tuple[int, tuple[str, list[str]]]) -> tuple[str, list[str]]:
        index, (sender, messages) = item
        return sender, _alternate(tier, sender, messages, first=index % 2)

    with ThreadPoolExecutor(max_workers=len(scripts)) as pool:
        results = dict(pool.map(run, enumerate(scripts.items())))

    for sender, messages in scripts.items():
        replies = results[sender]
        assert all(reply.strip() for reply in replies), (sender, replies)  # no silent turn
        assert "Did this help?" in replies[1]
        assert "glad that helped" in replies[2]
        assert AGE_QUESTION in replies[3], (sender, replies)
        assert RESULTS_INTRO in replies[4] or "couldn't find" in replies[4], (sender, replies)
        tracker = tier.tracker(sender, replica=len(sender) % 2)
        assert user_texts(tracker) == messages, sender
        bot_turns = [e for e in tracker["events"] if e.get("event") == "bot"]
        assert len(bot_turns) == len({(e["timestamp"], e.get("text")) for e in bot_turns})  # no duplicates
