"""Guidance articles: read by topic (the intent name), list for freshness checks, and write officers' checked edits
(the rules for a valid edit are in bot.guidance.editing)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


def get_article(session: Session, topic: str) -> m.GuidanceArticle | None:
    return cast("m.GuidanceArticle | None", session.get(m.GuidanceArticle, topic))


def list_articles(session: Session) -> list[m.GuidanceArticle]:
    return list(session.execute(select(m.GuidanceArticle).order_by(m.GuidanceArticle.topic)).scalars())


def list_articles_due(session: Session, today: date) -> list[m.GuidanceArticle]:
    query = (
        select(m.GuidanceArticle).where(m.GuidanceArticle.review_due <= today).order_by(m.GuidanceArticle.review_due)
    )
    return list(session.execute(query).scalars())


# ------------------------------------------------------------------------------------- officers' edits

def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def apply_guidance_changes(session: Session, article: m.GuidanceArticle, clean: dict[str, Any], actor: str,
                           now: datetime) -> list[m.GuidanceChange]:
    """Write checked changes (bot.guidance.editing) and record one guidance_change row per field that really changed."""
    recorded: list[m.GuidanceChange] = []
    for name, after in clean.items():
        before = getattr(article, name)
        if _as_text(before) == _as_text(after):
            continue
        setattr(article, name, list(after) if isinstance(after, list) else after)
        recorded.append(m.GuidanceChange(topic=article.topic, changed_at=now, changed_by=actor, field=name,
                                         before=_as_text(before), after=_as_text(after)))
    if recorded:
        article.updated_at = now
        session.add_all(recorded)
        session.flush()
    return recorded


def list_guidance_changes(session: Session, topic: str | None = None, limit: int = 50) -> list[m.GuidanceChange]:
    """The latest changes first, for one article or all."""
    query = select(m.GuidanceChange).order_by(m.GuidanceChange.changed_at.desc(), m.GuidanceChange.id.desc())
    if topic:
        query = query.where(m.GuidanceChange.topic == topic)
    return list(session.execute(query.limit(limit)).scalars())
