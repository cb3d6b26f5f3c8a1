"""The pure parts of `bench/answers_chat.py`: a probe passes on any text of the reply, and failures are grouped by
how the reply began (the route it took). No servers here."""
from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from answers_chat import opening, report  # noqa: E402

from bot.answers.evaluation import Probe  # noqa: E402


def _probe(pid: str, phrase: str) -> Probe:
    return Probe(pid, "benefits", "how do i claim dla", (phrase,), ())


def test_any_text_of_the_first_reply_can_carry_the_fact(capsys) -> None:
    probes = [_probe("a", "gov.uk"), _probe("b", "gov.uk"), _probe("c", "gov.uk")]
    replies = [["I'm sorry, that sounds hard.", "Claim on GOV.UK."],
               ["Which town or area of Essex do you live in?"],
               ["Which town or area of Essex do you live in?\nMore words"]]
    assert report(Path("probes_x.yml"), probes, replies, show_failures=False) == (1, 1, 3)
    out = capsys.readouterr().out
    assert "1/3 = 0.333 strict" in out
    assert "2 failures began: Which town or area of Essex do you live in?" in out


def test_a_reply_with_no_text_is_named_as_such() -> None:
    assert opening([]) == "(no reply)" and opening(["", "  "]) == "(no reply)"
    assert opening(["x" * 100]) == "x" * 60


def test_a_follow_up_file_reads_as_probes_and_their_first_messages(tmp_path) -> None:
    from answers_chat import read_followups
    path = tmp_path / "followups.yml"
    path.write_text("conversations:\n  - {id: f1, topic: t, first: 'we asked 3 weeks ago', follow_up: 'how long',"
                    " expect_any: ['6 weeks'], fact: x}\n")
    probes, firsts = read_followups(path)
    assert [p.question for p in probes] == ["how long"] and firsts == ["we asked 3 weeks ago"]
    assert probes[0].passes("within 6 weeks") and not probes[0].passes("20 weeks")


def test_the_blind_follow_up_set_reads_whole() -> None:
    from answers_chat import read_followups
    probes, firsts = read_followups(BENCH.parent / "tests" / "answers" / "followups_v1.yml")
    assert len(probes) == len(firsts) == 80 and len({p.id for p in probes}) == 80
    assert all(2 <= len(p.question.split()) <= 10 and p.expect_any for p in probes)
