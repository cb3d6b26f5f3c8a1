"""Find services: structured filters in SQL, full text through each database's own engine."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from sqlalchemy import and_, case, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m

_WORD = re.compile(r"[a-z0-9]+")
# Above this many matches a term is common enough (>= ~2% of a county directory) that walking services in
# result order finds a page within a few hundred rows.
_WALK_ABOVE = 2000
# A word found in more services than this is not ranked (see match_words).
_COMMON_ABOVE = 2000



# What a result card shows, loaded in a few queries up front rather than one per service.
_CARD_LOADS = (
    selectinload(m.Service.organization),
    selectinload(m.Service.phones),
    selectinload(m.Service.cost_options),
    selectinload(m.Service.service_areas),
    selectinload(m.Service.taxonomy_terms),
    selectinload(m.Service.schedules),
)

def get_service(session: Session, service_id: str) -> m.Service | None:
    return session.get(m.Service, service_id)


def count_services(session: Session) -> int:
    return session.execute(select(func.count()).select_from(m.Service)).scalar_one()


def list_candidate_services(
    session: Session,
    *,
    term_ids: Iterable[str] = (),
    districts: Iterable[str] = (),
    quadrants: Iterable[str] = (),
    age: int | None = None,
    service_ids: Iterable[str] | None = None,
    limit: int = 500,
) -> list[m.Service]:
    """Active services passing every filter given, with what a result card shows loaded up front."""
    query = select(m.Service).where(m.Service.status == "active")
    term_ids, districts, quadrants = list(term_ids), list(districts), list(quadrants)
    if term_ids:
        tagged = select(m.ServiceTaxonomy.service_id).where(m.ServiceTaxonomy.taxonomy_term_id.in_(term_ids))
        query = query.where(m.Service.id.in_(tagged))
    if districts or quadrants:
        area = select(m.ServiceArea.service_id).where(
            or_(m.ServiceArea.district_code.in_(districts), m.ServiceArea.quadrant.in_(quadrants))
        )
        query = query.where(m.Service.id.in_(area))
    if age is not None:
        query = query.where(or_(m.Service.minimum_age.is_(None), m.Service.minimum_age <= age))
        query = query.where(or_(m.Service.maximum_age.is_(None), m.Service.maximum_age >= age))
    if service_ids is not None:
        query = query.where(m.Service.id.in_(list(service_ids)))
    query = query.options(*_CARD_LOADS).order_by(m.Service.name).limit(limit)
    return list(session.execute(query).scalars())


def prefer_quick_plans(session: Session) -> None:
    """On PostgreSQL, no parallel workers or JIT for the rest of this transaction.

    Why: a search is a handful of index probes taking a few ms. With the defaults the planner launched
    parallel workers for joins over ~1k rows, and starting and waiting for them cost 50-100 ms on a busy
    2-core machine (EXPLAIN ANALYZE in bench/search.md); JIT compiling costs more than such queries run.
    SET LOCAL ends with the transaction, so other work keeps the server's settings.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(text("SET LOCAL jit = off"))


