"""Plain-English check for guidance articles: Flesch reading ease and grade, via textstat 0.7.8.

Why a number: 'plain English' drifts as officers edit; a score in a test keeps every article at a level
a tired parent (reading age about 11) can follow. 60 is 'plain English' on the Flesch scale.
"""
from __future__ import annotations

from dataclasses import dataclass

import textstat

from bot.content.files import Article

MINIMUM_READING_EASE = 60.0


@dataclass(frozen=True)
class Readability:
    topic: str
    reading_ease: float
    grade: float

    @property
    def plain_enough(self) -> bool:
        return self.reading_ease >= MINIMUM_READING_EASE


def article_text(article: Article) -> str:
    """Everything a family reads in the article, as sentences."""
    parts = [article.title + ".", article.summary]
    for items in (article.steps, article.timescales, article.who_can_help, article.if_it_goes_wrong):
        parts.extend(item if item.rstrip().endswith((".", "?", "!")) else item + "." for item in items)
    return " ".join(parts)


def score_article(article: Article) -> Readability:
    text = article_text(article)
    return Readability(article.topic, round(textstat.flesch_reading_ease(text), 1),
                       round(textstat.flesch_kincaid_grade(text), 1))
