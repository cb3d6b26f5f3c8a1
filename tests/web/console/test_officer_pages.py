"""The officers' pages through Flask's test client on a real database: access, filters, decisions with audit
rows, exports, guidance edits (and that the assistant reads them at once), coverage and the dashboard."""
from __future__ import annotations

import csv
import html
import io
import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import pytest
import yaml
from flask.testing import FlaskClient
from sqlalchemy import select

from bot.config import get_settings
from bot.db import models as m
from bot.db.queries.audit import list_audit
from bot.db.session import session_scope
from bot.guidance.articles import load_guidance
from bot.insight.review import record_unanswered

PAGES = ["/console/inbox", "/console/guidance", "/console/guidance/annual_review", "/console/coverage",
         "/console/dashboard", "/console/inbox/export.yml", "/console/inbox/export.csv", "/console/coverage.csv"]
RANKING = [{"name": "school_transport", "confidence": 0.42}, {"name": "find_service", "confidence": 0.21}]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


@pytest.fixture
def questions(loaded_db: str) -> list[int]:
    """A fresh inbox, stored the way the assistant stores it (bot.insight.review redacts and hashes)."""
    with session_scope(loaded_db) as db:
        db.execute(m.UnansweredQuestion.__table__.delete())
    for sender, message in [("a", "can my son get a bus pass to school? ring 07700 900123"),
                            ("b", "bus pass for my son to school"), ("c", "bus passes to school")]:
        assert record_unanswered(sender, message, "fallback", RANKING)
    assert record_unanswered("d", "when is the bin collection in Witham", "out_of_scope", [])
    with session_scope(loaded_db) as db:
        return list(db.execute(select(m.UnansweredQuestion.id).order_by(m.UnansweredQuestion.id)).scalars())


def audit_actions(url: str, action: str) -> list[m.AuditEvent]:
    with session_scope(url) as db:
        return list_audit(db, action=action)


# ---------------------------------------------------------------------------------------------- access

@pytest.mark.parametrize("path", PAGES)
def test_officer_and_admin_may_open_every_page(signed_in_client: Callable[..., FlaskClient], path: str) -> None:
    for role in ("officer", "admin"):
        response = signed_in_client(role).get(path)
        assert response.status_code == 200, (role, path, text(response)[:500])


@pytest.mark.parametrize("path", PAGES)
def test_helpline_gets_a_kind_403(signed_in_client: Callable[..., FlaskClient], path: str) -> None:
    response = signed_in_client("helpline").get(path)
    assert response.status_code == 403
    assert "You cannot open this page" in text(response)


@pytest.mark.parametrize("path", PAGES)
def test_signed_out_goes_to_sign_in(console_app, path: str) -> None:  # type: ignore[no-untyped-def]
    response = console_app.test_client().get(path)
    assert response.status_code == 302 and "/console/sign-in" in response.headers["Location"]


def test_officer_links_are_in_the_navigation(signed_in_client: Callable[..., FlaskClient]) -> None:
    page = text(signed_in_client("officer").get("/console/"))
    for label, href in [("Inbox", "/console/inbox"), ("Guidance", "/console/guidance"),
                        ("Coverage", "/console/coverage"), ("Dashboard", "/console/dashboard")]:
        assert f'href="{href}"' in page and label in page
    assert 'href="/console/inbox"' not in text(signed_in_client("helpline").get("/console/"))


def test_posts_without_csrf_are_refused_kindly(signed_in_client: Callable[..., FlaskClient], questions: list[int]) -> None:
    client = signed_in_client("officer")
    response = client.post("/console/inbox/action", data={"ids": str(questions[0]), "action": "dismiss"})
    assert response.status_code == 400 and "nothing was changed" in text(response)
    response = client.post("/console/guidance/annual_review", data={"summary": "x"})
    assert response.status_code == 400


# ----------------------------------------------------------------------------------------------- inbox

def test_inbox_groups_alike_questions_and_shows_redacted_text(signed_in_client, questions) -> None:  # type: ignore[no-untyped-def]
    page = text(signed_in_client("officer").get("/console/inbox"))
    assert "2 groups of 4 questions" in page
    assert "07700" not in page
    assert "Group 1: 3 questions" in page and "school_transport" in page
    assert f'name="ids" value="{questions[0]},{questions[1]},{questions[2]}"' in page


