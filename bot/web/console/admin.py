"""Admin pages: the audit log."""
from __future__ import annotations

from flask import render_template, request

from bot.db.queries.audit import list_audit
from bot.web.console import console, console_session
from bot.web.console.auth import role_required

PAGE_SIZE = 200


@console.get("/audit")
@role_required("admin")
def audit() -> str:
    action = (request.args.get("action") or "").strip()[:60] or None
    with console_session() as db:
        events = list_audit(db, limit=PAGE_SIZE, action=action)
    return render_template("console/audit.html", events=events, action=action or "", page_size=PAGE_SIZE)
