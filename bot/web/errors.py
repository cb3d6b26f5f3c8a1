"""Kind error pages.

Why: a parent who hits a dead link or a fault should get plain words and a phone number, never a stack trace.
"""
from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

log = logging.getLogger(__name__)


def register_error_handlers(app: Flask) -> None:
    """Send 404 and every unexpected error to our own templates."""

    @app.errorhandler(NotFound)
    def _not_found(_error: NotFound) -> tuple[str, int]:
        return render_template("404.html"), 404

    @app.errorhandler(InternalServerError)
    def _server_error(_error: InternalServerError) -> tuple[str, int]:
        return render_template("500.html"), 500

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int] | HTTPException:
        if isinstance(error, HTTPException):
            return error  # 405 and friends keep Werkzeug's short, trace-free page.
        log.exception("Unhandled error")
        return render_template("500.html"), 500
