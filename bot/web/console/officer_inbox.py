"""The inbox: questions the assistant could not answer, grouped by wording, for officers to assign an intent
(they become training examples), mark as needing new content, or dismiss; and the training-data export.

Why every decision is one POST with the question ids: a group is computed, not stored, so the ids are what
the officer saw; the change and its audit row are written in one transaction.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Iterable, TypedDict

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse  # what redirect() returns

from bot.config import ROOT
from bot.conversation.intents import assignable_intents
from bot.conversation.topic_labels import topic_label
from bot.db.queries.audit import record_audit
from bot.db.queries.inbox import (
    count_questions_by_status,
    list_inbox_questions,
    list_predicted_intents,
    list_questions_by_ids,
    list_training_examples,
    set_question_status,
)
from bot.insight.dashboard import DateRange
from bot.insight.inbox import REASON_LABELS, Question, group_questions, parse_ids
from bot.insight.training_export import Example, read_known_examples, to_csv, to_nlu_yaml
from bot.web.console import console, console_session
from bot.web.console.auth import current_staff, role_required, utcnow
from bot.web.console.forms_officer import STATUS_LABELS, InboxFilterForm
from bot.web.security import local_path

if TYPE_CHECKING:
    from bot.db import models as m

ROLES = ("officer",)
PER_PAGE = 30
MAX_IDS = 5000
ACTIONS = {
    "assign": ("assigned", "inbox.assign"),
    "needs_content": ("needs_content", "inbox.needs_content"),
    "dismiss": ("dismissed", "inbox.dismiss"),
    "reopen": ("new", "inbox.reopen"),
}
DONE_TEXT = {
    "assign": "{n} assigned to {intent}. They are now training examples: export them when you are ready.",
    "needs_content": "{n} marked as needing new content.",
    "dismiss": "{n} dismissed.",
    "reopen": "{n} moved back to new.",
}


def _questions(rows: Iterable[m.UnansweredQuestion]) -> list[Question]:
    return [Question(id=r.id, text=r.text_redacted, intent=r.intent, created_at=r.created_at, reason=r.reason,
                     status=r.status, ranking=tuple(str(x.get("name")) for x in (r.ranking or [])[:3]))
            for r in rows]


class _InboxFilters(TypedDict, total=False):
    """The filters list_inbox_questions takes from the form."""

    created_from: datetime | None
    created_before: datetime | None
    reason: str | None
    intent: str | None
    status: str | None


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """UK calendar days to naive UTC bounds, as the questions are stored."""
    tz = current_app.config["SETTINGS"].timezone
    first = DateRange(start, start).utc_bounds(tz)[0].replace(tzinfo=None) if start else None
    last = DateRange(end, end).utc_bounds(tz)[1].replace(tzinfo=None) if end else None
    return first, last


@console.get("/inbox")
@role_required(*ROLES)
def inbox() -> str:
    args = request.args if request.args else MultiDict({"status": "new"})  # first visit: what needs doing
    form = InboxFilterForm(formdata=args)
    with console_session() as db:
        predicted = list_predicted_intents(db)
        form.intent.choices = [("", "Any intent"), ("none", "No guess"), *((i, i) for i in predicted)]
        valid = form.validate()
        filters: _InboxFilters = {}
        if valid:
            created_from, created_before = _bounds(form.date_from.data, form.date_to.data)
            filters = _InboxFilters(created_from=created_from, created_before=created_before,
                                    reason=form.reason.data if form.reason.data in REASON_LABELS else None,
                                    intent=form.intent.data or None,
                                    status=form.status.data if form.status.data in STATUS_LABELS else None)
        rows = list_inbox_questions(db, **filters) if valid else []
        counts = count_questions_by_status(db)
        examples = counts.get("assigned", 0)
    groups = group_questions(_questions(rows))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, max(1, -(-len(groups) // PER_PAGE))))
    shown = groups[(page - 1) * PER_PAGE: page * PER_PAGE]
    return render_template(
        "console/officer/inbox.html", form=form, groups=shown, group_count=len(groups), question_count=len(rows),
        page=page, pages=max(1, -(-len(groups) // PER_PAGE)), first_index=(page - 1) * PER_PAGE,
        intents=assignable_intents(), counts=counts, examples=examples, reasons=REASON_LABELS,
        statuses=STATUS_LABELS, csrf=generate_csrf(), back=request.full_path.rstrip("?"), has_errors=not valid,
    )


@console.get("/inbox/group")
@role_required(*ROLES)
def inbox_group() -> str | WerkzeugResponse:
    ids = parse_ids(request.args.getlist("ids"), limit=MAX_IDS)
    if not ids:
        flash("Choose a group of questions from the inbox first.", "problem")
        return redirect(url_for("console.inbox"))
    with console_session() as db:
        rows = list_questions_by_ids(db, ids)
        if not rows:
            abort(404)
        return render_template(
            "console/officer/inbox_group.html", rows=rows, intents=assignable_intents(), reasons=REASON_LABELS,
            topic_label=topic_label,
            statuses=STATUS_LABELS, csrf=generate_csrf(), back=request.full_path.rstrip("?"),
            ids=",".join(str(r.id) for r in rows),
        )


def _safe_back(target: str | None) -> str:
    """Where to go after an action: back to the inbox page the officer came from, never elsewhere."""
    return local_path(target, "/console/inbox") or url_for("console.inbox")


@console.post("/inbox/action")
@role_required(*ROLES)
def inbox_action() -> WerkzeugResponse:
    """Apply one decision to the chosen questions (CSRF is checked for every POST by the app's CSRFProtect)."""
    back = _safe_back(request.form.get("back"))
    action = request.form.get("action", "")
    ids = parse_ids(request.form.getlist("ids"), limit=MAX_IDS)
    intent = (request.form.get("intent") or "").strip()
    if action not in ACTIONS:
        flash("Choose what to do with the questions: assign an intent, needs new content or dismiss.", "problem")
        return redirect(back)
    if not ids:
        flash("Select at least one question.", "problem")
        return redirect(back)
    if action == "assign" and intent not in assignable_intents():
        flash("Choose an intent to assign from the list.", "problem")
        return redirect(back)
    status, audit_action = ACTIONS[action]
    staff = current_staff()
    assert staff is not None
    with console_session() as db:
        found = [row.id for row in list_questions_by_ids(db, ids)]
        if not found:
            flash("Those questions are no longer in the inbox.", "problem")
            return redirect(back)
        changed = set_question_status(db, found, status, staff.username,
                                      assigned_intent=intent if action == "assign" else None, now=utcnow())
        record_audit(db, staff.username, audit_action, target=f"{changed} unanswered questions",
                     detail={"ids": found[:500], "count": changed, "intent": intent if action == "assign" else None})
    n = f"{changed} question" + ("" if changed == 1 else "s")
    flash(DONE_TEXT[action].format(n=n, intent=intent), "success")
    return redirect(back)


def _examples() -> list[Example]:
    with console_session() as db:
        return [Example(r.text_redacted, r.assigned_intent, r.reason, r.created_at)
                for r in list_training_examples(db)]


def _download(body: str, filename: str, mimetype: str, kind: str, count: int) -> Response:
    staff = current_staff()
    assert staff is not None
    with console_session() as db:
        record_audit(db, staff.username, "inbox.export", target=filename, detail={"format": kind, "count": count})
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@console.get("/inbox/export.yml")
@role_required(*ROLES)
def inbox_export_yml() -> Response:
    examples = _examples()
    body = to_nlu_yaml(examples, read_known_examples(ROOT / "data" / "nlu"), generated=utcnow())
    return _download(body, f"officer-examples-{utcnow():%Y-%m-%d}.yml", "application/yaml", "yaml", len(examples))


@console.get("/inbox/export.csv")
@role_required(*ROLES)
def inbox_export_csv() -> Response:
    examples = _examples()
    return _download(to_csv(examples), f"officer-examples-{utcnow():%Y-%m-%d}.csv", "text/csv", "csv", len(examples))
