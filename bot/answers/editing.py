"""Officers' changes to the answer bank: check, compute the vectors, write. Nothing is written on any problem.

Why the vectors are computed here, on save: retrieval never encodes an answer while a family waits, and the
index cache notices the new `updated_at`, so an edit is found by the very next question, with no reload and
no retraining. The limits are those of bot.answers.rules, the same the loader applies to the files.
"""
from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from bot.answers.rules import MAX_QUESTION_CHARACTERS, MAX_VARIANTS, check_answer_fields, has_html
from bot.answers.vectors import answer_texts, encode_texts, encoder_available
from bot.db import models as m
from bot.db.queries.answers import add_variant, get_answer, get_answer_topic, upsert_answer


class AnswerEditError(Exception):
    """Field name -> message, for the form's error summary."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))


def _vectors(question: str, variants: list[str], answer: str) -> npt.NDArray[np.float32] | None:
    return encode_texts(answer_texts(question, variants, answer)) if encoder_available() else None


def save_answer(session: Session, *, answer_id: str, topic: str, question: str, variants: list[str], answer: str,
                actor: str, now: datetime, creating: bool) -> m.Answer:
    """Create (`creating`) or change one answer; raise AnswerEditError listing every problem, writing nothing."""
    question, answer = question.strip(), " ".join(answer.split())
    problems = check_answer_fields(question, variants, answer, answer_id if creating else None)
    existing = get_answer(session, answer_id) if answer_id else None
    if creating and "answer_id" not in problems and existing is not None:
        problems["answer_id"] = f"The id '{answer_id}' is already used by another answer: choose another"
    if not creating and existing is None:
        problems["answer_id"] = f"There is no answer '{answer_id}'"
    if get_answer_topic(session, topic) is None:
        problems["topic"] = "Choose a topic from the list"
    if problems:
        raise AnswerEditError(problems)
    return upsert_answer(session, answer_id=answer_id, topic=topic, question=question, variants=variants,
                         answer=answer, vectors=_vectors(question, variants, answer), actor=actor, now=now)


def add_question_as_variant(session: Session, answer_id: str, wording: str, actor: str, now: datetime) -> m.Answer:
    """Add a family's question (from the inbox) to an answer as one more wording, live at once."""
    wording = " ".join((wording or "").split())
    row = get_answer(session, answer_id)
    problems: dict[str, str] = {}
    if row is None:
        problems["answer_id"] = "Choose an answer from the list"
    elif not wording:
        problems["wording"] = "The question is empty"
    elif has_html(wording) or len(wording) > MAX_QUESTION_CHARACTERS:
        problems["wording"] = f"The question must be plain text of {MAX_QUESTION_CHARACTERS} characters or fewer"
    elif wording.lower() in {v.lower() for v in row.variants} | {row.question.lower()}:
        problems["wording"] = "This answer already has that wording"
    elif len(row.variants) >= MAX_VARIANTS:
        problems["wording"] = (f"This answer already has {MAX_VARIANTS} other wordings, the most allowed: edit the "
                               "answer and replace one")
    if problems:
        raise AnswerEditError(problems)
    assert row is not None
    variants = [*row.variants, wording]
    return add_variant(session, answer_id, wording, _vectors(row.question, variants, row.answer), actor, now)
