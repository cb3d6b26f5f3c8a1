"""Directory search: the one function the bot, the CLI and the console use to find services.

Filters (category or need, area, age) narrow in SQL, and the score is computed there too with the weights
set here (so at county scale only the page is loaded): what the family asked for first, then local before
county-wide, then full-text relevance for any words left over, added here in plain Python.
Every function here takes the caller's session; the chat's look-ups, which open their own, are in
bot/directory/for_chat.py.
"""
from __future__ import annotations

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
