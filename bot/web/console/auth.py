"""Who is signed in to the staff console, and what they may open.

Why the database is read on every request: the cookie only says who signed in and when; whether that person
is still active and what their role is now come from the staff_user table, so disabling a user or changing
a role takes effect at once. Sessions end after 8 hours whatever the cookie's own expiry says.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, Callable, TypeVar, cast

from flask import abort, g, redirect, request, session, url_for

from bot.db.queries.staff import get_staff_user_by_id
from bot.helpline.staff import StaffIdentity
from bot.web.console.nav import role_may
from bot.web.security import local_path

SESSION_LIFETIME = timedelta(hours=8)
_KEYS = ("staff_id", "staff_since", "sid")

F = TypeVar("F", bound=Callable[..., Any])


def utcnow() -> datetime:
    """The clock the console uses; tests replace it on the module to move time."""
    return datetime.utcnow()


def start_staff_session(identity: StaffIdentity, now: datetime) -> None:
    """Begin a fresh session: everything from before (including the CSRF secret) is dropped and a new id set,
    so a session id planted before sign-in is worthless after it."""
    session.clear()
    session.permanent = True
    session["staff_id"] = identity.id
    session["staff_since"] = now.isoformat()
    session["sid"] = secrets.token_urlsafe(24)
    g.staff = identity


def end_staff_session() -> None:
    session.clear()
    g.staff = None


def current_staff() -> StaffIdentity | None:
    """The signed-in, active staff user for this request, or None."""
    if "staff" in g:
        return cast("StaffIdentity | None", g.staff)
    staff = _load_staff()
    g.staff = staff
    return staff


def _load_staff() -> StaffIdentity | None:
    from bot.web.console import console_session  # the package imports this module first

    staff_id, since = session.get("staff_id"), session.get("staff_since")
    if not isinstance(staff_id, int) or not isinstance(since, str):
        return None
    try:
        started = datetime.fromisoformat(since)
    except ValueError:
        return None
    if not (started <= utcnow() + timedelta(minutes=5)) or utcnow() - started > SESSION_LIFETIME:
        session.clear()
        return None
    with console_session() as db:
        user = get_staff_user_by_id(db, staff_id)
        if user is None or not user.active:
            session.clear()
            return None
        return StaffIdentity(user.id, user.username, user.role)


def safe_next(target: str | None) -> str | None:
    """A console path to go back to after signing in, or None: never another site (open redirect)."""
    return local_path(target, "/console")


def role_required(*roles: str) -> Callable[[F], F]:
    """Let a view run only for a signed-in user whose role is listed (admin may do everything).

    Signed out: redirect to the sign-in page, coming back here afterwards (GET only). Wrong role: 403.
    With no roles listed, any signed-in user may use the view.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            staff = current_staff()
            if staff is None:
                back = request.full_path.rstrip("?") if request.method == "GET" else None
                return redirect(url_for("console.sign_in", next=safe_next(back)))
            if not role_may(staff.role, roles):
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)  # functools.wraps keeps the view's name and signature

    return decorator
