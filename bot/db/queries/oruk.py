"""Write imported ORUK services: an upsert by id that replaces each service's children, in set-based statements.

Why Core statements and not the ORM one object at a time: a county feed has tens of thousands of services,
and a batch is a handful of executemany calls this way. Why compare before writing: importing the same
feed again must change nothing (not even the full-text index), and the officer is told what changed.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Sequence

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m
from bot.db.queries.facets import refresh_search_facets
from bot.oruk.mapping import ServicePlan

_CHILDREN: tuple[tuple[str, Table], ...] = (
    ("phones", m.Phone.__table__),
    ("contacts", m.Contact.__table__),
    ("schedules", m.Schedule.__table__),
    ("cost_options", m.CostOption.__table__),
    ("service_areas", m.ServiceArea.__table__),
    ("service_at_locations", m.ServiceAtLocation.__table__),
    ("service_taxonomy", m.ServiceTaxonomy.__table__),
)
_SERVICE = m.Service.__table__
_ORGANIZATION = m.Organization.__table__
_LOCATION = m.Location.__table__
_ADDRESS = m.Address.__table__
_COUNTED = (m.Organization, m.Service, m.Phone, m.Contact, m.Schedule, m.CostOption, m.ServiceArea,
            m.ServiceAtLocation, m.Location, m.Address, m.ServiceTaxonomy)


def count_directory_rows(session: Session) -> dict[str, int]:
    """Rows per directory table: what 'importing twice changes nothing' is checked against."""
    return {
        model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in _COUNTED
    }


def classify_plans(session: Session, plans: Sequence[ServicePlan]) -> dict[str, str]:
    """Service id -> 'created', 'updated' or 'unchanged', comparing each plan with what is stored."""
    stored = _read_snapshots(session, plans)
    result = {}
    for plan in plans:
        if plan.id not in stored["service"]:
            result[plan.id] = "created"
        else:
            result[plan.id] = "unchanged" if _snapshot(plan) == _stored_snapshot(plan, stored) else "updated"
    return result


def upsert_services(session: Session, plans: Sequence[ServicePlan]) -> dict[str, str]:
    """Write the plans that differ from what is stored; returns what happened to each service id.

    The caller's transaction makes a batch all-or-nothing. Children are deleted and inserted again, and
    locations no service points at any more are removed, so nothing is left orphaned.
    """
    outcome = classify_plans(session, plans)
    changed = [p for p in plans if outcome[p.id] != "unchanged"]
    if not changed:
        return outcome
    ids = [p.id for p in changed]
    _upsert(session, _ORGANIZATION, _unique(p.organization for p in changed if p.organization))
    old_locations = set(session.execute(
        select(_CHILDREN[5][1].c.location_id).where(_CHILDREN[5][1].c.service_id.in_(ids))).scalars())
    for _, table in _CHILDREN:
        session.execute(delete(table).where(table.c.service_id.in_(ids)))
    _upsert(session, _SERVICE, [p.service for p in changed])
    locations = _unique(row for p in changed for row in p.locations)
    location_ids = [row["id"] for row in locations]
    if location_ids:
        session.execute(delete(_ADDRESS).where(_ADDRESS.c.location_id.in_(location_ids)))
        _upsert(session, _LOCATION, locations)
        _insert(session, _ADDRESS, _unique(row for p in changed for row in p.addresses))
    for attribute, table in _CHILDREN:
        _insert(session, table, [row for p in changed for row in getattr(p, attribute)])
    _delete_orphan_locations(session, old_locations - set(location_ids))
    _reindex_full_text(session, ids)
    refresh_search_facets(session, ids)
    return outcome


def list_services_for_export(session: Session, service_ids: Sequence[str]) -> list[m.Service]:
    """Services with everything an ORUK record shows, in the order of `service_ids`."""
    if not service_ids:
        return []
    query = select(m.Service).where(m.Service.id.in_(list(service_ids))).options(
        selectinload(m.Service.organization), selectinload(m.Service.phones), selectinload(m.Service.contacts),
        selectinload(m.Service.schedules), selectinload(m.Service.cost_options),
        selectinload(m.Service.service_areas), selectinload(m.Service.taxonomy_terms),
        selectinload(m.Service.locations).selectinload(m.ServiceAtLocation.location)
        .selectinload(m.Location.addresses),
    )
    found = {s.id: s for s in session.execute(query).scalars()}
    return [found[i] for i in service_ids if i in found]


def list_active_service_ids(session: Session, limit: int, offset: int) -> tuple[list[str], int]:
    """One page of active service ids by name, and how many there are: the unfiltered directory listing."""
    active = m.Service.status == "active"
    total = session.execute(select(func.count()).select_from(m.Service).where(active)).scalar_one()
    ids = session.execute(
        select(m.Service.id).where(active).order_by(m.Service.name, m.Service.id).limit(limit).offset(offset)
    ).scalars()
    return list(ids), total


def _unique(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row["id"], row)
    return list(seen.values())


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(table), rows)


def _upsert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Update the rows whose id exists, insert the rest (portable: no dialect-specific ON CONFLICT)."""
    if not rows:
        return
    existing = set(session.execute(select(table.c.id).where(table.c.id.in_([r["id"] for r in rows]))).scalars())
    updates = [{**r, "_id": r["id"]} for r in rows if r["id"] in existing]
    if updates:
        columns = [c for c in rows[0] if c != "id"]
        statement = update(table).where(table.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})
        session.execute(statement, updates)
    _insert(session, table, [r for r in rows if r["id"] not in existing])


