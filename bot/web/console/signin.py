"""Sign in and sign out of the staff console."""
from __future__ import annotations

import logging

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from bot.db.queries.audit import record_audit
from bot.helpline.staff import verify_sign_in
from bot.web.console import auth, console, console_session
from bot.web.console.forms import ConfirmForm, SignInForm

log = logging.getLogger(__name__)

# One message for a wrong name, a wrong password, a disabled account and a locked one, so the page never
# tells someone guessing which usernames exist.
SIGN_IN_FAILED = ("We could not sign you in. Check your username and password. After 5 wrong tries in a row "
                  "an account is locked for 15 minutes: wait, or ask an administrator to unlock it.")


@console.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str | Response:
    if request.method == "GET" and auth.current_staff() is not None:
        return redirect(url_for("console.home"))
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        now = auth.utcnow()
        with console_session() as db:
            result = verify_sign_in(db, form.username.data or "", form.password.data or "", now)
        if result.identity is not None:
            auth.start_staff_session(result.identity, now)
            return redirect(auth.safe_next(request.args.get("next")) or url_for("console.home"))
        log.info("Console sign-in refused (%s)", result.reason)
        failed = True
        form.password.data = ""
    return render_template("console/sign_in.html", form=form, failed=failed, failed_message=SIGN_IN_FAILED,
                           signed_out=request.args.get("signed_out") == "1")


@console.post("/sign-out")
def sign_out() -> Response:
    form = ConfirmForm()
    staff = auth.current_staff()
    if form.validate_on_submit() and staff is not None:
        with console_session() as db:
            record_audit(db, staff.username, "signed_out", target=staff.username)
    auth.end_staff_session()
    return redirect(url_for("console.sign_in", signed_out=1))
