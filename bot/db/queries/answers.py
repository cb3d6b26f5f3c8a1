"""The answer bank's rows: list, get, count, and the writes the loader and the console make (issue #16).

Why vectors come in ready-made: computing them needs the sentence encoder, which is not the data layer's job;
callers (bot.answers.editing, bot.content.loader) encode first, and these functions only store. Every write sets
`updated_at`, which retrieval's cache watches, so a change is live at the next question.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.answers.vectors import MODEL, answer_texts, from_blob, search_text, to_blob
from bot.db import models as m

CONTENT, CONSOLE = "content", "console"


def list_answer_topics(session: Session) -> list[m.AnswerTopic]:
    return list(session.execute(select(m.AnswerTopic).order_by(m.AnswerTopic.title)).scalars())


def get_answer_topic(session: Session, topic: str) -> m.AnswerTopic | None:
    return cast("m.AnswerTopic | None", session.get(m.AnswerTopic, topic))


def list_answers(session: Session, topic: str | None = None) -> list[m.Answer]:
    """Answers ordered by topic then id, optionally one topic's only."""
    query = select(m.Answer).order_by(m.Answer.topic, m.Answer.id)
    if topic:
        query = query.where(m.Answer.topic == topic)
    return list(session.execute(query).scalars())


def get_answer(session: Session, answer_id: str) -> m.Answer | None:
    return cast("m.Answer | None", session.get(m.Answer, answer_id))


def count_answers_by_topic(session: Session) -> dict[str, int]:
    """Topic -> number of answers, with 0 for a topic that has none."""
    counts = dict(session.execute(select(m.Answer.topic, func.count()).group_by(m.Answer.topic)).all())
    return {t.topic: int(counts.get(t.topic, 0)) for t in list_answer_topics(session)}


def answers_version(session: Session) -> tuple[int, datetime | None, datetime | None]:
    """(number of answers, newest updated_at, when the answer model was fitted), in one query: changes whenever
    an answer is added, edited or removed, and when the answer model is refitted or dropped."""
    fitted = select(func.max(m.AnswerModel.fitted_at)).scalar_subquery()
    count, newest, fitted_at = session.execute(
        select(func.count(), func.max(m.Answer.updated_at), fitted).select_from(m.Answer)).one()
    return int(count), newest, fitted_at


def list_answer_index_rows(session: Session) -> list[Any]:
    """What retrieval keeps in memory for every answer, in one query (`sources` and `verify` give the date an
    answer may show as last checked; `updated_at` tells whether the answer model was fitted on this version)."""
    query = (select(m.Answer.id, m.Answer.topic, m.AnswerTopic.title, m.Answer.question, m.Answer.answer,
                    m.Answer.related, m.Answer.vectors, m.Answer.vector_rows, m.Answer.vector_model,
                    m.Answer.search_text, m.Answer.sources, m.Answer.verify, m.Answer.updated_at)
             .join(m.AnswerTopic, m.AnswerTopic.topic == m.Answer.topic).order_by(m.Answer.id))
    return list(session.execute(query).all())


def answer_vectors(row: m.Answer) -> npt.NDArray[np.float32]:
    return from_blob(row.vectors, row.vector_rows or 0)


def upsert_answer(session: Session, *, answer_id: str, topic: str, question: str, variants: Sequence[str],
                  answer: str, vectors: npt.NDArray[np.float32] | None, actor: str, now: datetime,
                  source: str = CONSOLE, facts: list[dict[str, Any]] | None = None,
                  sources: list[dict[str, Any]] | None = None, verify: bool | None = None,
                  verify_note: str | None = None, related: dict[str, Any] | None = None) -> m.Answer:
    """Create or change one answer with the vectors of its wordings (question, variants, answer, in order).

    Fields left as None keep their stored value (an officer's form does not carry facts or sources).
    """
    topic_row = session.get(m.AnswerTopic, topic)
    if topic_row is None:
        raise ValueError(f"unknown answer topic '{topic}'")
    row: m.Answer | None = session.get(m.Answer, answer_id)
    if row is None:
        row = m.Answer(id=answer_id, facts=[], sources=[], verify=False, verify_note="", related={})
        session.add(row)
    row.topic, row.question, row.variants, row.answer = topic, question, list(variants), answer
    for name, value in (("facts", facts), ("sources", sources), ("verify", verify), ("verify_note", verify_note),
                        ("related", related)):
        if value is not None:
            setattr(row, name, value)
    _set_vectors(row, vectors)
    row.search_text = search_text(topic_row.title, question, variants, answer)
    row.source, row.updated_at, row.updated_by = source, now, actor[:100]
    session.flush()
    return row


