"""Handoff and callback requests for the helpline queue."""
from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import models as m


def record_handoff_request(session: Session, **fields: Any) -> m.HandoffRequest:
    now = datetime.utcnow()
    request = m.HandoffRequest(created_at=now, updated_at=now, **fields)
    session.add(request)
    session.flush()
    return request


def get_handoff_request(session: Session, reference: str) -> m.HandoffRequest | None:
    query = select(m.HandoffRequest).where(m.HandoffRequest.reference == reference)
    return cast("m.HandoffRequest | None", session.execute(query).scalar_one_or_none())


def list_handoff_requests(session: Session, status: str | None = None, limit: int = 200) -> list[m.HandoffRequest]:
    query = select(m.HandoffRequest).order_by(m.HandoffRequest.created_at.desc()).limit(limit)
    if status:
        query = query.where(m.HandoffRequest.status == status)
    return list(session.execute(query).scalars())


def count_handoff_requests_by_status(session: Session) -> dict[str, int]:
    """How many requests are in each status, for the queue's filter links."""
    query = select(m.HandoffRequest.status, func.count()).group_by(m.HandoffRequest.status)
    return {status: count for status, count in session.execute(query)}


def count_open_handoff_requests_by_kind(session: Session) -> dict[str, int]:
    """How many requests not yet done are of each kind (immediate risk, possible concern, contact, callback)."""
    query = (select(m.HandoffRequest.kind, func.count()).where(m.HandoffRequest.status != "done")
             .group_by(m.HandoffRequest.kind))
    return {kind: count for kind, count in session.execute(query)}
