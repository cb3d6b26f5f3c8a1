"""Checks on what arrives at the public chat endpoint, before the assistant sees it.

Why a module of its own, free of Rasa and of I/O: the REST channel (channels/local_offer_rest.py) is public,
so every byte in a request may be hostile. Keeping the rules here as plain functions lets them be unit tested
without a server, and lets the channel stay a thin piece of wiring. The channel chooses the wording of each
answer (channels/replies.yml); this module only says *what* is wrong and which HTTP status fits.

The limits (all configurable through the environment, see docs/limits.md):
- request body: MESSAGE_MAX_BODY_BYTES (64 KiB, the same as nginx's client_max_body_size in deploy/);
- message: MESSAGE_MAX_CHARS (2,000 characters after cleaning);
- sender id: 1 to 128 characters from [A-Za-z0-9 _ . : @ = + -] (see SENDER_PATTERN for why we refuse,
  not hash, anything else);
- rate: RATE_LIMIT_PER_MINUTE (20) messages a minute per sender, with bursts of RATE_LIMIT_BURST (20),
  as a token bucket; 0 switches the limit off (benchmarks).
"""
from __future__ import annotations

import json
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class Problem(str, Enum):
    """What was wrong with a request; the value is the key of its reply in channels/replies.yml."""

    BODY_TOO_LARGE = "body_too_large"
    WRONG_CONTENT_TYPE = "wrong_content_type"
    BAD_ENCODING = "bad_encoding"
    NOT_JSON = "not_json"
    NOT_OBJECT = "not_object"
    BAD_SENDER = "bad_sender"
    BAD_MESSAGE_TYPE = "bad_message_type"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    RATE_LIMITED = "rate_limited"

    @property
    def status(self) -> int:
        """The HTTP status for the reply. An empty message is a conversational slip, answered with 200 like any
        other turn; the rest are refusals a client program should be able to tell apart by status."""
        return _STATUS[self]


_STATUS = {
    Problem.BODY_TOO_LARGE: 413,
    Problem.WRONG_CONTENT_TYPE: 415,
    Problem.BAD_ENCODING: 400,
    Problem.NOT_JSON: 400,
    Problem.NOT_OBJECT: 400,
    Problem.BAD_SENDER: 400,
    Problem.BAD_MESSAGE_TYPE: 400,
    Problem.EMPTY: 200,
    Problem.TOO_LONG: 413,
    Problem.RATE_LIMITED: 429,
}

# Sender ids are made by programs (the widget uses a random UUID), never typed by people. We refuse anything
# else rather than hash it: a refusal is visible to the client that sent it, whereas hashing would quietly
# accept garbage, and a hash of a 10 MB id still costs the server the 10 MB. 128 characters keeps well inside
# the tracker store's sender_id column (255).
SENDER_PATTERN = re.compile(r"[A-Za-z0-9_.:@=+-]{1,128}")

# C0 and C1 control characters except tab and newline; DEL; bidi embeddings, overrides and isolates (used to
# make text read differently from what it is); zero-width and BOM characters; and lone UTF-16 surrogates,
# which JSON's \\ud800 escapes can smuggle in and which no database can store.
_STRIP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]"
)


@dataclass(frozen=True)
class Limits:
    """The numbers every check uses; `from_env` reads them from the environment."""

    max_message_chars: int = 2000
    max_body_bytes: int = 64 * 1024
    max_metadata_bytes: int = 2048
    rate_per_minute: float = 20.0
    burst: int = 20

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "Limits":
        """Limits from MESSAGE_MAX_CHARS, MESSAGE_MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE and RATE_LIMIT_BURST.

        A value that is not a number falls back to the default rather than stopping the server."""
        defaults = cls()
        return cls(
            max_message_chars=_positive_int(env.get("MESSAGE_MAX_CHARS"), defaults.max_message_chars),
            max_body_bytes=_positive_int(env.get("MESSAGE_MAX_BODY_BYTES"), defaults.max_body_bytes),
            max_metadata_bytes=defaults.max_metadata_bytes,
            rate_per_minute=_non_negative_float(env.get("RATE_LIMIT_PER_MINUTE"), defaults.rate_per_minute),
            burst=_positive_int(env.get("RATE_LIMIT_BURST"), defaults.burst),
        )


