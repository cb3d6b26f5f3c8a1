"""The helpline's handoff and callback queue: statuses and the two moves a worker makes.

Why separate from the views: the rules (who may take a request that a colleague already has, what "done"
records) are small but easy to get wrong, and they are tested here without a web request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import models as m
from bot.helpline.contacts import get_helpline

STATUSES = {"new": "New", "in_progress": "In progress", "done": "Done"}
KINDS = {"flag": "Immediate risk", "concern": "Possible concern", "contact": "Contact in hours", "callback": "Callback"}
# What staff deal with first: immediate risk, then families waiting for a person, then possible concerns
# (reviewed when there is time: the family has had its answer and one line of routes).
_PRIORITY = {"flag": 0, "contact": 1, "callback": 1, "concern": 2}
PREVIEW_LENGTH = 140


class QueueError(ValueError):
    """The move is not possible now (for example, the request is already done); the message says why."""


@dataclass(frozen=True)
class Change:
    """What a move changed, for the audit log."""

    action: str
    before: dict[str, str | None]
    after: dict[str, str | None]


def priority(request: m.HandoffRequest) -> tuple[int, int, float]:
    """Sort key: open before done; within open, immediate risk first and possible concerns last; newest first."""
    done = 1 if request.status == "done" else 0
    created = request.created_at.timestamp() if request.created_at else 0.0
    return done, _PRIORITY.get(request.kind, 1), -created


def preview(request: m.HandoffRequest) -> str:
    """The family's latest words before the request (already redacted when stored), short enough for a row.

    Words they typed, not a button they clicked: "[clicked: Yes]" tells a worker nothing about what the family
    needs, so a click is shown only when the family typed nothing at all."""
    lines = [line[len("Family: "):].strip() for line in (request.transcript_redacted or "").splitlines()
             if line.startswith("Family: ")]
    typed = [line for line in lines if line and not line.startswith("[clicked")]
    text = (typed or lines or [""])[-1]
    return text if len(text) <= PREVIEW_LENGTH else text[:PREVIEW_LENGTH - 1].rstrip() + "…"


def flag_reason_label(reason: str | None) -> str:
    """A safeguarding tier's reason in words: a pattern group ('suicide_self_harm' -> 'Suicide self harm'),
    or the classifier's lean with its score."""
    if not reason:
        return ""
    if reason.startswith("classifier"):
        score = reason[len("classifier"):].strip()
        return f"The assistant's model leaned towards safeguarding ({score})" if score else \
            "The assistant's model leaned towards safeguarding"
    return reason.replace("_", " ").capitalize()


def teams() -> dict[str, str]:
    """Quadrant code -> its SEND Operations team's area ('north_east' -> 'North East Essex'), for routing."""
    helpline = get_helpline()
    return {code: helpline.quadrant_name(code) for code in helpline.quadrant_phones}


def area_label(request: m.HandoffRequest) -> str:
    """Where the family lives, for routing: 'Colchester (North East Essex)', 'Mid Essex', 'Thurrock', or ''
    when the conversation never said."""
    team = teams().get(request.quadrant or "", "") if request.quadrant else ""
    place = request.area or ""
    if place and team and place != team:
        return f"{place} ({team})"
    return place or team


def status_label(status: str | None) -> str:
    return STATUSES.get(status or "new", status or "New")


def take(request: m.HandoffRequest, by: str, now: datetime) -> Change:
    """A worker takes a request. Taking one a colleague has moves it to you (they may be off sick);
    the audit row keeps who had it before."""
    if request.status == "done":
        raise QueueError(f"{request.reference} is already done.")
    if request.status == "in_progress" and request.taken_by == by:
        raise QueueError(f"You have already taken {request.reference}.")
    before = {"status": request.status, "taken_by": request.taken_by}
    request.status, request.taken_by, request.taken_at, request.updated_at = "in_progress", by, now, now
    return Change("handoff_taken", before, {"status": request.status, "taken_by": by})


def finish(request: m.HandoffRequest, by: str, now: datetime) -> Change:
    """Mark a request done; if nobody had taken it, the person finishing it is recorded as taking it."""
    if request.status == "done":
        raise QueueError(f"{request.reference} is already done.")
    before = {"status": request.status, "taken_by": request.taken_by}
    if not request.taken_by:
        request.taken_by, request.taken_at = by, now
    request.status, request.done_at, request.updated_at = "done", now, now
    return Change("handoff_done", before, {"status": "done", "taken_by": request.taken_by, "done_by": by})