def rank_candidate_services(
    session: Session,
    *,
    category_terms: Sequence[str],
    need_terms: Sequence[Sequence[str]],
    district: str | None,
    quadrants: Sequence[str],
    age: int | None,
    service_ids: Iterable[str] | None,
    weights: Mapping[str, float],
    limit: int,
    only_ids: Iterable[str] | None = None,
    count_cap: int | None = None,
) -> tuple[list[tuple[str, float, str]], int]:
    """(id, score, name) of the best `limit` active services passing the filters, and how many pass.

    With `count_cap`, counting stops a little past the cap where it would otherwise read every match, and a
    total above the cap means only "more than that" (the bot needs to know whether there are more than it
    showed; the API asks for the exact figure).

    Why in SQL: scoring thousands of candidates in Python meant loading them all (and the old 500-candidate
    cap, taken in name order, could drop the best local match at county scale). `weights` holds the ranking
    policy from bot.directory: category, need, example_bonus, district/quadrant/county extent, near/far.

    Why two shapes: when the family asked for one thing and no place, every candidate gets the same term
    score, so the order is just (is_example, name, id). The planners can then walk ix_service_rank_order and
    stop after one page instead of scoring every match (a need alone matches ~12% of a county directory), and
    the total is one count. Otherwise each part of the score is an indexed lookup per candidate.
    """
    service, tagged, area = m.Service.__table__, m.ServiceTaxonomy.__table__, m.ServiceArea.__table__
    filters = [service.c.status == "active"]
    groups = [[term] for term in category_terms] + [list(alternatives) for alternatives in need_terms]
    any_terms = [t for group in groups for t in group]
    group_weights = [weights["category"]] * len(category_terms) + [weights["need"]] * len(need_terms)
    # IN (subquery), not EXISTS: the planners then start from the term and area indexes, not from every service.
    if any_terms:
        filters.append(service.c.id.in_(select(tagged.c.service_id).where(tagged.c.taxonomy_term_id.in_(any_terms))))
    if quadrants and not district:
        if any_terms or service_ids is not None or only_ids is not None:
            # A quadrant covers ~45% of services: probe it per candidate (ix_service_area_service_quadrant), as
            # a LIMIT 1 subquery, which PostgreSQL cannot turn into a hash of every service in the quadrant.
            filters.append(_first(select(literal(1)).where(area.c.service_id == service.c.id,
                                                          area.c.quadrant.in_(list(quadrants)))).isnot(None))
        else:
            filters.append(service.c.id.in_(select(area.c.service_id).where(area.c.quadrant.in_(list(quadrants)))))
    if age is not None:
        filters.append(or_(service.c.minimum_age.is_(None), service.c.minimum_age <= age))
        filters.append(or_(service.c.maximum_age.is_(None), service.c.maximum_age >= age))
    if service_ids is not None:
        filters.append(service.c.id.in_(list(service_ids)))
    if only_ids is not None:
        filters.append(service.c.id.in_(list(only_ids)))
    source = service
    if district:  # one row per service at most (unique service_id, district_code): filter and extent in one join
        source = service.join(area, and_(area.c.service_id == service.c.id, area.c.district_code == district))

    example = case((service.c.is_example.is_(False), literal(weights["example_bonus"])), else_=literal(0.0))
    if len(groups) <= 1 and not district and not quadrants:
        constant = group_weights[0] if groups else 0.0
        matching = select(literal(1)).select_from(source).where(*filters)
        if count_cap is not None:  # still far enough to choose the plan below
            matching = matching.limit(max(count_cap, _WALK_ABOVE) + 1)
        total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
        if any_terms and total > _WALK_ABOVE:
            # Many matches: walk the services in result order and check the term per row (EXISTS), stopping
            # after `limit`; with few, starting from the term index and sorting them is cheaper.
            filters[1] = exists().where(tagged.c.service_id == service.c.id,
                                        tagged.c.taxonomy_term_id.in_(any_terms))
        rows = session.execute(
            select(service.c.id, service.c.name, service.c.is_example).select_from(source).where(*filters)
            .order_by(service.c.is_example, service.c.name, service.c.id).limit(limit)
        ).all()
        bonus = weights["example_bonus"]
        return [(row.id, constant + (0.0 if row.is_example else bonus), row.name) for row in rows], total

    def has(term_ids: Sequence[str]):  # type: ignore[no-untyped-def]
        return exists().where(tagged.c.service_id == service.c.id, tagged.c.taxonomy_term_id.in_(list(term_ids)))

    # With one group asked for, every candidate has it (the filter says so): no lookup needed.
    score = example + literal(group_weights[0]) if len(groups) == 1 else example
    if len(groups) > 1:
        for group, weight in zip(groups, group_weights):
            score = score + case((has(group), literal(weight)), else_=literal(0.0))
    if district:
        score = score + case({name: literal(weights[name]) for name in ("district", "quadrant", "county")},
                             value=area.c.extent, else_=literal(0.0))
    elif quadrants:
        local = _first(select(literal(1)).where(area.c.service_id == service.c.id, area.c.extent != "county"))
        score = score + case((local.isnot(None), literal(weights["near"])), else_=literal(weights["far"]))
    scored = score.label("score")
    rows = session.execute(
        select(service.c.id, scored, service.c.name, func.count().over().label("total")).select_from(source)
        .where(*filters).order_by(scored.desc(), service.c.name, service.c.id).limit(limit)
    ).all()
    total = rows[0].total if rows else 0
    return [(row.id, float(row.score), row.name) for row in rows], total


