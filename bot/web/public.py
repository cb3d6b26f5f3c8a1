"""The public pages: the demo Local Offer page with the widget, the statements, and the health check.

Why a blueprint: the staff console will be its own blueprint with its own login, and keeping the public
pages apart makes it obvious which routes anyone on the internet can reach.
"""
from __future__ import annotations

from typing import cast

from flask import Blueprint, Response, current_app, jsonify, render_template

from bot.config import Settings
from bot.constants import SEND_WEB
from bot.helpline.contacts import get_helpline

public = Blueprint("public", __name__)


def _settings() -> Settings:
    return cast(Settings, current_app.config["SETTINGS"])


def _send_teams() -> list[tuple[str, str]]:
    """(area, phone) for each quadrant's SEND Operations team; none when the content cannot be read, and the
    pages then point to the Local Offer site instead of guessing a number."""
    try:
        return get_helpline(_settings().content_dir).teams()
    except Exception:  # noqa: BLE001 - a page must still render
        current_app.logger.exception("Could not read helpline.yml")
        return []


@public.app_context_processor
def _page_globals() -> dict[str, object]:
    """Values every template may show. `helpline` names every team ("Mid Essex 0333 013 9949, ..."): these are
    casework teams for each part of Essex, not one county helpline and not an urgent line."""
    teams = _send_teams()
    return {"helpline": ", ".join(f"{area} {phone}" for area, phone in teams) or SEND_WEB, "send_teams": teams,
            "send_web": SEND_WEB, "settings": _settings()}


@public.get("/")
def home() -> str:
    """Demo page that looks like an Essex SEND Local Offer page, with the widget embedded."""
    return render_template("index.html", rasa_public_url=_settings().rasa_public_url)


@public.get("/accessibility")
def accessibility() -> str:
    return render_template("accessibility.html")


@public.get("/privacy")
def privacy() -> str:
    return render_template("privacy.html", retention_days=_settings().retention_days)


@public.get("/cookies")
def cookies() -> str:
    return render_template("cookies.html")


@public.get("/health")
def health() -> Response:
    """Liveness for the load balancer; the database check is added by the lead."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response
