"""Reading and checking the answer files: the real ones load, and each kind of mistake is named with its file,
entry and field, and stops the whole load (nothing written)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.answers.rules import check_answer_fields, split_variants
from bot.content.checks import check_answers
from bot.content.files import ContentError, read_content
from bot.content.loader import load_content
from bot.db import models as m
from bot.db.session import session_scope
from tests.conftest import CONTENT


def test_real_answers_are_valid() -> None:
    content = read_content(CONTENT)
    answers = [a for t in content.answer_topics for a in t.answers]
    assert len(content.answer_topics) == 40 and len(answers) >= 330
    assert len({a.id for a in answers}) == len(answers)
    assert all(3 <= len(a.variants) <= 8 and len(a.answer.split()) <= 80 for a in answers)
    assert check_answers(content) == []


def _edit(folder: Path, name: str, mutate) -> None:  # type: ignore[no-untyped-def]
    path = folder / "answers" / name
    data = yaml.safe_load(path.read_text())
    mutate(data["answers"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize("mutate, expected", [
    (lambda a: a[1].update(id=a[0]["id"]), "answer 'annual-review-how-often': field 'id': is already used"),
    (lambda a: a[0].update(variants=["one", "two"]), "field 'variants': Enter between 3 and 8"),
    (lambda a: a[0].update(answer="word " * 81), "field 'answer': The answer must be 80 words or fewer"),
    (lambda a: a[0].update(answer="See <b>this</b>."), "field 'answer': The answer must be plain text"),
    (lambda a: a[0].pop("question"), "field 'question': is missing"),
    (lambda a: a[0].update(facts=[{"text": "x", "kind": "rumour"}]), "field 'facts[1].kind'"),
    (lambda a: a[0]["related"].update(services=["no-such-service"]), "'no-such-service' is not a service id"),
    (lambda a: a[0]["related"].update(sections=["annual_review.nowhere"]), "is not a guidance section"),
    (lambda a: a[0].update(colour="blue"), "field 'colour': is not a field of an answer"),
])
def test_each_mistake_is_named(content_copy: Path, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    _edit(content_copy, "annual_review.yml", mutate)
    with pytest.raises(ContentError) as caught:
        read_content(content_copy)
    assert any(p.startswith("answers/annual_review.yml: answer '") and expected in p for p in caught.value.problems), \
        caught.value.problems


def test_a_bad_answer_file_loads_nothing(content_copy: Path, database_url: str) -> None:
    load_content(CONTENT, database_url)
    with session_scope(database_url) as db:
        before = db.execute(select(func.count()).select_from(m.Answer)).scalar_one()
    _edit(content_copy, "benefits.yml", lambda a: a[0].update(variants=[]))
    _edit(content_copy, "annual_review.yml", lambda a: a.pop())  # would delete an answer if anything were written
    with pytest.raises(ContentError):
        load_content(content_copy, database_url)
    with session_scope(database_url) as db:
        assert db.execute(select(func.count()).select_from(m.Answer)).scalar_one() == before
        assert before >= 330
        stored = db.get(m.Answer, "annual-review-how-often")
        assert stored.vector_rows == len(stored.variants) + 2 and stored.vector_model == "all-MiniLM-L6-v2"


def test_a_removed_answer_goes_and_a_console_answer_stays(content_copy: Path, database_url: str) -> None:
    load_content(CONTENT, database_url)
    with session_scope(database_url) as db:
        db.get(m.Answer, "annual-review-early-review").source = "console"
    _edit(content_copy, "annual_review.yml",
          lambda a: a[:] if False else a.__setitem__(slice(None), [x for x in a if x["id"] not in (
              "annual-review-how-often", "annual-review-early-review")]))
    load_content(content_copy, database_url)
    with session_scope(database_url) as db:
        assert db.get(m.Answer, "annual-review-how-often") is None
        assert db.get(m.Answer, "annual-review-early-review") is not None
    load_content(CONTENT, database_url)


def test_field_rules_and_variant_lines() -> None:
    assert split_variants(" one \n\nOne\ntwo  words \n") == ["one", "two words"]
    assert check_answer_fields("Q?", ["a", "b", "c"], "A short answer.") == {}
    problems = check_answer_fields("", ["a"], "x" * 1001, answer_id="Has Spaces")
    assert set(problems) == {"question", "variants", "answer", "answer_id"}


@pytest.mark.parametrize("answer, refused", [
    ("Yes. Your child does not need a diagnosis.", True),
    ("No, not if you object.", True),
    ("yes: the council must reply.", True),
    ("Your child does not need a diagnosis.", False),
    ("No diagnosis is needed for Family Fund.", False),
    ("Not always. It depends on the plan.", True),
    ("Nobody has to agree to a part-time timetable.", False),
    ("Not yet. There is no register.", True),
    ("You may. Carer's Allowance is for carers.", True),
    ("It can take up to 20 weeks.", False),
    ("Not every child with SEN needs a plan.", False),
    # a phrase with no clause of its own (found chatting: "Only if the school is wrong..." shown to "the council
    # named a school we didn't want")
    ("At least 15 days. They begin with the day the draft is served.", True),
    ("Before 18. The council must assess when it would help.", True),
    ("From the day the council gets your request. All the limits run from it.", True),
    ("At least once a year, or sooner if your child's needs change.", True),
    ("Only on help that is agreed in the plan. It is not an allowance.", True),
    ("It depends on the order. The council must start within 2 weeks.", True),
    ("You have at least 15 days to comment on the draft plan.", False),
    ("After the last Friday in June of Year 11, your child makes their own decisions.", False),
    ("From April 2026 you can earn up to £204 a week.", False),
    ("Within 6 weeks, Essex County Council must write to confirm the transfer.", False),
    ("Only the head teacher can exclude your child.", False),
    # only an amount of time (found through the safeguarding reply: "Six weeks." shown to "where do I report a worry
    # about a child and how long does an assessment take")
    ("Six weeks. Anyone asked for advice must reply within 6 weeks.", True),
    ("15 school days. The governors must meet.", True),
    ("Up to 20 weeks. That is the legal limit.", True),
    ("Six weeks is the time anyone asked for advice has to reply.", False),
    ("20 weeks from the request is the legal limit.", False),
])
def test_an_answer_may_not_open_with_a_bare_yes_or_no(answer: str, refused: bool) -> None:
    """Answers are found by meaning, so one reaches questions asked both ways round ("can we ask without a
    diagnosis?", "do we need a diagnosis?"): a bare Yes or No is wrong for one of them."""
    problems = check_answer_fields("Q?", ["a", "b", "c"], answer)
    assert ("answer" in problems) is refused
    if refused:
        assert "Yes or No" in problems["answer"]
