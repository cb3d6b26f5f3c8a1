"""`python -m bot check-content`: it passes on the real content, and each check fails on content broken on
purpose (a check that cannot fail checks nothing)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main
from bot.content.checks import (
    check_initials,
    check_phones,
    check_pinned,
    check_readability,
    read_allowed_phones,
    read_initials,
    run_checks,
    unexplained_initials,
)
from bot.content.files import read_content
from tests.conftest import CONTENT

FACT_SHEET = CONTENT.parents[1].parent / "shared" / "send-facts.md"  # ../shared beside the repository
TODAY = date(2026, 12, 5)


def _edit(folder: Path, name: str, change) -> None:  # type: ignore[no-untyped-def]
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _service(data: dict, service_id: str) -> dict:
    return next(s for s in data["services"] if s["id"] == service_id)


def _checks(problems) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.check for p in problems}


def test_the_real_content_passes_every_check() -> None:
    # Today's real date: content is checked on the day it is written, so a fixed date would fail tomorrow's edits.
    assert [str(p) for p in run_checks(CONTENT, date.today())] == []


def test_the_command_passes_and_fails(content_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["check-content", str(CONTENT)]) == 0
    _edit(content_copy, "guidance/draft_plan.yml", lambda d: d["timescales"].append("The final plan comes within 26 weeks."))
    assert main(["check-content", str(content_copy)]) == 1
    assert "guidance/draft_plan.yml" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ dates


def test_a_checked_date_in_the_future_fails(content_copy: Path) -> None:
    def future(d: dict) -> None:
        d["sources"]["summary"][0]["checked"] = "2099-01-01"
    _edit(content_copy, "guidance/annual_review.yml", future)
    problems = run_checks(content_copy, TODAY)
    assert any(p.check == "dates" and "annual_review.yml" in p.where and "2099-01-01" in p.message for p in problems)


def test_a_page_dated_after_it_was_checked_fails(content_copy: Path) -> None:
    def later(d: dict) -> None:
        d["sources"]["timescales"][0]["page_date"] = "2026-12-06"
    _edit(content_copy, "guidance/assessment_timeline.yml", later)
    problems = run_checks(content_copy, date(2026, 12, 31))
    assert any(p.check == "sources" and "after it was checked" in p.message for p in problems)


# ---------------------------------------------------------------------------------------------- sources


def test_a_section_without_sources_is_refused_naming_file_entry_and_field(content_copy: Path) -> None:
    _edit(content_copy, "guidance/draft_plan.yml", lambda d: d["sources"].pop("timescales"))
    problems = run_checks(content_copy, TODAY)
    assert any("guidance/draft_plan.yml" in p.message and "sources.timescales" in p.message for p in problems)


def test_undated_sources_must_be_marked_verify(content_copy: Path) -> None:
    _edit(content_copy, "guidance/diagnosis_pathway.yml", lambda d: d["verify"].pop("summary"))
    problems = run_checks(content_copy, TODAY)
    assert any("diagnosis_pathway.yml" in p.message and "verify.summary.verify" in p.message for p in problems)


def test_a_real_service_needs_sources_and_verify(content_copy: Path) -> None:
    def strip(d: dict) -> None:
        service = _service(d, "set-camhs")
        service.pop("verify")
    _edit(content_copy, "services/county.yml", strip)
    problems = run_checks(content_copy, TODAY)
    assert any("service 'set-camhs'" in p.message and "'verify'" in p.message for p in problems)


def test_primary_law_counts_as_dated() -> None:
    article = {a.topic: a for a in read_content(CONTENT).articles}["assessment_timeline"]
    assert "timescales" not in article.verify  # Torbay (2023) and reg 5 on legislation.gov.uk
    assert any(s.is_primary for s in article.sources["timescales"])


# ------------------------------------------------------------------------------------------ readability


def test_hard_text_fails_readability() -> None:
    article = read_content(CONTENT).articles[0]
    article.summary = ("Notwithstanding the aforementioned statutory considerations, the local authority's "
                       "determination necessitates comprehensive multidisciplinary consultation procedures.") * 3
    article.steps = [article.summary]
    from bot.content.files import Content

    assert _checks(check_readability(Content(articles=[article]))) == {"readability"}


# --------------------------------------------------------------------------------------------- initials


def test_initials_table_is_data_and_covers_the_issue() -> None:
    initials = read_initials(CONTENT)
    assert {"SENDIASS", "IPSEA", "EPUT", "NELFT", "ESNEFT", "EP", "SALT", "OT", "EWMHS", "CAMHS", "SENCO",
            "EHCP"} <= set(initials)


@pytest.mark.parametrize("text, missing", [
    ("Ask IPSEA for advice.", ["IPSEA"]),
    ("Ask IPSEA (Independent Provider of Special Education Advice) for advice.", []),
    ("The SENCOs (special educational needs co-ordinators) at both schools.", []),
    ("Your EP will visit. An OT may too.", ["EP", "OT"]),
    ("An OT (occupational therapist) visits.", []),
    ("Talk to the SENCO.", ["SENCO"]),
    ("Ask the teacher who leads on special needs (SENCO) for a meeting.", []),  # plain words explain it too
])
def test_unexplained_initials(text: str, missing: list[str]) -> None:
    assert unexplained_initials(text, read_initials(CONTENT)) == missing


def test_an_unexplained_initialism_in_an_answer_bank_entry_fails(content_copy: Path) -> None:
    def edit(data: dict) -> None:
        data["answers"][0]["answer"] = "Ask your SENCO for a meeting. " + data["answers"][0]["answer"]
    _edit(content_copy, "answers/sen_support.yml", edit)
    problems = check_initials(read_content(content_copy), read_initials(content_copy))
    assert [p.where.split(":")[0] for p in problems] == ["answers/sen_support.yml"]


def test_an_unexplained_initialism_in_a_section_fails(content_copy: Path) -> None:
    _edit(content_copy, "guidance/sen_support.yml", lambda d: d["timescales"].append("Ask your SENCO for a date."))
    problems = check_initials(read_content(content_copy), read_initials(content_copy))
    assert [p.where for p in problems] == ["guidance/sen_support.yml: timescales"]


# -------------------------------------------------------------------------------------- pinned figures


@pytest.mark.parametrize("sentence", [
    "The final plan should come within 18 weeks of the request.",
    "You have at least 14 days to comment on the draft plan.",
    "You have 3 months from the decision letter to appeal.",
    "Or 2 months from the date of your mediation certificate, if that is later.",
    "The plan must name the new school by 1 February.",
    "For a move from school to post-16, the date is 30 March.",
    "The council has 8 weeks to tell you if it will do the assessment.",
])
def test_a_figure_that_contradicts_the_law_fails(sentence: str) -> None:
    problems = check_pinned(CONTENT, texts=[("test", sentence)])
    assert [p.where for p in problems] == ["test"], sentence


def test_the_right_figures_pass() -> None:
    right = ("The final plan should come within 20 weeks of the request. You have at least 15 days to comment. "
             "You have 2 months from the decision letter to appeal, or 1 month from the mediation certificate. "
             "The plan must name the new school by 15 February. For a move to post-16, it is 31 March.")
    assert check_pinned(CONTENT, texts=[("test", right)]) == []


def test_the_rules_file_must_agree_with_the_pinned_facts(content_copy: Path) -> None:
    def wrong(d: dict) -> None:
        d["rules"]["assessment_request"][2]["weeks"] = 18
        d["rules"]["draft_plan_received"][0].pop("counts_start_day")
    _edit(content_copy, "deadline_rules.yml", wrong)
    messages = [p.message for p in check_pinned(content_copy)]
    assert any("is 18 weeks; the law says 20 weeks" in m for m in messages)
    assert any("counts_start_day: true" in m for m in messages)


# ----------------------------------------------------------------------------------------------- phones


def test_an_invented_number_in_a_real_service_fails(content_copy: Path) -> None:
    _edit(content_copy, "services/county.yml", lambda d: _service(d, "set-camhs").update(phone="01245 123456"))
    problems = check_phones(content_copy)
    assert len(problems) == 1 and "01245 123456" in problems[0].message and "county.yml" in problems[0].where


def test_a_six_digit_local_number_is_caught_too(content_copy: Path) -> None:
    _edit(content_copy, "helpline.yml", lambda d: d["quadrant_phones"].update(mid="01245 215999"))
    assert ["01245 215999" in p.message for p in check_phones(content_copy)] == [True]


def test_an_invented_number_in_text_fails_too(content_copy: Path) -> None:
    _edit(content_copy, "guidance/independent_advice.yml",
          lambda d: d["who_can_help"].append("Call our wellbeing line on 0800 000 1234."))
    assert _checks(check_phones(content_copy)) == {"phones"}


def test_example_entries_may_use_drama_numbers(content_copy: Path) -> None:
    assert check_phones(content_copy) == []  # the example services use Ofcom's 01632 96xxxx numbers
    text = (content_copy / "services" / "county.yml").read_text(encoding="utf-8")
    assert "01632 960267" in text


def test_every_allowed_number_has_a_source() -> None:
    allowed = read_allowed_phones(CONTENT)
    assert allowed and all(item["source"].startswith(("http://", "https://")) for item in allowed.values())


@pytest.mark.skipif(not FACT_SHEET.exists(), reason="the shared fact sheet is not beside the repository")
def test_every_allowed_number_is_in_the_fact_sheet() -> None:
    sheet = re.sub(r"(?<=\d)[ -](?=\d)", "", FACT_SHEET.read_text(encoding="utf-8"))
    missing = [item["number"] for digits, item in read_allowed_phones(CONTENT).items()
               if not re.search(rf"(?<!\d){digits}(?!\d)", sheet)]
    assert missing == []


@pytest.mark.skipif(not FACT_SHEET.exists(), reason="the shared fact sheet is not beside the repository")
def test_every_source_url_is_in_the_fact_sheet() -> None:
    """No invented web address: each cited page is one the fact sheet records."""
    sheet = FACT_SHEET.read_text(encoding="utf-8")
    content = read_content(CONTENT)
    urls = {s.url for a in content.articles for sources in a.sources.values() for s in sources}
    urls |= {s.url for service in content.services for s in service.sources}
    assert sorted(url for url in urls if url not in sheet) == []
