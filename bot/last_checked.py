"""The "Last checked" date families are shown under a guidance section or an answer from the answer bank: one
rule for both, so the article and the bank never disagree about what may be vouched for.

Why the oldest `checked` date: a text is only as fresh as its oldest fact. Why no date at all when an officer
must re-read the sources (`verify`) or none was checked: a date there would vouch for something nobody has
confirmed, so the family is asked to check the Local Offer instead (data/local_offer/README.md).
Plain values in, plain values out, with no imports from the rest of `bot`, so every layer may use it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from bot.constants import MONTH_NAMES


def as_date(value: object) -> date | None:
    """A stored date ('2026-12-05' in JSON, or a date from YAML) as a date; None when missing or not a date."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def last_checked(sources: Iterable[Mapping[str, Any]] | None, needs_reread: bool) -> date | None:
    """The oldest `checked` date among `sources` ([{url, page_date, checked}]), or None when no date may be
    shown: the sources must be re-read by an officer (`needs_reread`), or none of them has a checked date."""
    if needs_reread:
        return None
    dates = [as_date(source.get("checked")) for source in sources or [] if isinstance(source, Mapping)]
    checked = [day for day in dates if day]
    return min(checked) if checked else None


def format_date(day: date) -> str:
    """'23 November 2026': the British form families read without thinking (English month names whatever the
    server's locale)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
