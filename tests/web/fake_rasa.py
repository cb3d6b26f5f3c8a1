"""A stand-in for Rasa's REST channel, for browser tests of the widget.

Why: the widget's behaviour (replies, buttons, errors, unsafe links) must be checked without training or
running Rasa. It answers like `POST /webhooks/rest/webhook` does, with the CORS headers Rasa sends when
started with `--cors "*"`.
"""
from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterable

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

CORS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Content-Type"),
]

UNSAFE_TEXT = (
    'Look: <img src=x onerror="window.__pwned=1"> [click me](javascript:window.__pwned=2) '
    "data:text/html,<b>x</b> and a safe link https://www.gov.uk/children-with-special-educational-needs. "
    "**Bold words** end.\u202e"
)


# As bot.safeguarding.routes writes them: every number must become a link a family can tap on a phone.
ROUTES_TEXT = (
    "If a child is in danger right now, call 999.\n"
    "- Essex Children and Families Hub: 0345 603 7627. Open now (Monday to Thursday 9am to 5.30pm).\n"
    "- NHS 111, option 2: 111, for a mental health crisis.\n- Samaritans: 116 123, for anyone struggling.\n"
    "- SHOUT (text): 85258, if you would rather text than talk. It costs £1,000 in 2026, not a number."
)


# As the guidance actions send them: a summary with its sections, then "Did this help?"; a section re-offers the
# other sections and asks again (actions/guidance_actions.py).
SECTIONS = {"steps": "What happens", "timescales": "Time limits in law", "who_can_help": "Who can help",
            "if_it_goes_wrong": "If it goes wrong"}
FEEDBACK = {"text": "Did this help?", "buttons": [{"title": "Yes", "payload": "/affirm"},
                                                   {"title": "No", "payload": "/deny"}]}


def _section_buttons(but: str = "") -> list[dict[str, str]]:
    return [{"title": title, "payload": '/more_info{"section": "%s"}' % key}
            for key, title in SECTIONS.items() if key != but]


def guidance_reply(sender: str, message: str) -> list[dict[str, Any]] | None:
    """The article path: 'how long does an assessment take' and its section buttons."""
    if message == "how long does an assessment take":
        return [{"recipient_id": sender, "text": "Asking for an assessment\n\nThe whole process takes 20 weeks.",
                 "buttons": _section_buttons()}, {"recipient_id": sender, **FEEDBACK}]
    if message.startswith('/more_info{"section": "'):
        key = message.split('"section": "')[1].split('"')[0]
        return [{"recipient_id": sender, "text": f"{SECTIONS.get(key, key)}\n- One step, then the next.",
                 "buttons": _section_buttons(key)}, {"recipient_id": sender, **FEEDBACK}]
    return None


def reply_for(sender: str, message: str) -> list[dict[str, Any]] | None:
    """The bot's messages for `message`, or None to answer with a server error."""
    if message == "please fail":
        return None
    if message == "please wait":
        time.sleep(1.5)
        return [{"recipient_id": sender, "text": "Thank you for waiting."}]
    if message == "/request_human":
        return [{"recipient_id": sender, "text": "I can ask someone from the SEND team to call you back."}]
    if message == "show routes":
        return [{"recipient_id": sender, "text": ROUTES_TEXT}]
    if message == "show unsafe":
        return [{"recipient_id": sender, "text": UNSAFE_TEXT}]
    guidance = guidance_reply(sender, message)
    if guidance is not None:
        return guidance
    if message.startswith("/"):
        return [{"recipient_id": sender, "text": f"You chose {message}. Anything else?"}]
    return [
        {"recipient_id": sender, "text": "An EHC plan sets out the support a child needs."},
        {
            "recipient_id": sender,
            "text": "Is your child at school?",
            "buttons": [
                {"title": "Yes, at school", "payload": "/affirm"},
                {"title": "Not yet", "payload": "/deny"},
            ],
        },
    ]


class FakeRasa:
    """WSGI app; keeps what it was sent in `received`, so tests can check sender ids and payloads."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if environ.get("PATH_INFO") != "/webhooks/rest/webhook":
            start_response("404 Not Found", CORS + [("Content-Type", "text/plain")])
            return [b"not found"]
        if method == "OPTIONS":
            start_response("204 No Content", CORS)
            return [b""]
        if method != "POST":
            start_response("405 Method Not Allowed", CORS)
            return [b""]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        sender, message = str(body.get("sender", "")), str(body.get("message", ""))
        self.received.append({"sender": sender, "message": message})
        messages = reply_for(sender, message)
        if messages is None:
            start_response("500 Internal Server Error", CORS + [("Content-Type", "application/json")])
            return [b'{"error": "boom"}']
        start_response("200 OK", CORS + [("Content-Type", "application/json")])
        return [json.dumps(messages).encode()]


app = FakeRasa()