def _first(query):  # type: ignore[no-untyped-def]
    """A correlated 'is there one?' probe, evaluated per row by both databases (never hashed over the table)."""
    return query.limit(1).scalar_subquery()


def _fts_words(words: Sequence[str]) -> list[str]:
    return [w for w in _WORD.findall(" ".join(words).lower()) if len(w) > 1]


def _match_query(dialect: str, words: Sequence[str]) -> str:
    """Any of `words`, each as a prefix, in the database's own full-text syntax (FTS5 or tsquery)."""
    if dialect == "sqlite":
        return " OR ".join(f'"{w}"*' for w in words)
    return " | ".join(f"{w}:*" for w in words)


def match_words(session: Session, words: Sequence[str], limit: int = 500) -> dict[str, float]:
    """Service id -> full-text relevance (higher is better) for any of `words`.

    Why words are split by how common they are: a word found in more than `_COMMON_ABOVE` services says
    almost nothing about which of them is best, yet ranking its matches costs time in proportion to how many
    there are (bm25 or ts_rank for every match: ~30-60 ms for a word in a third of a 100k directory). So only
    the rarer words are ranked. When every word is common, the first `limit` matches in the directory's own
    order are taken unranked (all 0.0), and the search orders them like any other tie: real listings first,
    then by name. A county directory of a few thousand services rarely has such words; a generated one does.
    """
    words = _fts_words(words)
    if not words:
        return {}
    rare = [w for w in words if _matches_at_most(session, w, _COMMON_ABOVE)]
    if rare:
        return rank_full_text(session, rare, limit)
    return {service_id: 0.0 for service_id in _first_matches(session, words, limit)}


def _matches_at_most(session: Session, word: str, cap: int) -> bool:
    """Whether `word` is found in at most `cap` services; stops counting at cap + 1 (a bounded probe)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        inner = "SELECT 1 FROM service_fts WHERE service_fts MATCH :q LIMIT :n"
    elif dialect == "postgresql":
        inner = "SELECT 1 FROM service WHERE search_vector @@ to_tsquery('english', :q) LIMIT :n"
    else:  # pragma: no cover
        return True
    params = {"q": _match_query(dialect, [word]), "n": cap + 1}
    return session.execute(text(f"SELECT count(*) FROM ({inner}) AS m"), params).scalar_one() <= cap


def _first_matches(session: Session, words: list[str], limit: int) -> list[str]:
    """The first `limit` services matching any of `words`, in storage order, without ranking them all."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = "SELECT service_id FROM service_fts WHERE service_fts MATCH :q LIMIT :n"
    elif dialect == "postgresql":
        sql = "SELECT id FROM service WHERE search_vector @@ to_tsquery('english', :q) LIMIT :n"
    else:  # pragma: no cover
        return list(rank_full_text(session, words, limit))
    return [row[0] for row in session.execute(text(sql), {"q": _match_query(dialect, words), "n": limit})]


def rank_full_text(session: Session, words: list[str], limit: int = 500) -> dict[str, float]:
    """Service id -> relevance (higher is better) for any of `words`, using FTS5 or PostgreSQL full text."""
    words = _fts_words(words)
    if not words:
        return {}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = _match_query(dialect, words)
        rows = session.execute(
            # FTS5's `rank` is bm25, worked out once per match (calling bm25() twice did it twice).
            text("SELECT service_id, -rank FROM service_fts WHERE service_fts MATCH :q ORDER BY rank LIMIT :n"),
            {"q": match, "n": limit},
        )
    elif dialect == "postgresql":
        query = _match_query(dialect, words)
        rows = session.execute(
            # The stored, GIN-indexed search_vector (migration 0005): no to_tsvector per matching row.
            text("SELECT id, ts_rank(search_vector, q) AS r FROM service, to_tsquery('english', :q) AS q "
                 "WHERE search_vector @@ q ORDER BY r DESC, id LIMIT :n"),
            {"q": query, "n": limit},
        )
    else:  # pragma: no cover - other databases fall back to a plain LIKE scan
        clauses = or_(*(m.Service.search_text.ilike(f"%{w}%") for w in words))
        rows = session.execute(select(m.Service.id, func.count()).where(clauses).group_by(m.Service.id))
    return {row[0]: float(row[1]) for row in rows}
