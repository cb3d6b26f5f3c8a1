"""Helpline pages: one search over services and guidance, and the handoff and callback queue.

Why so little here: the search is bot.helpline.lookup (the chat's own search), the queue rules are
bot.helpline.queue, and storage is bot.db.queries; a view reads the request, calls them and draws the page.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.conversation.topic_labels import topic_label
from bot.db.queries.audit import record_audit
from bot.db.queries.handoff import (
    count_handoff_requests_by_status,
    count_open_handoff_requests_by_kind,
    get_handoff_request,
    list_handoff_requests,
)
from bot.helpline.lookup import MAX_QUERY_LENGTH, clean_query, look_up
from bot.helpline.queue import (
    KINDS,
    STATUSES,
    Change,
    QueueError,
    area_label,
    finish,
    flag_reason_label,
    preview,
    priority,
    status_label,
    take,
    teams,
)
from bot.web.console import console, console_session
from bot.web.console.auth import current_staff, role_required, utcnow
from bot.web.console.forms import ConfirmForm

if TYPE_CHECKING:
    from datetime import datetime

    from bot.db import models as m

HELPLINE_ROLES = ("helpline", "officer")
_REFERENCE = re.compile(r"^LO-[A-Z0-9]{6}$")


@console.get("/search")
@role_required(*HELPLINE_ROLES)
def search() -> str:
    raw = request.args.get("q")
    query = clean_query(raw)
    result = None
    if query:
        with console_session() as db:
            result = look_up(db, query)
    return render_template("console/search.html", query=query, asked=raw is not None, result=result,
                           too_long=len(raw or "") > MAX_QUERY_LENGTH)


@console.get("/queue")
@role_required(*HELPLINE_ROLES)
def queue() -> str:
    status = request.args.get("status") or None
    if status not in (None, *STATUSES):
        status = None
    kind = request.args.get("kind") or None
    if kind not in (None, *KINDS):
        kind = None
    area_teams = teams()
    team = request.args.get("team") or None
    if team not in (None, *area_teams):
        team = None
    with console_session() as db:
        requests = sorted(list_handoff_requests(db, status=status), key=priority)
        if kind:
            requests = [r for r in requests if r.kind == kind]
        if team:
            requests = [r for r in requests if r.quadrant == team]
        counts = count_handoff_requests_by_status(db)
        open_by_kind = count_open_handoff_requests_by_kind(db)
        rows = [
            {"item": r, "preview": preview(r), "why": flag_reason_label(r.flag_reason), "topic": topic_label(r.topic),
             "area": area_label(r)}
            for r in requests
        ]
    return render_template("console/queue.html", rows=rows, counts=counts, open_by_kind=open_by_kind, status=status,
                           kind=kind, team=team, teams=area_teams, statuses=STATUSES, kinds=KINDS,
                           status_label=status_label)


def _reference_or_404(reference: str) -> str:
    if not _REFERENCE.match(reference):
        abort(404)
    return reference


@console.get("/queue/<reference>")
@role_required(*HELPLINE_ROLES)
def queue_item(reference: str) -> str:
    with console_session() as db:
        item = get_handoff_request(db, _reference_or_404(reference))
        if item is None:
            abort(404)
        return render_template("console/queue_item.html", item=item, form=ConfirmForm(), kinds=KINDS,
                               status_label=status_label, why=flag_reason_label(item.flag_reason),
                               topic=topic_label(item.topic), area=area_label(item))


@console.post("/queue/<reference>/take")
@role_required(*HELPLINE_ROLES)
def queue_take(reference: str) -> Response:
    return _move(reference, take, "You have taken {ref}.")


@console.post("/queue/<reference>/done")
@role_required(*HELPLINE_ROLES)
def queue_done(reference: str) -> Response:
    return _move(reference, finish, "{ref} is marked as done.")


def _move(reference: str, move: Callable[[m.HandoffRequest, str, datetime], Change], success: str) -> Response:
    """Apply `move` and its audit row in one transaction, so neither is stored without the other."""
    form = ConfirmForm()
    staff = current_staff()
    assert staff is not None
    if not form.validate_on_submit():
        abort(400)
    with console_session() as db:
        item = get_handoff_request(db, _reference_or_404(reference))
        if item is None:
            abort(404)
        try:
            change = move(item, staff.username, utcnow())
        except QueueError as error:
            flash(str(error), "problem")
        else:
            record_audit(db, staff.username, change.action, target=item.reference,
                         detail={"before": change.before, "after": change.after})
            flash(success.format(ref=item.reference), "success")
    return redirect(url_for("console.queue_item", reference=reference))
