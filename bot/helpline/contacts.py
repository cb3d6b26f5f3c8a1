"""The SEND Operations teams (one per quadrant), read from the content folder (safeguarding routes:
bot.safeguarding.routes).

The teams' numbers are casework lines for EHC plans and reviews, not a county "SEND helpline" and not an
urgent line: a family is given its own quadrant's team once its area is known, and otherwise every team by
name, so nobody is sent to Mid Essex's team for a child in Harlow.

Why files and not tables: these few numbers must still be given when the database is down, because a
family who needs a person, or a child at risk, must never get silence.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import get_settings

DEFAULT_PHONE = "0333 013 9949"


# Used only when helpline.yml gives no names; the file is where officers change them.
_QUADRANT_NAMES = {"north_east": "North East Essex", "mid": "Mid Essex", "south": "South Essex", "west": "West Essex"}


@dataclass(frozen=True)
class Helpline:
    name: str
    quadrant_phones: dict[str, str]
    web: str
    opening_hours: list[dict]
    bank_holidays: frozenset[date]
    quadrant_names: dict[str, str] = field(default_factory=dict)

    def phone_for(self, quadrant: str | None) -> str:
        """The team for the family's quadrant, or every team, by name, when we don't know where they live."""
        if quadrant and quadrant in self.quadrant_phones:
            return self.quadrant_phones[quadrant]
        return self.all_phones()

    def quadrant_name(self, quadrant: str) -> str:
        return self.quadrant_names.get(quadrant) or _QUADRANT_NAMES.get(quadrant, quadrant)

    def teams(self) -> list[tuple[str, str]]:
        """(area name, phone) for each quadrant's SEND Operations team, in the file's order."""
        return [(self.quadrant_name(q), p) for q, p in self.quadrant_phones.items()]

    def all_phones(self) -> str:
        """'Mid Essex 0333 013 9949, North East Essex 0333 013 7667, ...': which team is which."""
        return ", ".join(f"{name} {phone}" for name, phone in self.teams())


def _read(name: str, content_dir: Path | None) -> dict:
    path = (content_dir or get_settings().content_dir) / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@lru_cache(maxsize=4)
def get_helpline(content_dir: Path | None = None) -> Helpline:
    data = _read("helpline.yml", content_dir)
    return Helpline(
        name=data.get("name", "Essex SEND Operations"),
        quadrant_phones=dict(data.get("quadrant_phones") or {"mid": DEFAULT_PHONE}),
        web=data.get("web", "https://send.essex.gov.uk/"),
        opening_hours=list(data.get("opening_hours") or []),
        quadrant_names={str(k): str(v) for k, v in (data.get("quadrant_names") or {}).items()},
        bank_holidays=frozenset(
            d if isinstance(d, date) else date.fromisoformat(str(d)) for d in data.get("bank_holidays") or []
        ),
    )
