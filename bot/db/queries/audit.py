"""The audit log: one row per state-changing action in the staff console.

Why rows are only added, never changed: the log answers "who did this, and when?" after the fact, so the
console has no way to edit or delete it. The caller's session scope commits the row together with the change
it describes, so a change is never stored without its audit row (nor the other way round).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


def record_audit(session: Session, actor: str, action: str, target: str = "",
                 detail: dict[str, Any] | None = None, at: datetime | None = None) -> m.AuditEvent:
    """Add an audit row to the session's transaction (committed with the change it records)."""
    event = m.AuditEvent(at=at or datetime.utcnow(), actor=actor[:100], action=action[:60],
                         target=(target or "")[:200], detail=dict(detail or {}))
    session.add(event)
    session.flush()
    return event


def list_audit(session: Session, limit: int = 200, action: str | None = None, actor: str | None = None,
               target: str | None = None, offset: int = 0) -> list[m.AuditEvent]:
    """The newest events first, optionally only one action, actor or target."""
    query = select(m.AuditEvent).order_by(m.AuditEvent.at.desc(), m.AuditEvent.id.desc())
    if action:
        query = query.where(m.AuditEvent.action == action)
    if actor:
        query = query.where(m.AuditEvent.actor == actor)
    if target:
        query = query.where(m.AuditEvent.target == target)
    return list(session.execute(query.offset(max(offset, 0)).limit(max(limit, 1))).scalars())
