"""The public pages: the demo Local Offer page with the widget, the statements, and the health check.

Why a blueprint: the staff console will be its own blueprint with its own login, and keeping the public
pages apart makes it obvious which routes anyone on the internet can reach.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template

from bot.config import Settings

public = Blueprint("public", __name__)

HELPLINE = "0333 013 9949"


def _settings() -> Settings:
    return current_app.config["SETTINGS"]


@public.app_context_processor
def _page_globals() -> dict[str, object]:
    """Values every template may show."""
    return {"helpline": HELPLINE, "settings": _settings()}


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
