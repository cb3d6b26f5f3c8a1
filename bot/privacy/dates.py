"""Dates that identify a child: any date after "born", "DOB" or "birthday", and full dates elsewhere.

Why full dates outside a birth phrase too: families write "Jack (12/03/2015)" or "his dob 2015-03-12"
in every format, and a full past date next to a child is almost always a birth date. Dates officers
need stay: a date with no year ("15 February"), this year's dates, and past dates after a word that
names an event ("the review was on 3 June 2025", "out of school since 12 January 2025").
"""
from __future__ import annotations

import re
from datetime import date

DOB, DATE = "[date of birth]", "[date]"

MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
         r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"\s*[/.\-]\s*"
_FULL = (rf"(?:\d{{1,2}}{_SEP}\d{{1,2}}{_SEP}(?P<y1>\d{{4}}|\d{{2}})"
         rf"|(?P<y2>(?:19|20)\d{{2}}){_SEP}\d{{1,2}}{_SEP}\d{{1,2}}"
         rf"|\d{{1,2}}{_ORD}\s+(?:of\s+)?{MONTH},?\s+(?P<y3>\d{{4}}|['’]\d{{2}})"
         rf"|\d{{1,2}}{_ORD}[\-/ ]{MONTH}[\-/ ](?P<y4>\d{{4}}|\d{{2}})"
         rf"|{MONTH}\s+(?:the\s+)?\d{{1,2}}{_ORD},?\s+(?P<y5>\d{{4}})"
         rf"|\d{{1,2}} \d{{1,2}} (?P<y6>(?:19|20)\d{{2}}))")
_PARTIAL = (rf"(?:\d{{1,2}}{_ORD}\s+(?:of\s+)?{MONTH}|{MONTH}\s+(?:the\s+)?\d{{1,2}}{_ORD}"
            rf"|{MONTH},?\s+\d{{4}}|\d{{8}}|(?:19|20)\d{{2}})")
_FULL_DATE = re.compile(rf"(?<![\w/.\-])(?:{_FULL})(?![\w/]|\.\d|-\d)", re.I)

_BIRTH = re.compile(
    rf"(?P<lead>\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|birthday|b['’]?day|born)"
    rf"(?:\s*(?:is|was|:|-|–|=))?\s*(?:on\s+|in\s+)?(?:the\s+)?)"
    rf"(?P<date>{_FULL}|{_PARTIAL})(?![\w/])",
    re.I,
)
# A past date after one of these words is about the case, not the child.
_EVENT = re.compile(
    r"\b(?:review|meeting|hearing|appointment|issued|sent|received|dated|letter|deadline|applied|"
    r"request(?:ed)?|assess(?:ed|ment)|tribunal|appeal(?:ed)?|exclu(?:ded|sion)|start(?:ed|s)?|since|"
    r"until|till|decision|refused|panel|draft|final(?:ised|ized)?|annual|diagnos(?:ed|is)|referr(?:ed|al)|"
    r"submitted|emailed|called|rang|phoned|wrote|visit(?:ed)?|moved|left|joined|signed|term|from|by)\b",
    re.I,
)
_LOOKBACK = 40


def _year(match: re.Match[str]) -> int:
    raw = next(g for g in (match.group(f"y{i}") for i in range(1, 7)) if g).lstrip("'’")
    if len(raw) == 2:
        short = int(raw)
        return 2000 + short if short <= date.today().year % 100 else 1900 + short
    return int(raw)


def _full_date(match: re.Match[str], text: str) -> str:
    if not 1930 <= _year(match) < date.today().year:
        return match.group(0)
    if _EVENT.search(text[max(0, match.start() - _LOOKBACK):match.start()]):
        return match.group(0)
    return DATE


def redact_dates(text: str) -> str:
    """Birth dates first (they may be partial), then full past dates not tied to an event."""
    text = _BIRTH.sub(lambda m: m.group("lead") + DOB, text)
    return _FULL_DATE.sub(lambda m: _full_date(m, text), text)
