"""Kind error pages.

Why: a parent who hits a dead link or a fault should get plain words and a phone number, never a stack trace.
"""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, InternalServerError, NotFound

log = logging.getLogger(__name__)


def register_error_handlers(app: Flask) -> None:
    """Send 404 and every unexpected error to our own templates."""

    @app.errorhandler(NotFound)
    def _not_found(_error: NotFound) -> tuple[str, int]:
        return _console_page(404) or (render_template("404.html"), 404)

    @app.errorhandler(InternalServerError)
    def _server_error(_error: InternalServerError) -> tuple[str, int]:
        return _console_page(500) or (render_template("500.html"), 500)

    @app.errorhandler(Forbidden)
    def _forbidden(error: Forbidden) -> tuple[str, int] | HTTPException:
        return _console_page(403) or error

    @app.errorhandler(BadRequest)  # CSRFError is a BadRequest: a form sent without a valid token
    def _bad_request(error: BadRequest) -> tuple[str, int] | HTTPException:
        return _console_page(400, csrf=isinstance(error, CSRFError)) or error

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int] | HTTPException:
        if isinstance(error, HTTPException):
            return error  # 405 and friends keep Werkzeug's short, trace-free page.
        log.exception("Unhandled error")
        return _console_page(500) or (render_template("500.html"), 500)


def _console_page(code: int, csrf: bool = False) -> tuple[str, int] | None:
    """The staff console's own error page (its template and navigation) for console addresses, else None."""
    if not request.path.startswith("/console"):
        return None
    try:
        return render_template("console/error.html", code=code, csrf=csrf), code
    except Exception:  # a fault while drawing the console (e.g. the database is down): the plain page
        log.exception("Could not draw the console error page")
        return render_template("500.html"), code
