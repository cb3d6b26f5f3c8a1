"""Find services: structured filters in SQL, full text through each database's own engine."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from sqlalchemy import case, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m

_WORD = re.compile(r"[a-z0-9]+")


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
    query = query.options(
        selectinload(m.Service.organization),
        selectinload(m.Service.phones),
        selectinload(m.Service.cost_options),
        selectinload(m.Service.service_areas),
        selectinload(m.Service.taxonomy_terms),
        selectinload(m.Service.schedules),
    ).order_by(m.Service.name).limit(limit)
    return list(session.execute(query).scalars())


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
) -> tuple[list[tuple[str, float, str]], int]:
    """(id, score, name) of the best `limit` active services passing the filters, and how many pass.

    Why in SQL: scoring thousands of candidates in Python meant loading them all (and the old 500-candidate
    cap, taken in name order, could drop the best local match at county scale). Each part of the score is
    an indexed EXISTS or lookup per candidate, and only the page is returned. `weights` holds the ranking
    policy from bot.directory: category, need, example_bonus, district/quadrant/county extent, near/far.
    """
    service, tagged, area = m.Service.__table__, m.ServiceTaxonomy.__table__, m.ServiceArea.__table__
    filters = [service.c.status == "active"]
    any_terms = list(category_terms) + [t for alternatives in need_terms for t in alternatives]
    # IN (subquery), not EXISTS: the planners then start from the term and area indexes, not from every service.
    if any_terms:
        filters.append(service.c.id.in_(select(tagged.c.service_id).where(tagged.c.taxonomy_term_id.in_(any_terms))))
    if district or quadrants:
        place = area.c.district_code == district if district else area.c.quadrant.in_(list(quadrants))
        filters.append(service.c.id.in_(select(area.c.service_id).where(place)))
    if age is not None:
        filters.append(or_(service.c.minimum_age.is_(None), service.c.minimum_age <= age))
        filters.append(or_(service.c.maximum_age.is_(None), service.c.maximum_age >= age))
    if service_ids is not None:
        filters.append(service.c.id.in_(list(service_ids)))
    if only_ids is not None:
        filters.append(service.c.id.in_(list(only_ids)))

    def has(term_ids: Sequence[str]):  # type: ignore[no-untyped-def]
        return exists().where(tagged.c.service_id == service.c.id, tagged.c.taxonomy_term_id.in_(list(term_ids)))

    score = case((service.c.is_example.is_(False), literal(weights["example_bonus"])), else_=literal(0.0))
    for term_id in category_terms:
        score = score + case((has([term_id]), literal(weights["category"])), else_=literal(0.0))
    for alternatives in need_terms:
        score = score + case((has(alternatives), literal(weights["need"])), else_=literal(0.0))
    if district:
        extent = select(area.c.extent).where(area.c.service_id == service.c.id, area.c.district_code == district)
        score = score + case({name: literal(weights[name]) for name in ("district", "quadrant", "county")},
                             value=extent.scalar_subquery(), else_=literal(0.0))
    elif quadrants:
        local = exists().where(area.c.service_id == service.c.id, area.c.extent != "county")
        score = score + case((local, literal(weights["near"])), else_=literal(weights["far"]))
    scored = score.label("score")
    rows = session.execute(
        select(service.c.id, scored, service.c.name, func.count().over().label("total"))
        .where(*filters).order_by(scored.desc(), service.c.name, service.c.id).limit(limit)
    ).all()
    total = rows[0].total if rows else 0
    return [(row.id, float(row.score), row.name) for row in rows], total


def list_services_by_id(session: Session, service_ids: Sequence[str]) -> list[m.Service]:
    """Services with what a result card shows loaded up front, in the order of `service_ids`."""
    if not service_ids:
        return []
    query = select(m.Service).where(m.Service.id.in_(list(service_ids))).options(
        selectinload(m.Service.organization),
        selectinload(m.Service.phones),
        selectinload(m.Service.cost_options),
        selectinload(m.Service.service_areas),
        selectinload(m.Service.taxonomy_terms),
        selectinload(m.Service.schedules),
    )
    found = {s.id: s for s in session.execute(query).scalars()}
    return [found[i] for i in service_ids if i in found]


def rank_full_text(session: Session, words: list[str], limit: int = 500) -> dict[str, float]:
    """Service id -> relevance (higher is better) for any of `words`, using FTS5 or PostgreSQL full text."""
    words = [w for w in (_WORD.findall(" ".join(words).lower())) if len(w) > 1]
    if not words:
        return {}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = " OR ".join(f'"{w}"*' for w in words)
        rows = session.execute(
            # FTS5's `rank` is bm25, worked out once per match (calling bm25() twice did it twice).
            text("SELECT service_id, -rank FROM service_fts WHERE service_fts MATCH :q ORDER BY rank LIMIT :n"),
            {"q": match, "n": limit},
        )
    elif dialect == "postgresql":
        query = " | ".join(f"{w}:*" for w in words)
        rows = session.execute(
            text("SELECT id, ts_rank(to_tsvector('english', search_text), to_tsquery('english', :q)) AS r "
                 "FROM service WHERE to_tsvector('english', search_text) @@ to_tsquery('english', :q) "
                 "ORDER BY r DESC LIMIT :n"),
            {"q": query, "n": limit},
        )
    else:  # pragma: no cover - other databases fall back to a plain LIKE scan
        clauses = or_(*(m.Service.search_text.ilike(f"%{w}%") for w in words))
        rows = session.execute(select(m.Service.id, func.count()).where(clauses).group_by(m.Service.id))
    return {row[0]: float(row[1]) for row in rows}
