"""Check ORUK service records and turn them into plain dataclasses, before anything touches the database.

Why pure and exhaustive: a council feed has thousands of records typed by many people. Every problem is
reported with the service id, its name and the field (`phones[1].number`), and a bad record is skipped on
its own, so one typo never blocks the rest of the directory. Field names follow ORUK 3.0 (HSDS 3.0); the
older ORUK 2 names (`regular_schedules`, `physical_addresses`, `service_taxonomys`, `eligibilitys`) are read
too, because many councils still publish them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from bot.constants import DAY_CODES as DAYS
from bot.constants import EMAIL as _EMAIL

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
_WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
             "saturday": "SA", "sunday": "SU"}
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?([+-]\d\d:?\d\d|Z)?$")
_URL = re.compile(r"^https?://\S+$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")

# Column widths in bot/db/models.py: longer values are reported, not cut, so nothing is silently lost.
MAX_ID = 100
MAX_CHILD_ID = 120


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: which service, which field, and what to do about it."""

    service_id: str
    service_name: str
    field: str
    message: str

    def __str__(self) -> str:
        name = f" ({self.service_name})" if self.service_name else ""
        return f"service '{self.service_id}'{name}: field '{self.field}': {self.message}"


@dataclass
class OrukOrganization:
    id: str
    name: str = ""
    description: str = ""
    url: str | None = None
    email: str | None = None
    nested: bool = True  # False when the record only gave organization_id


@dataclass
class OrukPhone:
    id: str
    number: str
    description: str = ""


@dataclass
class OrukContact:
    id: str
    name: str = ""
    email: str | None = None


@dataclass
class OrukSchedule:
    id: str
    byday: str = ""
    opens_at: str | None = None
    closes_at: str | None = None
    description: str = ""


@dataclass
class OrukCost:
    id: str
    option: str = ""
    amount: float | None = None
    currency: str = "GBP"


@dataclass
class OrukArea:
    id: str
    name: str


@dataclass
class OrukAddress:
    id: str
    address_1: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    country: str = "GB"


@dataclass
class OrukLocation:
    id: str
    name: str = ""
    description: str = ""
    addresses: list[OrukAddress] = field(default_factory=list)


@dataclass
class OrukServiceAtLocation:
    id: str
    location: OrukLocation


@dataclass
class OrukTerm:
    id: str
    code: str
    name: str
    taxonomy: str = ""  # the vocabulary it came from, e.g. "category", "need", "esccategory"


@dataclass
class OrukService:
    id: str
    name: str
    organization: OrukOrganization
    description: str = ""
    status: str = "active"
    url: str | None = None
    email: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility: str = ""
    referral: str = ""
    assured_date: date | None = None
    phones: list[OrukPhone] = field(default_factory=list)
    contacts: list[OrukContact] = field(default_factory=list)
    schedules: list[OrukSchedule] = field(default_factory=list)
    cost_options: list[OrukCost] = field(default_factory=list)
    service_areas: list[OrukArea] = field(default_factory=list)
    locations: list[OrukServiceAtLocation] = field(default_factory=list)
    terms: list[OrukTerm] = field(default_factory=list)


