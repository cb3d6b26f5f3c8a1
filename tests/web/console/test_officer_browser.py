"""The officers' pages in a real browser with the keyboard only: filter the inbox, assign an intent to a group,
download the YAML export and read it, edit a guidance article; axe-core on every officer page, and
screenshots in test-artifacts/console/officer-*.png for a person to look at."""
from __future__ import annotations

from typing import Any, Callable

import pytest
import yaml
from sqlalchemy import select

from bot.db import models as m
from bot.db.session import session_scope
from bot.insight.review import record_unanswered
from tests.web.browser import (
    ARTIFACTS,
    AXE_JS,
    DESKTOP,
    NEEDS_BROWSER,  # the browser tier, defined once
    axe_violations,
    focused,
    serious,
)

pytestmark = [*NEEDS_BROWSER, pytest.mark.timeout(300)]
SHOTS = ARTIFACTS / "console"
RANKING = [{"name": "school_transport", "confidence": 0.38}, {"name": "find_service", "confidence": 0.2}]


@pytest.fixture
def inbox(loaded_db: str) -> None:
    with session_scope(loaded_db) as db:
        db.execute(m.UnansweredQuestion.__table__.delete())
    for sender, message, reason, ranking in [
        ("a", "can my son get a bus pass to school", "fallback", RANKING),
        ("b", "bus pass for my son to school please, call 07700 900789", "fallback", RANKING),
        ("c", "bus passes to school", "fallback", RANKING),
        ("d", "when is the bin collection in Witham", "out_of_scope", []),
    ]:
        assert record_unanswered(sender, message, reason, ranking)


def _tab_until(page: Any, *, id: str | None = None, text: str | None = None, limit: int = 120) -> None:
    """Press Tab until the element with `id` (or starting with `text`) has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if (id and now["id"] == id) or (text and now["text"].startswith(text)):
            return
    raise AssertionError(f"Tab never reached {id or text!r}")


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/console/sign-in")
    assert focused(page)["id"] == "username"
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/console/")


def test_officer_keyboard_journey(browser: Any, live_console: str, staff_user: Callable[..., Any], inbox: None,
                                  loaded_db: str, tmp_path: Any) -> None:
    account = staff_user("officer")
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    _sign_in(page, live_console, account.username, account.password)

    _tab_until(page, text="Inbox")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inbox")
    assert "2 groups of 4 questions" in page.inner_text("main")

    # The questions come first; the filter is one line until opened, by keyboard like any GOV.UK details.
    assert not page.is_visible("#reason")
    _tab_until(page, id="inbox-filter-summary")
    page.keyboard.press("Enter")
    # Filter: "Why it was stored" = Not understood (the first real choice), then the Filter button.
    _tab_until(page, id="reason")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.getElementById('reason').value") == "fallback"
    _tab_until(page, id="filter")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/inbox?*reason=fallback*")
    main = page.inner_text("main")
    assert "1 group of 3 questions" in main and "07700" not in main
    page.screenshot(path=str(SHOTS / "officer-inbox.png"), full_page=True)

    # Assign an intent to the group: type-ahead in the select, then the group's Assign button.
    _tab_until(page, id="group-1-intent")
    page.keyboard.type("school_t")
    assert page.evaluate("() => document.getElementById('group-1-intent').value") == "school_transport"
    _tab_until(page, id="group-1-assign")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=3 questions assigned to school_transport")
    with session_scope(loaded_db) as db:
        assigned = db.execute(select(m.UnansweredQuestion).where(m.UnansweredQuestion.status == "assigned")).scalars().all()
    assert len(assigned) == 3 and {q.assigned_intent for q in assigned} == {"school_transport"}

    # Download the export with the keyboard and read it as Rasa would.
    _tab_until(page, text="Download them for Rasa (YAML)")
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    download = caught.value
    assert download.suggested_filename.startswith("officer-examples-") and download.suggested_filename.endswith(".yml")
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["version"] == "3.1" and [b["intent"] for b in data["nlu"]] == ["school_transport"]
    examples = [line[2:] for line in data["nlu"][0]["examples"].splitlines()]
    assert len(examples) == 3 and any("[phone]" in e for e in examples) and not any("07700" in e for e in examples)

    # Edit a guidance article.
    _tab_until(page, text="Guidance")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/guidance")
    page.screenshot(path=str(SHOTS / "officer-guidance.png"), full_page=True)
    with session_scope(loaded_db) as db:
        title = db.get(m.GuidanceArticle, "school_transport").title
    # The "Needs checking" list (every section with its sources) comes first; a keyboard user skips past it.
    _tab_until(page, id="skip-to-articles")
    page.keyboard.press("Enter")
    _tab_until(page, text=title)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/guidance/school_transport")
    _tab_until(page, id="summary")
    page.keyboard.press("Control+A")
    page.keyboard.type("Essex County Council decides who gets free home to school transport. Ask early.")
    _tab_until(page, id="submit")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Changes saved: summary")
    assert "no retraining" in page.inner_text("main")
    with session_scope(loaded_db) as db:
        assert db.get(m.GuidanceArticle, "school_transport").summary.startswith("Essex County Council decides")
    page.screenshot(path=str(SHOTS / "officer-guidance-edit.png"), full_page=True)
    assert problems == []  # no CSP violations, missing assets or script errors on the officer pages
    context.close()


PAGES = [
    ("inbox", "/console/inbox"),
    ("inbox-filtered", "/console/inbox?reason=fallback&status="),
    ("inbox-error", "/console/inbox?date_from=31&date_from=2&date_from=2026"),
    ("inbox-group", "GROUP"),
    ("guidance-list", "/console/guidance"),
    ("guidance-edit", "/console/guidance/annual_review"),
    ("coverage", "/console/coverage"),
    ("coverage-examples", "/console/coverage?examples=y"),
    ("dashboard", "/console/dashboard"),
    ("dashboard-error", "/console/dashboard?start=1&start=3&start=2026&end=1&end=2&end=2026"),
]


def test_axe_finds_nothing_serious_on_officer_pages(browser: Any, live_console: str, staff_user: Callable[..., Any],
                                                   inbox: None, loaded_db: str) -> None:
    if not AXE_JS.exists():
        pytest.skip(f"axe-core not found at {AXE_JS}")
    account = staff_user("officer")
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # only so the test can inject axe
    page = context.new_page()
    _sign_in(page, live_console, account.username, account.password)
    with session_scope(loaded_db) as db:
        ids = ",".join(str(i) for i in db.execute(select(m.UnansweredQuestion.id)).scalars())
    found: dict[str, list[dict[str, Any]]] = {}
    for label, path in PAGES:
        page.goto(live_console + (f"/console/inbox/group?ids={ids}" if path == "GROUP" else path))
        page.screenshot(path=str(SHOTS / f"officer-{label}.png"), full_page=True)
        found[label] = serious(axe_violations(page, f"officer-{label}", SHOTS))
    # The guidance edit page with its error summary, as an officer sees it after a mistake.
    page.goto(live_console + "/console/guidance/annual_review")
    page.fill("#summary", "")
    page.click("#submit")
    page.wait_for_selector(".govuk-error-summary")
    page.screenshot(path=str(SHOTS / "officer-guidance-edit-error.png"), full_page=True)
    found["guidance-edit-error"] = serious(axe_violations(page, "officer-guidance-edit-error", SHOTS))
    assert {label: v for label, v in found.items() if v} == {}
    context.close()
