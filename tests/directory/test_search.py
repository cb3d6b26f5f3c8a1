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


# Issue #17 item 6: an age band ("Under 5") is searched as the range it names, not as one age inside it.

_BAND_AGES = {"babies": (0, 2), "to_4": (None, 4), "4_to_8": (4, 8), "5_to_11": (5, 11), "from_5": (5, None)}


def _services_with_ages(session, category: str) -> dict[str, str]:
    """Five services of one category anywhere in Essex, given the ages of _BAND_AGES (rolled back by the test)."""
    from bot.db import models as m
    from bot.db.queries.facets import refresh_search_facets

    found = search_services(session, ServiceQuery(categories=(category,)), limit=5).cards
    assert len(found) == 5
    ids = dict(zip(_BAND_AGES, (card.id for card in found)))
    for label, service_id in ids.items():
        service = session.get(m.Service, service_id)
        service.minimum_age, service.maximum_age = _BAND_AGES[label]
    session.flush()
    refresh_search_facets(session, list(ids.values()))
    return ids


def test_an_age_band_finds_every_service_whose_ages_overlap_it(session) -> None:
    category = "parent_support"
    try:
        ids = _services_with_ages(session, category)
        expected = {(0, 4): {"babies", "to_4", "4_to_8"}, (5, 11): {"4_to_8", "5_to_11", "from_5"},
                    (9, 9): {"5_to_11", "from_5"}}
        for (youngest, oldest), wanted in expected.items():
            shapes = {  # each SQL shape the search has: facet walk, plain filter, words alone, words and the rest
                "facets": ServiceQuery(categories=(category,), age=youngest, age_to=oldest),
                "filter": ServiceQuery(age=youngest, age_to=oldest),
                "text": ServiceQuery(words=("parent",), age=youngest, age_to=oldest),
                "words": ServiceQuery(categories=(category,), age=youngest, age_to=oldest, words=("parent",)),
            }
            for shape, query in shapes.items():
                for exact in (True, False):
                    result = search_services(session, query, limit=500, exact_total=exact)
                    shown = {label for label, sid in ids.items() if sid in {c.id for c in result.cards}}
                    if shape == "text":  # only the services the word finds
                        assert shown <= wanted, (shape, youngest, oldest, exact)
                    else:
                        assert shown == wanted, (shape, youngest, oldest, exact)
                    assert result.total >= len(result.cards)
                    for card in result.cards:  # the edges are in the band: 4 is under 5, 5 is not
                        assert card.minimum_age is None or card.minimum_age <= oldest
                        assert card.maximum_age is None or card.maximum_age >= youngest
    finally:
        session.rollback()


def test_the_under_5_button_searches_ages_0_to_4_and_is_said_back_as_chosen(loaded_db: str) -> None:
    from bot.directory.for_chat import AGE_BANDS, find_services_for_family

    assert AGE_BANDS["under 5"] == (0, 4)
    band = find_services_for_family(topic="any", area="any", age="under 5", limit=500)
    assert (band.result.query.age, band.result.query.age_to) == (0, 4)
    assert band.described == ", age under 5"
    cards = band.result.cards
    assert cards and all((c.minimum_age or 0) <= 4 and (c.maximum_age is None or c.maximum_age >= 0) for c in cards)
    # The old search used age 3 alone: a service from age 4 (reception) was missing from "under 5".
    age_3 = {c.id for c in find_services_for_family(topic="any", area="any", age="3", limit=500).result.cards}
    assert age_3 < {c.id for c in cards}
    assert any(c.minimum_age == 4 for c in cards)
