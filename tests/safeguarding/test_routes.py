"""Safeguarding routes by area and time: each council's own numbers, the out-of-hours line right at
weekends and on bank holidays, and the one-line possible-concern note."""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.config import ROOT
from bot.helpline.contacts import get_helpline
from bot.safeguarding.routes import area_of, concern_line, get_routes, immediate_reply, office_open

CONTENT = ROOT / "data" / "local_offer"
BANK_HOLIDAYS = get_helpline(CONTENT).bank_holidays
MONDAY_10AM = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
MONDAY_6PM = datetime(2026, 12, 7, 18, 0, tzinfo=timezone.utc)
FRIDAY_5PM = datetime(2026, 12, 11, 17, 0, tzinfo=timezone.utc)  # Fridays close at 4.30pm
SATURDAY_NOON = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
BOXING_DAY_SUBSTITUTE = datetime(2026, 12, 28, 11, 0, tzinfo=timezone.utc)  # a Monday bank holiday
SUMMER_MONDAY_9_30_BST = datetime(2027, 6, 7, 8, 30, tzinfo=timezone.utc)  # 9.30am in Essex


def _reply(area: str | None, when: datetime, reason: str = "abuse_harm") -> list[str]:
    return immediate_reply(area, reason, when, BANK_HOLIDAYS, get_routes(CONTENT)).splitlines()


def test_999_is_first_in_every_immediate_reply() -> None:
    for area in (None, "essex", "southend", "thurrock"):
        lines = _reply(area, SATURDAY_NOON)
        assert lines[0] == "If a child is in danger right now, call 999."
        assert lines[1].startswith("- Police, fire or ambulance: 999")


@pytest.mark.parametrize("when, open_now", [
    (MONDAY_10AM, True), (SUMMER_MONDAY_9_30_BST, True), (MONDAY_6PM, False), (FRIDAY_5PM, False),
    (SATURDAY_NOON, False), (SUNDAY_NOON, False), (BOXING_DAY_SUBSTITUTE, False),
])
def test_the_line_open_now_comes_first(when: datetime, open_now: bool) -> None:
    lines = _reply("essex", when)
    essex = get_routes(CONTENT).areas["essex"]
    assert office_open(essex.office, when, BANK_HOLIDAYS) is open_now
    if open_now:
        assert "Essex Children and Families Hub: 0345 603 7627. Open now" in lines[2]
        assert "0345 606 1212" in lines[3]
    else:
        assert "0345 606 1212. Open now" in lines[2]
        assert "weekends and bank holidays" in lines[2]  # never shown with weekday hours only
        assert "0345 603 7627" in lines[3] and "Open now" not in lines[3]


def test_southend_gets_its_own_office_and_the_shared_out_of_hours_team() -> None:
    text = "\n".join(_reply("southend", MONDAY_10AM))
    assert "Southend children's social care: 01702 215007. Open now" in text
    assert "0345 606 1212" in text and "0345 603 7627" not in text and "01375" not in text


def test_thurrock_gets_its_own_lines_without_claiming_which_is_open() -> None:
    text = "\n".join(_reply("thurrock", SATURDAY_NOON))
    assert "Thurrock Multi-Agency Safeguarding Hub: 01375 652802, in office hours" in text
    assert "Thurrock out-of-hours team: 01375 372468" in text
    assert "Open now" not in text and "0345" not in text


def test_when_the_area_is_not_known_essex_routes_come_with_one_line_for_southend_and_thurrock() -> None:
    lines = _reply(None, MONDAY_10AM)
    assert "0345 603 7627" in lines[2]
    assert lines[-1] == ("Live in Southend or Thurrock? Southend: 01702 215007 (out of hours 0345 606 1212); "
                         "Thurrock: 01375 652802 (out of hours 01375 372468).")
    assert "Live in" not in "\n".join(_reply("essex", MONDAY_10AM))


@pytest.mark.parametrize("reason, expected", [
    ("suicide_self_harm", "NHS 111, option 2"), ("missing_signs", "Police non-emergency: 101"),
    ("abuse_harm", "NSPCC helpline for adults"), ("something_new", "NHS 111, option 2"),
])
def test_the_other_routes_fit_what_the_message_is_about(reason: str, expected: str) -> None:
    lines = _reply("essex", MONDAY_10AM, reason)
    assert any(expected in line for line in lines)
    assert len(lines) <= 7  # short enough for a phone screen


def test_the_concern_line_is_one_line_with_the_areas_number_and_999() -> None:
    routes = get_routes(CONTENT)
    weekday = concern_line("essex", MONDAY_10AM, BANK_HOLIDAYS, routes)
    weekend = concern_line("essex", SATURDAY_NOON, BANK_HOLIDAYS, routes)
    thurrock = concern_line("thurrock", MONDAY_10AM, BANK_HOLIDAYS, routes)
    assert "\n" not in weekday and "0345 603 7627 (open now; out of hours: 0345 606 1212)" in weekday
    assert "0345 606 1212 (open now, whenever the office is closed" in weekend
    assert "01375 652802" in thurrock and "0345" not in thurrock
    assert all("If a child is in danger now, call 999." in line for line in (weekday, weekend, thurrock))


def test_the_area_comes_from_the_newest_place_named() -> None:
    assert area_of(["Colchester"], CONTENT) == "essex"
    assert area_of(["grays"], CONTENT) == "thurrock"
    assert area_of(["Southend-on-Sea"], CONTENT) == "southend"
    assert area_of(["southend", "Chelmsford"], CONTENT) == "essex"
    assert area_of(["north_east"], CONTENT) == "essex"
    assert area_of(["Kent", ""], CONTENT) is None  # another council: the routes for where we cannot tell


def test_an_unknown_route_in_the_file_is_refused(tmp_path: Path) -> None:
    from bot.safeguarding.routes import _read

    text = (CONTENT / "emergency.yml").read_text(encoding="utf-8").replace("default: [nhs_111,", "default: [nope,")
    (tmp_path / "emergency.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="unknown routes"):
        _read(tmp_path / "emergency.yml")


def test_every_route_number_is_in_the_fact_sheet_when_it_is_there() -> None:
    facts = ROOT.parent / "shared" / "send-facts.md"
    if not facts.exists():
        assert not os.environ.get("CI"), "CI lays shared/ beside the clone: the fact sheet must be there"
        pytest.skip("the fact sheet sits outside the repository, beside it (CI has it)")
    text = facts.read_text(encoding="utf-8")
    routes = get_routes(CONTENT)
    numbers = {routes.first.phone, *(r.phone for r in routes.routes.values())}
    numbers |= {line.phone for a in routes.areas.values() for line in (a.office, a.out_of_hours)}
    assert [n for n in numbers if n not in text] == []


def test_bank_holidays_are_read() -> None:
    assert date(2026, 12, 28) in BANK_HOLIDAYS
