"""The answer model in the database: the loader stores one fitted on every answer, retrieval uses it, an edit is
scored without it until the refit (which then knows the new wording), a failed refit keeps the old model and
logs, and background refits asked for while one runs share one more run."""
from __future__ import annotations

import logging
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.answers import answer_model
from bot.answers.answer_model import load_answer_model, refit_answer_model, refit_later, refit_logged
from bot.answers.editing import save_answer
from bot.answers.retrieval import answer_index, find_answers
from bot.db import models as m
from bot.db.queries.answers import get_answer_model
from bot.db.session import session_scope

EDITED = "benefits-dla-means-tested"


def fitted_at(url: str) -> datetime | None:
    with session_scope(url) as db:
        row = get_answer_model(db)
        return row.fitted_at if row else None


def column_of(url: str, answer_id: str) -> int:
    with session_scope(url) as db:
        index = answer_index(db)
    assert index.model is not None and index.model_columns is not None
    return int(index.model_columns[index.ids.index(answer_id)])


def test_the_loader_stores_a_model_of_every_answer_and_retrieval_uses_it(loaded_db: str) -> None:
    with session_scope(loaded_db) as db:
        row = get_answer_model(db)
        ids = set(db.execute(select(m.Answer.id)).scalars())
        assert row is not None and set(row.labels) == ids and row.answers == len(ids)
        assert row.vector_model == "all-MiniLM-L6-v2" and len(row.weights) == len(ids) * 384 * 4
        model = load_answer_model(db)
        index = answer_index(db)
    assert model is not None and model.classifier.weights.shape == (len(ids), 384)
    assert index.model is not None and index.model_columns is not None and (index.model_columns >= 0).all()
    with session_scope(loaded_db) as db:
        hits = find_answers(db, "how often does the ehcp have to be reviewed")
    assert hits[0].id == "annual-review-how-often"


def test_an_edit_is_scored_without_the_model_until_the_refit_knows_it(loaded_db: str) -> None:
    with session_scope(loaded_db) as db:
        row = db.get(m.Answer, EDITED)
        question, variants, answer = row.question, list(row.variants), row.answer
    assert column_of(loaded_db, EDITED) >= 0
    wording = "is there money to help with the cost of caring for a disabled child"
    with session_scope(loaded_db) as db:
        save_answer(db, answer_id=EDITED, topic="benefits", question=question, variants=[*variants, wording],
                    answer=answer, actor="officer-test", now=datetime.utcnow(), creating=False)
    assert column_of(loaded_db, EDITED) == -1  # changed since the fit: the neutral term, live at once
    with session_scope(loaded_db) as db:
        assert find_answers(db, wording)[0].id == EDITED
    before = fitted_at(loaded_db)
    model = refit_answer_model(loaded_db)
    assert model is not None and fitted_at(loaded_db) > before
    assert column_of(loaded_db, EDITED) >= 0  # the index noticed the new model without being told
    with session_scope(loaded_db) as db:
        assert find_answers(db, wording)[0].id == EDITED


@pytest.mark.parametrize("broken", ["save_answer_model", "list_answer_index_rows"])
def test_a_database_failure_during_a_refit_keeps_the_old_model_and_logs(
        loaded_db: str, broken: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    before = fitted_at(loaded_db)
    assert before is not None

    def fail(*args: object, **kwargs: object) -> None:
        raise OperationalError("UPDATE answer_model ...", {}, Exception("database is locked"))

    monkeypatch.setattr(answer_model, broken, fail)
    with caplog.at_level(logging.ERROR, logger="bot.answers.answer_model"):
        assert refit_logged(loaded_db) is None
    assert "the refit failed" in caplog.text and "database is locked" in caplog.text
    assert fitted_at(loaded_db) == before
    with session_scope(loaded_db) as db:
        assert db.execute(select(func.count()).select_from(m.AnswerModel)).scalar_one() == 1
        assert load_answer_model(db) is not None


def test_refits_asked_for_while_one_runs_make_one_more_run(monkeypatch: pytest.MonkeyPatch) -> None:
    release, runs = threading.Event(), []

    def slow_refit(url: str | None) -> None:
        runs.append(url)
        release.wait(5)

    monkeypatch.setattr(answer_model, "refit_logged", slow_refit)
    first = refit_later("sqlite:///nowhere.db")
    assert first is not None
    assert refit_later("sqlite:///nowhere.db") is None and refit_later("sqlite:///nowhere.db") is None
    release.set()
    first.join(5)
    assert not first.is_alive() and runs == ["sqlite:///nowhere.db"] * 2
