"""Remove personal data from a family's message before it is stored for officers to review.

Why: officers read stored messages to improve the Local Offer, and they need the SEND content ("Year 6",
"20 weeks", "section F", "ADHD") but never the child's name, the family's phone number or address.
Rules are deliberately simple so a reviewer can see why something was removed. When a rule is unsure it
leans towards keeping ordinary SEND words and removing likely personal data. Measured on a list of
messages written blind to these rules: see bench/redaction.md.

Order matters: values the conversation already holds go first, then emails (they contain names and
digits), dates, NHS and phone numbers, references and handles (bot/privacy/references.py), postcodes,
addresses, names (bot/privacy/names.py), and last schools, which are removed only when the message also
holds other personal data (a school beside a child's name identifies the child). Each step sees the
earlier placeholders, which no later pattern can match.
"""
from __future__ import annotations

import re
from typing import Iterable

from bot.constants import EMAIL_IN_TEXT as _EMAIL
from bot.privacy.dates import DATE, DOB, redact_dates
from bot.privacy.names import (
    NEVER_NAMES,
    NOT_AFTER_NAME,
    could_be_name,
    is_any_first_name,
    is_first_name_on_sight,
    name_lists,
)
from bot.privacy.references import HANDLE, LINK, REFERENCE, redact_references

NAME, PHONE, EMAIL, POSTCODE, NHS, ADDRESS, SCHOOL, REDACTED = (
    "[name]", "[phone]", "[email]", "[postcode]", "[nhs number]", "[address]", "[school]", "[redacted]")
__all__ = ["redact", "NAME", "PHONE", "EMAIL", "POSTCODE", "NHS", "DOB", "DATE", "ADDRESS", "SCHOOL",
           "REFERENCE", "HANDLE", "LINK"]

# ------------------------------------------------------------------------------------ contact details

# "jo.smith at gmail dot com": typed to dodge spam filters, still an address.
_SPOKEN_EMAIL = re.compile(r"\b[\w.+-]+\s*(?:\(at\)|\[at\]|\sat\s)\s*[\w-]+(?:(?:\.|\s*(?:\(dot\)|\[dot\]|\sdot\s)\s*)"
                           r"(?:com|co|uk|org|net|gov|nhs|ac|sch)\b)+", re.I)

# +44 / 0044 / 0, then 9 or 10 more digits with spaces, dashes, dots or brackets between them.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[\s\-.]?44[\s\-.]?(?:\(0\)[\s\-.]?)?|\(?0\)?[\s\-.]?)[1-9](?:[\s\-.)]{0,2}\d){8,9}(?![\d])"
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
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th", re.I)

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
_FLAT_ALONE = re.compile(r"\b(?:flat|apartment|apt|unit)\s*(?:\d+[a-z]?\b|\[address\])", re.I)
# "Tollhouse Lane": a capitalised street with no house number; only the unmistakable street words.
_STREET_NAMED = re.compile(r"(?<![\w\[])(?:[A-Z][a-z'’]+\s+){1,2}(?:Street|Road|Lane|Avenue|Crescent|Terrace|Mews|"
                           r"Gardens|Close|Drive|Grove|Way|Walk|Rise|Row|Wharf|Quay|Parade)\b")
# In a message that gives an address: "8 the Paddocks", "5 Quayside", "Marigold House", "Mill Cottage".
_ADDRESS_SAID = re.compile(r"\b(?:address|live|living|lives|flat|apartment|house\s+name|postcode)\b|\[postcode\]",
                           re.I)
