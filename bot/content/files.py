"""Read and validate the Local Offer content files before anything is written.

Why a separate pure step: officers edit these files by hand, so every mistake must be reported with the
file, the entry and the field, and a file with a mistake must not half-load. Validation builds plain
dataclasses; `bot.content.loader` writes them in one transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.constants import DAY_CODES as DAYS
from bot.constants import EMAIL as _EMAIL
from bot.constants import QUADRANTS

STATUSES = ("active", "inactive", "defunct")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_URL = re.compile(r"^https?://[^\s]+$")


SECTIONS = ("summary", "steps", "timescales", "who_can_help", "if_it_goes_wrong")
# Primary law and statutory guidance: dated by their own legislation history, so they never need `verify`.
PRIMARY_HOSTS = ("legislation.gov.uk", "www.legislation.gov.uk", "legislation.data.gov.uk", "gov.uk", "www.gov.uk")
# A source page older than this (or with no date at all) cannot be trusted without a fresh read.
DATED_FROM = date(2022, 1, 1)


class ContentError(Exception):
    """Every problem found in the content, each naming file, entry and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class District:
    code: str
    name: str
    quadrant: str
    places: list[str]


@dataclass
class OutsideArea:
    code: str
    name: str
    names: list[str]
    local_offer: str
    url: str


@dataclass
class Term:
    taxonomy: str  # "category" | "need"
    code: str
    name: str
    synonyms: list[str]


@dataclass
class Organization:
    id: str
    name: str
    description: str = ""
    url: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Source:
    """One page a fact rests on. `page_date` is the date the page itself shows (None: the page has no date);
    `checked` is when the wording was checked against the project's fact-sheet record of that page."""

    url: str
    page_date: date | None
    checked: date

    @property
    def is_primary(self) -> bool:
        host = re.sub(r"^https?://", "", self.url).split("/")[0].lower().rstrip(".")
        return host in PRIMARY_HOSTS

    @property
    def is_dated(self) -> bool:
        """Dated well enough to rely on: primary law, or a page that shows a date from 2022 on."""
        return self.is_primary or (self.page_date is not None and self.page_date >= DATED_FROM)

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "page_date": self.page_date.isoformat() if self.page_date else None,
                "checked": self.checked.isoformat()}


def needs_verify(sources: list[Source]) -> bool:
    """The rule in data/local_offer/README.md: every source undated or from before 2022, and none primary."""
    return bool(sources) and not any(source.is_dated for source in sources)


@dataclass
class ServiceRecord:
    id: str
    organization: str
    name: str
    description: str
    status: str
    categories: list[str]
    needs: list[str]
    minimum_age: int | None
    maximum_age: int | None
    serves: dict[str, Any]
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    referral: str = ""
    eligibility: str = ""
    location: dict[str, str] | None = None
    schedule: list[dict[str, Any]] = field(default_factory=list)
    cost: str = ""
    cost_amount: float | None = None
    last_checked: date | None = None
    example: bool = True
    sources: list[Source] = field(default_factory=list)
    verify: bool = False
    verify_note: str = ""


@dataclass
class Article:
    topic: str
    title: str
    summary: str
    steps: list[str]
    timescales: list[str]
    who_can_help: list[str]
    if_it_goes_wrong: list[str]
    source_url: str
    local_offer_url: str
    last_checked: date
    review_due: date
    sources: dict[str, list[Source]] = field(default_factory=dict)
    verify: dict[str, str] = field(default_factory=dict)  # section -> verify_note, for sections needing a re-read

    def section_items(self, section: str) -> list[str]:
        """A section's lines; the summary is one line."""
        return [self.summary] if section == "summary" else list(getattr(self, section))


@dataclass
class Content:
    districts: list[District] = field(default_factory=list)
    outside_areas: list[OutsideArea] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    answer_topics: list[Any] = field(default_factory=list)  # bot.answers.content.AnswerTopicRecord


