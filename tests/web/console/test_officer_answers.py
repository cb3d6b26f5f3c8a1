"""The answer bank's console pages on a real loaded database: the list and coverage, editing (live at once, with
an audit row), bad input that writes nothing, creating an answer, and adding an inbox question as a wording."""
from __future__ import annotations

import html
from typing import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.answers.retrieval import find_answers
from bot.db import models as m
from bot.db.queries.audit import list_audit
from bot.db.session import session_scope
from bot.insight.review import record_unanswered

ANSWER_ID = "annual-review-how-often"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def stored(url: str, answer_id: str) -> m.Answer | None:
    with session_scope(url) as db:
        row = db.get(m.Answer, answer_id)
        if row is not None:
            db.expunge(row)
        return row


def answer_count(url: str) -> int:
    with session_scope(url) as db:
        return db.execute(select(func.count()).select_from(m.Answer)).scalar_one()


def audits(url: str, action: str) -> list[m.AuditEvent]:
    with session_scope(url) as db:
        return list_audit(db, action=action)


def form_for(row: m.Answer, **changes: str) -> dict[str, str]:
    data = {"topic": row.topic, "question": row.question, "variants": "\n".join(row.variants), "answer": row.answer}
    data.update(changes)
    return data


def test_list_shows_topics_flags_and_thin_topics(signed_in_client: Callable[..., FlaskClient]) -> None:
    page = text(signed_in_client("officer").get("/console/answers"))
    assert "The annual review of an EHC plan" in page
    assert "Needs checking" in page and "Topics with few answers" in page
    one = text(signed_in_client("officer").get("/console/answers?topic=annual_review"))
    assert "How often must my child's EHC plan be reviewed?" in one
    assert signed_in_client("officer").get("/console/answers?topic=nope").status_code == 404
    assert signed_in_client("helpline").get("/console/answers").status_code == 403


def test_edit_is_live_at_once_with_an_audit_row(signed_in_client, csrf_token, loaded_db: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    path = f"/console/answers/{ANSWER_ID}/edit"
    before = stored(loaded_db, ANSWER_ID)
    new_answer = "Every 12 months at least, and every 3 to 6 months for children under 5. Ask for an early one."
    data = form_for(before, answer=new_answer,
                    variants="\n".join(before.variants + ["how many times a year is the plan looked at"]))
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302, text(response)[:2000]
    after = stored(loaded_db, ANSWER_ID)
    assert after.answer == new_answer and after.source == "console" and after.vector_rows == len(after.variants) + 2
    assert audits(loaded_db, "answer.edit")[0].target == ANSWER_ID
    with session_scope(loaded_db) as db:  # no reload, no cache clearing: the next question finds the new text
        hits = find_answers(db, "how many times a year is the plan looked at")
    assert hits[0].id == ANSWER_ID and hits[0].answer == new_answer


def _refused(client: FlaskClient, csrf_token, loaded_db: str, path: str, data: dict[str, str], message: str,  # type: ignore[no-untyped-def]
             answer_id: str = ANSWER_ID) -> None:
    before = stored(loaded_db, answer_id)
    count, audit_count = answer_count(loaded_db), len(audits(loaded_db, "answer.edit") + audits(loaded_db, "answer.create"))
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page and message in page, page[:3000]
    assert "<title>Error:" in page
    after = stored(loaded_db, answer_id)
    if before is None:
        assert after is None
    else:
        assert (after.answer, after.question, after.variants, after.updated_at) == (
            before.answer, before.question, before.variants, before.updated_at)
    assert answer_count(loaded_db) == count
    assert len(audits(loaded_db, "answer.edit") + audits(loaded_db, "answer.create")) == audit_count


def test_bad_edits_are_refused_and_write_nothing(signed_in_client, csrf_token, loaded_db: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    path = "/console/answers/annual-review-notice-and-reports/edit"
    row = stored(loaded_db, "annual-review-notice-and-reports")
    cases = [
        (form_for(row, question="", answer=""), "Enter the question"),
        (form_for(row, answer="word " * 2000), "1,000 characters or fewer"),
        (form_for(row, answer="x" * 10_000), "1,000 characters or fewer"),
        (form_for(row, answer="short " * 81), "80 words or fewer"),
        (form_for(row, answer="Ring us <script>alert(1)</script> today."), "without HTML tags"),
        (form_for(row, answer="Yes. The school sends the reports 2 weeks before."), "Do not start the answer with Yes or No"),
        (form_for(row, variants="only one"), "between 3 and 8"),
        (form_for(row, variants="\n".join(f"wording {i}" for i in range(9))), "between 3 and 8"),
        (form_for(row, topic="not-a-topic"), "Choose a topic"),
    ]
    for data, message in cases:
        _refused(client, csrf_token, loaded_db, path, data, message, "annual-review-notice-and-reports")


def test_new_answer_needs_a_fresh_id(signed_in_client, csrf_token, loaded_db: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in_client("officer")
    path = "/console/answers/new"
    data = {"answer_id": ANSWER_ID, "topic": "annual_review", "question": "Can grandparents come to the review?",
            "variants": "can nan come to the review\ncan i bring someone with me\nwho else can attend the meeting",
            "answer": "You can bring someone to support you, such as a relative or a friend."}
    _refused(client, csrf_token, loaded_db, path, data, "already used by another answer")
    _refused(client, csrf_token, loaded_db, path, {**data, "answer_id": "Bad Id!"}, "lower-case letters",
             answer_id="Bad Id!")
    response = client.post(path, data={**data, "answer_id": "annual-review-who-can-come",
                                       "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302, text(response)[:2000]
    created = stored(loaded_db, "annual-review-who-can-come")
    assert created.source == "console" and created.vector_rows == 5
    assert audits(loaded_db, "answer.create")[0].target == "annual-review-who-can-come"


def test_inbox_question_becomes_a_wording_live_at_once(signed_in_client, csrf_token, loaded_db: str) -> None:  # type: ignore[no-untyped-def]
    question = "does the school holiday stop the clock on the ehcp twenty weeks"
    assert record_unanswered("holiday-parent", question, "fallback", [])
    with session_scope(loaded_db) as db:
        qid = db.execute(select(func.max(m.UnansweredQuestion.id))).scalar_one()
    client = signed_in_client("officer")
    group = text(client.get(f"/console/inbox/group?ids={qid}"))
    assert f"/console/answers/add-question?question_id={qid}" in group
    path = f"/console/answers/add-question?question_id={qid}"
    page = text(client.get(path))
    assert question in page and "assessment-timeline-holidays" in page
    assert f"/console/answers/new?question_id={qid}" in page
    prefilled = text(client.get(f"/console/answers/new?question_id={qid}"))
    assert f'value="{question}"' in prefilled
    response = client.post("/console/answers/add-question", data={
        "question_id": str(qid), "answer_id": "assessment-timeline-holidays", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    row = stored(loaded_db, "assessment-timeline-holidays")
    assert row.variants[-1] == question and row.vector_rows == len(row.variants) + 2
    assert audits(loaded_db, "answer.add_variant")[0].target == "assessment-timeline-holidays"
    with session_scope(loaded_db) as db:
        assert find_answers(db, question)[0].id == "assessment-timeline-holidays"
    again = client.post("/console/answers/add-question", data={
        "question_id": str(qid), "answer_id": "assessment-timeline-holidays", "csrf_token": csrf_token(client, path)})
    assert again.status_code == 302
    assert "already has that wording" in text(client.get(path))
    assert stored(loaded_db, "assessment-timeline-holidays").variants == row.variants
