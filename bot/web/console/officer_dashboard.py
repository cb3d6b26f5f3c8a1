"""The dashboard: conversations and questions per day, top topics, not-understood and helpful rates, what went
to the officers' inbox by reason, handoffs.

Why figures come with tables: a chart is a picture; the same numbers in a table beneath it are what a
screen-reader user, a keyboard user and anyone copying them into a report can use.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for

from bot.conversation.topic_labels import topic_label
from bot.insight.dashboard import DateRange, build_dashboard, default_range, parse_range
from bot.web.console import console, console_session
from bot.web.console.auth import role_required, utcnow
from bot.web.console.forms_officer import DashboardForm
from bot.web.console.officer_charts import bar_list_chart, day_chart

ROLES = ("officer",)


@console.get("/dashboard")
@role_required(*ROLES)
def dashboard() -> str:
    settings = current_app.config["SETTINGS"]
    form = DashboardForm(formdata=request.args)
    today = utcnow().date()
    period = default_range(today)
    errors: dict[str, str] = {}
    if request.args:
        valid = form.validate()
        if valid:
            start, end = form.start.data, form.end.data
            period, errors = parse_range(start.isoformat() if start else None, end.isoformat() if end else None,
                                         today)
            for name, message in errors.items():
                getattr(form, name).errors = [message]
    if not form.start.data and not form.start.errors:
        form.start.data = period.start
    if not form.end.data and not form.end.errors:
        form.end.data = period.end
    with console_session() as db:
        board = build_dashboard(db, settings.tracker_store_url, period, settings.timezone)
    rates = [("Not understood rate", board.fallback.percent or 0), ("Helpful rate", board.helpful.percent or 0)]
    charts = {
        "conversations": day_chart("chart-conversations", "Conversations per day", board.conversations.values,
                                   "conversations"),
        "questions": day_chart("chart-questions", "Questions per day", board.questions.values, "questions"),
        "topics": bar_list_chart("chart-topics", "Top topics", [(topic_label(t), c) for t, c in board.top_topics],
                                 " questions"),
        "rates": bar_list_chart("chart-rates", "Not understood and helpful rates", rates, "%", scale_top=100),
        "inbox": bar_list_chart("chart-inbox", "Questions that went to the officers' inbox, by reason",
                                [(kind.label, kind.count) for kind in board.inbox], " questions"),
        "handoffs": day_chart("chart-handoffs", "Requests to talk to a person per day", board.handoffs.values,
                              "requests"),
    }
    inbox_links = {kind.reason: inbox_url(kind.reason, period) for kind in board.inbox}
    return render_template("console/officer/dashboard.html", form=form, board=board, charts=charts,
                           inbox_links=inbox_links, topic_label=topic_label, has_errors=bool(form.errors))


def inbox_url(reason: str, period: DateRange) -> str:
    """The inbox filtered to one reason and the dashboard's days (any status), so a figure leads to its questions."""
    days = [("date_from", str(part)) for part in (period.start.day, period.start.month, period.start.year)]
    days += [("date_to", str(part)) for part in (period.end.day, period.end.month, period.end.year)]
    return url_for("console.inbox") + "?" + urlencode([*days, ("reason", reason), ("status", "")])
