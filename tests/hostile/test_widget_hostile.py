"""The widget in Debian's chromium, fed hostile *replies* by a fake Rasa: nothing in a reply may become an
element, a script, an event handler or an unsafe link; refusals (413/429) show the channel's kind text.

Why a fake: the real assistant never says these things, which is exactly why the widget must be shown to
cope if it ever did (a compromised action server, a content mistake, a proxy rewriting replies).
The web app runs on 127.0.0.1:8790; the fake on a free port.
"""
from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, Iterable, Iterator

import pytest

from bot.config import Settings
from bot.web import create_app
from tests.web.browser import (  # the browser tier, defined once  # noqa: E402
    DESKTOP,
    NEEDS_BROWSER,
    Served,
    launched_chromium,
    sync_api,
)

pytestmark = [*NEEDS_BROWSER, pytest.mark.timeout(180)]
WEB_PORT = 8790

HOSTILE_REPLIES: list[Any] = [
    {"text": "<script>window.__pwned = 1</script>"},
    {"text": "<img src=x onerror=\"window.__pwned = 2\"> and <svg onload=\"window.__pwned = 3\"></svg>"},
    {"text": "[click me](javascript:window.__pwned=4) [data](data:text/html,<script>parent.__pwned=5</script>)"},
    {"text": "<iframe src=\"javascript:parent.__pwned=6\"></iframe><a href=\"javascript:window.__pwned=7\">x</a>"},
    {"text": "**<b onmouseover=\"window.__pwned=8\">bold</b>** \u202eevil\u202c {{7*7}} ${7*7} <style>*{display:none}</style>"},
    {"text": "\"><script>window.__pwned=9</script><!--", "recipient_id": "<script>window.__pwned=10</script>"},
    {"image": "javascript:window.__pwned=11"},
    {"image": "https://tracker.example/pixel.png\" onerror=\"window.__pwned=12"},
    {"buttons": [{"title": "<img src=x onerror=\"window.__pwned=13\">", "payload": "\"><script>window.__pwned=14</script>"},
                 {"title": "ok", "payload": "/affirm"}, {"title": 5, "payload": None}, "not a button"]},
    {"text": 12345}, {"text": None}, {"custom": {"html": "<script>window.__pwned=15</script>"}}, "a bare string", None,
    {"text": "\x00\x01\x1b[31m controls \x7f\x85 end"},
    {"text": "x" * 20000},
]
KIND_413 = [{"recipient_id": "", "text": "That message is too long for me. Please call the SEND helpline on 0333 013 9949."}]
KIND_429 = [{"recipient_id": "", "text": "You have sent a lot of messages in a short time. Please wait a minute."}]


class HostileRasa:
    """Answers like Rasa's REST channel would if it had been subverted; records what the widget sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        cors = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "Content-Type"),
                ("Access-Control-Allow-Methods", "POST, OPTIONS")]
        if environ["REQUEST_METHOD"] == "OPTIONS":
            start_response("204 No Content", cors)
            return [b""]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        self.received.append(body)
        message = body.get("message")
        status, reply, content_type = "200 OK", json.dumps(HOSTILE_REPLIES).encode(), "application/json"
        if message == "too long please":
            status, reply = "413 Payload Too Large", json.dumps(KIND_413).encode()
        elif message == "slow down please":
            status, reply = "429 Too Many Requests", json.dumps(KIND_429).encode()
        elif message == "html error please":
            status, reply, content_type = "400 Bad Request", b"<script>window.__pwned=99</script>", "text/html"
        start_response(status, cors + [("Content-Type", content_type)])
        return [reply]


@pytest.fixture(scope="module")
def fake() -> Iterator[HostileRasa]:
    app = HostileRasa()
    served = Served(app)
    app.url = served.url  # type: ignore[attr-defined]
    yield app
    served.stop()


@pytest.fixture(scope="module")
def site(fake: HostileRasa) -> Iterator[str]:
    settings = replace(Settings(), rasa_public_url=fake.url, secret_key="hostile-widget")  # type: ignore[attr-defined]
    served = Served(create_app(settings), port=WEB_PORT)
    yield served.url
    served.stop()


INJECTION_REPORT = """() => {
  const log = document.querySelector('.loc-chat-log');
  const handlers = [];
  for (const el of log.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) { handlers.push(el.tagName + ' ' + attr.name); }
    }
  }
  return {
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    scripts: document.querySelectorAll('script').length,
    foreign: Array.from(log.querySelectorAll('script, img, svg, iframe, style, object, embed, b, math, form, input'))
      .map(e => e.tagName),
    handlers: handlers,
    hrefs: Array.from(log.querySelectorAll('a')).map(a => a.getAttribute('href')),
    text: log.innerText,
    hidden: document.querySelector('.loc-chat-panel').hidden
  };
}"""


def test_hostile_replies_are_shown_as_text_and_inject_nothing(site: str, fake: HostileRasa) -> None:
    with launched_chromium(sync_api) as browser:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(site + "/")
        page.wait_for_selector(".loc-chat-launcher", state="visible")
        scripts_before = page.evaluate("() => document.querySelectorAll('script').length")
        page.click(".loc-chat-launcher")

        page.fill(".loc-chat-input", "<script>window.__pwned='typed'</script>")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('.loc-chat-msg--bot:not(.loc-chat-msg--intro)').length >= 8")
        quick = page.locator(".loc-chat-quick-reply")
        assert quick.count() == 2  # the malformed buttons are dropped
        quick.first.click()  # the hostile payload is sent as text, never run
        page.wait_for_function("(n) => document.querySelectorAll('.loc-chat-msg--user').length >= n", arg=2)
        page.wait_for_timeout(300)

        report = page.evaluate(INJECTION_REPORT)
        assert report["pwned"] is None, report
        assert report["scripts"] == scripts_before
        assert report["foreign"] == [], report["foreign"]
        assert report["handlers"] == [], report["handlers"]
        assert all(h.startswith(("https://", "http://", "tel:")) for h in report["hrefs"]), report["hrefs"]
        assert "<script>window.__pwned = 1</script>" in report["text"]  # shown, as text
        assert "<script>window.__pwned='typed'</script>" in report["text"]
        assert "\u202e" not in report["text"] and "\x1b" not in report["text"]
        assert fake.received[-1]["message"] == "\"><script>window.__pwned=14</script>"
        assert errors == [], errors
        context.close()


def test_refusals_show_the_channels_kind_text(site: str) -> None:
    with launched_chromium(sync_api) as browser:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(site + "/")
        page.wait_for_selector(".loc-chat-launcher", state="visible")
        page.click(".loc-chat-launcher")
        bots = ".loc-chat-msg--bot:not(.loc-chat-msg--intro)"
        for number, (message, expected) in enumerate(
                [("too long please", "too long for me"), ("slow down please", "wait a minute")], start=1):
            page.fill(".loc-chat-input", message)
            page.keyboard.press("Enter")
            page.wait_for_function(
                "(n) => document.querySelectorAll('.loc-chat-msg--bot:not(.loc-chat-msg--intro)').length >= n",
                arg=number)
            assert expected in page.locator(bots).last.inner_text()
        page.fill(".loc-chat-input", "html error please")
        page.keyboard.press("Enter")
        page.wait_for_selector(".loc-chat-msg--error")
        error = page.locator(".loc-chat-msg--error").last.inner_text()
        assert "not working right now" in error and "<script>" not in error
        assert page.evaluate("() => window.__pwned === undefined")
        context.close()
