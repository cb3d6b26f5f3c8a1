"""The officers' dashboard: how much the assistant is used and how well it answers, per day in UK time.

Why figures are bucketed here rather than in SQL: days must be UK calendar days (British Summer Time moves
midnight) on both SQLite and PostgreSQL, and the rules below are easier to test as plain Python:
- a conversation on a day is a sender who said something that day;
- a question is a user message;
- a turn is a fallback when the classifier said `nlu_fallback` or the assistant answered it with one of
  FALLBACK_ACTIONS (Rasa's `action_default_fallback`, and `action_fallback`, which this bot's rules run for
  `nlu_fallback`);
- the helpful rate is the share of "Did this help?" answers that said yes;
- what went to the officers' inbox is counted by its reason (not understood, out of scope, answer did not
  help, no service found, asked for a person), each under its own name: one "fallback" figure for all of them
  would hide which problem is growing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.db.queries.dashboard import (
    TrackerUnavailable,
    TurnEvent,
    list_feedback_between,
    list_handoff_times_between,
    list_turn_events,
    list_unanswered_between,
)
from bot.insight.inbox import REASON_LABELS

FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_fallback"})
FALLBACK_INTENT = "nlu_fallback"
DEFAULT_DAYS = 30
MAX_DAYS = 366
TOP_TOPICS = 10


@dataclass(frozen=True)
class DateRange:
    """Inclusive UK calendar days."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def utc_bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) as aware UTC datetimes: local midnight of the first day to local midnight after the last."""
        zone = ZoneInfo(tz)
        start = datetime.combine(self.start, time.min, zone).astimezone(timezone.utc)
        end = datetime.combine(self.end + timedelta(days=1), time.min, zone).astimezone(timezone.utc)
        return start, end


def default_range(today: date, days: int = DEFAULT_DAYS) -> DateRange:
    return DateRange(today - timedelta(days=days - 1), today)


def parse_range(start_text: str | None, end_text: str | None, today: date) -> tuple[DateRange, dict[str, str]]:
    """The range asked for, or the last 30 days; problems come back as field -> message, with the default range."""
    fallback = default_range(today)
    errors: dict[str, str] = {}
    start, end = fallback.start, fallback.end
    for name, text, label in (("start", start_text, "start"), ("end", end_text, "end")):
        if text is None or not text.strip():
            continue
        try:
            value = date.fromisoformat(text.strip())
        except ValueError:
            errors[name] = f"Enter the {label} date as a real date, for example {today:%Y-%m-%d}"
            continue
        if name == "start":
            start = value
        else:
            end = value
    if errors:
        return fallback, errors
    if start > end:
        return fallback, {"end": "The end date must be the same as or after the start date"}
    if (end - start).days + 1 > MAX_DAYS:
        return fallback, {"start": f"Choose a range of {MAX_DAYS} days or fewer"}
    return DateRange(start, end), {}


def local_day(moment: datetime | float, tz: str) -> date:
    """The UK calendar day of an epoch timestamp or a datetime (naive datetimes are UTC, as stored)."""
    if isinstance(moment, (int, float)):
        aware = datetime.fromtimestamp(moment, timezone.utc)
    else:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(tz)).date()


@dataclass(frozen=True)
class DaySeries:
    """One figure per day of the range, zeros included, so charts and tables show quiet days too."""

    label: str
    values: tuple[tuple[date, int], ...]

    @property
    def total(self) -> int:
        return sum(value for _, value in self.values)


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.hits / self.total, 1) if self.total else None


@dataclass(frozen=True)
class TurnStats:
    conversations: dict[date, set[str]] = field(default_factory=dict)
    questions: Counter[date] = field(default_factory=Counter)
    topics: Counter[str] = field(default_factory=Counter)
    fallbacks: int = 0
    turns: int = 0


