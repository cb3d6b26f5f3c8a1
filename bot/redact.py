"""Remove personal data from a family's message before it is stored for officers to review.

Why: officers read stored messages to improve the Local Offer, and they need the SEND content ("Year 6",
"20 weeks", "section F", "ADHD") but never the child's name, the family's phone number or address.
Rules are deliberately simple regular expressions so a reviewer can see why something was removed.
When a rule is unsure it leans towards keeping ordinary SEND words and removing likely personal data.

Order matters: emails go first (they contain names and digits), then dates of birth, phone numbers,
NHS numbers, postcodes, addresses and finally names, so each step sees the earlier placeholders, which
no later pattern can match.
"""
from __future__ import annotations

import re

NAME, PHONE, EMAIL, POSTCODE, NHS, DOB, ADDRESS = (
    "[name]", "[phone]", "[email]", "[postcode]", "[nhs number]", "[date of birth]", "[address]")

# ------------------------------------------------------------------------------------ contact details

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")

# +44 / 0044 / 0, then 9 or 10 more digits with single spaces, dashes or brackets between them.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)[1-9](?:[\s\-)]{0,2}\d){8,9}(?![\d])"
)

# NHS numbers: 10 digits, usually 3-3-4. They never start with 0, which keeps phone numbers out.
_NHS = re.compile(r"(?<![\d\w])[1-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}(?![\d\w])")

# UK postcodes, any case, with or without the space. Inward letters never use C I K M O V.
_POSTCODE = re.compile(
    r"(?<![\w])(?P<out>[A-Za-z]{1,2}\d[A-Za-z\d]?)\s*(?P<in>\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![\w])"
)
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)", re.I)

# ---------------------------------------------------------------------------------------- birth dates

_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
          r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
         rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
         rf"|{_MONTH}\s+\d{{4}})")
_DOB = re.compile(
    rf"(?P<lead>\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s?date|birthday|born)"
    rf"(?:\s*(?:is|was|:|-))?\s*(?:on\s+|in\s+)?(?:the\s+)?)(?P<date>{_DATE})(?!\w)",
    re.I,
)

# ------------------------------------------------------------------------------------------ addresses

# Street words that are rarely anything else: lower-case addresses ("12 high street") are caught too.
_STREET_SURE = r"street|st|road|rd|lane|ln|avenue|ave|crescent|cres|terrace|mews|gardens|gdns"
# Street words that are also ordinary words ("a 3 hour drive"): only caught when written with capitals.
_STREET_MAYBE = (r"Close|Drive|Way|Court|Place|Grove|Hill|Park|Square|Walk|Rise|Row|Green|Chase|View|"
                 r"Vale|Parade|Dr|Ct|Pl|Cl")
_FLAT = r"(?:(?:flat|apartment|apt|unit)\s*\d+[a-z]?,?\s+)?"
_HOUSE = r"\b\d{1,4}[a-z]?,?\s+"
_ADDRESS_SURE = re.compile(
    rf"{_FLAT}{_HOUSE}(?P<words>(?:[A-Za-z][A-Za-z'’-]*\.?\s+){{1,3}})(?:{_STREET_SURE})\b\.?", re.I)
_ADDRESS_MAYBE = re.compile(
    rf"(?i:{_FLAT}){_HOUSE}(?P<words>(?:[A-Z][A-Za-z'’-]*\.?\s+){{1,3}})(?:{_STREET_MAYBE})\b\.?")
_NOT_STREET_WORDS = {
    "week", "weeks", "day", "days", "month", "months", "year", "years", "hour", "hours", "minute",
    "minutes", "mile", "miles", "times", "on", "the", "a", "an", "of", "to", "in", "at", "from", "down", "up",
    "and", "or", "my", "our", "his", "her", "their", "this", "that", "is", "was", "by", "for", "with",
}

# ---------------------------------------------------------------------------------------------- names

# Words that follow "called", "I'm", "my son" and so on but are not names. Checked lower-cased.
_NOT_NAMES = {
    # little words
    "a", "an", "the", "and", "or", "but", "so", "to", "in", "on", "at", "of", "off", "for", "by", "with",
    "up", "out", "back", "into", "about", "over", "round", "around", "again", "me", "him", "her", "them",
    "us", "it", "this", "that", "these", "those", "there", "here", "now", "then", "not", "no", "yes",
    "very", "really", "just", "also", "still", "only", "always", "never", "too", "quite", "all", "both",
    "is", "was", "has", "had", "have", "will", "would", "can", "could", "should", "did", "does", "being",
    "i", "my", "our", "your", "his", "their", "he", "she", "they", "we", "you", "who", "what", "which",
    "after", "before", "when", "while", "because", "if", "as", "than", "like", "every", "each", "some",
    # what a parent might be, or feel, after "I'm"
    "worried", "concerned", "desperate", "confused", "lost", "stuck", "tired", "exhausted", "sorry",
    "sure", "unsure", "scared", "afraid", "anxious", "upset", "angry", "cross", "frustrated", "fed",
    "happy", "unhappy", "glad", "pleased", "grateful", "thankful", "struggling", "trying", "looking",
    "asking", "wondering", "writing", "waiting", "hoping", "getting", "going", "having", "finding",
    "new", "alone", "single", "autistic", "disabled", "deaf", "blind", "dyslexic", "british", "english",
    "mum", "mom", "dad", "mother", "father", "parent", "carer", "nan", "grandma", "grandad", "grandparent",
    "guardian", "foster", "teacher", "senco", "worker", "nurse", "doctor",
    # what else gets "called" or "named"
    "names", "stupid", "lazy", "naughty", "weird", "rude", "thick", "slow", "bad", "school", "council",
    "social", "services", "care", "team", "police", "ambulance", "office", "helpline", "childline",
    "section", "year", "reception", "nursery", "plan", "meeting", "review", "tribunal", "appeal",
    "mediation", "essex", "sendiass", "ipsea", "send", "nhs", "camhs", "gp", "hospital", "academy",
    "primary", "secondary", "college", "sixth", "form", "local", "offer", "county", "borough", "city",
    "ehcp", "ehc", "sen", "adhd", "autism", "asd", "asc", "salt", "ot", "ep", "la", "lea",
    # days and months
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tomorrow", "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december",
    # Essex districts and big towns
    "basildon", "braintree", "brentwood", "castle", "chelmsford", "colchester", "epping", "forest",
    "harlow", "maldon", "rochford", "tendring", "uttlesford", "southend", "thurrock", "clacton",
    "witham", "billericay", "wickford", "canvey", "loughton", "saffron", "walden", "halstead",
    "london", "england",
}

