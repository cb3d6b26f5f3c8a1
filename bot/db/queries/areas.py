"""Read the area and taxonomy vocabulary that turns families' words into codes."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


def list_districts(session: Session) -> list[m.District]:
    return list(session.execute(select(m.District).order_by(m.District.name)).scalars())


def list_places(session: Session) -> list[m.Place]:
    return list(session.execute(select(m.Place)).scalars())


def list_outside_areas(session: Session) -> list[m.OutsideArea]:
    return list(session.execute(select(m.OutsideArea)).scalars())


def list_taxonomy_terms(session: Session) -> list[m.TaxonomyTerm]:
    return list(session.execute(select(m.TaxonomyTerm).order_by(m.TaxonomyTerm.id)).scalars())
