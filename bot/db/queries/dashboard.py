"""Read the dashboard's raw figures: Rasa's tracker store (read only, without rasa) and our own tables.

Why SQLAlchemy Core for the tracker: Rasa's SQLTrackerStore owns its `events` table (id, sender_id, type_name,
timestamp as epoch seconds, intent_name, action_name, data); we read the columns we need and never write. A
SQLite tracker file is opened read-only, so the console can neither change Rasa's journal mode nor create an
empty file when Rasa has not run yet.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import column, create_engine, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.db import models as m

EVENTS = table("events", column("id"), column("sender_id"), column("type_name"), column("timestamp"),
               column("intent_name"), column("action_name"))

_engines: dict[str, Engine] = {}


class TurnEvent(NamedTuple):
    sender_id: str
    type_name: str
    timestamp: float
    intent_name: str | None
    action_name: str | None


class TrackerUnavailable(Exception):
    """The tracker store cannot be read (not created yet, no events table, or unreachable)."""


def _read_only_url(url: str) -> str:
    if url.startswith("sqlite:///") and ":memory:" not in url and "mode=ro" not in url:
        path = url[len("sqlite:///"):]
        return f"sqlite:///file:{path}?mode=ro&uri=true"
    return url


def get_tracker_engine(url: str) -> Engine:
    """One engine per tracker URL, made on first use (nothing connects at import)."""
    if url not in _engines:
        _engines[url] = create_engine(_read_only_url(url), future=True, pool_pre_ping=True)
    return _engines[url]


def dispose_tracker_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


def list_turn_events(url: str, start: float, end: float) -> list[TurnEvent]:
    """User and action events with start <= timestamp < end, each conversation's events in order.

    Raises TrackerUnavailable (with a reason an officer can act on) rather than a database error.
    """
    if url.startswith("sqlite:///") and ":memory:" not in url and not Path(url[len("sqlite:///"):].split("?")[0]).exists():
        raise TrackerUnavailable("Rasa has not stored any conversations yet (there is no conversation store).")
    try:
        engine = get_tracker_engine(url)
        with engine.connect() as connection:
            if not inspect(connection).has_table("events"):
                raise TrackerUnavailable("Rasa has not stored any conversations yet (no events table).")
            query = (
                select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.intent_name,
                       EVENTS.c.action_name)
                .where(EVENTS.c.type_name.in_(("user", "action")))
                .where(EVENTS.c.timestamp >= start, EVENTS.c.timestamp < end)
                .order_by(EVENTS.c.sender_id, EVENTS.c.id)
            )
            return [TurnEvent(*row) for row in connection.execute(query)]
    except SQLAlchemyError as error:
        raise TrackerUnavailable("The conversation store could not be read.") from error


def list_feedback_between(session: Session, start: datetime, end: datetime) -> list[tuple[datetime, bool]]:
    """(created_at, helpful) for each 'Did this help?' answer with start <= created_at < end (UTC)."""
    query = select(m.Feedback.created_at, m.Feedback.helpful).where(
        m.Feedback.created_at >= start, m.Feedback.created_at < end)
    return [(created, bool(helpful)) for created, helpful in session.execute(query)]


def list_handoff_times_between(session: Session, start: datetime, end: datetime) -> list[datetime]:
    """When each request to reach a person was made, start <= created_at < end (UTC)."""
    query = select(m.HandoffRequest.created_at).where(
        m.HandoffRequest.created_at >= start, m.HandoffRequest.created_at < end)
    return list(session.execute(query).scalars())


def list_unanswered_between(session: Session, start: datetime, end: datetime) -> list[tuple[datetime, str]]:
    """(created_at, reason) for each question that went to the officers' inbox, start <= created_at < end (UTC)."""
    query = select(m.UnansweredQuestion.created_at, m.UnansweredQuestion.reason).where(
        m.UnansweredQuestion.created_at >= start, m.UnansweredQuestion.created_at < end)
    return [(created, str(reason)) for created, reason in session.execute(query)]
