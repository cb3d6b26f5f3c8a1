"""What a search result card shows, read with plain Core queries for a page of services.

Why not the ORM: loading three services with six relationships through the ORM took 5-10 ms at county
scale (identity map, one ORM query per relationship), more than the search itself. The same seven reads as
Core rows take about a millisecond, and a card needs only plain values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


@dataclass
class CardRecord:
    id: str
    name: str
    description: str
    referral: str
    is_example: bool
    url: str | None
    email: str | None
    minimum_age: int | None
    maximum_age: int | None
    organization_url: str | None
    phones: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    areas: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # extent, quadrant, district
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # term id, code, taxonomy id
    schedules: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # byday, opens, closes


def list_cards_by_id(session: Session, service_ids: Sequence[str]) -> list[CardRecord]:
    """Card records in the order of `service_ids` (unknown ids are left out)."""
    if not service_ids:
        return []
    ids = list(service_ids)
    s, o = m.Service.__table__, m.Organization.__table__
    rows = session.execute(
        select(s.c.id, s.c.name, s.c.description, s.c.referral, s.c.is_example, s.c.url, s.c.email,
               s.c.minimum_age, s.c.maximum_age, o.c.url.label("organization_url"))
        .select_from(s.outerjoin(o, o.c.id == s.c.organization_id)).where(s.c.id.in_(ids))
    ).all()
    found = {row.id: CardRecord(row.id, row.name or "", row.description or "", row.referral or "",
                                bool(row.is_example), row.url, row.email, row.minimum_age, row.maximum_age,
                                row.organization_url) for row in rows}
    for service_id, value in _children(session, m.Phone.__table__.c.number, ids):
        found[service_id].phones.append(value)
    for service_id, value in _children(session, m.CostOption.__table__.c.option, ids):
        found[service_id].costs.append(value)
    a = m.ServiceArea.__table__
    for row in session.execute(select(a.c.service_id, a.c.extent, a.c.quadrant, a.c.district_code)
                               .where(a.c.service_id.in_(ids))):
        found[row.service_id].areas.append((row.extent, row.quadrant, row.district_code))
    t, st = m.TaxonomyTerm.__table__, m.ServiceTaxonomy.__table__
    for row in session.execute(select(st.c.service_id, t.c.id, t.c.code, t.c.taxonomy_id)
                               .select_from(st.join(t, t.c.id == st.c.taxonomy_term_id))
                               .where(st.c.service_id.in_(ids))):
        found[row.service_id].terms.append((row.id, row.code, row.taxonomy_id))
    sc = m.Schedule.__table__
    for row in session.execute(select(sc.c.service_id, sc.c.byday, sc.c.opens_at, sc.c.closes_at)
                               .where(sc.c.service_id.in_(ids))):
        found[row.service_id].schedules.append((row.byday or "", row.opens_at, row.closes_at))
    return [found[i] for i in ids if i in found]


def _children(session: Session, column, ids: list[str]) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    table = column.table
    return [(row[0], row[1]) for row in session.execute(select(table.c.service_id, column)
                                                        .where(table.c.service_id.in_(ids)))]
