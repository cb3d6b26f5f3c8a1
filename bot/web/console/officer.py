"""The officers' pages of the staff console: the inbox of unanswered questions (and the training-data export),
guidance freshness and editing, the answer bank, service coverage, and the usage dashboard.

Why split into modules: each page has one job and its own tests; this module only imports them (their views
register on the `console` blueprint) and adds their links to the console's navigation.
"""
from __future__ import annotations

from bot.web.console import (  # noqa: F401
    officer_answers,
    officer_coverage,
    officer_dashboard,
    officer_guidance,
    officer_inbox,
)
from bot.web.console.nav import add_nav_item

OFFICER_ROLES = ("officer",)  # admin may use everything (bot.web.console.nav.role_may)

add_nav_item("Inbox", "console.inbox", OFFICER_ROLES,
             "Questions the assistant could not answer: turn them into training data or new content.")
add_nav_item("Guidance", "console.guidance", OFFICER_ROLES,
             "Keep the guidance articles up to date. Changes apply at once, with no retraining.")
add_nav_item("Answers", "console.answers", OFFICER_ROLES,
             "The short answers to families' questions: edit them, add the words families use, fill gaps.")
add_nav_item("Coverage", "console.coverage", OFFICER_ROLES,
             "Which kinds of service each district has, and where there are gaps.")
add_nav_item("Dashboard", "console.dashboard", OFFICER_ROLES,
             "How much the assistant is used, what families ask about and how often it helps.")
