"""Fixtures for the staff console: the app on a real migrated and loaded database, staff users, signed-in
test clients, and the app served on a free loopback port for the browser tests.

Put console tests (the officer pages too) in this folder to use them:

    def test_x(signed_in_client, csrf_token):
        client = signed_in_client("officer")
        token = csrf_token(client, "/console/some-page")
        client.post("/console/some-action", data={"csrf_token": token})

`console_app` runs with CSRF on, as in production: every POST needs a token from a page the same client
fetched (`csrf_token`). Users have unique names, so tests in a module may share the database.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from bot.config import Settings
from bot.db.session import session_scope
from bot.helpline.staff import create_user
from bot.web import create_app

STRONG_PASSWORD = "Marsh-harrier-over-Tollesbury-42"
_names = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class StaffAccount:
    id: int
    username: str
    password: str
    role: str


def csrf_from(html: str) -> str:
    """The CSRF token in a page's first form."""
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


@pytest.fixture(scope="module")
def console_app(loaded_db: str) -> Flask:
    """The whole app (public pages and console) on the module's loaded database, CSRF on."""
    settings = replace(Settings(), database_url=loaded_db, secret_key="console-test-secret")
    app = create_app(settings)
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=True)
    return app


@pytest.fixture
def staff_user(loaded_db: str) -> Callable[..., StaffAccount]:
    """`staff_user("officer")` creates a user with a unique name and STRONG_PASSWORD."""

    def make(role: str = "helpline", username: str | None = None, password: str = STRONG_PASSWORD) -> StaffAccount:
        name = username or f"{role}-{next(_names)}"
        with session_scope(loaded_db) as db:
            identity = create_user(db, name, password, role, actor="test-setup")
        return StaffAccount(identity.id, identity.username, password, role)

    return make


def sign_in(client: FlaskClient, username: str, password: str, next_path: str | None = None) -> TestResponse:
    """Post the sign-in form as a person would (fetching the page first for its CSRF token)."""
    token = csrf_from(client.get("/console/sign-in").get_data(as_text=True))
    url = "/console/sign-in" + (f"?next={next_path}" if next_path else "")
    return client.post(url, data={"csrf_token": token, "username": username, "password": password})


@pytest.fixture
def signed_in_client(console_app: Flask, staff_user: Callable[..., StaffAccount]) -> Callable[..., FlaskClient]:
    """`signed_in_client("helpline")`: a test client signed in as a new user of that role (`client.staff`)."""

    def make(role: str = "helpline") -> FlaskClient:
        account = staff_user(role)
        client = console_app.test_client()
        response = sign_in(client, account.username, account.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.staff = account  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def csrf_token() -> Callable[[FlaskClient, str], str]:
    """`csrf_token(client, "/console/queue/LO-ABC234")`: the token from that page, for the next POST."""

    def fetch(client: FlaskClient, path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
        return csrf_from(response.get_data(as_text=True))

    return fetch


@pytest.fixture(scope="module")
def live_console(console_app: Flask) -> Iterator[str]:
    """The app served on a free loopback port in a thread, for Playwright; stopped after the module.
    A free port, so two browser test modules (or two CI runs) never clash."""
    from tests.web.browser import Served

    served = Served(console_app)
    try:
        yield served.url
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium for a module of console browser tests; screenshots go to test-artifacts/console/."""
    from tests.web.browser import ARTIFACTS, launched_chromium

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    (ARTIFACTS / "console").mkdir(parents=True, exist_ok=True)
    with launched_chromium(sync_api) as chromium:
        yield chromium


@pytest.fixture(autouse=True)
def no_refit_outlives_its_test() -> Iterator[None]:
    """Saving an answer refits the answer model in a background thread: wait for it after each test, so none
    runs on into the next module's database."""
    from bot.answers.answer_model import wait_for_refits

    yield
    wait_for_refits(60)