class _Checker:
    """Collects problems instead of stopping at the first, so an officer fixes a file in one pass."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(f"{where}: field '{field_name}': {message}")

    def text(self, where: str, entry: dict[str, Any], name: str, required: bool = True) -> str:
        value = entry.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(where, name, "is missing")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(where, name, "must be text")
            return ""
        return str(value).strip()

    def optional_pattern(self, where: str, entry: dict[str, Any], name: str, pattern: re.Pattern[str],
                         what: str) -> str | None:
        value = self.text(where, entry, name, required=False)
        if value and not pattern.fullmatch(value):
            self.add(where, name, f"'{value}' is not {what}")
            return None
        return value or None

    def text_list(self, where: str, entry: dict[str, Any], name: str, required: bool = False) -> list[str]:
        value = entry.get(name)
        if value is None:
            if required:
                self.add(where, name, "is missing")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(where, name, "must be a list of text")
            return []
        return [v.strip() for v in value]

    def day(self, where: str, entry: dict[str, Any], name: str, required: bool = True) -> date | None:
        value = entry.get(name)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        if value is not None or required:
            self.add(where, name, "must be a date like 2026-11-23")
        return None

    def sources(self, where: str, value: Any, name: str) -> list[Source]:
        """A list of {url, page_date, checked}; `page_date` may be null (the page shows no date)."""
        if not isinstance(value, list) or not value:
            self.add(where, name, "must be a list of {url, page_date, checked}, with at least one source")
            return []
        result = []
        for index, item in enumerate(value):
            label = f"{name}[{index + 1}]"
            if not isinstance(item, dict):
                self.add(where, label, "must be a mapping with url, page_date and checked")
                continue
            unknown = sorted(set(item) - {"url", "page_date", "checked"})
            if unknown:
                self.add(where, label, f"unknown key(s): {', '.join(map(str, unknown))}")
            item_where = f"{where}, {label}"
            url = self.text(item_where, item, "url")
            if url and not _URL.match(url):
                self.add(item_where, "url", f"'{url}' is not a web address")
            if "page_date" not in item:
                self.add(item_where, "page_date", "is missing (write null when the page shows no date)")
            page_date = (
                self.day(item_where, item, "page_date", required=False) if item.get("page_date") is not None else None
            )
            checked = self.day(item_where, item, "checked")
            if url and checked:
                result.append(Source(url, page_date, checked))
        return result

    def verify_flag(self, where: str, entry: dict[str, Any], name: str = "verify") -> bool:
        value = entry.get(name, False)
        if not isinstance(value, bool):
            self.add(where, name, "must be true or false")
            return False
        return value

    def age(self, where: str, entry: dict[str, Any], name: str) -> int | None:
        value = entry.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            self.add(where, name, "must be a whole number of years from 0 to 120")
            return None
        return value


def _read_yaml(path: Path, check: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        check.problems.append(f"{path.name}: not valid YAML: {error}")
        return None


def _entries(data: Any, key: str, where: str, check: _Checker) -> list[dict[str, Any]]:
    if data is None:
        return []
    items = data.get(key, []) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        check.problems.append(f"{where}: '{key}' must be a list of entries")
        return []
    return items


def read_content(directory: Path) -> Content:
    """Read every content file under `directory`; raise ContentError listing all problems found."""
    check = _Checker()
    content = Content()
    if not directory.is_dir():
        raise ContentError([f"{directory}: no such content folder"])
    _read_areas(directory, check, content)
    _read_taxonomy(directory, check, content)
    _read_services(directory, check, content)
    _read_guidance(directory, check, content)
    from bot.answers.content import read_answers  # here: bot.answers.content builds on this module

    content.answer_topics = read_answers(directory, check, content)
    if check.problems:
        raise ContentError(check.problems)
    return content


def _read_areas(directory: Path, check: _Checker, content: Content) -> None:
    path = directory / "areas.yml"
    if not path.exists():
        check.problems.append("areas.yml: file is missing")
        return
    data = _read_yaml(path, check)
    seen_places: dict[str, str] = {}
    for index, entry in enumerate(_entries(data, "districts", path.name, check)):
        where = f"areas.yml: district '{entry.get('code', index + 1)}'"
        code = check.text(where, entry, "code")
        quadrant = check.text(where, entry, "quadrant")
        if quadrant and quadrant not in QUADRANTS:
            check.add(where, "quadrant", f"'{quadrant}' is not one of {', '.join(QUADRANTS)}")
        places = [p.lower() for p in check.text_list(where, entry, "places")]
        for place in places:
            if place in seen_places and seen_places[place] != code:
                check.add(where, "places", f"'{place}' is also listed under '{seen_places[place]}'")
            seen_places[place] = code
        content.districts.append(District(code, check.text(where, entry, "name"), quadrant, places))
    outside = directory / "outside_areas.yml"
    if outside.exists():
        for index, entry in enumerate(_entries(_read_yaml(outside, check), "areas", outside.name, check)):
            where = f"outside_areas.yml: area '{entry.get('code', index + 1)}'"
            content.outside_areas.append(
                OutsideArea(
                    code=check.text(where, entry, "code"),
                    name=check.text(where, entry, "name"),
                    names=[n.lower() for n in check.text_list(where, entry, "names", required=True)],
                    local_offer=check.text(where, entry, "local_offer", required=False),
                    url=check.optional_pattern(where, entry, "url", _URL, "a web address") or "",
                )
            )


def _read_taxonomy(directory: Path, check: _Checker, content: Content) -> None:
    path = directory / "taxonomy.yml"
    if not path.exists():
        check.problems.append("taxonomy.yml: file is missing")
        return
    data = _read_yaml(path, check)
    for taxonomy, key in (("category", "categories"), ("need", "needs")):
        for index, entry in enumerate(_entries(data, key, path.name, check)):
            where = f"taxonomy.yml: {taxonomy} '{entry.get('code', index + 1)}'"
            content.terms.append(
                Term(
                    taxonomy=taxonomy,
                    code=check.text(where, entry, "code"),
                    name=check.text(where, entry, "name"),
                    synonyms=[s.lower() for s in check.text_list(where, entry, "synonyms")],
                )
            )


def _read_services(directory: Path, check: _Checker, content: Content) -> None:
    folder = directory / "services"
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    districts = {d.code for d in content.districts}
    terms = {(t.taxonomy, t.code) for t in content.terms}
    for path in files:
        data = _read_yaml(path, check)
        label = f"services/{path.name}"
        for entry in _entries(data, "organizations", label, check):
            where = f"{label}: organization '{entry.get('id', '?')}'"
            content.organizations.append(
                Organization(
                    id=_slug(check, where, entry),
                    name=check.text(where, entry, "name"),
                    description=check.text(where, entry, "description", required=False),
                    url=check.optional_pattern(where, entry, "url", _URL, "a web address"),
                    email=check.optional_pattern(where, entry, "email", _EMAIL, "an email address"),
                )
            )
        for entry in _entries(data, "services", label, check):
            where = f"{label}: service '{entry.get('id', '?')}'"
            content.services.append(_read_service(check, where, entry, districts, terms))
    _check_unique(check, "organization", [(o.id, "services") for o in content.organizations])
    _check_unique(check, "service", [(s.id, "services") for s in content.services])
    org_ids = {o.id for o in content.organizations}
    for service in content.services:
        if service.organization and service.organization not in org_ids:
            check.add(f"services: service '{service.id}'", "organization", f"'{service.organization}' is not defined")


def _slug(check: _Checker, where: str, entry: dict[str, Any]) -> str:
    value = check.text(where, entry, "id")
    if value and not _SLUG.match(value):
        check.add(where, "id", "must be lower-case letters, digits, '-' or '_'")
    return value


def _check_unique(check: _Checker, kind: str, ids: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for value, where in ids:
        if value in seen:
            check.problems.append(f"{where}: {kind} id '{value}' is used more than once")
        seen.add(value)


def _read_service(
    check: _Checker, where: str, entry: dict[str, Any], districts: set[str], terms: set[tuple[str, str]]
) -> ServiceRecord:
    categories = check.text_list(where, entry, "categories", required=True)
    needs = check.text_list(where, entry, "needs")
    for taxonomy, codes, name in (("category", categories, "categories"), ("need", needs, "needs")):
        for code in codes:
            if (taxonomy, code) not in terms:
                check.add(where, name, f"'{code}' is not a {taxonomy} in taxonomy.yml")
    status = check.text(where, entry, "status", required=False) or "active"
    if status not in STATUSES:
        check.add(where, "status", f"'{status}' is not one of {', '.join(STATUSES)}")
    minimum_age, maximum_age = check.age(where, entry, "minimum_age"), check.age(where, entry, "maximum_age")
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        check.add(where, "maximum_age", "is lower than minimum_age")
    cost_amount = entry.get("cost_amount", entry.get("amount"))
    if cost_amount is not None and (isinstance(cost_amount, bool) or not isinstance(cost_amount, (int, float))):
        check.add(where, "cost_amount", "must be a number")
        cost_amount = None
    example = entry.get("example", True)
    if not isinstance(example, bool):
        check.add(where, "example", "must be true or false")
        example = True
    sources: list[Source] = []
    verify, verify_note = check.verify_flag(where, entry), check.text(where, entry, "verify_note", required=False)
    if not example:
        sources = check.sources(where, entry.get("sources"), "sources")
        _check_verify(check, where, "verify", "verify_note", sources, verify, verify_note)
    return ServiceRecord(
        id=_slug(check, where, entry),
        organization=check.text(where, entry, "organization"),
        name=check.text(where, entry, "name"),
        description=check.text(where, entry, "description"),
        status=status,
        categories=categories,
        needs=needs,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        serves=_read_serves(check, where, entry, districts),
        url=check.optional_pattern(where, entry, "url", _URL, "a web address"),
        email=check.optional_pattern(where, entry, "email", _EMAIL, "an email address"),
        phone=check.text(where, entry, "phone", required=False) or None,
        referral=check.text(where, entry, "referral", required=False),
        eligibility=check.text(where, entry, "eligibility", required=False),
        location=_read_location(check, where, entry),
        schedule=_read_schedule(check, where, entry),
        cost=check.text(where, entry, "cost", required=False),
        cost_amount=float(cost_amount) if cost_amount is not None else None,
        last_checked=check.day(where, entry, "last_checked", required=False),
        example=example,
        sources=sources,
        verify=verify,
        verify_note=verify_note,
    )


def _check_verify(check: _Checker, where: str, name: str, note_name: str, sources: list[Source], verify: bool,
                  note: str) -> None:
    """`verify: true` whenever the sources call for it, and a note saying what an officer must re-read."""
    if not sources:
        return
    if needs_verify(sources) and not verify:
        check.add(where, name, "must be true: every source is undated or from before 2022 (add a verify_note)")
    if verify and not note:
        check.add(where, note_name, "is missing: say what an officer must re-read")


def _read_serves(check: _Checker, where: str, entry: dict[str, Any], districts: set[str]) -> dict[str, Any]:
    serves = entry.get("serves")
    if not isinstance(serves, dict) or not serves:
        check.add(where, "serves", "must say {county: true}, {quadrants: [...]} or {districts: [...]}")
        return {}
    if serves.get("county") is True:
        return {"county": True}
    if "quadrants" in serves:
        bad = [q for q in serves.get("quadrants") or [] if q not in QUADRANTS]
        if bad or not serves.get("quadrants"):
            check.add(where, "serves.quadrants", f"unknown quadrant(s): {', '.join(map(str, bad)) or 'none given'}")
        return {"quadrants": list(serves.get("quadrants") or [])}
    if "districts" in serves:
        bad = [d for d in serves.get("districts") or [] if d not in districts]
        if bad or not serves.get("districts"):
            check.add(where, "serves.districts", f"unknown district(s): {', '.join(map(str, bad)) or 'none given'}")
        return {"districts": list(serves.get("districts") or [])}
    check.add(where, "serves", "must say {county: true}, {quadrants: [...]} or {districts: [...]}")
    return {}


def _read_location(check: _Checker, where: str, entry: dict[str, Any]) -> dict[str, str] | None:
    location = entry.get("location")
    if location is None:
        return None
    if not isinstance(location, dict):
        check.add(where, "location", "must be a mapping with name, address_1, city, postcode")
        return None
    return {k: str(location.get(k) or "").strip() for k in ("name", "address_1", "city", "postcode")}


def _read_schedule(check: _Checker, where: str, entry: dict[str, Any]) -> list[dict[str, Any]]:
    schedule = entry.get("schedule") or []
    if not isinstance(schedule, list):
        check.add(where, "schedule", "must be a list")
        return []
    result = []
    for index, slot in enumerate(schedule):
        slot_where = f"{where} schedule {index + 1}"
        if not isinstance(slot, dict):
            check.add(slot_where, "schedule", "must be a mapping with days, opens_at, closes_at")
            continue
        days = slot.get("days") or []
        if not isinstance(days, list) or any(d not in DAYS for d in days):
            check.add(slot_where, "days", f"must be a list of {', '.join(DAYS)}")
            days = []
        opens = check.optional_pattern(slot_where, slot, "opens_at", _TIME, "a time like 09:00")
        closes = check.optional_pattern(slot_where, slot, "closes_at", _TIME, "a time like 17:00")
        result.append(
            {"days": days, "opens_at": opens, "closes_at": closes, "description": str(slot.get("description") or "")}
        )
    return result


_ARTICLE_LISTS = ("steps", "timescales", "who_can_help", "if_it_goes_wrong")


def _read_guidance(directory: Path, check: _Checker, content: Content) -> None:
    folder = directory / "guidance"
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        where = f"guidance/{path.name}"
        entry = _read_yaml(path, check)
        if not isinstance(entry, dict):
            check.problems.append(f"{where}: must be a mapping of fields")
            continue
        topic = check.text(where, entry, "topic")
        if topic and topic != path.stem:
            check.add(where, "topic", f"'{topic}' must match the file name '{path.stem}'")
        last_checked = check.day(where, entry, "last_checked")
        review_due = check.day(where, entry, "review_due")
        lists: dict[str, list[str]] = {name: check.text_list(where, entry, name) for name in _ARTICLE_LISTS}
        if not lists["steps"]:
            check.add(where, "steps", "needs at least one step")
        sources, verify = _read_article_sources(check, where, entry, lists)
        content.articles.append(
            Article(
                sources=sources,
                verify=verify,
                topic=topic,
                title=check.text(where, entry, "title"),
                summary=check.text(where, entry, "summary"),
                source_url=check.optional_pattern(where, entry, "source_url", _URL, "a web address") or "",
                local_offer_url=check.optional_pattern(where, entry, "local_offer_url", _URL, "a web address") or "",
                last_checked=last_checked or date.min,
                review_due=review_due or date.min,
                **lists,
            )
        )
        for name in ("source_url", "local_offer_url"):
            if not entry.get(name):
                check.add(where, name, "is missing")




def _read_article_sources(check: _Checker, where: str, entry: dict[str, Any],
                          lists: dict[str, list[str]]) -> tuple[dict[str, list[Source]], dict[str, str]]:
    """`sources`: section -> list of sources, for every section that has text; `verify`: section ->
    {verify: true, verify_note: ...} for each section whose sources are all undated or old."""
    raw_sources = entry.get("sources")
    raw_verify = entry.get("verify") or {}
    if not isinstance(raw_sources, dict):
        check.add(where, "sources", "must map each section (" + ", ".join(SECTIONS) + ") to a list of sources")
        raw_sources = {}
    if not isinstance(raw_verify, dict):
        check.add(where, "verify", "must map a section to {verify: true, verify_note: ...}")
        raw_verify = {}
    for name in sorted(set(raw_sources) - set(SECTIONS)) + sorted(set(raw_verify) - set(SECTIONS)):
        check.add(where, f"sources.{name}" if name in raw_sources else f"verify.{name}", "is not a section")
    sources: dict[str, list[Source]] = {}
    verify: dict[str, str] = {}
    for section in SECTIONS:
        has_text = bool(entry.get("summary")) if section == "summary" else bool(lists.get(section))
        if section not in raw_sources:
            if has_text:
                check.add(where, f"sources.{section}", "is missing: every section needs its sources")
            continue
        sources[section] = check.sources(where, raw_sources[section], f"sources.{section}")
        flag = raw_verify.get(section)
        if flag is None:
            flag = {}
        if not isinstance(flag, dict):
            check.add(where, f"verify.{section}", "must be {verify: true, verify_note: ...}")
            flag = {}
        is_set = check.verify_flag(where, flag) if flag else False
        note = str(flag.get("verify_note") or "").strip()
        _check_verify(check, where, f"verify.{section}.verify", f"verify.{section}.verify_note", sources[section],
                      is_set, note)
        if is_set:
            verify[section] = note
    return sources, verify
