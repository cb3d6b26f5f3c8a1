"""Process guidance for families: one article per SEND topic, read from the database at answer time,
so an officer's correction reaches the next family without retraining."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.db.queries.guidance import get_article, list_articles
from bot.last_checked import format_date, last_checked

SECTION_NAMES = {"summary": "Summary", "steps": "What happens", "timescales": "Time limits in law",
                 "who_can_help": "Who can help", "if_it_goes_wrong": "If it goes wrong"}
SECTIONS = {
    "steps": "What happens",
    "timescales": "Time limits in law",
    "who_can_help": "Who can help",
    "if_it_goes_wrong": "If it goes wrong",
}


@dataclass(frozen=True)
class Guidance:
    topic: str
    title: str
    summary: str
    sections: dict[str, list[str]]
    source_url: str
    local_offer_url: str
    last_checked: date
    review_due: date
    # section -> [{url, page_date, checked}] and section -> verify_note (see data/local_offer/README.md)
    sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    verify: dict[str, str] = field(default_factory=dict)

    @property
    def last_checked_text(self) -> str:
        return format_date(self.last_checked)

    def checked_on(self, section: str) -> date | None:
        """The date a section's wording was checked against its sources, or None when families must not be
        shown one: the section needs an officer to re-read an undated or old page (`verify`), or it has no
        sources recorded. The oldest check counts, since the section is only as fresh as its oldest fact."""
        return last_checked((self.sources or {}).get(section), section in (self.verify or {}))

    def checked_text(self, section: str) -> str:
        """'5 December 2026', or '' when no date may be shown for this section."""
        day = self.checked_on(section)
        return format_date(day) if day else ""

    def section_text(self, section: str) -> str:
        """One section as plain lines, ready for a chat bubble or a terminal."""
        return "\n".join(f"- {item}" for item in self.sections.get(section, []))

    def available_sections(self) -> list[str]:
        return [name for name in SECTIONS if self.sections.get(name)]


def freshness(review_due: date | None, today: date, soon_days: int = 30) -> str:
    """'overdue' once the review date has come, 'due_soon' within `soon_days` of it, else 'current'.

    The assistant shows families the date a section was checked (unless it needs a re-read), so officers
    review the oldest first.
    """
    if review_due is None or review_due <= today:
        return "overdue"
    return "due_soon" if (review_due - today).days <= soon_days else "current"


def get_guidance(session: Session, topic: str) -> Guidance | None:
    article = get_article(session, topic)
    if article is None:
        return None
    return Guidance(
        topic=article.topic,
        title=article.title,
        summary=article.summary,
        sections={name: list(getattr(article, name) or []) for name in SECTIONS},
        source_url=article.source_url,
        local_offer_url=article.local_offer_url,
        last_checked=article.last_checked,
        review_due=article.review_due,
        sources=dict(article.sources or {}),
        verify=dict(article.verify or {}),
    )


def list_topics(session: Session) -> list[str]:
    return [article.topic for article in list_articles(session)]


def render_article(guidance: Guidance) -> str:
    """The whole article as text, for the CLI and for helpline staff reading it aloud."""
    lines = [guidance.title, "=" * len(guidance.title), "", guidance.summary, ""]
    for name, heading in SECTIONS.items():
        if guidance.sections.get(name):
            lines += [heading, guidance.section_text(name), ""]
    lines += [f"More: {guidance.local_offer_url}", f"Source: {guidance.source_url}",
              f"Last checked: {guidance.last_checked_text} (next review due {format_date(guidance.review_due)})"]
    unchecked = [SECTION_NAMES.get(name, name) for name in guidance.verify or {}]
    if unchecked:
        lines.append("Needs checking on the live page: " + ", ".join(unchecked))
    return "\n".join(lines)


def load_guidance(topic: str) -> Guidance | None:
    """The article for `topic` from the configured database (the entry point for the action server)."""
    from bot.db.session import session_scope

    with session_scope() as session:
        return get_guidance(session, topic)


_SECTION_WORDS = {
    "timescales": ("time limit", "timescale", "deadline", "how long", "legally", "weeks"),
    "who_can_help": ("who can help", "who else", "support me", "who could", "advice"),
    "if_it_goes_wrong": ("wrong", "don't stick", "dont stick", "late", "complain", "refuse"),
    "steps": ("step", "what happens", "next", "more", "detail", "explain"),
}


def section_from_text(text: str) -> str | None:
    """Which section a typed follow-up asks for ('what are the time limits' -> 'timescales')."""
    lowered = text.lower()
    for section, words in _SECTION_WORDS.items():
        # Whole words (a plural too): "late" is not in "latest", nor "more" in "anymore".
        if any(re.search(rf"\b{re.escape(word)}s?\b", lowered) for word in words):
            return section
    return None
