"""Directory search, on the real content, on every database the run has."""
from __future__ import annotations

from bot.directory.search import ServiceQuery, search_services, search_text, search_widening


def test_speech_therapy_colchester_age_7(session) -> None:
    result = search_text(session, "speech therapy colchester age 7")
    assert result.found
    top = result.cards[0]
    assert "Speech and language therapy" in top.categories
    assert "Colchester" in top.area or "North East" in top.area or top.area == "All of Essex"
    for card in result.cards:
        assert "Speech and language therapy" in card.categories


def test_district_services_rank_above_county_wide(session) -> None:
    result = search_services(session, ServiceQuery(categories=("speech_and_language_therapy",), district="colchester"))
    areas = [c.area for c in result.cards]
    if "All of Essex" in areas:
        first_county = areas.index("All of Essex")
        assert all(a != "All of Essex" for a in areas[:first_county])
        assert first_county > 0


def test_age_filter_keeps_only_services_for_that_age(session) -> None:
    for age in (3, 7, 17, 22):
        result = search_services(session, ServiceQuery(district="chelmsford", age=age), limit=200)
        assert result.found
        for card in result.cards:
            assert card.minimum_age is None or card.minimum_age <= age
            assert card.maximum_age is None or card.maximum_age >= age


def test_synonyms_find_the_same_services(session) -> None:
    salt = {c.id for c in search_text(session, "SALT in Basildon", limit=50).cards}
    longhand = {c.id for c in search_text(session, "speech and language therapy Basildon", limit=50).cards}
    assert salt and salt == longhand


def test_free_text_without_known_terms_uses_full_text(session) -> None:
    result = search_text(session, "hydrotherapy")
    assert result.found


def test_nothing_nearby_widens_to_quadrant_then_county(session) -> None:
    # Find a category with no district-level service in some district, then check widening says so.
    for category in ("physiotherapy", "equipment", "hearing_and_vision", "financial_support"):
        for district in ("uttlesford", "maldon", "brentwood", "castle_point", "rochford", "harlow"):
            query = ServiceQuery(categories=(category,), district=district)
            if not search_services(session, query).found:
                widened = search_widening(session, query)
                assert widened.widened_to in {"quadrant", "county"}
                return
    # Every category reaches every district (county-wide services); widening is then never needed.
    assert search_widening(session, ServiceQuery(categories=("physiotherapy",), district="uttlesford")).widened_to is None


def test_inactive_services_are_never_shown(session) -> None:
    from bot.db import models as m

    service = session.get(m.Service, search_text(session, "speech therapy colchester").cards[0].id)
    service.status = "inactive"
    session.flush()
    assert service.id not in {c.id for c in search_text(session, "speech therapy colchester", limit=100).cards}
    session.rollback()
