"""What a search result card shows, read with plain Core queries for a page of services.

Why not the ORM: loading three services with six relationships through the ORM took 5-10 ms at county
scale (identity map, one ORM query per relationship), more than the search itself. Two Core reads (the
services, then every child in one UNION ALL) take well under a millisecond, and a card needs only plain
values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import bindparam, select, text
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


# Every child a card shows, in one statement: each extra statement costs about 0.4 ms of SQLAlchemy work on a
# slow machine, which at a few thousand services is more than the database's own time.
_CHILDREN = text(
    "SELECT service_id, 'phone' AS kind, number AS a, NULL AS b, NULL AS c FROM phone WHERE service_id IN :ids "
    "UNION ALL SELECT service_id, 'cost', option, NULL, NULL FROM cost_option WHERE service_id IN :ids "
    "UNION ALL SELECT service_id, 'area', extent, quadrant, district_code FROM service_area WHERE service_id IN :ids "
    "UNION ALL SELECT st.service_id, 'term', t.id, t.code, t.taxonomy_id FROM service_taxonomy st "
    "JOIN taxonomy_term t ON t.id = st.taxonomy_term_id WHERE st.service_id IN :ids "
    "UNION ALL SELECT service_id, 'schedule', byday, opens_at, closes_at FROM schedule WHERE service_id IN :ids"
).bindparams(bindparam("ids", expanding=True))


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
    for service_id, kind, a, b, c in session.execute(_CHILDREN, {"ids": ids}):
        card = found.get(service_id)
        if card is None:
            continue
        if kind == "phone":
            card.phones.append(a)
        elif kind == "cost":
            card.costs.append(a)
        elif kind == "area":
            card.areas.append((a, b, c))
        elif kind == "term":
            card.terms.append((a, b, c))
        else:
            card.schedules.append((a or "", b, c))
    return [found[i] for i in ids if i in found]
