"""Families' words to codes: towns to districts, synonyms to categories and needs, ages in their many forms."""
from __future__ import annotations

import pytest

from bot.directory.vocabulary import age_from_text, get_vocabulary


@pytest.mark.parametrize(
    ("text", "age"),
    [("7", 7), ("he's 7", 7), ("my 3 year old", 3), ("aged 12", 12), ("age 7", 7), ("she is 15", 15),
     ("year 6", 11), ("yr 9", 14), ("starting reception", 4), ("16yo", 16), ("speech therapy colchester", None)],
)
def test_age_from_text(text: str, age: int | None) -> None:
    assert age_from_text(text) == age


@pytest.mark.parametrize(
    ("place", "district"),
    [("Clacton", "tendring"), ("clacton-on-sea", "tendring"), ("Witham", "braintree"), ("Loughton", "epping_forest"),
     ("Billericay", "basildon"), ("Saffron Walden", "uttlesford"), ("Canvey Island", "castle_point"),
     ("Rayleigh", "rochford"), ("Heybridge", "maldon"), ("Chelmsford", "chelmsford"), ("Harlow", "harlow")],
)
def test_towns_map_to_their_district(session, place: str, district: str) -> None:
    assert get_vocabulary(session).resolve_area(f"we live in {place}")[0] == district


def test_parse_free_text(session) -> None:
    parsed = get_vocabulary(session).parse("SALT for my autistic son in Witham, he is 7")
    assert parsed.categories == ["speech_and_language_therapy"]
    assert "autism" in parsed.needs
    assert parsed.district == "braintree"
    assert parsed.age == 7


def test_outside_areas_are_recognised(session) -> None:
    assert get_vocabulary(session).parse("we're in Southend").outside_area == "southend"
    assert get_vocabulary(session).parse("Grays").outside_area == "thurrock"


@pytest.mark.parametrize(("text", "category"), [
    ("holiday clubs in Colchester", "short_breaks"), ("any support groups near Harlow", "parent_support"),
    ("autism groups for teenagers", "autism"), ("coffee mornings for parents", "parent_support"),
])
def test_kinds_of_help_asked_for_in_the_plural_are_understood(session, text: str, category: str) -> None:
    """The content names a kind of help in the singular ("holiday club"); families ask for "holiday clubs"."""
    assert category in get_vocabulary(session).parse(text).categories
