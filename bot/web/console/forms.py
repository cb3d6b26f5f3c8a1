"""Console forms, drawn with the GOV.UK Design System's components through govuk-frontend-wtf."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length


class SignInForm(FlaskForm):
    username = StringField(
        "Username",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your username"), Length(max=100, message="Enter your username")],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=256, message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""
