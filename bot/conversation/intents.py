"""The intents an officer may give an unanswered question, read from domain.yml (no rasa import).

Why some are left out: `inform`, `affirm`, `deny`, `more_info` and `more_services` only mean something as a
reply to the assistant's previous turn ("yes", "Colchester", "show more"). A question stored for review has lost
that turn, so teaching it as one of these would make the model guess context it cannot see. Rasa's own
`nlu_fallback` is not a real intent. Everything else in the domain, including `out_of_scope` and
`safeguarding_urgent`, is assignable.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.config import ROOT

DOMAIN = ROOT / "domain.yml"
CONTEXTUAL = frozenset({"inform", "affirm", "deny", "more_info", "more_services"})
INTERNAL = frozenset({"nlu_fallback"}) | CONTEXTUAL

_cache: dict[Path, tuple[float, list[str]]] = {}


def read_domain_intents(domain: Path = DOMAIN) -> list[str]:
    """Every intent the domain lists, in its order (entries may be names or `{name: {options}}`)."""
    data = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
    names: list[str] = []
    for entry in data.get("intents") or []:
        name = next(iter(entry), None) if isinstance(entry, dict) else entry
        if isinstance(name, str) and name and name not in names:
            names.append(name)
    return names


def assignable_intents(domain: Path = DOMAIN) -> list[str]:
    """The intents offered in the console, re-read when domain.yml changes (checked by modification time)."""
    mtime = domain.stat().st_mtime
    cached = _cache.get(domain)
    if cached is None or cached[0] != mtime:
        cached = (mtime, [name for name in read_domain_intents(domain) if name not in INTERNAL])
        _cache[domain] = cached
    return list(cached[1])


def is_assignable(intent: str, domain: Path = DOMAIN) -> bool:
    return intent in assignable_intents(domain)