_HOUSE_NAMED = re.compile(
    r"(?<![\w\[])(?:\d{1,4}[a-z]?,?\s+(?:[Tt]he\s+)?(?:[A-Z][a-z'’]+\s*){1,2}(?=[,.\n]|\s*\[|\s+and\b|$)"
    r"|(?:[A-Z][a-z'’]+\s+){1,2}(?:House|Cottage|Farm|Lodge|Barn|Court|Place|Mill|Villa|Bungalow|Hall|Wharf|"
    r"Quay|Grange|Manor|Heights|Point|Tower|Mansions|Buildings))")
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
    rf"\b(?:[Ii](?:{_APOS}m|\s+am|m)|[Tt]his\s+is|[Ii]t(?:{_APOS}s|\s+is)|[Nn]ame(?:\s*:)?)\s+"
    rf"(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    rf"(?=[ \t]*(?:[,.!;:()\-–\r\n]|$|\s(?:and|here|from|mum|mam|mom|dad|mother|father|nan|grandma|carer)\b))"
)
# After a title the next word is a surname even in lower case or when it is a place ("Mrs Tilbury").
_TITLED = re.compile(
    rf"\b(?:(?i:mr|mrs|ms|mx|dr|prof|professor|sir|dame)|Miss)\.?(?:\s*(?:&|and)\s*(?i:mrs|mr)\.?)?\s+"
    rf"(?P<name>(?:O{_APOS}|(?i:o){_APOS}|Mc|Mac)?{_ANY_WORD}(?:\s+{_CAP_WORD})?)")
_AFTER_TITLE_NOT_NAMES = {"the", "a", "an", "and", "or", "to", "of", "in", "on", "at", "is", "was", "said", "says",
                          "from", "who", "has", "had", "head", "senco", "teacher", "ta"}
_WORD = re.compile(r"(?<![\w\['’-])[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*(?![\w\]])")
_SAINT_BEFORE = re.compile(r"(?:\bSt\.?|\bSaint|\bSaints|\bSS|\bMount|\bLady)\s*$")
# A name word that is also an ordinary word ("Grace", "Will") is a name when the words after it say so.
_NAME_WORD_AFTER = re.compile(
    rf"\s*(?:\(\s*(?:aged?\s*)?\d{{1,2}}\s*\)|,?\s*aged?\s+\d{{1,2}}\b|{_APOS}s\s+(?!been\b|got\b)"
    rf"|\s+(?:is|was)\s+(?:now\s+)?\d{{1,2}}(?!\s*(?:weeks?|days?|months?|hours?|minutes?|miles?|%|:|\.\d))\b"
    rf"|\s+(?:has|was|keeps|gets|got|needs|hates|loves|struggles|goes|attends|can't|cannot|won't|doesn't)\b)")


_SENTENCE_START = re.compile(r"(?:^|[.!?\n]\s*|\b(?:and|but|so|hi|hello)\s+)$", re.I)
_FOR_NAME = re.compile(r"\b(?:for|with|and|to|about|from|love)\s+$", re.I)


def _name_word_in_context(text: str, start: int, end: int) -> bool:
    """A name that is also a word counts when what is around it says it names someone: an age or a verb
    about a child after it ("Grace (7)", "Will has ADHD"; in lower case only at the start of a sentence,
    "max at fairwater infants"), or closing a phrase after "for" ("a place for Ivy, is there...")."""
    after = _NAME_WORD_AFTER.match(text, end) or re.match(r"\s+at\s+\w", text[end:])
    if text[start:end].islower():
        return bool(after and _SENTENCE_START.search(text[max(0, start - 8):start]))
    if _NAME_WORD_AFTER.match(text, end):
        return True
    return bool(_FOR_NAME.search(text[max(0, start - 8):start]) and re.match(r"\s*(?:[,.!?]|$)", text[end:]))


