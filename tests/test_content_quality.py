"""The guidance content: plain English, short summaries, and the statutory timescales from
shared/send-facts.md stated where they apply."""
from __future__ import annotations

import re

import pytest

from bot.content import read_content
from bot.readability import MINIMUM_READING_EASE, score_article
from tests.conftest import CONTENT

ARTICLES = {a.topic: a for a in read_content(CONTENT).articles}
SEND_TOPICS = {
    "request_assessment", "assessment_timeline", "assessment_refused", "what_is_ehcp", "draft_plan", "annual_review",
    "disagree_appeal", "sen_support", "transition_secondary", "transition_early_years", "transition_adulthood",
    "personal_budget", "school_transport", "find_service", "diagnosis_pathway", "independent_advice",
}


def _text(topic: str) -> str:
    a = ARTICLES[topic]
    return " ".join([a.title, a.summary, *a.steps, *a.timescales, *a.who_can_help, *a.if_it_goes_wrong])


def test_every_send_topic_has_an_article() -> None:
    assert SEND_TOPICS <= set(ARTICLES)


@pytest.mark.parametrize("topic", sorted(SEND_TOPICS))
def test_articles_are_plain_english(topic: str) -> None:
    assert score_article(ARTICLES[topic]).reading_ease >= MINIMUM_READING_EASE


@pytest.mark.parametrize("topic", sorted(SEND_TOPICS))
def test_summaries_are_short_enough_to_act_on(topic: str) -> None:
    assert len(ARTICLES[topic].summary.split()) <= 85


@pytest.mark.parametrize(
    ("topic", "phrase"),
    [
        ("assessment_timeline", r"\b6 weeks\b"),
        ("assessment_timeline", r"\b16 weeks\b"),
        ("assessment_timeline", r"\b20 weeks\b"),
        ("request_assessment", r"\b6 weeks\b"),
        ("assessment_refused", r"\b16 weeks\b"),
        ("assessment_refused", r"\b2 months\b"),
        ("draft_plan", r"\b15 days\b"),
        ("draft_plan", r"\b20 weeks\b"),
        ("what_is_ehcp", r"\b20 weeks\b"),
        ("annual_review", r"\b12 months\b"),
        ("annual_review", r"\b4 weeks\b"),
        ("annual_review", r"\b15 February\b"),
        ("transition_secondary", r"\b15 February\b"),
        ("transition_early_years", r"\b15 February\b"),
        ("transition_adulthood", r"\b31 March\b"),
        ("disagree_appeal", r"\b2 months\b"),
        ("disagree_appeal", r"\b1 month\b[^.]*mediation|mediation[^.]*\b1 month\b"),
    ],
)
def test_statutory_timescales_are_stated(topic: str, phrase: str) -> None:
    assert re.search(phrase, _text(topic)), f"{topic} should state {phrase}"


@pytest.mark.parametrize("wrong", [r"\b8 weeks to decide whether to assess", r"\b10 days to comment",
                                   r"\b3 months to appeal", r"\b15 March\b"])
def test_no_article_states_a_wrong_timescale(wrong: str) -> None:
    for topic in ARTICLES:
        assert not re.search(wrong, _text(topic)), f"{topic} states {wrong}"


def test_every_article_has_dates_and_links() -> None:
    for article in ARTICLES.values():
        assert article.source_url.startswith("http") and article.local_offer_url.startswith("http")
        assert article.review_due > article.last_checked
