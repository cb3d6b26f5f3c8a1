"""Match an ORUK service's areas and taxonomy terms to ours, and lay it out as the rows we store.

Why pure: the matching rules are where a council feed and our vocabulary meet, and they must be testable
without a database. Areas: a district name or code ('Colchester', 'Castle Point Borough Council') covers that
district; a town ('Clacton-on-Sea') covers its district; a quadrant ('Mid Essex') its districts; 'Essex'
the whole county. Terms: by our id ('category:autism'), then by code, then by name or synonym.

Unknown terms are reported and their names go into the service's search text, but they are not stored as
taxonomy terms: every stored term becomes a phrase the assistant parses families' messages with
(bot/directory/vocabulary.py), and officers curate those phrases; a feed's thousands of local labels must not change
what the assistant understands. Unknown areas are reported and the service is kept (it then shows only in
searches without an area).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, cast

from bot.constants import QUADRANT_LABELS
from bot.directory.vocabulary import QUADRANT_NAMES
from bot.oruk.schema import OrukService, OrukTerm

COUNTY_NAMES = {"essex", "all of essex", "essex wide", "essexwide", "county wide", "countywide", "whole county",
                "whole of essex", "essex county"}
_COUNCIL_WORDS = re.compile(r"\b(city|borough|district|county)?\s*council\b|\bcity of\b|\bdistrict\b")
_EXTENT_ORDER = {"district": 0, "quadrant": 1, "county": 2}


def normalise_name(text: str) -> str:
    text = text.lower().replace("’", "'").replace("&", " and ")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Note:
    """Something the officer should know about a record that was still imported."""

    service_id: str
    service_name: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"service '{self.service_id}' ({self.service_name}): field '{self.field}': {self.message}"


class AreaIndex:
    """Area names to (extent, district codes), from the districts and places loaded from areas.yml."""

    def __init__(self, districts: Iterable[tuple[str, str, str]], places: Iterable[tuple[str, str]]):
        self.quadrant_of: dict[str, str] = {}
        self.district_names: dict[str, str] = {}
        self._names: dict[str, tuple[str, str]] = {}  # normalised name -> (kind, code)
        for code, name, quadrant in districts:
            self.quadrant_of[code] = quadrant
            self.district_names[code] = name
            self._names[normalise_name(name)] = ("district", code)
            self._names[normalise_name(code.replace("_", " "))] = ("district", code)
        for place, district_code in places:
            self._names.setdefault(normalise_name(place), ("district", district_code))
        for quadrant, names in QUADRANT_NAMES.items():
            for name in [*names, QUADRANT_LABELS[quadrant], quadrant.replace("_", " ")]:
                self._names[normalise_name(name)] = ("quadrant", quadrant)

    def districts_for(self, area_name: str) -> tuple[str, list[str]] | None:
        """(extent, district codes) the name covers, or None when we do not know it."""
        name = normalise_name(area_name)
        bare = normalise_name(_COUNCIL_WORDS.sub(" ", name))  # 'Castle Point Borough Council' -> 'castle point'
        if name in COUNTY_NAMES or bare in COUNTY_NAMES:
            return "county", list(self.quadrant_of)
        found = self._names.get(name) or self._names.get(bare)
        if found is None:
            return None
        kind, code = found
        if kind == "district":
            return "district", [code]
        return "quadrant", [d for d, q in self.quadrant_of.items() if q == code]


@dataclass(frozen=True)
class OurTerm:
    id: str
    taxonomy: str
    code: str
    name: str
    synonyms: tuple[str, ...] = ()


class TermIndex:
    """Our categories and needs by id, code and name or synonym."""

    def __init__(self, terms: Iterable[OurTerm]):
        self.by_id: dict[str, OurTerm] = {}
        self._by_code: dict[str, list[OurTerm]] = {}
        self._by_name: dict[str, list[OurTerm]] = {}
        for term in terms:
            self.by_id[term.id] = term
            self._by_code.setdefault(term.code.lower(), []).append(term)
            for phrase in (term.name, term.code.replace("_", " "), *term.synonyms):
                self._by_name.setdefault(normalise_name(phrase), []).append(term)

    def match(self, term: OrukTerm) -> OurTerm | None:
        if term.id in self.by_id:
            return self.by_id[term.id]
        hint = "need" if "need" in term.taxonomy.lower() else "category" if "categor" in term.taxonomy.lower() else ""
        for candidates in (self._by_code.get(term.code.lower(), []), self._by_name.get(normalise_name(term.name), []),
                           self._by_name.get(normalise_name(term.code), [])):
            if candidates:
                preferred = [c for c in candidates if c.taxonomy == hint] or candidates
                return sorted(preferred, key=lambda c: c.taxonomy != "category")[0]
        return None


@dataclass
class ServicePlan:
    """Every row one service needs, keyed by column name, ready for Core inserts and for comparing."""

    service: dict[str, Any]
    organization: dict[str, Any] | None
    organization_id: str
    phones: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    cost_options: list[dict[str, Any]] = field(default_factory=list)
    service_areas: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    service_at_locations: list[dict[str, Any]] = field(default_factory=list)
    service_taxonomy: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return cast(str, self.service["id"])


def compose_search_text(name: str, description: str, eligibility: str, terms: Iterable[OurTerm],
                        extra: Iterable[str] = ()) -> str:
    """The words full-text search reads: as bot.db.queries.content builds them for the YAML services."""
    words = [name, description, eligibility]
    for term in terms:
        words.append(term.name)
        words.extend(term.synonyms)
    words.extend(extra)
    return " ".join(words)


def plan_service(service: OrukService, areas: AreaIndex, terms: TermIndex) -> tuple[ServicePlan, list[Note]]:
    """The rows for `service`, and notes on any area or term we could not match."""
    notes: list[Note] = []
    sid = service.id

    def note(path: str, message: str) -> None:
        notes.append(Note(sid, service.name, path, message))

    matched: dict[str, OurTerm] = {}
    unknown_names: list[str] = []
    for i, term in enumerate(service.terms):
        ours = terms.match(term)
        if ours is None:
            label = term.name or term.code
            unknown_names.append(label)
            note(f"taxonomy_terms[{i}]", f"'{label}' is not one of our categories or needs; its words are kept "
                                         "for search only (add it as a synonym in taxonomy.yml to match it)")
        else:
            matched.setdefault(ours.id, ours)
    covered: dict[str, tuple[str, str]] = {}  # district -> (extent, area name)
    for i, area in enumerate(service.service_areas):
        found = areas.districts_for(area.name)
        if found is None:
            note(f"service_areas[{i}].name", f"'{area.name}' is not an Essex County Council district, town, "
                                             "quadrant or 'Essex'; the service is kept but not tied to an area")
            continue
        extent, codes = found
        for code in codes:
            if code not in covered or _EXTENT_ORDER[extent] < _EXTENT_ORDER[covered[code][0]]:
                covered[code] = (extent, area.name)
    org = service.organization
    plan = ServicePlan(
        service={
            "id": sid, "organization_id": org.id, "name": service.name, "description": service.description,
            "status": service.status, "minimum_age": service.minimum_age, "maximum_age": service.maximum_age,
            "url": service.url, "email": service.email, "eligibility": service.eligibility,
            "referral": service.referral, "assured_date": service.assured_date, "is_example": False,
            "source": "oruk",  # so `python -m bot load` leaves it alone (issue #6)
            "search_text": compose_search_text(service.name, service.description, service.eligibility,
                                               matched.values(), unknown_names),
        },
        organization=({"id": org.id, "name": org.name, "description": org.description, "url": org.url,
                       "email": org.email} if org.nested else None),
        organization_id=org.id,
        phones=[{"id": p.id, "service_id": sid, "number": p.number, "description": p.description}
                for p in service.phones],
        contacts=[{"id": c.id, "service_id": sid, "name": c.name, "email": c.email} for c in service.contacts],
        schedules=[{"id": s.id, "service_id": sid, "byday": s.byday, "opens_at": s.opens_at,
                    "closes_at": s.closes_at, "description": s.description} for s in service.schedules],
        cost_options=[{"id": c.id, "service_id": sid, "option": c.option, "amount": c.amount,
                       "currency": c.currency} for c in service.cost_options],
        service_areas=[{"id": f"{sid}:{code}", "service_id": sid, "district_code": code,
                        "quadrant": areas.quadrant_of[code], "extent": extent, "service_area": name}
                       for code, (extent, name) in sorted(covered.items())],
        service_taxonomy=[{"service_id": sid, "taxonomy_term_id": term_id} for term_id in sorted(matched)],
    )
    for sal in service.locations:
        location = sal.location
        if all(existing["id"] != location.id for existing in plan.locations):
            plan.locations.append({"id": location.id, "name": location.name, "description": location.description})
            plan.addresses.extend(
                {"id": a.id, "location_id": location.id, "address_1": a.address_1, "city": a.city,
                 "state_province": a.state_province or "Essex", "postal_code": a.postal_code, "country": a.country}
                for a in location.addresses
            )
        plan.service_at_locations.append({"id": sal.id, "service_id": sid, "location_id": location.id})
    return plan, notes
