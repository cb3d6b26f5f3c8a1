"""Deleting what has passed its retention date, in the Local Offer database and in Rasa's tracker store.

Why the tracker store is read with SQLAlchemy Core and a table description of our own: bot/ never imports
Rasa, and the purge must run from cron on a machine where Rasa is not even installed. The columns used here
(sender_id, timestamp as Unix seconds) are those of Rasa 3.x's SQLTrackerStore `events` table.
Every function takes the session or connection of the caller, whose transaction commits or rolls back.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, delete, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.db import models as m

TRACKER_EVENTS = "events"

_tracker_metadata = MetaData()
_events = Table(
    TRACKER_EVENTS,
    _tracker_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)

# (model, its creation time column): the rows a family's conversation leaves behind in our database.
_PERSONAL_TABLES = (
    ("unanswered_questions", m.UnansweredQuestion, m.UnansweredQuestion.created_at),
    ("feedback", m.Feedback, m.Feedback.created_at),
    ("handoff_requests", m.HandoffRequest, m.HandoffRequest.created_at),
)


def has_table(connection: Connection, name: str) -> bool:
    return bool(inspect(connection).has_table(name))


def _stale_senders(cutoff_epoch: float) -> Select:
    """Conversations whose newest event is older than the cutoff (a subquery of sender ids)."""
    return (
        select(_events.c.sender_id)
        .group_by(_events.c.sender_id)
        .having(func.max(_events.c.timestamp) < cutoff_epoch)
    )


def count_stale_conversations(connection: Connection, cutoff_epoch: float) -> tuple[int, int]:
    """(conversations, events) that a purge at this cutoff would delete."""
    stale = _stale_senders(cutoff_epoch).subquery()
    conversations = connection.execute(select(func.count()).select_from(stale)).scalar_one()
    events = connection.execute(
        select(func.count()).select_from(_events).where(_events.c.sender_id.in_(select(stale.c.sender_id)))
    ).scalar_one()
    return int(conversations), int(events)


def delete_stale_conversations(connection: Connection, cutoff_epoch: float) -> tuple[int, int]:
    """Delete whole conversations whose last event is older than the cutoff: never half a conversation,
    so a family who comes back within the retention period keeps all of theirs."""
    conversations, _ = count_stale_conversations(connection, cutoff_epoch)
    result = connection.execute(
        delete(_events).where(_events.c.sender_id.in_(_stale_senders(cutoff_epoch).scalar_subquery()))
    )
    return conversations, int(result.rowcount or 0)


def count_personal_rows_before(session: Session, cutoff: datetime) -> dict[str, int]:
    """How many rows of each kind were created before the cutoff."""
    return {
        name: int(session.execute(select(func.count()).select_from(model).where(created < cutoff)).scalar_one())
        for name, model, created in _PERSONAL_TABLES
    }


def delete_personal_rows_before(session: Session, cutoff: datetime) -> dict[str, int]:
    """Delete unanswered questions, feedback and handoff requests (with their transcripts and callback
    contact details, which live in the same rows) created before the cutoff."""
    removed: dict[str, int] = {}
    for name, model, created in _PERSONAL_TABLES:
        result = session.execute(delete(model).where(created < cutoff).execution_options(synchronize_session=False))
        removed[name] = int(result.rowcount or 0)
    return removed
