"""Hear when a family is angry or worn out, so the assistant can say so before it answers.

Why a word list and not a model: the acknowledgement is one short sentence, an officer must be able to see
and change exactly what triggers it (data/local_offer/tone.yml), and a miss costs little (the answer still
comes). Anger is checked first: 'fed up and exhausted' gets the anger line, which also owns the exhaustion.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import ROOT

TONE_FILE = ROOT / "data" / "local_offer" / "tone.yml"
FEELINGS = ("angry", "exhausted")


@lru_cache(maxsize=4)
def _patterns(path: Path = TONE_FILE) -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    patterns = []
    for feeling in FEELINGS:
        words = sorted({_normalise(str(w)) for w in data.get(feeling) or [] if str(w).strip()}, key=len, reverse=True)
        if words:
            patterns.append((feeling, re.compile(r"(?<![a-z'])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z'])")))
    return tuple(patterns)


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def feeling_in(text: str, path: Path = TONE_FILE) -> str | None:
    """'angry', 'exhausted' or None for a family's message."""
    cleaned = _normalise(text or "")
    if not cleaned or cleaned.startswith("/"):
        return None
    for feeling, pattern in _patterns(path):
        if pattern.search(cleaned):
            return feeling
    return None
