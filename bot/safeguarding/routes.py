"""The safeguarding routes a family is given, chosen by where the child lives and what time it is there.

Why its own module: Southend and Thurrock run their own children's social care, and the out-of-hours line
answers whenever the office is closed (weekends and bank holidays too), so "which number now" is a small
calculation that must be right every time. The numbers and the wording are data
(`data/local_offer/emergency.yml`), read from the file rather than the database so they are given even
when the database is down.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.config import get_settings
from bot.helpline.opening_hours import OpeningPeriod, is_open

AREAS_OUTSIDE_ESSEX = ("southend", "thurrock")
ESSEX = "essex"


@dataclass(frozen=True)
class Line:
    name: str
    phone: str
    hours: tuple[OpeningPeriod, ...]
    hours_text: str


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    office: Line
    out_of_hours: Line


@dataclass(frozen=True)
class Route:
    name: str
    phone: str
    when: str


@dataclass(frozen=True)
class Routes:
    first: Route
    areas: dict[str, Area]
    default_area: str
    routes: dict[str, Route]
    by_reason: dict[str, tuple[str, ...]]
    wording: dict[str, str]

    def area(self, code: str | None) -> Area:
        return self.areas.get(code or "", self.areas[self.default_area])


def _line(data: dict[str, Any]) -> Line:
    return Line(str(data["name"]), str(data["phone"]), tuple(data.get("hours") or ()), str(data.get("hours_text", "")))


def _read(path: Path) -> Routes:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    areas = {
        code: Area(code, str(entry.get("label", code)), _line(entry["office"]), _line(entry["out_of_hours"]))
        for code, entry in (data.get("areas") or {}).items()
    }
    first = data["first"]
    routes = {key: Route(str(r["name"]), str(r["phone"]), str(r.get("when", ""))) for key, r in
              (data.get("routes") or {}).items()}
    by_reason = {key: tuple(value) for key, value in (data.get("by_reason") or {}).items()}
    unknown = {name for names in by_reason.values() for name in names} - set(routes)
    default_area = str(data.get("default_area", "essex"))
    if unknown or default_area not in areas:
        raise ValueError(f"{path}: unknown routes {sorted(unknown)} or default area {default_area!r}")
    return Routes(Route(str(first["name"]), str(first["phone"]), str(first.get("when", ""))), areas, default_area,
                  routes, by_reason, {k: str(v) for k, v in (data.get("wording") or {}).items()})


@lru_cache(maxsize=4)
def get_routes(content_dir: Path | None = None) -> Routes:
    return _read((content_dir or get_settings().content_dir) / "emergency.yml")


@lru_cache(maxsize=4)
def _place_names(content_dir: Path | None = None) -> tuple[dict[str, str], frozenset[str]]:
    """Place names of Southend and Thurrock (name -> code), and every Essex County Council name.

    Read from the content files, not the database, for the same reason as the routes."""
    folder = content_dir or get_settings().content_dir
    outside = yaml.safe_load((folder / "outside_areas.yml").read_text(encoding="utf-8")) or {}
    own = {str(name).lower(): str(a["code"]) for a in outside.get("areas", []) if a.get("code") in AREAS_OUTSIDE_ESSEX
           for name in [a["code"], a.get("name", ""), *a.get("names", [])] if name}
    areas = yaml.safe_load((folder / "areas.yml").read_text(encoding="utf-8")) or {}
    essex = {
        str(n).lower() for q in areas.get("quadrants", []) for n in [q["code"], q.get("name", ""), *q.get("names", [])]
    }
    essex |= {str(n).lower() for d in areas.get("districts", [])
              for n in [d["code"], d.get("name", ""), *d.get("places", [])]}
    return own, frozenset(n for n in essex if n)


def area_of(mentions: list[str], content_dir: Path | None = None) -> str | None:
    """The safeguarding area ('essex', 'southend', 'thurrock') of the latest place the family named, if any.

    `mentions` are entity values and slot values, oldest first; the newest recognised one wins, because a
    family may correct where they live."""
    own, essex = _place_names(content_dir)
    for mention in reversed([m.strip().lower() for m in mentions if m and m.strip()]):
        if mention in own:
            return own[mention]
        if mention in essex or mention.replace("_", " ") in essex:
            return ESSEX
    return None


def office_open(line: Line, now: datetime, bank_holidays: frozenset[date]) -> bool | None:
    """Whether the office line is open at `now` (UK time); None when no source gives its hours."""
    if not line.hours:
        return None
    return is_open(now, list(line.hours), set(bank_holidays))


def _area_lines(routes: Routes, area: Area, now: datetime, bank_holidays: frozenset[date]) -> list[str]:
    """The office and out-of-hours lines, the one open now first."""
    w = routes.wording
    open_now = office_open(area.office, now, bank_holidays)
    office, ooh = area.office, area.out_of_hours
    if open_now is None:
        return [w["office_unknown"].format(name=office.name, phone=office.phone, hours_text=office.hours_text),
                w["out_of_hours_unknown"].format(name=ooh.name, phone=ooh.phone, hours_text=ooh.hours_text)]
    if open_now:
        return [w["office_open"].format(name=office.name, phone=office.phone, hours_text=office.hours_text),
                w["out_of_hours_closed"].format(name=ooh.name, phone=ooh.phone, hours_text=ooh.hours_text)]
    return [w["out_of_hours_open"].format(name=ooh.name, phone=ooh.phone, hours_text=ooh.hours_text),
            w["office_closed"].format(name=office.name, phone=office.phone, hours_text=office.hours_text)]


def _other_areas_line(routes: Routes, area_code: str | None) -> str:
    """When we do not know where the family lives, one line for the councils with their own routes."""
    if area_code in routes.areas:
        return ""
    others = [routes.areas[c] for c in AREAS_OUTSIDE_ESSEX if c in routes.areas and c != routes.default_area]
    if not others:
        return ""
    w = routes.wording
    lines = "; ".join(w["other_area"].format(label=a.label, office_phone=a.office.phone,
                                             ooh_phone=a.out_of_hours.phone) for a in others)
    return w["other_areas"].format(areas=" or ".join(a.label for a in others), lines=lines) + "."


def immediate_reply(area_code: str | None, reason: str, now: datetime, bank_holidays: frozenset[date],
                    routes: Routes | None = None) -> str:
    """The emergency routes, short, 999 at the top: the area's lines (the open one first), then two to four
    others chosen for what the message is about, then one line for Southend and Thurrock if we do not know
    where the family lives."""
    routes = routes or get_routes()
    w = routes.wording
    area = routes.area(area_code)
    lines = [w["intro"], w["route"].format(name=routes.first.name, phone=routes.first.phone, when=routes.first.when)]
    lines += _area_lines(routes, area, now, bank_holidays)
    for key in routes.by_reason.get(reason, routes.by_reason.get("default", ())):
        route = routes.routes[key]
        lines.append(w["route"].format(name=route.name, phone=route.phone, when=route.when))
    other = _other_areas_line(routes, area_code)
    return "\n".join(lines + ([other] if other else []))


def concern_line(area_code: str | None, now: datetime, bank_holidays: frozenset[date],
                 routes: Routes | None = None) -> str:
    """One short line after the family's answer: the right line for their area now, and 999."""
    routes = routes or get_routes()
    w = routes.wording
    area = routes.area(area_code)
    open_now = office_open(area.office, now, bank_holidays)
    if open_now is False:
        line, when = area.out_of_hours, area.out_of_hours.hours_text
        text = w["concern"].format(name=line.name, phone=line.phone, when=f"open now, {when}")
    else:
        when = w["concern_office_open"] if open_now else w["concern_out_of_hours"].format(
            ooh_phone=area.out_of_hours.phone)
        if open_now:
            when = f"{when}; {w['concern_out_of_hours'].format(ooh_phone=area.out_of_hours.phone)}"
        text = w["concern"].format(name=area.office.name, phone=area.office.phone, when=when)
    other = _other_areas_line(routes, area_code)
    return f"{text} {other}".strip()
