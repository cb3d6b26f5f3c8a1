"""Percentiles and per-level summaries for the load and parse benchmarks.

Why our own percentile: the figures must match numpy's default ("linear") method so they can be checked
by hand, without importing numpy into every helper, and empty input must give "no figure", not a crash.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between order statistics; NaN when empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Sample:
    """One message sent and what came back."""

    bot: str
    level: int
    kind: str  # what the message exercises: "utter", "action", "form", ... (our scripts say which)
    started: float  # seconds since the level began
    latency_ms: float
    error: str = ""  # "" when the reply was good; else "http_500", "timeout", "connection", "empty", ...
    off_script: bool = False  # a good reply, but not the one the script expected (the model chose otherwise)


@dataclass(frozen=True)
class LevelSummary:
    bot: str
    level: int
    messages: int
    ok: int
    errors: dict[str, int]
    elapsed_s: float
    per_second: float
    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    off_script: int = 0
    rss_mb: dict[str, float] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def summarise(bot: str, level: int, samples: Iterable[Sample], elapsed_s: float,
              rss_mb: dict[str, float] | None = None) -> LevelSummary:
    """Latency percentiles over good replies only (an error's time says nothing about serving speed);
    throughput counts good replies per second of the level's wall-clock time."""
    mine = [s for s in samples if s.bot == bot and s.level == level]
    good = [s.latency_ms for s in mine if not s.error]
    errors = Counter(s.error for s in mine if s.error)
    return LevelSummary(
        bot=bot,
        level=level,
        messages=len(mine),
        ok=len(good),
        errors=dict(sorted(errors.items())),
        elapsed_s=elapsed_s,
        per_second=len(good) / elapsed_s if elapsed_s > 0 else math.nan,
        p50=percentile(good, 50),
        p95=percentile(good, 95),
        p99=percentile(good, 99),
        mean=sum(good) / len(good) if good else math.nan,
        max=max(good) if good else math.nan,
        off_script=sum(1 for s in mine if s.off_script and not s.error),
        rss_mb=dict(rss_mb or {}),
    )


def ratio(ours: float, theirs: float) -> float:
    """ours / theirs, NaN when either is missing or theirs is zero."""
    if math.isnan(ours) or math.isnan(theirs) or theirs == 0:
        return math.nan
    return ours / theirs


def fmt(value: float, digits: int = 0) -> str:
    """A number for a table; a dash when there is no figure."""
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"
