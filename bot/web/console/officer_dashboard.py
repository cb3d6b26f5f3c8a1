"""The dashboard: conversations and questions per day, top topics, fallback and helpful rates, handoffs.

Why figures come with tables: a chart is a picture; the same numbers in a table beneath it are what a
screen-reader user, a keyboard user and anyone copying them into a report can use.
"""
from __future__ import annotations

from flask import current_app, render_template, request

from bot.insight.dashboard import build_dashboard, default_range, parse_range
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
    period, errors = default_range(today), {}
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
    rates = [("Fallback rate", board.fallback.percent or 0), ("Helpful rate", board.helpful.percent or 0)]
    charts = {
        "conversations": day_chart("chart-conversations", "Conversations per day", board.conversations.values,
                                   "conversations"),
        "questions": day_chart("chart-questions", "Questions per day", board.questions.values, "questions"),
        "topics": bar_list_chart("chart-topics", "Top topics", [(t.replace("_", " "), c) for t, c in board.top_topics],
                                 " questions"),
        "rates": bar_list_chart("chart-rates", "Fallback and helpful rates", rates, "%", scale_top=100),
        "handoffs": day_chart("chart-handoffs", "Requests to talk to a person per day", board.handoffs.values,
                              "requests"),
    }
    return render_template("console/officer/dashboard.html", form=form, board=board, charts=charts,
                           has_errors=bool(form.errors))
