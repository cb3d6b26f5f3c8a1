"""Signing in and out of the staff console, lockout, CSRF, session cookies and who may open what."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from bot.db import models as m
from bot.db.session import session_scope
from bot.web.console import auth
from bot.web.console.nav import NAV_ITEMS, add_nav_item, role_may
from bot.web.console.signin import SIGN_IN_FAILED
from tests.web.console.conftest import STRONG_PASSWORD, StaffAccount, csrf_from, sign_in


def _audit(url: str, action: str, target: str) -> list[m.AuditEvent]:
    with session_scope(url) as db:
        return list(db.execute(select(m.AuditEvent).where(m.AuditEvent.action == action,
                                                          m.AuditEvent.target == target)).scalars())


def _user(url: str, username: str) -> m.StaffUser:
    with session_scope(url) as db:
        return db.execute(select(m.StaffUser).where(m.StaffUser.username == username)).scalar_one()


def test_signed_out_visitor_is_sent_to_sign_in_and_back(console_app: Flask, staff_user) -> None:
    client = console_app.test_client()
    response = client.get("/console/queue?status=new")
    assert response.status_code == 302
    assert response.location.startswith("/console/sign-in?next=")
    account = staff_user("helpline")
    response = sign_in(client, account.username, account.password, next_path="/console/queue")
    assert response.status_code == 302 and response.location == "/console/queue"


def test_sign_in_page_is_govuk_and_has_no_inline_script_without_nonce(console_app: Flask) -> None:
    response = console_app.test_client().get("/console/sign-in")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Local Offer assistant – staff console" in html
    assert '<link rel="stylesheet" href="/assets/govuk-frontend.min.css">' in html
    csp = response.headers["Content-Security-Policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert "unsafe-inline" not in csp
    assert html.count("<script") == html.count(f'nonce="{nonce}"') == 2
    assert response.headers["Cache-Control"] == "no-store"


def test_good_sign_in_rotates_the_session_and_sets_safe_cookie(console_app: Flask, staff_user) -> None:
    account = staff_user("officer")
    client = console_app.test_client()
    page = client.get("/console/sign-in")
    before = client.get_cookie("session").value
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/console/sign-in", data={"csrf_token": token, "username": account.username.upper(),
                                                      "password": account.password})
    assert response.status_code == 302 and response.location == "/console/"
    cookie_header = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header and "Secure" in cookie_header
    assert "Expires=" in cookie_header  # a permanent (8-hour) session, not a browser-lifetime one
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert session["staff_id"] == account.id and session.get("csrf_token") is None  # old token dropped
    home = client.get("/console/").get_data(as_text=True)
    assert "Signed in as" in home and account.username in home
    assert _user(console_app.config["SETTINGS"].database_url, account.username).last_sign_in_at is not None
    assert _audit(console_app.config["SETTINGS"].database_url, "signed_in", account.username)


def test_cookies_can_be_made_insecure_for_localhost_only_by_setting(loaded_db: str) -> None:
    from dataclasses import replace

    from bot.config import Settings
    from bot.web import create_app

    assert create_app(replace(Settings(), secret_key="x")).config["SESSION_COOKIE_SECURE"] is True
    insecure = create_app(replace(Settings(), secret_key="x", insecure_cookies=True))
    assert insecure.config["SESSION_COOKIE_SECURE"] is False


def test_bad_password_and_unknown_user_get_the_same_kind_message(console_app: Flask, staff_user) -> None:
    account = staff_user("helpline")
    client = console_app.test_client()
    wrong = sign_in(client, account.username, "not the password at all")
    unknown = sign_in(client, "nobody-here", "not the password at all")
    for response in (wrong, unknown):
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<title>Error: Sign in" in html
        assert SIGN_IN_FAILED in html
        assert "not the password at all" not in html  # the password is never echoed back
    assert client.get("/console/", follow_redirects=False).status_code == 302  # still signed out


def test_empty_form_gets_govuk_error_summary(console_app: Flask) -> None:
    client = console_app.test_client()
    token = csrf_from(client.get("/console/sign-in").get_data(as_text=True))
    html = client.post("/console/sign-in", data={"csrf_token": token}).get_data(as_text=True)
    assert "There is a problem" in html and "Enter your username" in html and "Enter your password" in html
    assert 'href="#username"' in html


def test_five_wrong_passwords_lock_the_account_for_15_minutes(console_app: Flask, staff_user,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = console_app.config["SETTINGS"].database_url
    account = staff_user("helpline")
    start = datetime(2030, 1, 7, 10, 0)
    monkeypatch.setattr(auth, "utcnow", lambda: start)
    client = console_app.test_client()
    for _ in range(5):
        assert SIGN_IN_FAILED in sign_in(client, account.username, "wrong password 123").get_data(as_text=True)
    assert _user(url, account.username).locked_until == start + timedelta(minutes=15)
    locked = sign_in(client, account.username, account.password)  # the right password, but locked
    assert locked.status_code == 200 and SIGN_IN_FAILED in locked.get_data(as_text=True)
    assert _audit(url, "account_locked", account.username)
    monkeypatch.setattr(auth, "utcnow", lambda: start + timedelta(minutes=15, seconds=1))
    assert sign_in(client, account.username, account.password).status_code == 302


def test_disabled_user_cannot_sign_in_and_open_sessions_end(console_app: Flask, signed_in_client) -> None:
    url = console_app.config["SETTINGS"].database_url
    client = signed_in_client("helpline")
    assert client.get("/console/").status_code == 200
    with session_scope(url) as db:
        from bot.helpline.staff import disable_user

        disable_user(db, client.staff.username, actor="test")
    assert client.get("/console/").status_code == 302
    response = sign_in(console_app.test_client(), client.staff.username, STRONG_PASSWORD)
    assert SIGN_IN_FAILED in response.get_data(as_text=True)


def test_session_ends_after_8_hours(console_app: Flask, signed_in_client, monkeypatch: pytest.MonkeyPatch) -> None:
    client = signed_in_client("helpline")
    later = datetime.utcnow() + timedelta(hours=8, minutes=1)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    assert client.get("/console/").status_code == 302


def test_post_without_csrf_token_gets_a_kind_400(console_app: Flask, staff_user) -> None:
    account = staff_user("helpline")
    client = console_app.test_client()
    client.get("/console/sign-in")
    response = client.post("/console/sign-in", data={"username": account.username, "password": account.password})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please try that again" in html and "nothing was changed" in html
    assert "Traceback" not in html and "CSRF" not in html


def test_sign_out_is_a_post_and_ends_the_session(console_app: Flask, signed_in_client, csrf_token) -> None:
    client = signed_in_client("helpline")
    assert client.get("/console/sign-out").status_code == 405
    token = csrf_token(client, "/console/")
    response = client.post("/console/sign-out", data={"csrf_token": token})
    assert response.status_code == 302 and "signed_out=1" in response.location
    assert "You have signed out" in client.get(response.location).get_data(as_text=True)
    assert client.get("/console/").status_code == 302
    assert _audit(console_app.config["SETTINGS"].database_url, "signed_out", client.staff.username)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/console", "/console\\@evil",
                                    "javascript:alert(1)", "/not-console"])
def test_next_never_leaves_the_console(target: str) -> None:
    assert auth.safe_next(target) is None


def test_helpline_cannot_open_admin_or_officer_pages(console_app: Flask, signed_in_client) -> None:
    client = signed_in_client("helpline")
    response = client.get("/console/audit")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You cannot open this page" in html and "Sign out" in html  # the console's own page
    officer_only = [item.endpoint for item in NAV_ITEMS if "helpline" not in item.roles and "admin" not in item.roles]
    for endpoint in officer_only:  # B's officer pages, once they exist
        with console_app.test_request_context():
            from flask import url_for

            path = url_for(endpoint)
        assert client.get(path).status_code == 403, path


def test_admin_may_open_everything_and_nav_follows_role(console_app: Flask, signed_in_client) -> None:
    admin, helpline = signed_in_client("admin"), signed_in_client("helpline")
    admin_home = admin.get("/console/").get_data(as_text=True)
    helpline_home = helpline.get("/console/").get_data(as_text=True)
    assert "Audit log" in admin_home and "Audit log" not in helpline_home
    assert "Search" in helpline_home and "Handoff queue" in helpline_home
    for path in ("/console/search", "/console/queue", "/console/audit"):
        assert admin.get(path).status_code == 200


def test_console_404_uses_the_console_page(console_app: Flask, signed_in_client) -> None:
    client = signed_in_client("helpline")
    response = client.get("/console/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "staff console" in response.get_data(as_text=True)
    public = console_app.test_client().get("/no-such-page")
    assert public.status_code == 404 and "staff console" not in public.get_data(as_text=True)


def test_nav_extension_point_for_other_console_areas() -> None:
    before = list(NAV_ITEMS)
    try:
        add_nav_item("Content", "console.officer_content", ("officer",), before="console.audit")
        add_nav_item("Content", "console.officer_content", ("officer",))  # twice: still once
        endpoints = [item.endpoint for item in NAV_ITEMS]
        assert endpoints.count("console.officer_content") == 1
        assert endpoints.index("console.officer_content") == endpoints.index("console.audit") - 1
    finally:
        NAV_ITEMS[:] = before
    assert role_may("admin", ("officer",)) and not role_may("helpline", ("officer",)) and role_may("helpline", ())


def test_govuk_assets_are_served(console_app: Flask) -> None:
    client = console_app.test_client()
    assert client.get("/assets/govuk-frontend.min.css").status_code == 200
    script = client.get("/assets/govuk-frontend.min.js")
    assert script.status_code == 200 and b"initAll" in script.data
    assert client.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 200
    assert client.get("/assets/../../package.json").status_code == 404


def test_staff_account_fixture_is_usable(staff_user) -> None:
    account: StaffAccount = staff_user("officer")
    assert account.role == "officer" and account.password == STRONG_PASSWORD



def test_a_fault_in_the_console_gets_the_console_500_page_without_a_trace(loaded_db: str, staff_user) -> None:
    from dataclasses import replace

    from bot.config import Settings
    from bot.web import create_app

    app = create_app(replace(Settings(), database_url=loaded_db, secret_key="console-test-secret"))

    @app.get("/console/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/console/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the console" in html and "0333 013 9949" in html
    assert "secret internals" not in html and "Traceback" not in html