def add_variant(session: Session, answer_id: str, wording: str, vectors: npt.NDArray[np.float32] | None, actor: str,
                now: datetime) -> m.Answer:
    """Append one wording to an answer, with the answer's full set of vectors recomputed by the caller."""
    row = session.get(m.Answer, answer_id)
    if row is None:
        raise ValueError(f"unknown answer '{answer_id}'")
    return upsert_answer(session, answer_id=answer_id, topic=row.topic, question=row.question,
                         variants=[*row.variants, wording], answer=row.answer, vectors=vectors, actor=actor, now=now)


def _set_vectors(row: m.Answer, vectors: npt.NDArray[np.float32] | None) -> None:
    if vectors is None or len(vectors) != len(answer_texts(row.question, row.variants, row.answer)):
        row.vectors, row.vector_rows, row.vector_model = None, 0, None
        return
    row.vectors, row.vector_rows, row.vector_model = to_blob(vectors), int(len(vectors)), MODEL


def replace_content_answers(session: Session, topics: Sequence[Any], now: datetime) -> dict[str, int]:
    """Write the answers read from the files (bot.answers.content records), in the caller's transaction.

    Why console rows are kept: an officer's edit or new answer (source='console') must not be undone by the
    next load of the files; the audit log says what they changed. Content rows gone from the files are deleted.
    """
    for record in topics:
        session.merge(m.AnswerTopic(topic=record.topic, title=record.title))
    session.flush()
    console_ids = set(session.execute(select(m.Answer.id).where(m.Answer.source == CONSOLE)).scalars())
    file_ids = [a.id for t in topics for a in t.answers]
    stale = select(m.Answer.id).where(m.Answer.source == CONTENT, m.Answer.id.notin_(file_ids))
    deleted = len(list(session.execute(stale).scalars()))
    session.execute(delete(m.Answer.__table__).where(m.Answer.__table__.c.source == CONTENT,
                                                     m.Answer.__table__.c.id.notin_(file_ids)))
    written = 0
    for record in topics:
        for a in record.answers:
            if a.id in console_ids:
                continue
            upsert_answer(session, answer_id=a.id, topic=record.topic, question=a.question, variants=a.variants,
                          answer=a.answer, vectors=a.vectors, actor="content files", now=now, source=CONTENT,
                          facts=a.facts, sources=[s.as_dict() for s in a.sources], verify=a.verify,
                          verify_note=a.verify_note, related=a.related)
            written += 1
    used = select(m.Answer.topic).distinct()
    session.execute(delete(m.AnswerTopic.__table__).where(
        m.AnswerTopic.__table__.c.topic.notin_([t.topic for t in topics]),
        m.AnswerTopic.__table__.c.topic.notin_(used)))
    session.flush()
    return {"answers": written, "answers kept as edited in the console": len(console_ids & set(file_ids)),
            "answers removed": deleted}


def get_answer_model(session: Session) -> m.AnswerModel | None:
    """The stored answer model (bot.answers.answer_model), or None when there is none."""
    return cast("m.AnswerModel | None", session.get(m.AnswerModel, 1))


def save_answer_model(session: Session, *, labels: Sequence[str], label_versions: Sequence[str], weights: bytes,
                      bias: bytes, vector_model: str, fit_seconds: float, fitted_at: datetime) -> m.AnswerModel:
    """Replace the one stored answer model; the caller packs the arrays (float32 bytes) and owns the commit."""
    row = get_answer_model(session)
    if row is None:
        row = m.AnswerModel(id=1)
        session.add(row)
    row.labels, row.label_versions, row.answers = list(labels), list(label_versions), len(labels)
    row.weights, row.bias, row.vector_model = weights, bias, vector_model
    row.fit_seconds, row.fitted_at = float(fit_seconds), fitted_at
    session.flush()
    return row


def delete_answer_model(session: Session) -> None:
    """Drop the stored answer model (the term is then off)."""
    session.execute(delete(m.AnswerModel.__table__))
