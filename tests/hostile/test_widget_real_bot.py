"""A whole conversation in the chat widget against the real assistant (Rasa and the action server started by
this tier's `stack` fixture), keyboard only, with axe on the open widget showing real answers.

Why here: this tier is the one that runs the real servers; the widget's other browser tests use a fake Rasa
so they can stay fast and exact. Screenshots go to test-artifacts/widget-real-*.png.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator

import pytest

from bot.config import Settings
from bot.web import create_app
from tests.hostile.conftest import WEB_ORIGIN, Stack  # noqa: E402
from tests.web.browser import (  # the browser tier, defined once  # noqa: E402
    ARTIFACTS,
    DESKTOP,
    NEEDS_BROWSER,
    Served,
    axe_violations,
    launched_chromium,
    serious,
    sync_api,
)

pytestmark = [*NEEDS_BROWSER, pytest.mark.timeout(300)]
BOT_REPLY = ".loc-chat-msg--bot:not(.loc-chat-msg--intro)"


@pytest.fixture(scope="module")
def site(stack: Stack) -> Iterator[str]:
    app = create_app(replace(Settings(), rasa_public_url=stack.rasa_url, insecure_cookies=True))
    served = Served(app, port=int(WEB_ORIGIN.rsplit(":", 1)[1]))
    try:
        yield WEB_ORIGIN
    finally:
        served.stop()


def _active(page: Any) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


def _wait_for_more_replies(page: Any, count: int) -> None:
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[BOT_REPLY, count],
                           timeout=60_000)
    page.wait_for_selector(".loc-chat-typing", state="hidden", timeout=60_000)


def test_a_family_talks_to_the_real_assistant_with_the_keyboard_only(site: str) -> None:
    with launched_chromium(sync_api) as browser:
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)  # so axe can be injected
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(site + "/")
        page.wait_for_selector(".loc-chat-launcher", state="visible")
        for _ in range(60):
            page.keyboard.press("Tab")
            if _active(page) == "loc-chat-launcher":
                break
        page.keyboard.press("Enter")
        assert _active(page) == "loc-chat-input"

        before = page.locator(BOT_REPLY).count()
        page.keyboard.type("how long does an EHC needs assessment take?")
        page.keyboard.press("Enter")
        _wait_for_more_replies(page, before)
        page.wait_for_selector(".loc-chat-quick-reply", timeout=60_000)
        log = page.inner_text("[role=log]")
        # The answer bank's answer to that question (the 20-week limit), with the article's sections as buttons.
        assert "20 weeks" in log and "Time limits in law" in log and "Did this help?" in log
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "widget-real-answer.png"))
        assert serious(axe_violations(page, "widget-real-answer")) == []

        # Answer a quick reply with the keyboard: Shift+Tab from the input reaches the buttons.
        titles = page.locator(".loc-chat-quick-reply").all_inner_texts()
        assert titles, "the answer offers quick replies"
        page.keyboard.press("Shift+Tab")
        chosen = page.evaluate("() => document.activeElement.textContent")
        assert chosen in titles
        before = page.locator(BOT_REPLY).count()
        page.keyboard.press("Enter")
        _wait_for_more_replies(page, before)
        assert page.locator(".loc-chat-msg--user").last.inner_text().endswith(chosen)

        # A service search through the form, still by keyboard: the assistant asks only for what is missing.
        before = page.locator(BOT_REPLY).count()
        page.keyboard.type("is there speech therapy in Colchester")
        page.keyboard.press("Enter")
        _wait_for_more_replies(page, before)
        assert "old" in page.locator(BOT_REPLY).last.inner_text().lower()  # "How old is your child?"
        before = page.locator(BOT_REPLY).count()
        page.keyboard.type("he is 7")
        page.keyboard.press("Enter")
        _wait_for_more_replies(page, before)
        assert "Colchester" in page.inner_text("[role=log]")
        page.screenshot(path=str(ARTIFACTS / "widget-real-services.png"))
        assert problems == []
        context.close()
