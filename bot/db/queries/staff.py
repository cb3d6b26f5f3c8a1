"""Staff users of the console. Password checks and lockout rules live in bot/helpline/staff.py; this is storage only."""
from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


def get_staff_user(session: Session, username: str) -> m.StaffUser | None:
    return cast("m.StaffUser | None",
                session.execute(select(m.StaffUser).where(m.StaffUser.username == username)).scalar_one_or_none())


def get_staff_user_by_id(session: Session, user_id: int) -> m.StaffUser | None:
    return cast("m.StaffUser | None", session.get(m.StaffUser, user_id))


def list_staff_users(session: Session) -> list[m.StaffUser]:
    return list(session.execute(select(m.StaffUser).order_by(m.StaffUser.username)).scalars())


def record_staff_user(session: Session, username: str, password_hash: str, role: str,
                      now: datetime | None = None) -> m.StaffUser:
    user = m.StaffUser(username=username, password_hash=password_hash, role=role, active=True,
                       failed_attempts=0, created_at=now or datetime.utcnow())
    session.add(user)
    session.flush()
    return user
