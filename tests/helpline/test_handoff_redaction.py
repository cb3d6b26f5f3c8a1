"""A stored transcript has the values the conversation holds removed too: a callback's first name and
contact, wherever the family typed them (issue #18: 'redact the slot values the bot already knows')."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import models as m
from bot.helpline.handoff import format_transcript, save_callback


def test_known_values_are_removed_even_where_the_rules_would_miss_them() -> None:
    turns = [("user", "zuri has an ehcp and we need help"), ("bot", "Who should we call?"),
             ("user", "call on 07700 900 123 please")]
    plain = format_transcript(turns)
    known = format_transcript(turns, ("Zuri", "07700900123"))
    assert "zuri" in plain.lower()  # an unusual name alone, nothing around it: the general rules let it through
    assert "zuri" not in known.lower() and "900 123" not in known and "07700" not in known
    assert "Assistant: Who should we call?" in known


def test_a_saved_callback_transcript_leaves_out_the_name_given(loaded_db, session) -> None:
    reference = save_callback("conv-known", "asked", None, "Zuri", "07700900123", "Yes, call me",
                              [("user", "zuri has an ehcp and we need help")])
    stored = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.reference == reference)).scalar_one()
    assert "zuri" not in stored.transcript_redacted.lower()
    assert stored.first_name == "Zuri"  # the callback itself still has what the family agreed to give
