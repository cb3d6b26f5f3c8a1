"""The chat's one call into the answer bank: an answer for a clear question, nothing for a button or an
empty message, and None (not an error) when the bank cannot be read."""
from __future__ import annotations

import bot.answers.for_chat as for_chat
from bot.answers.for_chat import reply_for


def test_a_clear_question_gets_its_answer(loaded_db) -> None:
    reply = reply_for("how long do I have to comment on the draft EHC plan", "draft_plan")
    assert reply is not None and reply.kind in ("answer", "choose")
    assert "15 days" in reply.hits[0].answer


def test_buttons_and_empty_messages_are_not_looked_up(loaded_db) -> None:
    assert reply_for("/affirm") is None and reply_for("   ") is None


def test_a_bank_that_cannot_be_read_gives_none(loaded_db, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("database down")
    monkeypatch.setattr(for_chat, "find_answers", broken)
    assert reply_for("what is an ehcp") is None
