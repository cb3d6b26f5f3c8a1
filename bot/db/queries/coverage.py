"""Count active services per service category and district, for the officers' coverage matrix."""
from __future__ import annotations

from typing import cast

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.db import models as m


def count_services_by_category_and_district(
    session: Session, include_examples: bool = False
) -> dict[tuple[str, str], int]:
    """(category code, district code) -> number of distinct active services available there.

    A service counts for a district when one of its service areas is that district, or covers its quadrant, or
    the whole county. The loader already writes one row per covered district, but testing the extent too keeps
    the count right for a feed (such as an imported ORUK directory) that stores one row per quadrant or county.
    """
    area = m.ServiceArea
    district = m.District
    covers = or_(
        area.district_code == district.code,
        and_(area.extent == "quadrant", area.quadrant == district.quadrant),
        area.extent == "county",
    )
    query = (
        select(m.TaxonomyTerm.code, district.code, func.count(func.distinct(m.Service.id)))
        .select_from(m.Service)
        .join(m.ServiceTaxonomy, m.ServiceTaxonomy.service_id == m.Service.id)
        .join(m.TaxonomyTerm, and_(m.TaxonomyTerm.id == m.ServiceTaxonomy.taxonomy_term_id,
                                   m.TaxonomyTerm.taxonomy_id == "category"))
        .join(area, area.service_id == m.Service.id)
        .join(district, covers)
        .where(m.Service.status == "active")
        .group_by(m.TaxonomyTerm.code, district.code)
    )
    if not include_examples:
        query = query.where(or_(m.Service.is_example.is_(False), m.Service.is_example.is_(None)))
    return {(category, code): count for category, code, count in session.execute(query)}


def list_categories(session: Session) -> list[m.TaxonomyTerm]:
    """The service categories, in the order of their names."""
    query = select(m.TaxonomyTerm).where(m.TaxonomyTerm.taxonomy_id == "category").order_by(m.TaxonomyTerm.name)
    return list(session.execute(query).scalars())


def count_example_services(session: Session) -> int:
    query = (
        select(func.count()).select_from(m.Service).where(m.Service.status == "active", m.Service.is_example.is_(True))
    )
    return cast(int, session.execute(query).scalar_one())
