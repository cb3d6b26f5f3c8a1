"""Directory search: the one function the bot, the CLI and the console use to find services.

Filters (category or need, area, age) narrow in SQL, and the score is computed there too with the weights
set here (so at county scale only the page is loaded): what the family asked for first, then local before
county-wide, then full-text relevance for any words left over, added here in plain Python.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Mapping, TypedDict

from sqlalchemy.orm import Session

from bot.db.queries.cards import CardRecord, list_cards_by_id
from bot.db.queries.services import match_words, prefer_quick_plans, rank_candidate_services
from bot.directory.vocabulary import QUADRANT_LABELS, Parsed, get_vocabulary

_EXTENT_SCORE = {"district": 3.0, "quadrant": 2.0, "county": 1.0}
# What counts, and how much: a category asked for, a need, how close the service is, and a real listing over
# an example one. Applied in SQL by rank_candidate_services, so the database returns only the best page.
# search_facet keeps services in closeness order and then real listings first, which is this policy's order
# only while each step in closeness (district/quadrant/county, near/far) is worth more than example_bonus.
_WEIGHTS = {"category": 4.0, "need": 3.0, **_EXTENT_SCORE, "near": 2.0, "far": 1.0, "example_bonus": 0.5}
_MAX_TEXT_BONUS = 2.0  # full-text relevance is capped at 5 and divided by 2.5
# The bot only needs to know whether there are more services than it showed, so it stops counting here.
_BOT_COUNT_CAP = 1000
_DAY_NAMES = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}


@dataclass(frozen=True)
class ServiceQuery:
    categories: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    district: str | None = None
    quadrant: str | None = None
    age: int | None = None
    words: tuple[str, ...] = ()
    # With age_to, `age` is the youngest of a band of ages (the form's buttons); services overlapping it match.
    age_to: int | None = None

    @classmethod
    def from_parsed(cls, parsed: Parsed) -> "ServiceQuery":
        return cls(tuple(parsed.categories), tuple(parsed.needs), parsed.district, parsed.quadrant, parsed.age,
                   tuple(parsed.words))


@dataclass
class ServiceCard:
    """What a family or a helpline worker needs to decide whether to call: plain values, no ORM objects."""

    id: str
    name: str
    description: str
    who_for: str
    area: str
    cost: str
    contact: str
    referral: str
    is_example: bool
    score: float
    categories: list[str] = field(default_factory=list)
    url: str | None = None
    opening: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None


@dataclass
class SearchResult:
    cards: list[ServiceCard]
    total: int
    query: ServiceQuery
    widened_to: str | None = None  # "quadrant" or "county" when nothing matched closer to home
    total_exact: bool = True  # False: counting stopped early, and there are more than `total`

    @property
    def found(self) -> bool:
        return bool(self.cards)


def search_text(session: Session, text: str, limit: int = 10) -> SearchResult:
    """Search from free text such as 'speech therapy colchester age 7'."""
    parsed = get_vocabulary(session).parse(text)
    return search_services(session, ServiceQuery.from_parsed(parsed), limit=limit)


class _Filters(TypedDict):
    """The filters both rank_candidate_services calls below share."""

    category_terms: list[str]
    need_terms: list[list[str]]
    district: str | None
    quadrants: list[str]
    age: int | None
    age_to: int | None
    service_ids: list[str] | None
    weights: Mapping[str, float]


def search_services(session: Session, query: ServiceQuery, limit: int = 10, offset: int = 0,
                    exact_total: bool = True) -> SearchResult:
    """The best `limit` services after `offset`, and how many match (exactly, or only up to
    _BOT_COUNT_CAP when `exact_total` is False, which is all a chat needs and saves counting a county)."""
    vocabulary = get_vocabulary(session)
    prefer_quick_plans(session)
    # A need like 'autism' also names a category of services for it; accept either tag.
    need_terms = [[f"need:{n}"] + ([f"category:{n}"] if f"category:{n}" in vocabulary.term_names else [])
                  for n in query.needs]
    text_rank = match_words(session, list(query.words)) if query.words else {}
    use_text_filter = not (query.categories or query.needs) and bool(query.words)
    filters = _Filters(
        category_terms=[f"category:{c}" for c in query.categories], need_terms=need_terms,
        district=query.district, quadrants=[query.quadrant] if query.quadrant and not query.district else [],
        age=query.age, age_to=query.age_to, service_ids=list(text_rank) if use_text_filter else None, weights=_WEIGHTS,
    )
    wanted = offset + limit
    count_cap = None if exact_total else max(_BOT_COUNT_CAP, wanted)
    # When the words are the only filter there are at most 500 candidates: score them all, words included.
    ranked, total = rank_candidate_services(session, limit=max(wanted, len(text_rank) if use_text_filter else 0),
                                            count_cap=count_cap, **filters)
    if text_rank and not use_text_filter:
        # Words can lift a service by at most _MAX_TEXT_BONUS: the best page is among the best by the rest of
        # the score and the services the words found, so score just those too.
        extra, _ = rank_candidate_services(session, limit=len(text_rank), only_ids=list(text_rank), **filters)
        ranked = list({row[0]: row for row in ranked + extra}.values())
    scored = sorted(((score + _text_bonus(text_rank, sid), name, sid) for sid, score, name in ranked),
                    key=lambda row: (-row[0], row[1], row[2]))[offset:wanted]
    records = list_cards_by_id(session, [sid for _, _, sid in scored])
    cards = [_card(r, score, vocabulary.term_names) for (score, _, _), r in zip(scored, records)]
    if count_cap is not None and total > count_cap:
        return SearchResult(cards=cards, total=count_cap, query=query, total_exact=False)
    return SearchResult(cards=cards, total=total, query=query)


def _text_bonus(text_rank: dict[str, float], service_id: str) -> float:
    return min(text_rank.get(service_id, 0.0) / 2.5, _MAX_TEXT_BONUS)


def search_widening(session: Session, query: ServiceQuery, limit: int = 3) -> SearchResult:
    """Search; with no match, widen from the district to its quadrant and then the whole county."""
    def search(q: ServiceQuery) -> SearchResult:
        return search_services(session, q, limit=limit, exact_total=False)

    result = search(query)
    if result.found or not (query.district or query.quadrant):
        return result
    quadrant = query.quadrant or get_vocabulary(session).quadrant_of.get(query.district or "")
    if query.district and quadrant:
        wider = search(replace(query, district=None, quadrant=quadrant))
        if wider.found:
            wider.widened_to = "quadrant"
            return wider
    county = search(replace(query, district=None, quadrant=None))
    county.widened_to = "county"
    return county


def _card(record: CardRecord, score: float, term_names: dict[str, str]) -> ServiceCard:
    return ServiceCard(
        id=record.id,
        name=record.name,
        description=record.description,
        who_for=_who_for(record, term_names),
        area=_area_label(record),
        cost=", ".join(c for c in record.costs if c) or "Ask the service",
        contact=_contact(record),
        referral=record.referral,
        is_example=record.is_example,
        score=round(score, 3),
        categories=[
            term_names.get(term_id, code) for term_id, code, taxonomy in record.terms if taxonomy == "category"
        ],
        url=record.url,
        opening=_opening(record),
        minimum_age=record.minimum_age,
        maximum_age=record.maximum_age,
    )


def _who_for(record: CardRecord, term_names: dict[str, str]) -> str:
    low, high = record.minimum_age, record.maximum_age
    if low is not None and high is not None:
        ages = f"ages {low} to {high}"
    elif low is not None:
        ages = f"ages {low} and over"
    elif high is not None:
        ages = f"up to age {high}"
    else:
        ages = "all ages"
    needs = [term_names.get(term_id, code) for term_id, code, taxonomy in record.terms if taxonomy == "need"]
    return f"{ages}; " + (", ".join(needs) if needs else "any need")


def _area_label(record: CardRecord) -> str:
    extents = {extent for extent, _, _ in record.areas}
    if "county" in extents:
        return "All of Essex"
    if "quadrant" in extents:
        return ", ".join(sorted({QUADRANT_LABELS.get(q, q) for _, q, _ in record.areas if q}))
    return ", ".join(sorted({(d or "").replace("_", " ").title() for _, _, d in record.areas}))


def _contact(record: CardRecord) -> str:
    parts = [number for number in record.phones if number]
    if record.email:
        parts.append(record.email)
    if record.url:
        parts.append(record.url)
    return " | ".join(parts) or (record.organization_url or "")


def _opening(record: CardRecord) -> str:
    """'Mon-Fri 09:00-17:00; Sat 10:00-12:00': first and last day of each slot, then its hours."""
    slots = []
    for byday, opens_at, closes_at in record.schedules:
        days = [_DAY_NAMES.get(d, d) for d in byday.split(",") if d]
        label = "-".join(dict.fromkeys([days[0], days[-1]])) if days else ""
        hours = f" {opens_at}-{closes_at}" if opens_at and closes_at else ""
        slots.append(f"{label}{hours}".strip())
    return "; ".join(s for s in slots if s)


@dataclass
class FamilySearch:
    """A search as a family asked it, resolved to codes, with the answer and where it had to look."""

    result: SearchResult
    described: str
    district_name: str | None
    quadrant: str | None
    outside_area: dict[str, str] | None
    offset: int = 0

    @property
    def has_more(self) -> bool:
        return self.result.total > self.offset + len(self.result.cards)


def find_services_for_family(
    text: str = "",
    topic: str | None = None,
    area: str | None = None,
    age: str | None = None,
    limit: int = 3,
    offset: int = 0,
) -> FamilySearch:
    """Resolve what the family typed plus the form's answers ('any' means no filter), and search,
    widening from the district to its quadrant and then the county when nothing is near."""
    from bot.db.session import session_scope

    answers = [v for v in (topic, area) if v and v != "any"]
    band = AGE_BANDS.get(normalise_answer(age or ""))
    if band is None and age and age != "any":
        answers.append(f"age {age}")
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(" ".join([text, *answers]))
        outside = vocabulary.outside.get(parsed.outside_area) if parsed.outside_area and not parsed.district else None
        query = ServiceQuery.from_parsed(parsed)
        if band is not None:
            query = replace(query, age=band[0], age_to=band[1])
        result = search_widening(session, query, limit=offset + limit)
        result.cards = result.cards[offset:]
        district_name = vocabulary.district_names.get(parsed.district) if parsed.district else None
        quadrant = parsed.quadrant or vocabulary.quadrant_of.get(parsed.district or "")
        described = _describe(query, vocabulary.term_names, district_name,
                              age_label=normalise_answer(age or "") if band is not None else None)
    return FamilySearch(result, described, district_name, quadrant, outside, offset)


def _describe(query: ServiceQuery, term_names: dict[str, str], district_name: str | None,
              age_label: str | None = None) -> str:
    """' for speech and language therapy in Colchester, age 7': what we understood, said back to the family
    (an age band as the family chose it: ', age under 5', not the age the search used for it)."""
    parts = []
    topics = [term_names.get(f"category:{c}", c) for c in query.categories]
    topics += [term_names.get(f"need:{n}", n) for n in query.needs]
    if topics:
        parts.append(" for " + " and ".join(t.lower() for t in topics))
    if district_name:
        parts.append(f" in {district_name}")
    elif query.quadrant:
        parts.append(f" in {QUADRANT_LABELS.get(query.quadrant, query.quadrant)}")
    if age_label:
        parts.append(f", age {age_label}")
    elif query.age is not None and query.age_to is not None and query.age_to != query.age:
        parts.append(f", ages {query.age} to {query.age_to}")
    elif query.age is not None:
        parts.append(f", age {query.age}")
    return "".join(parts)


@dataclass(frozen=True)
class Understood:
    """One form answer resolved: a value to keep in the slot, or None when we did not recognise it."""

    value: str | None
    outside_area: str | None = None


_UNSURE = ("not sure", "dont know", "don't know", "no idea", "unsure", "anything", "any", "any age", "anywhere",
           "all", "no preference", "doesn't matter", "does not matter", "dunno", "idk")


def _is_unsure(text: str) -> bool:
    cleaned = normalise_answer(text)
    return cleaned in _UNSURE or cleaned.startswith(("not sure", "anywhere", "any age", "don't mind", "dont mind"))


# "I'd rather not say", to a question about where the family lives: an answer, not a place to look up.
_DECLINED = re.compile(r"\b(?:rather not|prefer not|not say|not tell|not saying|don'?t want to|"
                       r"do not want to|skip|private|none of your business)\b")


def declines_to_say(text: str) -> bool:
    """'I'd rather not say', 'prefer not to', 'no', 'skip': the family chose not to answer (which is fine)."""
    cleaned = normalise_answer(text)
    return cleaned in {"no", "nope", "no thanks", "no thank you", "pass"} or bool(_DECLINED.search(cleaned))


