"""The rules for an officer's edit of a guidance article: the same as the content files' (bot.content.files), plus
the ones that matter when a person types by hand. Kept out of bot/db so the data layer only stores what passed.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.content.files import _Checker
from bot.db import models as m
from bot.db.queries.guidance import apply_guidance_changes, get_article

EDITABLE_LISTS = ("steps", "timescales", "who_can_help", "if_it_goes_wrong")
EDITABLE_FIELDS = ("summary", *EDITABLE_LISTS, "last_checked", "review_due")
MAX_SUMMARY, MAX_ITEM, MAX_ITEMS = 1000, 300, 20
_LIST_NAMES = {"steps": "step", "timescales": "time limit", "who_can_help": "line in who can help",
               "if_it_goes_wrong": "line in if it goes wrong"}


class GuidanceEditError(Exception):
    """What is wrong with an edit, as field -> a message an officer can act on; nothing was written."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))


class _FieldChecker(_Checker):
    """The content files' rules (bot.content.files), with problems kept per field for a form's error summary."""

    def __init__(self) -> None:
        super().__init__()
        self.by_field: dict[str, str] = {}

    def add(self, where: str, field_name: str, message: str) -> None:
        self.by_field.setdefault(field_name, message)


def _as_lines(value: Any) -> Any:
    """A textarea's text as one item per non-blank line; lists pass through for the checker."""
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return value


def check_guidance_changes(article: m.GuidanceArticle, changes: dict[str, Any], today: date) -> dict[str, Any]:
    """The changes as stored values, or GuidanceEditError listing every problem at once.

    Same rules as the content files (non-empty summary, at least one step, lists of text, real dates), plus two
    that matter when a person edits by hand: the last-checked date is not in the future, and the review is due
    after it. Lengths are capped so an answer still fits in a chat bubble.
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise GuidanceEditError({name: "This field cannot be changed here" for name in unknown})
    check = _FieldChecker()
    entry = {name: _as_lines(value) if name in EDITABLE_LISTS else value for name, value in changes.items()}
    clean: dict[str, Any] = {}
    messages: dict[str, str] = {}
    if "summary" in entry:
        clean["summary"] = check.text("", entry, "summary")
        if "summary" in check.by_field:
            messages["summary"] = "Enter a summary"
        elif len(clean["summary"]) > MAX_SUMMARY:
            messages["summary"] = f"The summary must be {MAX_SUMMARY} characters or fewer"
    for name in EDITABLE_LISTS:
        if name not in entry:
            continue
        clean[name] = check.text_list("", entry, name)
        if name in check.by_field:
            messages[name] = f"Enter each {_LIST_NAMES[name]} as text on its own line"
        elif name == "steps" and not clean[name]:
            messages[name] = "Enter at least one step"
        elif len(clean[name]) > MAX_ITEMS:
            messages[name] = f"Enter {MAX_ITEMS} lines or fewer"
        elif any(len(item) > MAX_ITEM for item in clean[name]):
            messages[name] = f"Each {_LIST_NAMES[name]} must be {MAX_ITEM} characters or fewer"
    for name, label in (("last_checked", "the date it was last checked"), ("review_due", "the review date")):
        if name in entry:
            value = check.day("", entry, name)
            if value is None:
                messages[name] = f"Enter {label} as a real date, for example {today:%Y-%m-%d}"
            else:
                clean[name] = value
    last_checked = clean.get("last_checked", article.last_checked)
    review_due = clean.get("review_due", article.review_due)
    if "last_checked" in clean and clean["last_checked"] > today:
        messages["last_checked"] = "The date it was last checked must be today or in the past"
    if "last_checked" not in messages and "review_due" not in messages and last_checked and review_due \
            and review_due <= last_checked:
        messages["review_due"] = "The review date must be after the date it was last checked"
    if messages:
        raise GuidanceEditError({name: messages[name] for name in EDITABLE_FIELDS if name in messages})
    return clean



def update_guidance_article(session: Session, topic: str, changes: dict[str, Any], actor: str,
                            now: datetime | None = None) -> list[m.GuidanceChange]:
    """Apply an officer's edit and record one guidance_change row per field that really changed.

    The assistant reads articles from the database at answer time (bot.guidance.articles has no cache), so the next
    family's question gets the new text; no retraining is needed. Raises LookupError for an unknown topic and
    GuidanceEditError, before anything is written, when the edit is not valid.
    """
    article = get_article(session, topic)
    if article is None:
        raise LookupError(topic)
    now = now or datetime.utcnow().replace(microsecond=0)
    clean = check_guidance_changes(article, changes, now.date())
    return apply_guidance_changes(session, article, {name: clean[name] for name in EDITABLE_FIELDS if name in clean},
                                  actor, now)
