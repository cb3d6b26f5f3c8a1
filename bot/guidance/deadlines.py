"""Turn one date in a family's EHC case into the dates the law says should follow it.

Why: families ask "I asked for an assessment on 3 March, when should I hear?" and the honest answer is a
date, not "within 20 weeks". The time limits themselves are data (`data/local_offer/deadline_rules.yml`)
so officers can correct a number or a sentence without touching code; this module only does the
calendar arithmetic, which is easy to get wrong at month ends, year ends and in leap years.

Everything here is a pure function except `load_rules`, which reads the YAML it is given.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

import yaml
from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, ConstrainedInt, Extra, Field, StrictBool, ValidationError, root_validator

from bot.config import ROOT
from bot.constants import MONTH_NAMES

RULES_FILE = ROOT / "data" / "local_offer" / "deadline_rules.yml"

UNITS = ("weeks", "days", "months")

# Short labels only; the explanations families read live in the YAML.
PASSED_NOTE = "This date has passed."
TODAY_NOTE = "That is today."


@dataclass(frozen=True)
class Rule:
    """One time limit: `amount` `unit`s after the event it belongs to."""

    key: str
    label: str
    explain: str
    amount: int
    unit: str  # one of UNITS
    # True when the law counts the period "beginning with" the day of the event (SEND Regs reg 13 and 22:
    # 15 days beginning with the day the draft is served), so that day is day 1: served 2 March -> 16 March.
    counts_start_day: bool = False

    @property
    def period(self) -> str:
        """"6 weeks", "1 month": shown next to the date so a family can check our sum."""
        word = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {word}"


@dataclass(frozen=True)
class Rules:
    """The whole rules file, checked."""

    events: Mapping[str, tuple[Rule, ...]]
    phase_transfer: Mapping[str, str]
    exceptions_note: str = ""
    if_past: str = ""
    source_url: str = ""
    last_checked: date | None = None


@dataclass(frozen=True)
class Deadline:
    """A dated step in a family's case; `is_past` means the date is before today (today itself is not past)."""

    key: str
    label: str
    due: date
    explain: str
    is_past: bool
    period: str = ""


class RulesError(ValueError):
    """The rules file is wrong; the message names the event and the rule so an officer can fix it."""


# ---------------------------------------------------------------------------------------------- loading

_WHOLE_NUMBER = "must be a whole number above 0"


class _Period(ConstrainedInt):
    """A number of weeks, days or months: a whole number above 0 (6, not "six", not 6.5, not true)."""

    strict = True
    gt = 0


class _RuleEntry(BaseModel):
    """One rule as an officer writes it; pydantic checks each field, `_one_period` how they combine."""

    key: str = Field(..., min_length=1)
    label: str = Field(..., min_length=1)
    explain: Optional[str] = None
    weeks: Optional[_Period] = None
    days: Optional[_Period] = None
    months: Optional[_Period] = None
    counts_start_day: StrictBool = False

    class Config:
        extra = Extra.forbid  # "week: 6" is a typo to report, not a rule without a period
        anystr_strip_whitespace = True

    @root_validator(skip_on_failure=True)
    def _one_period(cls, values: dict[str, Any]) -> dict[str, Any]:
        units = [unit for unit in UNITS if values.get(unit) is not None]
        if len(units) != 1:
            raise ValueError(f"needs exactly one of {', '.join(UNITS)}")
        if values["counts_start_day"] and units[0] != "days":
            raise ValueError("'counts_start_day' is only for periods in days")
        return values

    def to_rule(self) -> Rule:
        unit = next(u for u in UNITS if getattr(self, u) is not None)
        return Rule(key=self.key, label=self.label, explain=self.explain or "", amount=getattr(self, unit),
                    unit=unit, counts_start_day=self.counts_start_day)


class _RulesFile(BaseModel):
    """The whole file. Keys it does not name (review_due) are the content checks' business, not ours."""

    rules: Dict[str, List[_RuleEntry]]
    phase_transfer: Optional[Dict[str, str]] = None
    exceptions_note: Optional[str] = None
    if_past: Optional[str] = None
    source_url: Optional[str] = None
    last_checked: Optional[date] = None

    class Config:
        anystr_strip_whitespace = True