def normalise_answer(text: str) -> str:
    return " ".join((text or "").lower().replace("’", "'").strip(" .!?").split())


def understand_topic(text: str) -> Understood:
    """'SALT' -> the category's name; 'not sure' -> 'any'; unknown words -> None (ask again)."""
    from bot.db.session import session_scope

    if _is_unsure(text):
        return Understood("any")
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(text)
        names = [vocabulary.term_names.get(f"category:{c}", c) for c in parsed.categories]
        names += [vocabulary.term_names.get(f"need:{n}", n) for n in parsed.needs]
    return Understood(" and ".join(names) if names else None)


def understand_area(text: str) -> Understood:
    """A town, district or quadrant -> its name; outside Essex County Council -> flagged; 'anywhere' -> 'any'."""
    from bot.db.session import session_scope

    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(text)
        if parsed.district:
            return Understood(vocabulary.district_names[parsed.district])
        if parsed.quadrant:
            return Understood(QUADRANT_LABELS[parsed.quadrant])
        if parsed.outside_area:
            return Understood(vocabulary.outside[parsed.outside_area]["name"], outside_area=parsed.outside_area)
    if _is_unsure(text) or parsed.anywhere:
        return Understood("any")
    return Understood(None)


# The age buttons of the search form (domain.yml utter_ask_search_age): the band is kept and said back as the
# family chose it, and searched as the range of ages it names, youngest and oldest included, so every service
# whose own ages overlap it is found (a group for babies under 3 is one for "under 5" too, as is one for 4 to 8).
AGE_BANDS: dict[str, tuple[int, int]] = {"under 5": (0, 4), "5 to 11": (5, 11), "12 to 16": (12, 16),
                                         "16 to 25": (16, 25)}
