"""Guidance articles: read by topic (the intent name), list for freshness checks."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m


def get_article(session: Session, topic: str) -> m.GuidanceArticle | None:
    return session.get(m.GuidanceArticle, topic)


def list_articles(session: Session) -> list[m.GuidanceArticle]:
    return list(session.execute(select(m.GuidanceArticle).order_by(m.GuidanceArticle.topic)).scalars())


def list_articles_due(session: Session, today: date) -> list[m.GuidanceArticle]:
    query = select(m.GuidanceArticle).where(m.GuidanceArticle.review_due <= today).order_by(m.GuidanceArticle.review_due)
    return list(session.execute(query).scalars())