class _Record:
    """Reads one raw service, collecting problems against it instead of stopping at the first."""

    def __init__(self, raw: dict[str, Any], position: int):
        self.raw = raw
        raw_id = raw.get("id")
        self.id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and str(raw_id).strip() else f"#{position}"
        raw_name = raw.get("name")
        self.name = raw_name.strip() if isinstance(raw_name, str) else ""
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.id, self.name, path, message))

    def text(self, entry: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int | None = None,
             aliases: tuple[str, ...] = ()) -> str:
        value = entry.get(key)
        for alias in aliases:
            if value in (None, ""):
                value = entry.get(alias)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, "is missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(path, "must be text")
            return ""
        text = str(value).strip()
        if max_length is not None and len(text) > max_length:
            self.add(path, f"is {len(text)} characters long; at most {max_length} fit")
            return ""
        return text

    def pattern(self, entry: dict[str, Any], key: str, path: str, regex: re.Pattern[str], what: str,
                max_length: int = 500) -> str | None:
        value = self.text(entry, key, path, max_length=max_length)
        if value and not regex.fullmatch(value):
            self.add(path, f"'{value}' is not {what}")
            return None
        return value or None

    def child_id(self, entry: dict[str, Any], path: str, fallback: str) -> str:
        value = self.text(entry, "id", f"{path}.id", max_length=MAX_CHILD_ID)
        return value or fallback

    def items(self, key: str, *aliases: str) -> list[tuple[str, dict[str, Any]]]:
        """(path, entry) for each entry of a list field; a field that is not a list of objects is a problem."""
        for name in (key, *aliases):
            value = self.raw.get(name)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                self.add(name, "must be a list of objects")
                return []
            return [(f"{name}[{i}]", v) for i, v in enumerate(value)]
        return []

    def age(self, entry: dict[str, Any], key: str, path: str) -> int | None:
        value = entry.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            self.add(path, f"'{value}' must be a whole number of years from 0 to 120")
            return None
        return value

    def day(self, entry: dict[str, Any], key: str, path: str) -> date | None:
        value = entry.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()[:10])
            except ValueError:
                pass
        self.add(path, f"'{value}' must be a date like 2026-11-23")
        return None

    def time(self, entry: dict[str, Any], key: str, path: str) -> str | None:
        value = self.text(entry, key, path, max_length=40)
        if not value:
            return None
        match = _TIME.match(value)
        if not match:
            self.add(path, f"'{value}' must be a time like 09:30")
            return None
        return f"{match.group(1)}:{match.group(2)}"


def validate_service(raw: Any, position: int) -> tuple[OrukService | None, list[Problem]]:
    """A clean OrukService from one raw record, or None with every problem found in it."""
    if not isinstance(raw, dict):
        return None, [Problem(f"#{position}", "", "(record)", "must be a JSON object")]
    r = _Record(raw, position)
    service_id = r.text(raw, "id", "id", required=True, max_length=MAX_ID)
    name = r.text(raw, "name", "name", required=True, max_length=255)
    status = (r.text(raw, "status", "status") or "active").lower()
    if status not in STATUSES:
        r.add("status", f"'{status}' must be one of: {', '.join(STATUSES)}")
    eligibility_rows = r.items("eligibilitys")
    minimum_age = r.age(raw, "minimum_age", "minimum_age")
    maximum_age = r.age(raw, "maximum_age", "maximum_age")
    for path, row in eligibility_rows[:1]:  # ORUK 2 kept ages on its first eligibility row
        minimum_age = minimum_age if minimum_age is not None else r.age(row, "minimum_age", f"{path}.minimum_age")
        maximum_age = maximum_age if maximum_age is not None else r.age(row, "maximum_age", f"{path}.maximum_age")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        r.add("minimum_age", f"{minimum_age} is above maximum_age {maximum_age}")
    eligibility = r.text(raw, "eligibility_description", "eligibility_description")
    if not eligibility and eligibility_rows:
        eligibility = r.text(eligibility_rows[0][1], "eligibility", f"{eligibility_rows[0][0]}.eligibility")
    service = OrukService(
        id=service_id,
        name=name,
        organization=_organization(r),
        description=r.text(raw, "description", "description"),
        status=status,
        url=r.pattern(raw, "url", "url", _URL, "a web address starting http:// or https://"),
        email=r.pattern(raw, "email", "email", _EMAIL, "an email address", max_length=255),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        eligibility=eligibility,
        referral=r.text(raw, "application_process", "application_process", aliases=("referral",)),
        assured_date=r.day(raw, "assured_date", "assured_date"),
        phones=_phones(r, service_id),
        contacts=_contacts(r, service_id),
        schedules=_schedules(r, service_id),
        cost_options=_costs(r, service_id),
        service_areas=_areas(r, service_id),
        locations=_locations(r, service_id),
        terms=_terms(r),
    )
    if r.problems:
        return None, r.problems
    return service, []