def _positive_int(raw: str | None, default: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def _non_negative_float(raw: str | None, default: float) -> float:
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if value >= 0 and math.isfinite(value) else default


def clean_text(text: str) -> str:
    """The message as the assistant should see it: NFC, newlines as \\n, no hidden or control characters,
    no spaces at either end. Right-to-left scripts are kept; only the characters that *override* direction go."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _STRIP.sub("", text)
    return unicodedata.normalize("NFC", text).strip()


def is_json_content_type(value: str | None) -> bool:
    """True for application/json, with or without parameters such as charset=utf-8."""
    if not value:
        return False
    media_type = value.split(";", 1)[0].strip().lower()
    return media_type == "application/json"


def is_valid_sender(sender: Any) -> bool:
    return isinstance(sender, str) and SENDER_PATTERN.fullmatch(sender) is not None


@dataclass(frozen=True)
class Incoming:
    """A request after the checks: either `problem` is set, or `sender` and `message` are safe to hand on."""

    problem: Problem | None = None
    sender: str | None = None
    message: str = ""
    metadata: dict[str, Any] | None = None


def read_request(body: bytes, content_type: str | None, limits: Limits) -> Incoming:
    """Check a REST channel request body, in the order that costs least first.

    The sender is returned with most problems found after it is known, so the reply can carry it as
    recipient_id and the rate limit can count it."""
    if len(body) > limits.max_body_bytes:
        return Incoming(Problem.BODY_TOO_LARGE)
    if not is_json_content_type(content_type):
        return Incoming(Problem.WRONG_CONTENT_TYPE)
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        return Incoming(Problem.BAD_ENCODING)
    try:
        data = json.loads(decoded)
    except (ValueError, RecursionError):  # JSONDecodeError, huge numbers, or nesting too deep
        return Incoming(Problem.NOT_JSON)
    if not isinstance(data, dict):
        return Incoming(Problem.NOT_OBJECT)
    sender = data.get("sender")
    if not is_valid_sender(sender):
        return Incoming(Problem.BAD_SENDER)
    raw_message = data.get("message")
    if raw_message is not None and not isinstance(raw_message, str):
        return Incoming(Problem.BAD_MESSAGE_TYPE, sender=sender)
    message = clean_text(raw_message or "")
    if not message:
        return Incoming(Problem.EMPTY, sender=sender)
    if len(message) > limits.max_message_chars:
        return Incoming(Problem.TOO_LONG, sender=sender)
    return Incoming(None, sender=sender, message=message, metadata=usable_metadata(data.get("metadata"), limits))


def usable_metadata(value: Any, limits: Limits) -> dict[str, Any] | None:
    """Metadata is kept in the tracker, so only a small JSON object is passed on; anything else is dropped
    (not refused: the message itself is still worth answering)."""
    if not isinstance(value, dict) or not value:
        return None
    try:
        size = len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    except (TypeError, ValueError, RecursionError):
        return None
    return value if size <= limits.max_metadata_bytes else None


# ---- Rate limit: a token bucket per sender --------------------------------------------------------------

@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0  # seconds until one message would be allowed


def take_token(bucket: Bucket | None, now: float, per_minute: float, burst: int) -> tuple[Decision, Bucket]:
    """One message's worth from `bucket` at time `now` (seconds).

    The bucket holds up to `burst` tokens and refills at `per_minute` a minute, so a family can send a quick
    run of messages and then carry on at a normal pace, while a script sending hundreds is slowed to the rate.
    A clock that goes backwards (another replica's) never adds tokens."""
    rate = per_minute / 60.0
    if bucket is None:
        tokens = float(burst)
    else:
        elapsed = max(0.0, now - bucket.updated)
        tokens = min(float(burst), bucket.tokens + elapsed * rate)
    if tokens >= 1.0:
        return Decision(True), Bucket(tokens - 1.0, now)
    wait = (1.0 - tokens) / rate if rate > 0 else float("inf")
    return Decision(False, wait), Bucket(tokens, now)


@dataclass
class MemoryRateLimiter:
    """Token buckets in this process: used when there is no Redis, or while Redis is unreachable.

    At most `max_senders` buckets are kept (least recently used go first), so a flood of made-up sender ids
    cannot grow memory without end; a forgotten sender simply starts again with a full bucket."""

    per_minute: float
    burst: int
    max_senders: int = 50_000
    _buckets: "OrderedDict[str, Bucket]" = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str, now: float) -> Decision:
        if self.per_minute <= 0:
            return Decision(True)
        with self._lock:
            decision, bucket = take_token(self._buckets.get(key), now, self.per_minute, self.burst)
            self._buckets[key] = bucket
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_senders:
                self._buckets.popitem(last=False)
        return decision


# The same arithmetic as take_token, run atomically inside Redis so that every replica shares one bucket per
# sender. KEYS[1] = bucket key; ARGV = per_minute, burst, ttl seconds. Redis's own clock is used so replicas
# with different clocks agree. Returns {allowed (0/1), retry_after * 1000}.
REDIS_TOKEN_BUCKET = """
local rate = tonumber(ARGV[1]) / 60.0
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil then
  tokens = burst
else
  local elapsed = now - updated
  if elapsed < 0 then elapsed = 0 end
  tokens = math.min(burst, tokens + elapsed * rate)
end
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
return {allowed, math.ceil(wait * 1000)}
"""


def bucket_ttl_seconds(per_minute: float, burst: int) -> int:
    """How long an idle bucket must live in Redis: after that it would be full again anyway."""
    if per_minute <= 0:
        return 60
    return max(60, math.ceil(burst / (per_minute / 60.0)) + 1)
