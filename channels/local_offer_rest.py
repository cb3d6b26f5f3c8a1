"""The public chat endpoint: Rasa's REST channel with guards, at the same address.

Switched on in credentials.yml as `channels.local_offer_rest.LocalOfferRestInput`; `name()` is "rest", so the
widget and every client keep using POST /webhooks/rest/webhook with {"sender": ..., "message": ...}.

What it does before the assistant sees a message (the checks themselves are bot.conversation.input_guard):
- bodies over MESSAGE_MAX_BODY_BYTES (64 KiB): 413; a content type other than application/json: 415;
  bytes that are not UTF-8, text that is not JSON, or JSON that is not an object: 400;
- a sender that is missing, not a string, over 128 characters or with characters outside
  [A-Za-z0-9_.:@=+-]: 400 (refused, not hashed; see bot.conversation.input_guard.SENDER_PATTERN);
- a message that is not a string: 400; missing, empty or only spaces/control characters: 200 with a nudge;
  over MESSAGE_MAX_CHARS (2,000) characters after cleaning: 413;
- more than RATE_LIMIT_PER_MINUTE (20) messages a minute from one sender (token bucket, bursts of
  RATE_LIMIT_BURST): 429 with Retry-After. Buckets live in Redis when REDIS_URL (or `redis_url:` under this
  channel in credentials.yml) is set, so replicas share them; in memory otherwise, and also while Redis is
  unreachable (the family is never refused because Redis is down);
- control characters (C0/C1 except newline and tab), bidi overrides, zero-width characters and lone
  surrogates are removed; the rest of the text, right-to-left scripts included, is passed on unchanged.
Extra JSON fields are ignored; `metadata` is passed on only when it is a small object; `input_channel` from
the client is ignored (always "rest"); `?stream=true` is ignored (the reply is always one JSON list).

What it does after: when the agent raised (for example the Redis lock store is down) or produced no message
at all (for example the action server is down, so Rasa logs the failed action and says nothing), the reply
is 200 with one kind message that gives the helpline number(s) from data/local_offer/helpline.yml and the 999
reminder (replies.yml, key `no_reply`) instead of silence or a 500. Nothing is retried here, so a message is
never handled twice.

Every reply, refusals included, is Rasa's shape: a JSON list [{"recipient_id": <sender or "">, "text": ...}],
which the widget (bot/web/static/widget/local-offer-chat.js) shows as the assistant's answer whatever the
status. The wording of every refusal is in channels/replies.yml.
"""
from __future__ import annotations

import asyncio
import logging
import math
import os
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.conversation.input_guard import Limits, Problem, read_request
from bot.helpline.contacts import DEFAULT_PHONE, get_helpline
from channels.action_validation import install as install_fast_action_validation
from channels.rate_limit import SenderRateLimiter

# Rasa loads this module when it starts, so every `rasa run` of this project checks action replies the
# fast way (channels/action_validation.py explains why).
install_fast_action_validation()

logger = logging.getLogger(__name__)

REPLIES_FILE = Path(__file__).with_name("replies.yml")
NO_REPLY = "no_reply"


def load_replies(path: Path = REPLIES_FILE) -> dict[str, str]:
    """The wording, checked at start-up: a missing reply is a packaging mistake and should stop the server
    before any family meets it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    missing = [key for key in [p.value for p in Problem] + [NO_REPLY] if not str(data.get(key) or "").strip()]
    if missing:
        raise ValueError(f"{path} has no reply for: {', '.join(missing)}")
    return {str(key): str(value) for key, value in data.items()}


def helpline_phone() -> str:
    """Every team's number (we don't know where the family lives); the main number if the file is unreadable."""
    try:
        return get_helpline().phone_for(None)
    except Exception:
        logger.exception("Could not read the helpline file")
        return DEFAULT_PHONE


class LocalOfferRestInput(RestInput):
    """RestInput with the guards above; see the module docstring for every behaviour."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "LocalOfferRestInput":
        credentials = credentials or {}
        return cls(
            limits=Limits.from_env(os.environ),
            redis_url=str(credentials.get("redis_url") or os.environ.get("REDIS_URL") or "") or None,
        )

    def __init__(self, limits: Limits | None = None, redis_url: str | None = None,
                 replies: dict[str, str] | None = None) -> None:
        self.limits = limits or Limits()
        self.replies = replies or load_replies()
        self.rate_limiter = SenderRateLimiter(self.limits.rate_per_minute, self.limits.burst, redis_url)
        logger.info("Local Offer REST channel: %d characters a message, %s messages a minute per sender (%s)",
                    self.limits.max_message_chars, self.limits.rate_per_minute or "unlimited",
                    "Redis" if self.rate_limiter.uses_redis else "memory")

    def kind_reply(self, key: str, sender: str | None) -> list[dict[str, str]]:
        text = self.replies[key].replace("{phone}", helpline_phone())
        return [{"recipient_id": sender or "", "text": text}]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}")

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return webhook

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        incoming = read_request(request.body or b"", request.headers.get("content-type"), self.limits)
        if incoming.sender is not None:
            decision = await self.rate_limiter.allow(incoming.sender)
            if not decision.allowed:
                retry = str(max(1, math.ceil(decision.retry_after))) if math.isfinite(decision.retry_after) else "60"
                return response.json(self.kind_reply(Problem.RATE_LIMITED.value, incoming.sender),
                                     status=Problem.RATE_LIMITED.status, headers={"Retry-After": retry})
        if incoming.problem is not None:
            return response.json(self.kind_reply(incoming.problem.value, incoming.sender),
                                 status=incoming.problem.status)

        collector = CollectingOutputChannel()
        failed_actions = _FAILED_ACTIONS.set([])
        try:
            await on_new_message(UserMessage(incoming.message, collector, incoming.sender,
                                             input_channel=self.name(), metadata=incoming.metadata))
        except asyncio.CancelledError:
            logger.error("The assistant timed out or was cancelled while answering a message")
        except Exception:  # the lock store, tracker store or a policy failed: the family still gets an answer
            logger.exception("The assistant failed while answering a message")
        finally:
            failures = _FAILED_ACTIONS.get() or []
            _FAILED_ACTIONS.reset(failed_actions)
        messages = collector.messages
        if failures:  # e.g. the action server is down: what Rasa said around the lost answer would mislead
            logger.error("Answered with the kind reply because these actions failed: %s", ", ".join(failures))
            return response.json(self.kind_reply(NO_REPLY, incoming.sender))
        if not messages:
            return response.json(self.kind_reply(NO_REPLY, incoming.sender))
        return response.json(messages)


# Actions that raised while this request was being answered. Rasa's processor logs such a failure ("Bot will
# continue, but the actions events are lost") and goes on, so the family would get the follow-up ("Did this
# help?") without the answer, or a "didn't understand". A ContextVar keeps each request's list apart: asyncio
# runs a request's whole turn in its own task and context.
_FAILED_ACTIONS: ContextVar[Optional[list]] = ContextVar("local_offer_failed_actions", default=None)


class _ActionFailureWatch(logging.Filter):
    """Notes the failed action for the current request; the log record itself passes through unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _FAILED_ACTIONS.get()
        if failures is not None and record.exc_info and record.funcName == "_run_action":
            failures.append(record.getMessage().split("'")[1] if "'" in record.getMessage() else "an action")
        return True


logging.getLogger("rasa.core.processor").addFilter(_ActionFailureWatch())
