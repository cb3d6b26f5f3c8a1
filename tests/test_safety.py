"""The safeguarding safety net (patterns alone, without the classifier).

The v1, v2 and v3 risk lists were written apart from the patterns, measured, and then used to broaden the
patterns, so here they are regression tests. The honest figure comes from lists nobody tuned on
(whatever officers add next; see bench/README.md for the first-sight figures); `make eval` reports it for the whole pipeline.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import load_groups, match

NLU = Path(__file__).parent / "nlu"
RISK = ["safeguarding_heldout.txt", "safeguarding_heldout_v2.txt", "safeguarding_heldout_v3.txt"]
# v4 and v5 are caught by the whole pipeline (classifier + net): see tests/nlu/README.md and `make eval`.
ORDINARY = sorted(p.name for p in NLU.glob("safeguarding_negatives*.txt"))
CAUTIOUS = NLU / "safeguarding_cautious_flags.txt"


def _lines(name: str) -> list[str]:
    lines = (NLU / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_patterns_files_load_with_groups() -> None:
    groups = load_groups()
    assert {g.name for g in groups} >= {"suicide_self_harm", "abuse_harm", "immediate_danger", "parent_crisis",
                                         "self_harm_signs", "neglect_signs", "exploitation_signs"}
    assert all(g.patterns for g in groups)


@pytest.mark.parametrize("name", RISK)
def test_every_risk_message_is_caught(name: str) -> None:
    assert len(_lines(name)) >= 60
    assert [text for text in _lines(name) if not match(text)] == []


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_worries_are_not_flagged(name: str) -> None:
    accepted = set(_lines(CAUTIOUS.name))
    assert [text for text in _lines(name) if match(text) and text not in accepted] == []


def test_cautious_flags_are_real_lines_that_are_flagged() -> None:
    """The accepted list must not hide anything: each line is in a negatives list and is flagged today."""
    ordinary = {text for name in ORDINARY for text in _lines(name)}
    accepted = [text for text in _lines(CAUTIOUS.name) if not text.startswith("#")]
    assert accepted and all(text in ordinary and match(text) for text in accepted)


@pytest.mark.parametrize("text", ["the waiting list is killing me", "I'm dying to know when panel meets",
                                  "how long does the EHCP take", "his EHCP is missing the speech and language section",
                                  "she wants to dye her hair blue", "he hurts himself by accident because of dyspraxia"])
def test_idioms_are_excluded(text: str) -> None:
    assert match(text) is None


def test_a_risk_buried_in_a_long_question_is_still_caught() -> None:
    text = ("We've been waiting 30 weeks for the EHCP and the school say he is fine, but last night he told me he "
            "wants to kill himself. What can I do about the plan?")
    assert match(text) is not None


def test_an_officers_new_pattern_takes_effect(tmp_path: Path) -> None:
    patterns = tmp_path / "patterns.yml"
    patterns.write_text("version: 1\ngroups:\n  - name: new\n    patterns: ['\\bpurple elephant\\b']\n")
    assert match("I saw a purple elephant", patterns) == "new"
    assert match("a grey elephant", patterns) is None
