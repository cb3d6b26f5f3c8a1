"""A short question the classifier took for a reply ("yes", "no", "bye", "thanks") is a follow-up question."""
from __future__ import annotations

import pytest

from bot.conversation.followups import question_not_a_reply


@pytest.mark.parametrize(("text", "intent"), [
    ("is that right?", "affirm"), ("should it be like that?", "deny"), ("are we out of time?", "goodbye"),
    ("what happens after that", "thank"), ("so whats the last day", "affirm"), ("isn't that too late?", "deny"),
    ("will that still be free?", "bot_challenge"),  # found on a follow-up set: about the transport, not the bot
])
def test_a_question_read_as_a_reply_is_a_follow_up(text: str, intent: str) -> None:
    assert question_not_a_reply(text, intent)


@pytest.mark.parametrize(("text", "intent"), [
    ("yes", "affirm"), ("no it didn't", "deny"), ("thanks, bye", "goodbye"), ("ok?", "affirm"),
    ("no, is there anyone else I can talk to?", "deny"),  # a "no", then a question: still a "no"
    ("yes that helped, thank you", "affirm"), ("thank you so much", "thank"),
    ("is that right?", "request_human"), ("are you a robot?", "bot_challenge"),  # other intents are left alone
    ("is this a real person?", "bot_challenge"), ("am i talking to a computer", "bot_challenge"),
    ("is this automated?", "bot_challenge"), ("what are u", "bot_challenge"),
])
def test_replies_and_other_intents_are_left_alone(text: str, intent: str) -> None:
    assert not question_not_a_reply(text, intent)


def test_a_statement_that_opens_like_a_question_is_no_question() -> None:
    assert not question_not_a_reply("have to go, the kids are home", "goodbye")
    assert question_not_a_reply("have they got to tell us", "deny")


def test_no_reply_in_the_training_data_or_held_out_sets_reads_as_a_question() -> None:
    """Every affirm, deny, goodbye, thank and bot_challenge example we wrote stays what it is."""
    import re
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    files = sorted((root / "data" / "nlu").glob("*.yml")) + sorted((root / "tests" / "nlu").glob("heldout*.yml"))
    turned = []
    for path in files:
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            if block.get("intent") in ("affirm", "deny", "goodbye", "thank", "bot_challenge"):
                for line in block["examples"].splitlines():
                    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line.strip()[2:])
                    if question_not_a_reply(text, block["intent"]):
                        turned.append(text)
    assert turned == []
