"""The officers' inbox: filter unanswered questions, and record what an officer decided about them."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.db import models as m

STATUSES = ("new", "assigned", "needs_content", "dismissed")
DEFAULT_LIMIT = 5000

_Q = m.UnansweredQuestion


def list_inbox_questions(
    session: Session,
    *,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
    reason: str | None = None,
    intent: str | None = None,
    status: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[m.UnansweredQuestion]:
    """Questions passing every filter given (times are naive UTC, as stored), newest first.

    `intent` is the model's predicted intent; "none" asks for questions the model gave no intent at all.
    """
    query = select(_Q)
    if created_from:
        query = query.where(_Q.created_at >= created_from)
    if created_before:
        query = query.where(_Q.created_at < created_before)
    if reason:
        query = query.where(_Q.reason == reason)
    if intent == "none":
        query = query.where(_Q.intent.is_(None))
    elif intent:
        query = query.where(_Q.intent == intent)
    if status:
        query = query.where(_Q.status == status)
    return list(session.execute(query.order_by(_Q.created_at.desc(), _Q.id.desc()).limit(limit)).scalars())


def list_questions_by_ids(session: Session, ids: Iterable[int]) -> list[m.UnansweredQuestion]:
    ids = list(ids)
    if not ids:
        return []
    return list(session.execute(select(_Q).where(_Q.id.in_(ids)).order_by(_Q.created_at, _Q.id)).scalars())


def list_predicted_intents(session: Session) -> list[str]:
    """Every intent the model predicted for a stored question, for the filter's choices."""
    query = select(_Q.intent).where(_Q.intent.is_not(None)).distinct().order_by(_Q.intent)
    return list(session.execute(query).scalars())


def count_questions_by_status(session: Session) -> dict[str, int]:
    return {status: count for status, count in session.execute(select(_Q.status, func.count()).group_by(_Q.status))}


def set_question_status(session: Session, ids: Iterable[int], status: str, actor: str,
                        assigned_intent: str | None = None, now: datetime | None = None) -> int:
    """Mark questions assigned (with an intent), needing new content, dismissed or new again; returns how many.

    An assigned question becomes a training example; any other status clears a previous assignment, so the
    export holds only what an officer currently stands behind.
    """
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if (status == "assigned") != bool(assigned_intent):
        raise ValueError("an intent is given exactly when assigning")
    ids = list(ids)
    if not ids:
        return 0
    result = session.execute(
        update(_Q)
        .where(_Q.id.in_(ids))
        .values(status=status, assigned_intent=assigned_intent, handled_by=actor,
                handled_at=now or datetime.utcnow().replace(microsecond=0))
        .execution_options(synchronize_session="fetch")
    )
    return cast(int, result.rowcount)


def list_training_examples(session: Session) -> list[m.UnansweredQuestion]:
    """Questions an officer assigned to an intent: the examples the export turns into training data."""
    query = select(_Q).where(_Q.status == "assigned", _Q.assigned_intent.is_not(None)).order_by(_Q.created_at, _Q.id)
    return list(session.execute(query).scalars())