_AGE_BAND_WORDS = {"under 5s": "under 5", "under five": "under 5", "under fives": "under 5", "0 to 4": "under 5",
                   "0-4": "under 5", "5-11": "5 to 11", "12-16": "12 to 16", "16-25": "16 to 25"}


def understand_age(text: str) -> Understood:
    """'7' or 'he's 7' -> '7'; a band from the buttons ('Under 5') -> the band; 'not sure' -> 'any'."""
    from bot.directory.vocabulary import age_from_text

    answer = normalise_answer(text)
    band = _AGE_BAND_WORDS.get(answer, answer)
    if band in AGE_BANDS:
        return Understood(band)
    if _is_unsure(text):
        return Understood("any")
    age = age_from_text(text)
    return Understood(str(age) if age is not None and age <= 25 else None)


def quadrant_for_area(area: str | None) -> str | None:
    """The quadrant of a district or quadrant name kept in a slot, to choose the right SEND team's phone."""
    from bot.db.session import session_scope

    if not area or area == "any":
        return None
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(area)
        return parsed.quadrant or vocabulary.quadrant_of.get(parsed.district or "")


def find_outside_area(text: str) -> dict[str, str] | None:
    """The council area outside Essex County Council that `text` names, with its own Local Offer."""
    from bot.db.session import session_scope

    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(text)
        return vocabulary.outside.get(parsed.outside_area) if parsed.outside_area else None


