"""The SQL ranking (bot.db.queries.services.rank_candidate_services) must order services exactly as the
ranking policy reads in plain Python, with no candidate cap, on every database the run has."""
from __future__ import annotations

import pytest

from bench.generate_directory import generate_services
from bench.search_bench import query_mix
from bot.db import models as m
from bot.db.queries.services import list_candidate_services, match_words
from bot.directory.search import ServiceQuery, search_services, search_widening
from bot.directory.vocabulary import get_vocabulary
from bot.oruk.importer import import_records


def _reference_score(service: m.Service, query: ServiceQuery, text_rank: dict[str, float]) -> float:
    """The policy as it was written in Python before it moved into SQL (bot/directory/search.py, 2026-11)."""
    codes = {(t.taxonomy_id, t.code) for t in service.taxonomy_terms}
    score = 4.0 * sum(("category", c) in codes for c in query.categories)
    score += 3.0 * sum(("need", n) in codes or ("category", n) in codes for n in query.needs)
    if query.district:
        extents = [a.extent for a in service.service_areas if a.district_code == query.district]
        score += max(({"district": 3.0, "quadrant": 2.0, "county": 1.0}[e] for e in extents), default=0.0)
    elif query.quadrant:
        score += 2.0 if any(a.extent != "county" for a in service.service_areas) else 1.0
    score += min(text_rank.get(service.id, 0.0), 5.0) / 2.5
    return score + (0.0 if service.is_example else 0.5)


@pytest.fixture(scope="module")
def grown(loaded_db: str) -> str:
    assert import_records(generate_services(600, seed=4), loaded_db).created == 600
    return loaded_db


MESSAGES = query_mix(60) + ["autism colchester calm", "speech therapy quiet space", "adhd siblings witham age 9",
                             "mid essex", "calm in south essex", "autistic age 9",
                             # two and three things asked for at once, scored from every combination's walk
                             "adhd", "autism and adhd support colchester",
                             "speech therapy for autism and adhd in south essex age 7",
                             "short breaks for a deaf autistic boy age 12", "holiday club for kids with adhd in witham"]


# common_above=0 treats every word as too common to rank (match_words), as a 100k directory does for "calm";
# 600 services have no such word. Searches for categories and needs are read from search_facet.
@pytest.mark.parametrize("common_above", [2000, 0])
@pytest.mark.parametrize("offset", [0, 6])
def test_sql_ranking_matches_the_python_policy(grown: str, offset: int, common_above: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.db.queries.services as services_queries
    from bot.db.session import session_scope

    monkeypatch.setattr(services_queries, "_COMMON_ABOVE", common_above)

    with session_scope(grown) as session:
        vocabulary = get_vocabulary(session)
        for message in MESSAGES:
            query = ServiceQuery.from_parsed(vocabulary.parse(message))
            result = search_services(session, query, limit=8, offset=offset)
            term_ids = [f"category:{c}" for c in query.categories] + [f"need:{n}" for n in query.needs]
            term_ids += [f"category:{n}" for n in query.needs if f"category:{n}" in vocabulary.term_names]
            text_rank = match_words(session, list(query.words)) if query.words else {}
            candidates = list_candidate_services(
                session, term_ids=term_ids, districts=[query.district] if query.district else [],
                quadrants=[query.quadrant] if query.quadrant and not query.district else [], age=query.age,
                service_ids=list(text_rank) if not term_ids and query.words else None, limit=1_000_000)
            expected = sorted(((_reference_score(s, query, text_rank), s.name, s.id) for s in candidates),
                              key=lambda row: (-row[0], row[1], row[2]))[offset:offset + 8]
            assert [(round(c.score, 3), c.id) for c in result.cards] == \
                [(round(score, 3), sid) for score, _, sid in expected], message
            assert result.total == len(candidates), message


def test_common_words_are_not_ranked_but_still_find_services(grown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word in more than _COMMON_ABOVE services is not ranked: its first matches come back unranked (0.0),
    and a rarer word beside it decides the order alone."""
    import bot.db.queries.services as services_queries
    from bot.db.session import session_scope

    with session_scope(grown) as session:
        ranked = match_words(session, ["hydrotherapy"])
        assert ranked and all(score > 0 for score in ranked.values())
        monkeypatch.setattr(services_queries, "_COMMON_ABOVE", 0)
        unranked = match_words(session, ["hydrotherapy"], limit=3)
        assert 0 < len(unranked) <= 3 and set(unranked.values()) == {0.0}
        assert set(unranked) <= set(ranked)


def test_the_chat_stops_counting_but_the_api_count_is_exact(grown: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.directory.search as directory
    from bot.db.session import session_scope

    with session_scope(grown) as session:
        query = ServiceQuery.from_parsed(get_vocabulary(session).parse("autistic"))
        exact = search_services(session, query, limit=3)
        assert exact.total_exact and exact.total > 20
        monkeypatch.setattr(directory, "_BOT_COUNT_CAP", 20)
        chat = search_widening(session, query, limit=3)
        assert (chat.total, chat.total_exact) == (20, False)
        assert [c.id for c in chat.cards] == [c.id for c in exact.cards]
        assert search_services(session, query, limit=3).total == exact.total  # the API's figure is untouched
        monkeypatch.setattr(directory, "_BOT_COUNT_CAP", exact.total)
        under = search_widening(session, query, limit=3)
        assert (under.total, under.total_exact) == (exact.total, True)