def test_inbox_filters(signed_in_client, questions) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    assert "1 group of 1 question" in text(client.get("/console/inbox?reason=out_of_scope&status="))
    assert "1 group of 3 questions" in text(client.get("/console/inbox?intent=school_transport"))
    assert "1 group of 1 question" in text(client.get("/console/inbox?intent=none"))
    today = date.today()
    future = today + timedelta(days=400)
    page = text(client.get(f"/console/inbox?date_from={future.day}&date_from={future.month}&date_from={future.year}"))
    assert "No questions match this filter" in page
    page = text(client.get(f"/console/inbox?date_from={today.day}&date_from={today.month}&date_from={today.year}"
                           f"&date_to={today.day}&date_to={today.month}&date_to={today.year}"))
    assert "2 groups of 4 questions" in page


def test_inbox_shows_the_questions_before_the_filter(signed_in_client, questions) -> None:  # type: ignore[no-untyped-def]
    """Issue #17 item 9: the inbox opened on a screen of filters; now the questions come first and the filter is one
    line (a closed GOV.UK details) with the filter in use said in words."""
    page = text(signed_in_client("officer").get("/console/inbox"))
    main = page.split('<main', 1)[1]
    assert main.index('id="groups-heading"') < main.index('id="inbox-filter"') < main.index("Group 1:")
    details = re.search(r'<details class="govuk-details" id="inbox-filter"([^>]*)>', main)
    assert details and "open" not in details.group(1)
    assert "Showing:" in main and "status “New”" in main and "any reason" in main and "any date" in main
    assert main.index('id="inbox-filter"') < main.index('id="reason"')  # the form is inside the details


def test_a_filter_with_a_mistake_opens_itself_and_pages_keep_the_dates(signed_in_client, questions) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    wrong = text(client.get("/console/inbox?date_from=31&date_from=2&date_from=2026"))
    assert re.search(r'<details class="govuk-details" id="inbox-filter" open>', wrong)
    today = date.today()
    dated = text(client.get(f"/console/inbox?date_from={today.day}&date_from={today.month}&date_from={today.year}"
                            "&reason=fallback&status="))
    assert "reason “Not understood”" in dated and f"from {today:%d %B %Y}" in dated and "any status" in dated


def test_the_next_page_keeps_every_part_of_the_dates(signed_in_client, loaded_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib

    monkeypatch.setattr(importlib.import_module("bot.web.console.officer_inbox"), "PER_PAGE", 1)
    with session_scope(loaded_db) as db:
        db.execute(m.UnansweredQuestion.__table__.delete())
    for sender, words in [("p", "school bus pass"), ("q", "when is the bin collection"), ("r", "zzz qqq")]:
        assert record_unanswered(sender, words, "fallback", [])
    today = date.today()
    page = text(signed_in_client("officer").get(
        f"/console/inbox?date_from={today.day}&date_from={today.month}&date_from={today.year}&status="))
    assert "page 1 of 3" in page
    next_link = html.unescape(re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"',
                                        page).group(1))
    assert f"date_from={today.day}&date_from={today.month}&date_from={today.year}" in next_link
    assert "page=2" in next_link


@pytest.mark.parametrize("query,message", [
    ("date_from=31&date_from=2&date_from=2026", "From must be a real date"),
    ("date_from=&date_from=3&date_from=2026", "From must include a day"),
    ("date_from=1&date_from=3&date_from=2026&date_to=1&date_to=2&date_to=2026", "must be the same as or after"),
])
def test_bad_filter_dates_get_an_error_summary(signed_in_client, questions, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = signed_in_client("officer").get("/console/inbox?" + query)
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page and "<title>Error: " in page


def test_assign_a_group_writes_status_and_audit_and_export(signed_in_client, csrf_token, questions, loaded_db) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    token = csrf_token(client, "/console/inbox")
    group = questions[:3]
    response = client.post("/console/inbox/action", data={
        "csrf_token": token, "ids": ",".join(map(str, group)), "action": "assign", "intent": "school_transport",
        "back": "/console/inbox?status=new"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/inbox?status=new")
    page = text(client.get("/console/inbox?status=new"))
    assert "3 questions assigned to school_transport" in page and "1 group of 1 question" in page
    with session_scope(loaded_db) as db:
        rows = db.execute(select(m.UnansweredQuestion).where(m.UnansweredQuestion.id.in_(group))).scalars().all()
        assert {(r.status, r.assigned_intent, r.handled_by) for r in rows} == {
            ("assigned", "school_transport", client.staff.username)}
    (event,) = [e for e in audit_actions(loaded_db, "inbox.assign") if e.actor == client.staff.username]
    assert event.detail["ids"] == group and event.detail["intent"] == "school_transport"

    export = client.get("/console/inbox/export.yml")
    assert export.headers["Content-Disposition"].startswith('attachment; filename="officer-examples-')
    data = yaml.safe_load(text(export))
    assert data["version"] == "3.1"
    (block,) = data["nlu"]
    assert block["intent"] == "school_transport"
    examples = [line[2:] for line in block["examples"].splitlines()]
    assert len(examples) == 3 and all("07700" not in e for e in examples)
    assert any("[phone]" in e for e in examples)

    sheet = client.get("/console/inbox/export.csv")
    assert sheet.headers["Content-Disposition"].startswith("attachment;") and sheet.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text(sheet))))
    assert rows[0] == ["text", "intent", "reason", "first_seen"] and len(rows) == 4
    assert {r[1] for r in rows[1:]} == {"school_transport"}
    assert [e.detail["format"] for e in audit_actions(loaded_db, "inbox.export")
            if e.actor == client.staff.username] == ["csv", "yaml"]


