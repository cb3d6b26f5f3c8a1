"""The SEND Operations teams (one per quadrant), read from the content folder (safeguarding routes:
bot.safeguarding.routes).

The teams' numbers are casework lines for EHC plans and reviews, not a county "SEND helpline" and not an
urgent line: a family is given its own quadrant's team once its area is known, and otherwise every team by
name, so nobody is sent to Mid Essex's team for a child in Harlow.

Why files and not tables: these few numbers must still be given when the database is down, because a
family who needs a person, or a child at risk, must never get silence.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.config import get_settings
from bot.constants import DEFAULT_HELPLINE_NAME, DEFAULT_PHONE, QUADRANT_LABELS, SEND_WEB
from bot.helpline.opening_hours import OpeningPeriod, england_bank_holidays

__all__ = ["DEFAULT_PHONE", "Helpline", "get_helpline", "bank_holidays_from"]

# Bank holidays are worked out from this year to ten years ahead of today: a process restarts long before
# the window runs out, and the earlier years keep dated tests and stored timestamps right.
_FIRST_YEAR = 2020
_YEARS_AHEAD = 10


@dataclass(frozen=True)
class Helpline:
    name: str
    quadrant_phones: dict[str, str]
    web: str
    opening_hours: list[OpeningPeriod]
    bank_holidays: frozenset[date]
    quadrant_names: dict[str, str] = field(default_factory=dict)

    def phone_for(self, quadrant: str | None) -> str:
        """The team for the family's quadrant, named ("0333 013 7667 (North East Essex team)"), or every team, by name,
        when we don't know where they live. Named even when it is one: a family in Clacton asking which team runs
        its plan got only a number (probe set v12, read), and the name is what they look for in letters."""
        if quadrant and quadrant in self.quadrant_phones:
            return f"{self.quadrant_phones[quadrant]} ({self.quadrant_name(quadrant)} team)"
        return self.all_phones()

    def quadrant_name(self, quadrant: str) -> str:
        return self.quadrant_names.get(quadrant) or QUADRANT_LABELS.get(quadrant, quadrant)

    def teams(self) -> list[tuple[str, str]]:
        """(area name, phone) for each quadrant's SEND Operations team, in the file's order."""
        return [(self.quadrant_name(q), p) for q, p in self.quadrant_phones.items()]

    def all_phones(self) -> str:
        """'Mid Essex 0333 013 9949, North East Essex 0333 013 7667, ...': which team is which."""
        return ", ".join(f"{name} {phone}" for name, phone in self.teams())


def bank_holidays_from(extra_days: Iterable[object] | None, today: date | None = None) -> frozenset[date]:
    """England's bank holidays, plus any one-off day the file adds (`bank_holidays:` in helpline.yml) before
    the `holidays` package knows about it."""
    last_year = (today or date.today()).year + _YEARS_AHEAD
    extra = {d if isinstance(d, date) else date.fromisoformat(str(d)) for d in (extra_days or [])}
    return england_bank_holidays(range(_FIRST_YEAR, last_year + 1)) | extra


def _read(name: str, content_dir: Path | None) -> dict[str, Any]:
    path = (content_dir or get_settings().content_dir) / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=4)
def get_helpline(content_dir: Path | None = None) -> Helpline:
    data = _read("helpline.yml", content_dir)
    return Helpline(
        name=data.get("name", DEFAULT_HELPLINE_NAME),
        quadrant_phones=dict(data.get("quadrant_phones") or {"mid": DEFAULT_PHONE}),
        web=data.get("web", SEND_WEB),
        opening_hours=list(data.get("opening_hours") or []),
        quadrant_names={str(k): str(v) for k, v in (data.get("quadrant_names") or {}).items()},
        bank_holidays=bank_holidays_from(data.get("bank_holidays")),
    )
