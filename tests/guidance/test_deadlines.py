"""The deadline calculator: every statutory number pinned, calendar edges, parsing, and rules as data."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.guidance.deadlines import (
    RULES_FILE,
    Deadline,
    RulesError,
    add_months,
    compute,
    explain,
    format_date,
    load_rules,
    parse_british_date,
    parse_rules,
    phase_transfer_deadline,
    phase_transfer_for_school_year,
    phase_transfer_note,
)

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _due(rules, event: str, start: date, key: str) -> date:
    return {d.key: d.due for d in compute(event, start, TODAY, rules)}[key]


# ------------------------------------------------------------------------------ the statutory numbers


@pytest.mark.parametrize(
    "event, key, start, expected",
    [
        ("assessment_request", "decision_to_assess", date(2026, 3, 3), date(2026, 4, 14)),  # 6 weeks
        ("assessment_request", "decision_no_plan", date(2026, 3, 3), date(2026, 6, 23)),  # 16 weeks
        ("assessment_request", "final_plan", date(2026, 3, 3), date(2026, 7, 21)),  # 20 weeks
        ("draft_plan_received", "comment_on_draft", date(2026, 3, 3), date(2026, 3, 17)),  # 15 days, day 1 = 3 March
        ("plan_issued", "annual_review", date(2026, 3, 3), date(2027, 3, 3)),  # 12 months
        ("review_meeting", "review_decision", date(2026, 3, 3), date(2026, 3, 31)),  # 4 weeks
        ("review_meeting", "amended_plan_overall", date(2026, 3, 3), date(2026, 5, 26)),  # 12 weeks
        ("amendment_proposals", "respond_to_amendments", date(2026, 3, 3), date(2026, 3, 17)),  # 15 days, day 1 = 3 March
        ("amendment_proposals", "final_amended_plan", date(2026, 3, 3), date(2026, 4, 28)),  # 8 weeks
        ("decision_letter", "appeal_deadline", date(2026, 3, 3), date(2026, 5, 3)),  # 2 months
        ("mediation_certificate", "appeal_deadline_after_mediation", date(2026, 3, 3), date(2026, 4, 3)),  # 1 month
    ],
)
def test_each_statutory_time_limit(rules, event, key, start, expected) -> None:
    assert _due(rules, event, start, key) == expected


def test_the_rules_file_holds_the_statutory_amounts(rules) -> None:
    amounts = {r.key: (r.amount, r.unit) for rs in rules.events.values() for r in rs}
    assert amounts["decision_to_assess"] == (6, "weeks")
    assert amounts["decision_no_plan"] == (16, "weeks")
    assert amounts["final_plan"] == (20, "weeks")
    assert amounts["comment_on_draft"] == (15, "days")
    assert amounts["annual_review"] == (12, "months")
    assert amounts["review_decision"] == (4, "weeks")
    assert amounts["amended_plan_overall"] == (12, "weeks")
    assert amounts["appeal_deadline"] == (2, "months")
    assert amounts["appeal_deadline_after_mediation"] == (1, "months")


def test_every_rule_has_wording_for_families(rules) -> None:
    for event, event_rules in rules.events.items():
        for rule in event_rules:
            assert rule.label and rule.explain, f"{event}.{rule.key}"
    assert rules.if_past and "SENDIASS" in rules.if_past
    assert rules.exceptions_note
    assert rules.source_url.startswith("https://")
    assert rules.last_checked == date(2026, 12, 5)


@pytest.mark.parametrize(
    "served, expected",
    [
        (date(2026, 3, 2), date(2026, 3, 16)),  # the example: not 17 March
        (date(2026, 1, 31), date(2026, 2, 14)),  # across a month end
        (date(2027, 2, 20), date(2027, 3, 6)),  # across February in a common year
        (date(2028, 2, 20), date(2028, 3, 5)),  # and in a leap year
        (date(2026, 12, 25), date(2027, 1, 8)),  # across a year end
    ],
)
def test_fifteen_days_begin_with_the_day_the_draft_is_served(rules, served, expected) -> None:
    """SEND Regs reg 13: at least 15 days beginning with the day the draft is served, so that day is day 1."""
    assert _due(rules, "draft_plan_received", served, "comment_on_draft") == expected
    assert _due(rules, "amendment_proposals", served, "respond_to_amendments") == expected


def test_counting_from_the_start_day_is_only_for_days() -> None:
    data = {"rules": {"x": [{"key": "k", "label": "L", "weeks": 2, "counts_start_day": True}]}}
    with pytest.raises(RulesError, match="only for periods in days"):
        parse_rules(data)
    data = {"rules": {"x": [{"key": "k", "label": "L", "days": 2, "counts_start_day": "yes"}]}}
    with pytest.raises(RulesError, match="true or false"):
        parse_rules(data)


def test_the_exceptions_note_does_not_say_school_holidays_extend_the_limits(rules) -> None:
    note = rules.exceptions_note.lower()
    assert "school holidays" not in note
    assert "4 weeks or more" in note and "summer" in note


def test_the_appeal_rules_carry_the_mediation_rule(rules) -> None:
    appeal = {r.key: r for rs in rules.events.values() for r in rs}["appeal_deadline"].explain
    assert "1 month" in appeal and "mediation" in appeal and "within those 2 months" in appeal
    assert "only about the school" in appeal


def test_deadlines_come_in_file_order(rules) -> None:
    keys = [d.key for d in compute("assessment_request", date(2026, 3, 3), TODAY, rules)]
    assert keys == ["decision_to_assess", "decision_no_plan", "final_plan"]


def test_unknown_event_is_refused(rules) -> None:
    with pytest.raises(ValueError, match="assessment_request"):
        compute("flying_lessons", TODAY, TODAY, rules)


# ------------------------------------------------------------------------------ calendar edges


def test_request_in_december_runs_into_next_year(rules) -> None:
    due = {d.key: d.due for d in compute("assessment_request", date(2026, 12, 1), TODAY, rules)}
    assert due["decision_to_assess"] == date(2027, 1, 12)
    assert due["final_plan"] == date(2027, 4, 20)


def test_plan_made_on_leap_day_is_reviewed_by_28_february(rules) -> None:
    assert _due(rules, "plan_issued", date(2028, 2, 29), "annual_review") == date(2029, 2, 28)


def test_two_months_from_new_years_eve_lands_on_leap_day(rules) -> None:
    assert _due(rules, "decision_letter", date(2027, 12, 31), "appeal_deadline") == date(2028, 2, 29)
    assert _due(rules, "decision_letter", date(2026, 12, 31), "appeal_deadline") == date(2027, 2, 28)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
    ],
)
def test_add_months_clamps_to_the_month_end(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_weeks_cross_the_clock_change_without_drift(rules) -> None:
    # 20 weeks is always 140 days, whatever the clocks do in March and October.
    assert _due(rules, "assessment_request", date(2026, 3, 20), "final_plan") == date(2026, 8, 7)


# ------------------------------------------------------------------------------ past and future


def test_past_and_future_flags(rules) -> None:
    deadlines = compute("assessment_request", date(2026, 9, 1), TODAY, rules)
    flags = {d.key: d.is_past for d in deadlines}
    assert flags == {"decision_to_assess": True, "decision_no_plan": False, "final_plan": False}


def test_a_deadline_of_today_has_not_passed(rules) -> None:
    start = date(2026, 10, 12)  # + 6 weeks = 23 November 2026
    first = compute("assessment_request", start, TODAY, rules)[0]
    assert first.due == TODAY and first.is_past is False
    assert explain([first], TODAY) == ["Decision on whether to assess: by 23 November 2026 (6 weeks). That is today."]


def test_explain_lines(rules) -> None:
    lines = explain(compute("assessment_request", date(2026, 3, 3), TODAY, rules), TODAY)
    assert lines[0] == "Decision on whether to assess: by 14 April 2026 (6 weeks). This date has passed."
    assert lines[2] == "Final EHC plan: by 21 July 2026 (20 weeks). This date has passed."
    future = explain(compute("decision_letter", date(2026, 11, 20), TODAY, rules), TODAY)
    assert future == ["Last day to appeal to the SEND Tribunal: by 20 January 2027 (2 months)."]
    one = explain(compute("mediation_certificate", date(2026, 11, 20), TODAY, rules), TODAY)
    assert "(1 month)." in one[0]


def test_deadline_is_frozen() -> None:
    deadline = Deadline("k", "Label", TODAY, "why", False)
    with pytest.raises(AttributeError):
        deadline.due = date(2000, 1, 1)  # type: ignore[misc]


@pytest.mark.parametrize("day, text", [(date(2026, 4, 14), "14 April 2026"), (date(2027, 1, 1), "1 January 2027")])
def test_british_date_format_has_no_leading_zero(day, text) -> None:
    assert format_date(day) == text


# ------------------------------------------------------------------------------ phase transfer


@pytest.mark.parametrize(
    "moving_to, expected",
    [
        ("reception", date(2027, 2, 15)),
        ("junior", date(2027, 2, 15)),
        ("secondary", date(2027, 2, 15)),
        ("middle", date(2027, 2, 15)),
        ("post_16", date(2027, 3, 31)),
    ],
)
def test_phase_transfer_deadline(moving_to, expected) -> None:
    assert phase_transfer_deadline(moving_to, 2027) == expected


def test_unknown_phase_is_refused() -> None:
    with pytest.raises(ValueError):
        phase_transfer_deadline("university", 2027)


@pytest.mark.parametrize(
    "year_group, today, expected",
    [
        (6, date(2026, 11, 23), ("secondary", date(2027, 2, 15))),
        (11, date(2026, 11, 23), ("post_16", date(2027, 3, 31))),
        (-1, date(2026, 11, 23), ("reception", date(2027, 2, 15))),
        (6, date(2027, 1, 10), ("secondary", date(2027, 2, 15))),  # same school year, after New Year
        (6, date(2026, 9, 1), ("secondary", date(2027, 2, 15))),  # first day of the school year
        (6, date(2026, 8, 31), ("secondary", date(2026, 2, 15))),  # last day of the previous school year
        (4, date(2026, 11, 23), None),
        (2, date(2026, 11, 23), None),
        (0, date(2026, 11, 23), None),
    ],
)
def test_phase_transfer_for_school_year(year_group, today, expected) -> None:
    assert phase_transfer_for_school_year(year_group, today) == expected


def test_infant_to_junior_only_when_at_an_infant_school() -> None:
    assert phase_transfer_for_school_year(2, TODAY, at_infant_school=True) == ("junior", date(2027, 2, 15))


def test_phase_transfer_wording_comes_from_the_file(rules) -> None:
    assert "15 February" in phase_transfer_note("secondary", rules)
    assert "31 March" in phase_transfer_note("post_16", rules)


# ------------------------------------------------------------------------------ parsing


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 March", date(2026, 3, 3)),
        ("3rd March 2026", date(2026, 3, 3)),
        ("03/03/2026", date(2026, 3, 3)),
        ("3/3/26", date(2026, 3, 3)),
        ("March 3rd", date(2026, 3, 3)),
        ("3 Mar", date(2026, 3, 3)),
        ("the 3rd of March", date(2026, 3, 3)),
        ("March 3, 2026", date(2026, 3, 3)),
        ("3.3.2026", date(2026, 3, 3)),
        ("2026-03-03", date(2026, 3, 3)),
        ("3 sept", date(2026, 9, 3)),
        ("I asked for an assessment on 3 March, when should I hear?", date(2026, 3, 3)),
        ("I sent it on 14/10/2026 and I'm still waiting today", date(2026, 10, 14)),
        ("today", TODAY),
        ("Yesterday", date(2026, 11, 22)),
        ("3 March 2027", date(2027, 3, 3)),  # an explicit year is kept even in the future
    ],
)
def test_parse_valid_dates(text, expected) -> None:
    assert parse_british_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("03/04/2026", date(2026, 4, 3)),  # day first: 3 April, never 4 March
        ("12/11/26", date(2026, 11, 12)),
        ("4/3", date(2026, 3, 4)),
    ],
)
def test_parse_is_always_day_first(text, expected) -> None:
    assert parse_british_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3 March", date(2026, 3, 3)),  # earlier this year
        ("23 November", TODAY),  # today counts as not after today
        ("24 November", date(2025, 11, 24)),  # tomorrow's date means last year
        ("3 December", date(2025, 12, 3)),
        ("29 February", date(2024, 2, 29)),  # the last leap day
        ("25/12", date(2025, 12, 25)),
    ],
)
def test_parse_without_a_year_means_the_most_recent_past(text, expected) -> None:
    assert parse_british_date(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "30 February",
        "31 April 2026",
        "13/13/2026",
        "last Tuesday",
        "a few weeks ago",
        "my son is in Year 6",
        "we waited 20 weeks",
        "support 24/7",
        "",
        "I asked on 3 March and they replied on 5 April",  # two dates: we cannot tell which is meant
        "today or yesterday",
    ],
)
def test_parse_invalid_or_unclear_gives_none(text) -> None:
    assert parse_british_date(text, TODAY) is None


def test_the_same_date_twice_is_not_ambiguous() -> None:
    assert parse_british_date("3 March (3/3/2026)", TODAY) == date(2026, 3, 3)


# ------------------------------------------------------------------------------ rules are data


def test_changing_the_yaml_changes_the_result(tmp_path: Path) -> None:
    copy = tmp_path / "deadline_rules.yml"
    shutil.copy(RULES_FILE, copy)
    before = compute("assessment_request", date(2026, 3, 3), TODAY, load_rules(copy))
    assert before[0].due == date(2026, 4, 14)

    data = yaml.safe_load(copy.read_text(encoding="utf-8"))
    data["rules"]["assessment_request"][0]["weeks"] = 8
    data["rules"]["assessment_request"][0]["label"] = "Changed label"
    copy.write_text(yaml.safe_dump(data), encoding="utf-8")

    after = compute("assessment_request", date(2026, 3, 3), TODAY, load_rules(copy))
    assert after[0].due == date(2026, 4, 28)
    assert after[0].label == "Changed label"
    assert after[0].period == "8 weeks"


def test_a_rule_can_switch_unit(tmp_path: Path) -> None:
    copy = tmp_path / "deadline_rules.yml"
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    data["rules"]["decision_letter"][0].pop("months")
    data["rules"]["decision_letter"][0]["days"] = 60
    copy.write_text(yaml.safe_dump(data), encoding="utf-8")
    due = compute("decision_letter", date(2026, 3, 3), TODAY, load_rules(copy))[0].due
    assert due == date(2026, 5, 2)


@pytest.mark.parametrize(
    "bad_rule, message",
    [
        ({"key": "x", "label": "X"}, "exactly one"),
        ({"key": "x", "label": "X", "weeks": 2, "days": 3}, "exactly one"),
        ({"key": "x", "label": "X", "weeks": 0}, "above 0"),
        ({"key": "x", "label": "X", "weeks": "six"}, "whole number"),
        ({"label": "X", "weeks": 6}, "key"),
    ],
)
def test_a_broken_rule_is_reported_with_its_place(bad_rule, message) -> None:
    with pytest.raises(RulesError, match=message) as raised:
        parse_rules({"rules": {"assessment_request": [bad_rule]}})
    assert "assessment_request" in str(raised.value)


def test_a_repeated_key_is_reported() -> None:
    rule = {"key": "x", "label": "X", "weeks": 1}
    with pytest.raises(RulesError, match="twice"):
        parse_rules({"rules": {"e": [rule, rule]}})


def test_every_broken_rule_is_reported_at_once() -> None:
    data = {"rules": {"e": [{"key": "a", "label": "A", "weeks": 2.5},
                            {"key": "b", "label": "B", "days": 3, "counts_start_day": "yes"}]}}
    with pytest.raises(RulesError) as raised:
        parse_rules(data)
    assert str(raised.value).splitlines() == [
        "rules.e[1] (a): 'weeks' must be a whole number above 0",
        "rules.e[2] (b): 'counts_start_day' must be true or false",
    ]


def test_a_misspelt_field_is_reported_not_ignored() -> None:
    with pytest.raises(RulesError, match="'week' is not a rule field"):
        parse_rules({"rules": {"e": [{"key": "a", "label": "A", "week": 6}]}})


def test_a_bad_date_in_the_file_names_the_field() -> None:
    with pytest.raises(RulesError, match="last_checked: must be a date"):
        parse_rules({"rules": {"e": [{"key": "a", "label": "A", "weeks": 6}]}, "last_checked": "soon"})
