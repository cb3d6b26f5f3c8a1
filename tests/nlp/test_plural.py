"""Regular English plurals, so the directory reads "holiday clubs" as it reads "holiday club"."""
from __future__ import annotations

import pytest

from bot.nlp.plural import plural


@pytest.mark.parametrize(("phrase", "expected"), [
    ("autism club", "autism clubs"), ("activity", "activities"), ("class", "classes"), ("play", "plays"),
    ("sports", "sports"), ("coffee morning", "coffee mornings"), ("box", "boxes"),
])
def test_the_last_word_is_made_plural_by_the_regular_rules(phrase: str, expected: str) -> None:
    assert plural(phrase) == expected
