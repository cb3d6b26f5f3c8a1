"""The training-data export: Rasa-shaped NLU YAML that parses back exactly, and a CSV safe to open in a spreadsheet."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import yaml

from bot.config import ROOT
from bot.insight.training_export import (
    Example,
    clean_example,
    csv_cell,
    plan_nlu_export,
    read_known_examples,
    to_csv,
    to_nlu_yaml,
)

D = datetime(2026, 3, 1, 10, 30)


def parsed_examples(text: str) -> dict[str, list[str]]:
    """Read the YAML the way Rasa's reader does: each `- ` line of the literal block is one example."""
    data = yaml.safe_load(text)
    assert data["version"] == "3.1"
    assert isinstance(data["nlu"], list)
    result: dict[str, list[str]] = {}
    for block in data["nlu"]:
        assert set(block) == {"intent", "examples"}
        assert isinstance(block["examples"], str) and block["examples"].endswith("\n")
        lines = block["examples"].splitlines()
        assert all(line.startswith("- ") for line in lines)
        result[block["intent"]] = [line[2:] for line in lines]
    return result


def test_yaml_has_rasa_shape_one_block_per_intent_sorted() -> None:
    examples = [
        Example("bus pass for my son", "school_transport", "fallback", D),
        Example("what's an EHCP", "what_is_ehcp", "fallback", D),
        Example("taxi to school", "school_transport", "no_match", D),
    ]
    text = to_nlu_yaml(examples, generated=D)
    assert parsed_examples(text) == {
        "school_transport": ["bus pass for my son", "taxi to school"],
        "what_is_ehcp": ["what's an EHCP"],
    }
    assert "  examples: |\n    - bus pass for my son\n" in text
    assert text.startswith("# Exported from the staff console on 2026-03-01 10:30: 3 new examples for 2 intents.")


def test_duplicates_differing_in_case_or_spaces_are_one_example() -> None:
    examples = [Example("Bus  pass", "school_transport"), Example("bus pass ", "school_transport"),
                Example("BUS PASS", "school_transport")]
    assert parsed_examples(to_nlu_yaml(examples)) == {"school_transport": ["Bus pass"]}


@pytest.mark.parametrize("nasty", [
    'he said "no": yes', "key: value", "- starts with a dash", "# not a comment", "{braces} and [brackets]",
    "ends with a colon:", "'single' & *star & !bang & %percent & @at & `tick` | pipe > more",
    "emoji 🙂 and accents é", "null", "true", "123", "~",
])
def test_awkward_text_survives_the_round_trip_exactly(nasty: str) -> None:
    assert parsed_examples(to_nlu_yaml([Example(nasty, "out_of_scope")])) == {"out_of_scope": [nasty]}


def test_line_breaks_and_control_characters_cannot_break_the_file() -> None:
    text = to_nlu_yaml([Example("first line\nsecond\r\nthird\u2028fourth\x00\x1b[31m\tend\ufeff", "greet")])
    assert parsed_examples(text) == {"greet": ["first line second third fourth [31m end"]}


def test_rasa_entity_markup_is_broken_apart() -> None:
    assert clean_example("call [name](person) on [phone]{\"entity\": \"x\"}") == \
        'call [name] (person) on [phone] {"entity": "x"}'
    assert clean_example("[name][x]") == "[name] [x]"
    assert clean_example("my son [name] needs help") == "my son [name] needs help"


def test_known_examples_and_conflicts_are_left_out_and_listed() -> None:
    known = {"speech therapy in basildon": "find_service"}
    examples = [
        Example("Speech therapy in Basildon", "find_service", first_seen=D),
        Example("help with forms", "request_human", first_seen=D),
        Example("Help with forms", "personal_budget", first_seen=D),
        Example("speech therapy in basildon", "out_of_scope", first_seen=D),
        Example("new wording", "find_service", first_seen=D),
    ]
    plan = plan_nlu_export(examples, known)
    assert plan.by_intent == {"find_service": ["new wording"]}
    assert plan.already_known == 0
    assert plan.conflicts == ["Speech therapy in Basildon", "help with forms"]
    text = to_nlu_yaml(examples, known)
    assert "decide these first" in text and "#   help with forms" in text
    assert parsed_examples(text) == {"find_service": ["new wording"]}
    plan = plan_nlu_export([Example("speech therapy in Basildon", "find_service")], known)
    assert plan.already_known == 1 and plan.by_intent == {}


def test_nothing_to_export_is_still_valid_yaml() -> None:
    data = yaml.safe_load(to_nlu_yaml([]))
    assert data == {"version": "3.1", "nlu": []}


def test_bad_intent_names_are_refused() -> None:
    with pytest.raises(ValueError):
        to_nlu_yaml([Example("hi", "greet\n- intent: evil")])
    with pytest.raises(ValueError):
        to_nlu_yaml([Example("hi", "")])


def test_known_examples_are_read_from_the_real_training_data() -> None:
    known = read_known_examples(ROOT / "data" / "nlu")
    assert known["autism support group near me"] == "find_service"
    assert len(known) > 500
    # Entity mark-up is read as the family typed it.
    assert any("[" not in key for key in known)
    assert not any("](" in key for key in known)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_header_and_every_example() -> None:
    text = to_csv([Example("taxi, to school", "school_transport", "fallback", D),
                   Example("taxi, to school", "school_transport", "no_match", D)])
    assert rows(text) == [
        ["text", "intent", "reason", "first_seen"],
        ["taxi, to school", "school_transport", "fallback", "2026-03-01 10:30"],
        ["taxi, to school", "school_transport", "no_match", "2026-03-01 10:30"],
    ]


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"])
def test_csv_cells_that_could_be_formulas_are_quoted_as_text(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell
    text = to_csv([Example(cell, "greet", cell)])
    body = rows(text)[1]
    assert body[0] == csv_cell(clean_example(cell)) and body[2] == "'" + cell
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in body)


def test_ordinary_cells_are_untouched() -> None:
    assert csv_cell("bus pass") == "bus pass"
    assert csv_cell(None) == ""
