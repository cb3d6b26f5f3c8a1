"""The console's home page: what the signed-in role can do here."""
from __future__ import annotations

from flask import render_template

from bot.web.console import console
from bot.web.console.auth import current_staff, role_required
from bot.web.console.nav import items_for


@console.get("/")
@role_required()
def home() -> str:
    staff = current_staff()
    assert staff is not None  # role_required let us in
    return render_template("console/home.html", items=items_for(staff.role))
