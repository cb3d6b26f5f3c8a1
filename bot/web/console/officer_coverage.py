"""Service coverage: which kinds of service each of the 12 districts has, with gaps and thin cells marked.

Why real services only by default: the sample listings (`example: true`) are made-up test data, and counting
them would hide the gaps an officer needs to see; the toggle shows what families are offered today.
"""
from __future__ import annotations

from flask import Response, render_template, request

from bot.db.queries.coverage import count_example_services
from bot.directory.coverage import LEVEL_TEXT, load_matrix, matrix_csv
from bot.web.console import console, console_session
from bot.web.console.auth import role_required, utcnow
from bot.web.console.forms_officer import CoverageForm

ROLES = ("officer",)


def _include_examples() -> bool:
    return request.args.get("examples") in ("y", "1", "true", "on")


@console.get("/coverage")
@role_required(*ROLES)
def coverage() -> str:
    form = CoverageForm(formdata=request.args)
    include = _include_examples()
    form.examples.data = include
    with console_session() as db:
        matrix = load_matrix(db, include_examples=include)
        examples = count_example_services(db)
    return render_template("console/officer/coverage.html", matrix=matrix, form=form, examples=examples,
                           level_text=LEVEL_TEXT, include=include)


@console.get("/coverage.csv")
@role_required(*ROLES)
def coverage_csv() -> Response:
    include = _include_examples()
    with console_session() as db:
        body = matrix_csv(load_matrix(db, include_examples=include))
    name = f"coverage-{'with-examples-' if include else ''}{utcnow():%Y-%m-%d}.csv"
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
