"""The safeguarding safety net, scored on messages written apart from the patterns and the training data."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import load_groups, match

HELD_OUT = Path(__file__).parent / "nlu" / "safeguarding_heldout.txt"
NEGATIVES = Path(__file__).parent / "nlu" / "safeguarding_negatives.txt"


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_patterns_file_loads_with_groups() -> None:
    groups = load_groups()
    assert {g.name for g in groups} >= {"suicide_self_harm", "abuse_harm", "immediate_danger", "parent_crisis"}
    assert all(g.patterns for g in groups)


def test_recall_on_held_out_risk_messages_is_total() -> None:
    missed = [text for text in _lines(HELD_OUT) if not match(text)]
    assert len(_lines(HELD_OUT)) >= 60
    assert missed == []


def test_ordinary_worries_are_not_flagged() -> None:
    flagged = [text for text in _lines(NEGATIVES) if match(text)]
    assert flagged == []


@pytest.mark.parametrize("text", ["the waiting list is killing me", "I'm dying to know when panel meets",
                                  "how long does the EHCP take"])
def test_idioms_are_excluded(text: str) -> None:
    assert match(text) is None


def test_a_risk_buried_in_a_long_question_is_still_caught() -> None:
    text = ("We've been waiting 30 weeks for the EHCP and the school say he is fine, but last night he told me he "
            "wants to kill himself. What can I do about the plan?")
    assert match(text) is not None
