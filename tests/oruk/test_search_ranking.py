"""The SQL ranking (bot.db.queries.services.rank_candidate_services) must order services exactly as the
ranking policy reads in plain Python, with no candidate cap, on every database the run has."""
from __future__ import annotations

import pytest

from bench.generate_directory import generate_services
from bench.search_bench import query_mix
from bot.db import models as m
from bot.db.queries.services import list_candidate_services, rank_full_text
from bot.directory import ServiceQuery, search_services
from bot.oruk.importer import import_records
from bot.vocabulary import get_vocabulary


def _reference_score(service: m.Service, query: ServiceQuery, text_rank: dict[str, float]) -> float:
    """The policy as it was written in Python before it moved into SQL (bot/directory.py, 2026-11)."""
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
                             "mid essex", "calm in south essex", "autistic age 9"]


# walk_above=0 sends every one-term query down the "walk services in result order" plan that a 100k
# directory takes for common terms (bot.db.queries.services._WALK_ABOVE); 600 services never reach it.
@pytest.mark.parametrize("walk_above", [2000, 0])
@pytest.mark.parametrize("offset", [0, 6])
def test_sql_ranking_matches_the_python_policy(grown: str, offset: int, walk_above: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.db.queries.services as services_queries
    from bot.db.session import session_scope

    monkeypatch.setattr(services_queries, "_WALK_ABOVE", walk_above)

    with session_scope(grown) as session:
        vocabulary = get_vocabulary(session)
        for message in MESSAGES:
            query = ServiceQuery.from_parsed(vocabulary.parse(message))
            result = search_services(session, query, limit=8, offset=offset)
            term_ids = [f"category:{c}" for c in query.categories] + [f"need:{n}" for n in query.needs]
            term_ids += [f"category:{n}" for n in query.needs if f"category:{n}" in vocabulary.term_names]
            text_rank = rank_full_text(session, list(query.words)) if query.words else {}
            candidates = list_candidate_services(
                session, term_ids=term_ids, districts=[query.district] if query.district else [],
                quadrants=[query.quadrant] if query.quadrant and not query.district else [], age=query.age,
                service_ids=list(text_rank) if not term_ids and query.words else None, limit=1_000_000)
            expected = sorted(((_reference_score(s, query, text_rank), s.name, s.id) for s in candidates),
                              key=lambda row: (-row[0], row[1], row[2]))[offset:offset + 8]
            assert [(round(c.score, 3), c.id) for c in result.cards] == \
                [(round(score, 3), sid) for score, _, sid in expected], message
            assert result.total == len(candidates), message
