"""Pick the deadline calculation a family's message asks for, from the topic it was understood as.

Why separate from `bot.deadlines`: that module does calendar sums on rules; this one decides which event
a message describes ("I asked for an assessment on 3 March" -> the assessment request; "the review
meeting was on 2 May" -> the review meeting; "he is in year 6" -> the phase transfer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.deadlines import (
    Deadline,
    compute,
    explain,
    format_date,
    load_rules,
    parse_british_date,
    phase_transfer_for_school_year,
    phase_transfer_note,
)

_EVENT_BY_TOPIC = {
    "assessment_timeline": "assessment_request",
    "request_assessment": "assessment_request",
    "draft_plan": "draft_plan_received",
    "annual_review": "plan_issued",
    "disagree_appeal": "decision_letter",
    "assessment_refused": "decision_letter",
}
_TRANSITION_TOPICS = ("transition_secondary", "transition_early_years", "transition_adulthood", "annual_review")
_YEAR_GROUP = re.compile(r"\b(?:year|yr)\s?(\d{1,2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class CaseDates:
    start: str  # the date (or school year) the family gave, said back to them
    lines: list[str]
    exceptions: str
    if_past: str  # empty unless a date has already passed
    deadlines: list[Deadline]


def _event_for(topic: str, text: str) -> str | None:
    lowered = text.lower()
    if topic in ("disagree_appeal", "assessment_refused") and "mediation" in lowered and "certificate" in lowered:
        return "mediation_certificate"
    if topic == "annual_review" and ("meeting" in lowered or "was held" in lowered):
        return "review_meeting"
    if topic == "assessment_refused" and not re.search(r"\bletter|appeal|decision", lowered):
        return "assessment_request"
    return _EVENT_BY_TOPIC.get(topic)


def _year_group(text: str) -> int | None:
    lowered = text.lower()
    if "nursery" in lowered or "pre-school" in lowered or "preschool" in lowered:
        return -1
    match = _YEAR_GROUP.search(text)
    return int(match.group(1)) if match else None


def case_dates(topic: str, text: str, today: date) -> CaseDates | None:
    """The dates for this message, or None when it gives no date (or school year) to count from."""
    rules = load_rules()
    start = parse_british_date(text, today)
    event = _event_for(topic, text)
    if start and event and event in rules.events:
        deadlines = compute(event, start, today, rules)
        any_past = any(d.is_past for d in deadlines)
        return CaseDates(format_date(start), explain(deadlines, today), rules.exceptions_note,
                         rules.if_past if any_past else "", deadlines)
    year_group = _year_group(text) if topic in _TRANSITION_TOPICS else None
    if year_group is not None:
        move = phase_transfer_for_school_year(year_group, today)
        if move:
            moving_to, due = move
            label = "Year group " + (str(year_group) if year_group >= 0 else "nursery")
            line = f"The plan must name the new setting by {format_date(due)}. {phase_transfer_note(moving_to, rules)}"
            past = due < today
            return CaseDates(label, [line.strip()], rules.exceptions_note, rules.if_past if past else "", [])
    return None
