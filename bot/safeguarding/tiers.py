"""How worried to be about a message: the one place that decides the safeguarding tier, and why.

Two tiers, because a single "emergency" answer was wrong both ways: ordinary worries (tears, anger at the
council, exhaustion) got the full emergency list and lost their answer, and staff learned to ignore flags.

- **immediate**: a pattern for clear danger matched (harm now, suicide or self-harm, a child missing,
  violence at home, a medical emergency). The family gets the emergency routes first, then their answer.
- **concern**: the classifier leaned towards safeguarding without a danger pattern, or the message holds
  distress or a worry about a child's safety that is not an emergency, or one sentence of a long message reads
  like a safeguarding example (bot.safeguarding.sentences). The family's question is answered,
  then one short line with the Children and Families Hub for their area and 999; staff review it later.

The classifier's lean alone never makes a message immediate. Patterns are data officers extend without
retraining (`data/safeguarding_*.yml`, each group with its `tier`); the Rasa component, the actions, the
evaluation and the tests all call `assess`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.config import ROOT

IMMEDIATE = "immediate"
CONCERN = "concern"
TIERS = (IMMEDIATE, CONCERN)

PATTERNS_FILE = ROOT / "data" / "safeguarding_patterns.yml"
# Read together with the patterns file: the broader layer of indicators, and the concern-tier signs.
EXTRA_FILES = (ROOT / "data" / "safeguarding_indicators.yml", ROOT / "data" / "safeguarding_concerns.yml")
# The reason recorded when only the classifier leaned towards safeguarding.
CLASSIFIER = "classifier"
# The reason recorded when a sentence of a long message read like a safeguarding example (bot.safeguarding.sentences).
SENTENCE = "sentence"


@dataclass(frozen=True)
class Group:
    name: str
    tier: str
    patterns: tuple[re.Pattern[str], ...]
    excludes: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Assessment:
    """The tier (None: no concern) and the reason officers see: a pattern group, or the classifier's score."""

    tier: str | None
    reason: str = ""

    @property
    def immediate(self) -> bool:
        return self.tier == IMMEDIATE

    @property
    def concern(self) -> bool:
        return self.tier == CONCERN

    def as_dict(self) -> dict[str, str]:
        return {"tier": self.tier or "", "reason": self.reason}


NO_CONCERN = Assessment(None)


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def load_groups(path: Path = PATTERNS_FILE) -> tuple[Group, ...]:
    """Every group in `path` and, for the default file, in the files beside it; immediate groups first."""
    return _load(path)[0]


@lru_cache(maxsize=4)
def _load(path: Path) -> tuple[tuple[Group, ...], tuple[re.Pattern[str], ...]]:
    """The groups, each with its own excludes, and the `global_exclude` patterns that apply to every group.

    Why apart: the global excludes are the same for every group, so a message has them removed once, not once
    a group (on a 1,000-character message that was most of the safety net's time: bench/README.md)."""
    paths = [path, *EXTRA_FILES] if path == PATTERNS_FILE else [path]
    raw: list[dict[str, Any]] = []
    global_excludes: list[str] = []
    for each in paths:
        if each.exists():
            data = yaml.safe_load(each.read_text(encoding="utf-8")) or {}
            raw.extend(data.get("groups", []))
            global_excludes.extend(data.get("global_exclude", []) or [])
    groups = []
    for group in raw:
        tier = str(group.get("tier", IMMEDIATE))
        if tier not in TIERS:
            raise ValueError(f"safeguarding group {group.get('name')!r}: tier must be one of {TIERS}, not {tier!r}")
        groups.append(
            Group(
                name=str(group["name"]),
                tier=tier,
                patterns=tuple(re.compile(p, re.IGNORECASE) for p in group.get("patterns", [])),
                excludes=tuple(re.compile(p, re.IGNORECASE) for p in group.get("exclude", []) or []),
            )
        )
    shared = tuple(re.compile(p, re.IGNORECASE) for p in global_excludes)
    return tuple(sorted(groups, key=lambda g: TIERS.index(g.tier))), shared


def _matches(group: Group, cleaned: str) -> bool:
    candidate = cleaned
    for exclude in group.excludes:
        candidate = exclude.sub(" ", candidate)
    return any(p.search(candidate) for p in group.patterns)


def match(text: str, path: Path = PATTERNS_FILE, tier: str | None = IMMEDIATE) -> str | None:
    """The name of the first group of `tier` (any tier when None) whose patterns match `text`."""
    cleaned = _without_shared_excludes(text, path)
    for group in _load(path)[0]:
        if (tier is None or group.tier == tier) and _matches(group, cleaned):
            return group.name
    return None


@lru_cache(maxsize=16)
def _without_shared_excludes(text: str, path: Path) -> str:
    """The message normalised, the shared excludes removed: the same result as removing them group by group (they
    come first in each). Kept for the next call, since `assess` asks about one message tier by tier."""
    cleaned = normalise(text)
    for exclude in _load(path)[1]:
        cleaned = exclude.sub(" ", cleaned)
    return cleaned


def assess(text: str, classifier_score: float = 0.0, classifier_floor: float = 0.3,
           classifier_top: bool = False, risk_sentence: float | None = None) -> Assessment:
    """The tier of a message from its words and the classifier's belief in safeguarding.

    `classifier_top` is True when safeguarding was the classifier's first choice (even if the fallback then
    overruled it as unsure); `classifier_score` is its confidence in safeguarding. `risk_sentence` is the
    similarity of a long message's sentence that reads like a safeguarding example (None: none does)."""
    danger = match(text, tier=IMMEDIATE)
    if danger:
        return Assessment(IMMEDIATE, danger)
    if classifier_top or classifier_score >= classifier_floor:
        return Assessment(CONCERN, f"{CLASSIFIER} {classifier_score:.2f}")
    worry = match(text, tier=CONCERN)
    if worry:
        return Assessment(CONCERN, worry)
    if risk_sentence is not None:
        return Assessment(CONCERN, f"{SENTENCE} {risk_sentence:.2f}")
    return NO_CONCERN
