"""The chat's look-ups: a family's search and its form answers, each call opening its own database session.

Why apart from bot/directory/search.py: the search functions there take the caller's session (the console,
the CLI and the API own theirs, and may run several queries in one); the actions have no session to pass, so
these open one, use it and close it. One rule per module: never both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.db.session import session_scope
from bot.directory.search import SearchResult, ServiceQuery, search_widening
from bot.directory.vocabulary import QUADRANT_LABELS, Vocabulary, age_from_text, get_vocabulary


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
    if not area or area == "any":
        return None
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(area)
        return parsed.quadrant or vocabulary.quadrant_of.get(parsed.district or "")


def find_outside_area(text: str) -> dict[str, str] | None:
    """The council area outside Essex County Council that `text` names, with its own Local Offer."""
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
# Where a move goes and where it comes from, each read up to the end of its sentence or the other word: "to
# Chelmsford from Kent" and "from Kent to Chelmsford" alike. "to" is often no destination ("do we have to start
# again?"), so the destination is the first one that names a place.
_DESTINATION = re.compile(r"\b(?:to|into)\s+(?P<place>(?:(?!\bfrom\b)[^.?!;])+)")
_ORIGIN = re.compile(r"\bfrom\s+(?P<place>(?:(?!\b(?:to|into)\b)[^.?!;])+)")
_PLAN = re.compile(r"\b(?:ehcp|ehc\s?plan|ehc|education,? health and care plan|statement|plan)\b")
# Plans that are not an EHC plan: Essex's One Plan (SEN support), care, health and support plans.
_OTHER_PLANS = re.compile(r"\b(?:one|care|health|healthcare|support|action|behaviour|behavior|safety|travel|pep)"
                          r"[\s-]+plans?\b")
_NO_PLAN = re.compile(r"\b(?:no|not|without|never|doesn'?t|does not|don'?t|hasn'?t|haven'?t)\b[^.?!]{0,25}"
                      r"\b(?:ehcp|ehc\s?plan|ehc|plan)\b")
# A plan said to be the child's own ("DS has an EHCP from Suffolk") outweighs a "not ... plan" elsewhere, which is
# often the council quoted ("scared Essex will say 'it's not our plan'").
_HAS_PLAN = re.compile(r"\b(?:has|have|had|got|with)\s+(?:an?\s+|his\s+|her\s+|their\s+|(?:a\s+)?current\s+)?"
                       r"(?:ehcp|ehc\s?plan|education,? health and care plan|statement)\b")


def place_in_message(text: str) -> PlaceSaid:
    """'We're moving from Kent to Colchester and he has an EHCP' -> moving into Essex with a plan (Essex takes
    the plan over: not 'Kent is not covered'); 'we live in Thurrock' -> Thurrock's own Local Offer.

    A move is into Essex when it goes to an Essex place (or 'Essex') from somewhere that is not in Essex.
    A move out of Essex, or a place outside Essex with no move, is where the family lives."""
    lowered = (text or "").lower().replace("’", "'")
    plans = _OTHER_PLANS.sub(" ", lowered)
    has_plan = _says_own_plan(plans) or (bool(_PLAN.search(plans)) and not _NO_PLAN.search(plans))
    with session_scope() as session:
        vocabulary = get_vocabulary(session)
        parsed = vocabulary.parse(lowered)
        if _MOVE.search(lowered):
            destination, origin = _move_in(lowered, vocabulary)
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


def _says_own_plan(text: str) -> bool:
    """'has an EHCP', 'with his EHCP', not 'does not have an EHCP' or 'hasn't got a statement'."""
    return any(not re.search(r"\b(?:no|not|never|without)\b|n'?t\b", text[max(0, m.start() - 16): m.start()])
               for m in _HAS_PLAN.finditer(text))


def _names_a_place(text: str, vocabulary: Vocabulary) -> bool:
    parsed = vocabulary.parse(text)
    return bool(parsed.district or parsed.quadrant or parsed.outside_area or re.search(r"\bessex\b", text))


def _move_in(lowered: str, vocabulary: Vocabulary) -> tuple[str, str]:
    """(destination, origin) of the move a message describes: the first "to/into ..." that names a place, and the
    first "from ..." (any place: a council we do not list is still outside Essex); "" for either when absent."""
    destination = next((m.group("place") for m in _DESTINATION.finditer(lowered)
                        if _names_a_place(m.group("place"), vocabulary)), "")
    origin = next((m.group("place") for m in _ORIGIN.finditer(lowered)), "")
    return destination, origin
