"""Hand a family to a person: in opening hours the helpline's contact and a reference; out of hours a
callback request, stored with a redacted transcript. A request that cannot be stored is never reported
as saved: the caller is told, so the family can be given the phone number instead.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from bot.constants import is_email
from bot.db.queries.handoff import record_handoff_request
from bot.db.session import session_scope
from bot.helpline.contacts import get_helpline
from bot.helpline.opening_hours import describe_next_opening, is_open, next_opening
from bot.privacy.redact import redact

REASONS = ("asked", "fallbacks", "not_helped", "safeguarding")
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone
_PHONE = re.compile(r"^(?:\+44\s?|0)(?:\d\s?){9,10}$")


class HandoffNotSaved(Exception):
    """The request could not be stored; the family must be told and given the phone number."""


@dataclass(frozen=True)
class HandoffStart:
    in_hours: bool
    phone: str
    reference: str | None  # given in hours, once the request is stored
    next_opening: str  # e.g. "Monday 28 December at 9am", for out-of-hours replies


def new_reference() -> str:
    return "LO-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def format_transcript(turns: Iterable[tuple[str, str]], known: Iterable[str] = ()) -> str:
    """'Family: ...' / 'Assistant: ...' lines with personal data removed from what the family wrote.

    `known` are values the conversation holds (a callback's first name and phone or email): they are removed
    from the transcript wherever the family typed them, even where the general rules would not spot them."""
    known = tuple(k for k in known if k)
    lines = []
    for speaker, text in turns:
        if not text:
            continue
        lines.append(f"Family: {redact(text, known)}" if speaker == "user" else f"Assistant: {text}")
    return "\n".join(lines)[-20000:]


def clean_contact(text: str) -> str | None:
    """A phone number or an email address the helpline can use, or None."""
    value = (text or "").strip()
    if is_email(value):
        return value
    digits = re.sub(r"[\s\-()]", "", value)
    if _PHONE.match(digits):
        return digits
    return None


def clean_first_name(text: str) -> str | None:
    """'my name is sam' -> 'Sam'; anything that is not a plausible first name -> None (ask again)."""
    value = re.sub(r"\s+", " ", (text or "").strip())
    value = re.sub(r"^(?:my name is|i'?m|i am|it'?s|call me)\s+", "", value, flags=re.IGNORECASE)
    first = value.split(" ")[0] if value else ""
    if 1 <= len(first) <= 40 and re.fullmatch(r"[A-Za-zÀ-ÿ'\-]+", first):
        return first[:1].upper() + first[1:]
    return None


def next_opening_text(now: datetime | None = None) -> str:
    """When the SEND team next opens, in words ('Tuesday 29 December at 9am')."""
    helpline = get_helpline()
    opening = next_opening(now or datetime.now(timezone.utc), helpline.opening_hours, set(helpline.bank_holidays))
    return describe_next_opening(opening)


@dataclass(frozen=True)
class FamilyArea:
    """Where the family lives, as far as the conversation says: the place they named ('Colchester', 'Mid
    Essex', 'Thurrock') and the Essex quadrant whose SEND Operations team should call back (None outside Essex
    County Council or when unknown). Kept on the request so the queue can be routed without the transcript."""

    place: str | None = None
    quadrant: str | None = None

    def fields(self) -> dict[str, str | None]:
        return {"area": self.place[:80] if self.place else None,
                "quadrant": self.quadrant[:20] if self.quadrant else None}


def start_handoff(conversation_id: str, reason: str, topic: str | None, turns: Iterable[tuple[str, str]],
                  quadrant: str | None = None, now: datetime | None = None,
                  area: FamilyArea | None = None) -> HandoffStart:
    """In hours, store a contact record and return its reference; out of hours, say when the team opens."""
    helpline = get_helpline()
    now = now or datetime.now(timezone.utc)
    phone = helpline.phone_for(quadrant)
    if not is_open(now, helpline.opening_hours, set(helpline.bank_holidays)):
        return HandoffStart(False, phone, None, next_opening_text(now))
    reference = _store(conversation_id, reason, topic, "contact", turns, **(area or FamilyArea()).fields())
    return HandoffStart(True, phone, reference, "")


def save_callback(conversation_id: str, reason: str, topic: str | None, first_name: str, contact: str,
                  consent_text: str, turns: Iterable[tuple[str, str]], area: FamilyArea | None = None) -> str:
    """Store an out-of-hours callback request; returns its reference or raises HandoffNotSaved."""
    return _store(conversation_id, reason, topic, "callback", turns, first_name=first_name, contact=contact,
                  consent=True, consent_text=consent_text, **(area or FamilyArea()).fields())


def _store(conversation_id: str, reason: str, topic: str | None, kind: str, turns: Iterable[tuple[str, str]],
           **details: Any) -> str:
    if reason not in REASONS:
        reason = "asked"
    reference = new_reference()
    try:
        with session_scope() as session:
            record_handoff_request(
                session, reference=reference, conversation_id=conversation_id[:255], reason=reason, topic=topic,
                kind=kind, transcript_redacted=format_transcript(
                    turns, (str(details.get("first_name") or ""), str(details.get("contact") or ""))), **details,
            )
    except Exception as error:
        raise HandoffNotSaved(str(error)) from error
    return reference


# Queue kinds for the two safeguarding tiers (bot.safeguarding.tiers): staff see and count them apart.
FLAG_KINDS = {"immediate": "flag", "concern": "concern"}


def flag_conversation(conversation_id: str, tier: str, flag_reason: str, topic: str | None,
                      turns: Iterable[tuple[str, str]], area: FamilyArea | None = None) -> str:
    """Put a conversation in the helpline queue whatever the time, as an immediate risk or a possible concern,
    with the tier's reason (a pattern group or the classifier's score) for triage."""
    return _store(conversation_id, "safeguarding", topic, FLAG_KINDS.get(tier, "flag"), turns,
                  flag_reason=flag_reason[:80], **(area or FamilyArea()).fields())
