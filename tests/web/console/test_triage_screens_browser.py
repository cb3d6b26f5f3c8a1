"""Issue #17: the three screens a helpline worker and an officer triage from (the queue, a transcript and the
dashboard) at desktop width (1280 px) and at 320 px, saved as test-artifacts/console/triage-*.png, each with
axe-core at 0 serious or critical violations and no sideways scrolling of the page at 320 px.

Why filled with data: an empty queue or a dashboard of zeros hides the layouts that break (a wide table, a long
area name, a chart with bars), so the queue has every kind of request with and without an area, and the
dashboard reads a tracker store with conversations in it.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from flask import Flask

from bot.db import models as m
from bot.db.queries.handoff import record_handoff_request
from bot.db.session import session_scope
from bot.helpline.handoff import format_transcript, new_reference
from bot.insight.review import record_unanswered
from tests.insight.test_dashboard import action, make_tracker, user
from tests.web.browser import (
    ARTIFACTS,
    AXE_JS,
    DESKTOP,
    MOBILE,
    NEEDS_BROWSER,  # the browser tier, defined once
    axe_violations,
    serious,
)

pytestmark = [*NEEDS_BROWSER, pytest.mark.timeout(300)]
SHOTS = ARTIFACTS / "console"

REQUESTS = [  # kind, reason, flag reason, area, quadrant, what the family wrote
    ("flag", "safeguarding", "harm_now", "Basildon", "south", "he said he wants to hurt himself tonight"),
    ("callback", "asked", None, "Colchester", "north_east",
     "I'm worried about my daughter's annual review, my number is 07700 900456"),
    ("contact", "fallbacks", None, None, None, "short breaks in Thurrock please"),
    ("concern", "safeguarding", "distress", "Mid Essex", "mid", "I'm not coping with any of this"),
]


@pytest.fixture
def triage_data(loaded_db: str) -> str:
    """The queue and inbox filled as a busy morning leaves them; returns the callback's reference."""
    callback = ""
    with session_scope(loaded_db) as db:
        db.execute(m.HandoffRequest.__table__.delete())
        for kind, reason, flag_reason, area, quadrant, words in REQUESTS:
            reference = new_reference()
            details = {"first_name": "Sam", "contact": "07700900456", "consent": True,
                       "consent_text": "Yes, you can call me back"} if kind == "callback" else {}
            turns = [("user", words), ("bot", "I can ask someone from the SEND team to call you back."),
                     ("user", "[clicked: Yes]")]
            record_handoff_request(db, reference=reference, conversation_id="triage-" + reference, reason=reason,
                                   topic="annual_review", kind=kind, flag_reason=flag_reason, area=area,
                                   quadrant=quadrant, transcript_redacted=format_transcript(turns), **details)
            callback = reference if kind == "callback" else callback
    for sender, words, reason in [("t1", "short breaks in Thurrock", "fallback"), ("t2", "bin day", "out_of_scope"),
                                  ("t3", "that didnt answer it", "not_helped"), ("t4", "talk to someone", "handoff")]:
        record_unanswered(sender, words, reason, [])
    return callback


@pytest.fixture
def tracker(console_app: Flask, tmp_path: Path) -> Iterator[None]:
    """A tracker store with today's conversations, so the dashboard's charts have bars."""
    now = datetime.now().timestamp()
    rows = []
    for n, intent in enumerate(["annual_review", "annual_review", "request_assessment", "nlu_fallback", "find_service"]):
        rows += [user(f"s{n}", now - 300 + n, intent), action(f"s{n}", now - 299 + n, "action_answer_guidance")]
    settings = console_app.config["SETTINGS"]
    console_app.config["SETTINGS"] = replace(settings, tracker_store_url=make_tracker(tmp_path / "tracker.db", rows))
    yield
    console_app.config["SETTINGS"] = settings


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/console/sign-in")
    page.fill("#username", username)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "320"])
def test_queue_transcript_and_dashboard_screens(browser: Any, live_console: str, staff_user: Callable[..., Any],
                                                triage_data: str, tracker: None, viewport: dict[str, int]) -> None:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core not found at {AXE_JS} (npm install axe-core@4, or set AXE_JS)")
    account = staff_user("officer")  # an officer may open the queue and the dashboard
    width = viewport["width"]
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # bypass_csp only so axe can be injected
    page = context.new_page()
    _sign_in(page, live_console, account.username, account.password)
    found: dict[str, list[dict[str, Any]]] = {}
    for name, path, expected in [
        ("queue", "/console/queue", "Colchester (North East Essex)"),
        ("transcript", f"/console/queue/{triage_data}", "my number is [phone]"),
        ("dashboard", "/console/dashboard", "What went to the officers' inbox"),
    ]:
        page.goto(live_console + path)
        main = page.inner_text("main").replace("\n", " ")
        assert expected in main, name
        if name == "queue":  # the preview is what the family typed, not the button they clicked last
            assert "short breaks in Thurrock please" in main and "[clicked: Yes]" not in main
        page.screenshot(path=str(SHOTS / f"triage-{name}-{width}.png"), full_page=True)
        found[name] = serious(axe_violations(page, f"triage-{name}-{width}", SHOTS))
        wide = page.evaluate("(w) => Array.from(document.querySelectorAll('main *')).filter(e => "
                             "e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName + '.' + "
                             "e.className)", width)  # what sticks out, to say in the failure
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{name} is too wide: {wide}"
    assert found == {"queue": [], "transcript": [], "dashboard": []}
    context.close()
