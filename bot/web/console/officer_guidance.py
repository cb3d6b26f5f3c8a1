"""Guidance freshness and editing: officers keep the articles the assistant answers from up to date.

Why no retraining is mentioned on every save: the assistant reads the article from the database for each
answer (bot.guidance.articles has no cache), so an edit reaches the next family at once. The rules for a valid edit live
in bot.guidance.editing, so the console and any other writer apply the same ones.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from bot.db.queries.audit import record_audit
from bot.db.queries.content import list_services_needing_verify
from bot.db.queries.guidance import get_article, list_articles, list_guidance_changes
from bot.guidance.articles import SECTION_NAMES, freshness
from bot.guidance.editing import EDITABLE_LISTS, GuidanceEditError, check_guidance_changes, update_guidance_article
from bot.web.console import console, console_session
from bot.web.console.auth import current_staff, role_required, utcnow
from bot.web.console.forms_officer import GuidanceForm

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.db import models as m

ROLES = ("officer",)
FRESHNESS = {
    "overdue": ("Overdue", "red", 0),
    "due_soon": ("Due within 30 days", "yellow", 1),
    "current": ("Up to date", "green", 2),
}
FIELD_LABELS = {"summary": "Summary", "steps": "What happens", "timescales": "Time limits in law",
                "who_can_help": "Who can help", "if_it_goes_wrong": "If it goes wrong",
                "last_checked": "Date last checked", "review_due": "Review due"}


@console.get("/guidance")
@role_required(*ROLES)
def guidance() -> str:
    today = utcnow().date()
    with console_session() as db:
        stored = list_articles(db)
        articles = [
            {"topic": a.topic, "title": a.title, "last_checked": a.last_checked, "review_due": a.review_due,
             "state": freshness(a.review_due, today), "needs_checking": bool(a.verify)}
            for a in stored
        ]
        needs_checking = _needs_checking(stored, list_services_needing_verify(db))
        changes = list_guidance_changes(db, limit=10)
    articles.sort(key=lambda a: (not a["needs_checking"], FRESHNESS[a["state"]][2], a["review_due"] or today,
                                 a["title"]))
    counts = {state: sum(1 for a in articles if a["state"] == state) for state in FRESHNESS}
    return render_template("console/officer/guidance.html", articles=articles, counts=counts, freshness=FRESHNESS,
                           changes=changes, labels=FIELD_LABELS, today=today, needs_checking=needs_checking)


def _needs_checking(articles: Iterable[m.GuidanceArticle], services: Iterable[m.Service]) -> list[dict[str, Any]]:
    """One row per article section or listing marked `verify`: its sources are undated or older than 2022
    (or unconfirmed), so families see no "last checked" date for it until an officer re-reads the live page."""
    rows: list[dict[str, Any]] = []
    for a in articles:
        for section, note in (a.verify or {}).items():
            rows.append({"kind": "Guidance", "name": a.title, "part": SECTION_NAMES.get(section, section), "note": note,
                         "sources": list((a.sources or {}).get(section) or []),
                         "href": url_for("console.guidance_edit", topic=a.topic)})
    for s in services:
        rows.append({"kind": "Service", "name": s.name, "part": "Listing", "note": s.verify_note or "",
                     "sources": list(s.sources or []), "href": None})
    return rows


def _article_or_404(db: Session, topic: str) -> m.GuidanceArticle:
    article = get_article(db, topic) if len(topic) <= 60 else None
    if article is None:
        abort(404)
    return article


@console.route("/guidance/<topic>", methods=["GET", "POST"])
@role_required(*ROLES)
def guidance_edit(topic: str) -> str | Response:
    staff = current_staff()
    assert staff is not None
    with console_session() as db:
        article = _article_or_404(db, topic)
        form = GuidanceForm()
        if not form.is_submitted():
            form.summary.data = article.summary
            for name in EDITABLE_LISTS:
                getattr(form, name).data = "\n".join(getattr(article, name) or [])
            form.last_checked.data, form.review_due.data = article.last_checked, article.review_due
        else:
            form.validate()  # the date boxes; the article's own rules come next, so every problem shows at once
            changes = {name: getattr(form, name).data for name in FIELD_LABELS if not getattr(form, name).errors}
            recorded = []
            try:
                if form.errors:
                    check_guidance_changes(article, changes, utcnow().date())
                else:
                    recorded = update_guidance_article(db, topic, changes, staff.username, now=utcnow())
            except GuidanceEditError as error:
                for name, message in error.problems.items():
                    getattr(form, name).errors = [message]
            if not form.errors:
                if recorded:
                    record_audit(db, staff.username, "guidance.edit", target=topic,
                                 detail={"fields": [change.field for change in recorded]})
                    flash("Changes saved: " + ", ".join(FIELD_LABELS[c.field].lower() for c in recorded)
                          + ". They apply now: the assistant's next answer uses them, with no retraining.", "success")
                else:
                    flash("Nothing was changed.", "problem")
                return redirect(url_for("console.guidance_edit", topic=topic))
        return render_template(
            "console/officer/guidance_edit.html", article=article, form=form, has_errors=bool(form.errors),
            changes=list_guidance_changes(db, topic, limit=50), labels=FIELD_LABELS,
            state=FRESHNESS[freshness(article.review_due, utcnow().date())],
        )