_CAP_WORD = r"[A-ZÀ-Þ](?:[a-zß-ÿ]+|'[A-Z][a-zß-ÿ]+)(?:-[A-Z][a-zß-ÿ]+)?"
_ANY_WORD = r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ]*(?:['’-][A-Za-zÀ-ÿ]+)*"
_CHILD = (r"(?:little\s+|youngest\s+|eldest\s+|oldest\s+|middle\s+|twin\s+|foster\s+|step\s?|adopted\s+)?"
          r"(?:son|daughter|child|boy|girl|grandson|granddaughter|kid|nephew|niece|brother|sister|baby|"
          r"husband|wife|partner)")
_APOS = r"['’]"

# Strong context: the next word is a name even when typed in lower case ("my son is called jack").
_STRONG_TRIGGERS = re.compile(
    rf"\b(?:(?:my|our|his|her|their)\s+{_CHILD}(?:{_APOS}s\s+name\s+is|\s+(?:is\s+)?(?:called|named))"
    rf"|(?:my|his|her|their|our)\s+name\s+is"
    rf"|(?:he|she)(?:\s+is|{_APOS}s)\s+(?:called|named))\s+",
    re.I,
)
# Weak context: the next word is a name only when it has a capital and is not a known ordinary word.
_WEAK_TRIGGERS = re.compile(
    rf"\b(?:(?:called|named)"
    rf"|(?:my|our)\s+{_CHILD},?"
    rf"|(?:mum|mam|mom|mummy|dad|daddy|mother|father|parent|carer|nan|nanny|grandma|grandad|grandparent)"
    rf"\s+(?:of|to))\s+",
    re.I,
)
# "I'm Sarah," counts; "I'm Worried about" does not: the word must be followed by a pause or "and" etc.
_INTRO = re.compile(
    rf"\b[Ii](?:{_APOS}m|\s+am)\s+(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)"
    rf"(?=[ \t]*(?:[,.!;:()\-–\r\n]|$|\s(?:and|here|from|mum|mam|mom|dad|mother|father|nan|grandma|carer)\b))"
)
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD})?)")


def _is_name(word: str, capital_needed: bool) -> bool:
    """Not an ordinary word; with weak context also capitalised and not an acronym (EHCP, SENCO)."""
    if word.lower() in _NOT_NAMES:
        return False
    if capital_needed:
        return word[0].isupper() and not word.isupper()
    return True


def _name_after(text: str, pos: int, strong: bool) -> int | None:
    """End of the one- or two-word name starting at `pos`, or None when the words there are not a name."""
    first = re.compile(_ANY_WORD if strong else _CAP_WORD).match(text, pos)
    if not first or not _is_name(first.group(0), capital_needed=not strong):
        return None
    end = first.end()
    second = re.compile(rf"\s+({_CAP_WORD})").match(text, end)
    if second and _is_name(second.group(1), capital_needed=True):
        end = second.end()
    return end


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
    return spans


def _redact_names(text: str) -> str:
    """Replace names found after a trigger, then every other capitalised use of the same names."""
    names: set[str] = set()
    out, last = [], 0
    for start, end, name in sorted(set(_name_spans(text))):
        if start < last:
            continue
        if name[0].isupper():
            names.add(name)
            names.update(name.split())
        out += [text[last:start], NAME]
        last = end
    text = "".join(out) + text[last:]
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<![\w\[]){re.escape(name)}(?![\w\]])", NAME, text)
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
    return ADDRESS


def redact(text: str) -> str:
    """The message with personal data replaced by [name], [phone], [email], [postcode], [nhs number],
    [date of birth] and [address]; everything else is left exactly as written."""
    text = _EMAIL.sub(EMAIL, text)
    text = _DOB.sub(lambda m: m.group("lead") + DOB, text)
    text = _PHONE.sub(PHONE, text)
    text = _NHS.sub(NHS, text)
    text = _POSTCODE.sub(_postcode, text)
    text = _ADDRESS_SURE.sub(_address, text)
    text = _ADDRESS_MAYBE.sub(_address, text)
    return _redact_names(text)
