"""An officer's edit through bot.answers.editing: vectors recomputed on save, found by the next question with no
reload; a bad edit raises with every problem and writes nothing."""
from __future__ import annotations

from datetime import datetime

import pytest

from bot.answers.editing import AnswerEditError, add_question_as_variant, save_answer
from bot.answers.retrieval import find_answers
from bot.db import models as m
from bot.db.session import session_scope


def test_an_edit_is_found_at_once(loaded_db: str) -> None:
    with session_scope(loaded_db) as db:
        find_answers(db, "warm the cache first")
        answer_id = "benefits-dla-means-tested"
        row = db.get(m.Answer, answer_id)
        question, variants = row.question, list(row.variants)
    new_text = "Disability Living Allowance (DLA) is money for the extra costs of a disabled child under 16."
    with session_scope(loaded_db) as db:
        save_answer(db, answer_id=answer_id, topic="benefits", question=question,
                    variants=variants + ["is there money to help with the cost of caring for a disabled child"],
                    answer=new_text, actor="officer-test", now=datetime.utcnow(), creating=False)
    with session_scope(loaded_db) as db:
        hits = find_answers(db, "is there money to help with the cost of caring for a disabled child")
    assert hits[0].id == answer_id and hits[0].answer == new_text


def test_a_bad_edit_writes_nothing(loaded_db: str) -> None:
    with session_scope(loaded_db) as db:
        before = db.get(m.Answer, "annual-review-how-often").answer
    with pytest.raises(AnswerEditError) as caught:
        with session_scope(loaded_db) as db:
            save_answer(db, answer_id="annual-review-how-often", topic="annual_review", question="",
                        variants=["a"], answer="<p>" + "x" * 2000, actor="t", now=datetime.utcnow(), creating=False)
    assert set(caught.value.problems) == {"question", "variants", "answer"}
    with session_scope(loaded_db) as db:
        assert db.get(m.Answer, "annual-review-how-often").answer == before
        with pytest.raises(AnswerEditError):
            add_question_as_variant(db, "no-such-answer", "a question", "t", datetime.utcnow())
