"""bot.conversation.input_guard: the checks the public chat endpoint makes before the assistant sees a message."""
from __future__ import annotations

import json

import pytest

from bot.conversation.input_guard import (
    Bucket,
    Limits,
    MemoryRateLimiter,
    Problem,
    bucket_ttl_seconds,
    clean_text,
    is_json_content_type,
    is_valid_sender,
    read_request,
    take_token,
)

LIMITS = Limits()
JSON = "application/json"


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode("utf-8")


# ---- cleaning ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("hello", "hello"),
    ("  hello \t ", "hello"),
    ("a\x00b\x07c\x1bd\x7fe\x85f\x9fg", "abcdefg"),
    ("line one\r\nline two\rthree", "line one\nline two\nthree"),
    ("tab\tkept", "tab\tkept"),
    ("evil\u202etxt.exe", "eviltxt.exe"),
    ("\u2066isolated\u2069", "isolated"),
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("lone \ud800 surrogate", "lone  surrogate"),
    ("para\u2029graph", "para\ngraph"),
    ("Cafe\u0301", "Caf\u00e9"),  # NFC
    ("\u0645\u0631\u062d\u0628\u0627 \u200f", "\u0645\u0631\u062d\u0628\u0627 \u200f"),  # RTL text and RLM kept
    ("Dw i angen help gyda CAD", "Dw i angen help gyda CAD"),
    ("\x00\x01\u202e  \n", ""),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_cleaned_text_can_be_encoded_for_any_database() -> None:
    nasty = "".join(chr(c) for c in range(0, 0x3000)) + "\ud83d\ude00\udfff"
    cleaned = clean_text(nasty)
    cleaned.encode("utf-8")  # no lone surrogates left
    assert "\x00" not in cleaned


# ---- content type and sender -------------------------------------------------------------------------

@pytest.mark.parametrize("value, ok", [
    ("application/json", True), ("Application/JSON; charset=UTF-8", True), (" application/json ;x=y", True),
    (None, False), ("", False), ("text/plain", False), ("application/x-www-form-urlencoded", False),
    ("multipart/form-data; boundary=x", False), ("application/jsonp", False), ("text/html", False),
])
def test_content_type(value: str | None, ok: bool) -> None:
    assert is_json_content_type(value) is ok


@pytest.mark.parametrize("sender, ok", [
    ("5f0e7c1a-3b2d-4e5f-8a9b-0c1d2e3f4a5b", True), ("a" * 128, True), ("user@example.org", True),
    ("scale-1:turn=2+x", True),
    ("", False), ("a" * 129, False), ("has space", False), ("../../etc/passwd", False), ("<script>", False),
    ("caf\u00e9", False), ("new\nline", False), (None, False), (12, False), (["a"], False), ({"a": 1}, False),
])
def test_sender(sender: object, ok: bool) -> None:
    assert is_valid_sender(sender) is ok


# ---- whole requests ----------------------------------------------------------------------------------

def test_a_normal_message_is_passed_on_cleaned() -> None:
    incoming = read_request(body(sender="abc", message="  What is an EHC plan?\x00 "), JSON, LIMITS)
    assert incoming.problem is None
    assert (incoming.sender, incoming.message, incoming.metadata) == ("abc", "What is an EHC plan?", None)