def _organization(r: _Record) -> OrukOrganization:
    raw = r.raw.get("organization")
    if isinstance(raw, dict):
        return OrukOrganization(
            id=r.text(raw, "id", "organization.id", required=True, max_length=MAX_ID),
            name=r.text(raw, "name", "organization.name", required=True, max_length=255),
            description=r.text(raw, "description", "organization.description"),
            url=r.pattern(raw, "url", "organization.url", _URL, "a web address starting http:// or https://"),
            email=r.pattern(raw, "email", "organization.email", _EMAIL, "an email address", max_length=255),
        )
    if raw is not None:
        r.add("organization", "must be an object with id and name")
    org_id = r.text(r.raw, "organization_id", "organization_id", max_length=MAX_ID)
    if not org_id and raw is None:
        r.add("organization", "is missing (give organization or organization_id)")
    return OrukOrganization(id=org_id, nested=False)


def _phones(r: _Record, service_id: str) -> list[OrukPhone]:
    phones = []
    for i, (path, row) in enumerate(r.items("phones")):
        number = r.text(row, "number", f"{path}.number", required=True, max_length=40)
        phones.append(OrukPhone(r.child_id(row, path, f"{service_id}:phone:{i}"), number,
                                r.text(row, "description", f"{path}.description", max_length=255)))
    return phones


def _contacts(r: _Record, service_id: str) -> list[OrukContact]:
    contacts = []
    for i, (path, row) in enumerate(r.items("contacts")):
        contacts.append(OrukContact(
            r.child_id(row, path, f"{service_id}:contact:{i}"),
            r.text(row, "name", f"{path}.name", max_length=255),
            r.pattern(row, "email", f"{path}.email", _EMAIL, "an email address", max_length=255),
        ))
    return contacts


def _schedules(r: _Record, service_id: str) -> list[OrukSchedule]:
    schedules = []
    for i, (path, row) in enumerate(r.items("schedules", "regular_schedules")):
        byday = r.text(row, "byday", f"{path}.byday", max_length=40).upper().replace(" ", "")
        weekday = r.text(row, "weekday", f"{path}.weekday").lower()
        if not byday and weekday:
            byday = _WEEKDAYS.get(weekday, weekday.upper()[:2])
        days = [d for d in byday.split(",") if d]
        wrong = [d for d in days if d not in DAYS]
        if wrong:
            r.add(f"{path}.byday", f"'{','.join(wrong)}' must be days like MO,TU,WE")
        schedules.append(OrukSchedule(
            r.child_id(row, path, f"{service_id}:schedule:{i}"), ",".join(days),
            r.time(row, "opens_at", f"{path}.opens_at"), r.time(row, "closes_at", f"{path}.closes_at"),
            r.text(row, "description", f"{path}.description", max_length=255),
        ))
    return schedules


def _costs(r: _Record, service_id: str) -> list[OrukCost]:
    costs = []
    for i, (path, row) in enumerate(r.items("cost_options")):
        amount = row.get("amount")
        if isinstance(amount, str):
            try:
                amount = float(amount.replace("£", "").replace(",", "").strip())
            except ValueError:
                r.add(f"{path}.amount", f"'{row.get('amount')}' must be a number")
                amount = None
        elif amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))):
            r.add(f"{path}.amount", "must be a number")
            amount = None
        if amount is not None and not 0 <= amount < 100_000_000:
            r.add(f"{path}.amount", f"{amount} must be between 0 and 99,999,999")
            amount = None
        currency = (r.text(row, "currency", f"{path}.currency") or "GBP").upper()
        if not _CURRENCY.match(currency):
            r.add(f"{path}.currency", f"'{currency}' must be a three-letter code like GBP")
        option = r.text(row, "option", f"{path}.option", max_length=255, aliases=("amount_description",))
        costs.append(OrukCost(r.child_id(row, path, f"{service_id}:cost:{i}"), option,
                              None if amount is None else round(float(amount), 2), currency))
    return costs


