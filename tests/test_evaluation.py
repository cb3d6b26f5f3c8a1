"""Scoring for `python -m bot eval`: the arithmetic and the file formats officers use."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import Example, format_report, normalise, read_examples, score, split_seen, training_texts


def test_precision_recall_f1_and_confusions() -> None:
    examples = [Example("a", "x"), Example("b", "x"), Example("c", "y"), Example("d", "y")]
    report = score(examples, ["x", "y", "y", "y"])
    assert report.accuracy == 0.75
    assert report.per_intent["x"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert report.per_intent["y"]["precision"] == pytest.approx(2 / 3)
    assert report.confusions == [("x", "y", 1)]
    assert "| x | 1.00 | 0.50 | 0.67 | 2 |" in format_report(report, "t")


def test_fallbacks_count_as_misses() -> None:
    report = score([Example("a", "x")], ["nlu_fallback"])
    assert report.accuracy == 0 and report.fallbacks == 1


def test_reads_tsv_yaml_and_labelled_lines(tmp_path: Path) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text("how long does it take?\tassessment_timeline\n\n# comment\nbins\tout_of_scope\n")
    assert read_examples(tsv) == [Example("how long does it take?", "assessment_timeline"), Example("bins", "out_of_scope")]
    yml = tmp_path / "q.yml"
    yml.write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n    - hello there\n')
    assert [e.text for e in read_examples(yml)] == ["hi", "hello there"]
    txt = tmp_path / "risk.txt"
    txt.write_text("one\ntwo\n")
    assert {e.label for e in read_examples(txt, "safeguarding_urgent")} == {"safeguarding_urgent"}


def test_a_line_without_a_tab_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("no label here\n")
    with pytest.raises(ValueError, match="line 1"):
        read_examples(bad)


def test_messages_copied_from_training_are_set_apart(tmp_path: Path) -> None:
    training = tmp_path / "nlu"
    training.mkdir()
    (training / "greet.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - Hi there!\n    - [Colchester](district) please\n',
        encoding="utf-8",
    )
    examples = [Example("hi there", "greet"), Example("colchester please", "inform"), Example("hello you", "greet")]
    unseen, copies = split_seen(examples, training_texts(training))
    assert [e.text for e in unseen] == ["hello you"]
    assert [e.text for e in copies] == ["hi there", "colchester please"]
    assert normalise("  What's   an EHCP?? ") == "whats an ehcp"
