"""The spaCy pipeline built from the content: places and kinds of help found as entities, in the plural too."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlp.build import build_pipeline, collect_phrases
from bot.nlp.plural import plural
from tests.conftest import CONTENT


@pytest.mark.parametrize(("phrase", "expected"), [
    ("autism club", "autism clubs"), ("activity", "activities"), ("class", "classes"), ("play", "plays"),
    ("sports", "sports"), ("coffee morning", "coffee mornings"), ("box", "boxes"),
])
def test_the_last_word_is_made_plural_by_the_regular_rules(phrase: str, expected: str) -> None:
    assert plural(phrase) == expected


def test_kinds_of_help_are_collected_in_the_plural_and_needs_are_not() -> None:
    phrases = {(phrase, label) for phrase, label, _ in collect_phrases(CONTENT)}
    assert ("holiday clubs", "service_category") in phrases
    assert ("support groups", "service_category") in phrases
    assert ("autisms", "need") not in phrases


def test_a_plural_kind_of_help_and_a_town_are_both_entities(tmp_path: Path) -> None:
    """"Autism clubs in Basildon" found no kind of help, so the search was preceded by an answer on autism
    assessments; "autism club in Basildon" found both."""
    import spacy

    nlp = spacy.load(build_pipeline(CONTENT, tmp_path / "spacy"))
    entities = {(e.text.lower(), e.label_) for e in nlp("any autism clubs in Basildon").ents}
    assert entities == {("autism clubs", "service_category"), ("basildon", "district")}