def _delete_orphan_locations(session: Session, candidates: set[str]) -> None:
    if not candidates:
        return
    still_used = set(session.execute(
        select(m.ServiceAtLocation.location_id).where(m.ServiceAtLocation.location_id.in_(candidates))).scalars())
    orphans = list(candidates - still_used)
    if orphans:
        session.execute(delete(_ADDRESS).where(_ADDRESS.c.location_id.in_(orphans)))
        session.execute(delete(_LOCATION).where(_LOCATION.c.id.in_(orphans)))


def _reindex_full_text(session: Session, service_ids: list[str]) -> None:
    """Refresh SQLite's FTS5 rows for these services; PostgreSQL's generated search_vector follows by itself."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("DELETE FROM service_fts WHERE service_id IN :ids").bindparams(
        bindparam("ids", expanding=True)), {"ids": service_ids})
    session.execute(text("INSERT INTO service_fts (service_id, search_text) SELECT id, search_text FROM service "
                         "WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)), {"ids": service_ids})


# --- comparing what is stored with what the feed says -------------------------------------------------

def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 2)
    return value


def _row_key(row: dict[str, Any], columns: Iterable[str]) -> tuple[Any, ...]:
    return tuple(_normal(row.get(c)) for c in columns)


def _rows_key(rows: Iterable[dict[str, Any]], columns: list[str]) -> tuple[Any, ...]:
    return tuple(sorted((_row_key(r, columns) for r in rows), key=repr))


def _snapshot(plan: ServicePlan) -> dict[str, Any]:
    snap: dict[str, Any] = {"service": _row_key(plan.service, sorted(plan.service))}
    if plan.organization:
        snap["organization"] = _row_key(plan.organization, sorted(plan.organization))
    for attribute, table in _CHILDREN:
        snap[attribute] = _rows_key(getattr(plan, attribute), [c.name for c in table.columns])
    snap["locations"] = _rows_key(plan.locations, [c.name for c in _LOCATION.columns])
    snap["addresses"] = _rows_key(plan.addresses, [c.name for c in _ADDRESS.columns])
    return snap


def _stored_snapshot(plan: ServicePlan, stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
    snap: dict[str, Any] = {"service": _row_key(stored["service"][plan.id], sorted(plan.service))}
    if plan.organization:
        row = stored["organization"].get(plan.organization["id"])
        snap["organization"] = _row_key(row, sorted(plan.organization)) if row else None
    for attribute, table in _CHILDREN:
        snap[attribute] = _rows_key(stored[attribute].get(plan.id, []), [c.name for c in table.columns])
    location_ids = {row["location_id"] for row in stored["service_at_locations"].get(plan.id, [])}
    snap["locations"] = _rows_key([stored["locations"][i] for i in location_ids if i in stored["locations"]],
                                  [c.name for c in _LOCATION.columns])
    snap["addresses"] = _rows_key([a for i in location_ids for a in stored["addresses"].get(i, [])],
                                  [c.name for c in _ADDRESS.columns])
    return snap


def _read_snapshots(session: Session, plans: Sequence[ServicePlan]) -> dict[str, dict[str, Any]]:
    ids = [p.id for p in plans]
    stored: dict[str, dict[str, Any]] = {
        "service": {r["id"]: r for r in _select(session, _SERVICE, _SERVICE.c.id, ids)},
    }
    present = list(stored["service"])
    org_ids = list({p.organization["id"] for p in plans if p.organization})
    stored["organization"] = {r["id"]: r for r in _select(session, _ORGANIZATION, _ORGANIZATION.c.id, org_ids)}
    for attribute, table in _CHILDREN:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _select(session, table, table.c.service_id, present):
            grouped[row["service_id"]].append(row)
        stored[attribute] = grouped
    location_ids = list({r["location_id"] for rows in stored["service_at_locations"].values() for r in rows})
    stored["locations"] = {r["id"]: r for r in _select(session, _LOCATION, _LOCATION.c.id, location_ids)}
    addresses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _select(session, _ADDRESS, _ADDRESS.c.location_id, location_ids):
        addresses[row["location_id"]].append(row)
    stored["addresses"] = addresses
    return stored


def _select(session: Session, table: Table, column: Any, values: list[str]) -> list[dict[str, Any]]:
    if not values:
        return []
    return [dict(row._mapping) for row in session.execute(select(table).where(column.in_(values)))]
