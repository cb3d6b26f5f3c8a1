"""The guidance content: plain English, short summaries, and the statutory timescales from
shared/send-facts.md stated where they apply."""
from __future__ import annotations

import re

import pytest

from bot.content.files import read_content
from bot.content.readability import MINIMUM_READING_EASE, score_article
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


# ----------------------------------------------------------------------- issue #13: the corrected facts

CONTENT_DATA = read_content(CONTENT)
SERVICES = {s.id: s for s in CONTENT_DATA.services}


def _sections(article) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: " ".join(article.section_items(name)) for name in
            ("summary", "steps", "timescales", "who_can_help", "if_it_goes_wrong")}


def test_no_article_says_school_holidays_extend_the_time_limits() -> None:
    for topic in ARTICLES:
        assert "school holiday" not in _text(topic).lower(), topic
        assert "half-term" not in _text(topic).lower() or "do not count" in _text(topic).lower(), topic


def test_the_exceptions_are_the_ones_in_the_law() -> None:
    text = " ".join(ARTICLES["assessment_timeline"].timescales)
    assert "4 weeks or more" in text and "summer holiday" in text and "missed appointment" in text


def test_every_two_month_appeal_limit_carries_the_mediation_rule() -> None:
    """Each part that can be shown alone: 2 months from the letter, or 1 month from the certificate."""
    seen = 0
    for topic, article in ARTICLES.items():
        for section, text in _sections(article).items():
            if re.search(r"\b2 months?\b", text) and re.search(r"appeal", text, re.I):
                seen += 1
                assert re.search(r"\b1 month\b", text) and "mediation" in text, f"{topic}: {section}"
    assert seen >= 8


@pytest.mark.parametrize("served, expected", [("2 March", "16 March")])
def test_draft_plan_gives_the_worked_example(served: str, expected: str) -> None:
    assert f"a draft sent on {served} gives you until {expected}" in _text("draft_plan")
    assert "day 1" in _text("draft_plan")


def test_annual_review_says_a_decision_not_to_change_can_be_appealed() -> None:
    article = ARTICLES["annual_review"]
    assert "only if the changes are big" in " ".join(article.steps)
    assert re.search(r"decides not to change the plan, you can appeal", " ".join(article.steps))
    assert re.search(r"decides not to change the plan, you can appeal", article.summary)


def test_way_forward_meeting_only_after_a_refusal_to_assess() -> None:
    for topic in ARTICLES:
        for sentence in re.split(r"(?<=[.!?])\s+", _text(topic)):
            if "Way Forward" in sentence:
                assert re.search(r"not assess|no to assess", sentence), (topic, sentence)
                assert "plan" not in sentence.replace("Plan Meeting", ""), (topic, sentence)


def test_diagnosis_goes_through_my_care_bridge() -> None:
    article = ARTICLES["diagnosis_pathway"]
    assert "My Care Bridge" in article.summary and "1 September 2025" in article.summary
    assert "three terms" in article.summary and "One Plan" in article.summary
    for sentence in re.split(r"(?<=[.!?])\s+", _text("diagnosis_pathway")):
        assert "Lighthouse" not in sentence or "replaced" in sentence, sentence
    lighthouse = SERVICES["eput-neurodevelopmental-pathway"]
    assert "My Care Bridge" in lighthouse.name and "three terms" in lighthouse.referral
    assert "Parents cannot refer" not in lighthouse.referral
    assert "My Care Bridge" in SERVICES["nelft-my-care-bridge-referrals"].referral
    assert "My Care Bridge" in SERVICES["provide-wellbeing-neurodevelopmental-assessment"].referral


def test_transport_review_points_to_the_time_limit_in_the_letter() -> None:
    text = " ".join(ARTICLES["school_transport"].if_it_goes_wrong)
    assert "time limit" in text and "decision letter" in text


def test_young_people_ask_from_the_end_of_compulsory_school_age() -> None:
    text = _text("request_assessment")
    assert "16 to 25" not in text
    assert "from the end of the school year they turn 16, up to age 25" in text


def test_direct_payments_need_the_councils_agreement() -> None:
    text = _text("personal_budget")
    assert "You choose how it is paid" not in text
    assert "the council must agree" in text and "needs the council's agreement" in text


def test_no_invented_emotional_wellbeing_line() -> None:
    """A worried family must never ring a made-up number for their child's mental health: only the real SET
    CAMHS self-referral line (fact sheet 12.10) is given; example listings there carry no phone number."""
    wellbeing = [s for s in CONTENT_DATA.services if "emotional_wellbeing" in s.categories and s.phone]
    assert wellbeing and all(not s.example for s in wellbeing)
    assert "essex-wellbeing-line" not in SERVICES
    assert SERVICES["set-camhs"].phone == "0800 953 0222"


def test_the_children_and_families_hub_is_not_a_family_hub() -> None:
    hub = SERVICES["children-and-families-hub"]
    assert "family_hubs" not in hub.categories and "childrens_social_care" in hub.categories
    family_hubs = next(t for t in CONTENT_DATA.terms if t.code == "family_hubs")
    assert "health visitor" in family_hubs.synonyms


def test_a_health_visitor_search_never_returns_the_safeguarding_front_door(session) -> None:  # type: ignore[no-untyped-def]
    from bot.directory.search import search_text

    for words in ("health visitor", "health visitor chelmsford", "health visitor for my baby in Harlow"):
        ids = {card.id for card in search_text(session, words, limit=50).cards}
        assert "children-and-families-hub" not in ids, words