@dataclass(frozen=True)
class PlaceSaid:
    """Where a message says the family lives, or is moving, as far as the Local Offer is concerned."""

    outside_area: dict[str, str] | None = None  # lives (or is moving to) a council outside Essex County Council
    moving_into_essex: bool = False  # moving from another council into the ECC area
    has_plan: bool = False  # and says the child has an EHC plan

    @property
    def plan_moves_to_essex(self) -> bool:
        return self.moving_into_essex and self.has_plan


_MOVE = re.compile(r"\b(?:mov(?:e|es|ed|ing)|relocat\w*|transferr?\w*|coming)\b")
_FROM_TO = re.compile(r"\bfrom\s+(?P<origin>.+?)\s+(?:to|into)\s+(?P<destination>.+)")
_TO_FROM = re.compile(r"\b(?:to|into)\s+(?P<destination>.+?)\s+from\s+(?P<origin>.+)")
_TO = re.compile(r"\b(?:to|into)\s+(?P<destination>.+)")
_PLAN = re.compile(r"\b(?:ehcp|ehc\s?plan|ehc|education,? health and care plan|statement|plan)\b")
_NO_PLAN = re.compile(r"\b(?:no|not|without|never|doesn'?t|does not|don'?t|hasn'?t|haven'?t)\b[^.?!]{0,25}"
                      r"\b(?:ehcp|ehc\s?plan|ehc|plan)\b")


def place_in_message(text: str) -> PlaceSaid:
    """'We're moving from Kent to Colchester and he has an EHCP' -> moving into Essex with a plan (Essex takes
    the plan over: not 'Kent is not covered'); 'we live in Thurrock' -> Thurrock's own Local Offer.

    A move is into Essex when it goes to an Essex place (or 'Essex') from somewhere that is not in Essex.
    A move out of Essex, or a place outside Essex with no move, is where the family lives."""
    from bot.db.session import session_scope

    lowered = (text or "").lower().replace("’", "'")
    has_plan = bool(_PLAN.search(lowered)) and not _NO_PLAN.search(lowered)
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(lowered)
        if _MOVE.search(lowered):
            match = _FROM_TO.search(lowered) or _TO_FROM.search(lowered) or _TO.search(lowered)
            destination = match.group("destination") if match else ""
            origin = match.groupdict().get("origin") or "" if match else ""
            to_place = vocabulary.parse(destination)
            to_essex = not to_place.outside_area and bool(
                to_place.district or to_place.quadrant or re.search(r"\bessex\b", destination))
            from_place = vocabulary.parse(origin)
            from_outside = bool(origin) and not (from_place.district or from_place.quadrant
                                                 or re.search(r"\bessex\b", origin))
            if to_essex and (from_outside or re.search(r"\b(?:to|into) essex\b", lowered)):
                return PlaceSaid(moving_into_essex=True, has_plan=has_plan)
            if to_place.outside_area:
                return PlaceSaid(vocabulary.outside.get(to_place.outside_area), has_plan=has_plan)
        outside = vocabulary.outside.get(parsed.outside_area) if parsed.outside_area else None
        return PlaceSaid(outside, has_plan=has_plan)
