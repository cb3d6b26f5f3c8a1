"""The safeguarding safety net: patterns kept as data that catch a child at risk whatever the classifier says.

Why on top of the classifier: missing a child in danger is the worst error this product can make, and a
statistical model will sometimes miss a phrasing it has never seen. Officers extend the patterns in
`data/safeguarding_patterns.yml` without retraining; the Rasa component and the tests both call `match`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import ROOT

PATTERNS_FILE = ROOT / "data" / "safeguarding_patterns.yml"
# Read together with the patterns file: the broader layer of safeguarding indicators.
EXTRA_FILES = (ROOT / "data" / "safeguarding_indicators.yml",)


@dataclass(frozen=True)
class Group:
    name: str
    patterns: tuple[re.Pattern, ...]
    excludes: tuple[re.Pattern, ...]


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def load_groups(path: Path = PATTERNS_FILE) -> tuple[Group, ...]:
    """Every group in `path` and, for the default file, in the indicator files beside it."""
    paths = [path, *EXTRA_FILES] if path == PATTERNS_FILE else [path]
    raw, global_excludes = [], []
    for each in paths:
        if each.exists():
            data = yaml.safe_load(each.read_text(encoding="utf-8")) or {}
            raw.extend(data.get("groups", []))
            global_excludes.extend(data.get("global_exclude", []) or [])
    groups = []
    for group in raw:
        groups.append(
            Group(
                name=str(group["name"]),
                patterns=tuple(re.compile(p, re.IGNORECASE) for p in group.get("patterns", [])),
                excludes=tuple(re.compile(p, re.IGNORECASE)
                               for p in [*global_excludes, *(group.get("exclude", []) or [])]),
            )
        )
    return tuple(groups)


def match(text: str, path: Path = PATTERNS_FILE) -> str | None:
    """The name of the first group whose patterns match `text` (after its idiom excludes are removed)."""
    cleaned = normalise(text)
    for group in load_groups(path):
        candidate = cleaned
        for exclude in group.excludes:
            candidate = exclude.sub(" ", candidate)
        if any(p.search(candidate) for p in group.patterns):
            return group.name
    return None
