"""One look-up over services and guidance, for helpline staff with a parent on the phone.

Why services go through `find_services_for_family`: staff must see what the chat would show the family
(the same vocabulary, the same widening from district to quadrant to county, the same "outside Essex"
answer). Guidance has no free-text search in the chat (the language model picks the topic), so articles are
matched here on their own words: title and topic count most, then the summary, then the steps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.directory.for_chat import FamilySearch, find_services_for_family
from bot.directory.search import ServiceCard
from bot.guidance.articles import Guidance, get_guidance, list_topics

MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and are about age aged am any at be can do does for from get got has have he her him his how i if in "
    "is it its me my need needs not of on or our she so the their them there they this to us was we what when "
    "where which who why will with you your child son daughter help please want".split()
)
_WEIGHTS = {"title": 3.0, "topic": 3.0, "summary": 1.0, "steps": 0.5}


@dataclass(frozen=True)
class ServiceHit:
    name: str
    who_for: str
    phones: list[str]
    website: str | None
    areas: str
    description: str
    is_example: bool
    # What families see in the chat, so a helpline worker can read the same listing out: cost, email, how
    # to get the service (referral route) and when it is open.
    cost: str = ""
    emails: tuple[str, ...] = ()
    referral: str = ""
    opening: str = ""


@dataclass(frozen=True)
class GuidanceHit:
    topic: str
    title: str
    summary: str
    last_checked: str
    local_offer_url: str


@dataclass
class Lookup:
    query: str
    services: list[ServiceHit] = field(default_factory=list)
    service_total: int = 0
    service_total_exact: bool = True  # False: "more than service_total" (the chat's search stops counting)
    understood: str = ""  # " for speech and language therapy in Colchester": what the search understood
    widened_to: str | None = None  # "quadrant" | "county" when nothing matched closer
    outside_area: dict[str, str] | None = None  # the family's own Local Offer, when outside Essex
    guidance: list[GuidanceHit] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.services or self.guidance or self.outside_area)


def clean_query(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "")).strip()[:MAX_QUERY_LENGTH]


def look_up(session: Session, text: str, service_limit: int = 10, guidance_limit: int = 3) -> Lookup:
    """Services (as the chat finds them) and the guidance articles whose words match `text`."""
    query = clean_query(text)
    result = Lookup(query=query)
    if not query:
        return result
    family: FamilySearch = find_services_for_family(text=query, limit=service_limit)
    result.services = [_service_hit(card) for card in family.result.cards]
    result.service_total = family.result.total
    result.service_total_exact = family.result.total_exact
    result.understood = family.described
    result.widened_to = family.result.widened_to if family.result.cards else None
    result.outside_area = family.outside_area
    result.guidance = match_guidance(session, query, guidance_limit)
    return result


def _service_hit(card: ServiceCard) -> ServiceHit:
    parts = [p.strip() for p in card.contact.split("|") if p.strip()]
    phones = [p for p in parts if "@" not in p and not p.startswith("http") and re.search(r"\d{3}", p)]
    emails = tuple(p for p in parts if "@" in p)
    return ServiceHit(
        name=card.name, who_for=card.who_for, phones=phones, website=card.url, areas=card.area,
        description=card.description, is_example=card.is_example, cost=card.cost, emails=emails,
        referral=card.referral, opening=card.opening,
    )


def words_of(text: str) -> set[str]:
    """Lower-case words without common words, with a plural 's' dropped ('plans' finds 'plan')."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 2:
            continue
        words.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return words


def score_article(query_words: set[str], guidance: Guidance) -> float:
    fields = {
        "title": guidance.title,
        "topic": guidance.topic.replace("_", " "),
        "summary": guidance.summary,
        "steps": " ".join(guidance.sections.get("steps", [])),
    }
    return sum(_WEIGHTS[name] * len(query_words & words_of(text)) for name, text in fields.items())


def match_guidance(session: Session, text: str, limit: int = 3) -> list[GuidanceHit]:
    query_words = words_of(text)
    if not query_words:
        return []
    scored = []
    for topic in list_topics(session):
        guidance = get_guidance(session, topic)
        if guidance is None:
            continue
        score = score_article(query_words, guidance)
        if score >= 1.0:
            scored.append((score, guidance))
    scored.sort(key=lambda pair: (-pair[0], pair[1].title))
    return [
        GuidanceHit(g.topic, g.title, g.summary, g.last_checked_text, g.local_offer_url) for _, g in scored[:limit]
    ]
