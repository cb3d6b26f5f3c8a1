"""Saving an answer in the console refits the answer model in the background: the officer's request does not
wait for it, and once it lands the model knows the answer as saved; a refused edit refits nothing."""
from __future__ import annotations

import threading
from typing import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.answers import answer_model
from bot.answers.retrieval import answer_index, find_answers
from bot.db import models as m
from bot.db.queries.answers import get_answer_model
from bot.db.session import session_scope
from bot.insight.review import record_unanswered
from bot.web.console import officer_answers

ANSWER_ID = "annual-review-how-often"


@pytest.fixture
def refits(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread | None]:
    """The console's calls to `refit_later`, passed on to the real one (a background thread)."""
    started: list[threading.Thread | None] = []

    def recording(url: str) -> threading.Thread | None:
        started.append(answer_model.refit_later(url))
        return started[-1]

    monkeypatch.setattr(officer_answers, "refit_later", recording)
    return started


def model_column(url: str, answer_id: str) -> int:
    with session_scope(url) as db:
        index = answer_index(db)
    assert index.model is not None and index.model_columns is not None
    return int(index.model_columns[index.ids.index(answer_id)])


def test_an_edit_refits_the_model_in_the_background(signed_in_client: Callable[..., FlaskClient], csrf_token,  # type: ignore[no-untyped-def]
                                                    loaded_db: str, refits) -> None:
    with session_scope(loaded_db) as db:
        row = db.get(m.Answer, ANSWER_ID)
        data = {"topic": row.topic, "question": row.question, "answer": row.answer,
                "variants": "\n".join([*row.variants, "how many times a year do they look at the plan"])}
        fitted_before = get_answer_model(db).fitted_at
    client = signed_in_client("officer")
    path = f"/console/answers/{ANSWER_ID}/edit"
    response = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert len(refits) == 1 and refits[0] is not None
    with session_scope(loaded_db) as db:  # live at once, whether or not the refit has finished
        assert find_answers(db, "how many times a year do they look at the plan")[0].id == ANSWER_ID
    refits[0].join(60)
    with session_scope(loaded_db) as db:
        stored = get_answer_model(db)
        saved = db.get(m.Answer, ANSWER_ID)
        assert stored.fitted_at > fitted_before
        assert stored.label_versions[stored.labels.index(ANSWER_ID)] == saved.updated_at.isoformat()
    assert model_column(loaded_db, ANSWER_ID) >= 0


def test_a_new_answer_and_an_inbox_wording_refit_and_a_refused_edit_does_not(  # type: ignore[no-untyped-def]
        signed_in_client: Callable[..., FlaskClient], csrf_token, loaded_db: str, refits) -> None:
    client = signed_in_client("officer")
    path = "/console/answers/new"
    data = {"answer_id": "annual-review-bring-a-friend", "topic": "annual_review",
            "question": "Can I bring a friend to the annual review?",
            "variants": "can my mum come to the review\ncan someone come with me to the meeting\nsupport at review",
            "answer": "You can bring someone to support you, such as a relative, a friend or an advocate."}
    refused = client.post(path, data={**data, "answer": "", "csrf_token": csrf_token(client, path)})
    assert refused.status_code == 200 and refits == []
    created = client.post(path, data={**data, "csrf_token": csrf_token(client, path)})
    assert created.status_code == 302 and len(refits) == 1
    question = "will the review go ahead if the school forgets to send the reports"
    assert record_unanswered("review-parent", question, "fallback", [])
    with session_scope(loaded_db) as db:
        qid = db.execute(select(func.max(m.UnansweredQuestion.id))).scalar_one()
    add_path = f"/console/answers/add-question?question_id={qid}"
    added = client.post("/console/answers/add-question", data={
        "question_id": str(qid), "answer_id": "annual-review-notice-and-reports",
        "csrf_token": csrf_token(client, add_path)})
    assert added.status_code == 302 and len(refits) == 2
    answer_model.wait_for_refits(60)
    assert model_column(loaded_db, "annual-review-bring-a-friend") >= 0
    assert model_column(loaded_db, "annual-review-notice-and-reports") >= 0
