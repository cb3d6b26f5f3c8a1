"""Find services: structured filters in SQL, full text through each database's own engine."""
from __future__ import annotations

import re
from typing import Iterable

from sqlalchemy import func, or_, select, text
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


def rank_full_text(session: Session, words: list[str], limit: int = 500) -> dict[str, float]:
    """Service id -> relevance (higher is better) for any of `words`, using FTS5 or PostgreSQL full text."""
    words = [w for w in (_WORD.findall(" ".join(words).lower())) if len(w) > 1]
    if not words:
        return {}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = " OR ".join(f'"{w}"*' for w in words)
        rows = session.execute(
            text("SELECT service_id, -bm25(service_fts) FROM service_fts WHERE service_fts MATCH :q "
                 "ORDER BY bm25(service_fts) LIMIT :n"),
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