@pytest.mark.parametrize("raw, content_type, problem", [
    (b"x" * (LIMITS.max_body_bytes + 1), JSON, Problem.BODY_TOO_LARGE),
    (body(sender="a", message="hi"), "text/plain", Problem.WRONG_CONTENT_TYPE),
    (body(sender="a", message="hi"), None, Problem.WRONG_CONTENT_TYPE),
    (b'{"sender": "a", "message": "caf\xe9"}', JSON, Problem.BAD_ENCODING),
    (b"\xff\xfe{}", JSON, Problem.BAD_ENCODING),
    (b"", JSON, Problem.NOT_JSON),
    (b"{'sender': 'a'}", JSON, Problem.NOT_JSON),
    (b'{"sender": "a", "message": "hi"', JSON, Problem.NOT_JSON),
    (b"[" * 30000 + b"]" * 30000, JSON, Problem.NOT_JSON),  # nesting deeper than the parser allows
    (b'{"sender": "a", "message": 1' + b"0" * 5000 + b"}", JSON, Problem.NOT_JSON),  # int too long to parse
    (b'["a", "hi"]', JSON, Problem.NOT_OBJECT),
    (b'"hi"', JSON, Problem.NOT_OBJECT),
    (b"null", JSON, Problem.NOT_OBJECT),
    (body(message="hi"), JSON, Problem.BAD_SENDER),
    (body(sender=None, message="hi"), JSON, Problem.BAD_SENDER),
    (body(sender=42, message="hi"), JSON, Problem.BAD_SENDER),
    (body(sender="x" * 129, message="hi"), JSON, Problem.BAD_SENDER),
    (body(sender="a b", message="hi"), JSON, Problem.BAD_SENDER),
    (body(sender="a", message=42), JSON, Problem.BAD_MESSAGE_TYPE),
    (body(sender="a", message=["hi"]), JSON, Problem.BAD_MESSAGE_TYPE),
    (body(sender="a", message={"text": "hi"}), JSON, Problem.BAD_MESSAGE_TYPE),
    (body(sender="a", message=True), JSON, Problem.BAD_MESSAGE_TYPE),
    (b'{"sender": "a", "message": NaN}', JSON, Problem.BAD_MESSAGE_TYPE),
    (body(sender="a"), JSON, Problem.EMPTY),
    (body(sender="a", message=None), JSON, Problem.EMPTY),
    (body(sender="a", message=""), JSON, Problem.EMPTY),
    (body(sender="a", message=" \t\n "), JSON, Problem.EMPTY),
    (body(sender="a", message="\x00\x01\u202e"), JSON, Problem.EMPTY),
    (body(sender="a", message="a" * (LIMITS.max_message_chars + 1)), JSON, Problem.TOO_LONG),
])
def test_bad_requests_are_named(raw: bytes, content_type: str | None, problem: Problem) -> None:
    assert read_request(raw, content_type, LIMITS).problem is problem


def test_the_sender_is_kept_once_known_so_the_reply_and_rate_limit_can_use_it() -> None:
    assert read_request(body(sender="abc", message=""), JSON, LIMITS).sender == "abc"
    assert read_request(body(sender="abc", message="x" * 5000), JSON, LIMITS).sender == "abc"
    assert read_request(body(sender="a b", message="hi"), JSON, LIMITS).sender is None


def test_the_length_limit_counts_characters_after_cleaning() -> None:
    exact = "\U0001F600" * LIMITS.max_message_chars  # 4 bytes each in UTF-8, 12 as JSON escapes
    assert read_request(body(sender="a", message=exact), JSON, LIMITS).problem is None
    padded = "a" * LIMITS.max_message_chars + "\x00" * 50 + "   "
    assert read_request(body(sender="a", message=padded), JSON, LIMITS).problem is None


@pytest.mark.parametrize("status_of, status", [
    (Problem.BODY_TOO_LARGE, 413), (Problem.TOO_LONG, 413), (Problem.RATE_LIMITED, 429),
    (Problem.WRONG_CONTENT_TYPE, 415), (Problem.NOT_JSON, 400), (Problem.BAD_SENDER, 400), (Problem.EMPTY, 200),
])
def test_statuses(status_of: Problem, status: int) -> None:
    assert status_of.status == status


def test_every_problem_has_a_status() -> None:
    assert all(p.status in (200, 400, 413, 415, 429) for p in Problem)


