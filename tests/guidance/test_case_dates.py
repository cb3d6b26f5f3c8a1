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


def test_a_date_given_with_what_arrived_counts() -> None:
    dates = case_dates("draft_plan", "Draft EHCP for my son arrived by email on 3 November. It's a bit of a mess",
                       TODAY)
    assert dates is not None and "17 November 2026" in dates.lines[0]


@pytest.mark.parametrize(("text", "previous", "due"), [
    # the follow-up only asks when: the date is in the message before
    ("whats the last day to reply?", "Draft EHCP for my son arrived by email on 3 November", "17 November 2026"),
    # a date of its own is read alone
    ("and if it came on 10 November, when is the deadline?", "the draft plan arrived on 3 November",
     "24 November 2026"),
])
def test_a_follow_up_that_asks_when_reads_the_date_before_it(text: str, previous: str, due: str) -> None:
    from bot.guidance.case_dates import case_dates_in_turn

    dates = case_dates_in_turn("draft_plan", text, previous, TODAY)
    assert dates is not None and due in dates.lines[0]


def test_a_follow_up_that_does_not_ask_when_gets_no_dates() -> None:
    from bot.guidance.case_dates import case_dates_in_turn

    assert case_dates_in_turn("draft_plan", "can i ask for a personal budget too?", "the draft arrived on 3 November", TODAY) is None


@pytest.mark.parametrize(("answer_topic", "topic", "expected"), [
    ("draft_plan", "assessment_timeline", "draft_plan"),  # the draft's 15 days beside the draft answer
    ("disagree_appeal", "draft_plan", "disagree_appeal"),
    ("annual_review", "disagree_appeal", "disagree_appeal"),  # a review answer may be about appealing its decision
    ("exclusions", "assessment_timeline", "assessment_timeline"),  # no dates of its own: the message's topic
    (None, "draft_plan", "draft_plan"),
])
def test_the_dates_are_for_the_answer_the_family_reads(answer_topic, topic, expected) -> None:  # type: ignore[no-untyped-def]
    from bot.guidance.case_dates import dates_topic

    assert dates_topic(answer_topic, topic) == expected
