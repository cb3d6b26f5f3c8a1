"""The channel's wiring without a Rasa server: what it does when the agent raises or says nothing, and the rate
limit's Redis storage (a real Redis at 127.0.0.1:6379 when there is one; skipped with the reason otherwise).

Why here and not only through the real server: making the agent fail on purpose is what these fakes are for;
the real server's failures (action server or Redis down) are exercised by tests/scale/test_faults.py.
"""
from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

pytest.importorskip("rasa", reason="the channel needs Rasa installed")

from bot.conversation.input_guard import Limits  # noqa: E402
from bot.helpline.contacts import DEFAULT_PHONE  # noqa: E402
from channels.local_offer_rest import LocalOfferRestInput, load_replies  # noqa: E402
from channels.rate_limit import SenderRateLimiter  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/11"


class FakeRequest:
    def __init__(self, document: Any, content_type: str | None = "application/json") -> None:
        self.body = json.dumps(document).encode("utf-8")
        self.headers = {"content-type": content_type} if content_type else {}


def _call(channel: LocalOfferRestInput, request: FakeRequest, on_new_message: Any) -> tuple[int, Any, dict]:
    response = asyncio.run(channel.handle(request, on_new_message))
    return response.status, json.loads(response.body), dict(response.headers)


async def _raises(_message: Any) -> None:
    raise ConnectionError("the lock store is down")


async def _silent(_message: Any) -> None:
    return None


async def _cancelled(_message: Any) -> None:
    raise asyncio.CancelledError()


async def _answers(message: Any) -> None:
    await message.output_channel.send_text_message(message.sender_id, f"You said: {message.text}")


@pytest.mark.parametrize("agent", [_raises, _silent, _cancelled], ids=["raises", "silent", "cancelled"])
def test_a_failing_or_silent_agent_gives_the_kind_reply_with_the_helpline(agent: Any) -> None:
    status, body, _ = _call(LocalOfferRestInput(), FakeRequest({"sender": "fam-1", "message": "hello"}), agent)
    assert status == 200
    assert body[0]["recipient_id"] == "fam-1"
    assert DEFAULT_PHONE in body[0]["text"] and "999" in body[0]["text"]


def test_the_agent_sees_the_cleaned_message_and_its_reply_is_passed_through() -> None:
    seen: list[Any] = []

    async def agent(message: Any) -> None:
        seen.append(message)
        await _answers(message)

    status, body, _ = _call(LocalOfferRestInput(), FakeRequest(
        {"sender": "fam-2", "message": " what\x00 is an \u202eEHC plan \ud800", "input_channel": "admin",
         "metadata": {"page": "/x"}}), agent)
    assert status == 200
    assert body == [{"recipient_id": "fam-2", "text": "You said: what is an EHC plan"}]
    assert (seen[0].input_channel, seen[0].metadata) == ("rest", {"page": "/x"})


def test_the_agent_is_not_called_for_a_refused_message() -> None:
    called: list[Any] = []

    async def agent(message: Any) -> None:
        called.append(message)

    channel = LocalOfferRestInput(limits=Limits(max_message_chars=10))
    status, body, _ = _call(channel, FakeRequest({"sender": "fam-3", "message": "x" * 11}), agent)
    assert (status, called) == (413, [])
    assert "too long" in body[0]["text"]


def test_rate_limited_replies_say_when_to_retry() -> None:
    channel = LocalOfferRestInput(limits=Limits(rate_per_minute=1, burst=1))
    assert _call(channel, FakeRequest({"sender": "fam-4", "message": "hi"}), _answers)[0] == 200
    status, body, headers = _call(channel, FakeRequest({"sender": "fam-4", "message": "hi"}), _answers)
    assert status == 429
    assert 1 <= int(headers["Retry-After"]) <= 60
    assert body[0]["recipient_id"] == "fam-4"


def test_from_credentials_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESSAGE_MAX_CHARS", "300")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    channel = LocalOfferRestInput.from_credentials(None)
    assert channel.limits.max_message_chars == 300
    assert channel.rate_limiter.uses_redis
    assert LocalOfferRestInput.from_credentials({"redis_url": "redis://x:1/2"}).rate_limiter.redis_url == "redis://x:1/2"
    assert LocalOfferRestInput.name() == "rest"


def test_every_reply_is_written_down(tmp_path: Any) -> None:
    replies = load_replies()
    assert "{phone}" in replies["too_long"] and "{phone}" in replies["no_reply"]
    broken = tmp_path / "replies.yml"
    broken.write_text("too_long: short\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no reply for"):
        load_replies(broken)


# ---- the rate limit's storage ------------------------------------------------------------------------

def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def _allowed(limiter: SenderRateLimiter, sender: str, times: int) -> list[bool]:
    async def run() -> list[bool]:
        return [(await limiter.allow(sender)).allowed for _ in range(times)]

    return asyncio.run(run())


@pytest.mark.redis
def test_redis_buckets_are_shared_by_replicas() -> None:
    if not _redis_available():
        pytest.skip(f"no Redis at {REDIS_URL}")
    sender = f"replica-{uuid.uuid4()}"
    first, second = SenderRateLimiter(1, 3, REDIS_URL), SenderRateLimiter(1, 3, REDIS_URL)
    assert _allowed(first, sender, 2) == [True, True]
    assert _allowed(second, sender, 2) == [True, False]  # the same bucket, seen from another replica
    assert _allowed(first, sender, 1) == [False]
    assert _allowed(first, f"other-{uuid.uuid4()}", 1) == [True]


def test_with_redis_down_the_limit_falls_back_to_memory_and_never_refuses_for_that() -> None:
    limiter = SenderRateLimiter(1, 2, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert _allowed(limiter, "fam-5", 3) == [True, True, False]  # still limited, per process
    assert limiter._redis_down_until > 0


async def _run_action(message: Any, fail: bool) -> None:
    """Named like Rasa's MessageProcessor._run_action, which logs a failed custom action and carries on."""
    import logging

    if fail:
        try:
            raise ConnectionError("Failed to execute custom action: cannot connect to the action server")
        except ConnectionError:
            logging.getLogger("rasa.core.processor").exception(
                "Encountered an exception while running action 'action_answer_guidance'.")
    await message.output_channel.send_text_message(message.sender_id, "Did this help?")


def test_a_failed_action_gives_the_kind_reply_not_the_follow_up_alone() -> None:
    async def agent(message: Any) -> None:
        await _run_action(message, fail=True)

    status, body, _ = _call(LocalOfferRestInput(), FakeRequest({"sender": "fam-9", "message": "what is an ehcp"}), agent)
    assert status == 200
    assert len(body) == 1 and "Did this help?" not in body[0]["text"]
    assert DEFAULT_PHONE in body[0]["text"]


def test_one_conversations_failure_does_not_spill_into_anothers() -> None:
    channel = LocalOfferRestInput()

    async def agent(message: Any) -> None:
        await asyncio.sleep(0.01)
        await _run_action(message, fail=message.sender_id == "fails")

    async def both() -> list[Any]:
        return await asyncio.gather(channel.handle(FakeRequest({"sender": "fails", "message": "a"}), agent),
                                    channel.handle(FakeRequest({"sender": "fine", "message": "b"}), agent))

    failing, fine = asyncio.run(both())
    assert DEFAULT_PHONE in json.loads(failing.body)[0]["text"]
    assert json.loads(fine.body) == [{"recipient_id": "fine", "text": "Did this help?"}]
