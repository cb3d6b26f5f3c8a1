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


def _top(reply) -> str:
    assert reply is not None and reply.kind == "answer"
    return reply.hits[0].id


def test_a_short_follow_up_is_read_with_the_question_before_it(loaded_db) -> None:
    """Alone, these find nothing or another topic's answer; after the question before them, their own."""
    ranking = [{"name": "draft_plan", "confidence": 0.6}]
    alone = reply_for("how long do I have to reply", "draft_plan", ranking, "draft_plan")
    assert alone is None or alone.kind == "none" or "draft" not in alone.hits[0].id  # the school-move reply
    assert _top(reply_for("how long do I have to reply", "draft_plan", ranking, "draft_plan",
                          previous="we got the draft ehcp yesterday")).startswith("draft-plan-")
    sent_home = reply_for("what can i do about it", "sen_support", None, "sen_support",
                          previous="school keep sending my son home at lunch")
    assert _top(sent_home) == "exclusions-sent-home-to-calm-down"


def test_a_new_question_after_an_answer_keeps_its_own_answer(loaded_db) -> None:
    reply = reply_for("what about carers allowance", "out_of_scope", None, "benefits",
                      previous="can i get DLA for my autistic son")
    assert _top(reply) == "benefits-carers-allowance"


def test_no_question_to_lean_on_without_an_answer_or_after_a_click(loaded_db) -> None:
    from bot.answers.for_chat import is_follow_up
    assert not is_follow_up("what can i do about it", "school keep sending him home", None)  # nothing answered
    assert not is_follow_up("what can i do about it", "/affirm", "sen_support")  # a click is not a question
    assert not is_follow_up(" ".join(["word"] * 13), "school keep sending him home", "sen_support")  # not short
    assert is_follow_up("and after 18?", "will his ehcp carry on at college", "transition_adulthood")