def _problem(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    """One pydantic error in an officer's words, with the event, the rule's place and its key."""
    loc = [str(part) for part in error["loc"] if part != "__root__"]
    kind = error["type"]
    if loc[:1] != ["rules"] or len(loc) == 1:
        field = ".".join(loc)
        if field == "rules":
            return "rules: must be a mapping of event name to a list of rules"
        return f"{field}: {'must be a date like 2026-11-23' if 'date' in kind else 'must be text'}"
    event = loc[1]
    if len(loc) == 2:
        return f"rules.{event}: must be a list of rules"
    index = int(loc[2])
    entry = (data.get("rules") or {}).get(event, [None] * (index + 1))[index]
    where = f"rules.{event}[{index + 1}]"
    if isinstance(entry, dict) and entry.get("key"):
        where += f" ({entry['key']})"
    if len(loc) == 3:
        if kind == "type_error.dict":
            return f"{where}: must be a mapping with key, label and one of {', '.join(UNITS)}"
        return f"{where}: {error['msg']}"
    field = loc[3]
    if kind == "value_error.missing" or kind.startswith("value_error.any_str.min_length"):
        return f"{where}: needs both 'key' and 'label' ('{field}' is missing)"
    if kind == "value_error.extra":
        return f"{where}: '{field}' is not a rule field (use key, label, explain, {', '.join(UNITS)}, counts_start_day)"
    if field in UNITS:
        return f"{where}: '{field}' {_WHOLE_NUMBER}"
    if field == "counts_start_day":
        return f"{where}: 'counts_start_day' must be true or false"
    return f"{where}: '{field}' must be text"


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """Check and convert the YAML mapping; separate from reading so tests can feed a dict.

    Every problem in the file is reported at once, so an officer fixes it in one pass."""
    try:
        parsed = _RulesFile.parse_obj(data)
    except ValidationError as error:
        raise RulesError("\n".join(_problem(e, data) for e in error.errors())) from None
    if not parsed.rules:
        raise RulesError("rules: must be a mapping of event name to a list of rules")
    events: dict[str, tuple[Rule, ...]] = {}
    for event, entries in parsed.rules.items():
        if not entries:
            raise RulesError(f"rules.{event}: must be a list of rules")
        keys = [entry.key for entry in entries]
        if len(set(keys)) != len(keys):
            raise RulesError(f"rules.{event}: the same key is used twice")
        events[event] = tuple(entry.to_rule() for entry in entries)
    return Rules(
        events=events,
        phase_transfer=dict(parsed.phase_transfer or {}),
        exceptions_note=parsed.exceptions_note or "",
        if_past=parsed.if_past or "",
        source_url=parsed.source_url or "",
        last_checked=parsed.last_checked,
    )


_RULES_CACHE: dict[Path, tuple[tuple[int, int], Rules]] = {}


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read the rules file, again only when its modification time or size has changed: an officer's edit
    is still used by the next call, but an answer no longer parses the YAML each time (about 12 ms)."""
    path = Path(path)
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _RULES_CACHE.get(path)
    if cached and cached[0] == key:
        return cached[1]
    rules = parse_rules(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    _RULES_CACHE[path] = (key, rules)
    return rules


# ------------------------------------------------------------------------------------------- arithmetic


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb), which
    is how dateutil's relativedelta counts and how the law's "2 months" is read."""
    later: date = start + relativedelta(months=months)
    return later


def due_date(start: date, rule: Rule) -> date:
    """The last day of the period. A period that begins with the start day ends one day sooner than one that
    begins the day after: 15 days beginning with 2 March end on 16 March."""
    if rule.unit == "months":
        return add_months(start, rule.amount)
    days = rule.amount * 7 if rule.unit == "weeks" else rule.amount
    if rule.counts_start_day:
        days -= 1
    return start + timedelta(days=days)


def compute(event: str, start: date, today: date, rules: Rules) -> list[Deadline]:
    """Every time limit that counts from `event` on `start`, in the order the rules file gives them."""
    if event not in rules.events:
        raise ValueError(f"unknown event '{event}'; known events: {', '.join(sorted(rules.events))}")
    deadlines = []
    for rule in rules.events[event]:
        due = due_date(start, rule)
        deadlines.append(Deadline(key=rule.key, label=rule.label, due=due, explain=rule.explain,
                                  is_past=due < today, period=rule.period))
    return deadlines


# --------------------------------------------------------------------------------------- phase transfer

# SEND Regulations 2014, reg 18: fixed dates in the calendar year of the move.
_FEBRUARY_MOVES = frozenset({"reception", "infant", "junior", "primary", "middle", "secondary"})
_MARCH_MOVES = frozenset({"post_16"})

# School year group -> the stage the child moves to the next September. -1 is nursery (pre-school).
_MOVES_BY_YEAR_GROUP = {-1: "reception", 6: "secondary", 11: "post_16"}


def phase_transfer_deadline(moving_to: str, transfer_year: int) -> date:
    """The date by which the plan must name the new setting: 15 February, or 31 March for post-16."""
    if moving_to in _MARCH_MOVES:
        return date(transfer_year, 3, 31)
    if moving_to in _FEBRUARY_MOVES:
        return date(transfer_year, 2, 15)
    raise ValueError(f"unknown stage '{moving_to}'; known: {', '.join(sorted(_FEBRUARY_MOVES | _MARCH_MOVES))}")


def phase_transfer_for_school_year(current_year_group: int, today: date,
                                   at_infant_school: bool = False) -> tuple[str, date] | None:
    """The move a child in this year group makes next September, and its deadline; None if no move.

    The school year starts in September, so in September to December the move is next calendar year.
    Year 2 only moves (infant to junior) when the child is at a separate infant school, which the year
    group alone cannot tell us; the caller says so with `at_infant_school`.
    """
    moving_to = _MOVES_BY_YEAR_GROUP.get(current_year_group)
    if current_year_group == 2 and at_infant_school:
        moving_to = "junior"
    if moving_to is None:
        return None
    transfer_year = today.year + 1 if today.month >= 9 else today.year
    return moving_to, phase_transfer_deadline(moving_to, transfer_year)


def phase_transfer_note(moving_to: str, rules: Rules) -> str:
    """The explanation for the move's deadline, from the rules file."""
    key = "deadline_31_march" if moving_to in _MARCH_MOVES else "deadline_15_february"
    return rules.phase_transfer.get(key, "")


# ----------------------------------------------------------------------------------------------- dates


def format_date(day: date) -> str:
    """British style without a leading zero: 14 April 2026."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


_MONTHS = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)}
_MONTHS.update({name.lower()[:3]: i + 1 for i, name in enumerate(MONTH_NAMES)})
_MONTHS["sept"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"

# In priority order: a span taken by an earlier pattern is not read again by a later one.
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[/.\-](?P<mon>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})\b"),
    re.compile(r"(?<![\d/])(?P<day>\d{1,2})/(?P<mon>\d{1,2})\b(?![/\d])"),
    re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?{_MONTH}\b(?:,?\s*(?P<year>\d{{4}})\b)?", re.I),
    re.compile(rf"\b{_MONTH}\s+(?:the\s+)?(?P<day>\d{{1,2}}){_ORDINAL}\b(?:,?\s*(?P<year>\d{{4}})\b)?", re.I),
)
_NOT_DATES = {"24/7"}


def _year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if 2000 + year <= today.year + 10 else 1900
    return year


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _most_recent(month: int, day: int, today: date) -> date | None:
    """A date given without a year: the latest one not after today (8 years back covers 29 February)."""
    for year in range(today.year, today.year - 9, -1):
        found = _valid(year, month, day)
        if found and found <= today:
            return found
    return None


def _read(match: re.Match[str], today: date) -> date | None:
    parts = match.groupdict()
    month = _MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["mon"])
    day = int(parts["day"])
    if parts.get("year"):
        return _valid(_year(parts["year"], today), month, day)
    return _most_recent(month, day, today)


def parse_british_date(text: str, today: date) -> date | None:
    """One date from a family's message, read day first, or None when there is none, it is impossible
    (31/02/2026) or the message gives two different dates and we cannot tell which is meant.

    A date without a year is taken as the most recent one not after today, because families tell us when
    something already happened. Relative words other than "today" and "yesterday" are not guessed at.
    """
    taken: list[tuple[int, int]] = []
    found: set[date | None] = set()
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if match.group(0) in _NOT_DATES or any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.add(_read(match, today))
    if found:
        return found.pop() if len(found) == 1 else None
    relative = set()
    if re.search(r"\btoday\b", text, re.I):
        relative.add(today)
    if re.search(r"\byesterday\b", text, re.I):
        relative.add(today - timedelta(days=1))
    return relative.pop() if len(relative) == 1 else None


def explain(deadlines: list[Deadline], today: date) -> list[str]:
    """One plain line per deadline, e.g. "Final EHC plan: by 21 July 2026 (20 weeks). This date has passed." """
    lines = []
    for deadline in deadlines:
        period = f" ({deadline.period})" if deadline.period else ""
        line = f"{deadline.label}: by {format_date(deadline.due)}{period}."
        if deadline.due < today:
            line += f" {PASSED_NOTE}"
        elif deadline.due == today:
            line += f" {TODAY_NOTE}"
        lines.append(line)
    return lines
