"""Remove personal data from a family's message before it is stored for officers to review.

Why: officers read stored messages to improve the Local Offer, and they need the SEND content ("Year 6",
"20 weeks", "section F", "ADHD") but never the child's name, the family's phone number or address.
Rules are deliberately simple so a reviewer can see why something was removed. When a rule is unsure it
leans towards keeping ordinary SEND words and removing likely personal data. Measured on a list of
messages written blind to these rules: see bench/redaction.md.

Order matters: values the conversation already holds go first, then emails (they contain names and
digits), dates, phone numbers, NHS numbers, postcodes, addresses, names and last schools named beside a
child, so each step sees the earlier placeholders, which no later pattern can match.
"""
from __future__ import annotations

import re
from typing import Iterable

from bot.privacy.dates import DATE, DOB, redact_dates
from bot.privacy.names import NEVER_NAMES, NOT_AFTER_NAME, is_any_first_name, is_first_name_on_sight, name_lists

NAME, PHONE, EMAIL, POSTCODE, NHS, ADDRESS, SCHOOL, REDACTED = (
    "[name]", "[phone]", "[email]", "[postcode]", "[nhs number]", "[address]", "[school]", "[redacted]")
__all__ = ["redact", "NAME", "PHONE", "EMAIL", "POSTCODE", "NHS", "DOB", "DATE", "ADDRESS", "SCHOOL"]

# ------------------------------------------------------------------------------------ contact details

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# "jo.smith at gmail dot com": typed to dodge spam filters, still an address.
_SPOKEN_EMAIL = re.compile(r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\sat\s)\s*[\w-]+(?:(?:\.|\s*(?:\(dot\)|\[dot\]|\sdot\s)\s*)"
                           r"(?:com|co|uk|org|net|gov|nhs|ac|sch)\b)+", re.I)

# +44 / 0044 / 0, then 9 or 10 more digits with spaces, dashes, dots or brackets between them.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)[1-9](?:[\s\-.)]{0,2}\d){8,9}(?![\d])"
)

# NHS numbers: 10 digits, usually 3-3-4. They never start with 0, which keeps phone numbers out.
_NHS = re.compile(r"(?<![\d\w])[1-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}(?![\d\w])")
# After "NHS number" any grouping of 10 digits is one.
_NHS_SAID = re.compile(r"(?P<lead>\bnhs\s*(?:number|no\.?|num|#)?\s*(?:is|:|-)?\s*)(?P<n>\d(?:[\s.\-]?\d){9})(?!\d)",
                       re.I)

# UK postcodes, any case, with or without the space. Inward letters never use C I K M O V.
_POSTCODE = re.compile(
    r"(?<![\w])(?P<out>[A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(?P<in>\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![\w])"
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.I)

# ------------------------------------------------------------------------------------------ addresses

# Street words that are rarely anything else: lower-case addresses ("12 high street") are caught too.
_STREET_SURE = r"street|st|road|rd|lane|ln|avenue|ave|crescent|cres|terrace|mews|gardens|gdns"
# Street words that are also ordinary words ("a 3 hour drive"): only caught when written with capitals.
_STREET_MAYBE = (r"Close|Drive|Way|Court|Place|Grove|Hill|Park|Square|Walk|Rise|Row|Green|Chase|View|"
                 r"Vale|Parade|Dr|Ct|Pl|Cl|Meadow|Meadows|Fields|Croft|Wood|End|Gate|Mead")
_FLAT = r"(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?"
_HOUSE = r"\b\d{1,4}[a-z]?,?\s+"
_ADDRESS_SURE = re.compile(
    rf"{_FLAT}{_HOUSE}(?P<words>(?:[A-Za-z][A-Za-z'’-]*\.?\s+){{1,3}})(?:{_STREET_SURE})\b\.?", re.I)
_ADDRESS_MAYBE = re.compile(
    rf"(?i:{_FLAT}){_HOUSE}(?P<words>(?:[A-Z][A-Za-z'’-]*\.?\s+){{1,3}})(?:{_STREET_MAYBE})\b\.?")
# "we live on Maple Drive": a street with no house number, after a word that says it is where they live.
_LIVE_ON = re.compile(
    rf"(?P<lead>\b(?:live|lives|living|moved|move|moving|house|home|address)\s+(?:is\s+)?(?:on|in|at|to)\s+)"
    rf"(?P<words>(?:[A-Z][A-Za-z'’-]*\.?\s+){{1,3}})(?:{_STREET_SURE}|{_STREET_MAYBE})\b\.?", re.I)
