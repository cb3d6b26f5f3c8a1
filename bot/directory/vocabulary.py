"""Turn families' words into codes: places to districts, synonyms to categories and needs, ages to years.

Why here and not only in Rasa: the CLI, the console and the action server all take free text, and the
same words must mean the same thing everywhere. The vocabulary is read from the database, so officers
who add a town or a synonym to `data/local_offer/` and reload change all three at once.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.constants import QUADRANT_LABELS as QUADRANT_LABELS  # one table, kept importable here
from bot.db.queries.areas import list_districts, list_outside_areas, list_places, list_taxonomy_terms
from bot.nlp.plural import plural

QUADRANT_NAMES = {
    "north_east": ["north east essex", "north-east essex", "ne essex", "north east", "north-east"],
    "mid": ["mid essex"],
    "south": ["south essex"],
    "west": ["west essex"],
}
ANYWHERE = {
    "anywhere",
    "any where",
    "all of essex",
    "whole county",
    "county wide",
    "countywide",
    "anywhere in essex",
    "essex",
    "don't mind",
    "dont mind",
    "not sure",
    "any",
}

_AGE_PATTERNS = [
    (re.compile(r"\b(?:year|yr)\s?(\d{1,2})\b"), "school_year"),
    (re.compile(r"\breception\b"), "reception"),
    (re.compile(r"\b(\d{1,2})\s?(?:-|\s)?(?:years?|yrs?|yo|y/o)(?:\s?old)?\b"), "years"),
    (re.compile(r"\bage[ds]?\s?(\d{1,2})\b"), "years"),
    (re.compile(r"\b(?:he|she|they)(?:'s| is| are)\s(\d{1,2})\b"), "years"),
    (re.compile(r"\b(?:is|turned|turning)\s(\d{1,2})\b"), "years"),
    (re.compile(r"^\s*(\d{1,2})\s*$"), "years"),
]


def age_from_text(text: str) -> int | None:
    """An age in years from '7', '3 year old', 'aged 12', 'year 6' (age at the start of that school year + 1)."""
    lowered = text.lower()
    for pattern, kind in _AGE_PATTERNS:
        match = pattern.search(lowered)
        if not match:
            continue
        if kind == "reception":
            return 4
        value = int(match.group(1))
        if kind == "school_year":
            # Children in year N are N+4 at the start of the year and N+5 by its end; the older age is the
            # safer filter for services that start at a birthday.
            return value + 5 if 0 <= value <= 14 else None
        return value if 0 <= value <= 30 else None
    return None


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9'/\- ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Parsed:
    """What a free-text search asked for, in codes, plus the words left over for full text."""

    categories: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    district: str | None = None
    quadrant: str | None = None
    outside_area: str | None = None
    anywhere: bool = False
    age: int | None = None
    words: list[str] = field(default_factory=list)


_STOPWORDS = set(
    "a an and any anything are around at be by can do does for from get got help i im i'm in is it me my near "
    "need needs of on or our please some someone something son daughter child children kid kids the there "
    "this to what where which who with you your he she they him her them age aged old year years yr yrs "
    "looking find local service services support".split()
)


class Vocabulary:
    """Phrases mapped to codes, matched longest first so 'speech and language therapy' beats 'speech'."""

    def __init__(self, session: Session):
        self.district_names: dict[str, str] = {}
        self.quadrant_of: dict[str, str] = {}
        self.phrases: list[tuple[str, str, str]] = []  # (phrase, kind, code)
        self.term_names: dict[str, str] = {}
        self.outside: dict[str, dict[str, str]] = {}
        for district in list_districts(session):
            self.district_names[district.code] = district.name
            self.quadrant_of[district.code] = district.quadrant
            self.phrases.append((district.name.lower(), "district", district.code))
            self.phrases.append((district.code.replace("_", " "), "district", district.code))
        for place in list_places(session):
            self.phrases.append((place.name, "district", place.district_code))
        for quadrant, names in QUADRANT_NAMES.items():
            self.phrases.extend((name, "quadrant", quadrant) for name in names)
        for area in list_outside_areas(session):
            self.outside[area.code] = {"name": area.name, "local_offer": area.local_offer, "url": area.url}
            self.phrases.extend((name, "outside", area.code) for name in area.names)
        for term in list_taxonomy_terms(session):
            self.term_names[term.id] = term.name
            kind = term.taxonomy_id
            self.phrases.append((term.name.lower(), kind, term.code))
            self.phrases.append((term.code.replace("_", " "), kind, term.code))
            self.phrases.extend((synonym, kind, term.code) for synonym in term.synonyms)
            if kind == "category":  # "holiday clubs", "support groups": families ask in the plural
                names = [term.name.lower(), *term.synonyms]
                self.phrases.extend((plural(name), kind, term.code) for name in names)
        self.phrases = sorted(set(self.phrases), key=lambda p: -len(p[0]))
        self._pattern = re.compile(
            "|".join(rf"(?<![a-z0-9]){re.escape(normalise(p))}(?![a-z0-9])" for p, _, _ in self.phrases if normalise(p))
        ) if self.phrases else None
        self._lookup: dict[str, list[tuple[str, str]]] = {}
        for phrase, kind, code in self.phrases:
            self._lookup.setdefault(normalise(phrase), []).append((kind, code))

    def parse(self, text: str) -> Parsed:
        parsed = Parsed(age=age_from_text(text))
        cleaned = normalise(text)
        if cleaned in ANYWHERE or any(f" {a} " in f" {cleaned} " for a in ("anywhere", "whole county", "countywide")):
            parsed.anywhere = True
        remainder = cleaned
        if self._pattern:
            for match in self._pattern.finditer(cleaned):
                for kind, code in self._lookup.get(match.group(0), []):
                    self._assign(parsed, kind, code)
            remainder = self._pattern.sub(" ", cleaned)
        parsed.words = [w for w in re.findall(r"[a-z0-9]+", remainder) if w not in _STOPWORDS and not w.isdigit()]
        return parsed

    @staticmethod
    def _assign(parsed: Parsed, kind: str, code: str) -> None:
        if kind == "category" and code not in parsed.categories:
            parsed.categories.append(code)
        elif kind == "need" and code not in parsed.needs:
            parsed.needs.append(code)
        elif kind == "district" and parsed.district is None:
            parsed.district = code
        elif kind == "quadrant" and parsed.quadrant is None:
            parsed.quadrant = code
        elif kind == "outside" and parsed.outside_area is None:
            parsed.outside_area = code

    def resolve_area(self, text: str) -> tuple[str | None, str | None]:
        """(district, quadrant) codes for a place name typed alone, e.g. 'Clacton' -> ('tendring', 'north_east')."""
        parsed = self.parse(text)
        if parsed.district:
            return parsed.district, self.quadrant_of.get(parsed.district)
        return None, parsed.quadrant


_cache: dict[str, tuple[float, Vocabulary]] = {}
_TTL_SECONDS = 300.0


def get_vocabulary(session: Session) -> Vocabulary:
    """The vocabulary for this database, rebuilt at most every five minutes so content reloads show up."""
    key = str(session.get_bind().url)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is None or now - cached[0] > _TTL_SECONDS:
        cached = (now, Vocabulary(session))
        _cache[key] = cached
    return cached[1]


def clear_vocabulary_cache() -> None:
    _cache.clear()