def test_the_topic_a_family_picked_from_did_you_mean_shows_as_a_suggestion(signed_in_client, questions) -> None:  # type: ignore[no-untyped-def]
    from bot.insight.review import record_family_choice

    assert record_family_choice("b", "bus pass for my son to school", "school_transport")
    page = text(signed_in_client("officer").get(f"/console/inbox/group?ids={questions[1]}"))
    assert "The family then chose: School and college transport for children with special needs" in page


def test_single_items_on_the_group_page(signed_in_client, csrf_token, questions, loaded_db) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    ids = ",".join(map(str, questions[:3]))
    page = text(client.get(f"/console/inbox/group?ids={ids}"))
    assert "3 questions in this group" in page and page.count('name="ids" type="checkbox"') == 3
    token = csrf_token(client, f"/console/inbox/group?ids={ids}")
    response = client.post("/console/inbox/action", data={
        "csrf_token": token, "ids": [str(questions[0])], "action": "needs_content", "intent": "",
        "back": f"/console/inbox/group?ids={ids}"})
    assert response.status_code == 302 and "/console/inbox/group?ids=" in response.headers["Location"]
    assert "1 question marked as needing new content" in text(client.get(response.headers["Location"]))
    with session_scope(loaded_db) as db:
        statuses = dict(db.execute(select(m.UnansweredQuestion.id, m.UnansweredQuestion.status)).all())
    assert statuses[questions[0]] == "needs_content" and statuses[questions[1]] == "new"
    client.post("/console/inbox/action", data={"csrf_token": token, "ids": [str(questions[1])], "action": "dismiss"})
    client.post("/console/inbox/action", data={"csrf_token": token, "ids": [str(questions[1])], "action": "reopen"})
    with session_scope(loaded_db) as db:
        assert db.get(m.UnansweredQuestion, questions[1]).status == "new"
    assert audit_actions(loaded_db, "inbox.reopen") and audit_actions(loaded_db, "inbox.dismiss")