def _is_name(word: str, capital_needed: bool) -> bool:
    """Not an ordinary word; with weak context also capitalised (not an acronym), or a listed name."""
    low = word.lower()
    if low == "i" or low.startswith(("i'", "i’")):
        return False
    if low in NEVER_NAMES:
        # "my son Will": a name that is also a little word counts with a capital in the middle of a line
        return word[:1].isupper() and not word.isupper() and low in name_lists()[2]
    if capital_needed:
        return (word[:1].isupper() and not word.isupper()) or is_any_first_name(word)
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
    word = first.group(0)
    if not strong and word.islower() and (word in NEVER_NAMES or not could_be_name(word) or (
            word in name_lists()[2] and not _NAME_WORD_AFTER.match(text, first.end()))):
        return None  # "my son will...", "my son is..."; but "my daughter grace is 4" names her
    return _surname_end(text, first.end())


def _is_place_or_condition(text: str, start: int, end: int) -> bool:
    """"St Mary's", "Harris Academy", "Lincoln Road", "Turner syndrome": names that are not people.
    "Jessica's school" is a person's."""
    if _SAINT_BEFORE.search(text[max(0, start - 8):start]):
        return True
    after = re.compile(r"\s+(\w+)").match(text, end)
    return bool(after and after.group(1).lower() in NOT_AFTER_NAME)


def _bare_name_spans(text: str) -> list[tuple[int, int, str]]:
    """Listed first names with no phrase before them ("Jack keeps getting excluded"), and names that are
    also words where the words around them say they name someone ("Grace (7)", "max at fairwater")."""
    spans = []
    for match in _WORD.finditer(text):
        first = match.group(0).split("-")[0]
        if is_first_name_on_sight(match.group(0)) or is_first_name_on_sight(first):
            pass
        elif not (could_be_name(first) and not first.isupper()
                  and (first.lower() not in NEVER_NAMES or first == "Will")
                  and _name_word_in_context(text, match.start(), match.start() + len(first))):
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
    for match in _INTRO.finditer(text):
        name = match.group("name")
        if all(_is_name(word, capital_needed=True) for word in name.split()):
            spans.append((match.start("name"), match.end("name"), name))
    for match in _TITLED.finditer(text):
        words = match.group("name").split()
        if words[0].lower() in _AFTER_TITLE_NOT_NAMES:
            continue
        if len(words) > 1 and not _is_name(words[1], capital_needed=True):
            words = words[:1]
        end = match.start("name") + len(" ".join(words)) if len(words) == 1 else match.end("name")
        spans.append((match.start(), end, text[match.start("name"):end]))
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

_SCHOOL_KIND = (r"(?:Primary|Infants?|Juniors?|Academy|School|College|Nursery|Pre-?school|High|Grammar|Middle|"
                r"PRU|Special|Church\s+of\s+England|C\s+of\s+E|CofE|Catholic|RC|Free|Community|Junior)")
_SCHOOL = re.compile(
    rf"(?:\b(?:St\.?|Saint)\s+)?(?<![\w\[])(?P<first>[A-Z][\w'’-]*)(?:\s+(?:[A-Z][\w'’-]*|&|and|of|the|on|the)){{0,4}}?"
    rf"\s+{_SCHOOL_KIND}(?:\s+{_SCHOOL_KIND}){{0,3}}\b")
_ORDINARY_SCHOOL_WORDS = {
    "secondary", "special", "mainstream", "local", "new", "old", "current", "previous", "first", "next", "other",
    "same", "different", "a", "his", "her", "their", "our", "my", "the", "to", "at", "from", "in", "junior",
    "infant", "senior", "sixth", "form", "state", "private", "independent", "free", "faith", "catholic",
    "grammar", "village", "small", "big", "nearest", "closest", "nearby", "good", "this", "that", "any",
    "another", "which", "what", "whose", "specialist", "autism", "send", "sen", "further", "high", "middle",
    "primary", "academy", "pru", "college", "nursery", "school", "church", "community", "and", "or", "not",
}
_NOT_SCHOOL_START = NEVER_NAMES - {"castle", "forest", "chelmsford", "colchester", "basildon", "braintree",
                                   "brentwood", "harlow", "maldon", "rochford", "witham", "southend"} | {
    "special", "mainstream", "independent", "private", "current", "new", "old", "infant", "junior", "high"}


