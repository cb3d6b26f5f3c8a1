"""Every response an action names is in the domain, and a response's variations are one message.

Why: a response missing from the domain is dropped by Rasa without an error, and `rasa data validate` does not
look inside custom actions. From the day the answer bank joined the chat, a lost `utter_guidance_section:` key made every article-section button
("What happens", "Time limits in law", ...) answer with nothing, and turned its text into a second, random
variation of `utter_also_asked`.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from actions.bank_reply import BANK_ANSWER_RESPONSES
from bot.config import ROOT

# Strings that look like response names but are not: the key Rasa puts on a bot event's metadata.
NOT_RESPONSES = frozenset({"utter_action"})
_NAME = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")
_SLOT = re.compile(r"\{(\w+)\}")


def _responses() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]


def test_every_response_the_actions_name_is_in_the_domain() -> None:
    named = {name for path in sorted((ROOT / "actions").glob("*.py"))
             for name in _NAME.findall(path.read_text())} - NOT_RESPONSES
    assert "utter_guidance_section" in named  # the reader finds names written as keyword arguments
    missing = sorted((named | BANK_ANSWER_RESPONSES) - set(_responses()))
    assert not missing, f"responses named in actions/ but not in domain.yml: {missing}"


def test_a_responses_variations_fill_the_same_slots() -> None:
    """Variations are other wordings of one message, so they take the same slots; a text with other slots is
    another response whose key was lost."""
    mixed = {}
    for name, variations in _responses().items():
        slots = {frozenset(_SLOT.findall(str(v.get("text") or ""))) for v in variations}
        if len(slots) > 1:
            mixed[name] = [sorted(s) for s in slots]
    assert not mixed, f"responses whose variations take different slots: {mixed}"