@pytest.mark.parametrize("data,message", [
    ({"action": "assign", "intent": ""}, "Choose an intent to assign"),
    ({"action": "assign", "intent": "inform"}, "Choose an intent to assign"),  # contextual: not assignable
    ({"action": "assign", "intent": "<script>"}, "Choose an intent to assign"),
    ({"action": "explode"}, "Choose what to do"),
    ({"action": "dismiss", "ids": ""}, "Select at least one question"),
    ({"action": "dismiss", "ids": "abc,-4"}, "Select at least one question"),
    ({"action": "dismiss", "ids": "999999"}, "no longer in the inbox"),
])
def test_bad_decisions_get_a_kind_message_and_change_nothing(signed_in_client, csrf_token, questions, loaded_db,  # type: ignore[no-untyped-def]
                                                              data: dict, message: str) -> None:
    client = signed_in_client("officer")
    token = csrf_token(client, "/console/inbox")
    form = {"csrf_token": token, "ids": str(questions[0]), "back": "https://evil.example/", **data}
    response = client.post("/console/inbox/action", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/console/inbox")
    assert message in text(client.get("/console/inbox"))
    with session_scope(loaded_db) as db:
        assert db.get(m.UnansweredQuestion, questions[0]).status == "new"


def test_group_page_without_ids_is_kind(signed_in_client) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    response = client.get("/console/inbox/group?ids=nonsense")
    assert response.status_code == 302
    assert "Choose a group of questions" in text(client.get("/console/inbox"))
    assert client.get("/console/inbox/group?ids=987654").status_code == 404


# -------------------------------------------------------------------------------------------- guidance

def guidance_form(client: FlaskClient, csrf_token, topic: str = "annual_review", **changes) -> dict:  # type: ignore[no-untyped-def]
    """The edit form as the page fills it, with `changes` on top (dates as (day, month, year))."""
    token = csrf_token(client, f"/console/guidance/{topic}")
    article = load_guidance(topic)
    assert article is not None
    data = {"csrf_token": token, "summary": article.summary}
    for name in ("steps", "timescales", "who_can_help", "if_it_goes_wrong"):
        data[name] = "\n".join(article.sections.get(name, []))
    for name, day in (("last_checked", article.last_checked), ("review_due", article.review_due)):
        data[name] = [str(day.day), str(day.month), str(day.year)]
    data.update(changes)
    return data


def test_guidance_list_puts_overdue_first_with_text_tags(signed_in_client, loaded_db) -> None:  # type: ignore[no-untyped-def]
    with session_scope(loaded_db) as db:
        article = db.get(m.GuidanceArticle, "sen_support")
        article.last_checked, article.review_due = date(2020, 1, 1), date(2020, 6, 1)
    page = text(signed_in_client("officer").get("/console/guidance"))
    assert "govuk-tag--red\">Overdue" in page
    review_table = page[page.index("Articles: those needing checking first"):]
    first_row = re.search(r'<tbody class="govuk-table__body">.*?</tr>', review_table, re.S).group(0)
    assert "/console/guidance/sen_support" in first_row and "Overdue" in first_row


def test_guidance_page_lists_what_needs_checking_first(signed_in_client, loaded_db) -> None:  # type: ignore[no-untyped-def]
    """Sections and listings resting only on undated or pre-2022 pages come first, with their sources, so an
    officer knows which live pages to re-read (families are shown no "last checked" date for them)."""
    with session_scope(loaded_db) as db:
        article = db.get(m.GuidanceArticle, "diagnosis_pathway")
        assert "summary" in article.verify
        unchecked_service = db.get(m.Service, "send-operations-mid")
        assert unchecked_service.needs_verify and unchecked_service.verify_note
    page = text(signed_in_client("officer").get("/console/guidance"))
    needs, review = page.index("Needs checking on the live page, listed first"), page.index("Articles: those needing")
    assert needs < review
    first_table = page[needs:review]
    assert "/console/guidance/diagnosis_pathway" in first_table
    assert "my-care-bridge-referral-process" in first_table and "page date: none shown" in first_table
    assert "SEND Operations team, Mid Essex" in first_table and "(Service)" in first_table
    assert "govuk-tag--orange\">Needs checking" in first_table


def test_a_section_with_a_dated_source_is_not_listed_as_needing_checks(signed_in_client, loaded_db) -> None:  # type: ignore[no-untyped-def]
    with session_scope(loaded_db) as db:
        for article in db.execute(select(m.GuidanceArticle)).scalars():
            article.verify = {}
        for service in db.execute(select(m.Service)).scalars():
            service.needs_verify = False
    page = text(signed_in_client("officer").get("/console/guidance"))
    assert "Nothing needs checking on the live page." in page


def test_editing_guidance_applies_at_once_with_history_and_audit(signed_in_client, csrf_token, loaded_db) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    with session_scope(loaded_db) as db:  # a date that differs from the one stored, whatever day the test runs
        checked = db.get(m.GuidanceArticle, "annual_review").last_checked - timedelta(days=1)
    data = guidance_form(client, csrf_token, summary="An annual review checks the EHC plan every 12 months.",
                         steps="The school invites you.\n\n  You give your views.  \n",
                         last_checked=[str(checked.day), str(checked.month), str(checked.year)])
    response = client.post("/console/guidance/annual_review", data=data)
    assert response.status_code == 302
    page = text(client.get("/console/guidance/annual_review"))
    assert "Changes saved: summary, what happens, date last checked" in page
    assert "They apply now" in page and "no retraining" in page
    assert "History of changes" in page and client.staff.username in page
    # The assistant's own reader sees it straight away.
    os.environ["DATABASE_URL"] = loaded_db
    get_settings.cache_clear()
    guidance = load_guidance("annual_review")
    assert guidance.summary == "An annual review checks the EHC plan every 12 months."
    assert guidance.sections["steps"] == ["The school invites you.", "You give your views."]
    assert guidance.last_checked == checked
    with session_scope(loaded_db) as db:
        fields = [c.field for c in db.execute(select(m.GuidanceChange).where(
            m.GuidanceChange.topic == "annual_review", m.GuidanceChange.changed_by == client.staff.username)).scalars()]
    assert sorted(fields) == ["last_checked", "steps", "summary"]
    (event,) = [e for e in audit_actions(loaded_db, "guidance.edit") if e.actor == client.staff.username]
    assert event.target == "annual_review" and sorted(event.detail["fields"]) == sorted(fields)
    # Saving again unchanged records nothing more.
    client.post("/console/guidance/annual_review", data=guidance_form(client, csrf_token))
    assert "Nothing was changed" in text(client.get("/console/guidance/annual_review"))


@pytest.mark.parametrize("changes,messages", [
    ({"summary": "   "}, ["Enter a summary"]),
    ({"steps": "\n \n"}, ["Enter at least one step"]),
    ({"review_due": ["31", "2", "2027"]}, ["Review due must be a real date"]),
    ({"last_checked": ["", "", ""]}, ["Enter date last checked"]),
    ({"last_checked": ["1", "1", "2099"]}, ["must be today or in the past"]),
    ({"last_checked": ["1", "3", "2026"], "review_due": ["1", "2", "2026"]}, ["must be after the date it was last checked"]),
    ({"summary": "", "review_due": ["x", "y", "z"]}, ["Enter a summary", "Review due must be a real date"]),
    ({"summary": "word " * 300}, ["1000 characters or fewer"]),
])
def test_bad_guidance_edits_show_an_error_summary_and_write_nothing(signed_in_client, csrf_token, loaded_db,  # type: ignore[no-untyped-def]
                                                                     changes: dict, messages: list[str]) -> None:
    client = signed_in_client("officer")
    with session_scope(loaded_db) as db:
        before = db.get(m.GuidanceArticle, "draft_plan").summary
        count = len(db.execute(select(m.GuidanceChange)).scalars().all())
    response = client.post("/console/guidance/draft_plan", data=guidance_form(client, csrf_token, "draft_plan", **changes))
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page and "There is a problem" in page
    for message in messages:
        assert message in page
    with session_scope(loaded_db) as db:
        assert db.get(m.GuidanceArticle, "draft_plan").summary == before
        assert len(db.execute(select(m.GuidanceChange)).scalars().all()) == count


def test_unknown_article_is_a_404(signed_in_client) -> None:  # type: ignore[no-untyped-def]
    assert signed_in_client("officer").get("/console/guidance/no_such_topic").status_code == 404


# -------------------------------------------------------------------------------------------- coverage

def test_coverage_table_is_accessible_and_toggles_examples(signed_in_client) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    page = text(client.get("/console/coverage"))
    assert "<caption" in page and "real services only" in page
    assert page.count('<th scope="col"') == 13 and '<th scope="row"' in page
    assert 'govuk-tag--red">None</strong>' in page
    with_examples = text(client.get("/console/coverage?examples=y"))
    assert "including example services" in with_examples
    gaps = lambda html: int(re.search(r"(\d+) gaps? \(no service\)", html).group(1))  # noqa: E731
    assert gaps(with_examples) < gaps(page)
    sheet = client.get("/console/coverage.csv?examples=y")
    assert sheet.headers["Content-Disposition"].startswith('attachment; filename="coverage-with-examples-')
    rows = list(csv.reader(io.StringIO(text(sheet))))
    assert rows[0][0] == "category" and len(rows[0]) == 13


def test_coverage_cells_link_to_the_services_behind_them(signed_in_client) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    page = text(client.get("/console/coverage?examples=y"))
    links = re.findall(r'href="(/console/search\?q=[^"]+)"', page)
    assert links, "a cell with services links to them"
    target = html.unescape(links[0])
    listed = text(client.get(target))
    assert "No services matched" not in listed and "console-results" in listed


# ------------------------------------------------------------------------------------------- dashboard

def test_dashboard_without_a_tracker_says_so(signed_in_client, tmp_path: Path, console_app) -> None:  # type: ignore[no-untyped-def]
    settings = console_app.config["SETTINGS"]
    from dataclasses import replace

    console_app.config["SETTINGS"] = replace(settings, tracker_store_url=f"sqlite:///{tmp_path / 'none.db'}")
    try:
        page = text(signed_in_client("officer").get("/console/dashboard"))
    finally:
        console_app.config["SETTINGS"] = settings
    assert "Conversation figures show zero" in page
    # Conversations, questions, rates, the inbox by reason and handoffs; top topics has no chart when there are none.
    assert page.count('role="img"') == 5 and page.count("<title id=") == 5 and page.count("<desc id=") == 5
    assert "No questions in this range" in page
    assert "<script" not in page.split("<svg", 1)[1].rsplit("</svg>", 1)[0]
    assert " style=" not in page


def test_dashboard_with_tracker_events(signed_in_client, tmp_path: Path, console_app) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from tests.insight.test_dashboard import action, make_tracker, user

    now = datetime.now().timestamp()
    tracker = make_tracker(tmp_path / "tracker.db", [
        user("x", now - 60, "annual_review"), action("x", now - 59, "action_guidance"),
        user("y", now - 30, "nlu_fallback"), action("y", now - 29, "action_fallback"),
    ])
    settings = console_app.config["SETTINGS"]
    console_app.config["SETTINGS"] = replace(settings, tracker_store_url=tracker)
    try:
        page = text(signed_in_client("officer").get("/console/dashboard"))
    finally:
        console_app.config["SETTINGS"] = settings
    assert "2 conversations and 2 questions" in page
    assert page.count('role="img"') == 6
    assert "annual_review" in page and "50.0%" in page


def test_dashboard_counts_each_kind_of_inbox_question_under_its_own_name(signed_in_client, console_app) -> None:  # type: ignore[no-untyped-def]
    """Issue #17 item 9: not one 'Fallback' figure for fallbacks, out of scope, 'No' answers and handoffs."""
    url = console_app.config["SETTINGS"].database_url
    with session_scope(url) as db:
        db.execute(m.UnansweredQuestion.__table__.delete())
        db.add_all([m.UnansweredQuestion(created_at=datetime.utcnow(), sender_hash="h", text_redacted=words,
                                         reason=reason, ranking=[], status=status)
                    for words, reason, status in [("when do the bins get collected", "out_of_scope", "new"),
                                                  ("how do I renew a blue badge", "out_of_scope", "dismissed"),
                                                  ("can I speak to someone", "handoff", "new"),
                                                  ("that was no use at all", "not_helped", "new")]])
    client = signed_in_client("officer")
    raw = client.get("/console/dashboard").get_data(as_text=True)
    assert "Fallback" not in raw
    table = raw.split('id="inbox-kinds"', 1)[1].split("</table>", 1)[0]
    links = re.findall(r'href="([^"]+)">([^<]+)<span class="govuk-visually-hidden">', table)
    assert [label for _, label in links] == ["Not understood", "Out of scope", "Answer did not help",
                                              "No service found", "Asked for a person"]
    counts = [int(c) for c in re.findall(r'govuk-table__cell--numeric">(?:<strong>)?(\d+)', table)]
    assert counts == [0, 2, 1, 0, 1, 4]  # each reason, then the total
    listed = client.get(html.unescape(links[1][0])).get_data(as_text=True)
    assert "bins get collected" in listed and "blue badge" in listed  # out of scope, whatever their status
    assert "speak to someone" not in listed and "no use at all" not in listed


@pytest.mark.parametrize("query,message", [
    ("start=31&start=2&start=2026", "From must be a real date"),
    ("start=1&start=3&start=2026&end=1&end=2&end=2026", "The end date must be the same as or after the start date"),
    ("start=1&start=1&start=2020&end=1&end=3&end=2026", "366 days or fewer"),
])
def test_dashboard_bad_dates(signed_in_client, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = signed_in_client("officer").get("/console/dashboard?" + query)
    assert response.status_code == 200
    assert "There is a problem" in text(response) and message in text(response)


def test_a_chart_says_1_question_and_2_questions() -> None:
    from bot.web.console.officer_charts import bar_list_chart

    chart = bar_list_chart("c", "Inbox", [("Out of scope", 1), ("Not understood", 2)], " questions")
    assert chart.description == "Out of scope: 1 question; Not understood: 2 questions"
    assert [bar.value_text for bar in chart.bars] == ["1 question", "2 questions"]
    assert bar_list_chart("r", "Rates", [("Helpful rate", 1)], "%").description == "Helpful rate: 1%"
