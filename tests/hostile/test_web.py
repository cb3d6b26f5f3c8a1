"""Every hostile text against the web app (bot/web): the public pages, /health, the read-only /api/services,
and the staff console's sign-in and search, on a real migrated and loaded database.

Asserts: no 5xx, a non-empty answer, and nothing reflected unescaped (a tag from the hostile text never
appears in an HTML page unless the page has it without the hostile text too). Routes that do not exist yet
must exist: a renamed route fails here rather than quietly dropping its hostile cases. Invalid UTF-8 travels percent-encoded in URLs and raw in bodies.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterator
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.config import Settings
from bot.db.session import session_scope
from bot.web import create_app
from tests.hostile.cases import TextCase, body_cases, text_cases

PASSWORD = "Hostile-inputs-at-Mersea-2026"
PUBLIC_PAGES = ["/", "/privacy", "/accessibility", "/cookies", "/health"]
_TAG = re.compile(r"<(?:script|img|svg|iframe|style|body|meta|object|details|math|a|div|b|i|mglyph|table)\b[^<>]*>",
                  re.IGNORECASE)
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
TEXTS = text_cases()


def _encoded(text: str) -> str:
    """Percent-encoded UTF-8; lone surrogates become the invalid bytes a hostile client would send."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@pytest.fixture(scope="module")
def app(loaded_db: str) -> Flask:
    settings = replace(Settings(), database_url=loaded_db, secret_key="hostile-web-tests")
    app = create_app(settings)
    app.config.update(TESTING=False, WTF_CSRF_ENABLED=True, PROPAGATE_EXCEPTIONS=False)
    return app


@pytest.fixture(scope="module")
def routes(app: Flask) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


@pytest.fixture(scope="module")
def baseline(app: Flask) -> dict[str, str]:
    """Each page as it is without hostile input, so tags the page itself has are not mistaken for reflections."""
    client = app.test_client()
    return {path: client.get(path).get_data(as_text=True) for path in PUBLIC_PAGES + ["/no-such-page"]}


@pytest.fixture(scope="module")
def signed_in(app: Flask, loaded_db: str, routes: set[str]) -> Iterator[FlaskClient]:
    _require(routes, "/console/search", "/console/sign-in")
    from bot.helpline.staff import create_user

    with session_scope(loaded_db) as db:
        create_user(db, "hostile-helpline", PASSWORD, "helpline", actor="hostile-tests")
    client = app.test_client()
    response = _sign_in(client, "hostile-helpline", PASSWORD)
    assert response.status_code in (302, 303), response.status_code
    yield client


def _require(routes: set[str], *paths: str) -> None:
    """The routes these cases attack are part of the app: gone or renamed is a failure, never a skip."""
    missing = [path for path in paths if path not in routes]
    assert not missing, f"{missing} not among the app's routes: renamed? Point these hostile cases at the new path"


def _csrf(client: FlaskClient, path: str) -> str:
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"{path} has no CSRF token"
    return match.group(1) or match.group(2)


def _sign_in(client: FlaskClient, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/console/sign-in", data={"csrf_token": _csrf(client, "/console/sign-in"),
                                                 "username": username, "password": password})


def _check(response, case: TextCase, baseline_html: str = "") -> str:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, (case.id, response.status_code)
    body = response.get_data(as_text=True)
    assert body.strip(), (case.id, response.status_code)
    if response.mimetype == "text/html":
        for tag in set(_TAG.findall(case.text)):
            assert tag not in body or tag in baseline_html, (case.id, tag)
    return body


@pytest.mark.parametrize("case", TEXTS, ids=str)
def test_public_pages_with_hostile_query_strings(app: Flask, baseline: dict[str, str], case: TextCase) -> None:
    client = app.test_client()
    value = _encoded(case.text)
    for path in PUBLIC_PAGES:
        _check(client.get(f"{path}?q={value}&{value}={value}"), case, baseline[path])


@pytest.mark.parametrize("case", TEXTS, ids=str)
def test_hostile_paths_get_the_kind_not_found_page(app: Flask, baseline: dict[str, str], case: TextCase) -> None:
    client = app.test_client()
    response = client.get("/" + _encoded(case.text)[:4000])
    body = _check(response, case, baseline["/no-such-page"])
    if response.status_code == 404 and response.mimetype == "text/html":
        assert "0333" in body or "helpline" in body.lower() or "not found" in body.lower()


@pytest.mark.parametrize("case", TEXTS, ids=str)
def test_api_services_with_hostile_parameters(app: Flask, routes: set[str], case: TextCase) -> None:
    _require(routes, "/api/services")
    client = app.test_client()
    value = _encoded(case.text)
    for query in (f"text={value}", f"district={value}", f"age={value}&taxonomy={value}", f"page={value}&per_page={value}"):
        response = client.get(f"/api/services?{query}")
        _check(response, case)
        assert response.mimetype == "application/json", (case.id, query, response.mimetype)
    _check(client.get(f"/api/services/{_encoded(case.text)[:2000]}"), case)


@pytest.mark.parametrize("case", TEXTS[::3], ids=str)  # every third: each sign-in costs a password hash
def test_console_sign_in_with_hostile_names_and_passwords(app: Flask, routes: set[str], case: TextCase) -> None:
    _require(routes, "/console/sign-in")
    client = app.test_client()
    baseline_html = client.get("/console/sign-in").get_data(as_text=True)
    response = _sign_in(client, case.text, case.text)
    _check(response, case, baseline_html)
    assert response.status_code in (200, 400, 413), (case.id, response.status_code)


@pytest.mark.parametrize("case", TEXTS, ids=str)
def test_console_search_with_hostile_queries(signed_in: FlaskClient, case: TextCase) -> None:
    baseline_html = signed_in.get("/console/search").get_data(as_text=True)
    response = signed_in.get(f"/console/search?q={_encoded(case.text)}")
    _check(response, case, baseline_html)
    assert response.status_code == 200, (case.id, response.status_code)


@pytest.mark.parametrize("case", body_cases(), ids=str)
def test_raw_bodies_posted_to_the_web_app(app: Flask, routes: set[str], case) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    paths = ["/", "/health"] + (["/console/sign-in"] if "/console/sign-in" in routes else [])
    for path in paths:
        response = client.post(path, data=case.body, headers=headers)
        assert response.status_code < 500, (case.id, path, response.status_code)
        assert response.status_code in (400, 405, 413), (case.id, path, response.status_code)


def test_the_app_still_answers_after_the_flood(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/health").get_json()["status"] in ("ok", "degraded")
    assert "SEND" in client.get("/").get_data(as_text=True)
