"""The web front: public pages that host the chat widget (and, later, the staff console).

Why an app factory: tests, the CLI (`python -m bot web`) and a WSGI server each build their own app
from settings, and building one must not touch a network or a database, so importing this module is cheap.
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from bot.config import Settings, get_settings
from bot.web.api import register_api
from bot.web.console import console
from bot.web.console.assets import govuk_assets
from bot.web.errors import register_error_handlers
from bot.web.public import public
from bot.web.security import register_security_headers

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> Flask:
    """Build the Flask app for `settings` (the process settings when None)."""
    settings = settings or get_settings()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config["SETTINGS"] = settings
    app.config["SECRET_KEY"] = settings.secret_key or _throwaway_secret()
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # Secure unless WEB_INSECURE_COOKIES=1 (plain-http development on localhost; see bot/web/console/README.md).
    app.config["SESSION_COOKIE_SECURE"] = not settings.insecure_cookies
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the (8-hour) session
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.root_path + "/templates"),
            # The macros import each other as "govuk_frontend_jinja/components/...".
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                          "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(public)
    app.register_blueprint(console)
    app.register_blueprint(govuk_assets)
    CSRFProtect(app)  # every POST needs the session's token; the public pages have no POST endpoints
    WTFormsHelpers(app)
    register_api(app)  # after CSRFProtect, so the read-only API can be exempted from it
    register_error_handlers(app)
    register_security_headers(app, settings.rasa_public_url)
    return app


def _throwaway_secret() -> str:
    """A per-process key, so the public pages work on a laptop without SECRET_KEY.

    Sessions signed with it die with the process, which is why production must set SECRET_KEY.
    """
    log.warning("SECRET_KEY is not set: using a random key for this process only")
    return secrets.token_hex(32)