def test_metadata_is_passed_on_only_when_small_and_an_object() -> None:
    def meta(value: object) -> object:
        return read_request(body(sender="a", message="hi", metadata=value), JSON, LIMITS).metadata

    assert meta({"page": "/transport"}) == {"page": "/transport"}
    assert meta(["x"]) is None
    assert meta("x") is None
    assert meta(None) is None
    assert meta({"big": "x" * 5000}) is None
    nested: dict = {}
    for _ in range(200):
        nested = {"n": nested}
    assert read_request(json.dumps({"sender": "a", "message": "hi", "metadata": nested}).encode(), JSON,
                        LIMITS).problem is None


def test_extra_and_null_fields_are_ignored() -> None:
    raw = body(sender="a", message="hi", input_channel="admin", extra={"x": [1, None]}, stream=True, nothing=None)
    incoming = read_request(raw, JSON, LIMITS)
    assert (incoming.problem, incoming.message) == (None, "hi")


# ---- limits from the environment ---------------------------------------------------------------------

def test_limits_from_env() -> None:
    limits = Limits.from_env({"MESSAGE_MAX_CHARS": "500", "RATE_LIMIT_PER_MINUTE": "0", "RATE_LIMIT_BURST": "5",
                              "MESSAGE_MAX_BODY_BYTES": "1024"})
    assert (limits.max_message_chars, limits.rate_per_minute, limits.burst, limits.max_body_bytes) == (500, 0, 5, 1024)


def test_bad_limit_values_fall_back_to_the_defaults() -> None:
    limits = Limits.from_env({"MESSAGE_MAX_CHARS": "lots", "RATE_LIMIT_PER_MINUTE": "-3", "RATE_LIMIT_BURST": "0",
                              "MESSAGE_MAX_BODY_BYTES": "nan"})
    assert limits == Limits()
    assert Limits.from_env({"RATE_LIMIT_PER_MINUTE": "inf"}).rate_per_minute == Limits().rate_per_minute


# ---- token bucket ------------------------------------------------------------------------------------

def test_a_new_sender_gets_a_full_burst_then_waits() -> None:
    bucket, allowed = None, 0
    for _ in range(25):
        decision, bucket = take_token(bucket, 100.0, per_minute=20, burst=20)
        allowed += decision.allowed
    assert allowed == 20
    assert not decision.allowed
    assert decision.retry_after == pytest.approx(3.0)  # one token every 3 seconds at 20 a minute


def test_the_bucket_refills_at_the_rate_and_never_above_the_burst() -> None:
    empty = Bucket(tokens=0.0, updated=0.0)
    assert not take_token(empty, 2.9, 20, 20)[0].allowed
    assert take_token(empty, 3.0, 20, 20)[0].allowed
    _, after_a_day = take_token(empty, 86400.0, 20, 20)
    assert after_a_day.tokens == pytest.approx(19.0)


def test_a_clock_going_backwards_adds_no_tokens() -> None:
    decision, bucket = take_token(Bucket(0.5, 1000.0), 10.0, 20, 20)
    assert not decision.allowed
    assert bucket.tokens == pytest.approx(0.5)


def test_memory_limiter_keeps_senders_apart_and_bounded() -> None:
    limiter = MemoryRateLimiter(per_minute=20, burst=2, max_senders=3)
    assert [limiter.allow("a", 0.0).allowed for _ in range(3)] == [True, True, False]
    assert limiter.allow("b", 0.0).allowed
    for name in "cdefg":
        limiter.allow(name, 0.0)
    assert len(limiter._buckets) == 3
    assert limiter.allow("a", 0.0).allowed  # forgotten, so full again: memory stays bounded


def test_zero_per_minute_switches_the_limit_off() -> None:
    limiter = MemoryRateLimiter(per_minute=0, burst=1)
    assert all(limiter.allow("a", 0.0).allowed for _ in range(100))


def test_idle_buckets_expire_once_they_would_be_full() -> None:
    assert bucket_ttl_seconds(20, 20) == 61
    assert bucket_ttl_seconds(0, 20) == 60
