"""The helpline's handoff and callback queue: statuses and the two moves a worker makes.

Why separate from the views: the rules (who may take a request that a colleague already has, what "done"
records) are small but easy to get wrong, and they are tested here without a web request.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.db import models as m

STATUSES = {"new": "New", "in_progress": "In progress", "done": "Done"}
KINDS = {"contact": "Contact in hours", "callback": "Callback", "flag": "Flagged for safeguarding"}


class QueueError(ValueError):
    """The move is not possible now (for example, the request is already done); the message says why."""


@dataclass(frozen=True)
class Change:
    """What a move changed, for the audit log."""

    action: str
    before: dict[str, str | None]
    after: dict[str, str | None]


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
