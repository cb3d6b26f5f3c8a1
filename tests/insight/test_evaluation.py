"""Scoring for `python -m bot eval`: the arithmetic and the file formats officers use."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.insight.evaluation import Example, format_report, normalise, read_examples, score, split_seen, training_texts


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


def _parsed(intent: str, ranking: list[str], safety_net: str | None = None) -> dict:
    return {"intent": intent, "safety_net": safety_net,
            "ranking": [{"name": n, "confidence": 0.5} for n in ranking]}


def test_real_text_measures_top3_fallback_and_the_two_kinds_of_false_emergency() -> None:
    from bot.insight.evaluation import measure, measure_groups

    examples = [Example("short question?", "annual_review"), Example("x" * 151, "draft_plan"),
                Example("help now", "safeguarding_urgent"), Example("my son won't get on the bus", "school_transport"),
                Example("he hits out", "sen_support")]
    parsed = [
        _parsed("annual_review", ["annual_review", "draft_plan"]),
        _parsed("nlu_fallback", ["nlu_fallback", "annual_review", "find_service", "draft_plan"]),  # 3rd once fallback is dropped
        _parsed("safeguarding_urgent", ["safeguarding_urgent"], "classifier"),
        _parsed("safeguarding_urgent", ["safeguarding_urgent", "school_transport"], "violence"),  # a pattern fired
        _parsed("safeguarding_urgent", ["safeguarding_urgent", "sen_support"], "classifier"),  # the model's lean
    ]
    m = measure(examples, parsed)
    assert (m.total, m.top1, m.fallback_rate) == (5, 0.4, 0.2)
    assert m.top3 == 1.0  # draft_plan is third once nlu_fallback is dropped; the false emergencies rank the label second
    assert m.safeguarding_recall == 1.0
    assert (m.ordinary, m.false_emergency_pattern, m.false_emergency_any) == (4, 1, 2)
    assert m.false_emergency_rate == 0.25
    groups = measure_groups(examples, parsed)
    assert groups["<=150 chars"].total == 4 and groups[">150 chars"].total == 1
    assert groups["intent:safeguarding_urgent"].safeguarding_recall == 1.0
    assert groups["intent:annual_review"].safeguarding_recall is None


def test_measures_table_has_a_row_per_group() -> None:
    from bot.insight.evaluation import format_measures, measure_groups

    table = format_measures(measure_groups([Example("a", "x")], [_parsed("x", ["x"])]))
    assert "| all | 1 | 1.000 | 1.000 | 0.000 |" in table and "| intent:x |" in table


def test_reads_a_headed_tsv_by_column_name(tmp_path: Path) -> None:
    tsv = tmp_path / "real.tsv"
    tsv.write_text("question\tlabel\tsource\nwhat is an EHCP?\twhat_is_ehcp\thttps://example.org/a\n")
    assert read_examples(tsv) == [Example("what is an EHCP?", "what_is_ehcp")]
