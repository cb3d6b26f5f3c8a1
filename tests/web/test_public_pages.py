"""The public pages render, are safe, and embed the widget exactly once.

Why: these pages are what a parent sees first, so every one must have a title and a skip link, errors must
stay kind and trace-free, and the security headers must never silently drop off.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.web import create_app

WIDGET_DIR = Path(__file__).resolve().parents[2] / "bot" / "web" / "static" / "widget"
PAGES = ["/", "/accessibility", "/privacy", "/cookies"]
RASA_URL = "https://rasa.example.org:5005/some/path"


@pytest.fixture()
def app() -> Flask:
    settings = replace(Settings(), rasa_public_url=RASA_URL, secret_key="test-secret")
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> str:  # a route that fails, to see the 500 page
        raise RuntimeError("secret internal detail")

    return app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_page_has_title_and_skip_link(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"<title>[^<]*\S[^<]*</title>", html)
    assert 'class="govuk-skip-link' in html and 'href="#main-content"' in html
    assert 'id="main-content"' in html
    assert "Alpha" in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client: FlaskClient, path: str) -> None:
    html = client.get(path).get_data(as_text=True)
    assert "style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"<script[^>]*>\s*[^<\s]", html)


def test_demo_page_embeds_widget_once_with_server(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    tags = re.findall(r"<script[^>]*local-offer-chat\.js[^>]*>", html)
    assert len(tags) == 1
    assert f'data-server="{RASA_URL}"' in tags[0]
    assert " defer" in tags[0]


def test_not_found_is_kind_and_has_no_traceback(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html
    assert "Mid Essex" in html and "0333 013 9949" in html
    assert "Traceback" not in html


def test_server_error_page_hides_the_error(client: FlaskClient) -> None:
    response = client.get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html and "secret internal detail" not in html


def test_health(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("path", PAGES + ["/health", "/no-such-page"])
def test_security_headers_on_pages(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "connect-src 'self' https://rasa.example.org:5005;" in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]


def test_widget_files_can_be_embedded_elsewhere(client: FlaskClient) -> None:
    for name in ("local-offer-chat.js", "local-offer-chat.css"):
        response = client.get(f"/static/widget/{name}")
        assert response.status_code == 200
        assert "X-Frame-Options" not in response.headers
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_widget_never_parses_html() -> None:
    """A static guard: message content must only reach the page as text or DOM nodes."""
    source = (WIDGET_DIR / "local-offer-chat.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert risky not in source, risky


def test_widget_css_is_namespaced() -> None:
    """Every selector in the widget stylesheet starts with a .loc-chat- class, so it never restyles the host."""
    css = (WIDGET_DIR / "local-offer-chat.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors: list[str] = []
    for block in re.findall(r"([^{}]+)\{[^{}]*\}", css):
        block = block.strip()
        if block.startswith("@") or re.fullmatch(r"(from|to|\d+%)", block):
            continue
        selectors += [s.strip() for s in block.split(",")]
    assert selectors
    for selector in selectors:
        assert selector.startswith(".loc-chat-"), selector


# ------------------------------------------------------------------- the SEND Operations teams (issue #13)

WIDGET = Path(__file__).parents[2] / "bot" / "web" / "static" / "widget" / "local-offer-chat.js"


def test_pages_name_each_quadrant_team_and_never_call_it_urgent(client: FlaskClient) -> None:
    """0333 013 9949 is the Mid Essex SEND Operations team (older site, hours unconfirmed), not a county
    helpline and not an urgent line: pages name every team by area."""
    for path in ("/", "/accessibility", "/privacy", "/no-such-page"):
        html = client.get(path).get_data(as_text=True)
        assert "SEND helpline" not in html, path
        assert not re.search(r"urgent[^.]*0333|0333[^.]*urgent", html, re.I), path
        for area, phone in (("Mid Essex", "0333 013 9949"), ("North East Essex", "0333 013 7667"),
                            ("South Essex", "0333 013 4736"), ("West Essex", "0333 013 9911")):
            assert area in html and f'href="tel:{phone.replace(" ", "")}"' in html, (path, area)


def test_the_widget_gets_every_team_by_name(client: FlaskClient) -> None:
    tag = re.search(r"<script[^>]*local-offer-chat\.js[^>]*>", client.get("/").get_data(as_text=True)).group(0)
    assert 'data-teams="Mid Essex|0333 013 9949;North East Essex|0333 013 7667;' in tag
    assert "data-helpline" not in tag


def test_the_widget_has_no_urgent_helpline_and_no_default_number() -> None:
    script = WIDGET.read_text(encoding="utf-8")
    shown = " ".join(re.findall(r"'[^'\n]*'", script))  # the words the widget can show (comments aside)
    assert "urgent" not in shown.lower()
    assert "SEND helpline" not in shown
    assert "'0333 013 9949'" not in script  # no built-in number: the page gives the teams, or send.essex.gov.uk
    assert "send.essex.gov.uk" in script


def test_without_the_content_the_pages_point_to_the_local_offer(tmp_path: Path) -> None:
    settings = replace(Settings(), content_dir=tmp_path, secret_key="test-secret")
    app = create_app(settings)
    html = app.test_client().get("/").get_data(as_text=True)
    assert "0333" not in html and "https://send.essex.gov.uk/" in html
