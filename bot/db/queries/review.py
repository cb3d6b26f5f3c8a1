"""Unanswered questions and feedback: written by the assistant, read by officers."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import models as m


def record_unanswered_question(session: Session, **fields: Any) -> m.UnansweredQuestion:
    question = m.UnansweredQuestion(created_at=fields.pop("created_at", None) or datetime.utcnow(), **fields)
    session.add(question)
    session.flush()
    return question


def list_unanswered_questions(
    session: Session, status: str | None = None, limit: int = 500
) -> list[m.UnansweredQuestion]:
    query = select(m.UnansweredQuestion).order_by(m.UnansweredQuestion.created_at.desc()).limit(limit)
    if status:
        query = query.where(m.UnansweredQuestion.status == status)
    return list(session.execute(query).scalars())


def count_unanswered_by_reason(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(m.UnansweredQuestion.reason, func.count()).group_by(m.UnansweredQuestion.reason)
    )
    return {reason: count for reason, count in rows}


def record_feedback(session: Session, sender_hash: str, topic: str | None, helpful: bool) -> m.Feedback:
    feedback = m.Feedback(created_at=datetime.utcnow(), sender_hash=sender_hash, topic=topic, helpful=helpful)
    session.add(feedback)
    session.flush()
    return feedback


def set_family_choice(session: Session, sender_hash: str, text_redacted: str, intent: str,
                      since: datetime) -> bool:
    """Mark the family's newest matching unanswered question since `since` with the topic they picked."""
    query = (select(m.UnansweredQuestion)
             .where(m.UnansweredQuestion.sender_hash == sender_hash,
                    m.UnansweredQuestion.text_redacted == text_redacted,
                    m.UnansweredQuestion.created_at >= since)
             .order_by(m.UnansweredQuestion.created_at.desc(), m.UnansweredQuestion.id.desc()).limit(1))
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        return False
    row.family_choice = intent[:60]
    return True
