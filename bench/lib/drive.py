"""Drive a Rasa REST channel with many scripted conversations at once, and time every message.

Why closed-loop users with a pause: a family sends one message, reads the answer, then sends the next,
so "N concurrent conversations" means N users each with at most one message in flight. The pause
(think time) is drawn from a range; 0 turns the run into a saturation test.
"""
from __future__ import annotations

import asyncio
import random
import threading
import time
from typing import Callable, Sequence

import aiohttp

from lib.scripts import Turn, as_expected
from lib.stats import Sample


def classify(status: int, body: object, failure_marker: str | None) -> str:
    """'' for a good reply; otherwise why it was not one (what the family would have seen as a failure)."""
    if status != 200:
        return f"http_{status}"
    if not isinstance(body, list) or not body:
        return "empty"
    if failure_marker and any(failure_marker in str(item.get("text") or "") for item in body if isinstance(item, dict)):
        return "action_failed"
    return ""


async def _send(session: aiohttp.ClientSession, url: str, sender: str, text: str,
                timeout_s: float) -> tuple[str, object]:
    try:
        async with session.post(url, json={"sender": sender, "message": text},
                                timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
            body = await response.json(content_type=None) if response.status == 200 else await response.text()
            return str(response.status), body
    except asyncio.TimeoutError:
        return "timeout", None
    except (aiohttp.ClientError, OSError):
        return "connection", None


async def _user(session: aiohttp.ClientSession, url: str, bot: str, level: int, uid: int, run_id: str,
                scripts: Sequence[Sequence[Turn]], begin: float, stop_at: float, think: tuple[float, float],
                timeout_s: float, failure_marker: str | None, prefixes: dict[str, str], samples: list[Sample],
                rng: random.Random) -> None:
    # Stagger the first message so users do not arrive in lock-step.
    await asyncio.sleep(rng.uniform(0, max(think[1], 0.5)))
    conversation = 0
    while time.monotonic() < stop_at:
        script = scripts[(uid + conversation) % len(scripts)]
        sender = f"bench-{run_id}-{bot}-{level}-{uid}-{conversation}"
        for turn in script:
            if time.monotonic() >= stop_at:
                break
            started = time.monotonic()
            status, body = await _send(session, url, sender, turn.text, timeout_s)
            latency_ms = (time.monotonic() - started) * 1000
            error = status if not status.isdigit() else classify(int(status), body, failure_marker)
            samples.append(Sample(bot, level, turn.kind, started - begin, latency_ms, error,
                                  not error and not as_expected(body, turn.expect, prefixes)))
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))
        conversation += 1


async def drive(url: str, bot: str, level: int, scripts: Sequence[Sequence[Turn]], duration_s: float,
                think: tuple[float, float], timeout_s: float, failure_marker: str | None,
                prefixes: dict[str, str], run_id: str, seed: int = 7) -> tuple[list[Sample], float]:
    """Run `level` users for `duration_s`; messages already sent when time is up are waited for.
    Returns the samples and the wall-clock seconds from the first user's start to the last reply."""
    samples: list[Sample] = []
    rng = random.Random(seed + level)
    connector = aiohttp.TCPConnector(limit=level + 10)
    async with aiohttp.ClientSession(connector=connector) as session:
        begin = time.monotonic()
        stop_at = begin + duration_s
        await asyncio.gather(*(
            _user(session, url, bot, level, uid, run_id, scripts, begin, stop_at, think, timeout_s,
                  failure_marker, prefixes, samples, random.Random(rng.random()))
            for uid in range(level)
        ))
        elapsed = time.monotonic() - begin
    return samples, elapsed


async def converse_once(url: str, sender: str, script: Sequence[Turn], timeout_s: float,
                        failure_marker: str | None, prefixes: dict[str, str]) -> list[tuple[Turn, str, object]]:
    """One conversation, message by message: (turn, error or 'off script' or '', reply), for the warm-up."""
    out = []
    async with aiohttp.ClientSession() as session:
        for turn in script:
            status, body = await _send(session, url, sender, turn.text, timeout_s)
            error = status if not status.isdigit() else classify(int(status), body, failure_marker)
            if not error and not as_expected(body, turn.expect, prefixes):
                error = "off script"
            out.append((turn, error, body))
    return out


class MemorySampler:
    """Peak resident memory of each server while a level runs, read twice a second in a thread."""

    def __init__(self, readers: dict[str, Callable[[], float]], every_s: float = 0.5) -> None:
        self.readers = readers
        self.every_s = every_s
        self.peak: dict[str, float] = {name: 0.0 for name in readers}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, read in self.readers.items():
                self.peak[name] = max(self.peak[name], read())
            self._stop.wait(self.every_s)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
