"""The staff console in a real browser: keyboard-only sign-in, search, the queue and a transcript, with
axe-core on every page and screenshots in test-artifacts/console/ for a person to look at.

Why a browser: focus order, the autofocused search box, GOV.UK Frontend's JavaScript under our strict CSP
and the Secure session cookie only exist there.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from bot.db.queries.handoff import record_handoff_request
from bot.db.session import session_scope
from bot.helpline.handoff import format_transcript, new_reference
from tests.web.browser import (
    ARTIFACTS,
    AXE_JS,
    DESKTOP,
    MOBILE,
    NEEDS_BROWSER,  # the browser tier, defined once
    axe_violations,
    focused,
    serious,
)

pytestmark = [*NEEDS_BROWSER, pytest.mark.timeout(240)]
SHOTS = ARTIFACTS / "console"


@pytest.fixture
def queued(loaded_db: str) -> str:
    reference = new_reference()
    turns = [("user", "I'm worried about my daughter's annual review, my number is 07700 900456"),
             ("bot", "I can ask the SEND team to call you back.")]
    with session_scope(loaded_db) as db:
        record_handoff_request(db, reference=reference, conversation_id="browser-" + reference, reason="asked",
                               topic="annual_review", kind="callback", first_name="Sam", contact="07700900456",
                               consent=True, consent_text="Yes, call me back",
                               transcript_redacted=format_transcript(turns))
    return reference


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _tab_to(page: Any, text: str, limit: int = 40) -> None:
    """Press Tab until the focused element's text starts with `text`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["text"].startswith(text):
            return
    raise AssertionError(f"Tab never reached '{text}'")


def _keyboard_sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/console/sign-in")
    assert focused(page)["id"] == "username"  # autofocus: no mouse needed
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/")


def test_keyboard_only_sign_in_search_queue_and_transcript(browser: Any, live_console: str,
                                                          staff_user: Callable[..., Any], queued: str) -> None:
    account = staff_user("helpline")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = _watch(page)

    _keyboard_sign_in(page, live_console, account.username, account.password)
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")  # nonce'd script ran
    cookie = next(c for c in context.cookies() if c["name"] == "session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["secure"]
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)

    _tab_to(page, "Search")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/search")
    page.wait_for_load_state("load")  # autofocus is applied once the page has loaded, not at the URL change
    assert focused(page)["id"] == "q"  # the box is ready for typing while the parent talks
    page.keyboard.type("speech therapy colchester age 7")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Colchester Speech and Language Drop-in")
    assert "01632 960171" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

    _tab_to(page, "Handoff queue")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/queue")
    page.screenshot(path=str(SHOTS / "queue.png"), full_page=True)
    _tab_to(page, queued, limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/console/queue/{queued}")
    main = page.inner_text("main")
    said = "Family: I'm worried about my daughter's annual review, my number is [phone]"
    assert said in main.replace("Family:\n", "Family: ")
    assert "07700 900456" not in main

    _tab_to(page, "Take this")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=You have taken {queued}")
    assert "Mark as done" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "queue-item.png"), full_page=True)
    assert problems == []  # no CSP violations, no missing assets, no script errors
    context.close()


PAGES = ["/console/sign-in", "/console/", "/console/search", "/console/search?q=annual+review",
         "/console/search?q=zzzzqqq", "/console/queue", "QUEUED", "/console/audit", "/console/no-such-page"]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_axe_finds_nothing_serious_on_console_pages(browser: Any, live_console: str, staff_user: Callable[..., Any],
                                                   queued: str, viewport: dict[str, int]) -> None:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not found at {AXE_JS} (npm install axe-core@4, or set AXE_JS)")
    account = staff_user("admin")
    # bypass_csp only lets the test inject axe; the pages are otherwise as served.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    name = "desktop" if viewport is DESKTOP else "mobile"
    found: dict[str, list[dict[str, Any]]] = {}
    for index, path in enumerate(PAGES):
        if path == "/console/":
            _keyboard_sign_in(page, live_console, account.username, account.password)
        else:
            page.goto(live_console + (f"/console/queue/{queued}" if path == "QUEUED" else path))
        label = f"console-{name}-{index}"
        page.screenshot(path=str(SHOTS / f"{name}-{index}.png"), full_page=True)
        found[path] = serious(axe_violations(page, label, SHOTS))
        if viewport is MOBILE:
            assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"], path
    assert {path: v for path, v in found.items() if v} == {}
    context.close()