_FLAT_ALONE = re.compile(r"\b(?:flat|apartment|apt)\s*\d+[a-z]?\b", re.I)
_NOT_STREET_WORDS = {
    "week", "weeks", "day", "days", "month", "months", "year", "years", "hour", "hours", "minute",
    "minutes", "mile", "miles", "times", "on", "the", "a", "an", "of", "to", "in", "at", "from", "down", "up",
    "and", "or", "my", "our", "his", "her", "their", "this", "that", "is", "was", "by", "for", "with",
}

# ---------------------------------------------------------------------------------------------- names

_CAP_WORD = r"[A-ZÀ-Þ](?:[a-zß-ÿ]+|'[A-Z][a-zß-ÿ]+)(?:-[A-Z][a-zß-ÿ]+)?"
_ANY_WORD = r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ]*(?:['’-][A-Za-zÀ-ÿ]+)*"
_CHILD = (r"(?:little\s+|youngest\s+|eldest\s+|oldest\s+|middle\s+|twin\s+|foster\s+|step\s?|adopted\s+)?"
          r"(?:son|daughter|child|boy|girl|grandson|granddaughter|kid|nephew|niece|brother|sister|baby|"
          r"husband|wife|partner|ds|dd|stepson|stepdaughter)")
_APOS = r"['’]"

# Strong context: the next word is a name even when typed in lower case ("my son is called jack").
_STRONG_TRIGGERS = re.compile(
    rf"\b(?:(?:my|our|his|her|their)\s+{_CHILD}(?:{_APOS}s\s+name\s+is|\s+(?:is\s+)?(?:called|named))"
    rf"|(?:my|his|her|their|our)\s+name\s+is|(?:my|his|her|their)\s+name[:\-]"
    rf"|(?:he|she)(?:\s+is|{_APOS}s)\s+(?:called|named))\s+",
    re.I,
)
# Weak context: the next word is a name when it has a capital, or is a listed first name ("my son jack").
_WEAK_TRIGGERS = re.compile(
    rf"\b(?:(?:called|named)"
    rf"|(?:my|our|his|her|their|your)\s+{_CHILD},?"
    rf"|(?:mum|mam|mom|mummy|dad|daddy|mother|father|parent|carer|nan|nanny|grandma|grandad|grandparent)"
    rf"\s+(?:of|to)"
    rf"|(?:thanks|thank\s+you|regards|cheers|best\s+wishes|many\s+thanks|kind\s+regards),?)\s+",
    re.I,
)
# "I'm Sarah," counts; "I'm Worried about" does not: the word must be followed by a pause or "and" etc.
_INTRO = re.compile(
    rf"\b[Ii](?:{_APOS}m|\s+am)\s+(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    rf"(?=[ \t]*(?:[,.!;:()\-–\r\n]|$|\s(?:and|here|from|mum|mam|mom|dad|mother|father|nan|grandma|carer)\b))"
)
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)")
_WORD = re.compile(r"(?<![\w\['’-])[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*(?![\w\]])")
_SAINT_BEFORE = re.compile(r"(?:\bSt\.?|\bSaint|\bSaints|\bSS|\bMount|\bLady)\s*$")
# A name word that is also an ordinary word ("Grace", "Will") is a name when the words after it say so.
_NAME_WORD_AFTER = re.compile(
    rf"\s*(?:\(\s*(?:aged?\s*)?\d{{1,2}}\s*\)|,?\s*aged?\s+\d{{1,2}}\b|{_APOS}s\s+(?!been\b|got\b)"
    rf"|\s+(?:is|was)\s+(?:now\s+)?\d{{1,2}}(?!\s*(?:weeks?|days?|months?|hours?|minutes?|miles?|%|:|\.\d))\b"
    rf"|\s+(?:has|was|keeps|gets|got|needs|hates|loves|struggles|goes|attends|can't|cannot|won't|doesn't)\b)")


def _is_name(word: str, capital_needed: bool) -> bool:
    """Not an ordinary word; with weak context also capitalised (not an acronym), or a listed name."""
    low = word.lower()
    if low == "i" or low.startswith(("i'", "i’")):
        return False
    if low in NEVER_NAMES:
        # "my son Will": a name that is also a little word counts with a capital in the middle of a line
        return word[:1].isupper() and not word.isupper() and low in name_lists()[2]
    if capital_needed:
        return (word[:1].isupper() and not word.isupper()) or is_any_first_name(word) and (
            word.isupper() or low not in name_lists()[2])
    return True


def _surname_end(text: str, end: int) -> int:
    """Extend a first name over a following capitalised surname ("Jack Smith"), not "Jack Year"."""
    second = re.compile(rf"[ \t]+({_CAP_WORD})").match(text, end)
    if second and _is_name(second.group(1), capital_needed=True) and second.group(1).lower() not in NOT_AFTER_NAME:
        after = re.compile(r"\s+(\w+)").match(text, second.end())
        if not (after and after.group(1).lower() in NOT_AFTER_NAME):
            return second.end()
    return end


def _name_after(text: str, pos: int, strong: bool) -> int | None:
    """End of the one- or two-word name starting at `pos`, or None when the words there are not a name."""
    first = re.compile(_ANY_WORD).match(text, pos)
    if not first or not _is_name(first.group(0), capital_needed=not strong):
        return None
    if not strong and first.group(0).islower() and first.group(0) in NEVER_NAMES:
        return None
    return _surname_end(text, first.end())


def _is_place_or_condition(text: str, start: int, end: int) -> bool:
    """"St Mary's", "Harris Academy", "Lincoln Road", "Turner syndrome": names that are not people.
    "Jessica's school" is a person's."""
    if _SAINT_BEFORE.search(text[max(0, start - 8):start]):
        return True
    after = re.compile(r"\s+(\w+)").match(text, end)
    return bool(after and after.group(1).lower() in NOT_AFTER_NAME)


def _bare_name_spans(text: str) -> list[tuple[int, int, str]]:
    """Listed first names with no phrase before them ("Jack keeps getting excluded")."""
    _, _, name_words = name_lists()
    spans = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        first = word.split("-")[0]
        if is_first_name_on_sight(word) or is_first_name_on_sight(first):
            pass
        elif (first.lower() in name_words and first[:1].isupper() and not first.isupper()
              and (first.lower() not in NEVER_NAMES or first.lower() == "will")
            and _NAME_WORD_AFTER.match(text, match.end())):
            pass  # "Grace (7) has autism", "Will has ADHD": what follows says it is a name
        else:
            continue
        if _is_place_or_condition(text, match.start(), match.end()):
            continue
        end = _surname_end(text, match.end())
        spans.append((match.start(), end, text[match.start():end]))
    return spans


def _name_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the name itself) for each name found; a title such as "Mrs" is inside the span."""
    spans = []
    for trigger, strong in ((_STRONG_TRIGGERS, True), (_WEAK_TRIGGERS, False)):
        for match in trigger.finditer(text):
            end = _name_after(text, match.end(), strong)
            if end is not None:
                spans.append((match.end(), end, text[match.end():end]))
    for pattern in (_INTRO, _TITLED):
        for match in pattern.finditer(text):
            name = match.group("name")
            if all(_is_name(word, capital_needed=True) for word in name.split()):
                start = match.start() if pattern is _TITLED else match.start("name")
                spans.append((start, match.end("name"), name))
    return spans + _bare_name_spans(text)


def _redact_names(text: str) -> tuple[str, bool]:
    """Replace names found, then every other use of the same names; also say whether any was found."""
    names: set[str] = set()
    out, last = [], 0
    for start, end, name in sorted(set(_name_spans(text)), key=lambda s: (s[0], -s[1])):
        if start < last:
            continue
        names.update(word for word in re.split(r"[\s]+", name) if word.lower() not in
                     {"mr", "mrs", "ms", "miss", "mx", "dr", "mr.", "mrs.", "ms.", "dr."})
        out += [text[last:start], NAME]
        last = end
    text = "".join(out) + text[last:]
    for name in sorted(names, key=len, reverse=True):
        flags = 0 if name.lower() in NEVER_NAMES or name.lower() in name_lists()[2] else re.I
        text = re.sub(rf"(?<![\w\[]){re.escape(name)}(?![\w\]])", NAME, text, flags=flags)
    return text, bool(names)


# -------------------------------------------------------------------------------------------- schools

_SCHOOL_KIND = (r"(?:Primary|Infants?|Juniors?|Academy|School|College|Nursery|Pre-?school|High|Grammar|"
                r"Church\s+of\s+England|C\s+of\s+E|CofE|Catholic|RC|Free)")
_SCHOOL = re.compile(
    rf"(?:\b(?:St\.?|Saint)\s+)?(?<![\w\[])(?P<first>[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|&|and|of|the|on|the)){{0,4}}?"
    rf"\s+{_SCHOOL_KIND}(?:\s+{_SCHOOL_KIND}){{0,3}}\b")
_NOT_SCHOOL_START = NEVER_NAMES - {"castle", "forest", "chelmsford", "colchester", "basildon", "braintree",
                                   "brentwood", "harlow", "maldon", "rochford", "witham", "southend"} | {
    "special", "mainstream", "independent", "private", "current", "new", "old", "infant", "junior", "high"}


def _school(match: re.Match) -> str:
    """A named school, kept unless the message also names a child (then together they identify them)."""
    return match.group(0) if match.group("first").lower() in _NOT_SCHOOL_START else SCHOOL


# ------------------------------------------------------------------------------------ known slot values


def _known_pattern(value: str) -> re.Pattern | None:
    """A pattern for one value the conversation holds. A phone number matches however it is spaced and
    with +44 or 0 in front ("+447700900123" finds "07700 900 123"); words match in any case, except a
    name that is also a little word, which must have its capital."""
    value = value.strip()
    if len(value) < 2:
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6 and not re.search(r"[A-Za-z@]", value):
        national = re.sub(r"^(?:0044|44|0)", "", digits) if len(digits) > 9 else digits
        return re.compile(r"(?<!\d)(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)?"
                          + r"[\s\-.()]{0,2}".join(national) + r"(?!\d)")
    words = [re.escape(w) for w in value.split()]
    if value.lower() in NEVER_NAMES:
        # a name that is also a little word ("Will"): "will do" stays, "Will" and "WILL" go
        first = value[0].upper() + value[1:].lower()
        return re.compile(rf"(?<![\w\[])(?:{re.escape(first)}|{re.escape(value.upper())})(?![\w\]])")
    return re.compile(r"(?<![\w\[])" + r"\s+".join(words) + r"(?![\w\]])", re.I)


def _redact_known(text: str, known: Iterable[str]) -> str:
    for value in sorted((v for v in known if isinstance(v, str)), key=len, reverse=True):
        pattern = _known_pattern(value)
        if pattern is None:
            continue
        label = (EMAIL if "@" in value else NAME if re.fullmatch(r"[^\d@]+", value.strip())
                 else PHONE if not re.search(r"[A-Za-z]", value) else REDACTED)
        text = pattern.sub(label, text)
    return text


# ------------------------------------------------------------------------------------------- the steps


def _postcode(match: re.Match) -> str:
    """Keep "ks2 3rd"-style school talk: an ordinal inward part typed in lower case is not a postcode."""
    whole = match.group(0)
    if _ORDINAL.fullmatch(match.group("in")) and not whole.isupper():
        return whole
    return POSTCODE


def _address(match: re.Match) -> str:
    words = match.group("words").split()
    if any(w.lower().rstrip(".") in _NOT_STREET_WORDS for w in words):
        return match.group(0)
    return match.groupdict().get("lead", "") + ADDRESS if "lead" in match.groupdict() else ADDRESS


def redact(text: str, known: Iterable[str] = ()) -> str:
    """The message with personal data replaced by [name], [phone], [email], [postcode], [nhs number],
    [date of birth], [date], [address] and [school]; everything else is left exactly as written.

    `known` are values the conversation already holds (the callback first name, phone number, email):
    they are removed wherever they appear, whatever the rules below would have said."""
    text = _redact_known(text, known)
    text = _EMAIL.sub(EMAIL, text)
    text = _SPOKEN_EMAIL.sub(EMAIL, text)
    text = redact_dates(text)
    text = _NHS_SAID.sub(lambda m: m.group("lead") + NHS, text)
    text = _PHONE.sub(PHONE, text)
    text = _NHS.sub(NHS, text)
    text = _POSTCODE.sub(_postcode, text)
    text = _ADDRESS_SURE.sub(_address, text)
    text = _ADDRESS_MAYBE.sub(_address, text)
    text = _LIVE_ON.sub(_address, text)
    text, named = _redact_names(text)
    if named:
        text = _SCHOOL.sub(_school, text)
        text = _FLAT_ALONE.sub(ADDRESS, text)
    return text
