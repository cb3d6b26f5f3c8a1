"""The queue says where a family lives in words a helpline worker routes by (issue #17 item 9)."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import models as m
from bot.helpline.handoff import FamilyArea, flag_conversation, save_callback
from bot.helpline.queue import area_label, teams


def _request(area: str | None, quadrant: str | None) -> m.HandoffRequest:
    return m.HandoffRequest(reference="LO-AREA22", area=area, quadrant=quadrant)


def test_a_district_is_shown_with_its_team() -> None:
    assert area_label(_request("Colchester", "north_east")) == "Colchester (North East Essex)"


def test_a_quadrant_is_not_said_twice() -> None:
    assert area_label(_request("Mid Essex", "mid")) == "Mid Essex"


def test_outside_essex_and_unknown() -> None:
    assert area_label(_request("Thurrock Council", None)) == "Thurrock Council"
    assert area_label(_request(None, None)) == ""
    assert area_label(_request(None, "west")) == "West Essex"


def test_every_team_has_a_name() -> None:
    assert set(teams()) == {"mid", "north_east", "south", "west"}
    assert all(name.endswith("Essex") for name in teams().values())


def test_the_area_is_stored_with_a_callback_and_a_safeguarding_flag(loaded_db, session) -> None:
    area = FamilyArea("Basildon", "south")
    callback = save_callback("conv-area", "asked", None, "Sam", "07700900123", "Yes", [("user", "hi")], area)
    flag = flag_conversation("conv-area-2", "immediate", "harm_now", None, [("user", "help")], area)
    for reference in (callback, flag):
        stored = session.execute(select(m.HandoffRequest).where(m.HandoffRequest.reference == reference)).scalar_one()
        assert (stored.area, stored.quadrant) == ("Basildon", "south")


def test_long_values_are_cut_to_the_columns() -> None:
    assert FamilyArea("x" * 200, "y" * 50).fields() == {"area": "x" * 80, "quadrant": "y" * 20}
    assert FamilyArea().fields() == {"area": None, "quadrant": None}
