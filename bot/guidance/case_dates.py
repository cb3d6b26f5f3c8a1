"""Pick the deadline calculation a family's message asks for, from the topic it was understood as.

Why separate from `bot.guidance.deadlines`: that module does calendar sums on rules; this one decides which event
a message describes ("I asked for an assessment on 3 March" -> the assessment request; "the review
meeting was on 2 May" -> the review meeting; "he is in year 6" -> the phase transfer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.guidance.deadlines import (
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
_ANSWER_DATES = frozenset(_EVENT_BY_TOPIC) - {"annual_review"}
_TRANSITION_TOPICS = ("transition_secondary", "transition_early_years", "transition_adulthood", "annual_review")
_YEAR_GROUP = re.compile(r"\b(?:year|yr)\s?(\d{1,2})\b", re.IGNORECASE)
# A deadline is worked out only when the family asks about one and we know what it needs (issue #17): a date
# (not a birthday) with words about timing or the event, or, for a move between schools, a school year, an EHC
# plan (the phase-transfer date is only for children with one) and a question about timing.
_TIMING = re.compile(
    r"\b(?:when|deadline|by when|how long|time ?limits?|timescales?|dates?|due|hear|heard|waiting|wait|overdue|"
    r"late|weeks?|days?|months?|named?|naming|consult\w*|decided?|decision)\b", re.IGNORECASE)
_EVENT_WORDS = re.compile(
    r"\b(?:asked|applied|requested|request|sent|submitted|received|got|had|held|meeting|issued|served|letter|"
    r"refused|turned down|certificate|arrived|landed|dated|came through|came in the post)\b", re.IGNORECASE)
_BIRTH = re.compile(r"\b(?:born|birthday|date of birth|dob|due date)\b", re.IGNORECASE)
_PLAN = re.compile(r"\b(?:ehcp|ehc\s?plan|ehc|education,? health and care plan|statement|plan)\b", re.IGNORECASE)
_NO_PLAN = re.compile(
    r"\b(?:no|not|without|never|doesn'?t|does not|don'?t|do not|hasn'?t|has not|haven'?t|isn'?t)\b"
    r"[^.?!]{0,25}\b(?:ehcp|ehc\s?plan|ehc|plan|statement)\b", re.IGNORECASE)

# A plan wanted, not had: "nursery think she needs a plan", "we are applying for an EHCP", "going for a plan".
_PLAN_WANTED = re.compile(
    r"\b(?:needs?|needed|needing|apply(?:ing)?|applied|ask(?:ing|ed)?|request(?:ing|ed)?|wants?|wanted|get(?:ting)?|"
    r"go(?:ing)? for|push(?:ing)? for|fight(?:ing)? for|for)\s+(?:for\s+)?(?:an?\s+|the\s+)?"
    r"(?:ehcp|ehc\s?plan|education,? health and care plan|plan|statement)\b", re.IGNORECASE)


@dataclass(frozen=True)
class CaseDates:
    start: str  # the date (or school year) the family gave, said back to them
    lines: list[str]
    exceptions: str
    if_past: str  # empty unless a date has already passed
    deadlines: list[Deadline]
    from_school_year: bool = False  # counted from a school year (a move between phases), not from a date


def asks_about_dates(text: str) -> bool:
    """Words about timing or about the event a date belongs to, and the date is not a birthday."""
    return not _BIRTH.search(text) and bool(_TIMING.search(text) or _EVENT_WORDS.search(text))


def has_plan(topic: str, text: str) -> bool:
    """The family says the child has an EHC plan (an annual review is of a plan), and does not say there is none.
    A plan only wanted ("nursery think she needs a plan") is not one: the school-year date is for a child with one."""
    if _NO_PLAN.search(text):
        return False
    return topic == "annual_review" or bool(_PLAN.search(_PLAN_WANTED.sub(" ", text)))


def case_dates_in_turn(topic: str, text: str, previous: str | None, today: date) -> CaseDates | None:
    """`case_dates` for this message, or, when it asks about timing without a date of its own ("whats the last
    day to reply?"), for it read after the family's message before, which gave the date ("Draft EHCP arrived by
    email on 3 November")."""
    dates = case_dates(topic, text, today)
    if dates is not None or not previous or parse_british_date(text, today) or not _TIMING.search(text):
        return dates
    return case_dates(topic, f"{previous.strip().rstrip('.?!')}. {text}", today)


def dates_topic(answer_topic: str | None, topic: str) -> str:
    """Whose dates to work out beside an answer: the answer's own topic when it has dates of its own, else the
    topic the message was understood as. A family asking "draft plan was served on 10 June, do I have until the
    24th?" was classified as the assessment's timeline, given the draft answer, then the assessment's 6, 16 and
    20 weeks from 10 June (probe set v12, read): the dates must be those of the answer they read.
    Not an annual review answer: with no meeting named, its dates count a year from the plan, while the answer may
    be about appealing what the review decided, whose 2 months the message's own topic gives."""
    if answer_topic in _ANSWER_DATES:
        return answer_topic
    return topic


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
    """The dates for this message, or None when it does not ask about them or lacks what they need."""
    rules = load_rules()
    start = parse_british_date(text, today)
    event = _event_for(topic, text)
    if start and event and event in rules.events and asks_about_dates(text):
        deadlines = compute(event, start, today, rules)
        any_past = any(d.is_past for d in deadlines)
        return CaseDates(format_date(start), explain(deadlines, today), rules.exceptions_note,
                         rules.if_past if any_past else "", deadlines)
    asked = topic in _TRANSITION_TOPICS and has_plan(topic, text) and bool(_TIMING.search(text))
    year_group = _year_group(text) if asked else None
    if year_group is not None:
        move = phase_transfer_for_school_year(year_group, today)
        if move:
            moving_to, due = move
            label = f"Year {year_group}" if year_group >= 0 else "nursery (pre-school)"
            line = f"The plan must name the new setting by {format_date(due)}. {phase_transfer_note(moving_to, rules)}"
            past = due < today
            return CaseDates(label, [line.strip()], rules.exceptions_note, rules.if_past if past else "", [],
                             from_school_year=True)
    return None
