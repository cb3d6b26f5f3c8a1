"""Helpline opening hours, in UK local time, against the real helpline file."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.config import ROOT
from bot.helpline.contacts import bank_holidays_from, get_helpline
from bot.helpline.opening_hours import (
    describe_clock,
    describe_next_opening,
    england_bank_holidays,
    is_open,
    next_opening,
)

LONDON = ZoneInfo("Europe/London")
CONTENT = ROOT / "data" / "local_offer"
HELPLINE = yaml.safe_load((CONTENT / "helpline.yml").read_text(encoding="utf-8"))
HOURS: list[dict] = HELPLINE["opening_hours"]
HOLIDAYS = get_helpline(CONTENT).bank_holidays

# The list that was typed into helpline.yml by hand (GOV.UK's England and Wales list for 2026 to 2028):
# the `holidays` package must give exactly these days, so no answer about opening times changed.
TYPED_2026_TO_2028 = {date.fromisoformat(d) for d in """
    2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
    2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28
    2028-01-03 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-08-28 2028-12-25 2028-12-26""".split()}


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def test_the_helpline_file_has_what_we_rely_on() -> None:
    assert HELPLINE["timezone"] == "Europe/London"
    assert {date(2026, 12, 25), date(2026, 12, 28)} <= HOLIDAYS


def test_the_holidays_package_gives_the_same_days_as_the_typed_list() -> None:
    assert england_bank_holidays(range(2026, 2029)) == TYPED_2026_TO_2028
    assert {d for d in HOLIDAYS if 2026 <= d.year <= 2028} == TYPED_2026_TO_2028


@pytest.mark.parametrize("holiday", [date(2029, 3, 30), date(2029, 4, 2), date(2029, 12, 25), date(2031, 5, 26),
                                     date(2033, 12, 26)])
def test_bank_holidays_after_2028_are_known_now(holiday: date) -> None:
    assert holiday in HOLIDAYS
    assert is_open(datetime.combine(holiday, time(11, 0), tzinfo=LONDON), HOURS, HOLIDAYS) is False


def test_a_weekend_day_is_never_listed_a_substitute_weekday_is() -> None:
    # Christmas 2032 is a Saturday: the bank holidays are Monday 27 and Tuesday 28 December.
    days = england_bank_holidays([2032])
    assert date(2032, 12, 25) not in days and {date(2032, 12, 27), date(2032, 12, 28)} <= days


def test_a_one_off_day_in_the_file_is_added_to_the_calendar() -> None:
    assert date(2030, 6, 14) in bank_holidays_from(["2030-06-14"], today=date(2026, 1, 1))
    assert date(2036, 12, 25) in bank_holidays_from(None, today=date(2026, 1, 1))


@pytest.mark.parametrize(
    "moment, expected",
    [
        (uk(2026, 11, 23, 9, 0), True),  # Monday, the opening minute
        (uk(2026, 11, 23, 8, 59), False),  # a minute before
        (uk(2026, 11, 23, 12, 30), True),
        (uk(2026, 11, 23, 16, 59), True),
        (uk(2026, 11, 23, 17, 0), False),  # closing time itself is closed
        (uk(2026, 11, 26, 16, 45), True),  # Thursday: open until 5pm
        (uk(2026, 11, 27, 16, 29), True),  # Friday: open until 4:30pm
        (uk(2026, 11, 27, 16, 30), False),  # Friday early close
        (uk(2026, 11, 27, 16, 45), False),
        (uk(2026, 11, 28, 11, 0), False),  # Saturday
        (uk(2026, 11, 29, 11, 0), False),  # Sunday
        (uk(2026, 12, 25, 11, 0), False),  # Christmas Day, a Friday
        (uk(2026, 12, 28, 11, 0), False),  # Boxing Day substitute, a Monday
        (uk(2026, 12, 29, 11, 0), True),
        (uk(2026, 4, 3, 11, 0), False),  # Good Friday
    ],
)
def test_is_open(moment: datetime, expected: bool) -> None:
    assert is_open(moment, HOURS, HOLIDAYS) is expected


def test_summer_time_utc_is_converted() -> None:
    # 1 July 2026 is in BST (UTC+1): 08:30 UTC is 09:30 in Essex, 16:30 UTC is 17:30.
    assert is_open(datetime(2026, 7, 1, 8, 30, tzinfo=timezone.utc), HOURS, HOLIDAYS) is True
    assert is_open(datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc), HOURS, HOLIDAYS) is False
    assert is_open(datetime(2026, 7, 1, 7, 59, tzinfo=timezone.utc), HOURS, HOLIDAYS) is False


def test_winter_time_utc_is_the_same_as_london() -> None:
    assert is_open(datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc), HOURS, HOLIDAYS) is False
    assert is_open(datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc), HOURS, HOLIDAYS) is True


def test_naive_times_are_taken_as_utc() -> None:
    assert is_open(datetime(2026, 7, 1, 8, 30), HOURS, HOLIDAYS) is True  # 09:30 BST
    assert is_open(datetime(2026, 7, 1, 16, 30), HOURS, HOLIDAYS) is False  # 17:30 BST


def test_other_time_zones_are_converted() -> None:
    new_york = ZoneInfo("America/New_York")
    assert is_open(datetime(2026, 11, 23, 5, 0, tzinfo=new_york), HOURS, HOLIDAYS) is True  # 10:00 GMT


def test_christmas_run() -> None:
    opening = next_opening(uk(2026, 12, 24, 17, 30), HOURS, HOLIDAYS)
    assert opening == uk(2026, 12, 29, 9, 0)
    assert opening.tzinfo is not None and opening.utcoffset().total_seconds() == 0
    assert describe_next_opening(opening) == "Tuesday 29 December at 9am"


def test_friday_evening_opens_monday() -> None:
    assert next_opening(uk(2026, 11, 27, 16, 30), HOURS, HOLIDAYS) == uk(2026, 11, 30, 9, 0)


def test_saturday_opens_monday() -> None:
    assert next_opening(uk(2026, 11, 28, 10, 0), HOURS, HOLIDAYS) == uk(2026, 11, 30, 9, 0)


def test_early_morning_opens_the_same_day() -> None:
    assert next_opening(uk(2026, 11, 24, 7, 15), HOURS, HOLIDAYS) == uk(2026, 11, 24, 9, 0)


def test_when_open_the_next_opening_is_now() -> None:
    now = uk(2026, 11, 24, 10, 15)
    assert next_opening(now, HOURS, HOLIDAYS) == now


def test_easter_weekend_skips_good_friday_and_easter_monday() -> None:
    assert next_opening(uk(2027, 3, 25, 17, 0), HOURS, HOLIDAYS) == uk(2027, 3, 30, 9, 0)


def test_next_opening_after_the_clocks_go_forward_is_in_bst() -> None:
    # Clocks go forward on Sunday 29 March 2026; Monday 9am is 08:00 UTC.
    opening = next_opening(datetime(2026, 3, 27, 20, 0, tzinfo=timezone.utc), HOURS, HOLIDAYS)
    assert opening == uk(2026, 3, 30, 9, 0)
    assert opening.astimezone(timezone.utc).hour == 8


def test_next_opening_from_a_utc_time_is_in_london_time() -> None:
    opening = next_opening(datetime(2026, 11, 23, 17, 30), HOURS, HOLIDAYS)  # naive = UTC, Monday evening
    assert opening == uk(2026, 11, 24, 9, 0)
    assert opening.tzinfo == LONDON


def test_no_hours_at_all_is_an_error() -> None:
    with pytest.raises(ValueError):
        next_opening(uk(2026, 11, 23, 10, 0), [], set())


def test_unquoted_yaml_times_still_work() -> None:
    # YAML 1.1 reads an unquoted 17:00 as 1020 (minutes past midnight).
    hours = yaml.safe_load("- {days: [MO], opens_at: 9:30, closes_at: 17:00}")
    assert hours[0]["closes_at"] == 1020
    assert is_open(uk(2026, 11, 23, 9, 45), hours, set()) is True
    assert is_open(uk(2026, 11, 23, 9, 15), hours, set()) is False
    assert is_open(uk(2026, 11, 23, 17, 0), hours, set()) is False


def test_describe_next_opening() -> None:
    assert describe_next_opening(uk(2026, 12, 28, 9, 0)) == "Monday 28 December at 9am"
    assert describe_next_opening(uk(2027, 1, 4, 9, 30)) == "Monday 4 January at 9:30am"


@pytest.mark.parametrize(
    "clock, words",
    [(time(9, 0), "9am"), (time(9, 30), "9:30am"), (time(12, 0), "12pm"), (time(16, 30), "4:30pm"),
     (time(0, 5), "12:05am")],
)
def test_describe_clock(clock: time, words: str) -> None:
    assert describe_clock(clock) == words
