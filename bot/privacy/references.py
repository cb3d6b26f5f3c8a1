"""Reference numbers and online identities: they point at one family as surely as a name does.

Why: families paste the EHCP case reference, the child's unique pupil number (UPN), a National Insurance
or DLA number, or their social-media handle so someone can "look them up". Officers reviewing the
question never need the number itself, only that one was given. Ordinary SEND talk has numbers too
("section 19", "Year 6", "SEND35a", "£6,000", "NHS 111"), so a bare number counts only when it is shaped
like a reference (letters and digits joined by / or -, a UPN, a NI number) or follows a word such as
"ref", "case number" or "UPN".
"""
from __future__ import annotations

import re

REFERENCE, HANDLE, LINK = "[reference]", "[handle]", "[link]"

# AB123456C: National Insurance numbers (also on DLA and PIP letters).
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)
# K936400123456 / A936 2001 44012: unique pupil numbers, a letter then 12 digits.
_UPN = re.compile(r"\b[A-Z]\s?\d{3}\s?\d{4}\s?\d{5}\b", re.I)
# EHC/12345, EHCP-2024-00781, 2025/EHC/0093, EH881/25/00317, SEND-APL-0092, TA-558201, CHB11223344.
_SHAPED = re.compile(
    r"(?<![\w/\-])(?:[A-Za-z]{1,6}\d{0,4}[/\-])+(?:[A-Za-z]{1,6}[/\-])*\d{3,}(?:[/\-]\d+)*(?![\w/\-])"
    r"|(?<![\w/\-])\d{4}[/\-][A-Za-z]{2,6}[/\-]\d{3,}(?![\w/\-])"
    r"|(?<![\w/\-])\d{3,}-\d{3,}(?:-\d+)+(?![\w/\-])"
    r"|\b[A-Z]{2,5}\d{6,}\b"
)
# After a word that says a reference follows, any token with at least 4 digits in it.
_SAID = re.compile(
    r"(?P<lead>\b(?:ref(?:erence)?|case|application|complaint|claim|mosaic|upn|pupil|badge|nino|"
    r"national\s+insurance|id|number|no\.?)\s*(?:number|no\.?|id|ref(?:erence)?)?\s*(?:is|was|:|-|=|#)?\s*)"
    r"(?P<ref>(?=[A-Za-z0-9/\- ]*?\d(?:[^\d\n]{0,2}\d){3})[A-Za-z]{0,6}[/\- ]?\d[\dA-Za-z/\-]*(?:\s\d{3,})*)",
    re.I,
)
_LITTLE_NUMBER_WORDS = re.compile(r"^\d{1,3}$")

# @jaydensmum_essex, u/tired_sen_dad, and links to a person's page or channel.
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]{2,}(?<!\.)|(?<![\w/])u/[A-Za-z0-9_\-]{3,}")
_SOCIAL_LINK = re.compile(
    r"\b(?:https?://)?(?:www\.)?(?:youtube|instagram|facebook|fb|tiktok|twitter|x|threads|snapchat|linkedin|"
    r"reddit)\.(?:com|net)/\S+", re.I)
# "my blog is autismandus.example.com": a site named as theirs.
_OWN_SITE = re.compile(
    r"(?P<lead>\b(?:blog|website|site|page|channel)\s*(?:is|:|-)?\s*)(?P<site>(?:https?://)?[\w\-]+(?:\.[\w\-]+)+\S*)",
    re.I)
# "snapchat: jackpem_07", "add me on facebook - Tash Mwangi": whatever names the account.
_ON_PLATFORM = re.compile(
    r"(?P<lead>\b(?:snapchat|snap|insta|instagram|facebook|fb|tiktok|twitter|threads|reddit|discord|"
    r"whatsapp)\s*(?::|-|–|is)\s*)(?P<who>[A-Za-z0-9_.]+(?:\s[A-Z][A-Za-z'\-]+)?)", re.I)


def _said(match: re.Match[str]) -> str:
    ref = match.group("ref").rstrip("-/ ")
    if sum(ch.isdigit() for ch in ref) < 4:
        return match.group(0)
    return match.group("lead") + REFERENCE + match.group("ref")[len(ref):]


def redact_references(text: str) -> str:
    """Reference numbers first (a UPN holds 12 digits a phone rule could half-take), then handles."""
    text = _SOCIAL_LINK.sub(LINK, text)
    text = _OWN_SITE.sub(lambda m: m.group("lead") + LINK, text)
    text = _ON_PLATFORM.sub(lambda m: m.group("lead") + HANDLE, text)
    text = _HANDLE.sub(HANDLE, text)
    text = _NINO.sub(REFERENCE, text)
    text = _UPN.sub(REFERENCE, text)
    text = _SHAPED.sub(REFERENCE, text)
    return _SAID.sub(_said, text)
