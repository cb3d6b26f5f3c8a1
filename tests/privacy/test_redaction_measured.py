"""Redaction measured on messages written blind to the rules (tests/privacy/pii_messages.yml).

Why a measured list as well as tests/privacy/test_redact.py: the cases there were written alongside the rules,
so they pass by construction. This list was written by someone who had not seen bot/privacy/redact.py, in the
way families write, so it says how much personal data would reach the review tables. Figures and how
they moved are in bench/redaction.md.

Recall: the share of personal-data substrings that no longer appear (case-insensitive) after redaction.
False redactions: the share of ordinary messages (no personal data) that redaction changes at all.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.privacy.redact import redact

MESSAGES = Path(__file__).with_name("pii_messages.yml")
RECALL_TARGET = 0.98
FALSE_REDACTION_LIMIT = 0.02


@dataclass
class Measurement:
    found: int = 0
    total: int = 0
    ordinary: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    seconds_per_message: float = 0.0

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0

    @property
    def false_redaction_rate(self) -> float:
        return len(self.changed) / self.ordinary if self.ordinary else 0.0


def measure(path: Path = MESSAGES) -> Measurement:
    """Redact every message once and count what survived and what was changed needlessly."""
    messages = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    result = Measurement()
    start = time.perf_counter()
    outputs = [redact(str(m["text"])) for m in messages]
    result.seconds_per_message = (time.perf_counter() - start) / max(len(messages), 1)
    for message, out in zip(messages, outputs):
        text, pii = str(message["text"]), [str(p) for p in message.get("pii") or []]
        if not pii:
            result.ordinary += 1
            if out != text:
                result.changed.append((text, out))
        for item in pii:
            result.total += 1
            if item.lower() in out.lower():
                result.missed.append((item, text, out))
            else:
                result.found += 1
    return result


def test_the_list_is_big_enough() -> None:
    messages = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))["messages"]
    assert sum(1 for m in messages if m.get("pii")) >= 300


def test_recall_meets_the_target() -> None:
    result = measure()
    assert result.recall >= RECALL_TARGET, "\n".join(f"{item!r} survived in {out!r}"
                                                     for item, _, out in result.missed)


def test_ordinary_messages_are_rarely_changed() -> None:
    result = measure()
    assert result.false_redaction_rate <= FALSE_REDACTION_LIMIT, "\n".join(
        f"{text!r} -> {out!r}" for text, out in result.changed)


if __name__ == "__main__":
    figures = measure()
    print(f"recall {figures.recall:.4f} ({figures.found}/{figures.total}); false redactions "
          f"{len(figures.changed)}/{figures.ordinary} = {figures.false_redaction_rate:.4f}; "
          f"{figures.seconds_per_message * 1e6:.0f} us per message")
    for item, _, out in figures.missed:
        print(f"MISSED {item!r}: {out!r}")
    for text, out in figures.changed:
        print(f"CHANGED {text!r}\n     -> {out!r}")
