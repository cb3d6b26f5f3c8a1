"""Is the SEND helpline open now, and if not, when does it next open?

Why: telling a family to "call now" at 6pm on Christmas Eve wastes a worried parent's time, and saying
"we open at 9am" means nothing unless it is 9am in Essex. The hours are data
(`data/local_offer/helpline.yml`); England's bank holidays come from the `holidays` package, which knows
the rules (Easter, substitute days) and the one-off days announced so far, so no list runs out in a given
year. This module only does the clock arithmetic, always in UK local time so British Summer Time is handled
by zoneinfo, not by us.
"""
from __future__ import annotations

from collections.abc import Iterable, Set
from datetime import date, datetime, time, timedelta, timezone
from typing import TypedDict
from zoneinfo import ZoneInfo

import holidays

from bot.constants import DAY_CODES, DAY_NAMES, MONTH_NAMES, UK_TIMEZONE

# Far enough to cross any run of holidays; an empty timetable fails instead of looping forever.
_SEARCH_DAYS = 60


class OpeningPeriod(TypedDict, total=False):
    """One entry of `opening_hours:` as the YAML gives it: `days` are codes ("MO"), times as _clock reads them."""

    days: list[str]
    opens_at: str | int | time
    closes_at: str | int | time


def england_bank_holidays(years: Iterable[int]) -> frozenset[date]:
    """England's bank holidays in `years`, as GOV.UK lists them: the weekdays offices close.

    Why weekdays only: when Christmas falls on a Saturday the package names both the Saturday and the
    substitute Monday; only the Monday is a bank holiday, and the Saturday is closed anyway.
    """
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=list(years))
    return frozenset(day for day in calendar if day.weekday() < 5)


def _clock(value: object) -> time:
    """A time from the YAML: "09:00", a `time`, or an int of minutes.

    Why the int: YAML 1.1 reads an unquoted 17:00 as the base-60 number 1020, which is minutes past
    midnight, so an officer who forgets the quotes still gets the right hour.
    """
    if isinstance(value, time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return time(value // 60, value % 60)
    hours, minutes = str(value).strip().split(":")
    return time(int(hours), int(minutes))


def _local(now: datetime, tz: str) -> datetime:
    """`now` in the helpline's time zone; a naive datetime is taken to be UTC (servers log in UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(ZoneInfo(tz))


def _periods(day: date, hours: Iterable[OpeningPeriod], bank_holidays: Set[date]) -> list[tuple[time, time]]:
    """The (opens, closes) periods on a date, earliest first; none on a bank holiday."""
    if day in bank_holidays:
        return []
    code = DAY_CODES[day.weekday()]
    periods = [(_clock(h["opens_at"]), _clock(h["closes_at"])) for h in hours
               if code in [str(d).upper() for d in h.get("days", [])]]
    return sorted(periods)


def is_open(now: datetime, hours: list[OpeningPeriod], bank_holidays: Set[date], tz: str = UK_TIMEZONE) -> bool:
    """True from the opening minute up to, but not including, the closing minute."""
    local = _local(now, tz)
    clock = local.time().replace(tzinfo=None)
    return any(opens <= clock < closes for opens, closes in _periods(local.date(), hours, bank_holidays))


def next_opening(now: datetime, hours: list[OpeningPeriod], bank_holidays: Set[date],
                 tz: str = UK_TIMEZONE) -> datetime:
    """When a family can next get through, as an aware time in `tz`; `now` itself if the line is open."""
    local = _local(now, tz)
    zone = ZoneInfo(tz)
    clock = local.time().replace(tzinfo=None)
    for offset in range(_SEARCH_DAYS):
        day = local.date() + timedelta(days=offset)
        for opens, closes in _periods(day, hours, bank_holidays):
            if offset == 0 and opens <= clock < closes:
                return local
            if offset > 0 or clock < opens:
                return datetime.combine(day, opens, tzinfo=zone)
    raise ValueError(f"the helpline has no opening time in the next {_SEARCH_DAYS} days")


def describe_clock(moment: time | datetime) -> str:
    """9am, 9:30am, 12pm, 4:30pm: how people say times out loud."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def describe_next_opening(dt: datetime) -> str:
    """"Monday 28 December at 9am", in the wall-clock time `dt` already carries."""
    return f"{DAY_NAMES[dt.weekday()]} {dt.day} {MONTH_NAMES[dt.month - 1]} at {describe_clock(dt)}"
