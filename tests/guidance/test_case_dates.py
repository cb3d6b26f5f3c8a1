"""Which deadline a message asks for: the school-year date for a move between schools is only for a child who has
an EHC plan, so a plan that is only wanted or asked for must not be read as one."""
from __future__ import annotations

from datetime import date

import pytest

from bot.guidance.case_dates import case_dates, has_plan

TODAY = date(2026, 12, 7)


@pytest.mark.parametrize("text", [
    "my daughter is 4 and at nursery, they think she needs a plan but we havent applied, is it too late",
    "we're applying for an ehcp, he's in year 6, when do they name his secondary",
    "going for an EHC plan for my son in year 10, how long does it take",
    "she is in year 5 and does not have an EHCP, when do we pick a secondary",
])
def test_a_plan_wanted_or_missing_is_not_a_plan(text: str) -> None:
    assert not has_plan("transition_secondary", text)
    assert case_dates("transition_secondary", text, TODAY) is None


@pytest.mark.parametrize("text", [
    "he is in year 6 and has an EHCP, when will they name his secondary school?",
    "my daughter's plan needs updating, she is in year 11, when is the deadline for college",
    "she's at nursery with an ehc plan, when must they name her school",
])
def test_a_plan_the_child_has_still_gets_its_school_year_date(text: str) -> None:
    dates = case_dates("transition_secondary", text, TODAY)
    assert dates is not None and dates.from_school_year