def _areas(r: _Record, service_id: str) -> list[OrukArea]:
    areas = []
    for i, (path, row) in enumerate(r.items("service_areas")):
        name = r.text(row, "name", f"{path}.name", required=True, max_length=100, aliases=("service_area",))
        areas.append(OrukArea(r.child_id(row, path, f"{service_id}:area:{i}"), name))
    return areas


def _locations(r: _Record, service_id: str) -> list[OrukServiceAtLocation]:
    found = []
    for path, row in r.items("service_at_locations"):
        raw_location = row.get("location")
        if not isinstance(raw_location, dict):
            r.add(f"{path}.location", "must be an object with the location's id, name and addresses")
            continue
        location_id = r.text(raw_location, "id", f"{path}.location.id", required=True, max_length=MAX_CHILD_ID)
        addresses = []
        raw_addresses = raw_location.get("addresses", raw_location.get("physical_addresses")) or []
        if not isinstance(raw_addresses, list) or not all(isinstance(a, dict) for a in raw_addresses):
            r.add(f"{path}.location.addresses", "must be a list of objects")
            raw_addresses = []
        for j, address in enumerate(raw_addresses):
            if str(address.get("address_type") or "physical").lower() not in ("physical", "postal"):
                continue  # a virtual address has no place to map
            apath = f"{path}.location.addresses[{j}]"
            country = (r.text(address, "country", f"{apath}.country") or "GB").upper()
            if country in ("UK", "UNITED KINGDOM", "ENGLAND"):
                country = "GB"
            if len(country) != 2:
                r.add(f"{apath}.country", f"'{country}' must be a two-letter code like GB")
            addresses.append(OrukAddress(
                r.child_id(address, apath, f"{location_id}:address:{j}"),
                r.text(address, "address_1", f"{apath}.address_1", max_length=255),
                r.text(address, "city", f"{apath}.city", max_length=100),
                r.text(address, "state_province", f"{apath}.state_province", max_length=100,
                       aliases=("region",)),
                r.text(address, "postal_code", f"{apath}.postal_code", max_length=20),
                country,
            ))
        location = OrukLocation(
            location_id, r.text(raw_location, "name", f"{path}.location.name", max_length=255),
            r.text(raw_location, "description", f"{path}.location.description"), addresses,
        )
        found.append(OrukServiceAtLocation(r.child_id(row, path, f"{service_id}:at:{location_id}")[:240], location))
    return found


def _terms(r: _Record) -> list[OrukTerm]:
    """Taxonomy terms from `taxonomy_terms`, HSDS 3.0 `attributes` and ORUK 2 `service_taxonomys`, once each."""
    raw_terms: list[tuple[str, dict[str, Any]]] = list(r.items("taxonomy_terms"))
    for path, row in r.items("attributes"):
        term = row.get("taxonomy_term")
        if isinstance(term, dict):
            raw_terms.append((f"{path}.taxonomy_term", term))
    for path, row in r.items("service_taxonomys"):
        term = row.get("taxonomy")
        if isinstance(term, dict):
            raw_terms.append((f"{path}.taxonomy", term))
    terms: dict[str, OrukTerm] = {}
    for path, row in raw_terms:
        name = r.text(row, "name", f"{path}.name", max_length=255)
        code = r.text(row, "code", f"{path}.code", max_length=255)
        term_id = r.text(row, "id", f"{path}.id", max_length=255) or code or name
        if not (name or code):
            r.add(f"{path}.name", "is missing (a term needs a name or a code)")
            continue
        detail = (cast("dict[str, Any]", row.get("taxonomy_detail")) if isinstance(row.get("taxonomy_detail"), dict)
                  else {})
        taxonomy = (r.text(row, "taxonomy", f"{path}.taxonomy", aliases=("taxonomy_id", "vocabulary"))
                    or str(detail.get("name") or detail.get("id") or ""))
        terms.setdefault(term_id, OrukTerm(term_id, code, name, taxonomy))
    return list(terms.values())
