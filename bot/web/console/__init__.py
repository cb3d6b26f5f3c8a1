"""The staff console: sign-in, the helpline's search and handoff queue, the audit log, and (in officer.py)
the officers' pages, all under /console on one blueprint.

Why one blueprint for every role: the roles share the sign-in, the page template and the navigation, and
each view says who may open it with `role_required`, so there is one place to check access.
"""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from typing import Iterator, cast

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy.orm import Session

from bot.db.session import session_scope

console = Blueprint("console", __name__, url_prefix="/console")

SERVICE_NAME = "Local Offer assistant – staff console"


@contextmanager
def console_session() -> Iterator[Session]:
    """A database session for one unit of work in a console view (commits on success, rolls back on error)."""
    with session_scope(current_app.config["SETTINGS"].database_url) as session:
        yield session


@console.app_template_global()
def csp_nonce() -> str:
    """A per-response nonce for the one inline script GOV.UK Frontend's page template needs;
    bot/web/security.py adds it to the Content-Security-Policy of the same response."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return cast(str, g.csp_nonce)


@console.app_context_processor
def _console_globals() -> dict[str, object]:
    """App-wide so the console's error pages (which no console view rendered) still get the navigation."""
    from bot.web.console.auth import current_staff
    from bot.web.console.nav import service_navigation

    if not request.path.startswith(console.url_prefix or "/console"):
        return {}
    staff = current_staff()
    return {
        "staff": staff,
        "console_nav": service_navigation(staff.role, request.endpoint) if staff else [],
        "console_service_name": SERVICE_NAME,
    }


@console.after_request
def _no_store(response: Response) -> Response:
    """Console pages show families' details: no browser or proxy may keep a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


# The views register themselves on `console` when imported.
from bot.web.console import admin, helpline, home, signin  # noqa: E402,F401

try:  # the officers' pages; `from ... import officer` would raise ImportError, not ModuleNotFoundError
    import bot.web.console.officer  # noqa: E402,F401
except ModuleNotFoundError as error:  # not written yet; any other missing module is a real fault
    if error.name != "bot.web.console.officer":
        raise