def summarise_turns(events: Iterable[TurnEvent], tz: str) -> TurnStats:
    """Count conversations, questions, topics and fallbacks from events grouped by sender in event order."""
    conversations: dict[date, set[str]] = {}
    questions: Counter[date] = Counter()
    topics: Counter[str] = Counter()
    fallbacks = turns = 0
    sender: str | None = None
    fallback_turn: bool | None = None  # None while no user turn is open for this sender
    for event in events:
        if event.sender_id != sender:
            fallbacks += bool(fallback_turn)
            sender, fallback_turn = event.sender_id, None
        if event.type_name == "user":
            fallbacks += bool(fallback_turn)
            turns += 1
            day = local_day(event.timestamp, tz)
            conversations.setdefault(day, set()).add(event.sender_id)
            questions[day] += 1
            if event.intent_name and event.intent_name != FALLBACK_INTENT:
                topics[event.intent_name] += 1
            fallback_turn = event.intent_name == FALLBACK_INTENT
        elif event.type_name == "action" and fallback_turn is False and event.action_name in FALLBACK_ACTIONS:
            fallback_turn = True
    fallbacks += bool(fallback_turn)
    return TurnStats(conversations, questions, topics, fallbacks, turns)


def day_series(label: str, days: Sequence[date], counts: dict[date, int]) -> DaySeries:
    return DaySeries(label, tuple((day, int(counts.get(day, 0))) for day in days))


@dataclass(frozen=True)
class InboxKind:
    """One reason a question reached the officers' inbox, with its count in the range."""

    reason: str
    label: str
    count: int


def count_inbox_kinds(reasons: Iterable[str]) -> tuple[InboxKind, ...]:
    """Every reason in the inbox's order, zeros included, so a quiet kind is seen to be quiet."""
    counts = Counter(reasons)
    return tuple(InboxKind(reason, label, counts.get(reason, 0)) for reason, label in REASON_LABELS.items())


@dataclass(frozen=True)
class Dashboard:
    range: DateRange
    conversations: DaySeries
    questions: DaySeries
    handoffs: DaySeries
    top_topics: tuple[tuple[str, int], ...]
    fallback: Rate
    helpful: Rate
    helpful_by_day: tuple[tuple[date, int, int], ...]  # (day, yes, no)
    inbox: tuple[InboxKind, ...] = ()
    tracker_problem: str | None = None


def build_dashboard(session: Session, tracker_url: str, period: DateRange, tz: str) -> Dashboard:
    """Every figure for `period`: the tracker store for conversations, our database for feedback and handoffs."""
    start, end = period.utc_bounds(tz)
    problem = None
    try:
        events = list_turn_events(tracker_url, start.timestamp(), end.timestamp())
    except TrackerUnavailable as error:
        events, problem = [], str(error)
    stats = summarise_turns(events, tz)
    naive_start, naive_end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    feedback = list_feedback_between(session, naive_start, naive_end)
    yes_by_day: Counter[date] = Counter()
    no_by_day: Counter[date] = Counter()
    for created, helpful in feedback:
        (yes_by_day if helpful else no_by_day)[local_day(created, tz)] += 1
    handoffs = Counter(local_day(moment, tz) for moment in list_handoff_times_between(session, naive_start, naive_end))
    inbox = count_inbox_kinds(reason for _, reason in list_unanswered_between(session, naive_start, naive_end))
    days = period.days
    return Dashboard(
        range=period,
        conversations=day_series("Conversations", days, {d: len(s) for d, s in stats.conversations.items()}),
        questions=day_series("Questions", days, dict(stats.questions)),
        handoffs=day_series("Requests to talk to a person", days, dict(handoffs)),
        top_topics=tuple(stats.topics.most_common(TOP_TOPICS)),
        fallback=Rate(stats.fallbacks, stats.turns),
        helpful=Rate(sum(yes_by_day.values()), len(feedback)),
        helpful_by_day=tuple((d, yes_by_day[d], no_by_day[d]) for d in days if yes_by_day[d] or no_by_day[d]),
        inbox=inbox,
        tracker_problem=problem,
    )
