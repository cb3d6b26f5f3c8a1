"""Our directory rows as ORUK 3.0 service records, and the ORUK page envelope.

Why pure (rows in, dicts out): the public API and the round-trip test must produce exactly the same JSON,
and a council's ORUK tools read it. Service areas are grouped back to the names the feed gave (or, for
services loaded from our YAML, to 'Essex', the quadrant or the district name), one entry per name.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, cast

from bot.constants import QUADRANT_LABELS
from bot.db import models as m

COUNTY_AREA_NAME = "Essex"


def export_service(service: m.Service, district_names: dict[str, str] | None = None) -> dict[str, Any]:
    """One ORUK 3.0 service record (with its organization, locations and terms nested)."""
    organization = service.organization
    terms = sorted(service.taxonomy_terms, key=lambda t: t.id)
    return {
        "id": service.id,
        "name": service.name,
        "alternate_name": None,
        "description": service.description or "",
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "application_process": service.referral or "",
        "eligibility_description": service.eligibility or "",
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "organization": {
            "id": organization.id, "name": organization.name, "description": organization.description or "",
            "url": organization.url, "email": organization.email,
        } if organization else None,
        "phones": [{"id": p.id, "number": p.number, "description": p.description or ""}
                   for p in sorted(service.phones, key=lambda p: p.id)],
        "contacts": [{"id": c.id, "name": c.name or "", "email": c.email}
                     for c in sorted(service.contacts, key=lambda c: c.id)],
        "schedules": [_schedule(s) for s in sorted(service.schedules, key=lambda s: s.id)],
        "cost_options": [{"id": c.id, "option": c.option or "", "amount": c.amount, "currency": c.currency or "GBP"}
                         for c in sorted(service.cost_options, key=lambda c: c.id)],
        "service_areas": _areas(service, district_names or {}),
        "service_at_locations": [_service_at_location(sal) for sal in sorted(service.locations, key=lambda s: s.id)],
        "taxonomy_terms": [_term(t) for t in terms],
        "attributes": [{"id": f"{service.id}:{t.id}", "link_id": service.id, "link_type": "service",
                        "link_entity": "service", "taxonomy_term_id": t.id, "taxonomy_term": _term(t)}
                       for t in terms],
    }


def page_envelope(contents: list[dict[str, Any]], total: int, page: int, per_page: int) -> dict[str, Any]:
    """The ORUK 3.0 paged list: page numbers count from 1."""
    pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return {
        "total_items": total, "total_pages": pages, "page_number": page, "size": per_page,
        "first_page": page == 1, "last_page": page >= pages, "empty": not contents, "contents": contents,
    }


def _schedule(slot: m.Schedule) -> dict[str, Any]:
    return {"id": slot.id, "freq": "WEEKLY" if slot.byday else None, "byday": slot.byday or "",
            "opens_at": slot.opens_at, "closes_at": slot.closes_at, "description": slot.description or ""}


def _areas(service: m.Service, district_names: dict[str, str]) -> list[dict[str, Any]]:
    names: list[str] = []
    for area in sorted(service.service_areas, key=lambda a: a.district_code):
        names.append(area.service_area or _area_name(area, district_names))
    return [{"id": f"{service.id}:area:{i}", "name": name, "description": "", "extent": None,
             "extent_type": None, "uri": None}
            for i, name in enumerate(_unique(names))]


def _area_name(area: m.ServiceArea, district_names: dict[str, str]) -> str:
    if area.extent == "county":
        return COUNTY_AREA_NAME
    if area.extent == "quadrant":
        return cast(str, QUADRANT_LABELS.get(area.quadrant, area.quadrant))
    return cast(str, district_names.get(area.district_code, area.district_code.replace("_", " ").title()))


def _service_at_location(sal: m.ServiceAtLocation) -> dict[str, Any]:
    location = sal.location
    return {
        "id": sal.id,
        "location": {
            "id": location.id, "location_type": "physical", "name": location.name or "",
            "description": location.description or "",
            "addresses": [
                {"id": a.id, "address_1": a.address_1 or "", "city": a.city or "",
                 "state_province": a.state_province or "", "postal_code": a.postal_code or "",
                 "country": a.country or "GB", "address_type": "physical"}
                for a in sorted(location.addresses, key=lambda a: a.id)
            ],
        },
    }


def _term(term: m.TaxonomyTerm) -> dict[str, Any]:
    return {"id": term.id, "code": term.code, "name": term.name, "taxonomy": term.taxonomy_id,
            "taxonomy_detail": {"id": term.taxonomy_id, "name": term.taxonomy_id}}


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