# "st marys", "kingsmead high", "burnside pru": typed in lower case.
_SCHOOL_LOWER = re.compile(
    r"(?<![\w\[])(?:(?:st\.?|saint)\s+[a-z]+(?:['’]?s)?(?:\s+(?:c\s+of\s+e|cofe|catholic|rc|church|primary|"
    r"infants?|juniors?|academy|school|high|college|nursery))*"
    r"|(?P<first>[a-z]+)(?:\s+(?:c\s+of\s+e|cofe|catholic|rc|church|community|special))*\s+"
    r"(?:primary|infants|juniors|academy|high|pru|middle|college|nursery)(?:\s+school|\s+academy)?)\b", re.I)
_PLACEHOLDER = re.compile(r"\[(?:name|phone|email|postcode|nhs number|date of birth|date|address|reference|handle|"
                          r"link)\]")


def _school(match: re.Match[str]) -> str:
    """A named school; the caller only asks when the message holds other personal data."""
    first = match.group("first")
    return match.group(0) if first and first.lower() in _NOT_SCHOOL_START | _ORDINARY_SCHOOL_WORDS else SCHOOL


# ------------------------------------------------------------------------------------ known slot values


def _known_pattern(value: str) -> re.Pattern[str] | None:
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


def _postcode(match: re.Match[str]) -> str:
    """Keep "ks2 3rd"-style school talk: an ordinal inward part typed in lower case is not a postcode."""
    whole = match.group(0)
    if _ORDINAL.fullmatch(match.group("in")) and not whole.isupper():
        return whole
    return POSTCODE


def _house(match: re.Match[str]) -> str:
    words = re.findall(r"[A-Za-z]+", match.group(0))
    if any(w.lower() in NEVER_NAMES and w.lower() not in {"the"} for w in words):
        return match.group(0)
    return ADDRESS


def _street(match: re.Match[str]) -> str:
    """"Tollhouse Lane" goes; "the London Road clinic" stays: a street named after a place is a landmark."""
    first = match.group(0).split()[0].lower()
    return match.group(0) if first in NEVER_NAMES else ADDRESS


def _address(match: re.Match[str]) -> str:
    words = match.group("words").split()
    if any(w.lower().rstrip(".") in _NOT_STREET_WORDS for w in words):
        return match.group(0)
    return match.groupdict().get("lead", "") + ADDRESS if "lead" in match.groupdict() else ADDRESS


def redact(text: str, known: Iterable[str] = ()) -> str:
    """The message with personal data replaced by [name], [phone], [email], [postcode], [nhs number],
    [date of birth], [date], [address], [school], [reference], [handle] and [link]; everything else is
    left exactly as written.

    `known` are values the conversation already holds (the callback first name, phone number, email):
    they are removed wherever they appear, whatever the rules below would have said."""
    text = _redact_known(text, known)
    text = _EMAIL.sub(EMAIL, text)
    text = _SPOKEN_EMAIL.sub(EMAIL, text)
    text = redact_dates(text)
    text = _NHS_SAID.sub(lambda m: m.group("lead") + NHS, text)
    text = _PHONE.sub(PHONE, text)
    text = _NHS.sub(NHS, text)
    text = redact_references(text)
    text = _POSTCODE.sub(_postcode, text)
    text = _ADDRESS_SURE.sub(_address, text)
    text = _ADDRESS_MAYBE.sub(_address, text)
    text = _LIVE_ON.sub(_address, text)
    text = _FLAT_ALONE.sub(ADDRESS, text)
    if _ADDRESS_SAID.search(text):
        text = _HOUSE_NAMED.sub(_house, text)
    text = _STREET_NAMED.sub(_street, text)
    text, _ = _redact_names(text)
    if _PLACEHOLDER.search(text):
        text = _SCHOOL.sub(_school, text)
        text = _SCHOOL_LOWER.sub(_school, text)
    return text
