"""Forms for the officers' pages, drawn with GOV.UK Design System components through govuk-frontend-wtf.

Why a date field of our own: GOV.UK's date input is three boxes (day, month, year). WTForms' DateField with
`Optional()` looks only at the first box, so "  / 3 / 2026" would pass as "no date"; this field treats all-empty
as no date and anything partial or impossible as an error that names what is missing.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import BooleanField, Field, SelectField, SubmitField, TextAreaField
from wtforms.validators import ValidationError

from bot.db.queries.inbox import STATUSES
from bot.insight.inbox import REASON_LABELS
from bot.insight.review import REASONS

STATUS_LABELS = {"new": "New", "assigned": "Intent assigned", "needs_content": "Needs new content",
                 "dismissed": "Dismissed"}
assert set(REASON_LABELS) == set(REASONS) and set(STATUS_LABELS) == set(STATUSES)


class GovDateField(Field):
    """A GOV.UK date input whose value is a `date`, or None when all three boxes are empty."""

    widget = GovDateInput()

    def __init__(self, label: str = "", validators: Sequence[Callable[[Any, Field], None]] | None = None,
                 required: bool = False, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.problem: str | None = None

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if isinstance(self.data, date) else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [value.strip() for value in valuelist[:3]] + [""] * (3 - len(valuelist[:3]))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        missing = [name for name, value in zip(("day", "month", "year"), parts) if not value]
        if missing:
            self.problem = f"{self.label.text} must include a {' and '.join(missing)}"
            return
        day, month, year = parts
        try:
            if len(year) != 4:
                raise ValueError
            self.data = date(int(year), int(month), int(day))
        except ValueError:
            self.problem = f"{self.label.text} must be a real date"

    def pre_validate(self, form: FlaskForm) -> None:
        if self.problem:
            raise ValidationError(self.problem)
        if self.required and self.data is None:
            raise ValidationError(f"Enter {self.label.text.lower()}")


class InboxFilterForm(FlaskForm):
    """The inbox filters: a GET form, so a filtered list can be bookmarked and shared (no CSRF needed)."""

    class Meta:
        csrf = False

    date_from = GovDateField("From", description="For example, 1 3 2026")
    date_to = GovDateField("To", description="For example, 31 3 2026")
    reason = SelectField("Why it was stored", widget=GovSelect(), validate_choice=False,
                         choices=[("", "Any reason"), *REASON_LABELS.items()])
    intent = SelectField("What the assistant guessed", widget=GovSelect(), validate_choice=False)
    status = SelectField("Status", widget=GovSelect(), validate_choice=False,
                         choices=[("", "Any status"), *STATUS_LABELS.items()])
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def validate_date_to(self, field: GovDateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")


class GuidanceForm(FlaskForm):
    """An article's editable fields; lists are one item per line. The rules live in bot.db.queries.guidance."""

    summary = TextAreaField("Summary", widget=GovTextArea(),
                            description="The short answer the assistant gives first. Plain English.")
    steps = TextAreaField("What happens", widget=GovTextArea(), description="One step per line.")
    timescales = TextAreaField("Time limits in law", widget=GovTextArea(), description="One per line.")
    who_can_help = TextAreaField("Who can help", widget=GovTextArea(), description="One per line.")
    if_it_goes_wrong = TextAreaField("If it goes wrong", widget=GovTextArea(), description="One per line.")
    last_checked = GovDateField("Date last checked", required=True, description="For example, 27 3 2026")
    review_due = GovDateField("Review due", required=True, description="For example, 27 9 2026")
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class CoverageForm(FlaskForm):
    class Meta:
        csrf = False

    examples = BooleanField("Include example services", widget=GovCheckboxInput())
    submit = SubmitField("Update the table", widget=GovSubmitInput())


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False

    start = GovDateField("From", description="For example, 1 3 2026")
    end = GovDateField("To", description="For example, 31 3 2026")
    submit = SubmitField("Show", widget=GovSubmitInput())
