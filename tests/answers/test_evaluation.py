"""The evaluation harness: matching rules (curly quotes, dashes, case), both runs, the report, and the command."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.answers.evaluation import PROBE_TOPICS, UNMAPPED_TOPICS, Probe, format_report, read_probes, run_probes
from bot.answers.scoring import build_index
from bot.cli.main import main
from tests.answers.test_retrieval import row, unit

PROBES = Path(__file__).with_name("probes.yml")


def test_probe_matching_normalises() -> None:
    probe = Probe("p", "t", "q", ("child’s plan", "6–8 weeks"), ("Council",))
    assert probe.passes("Your CHILD'S PLAN, said the council")
    assert probe.passes("about 6-8 weeks from the council")
    assert not probe.passes("your child's plan")  # expect_all missing


@pytest.mark.parametrize("name, count", [("probes.yml", 237), ("probes_v2.yml", 130), ("probes_v3.yml", 150),
                                         ("probes_v4.yml", 150), ("probes_v5.yml", 150),
                                         ("probes_v6.yml", 150), ("probes_v7.yml", 150), ("probes_v8.yml", 150),
                                         ("probes_v9.yml", 150)])
def test_probe_sets_read_and_their_topics_map(name: str, count: int) -> None:
    """The perfect-intent run needs every probe topic mapped to a bank topic, or it silently gets no prior."""
    from bot.content.files import read_content
    from tests.conftest import CONTENT

    probes = read_probes(Path(__file__).with_name(name))
    assert len(probes) == count and len({p.id for p in probes}) == count
    topics = {t.topic for t in read_content(CONTENT).answer_topics}
    assert {PROBE_TOPICS.get(p.topic, p.topic) for p in probes} - UNMAPPED_TOPICS <= topics


def test_the_first_set_carries_follow_up_probes() -> None:
    assert any(p.context for p in read_probes(PROBES))


def test_run_probes_scores_both_runs() -> None:
    index = build_index([row("transport", "school_transport", 0, "bus taxi transport"),
                         row("budget", "personal_budget", 10, "personal budget")])
    probes = [Probe("p1", "school_transport", "taxi?", ("answer transport",), ()),
              Probe("p2", "personal_budget", "money?", ("answer budget",), ())]

    def encode(texts: list[str]) -> np.ndarray:
        return np.stack([unit(0) if t == "taxi?" else unit(10) if t == "money?" else unit(50) for t in texts])

    evaluation = run_probes(index, probes, encode, off_topic=("hedgehogs",))
    assert [run.rate for run in evaluation.runs] == [1.0, 1.0]
    report = format_report(evaluation)
    assert "2/2 = 1.000" in report and "Failures, retrieval alone (no intent) (0;" in report
    assert evaluation.model_answers == 0 and "No answer model: the learned term is off." in report


def test_reviewed_plain_words_are_counted_apart_from_the_strict_phrases() -> None:
    probe = Probe("p", "t", "q", ("does not present",), (), accept_plain=("does not speak for you at the hearing",))
    reply = "SENDIASS supports you, but it does not speak for you at the hearing."
    assert not probe.passes(reply) and probe.passes_plain(reply)
    assert not probe.passes_plain("SENDIASS supports you at the hearing.")
    index = build_index([row("a", "independent_advice", 0, "sendiass tribunal")])
    evaluation = run_probes(index, [probe], lambda texts: np.stack([unit(0) for _ in texts]), off_topic=("x",))
    assert evaluation.runs[0].passed == [False]  # "answer a" carries neither; both lists are kept per run
    assert len(evaluation.runs[0].passed_plain) == 1
    assert "with the reviewed plain-English equivalents" in format_report(evaluation)


def test_eval_answers_command(loaded_db: str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    small = tmp_path / "probes.yml"
    small.write_text("probes:\n"
                     "  - {id: x1, topic: annual_review, question: 'how often must an ehc plan be reviewed',"
                     " expect_any: ['12 months'], expect_all: []}\n")
    assert main(["--database-url", loaded_db, "eval-answers", str(small)]) == 0
    out = capsys.readouterr().out
    assert "retrieval alone (no intent): first reply carries the fact 1/1 = 1.000" in out
    # the chat's own index, with the model `bot load` stored: the figure includes the learned term
    from sqlalchemy import func, select

    from bot.db import models as m
    from bot.db.session import session_scope

    with session_scope(loaded_db) as db:
        answers = db.execute(select(func.count()).select_from(m.Answer)).scalar_one()
    assert f"Answer model: scores {answers} answers" in out and "No answer model" not in out


def test_a_top_answer_the_chat_would_not_say_does_not_count() -> None:
    """Below NOTHING the chat says the topic's summary, not the bank's top answer: the probe fails even when the
    top answer happens to carry the fact (the harness counted it until 2026-12-06)."""
    index = build_index([row("transport", "school_transport", 0, "bus taxi transport")])
    probe = Probe("p1", "school_transport", "something unrelated", ("answer transport",), ())
    evaluation = run_probes(index, [probe], lambda texts: np.stack([unit(50) for _ in texts]), off_topic=("x",))
    run = evaluation.runs[0]
    assert run.top[0] is not None and probe.passes(run.top[0].answer)  # the fact is in the top answer...
    assert run.kinds["none"] == 1 and run.passed == [False]  # ...but the chat would not say it
