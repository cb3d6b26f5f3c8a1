"""The one rule for the "Last checked" date shown with a guidance section or a bank answer (bot/last_checked.py)."""
from __future__ import annotations

from datetime import date

from bot.last_checked import as_date, format_date, last_checked

DEC_5, DEC_6 = "2026-12-05", "2026-12-06"


def _source(checked: object) -> dict[str, object]:
    return {"url": "https://send.essex.gov.uk/", "page_date": None, "checked": checked}


def test_the_oldest_checked_date_counts() -> None:
    # Stored JSON holds ISO strings; YAML gives dates: both count, and the oldest wins whatever the order.
    assert last_checked([_source(DEC_6), _source(DEC_5)], needs_reread=False) == date(2026, 12, 5)
    assert last_checked([_source(date(2026, 12, 6)), _source(DEC_5)], needs_reread=False) == date(2026, 12, 5)
    assert last_checked([_source(DEC_6)], needs_reread=False) == date(2026, 12, 6)


def test_sources_an_officer_must_re_read_show_no_date() -> None:
    assert last_checked([_source(DEC_5), _source(DEC_6)], needs_reread=True) is None


def test_no_checked_date_shows_no_date() -> None:
    assert last_checked([], needs_reread=False) is None
    assert last_checked(None, needs_reread=False) is None
    assert last_checked([_source(None), _source(""), _source("not a date")], needs_reread=False) is None
    assert last_checked([{"url": "https://x"}, "junk"], needs_reread=False) is None  # type: ignore[list-item]
    # An unreadable date is skipped, not allowed to hide the readable ones.
    assert last_checked([_source("soon"), _source(DEC_6)], needs_reread=False) == date(2026, 12, 6)


def test_dates_read_and_write_the_british_way() -> None:
    assert as_date(DEC_5) == date(2026, 12, 5) and as_date(None) is None and as_date("5/12/2026") is None
    assert format_date(date(2026, 12, 5)) == "5 December 2026"
    assert format_date(date(2027, 1, 14)) == "14 January 2027"
