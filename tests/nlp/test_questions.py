"""Two questions in one message: the second SEND topic is found, and only when it is a real, confident question."""
from __future__ import annotations

from typing import Sequence

from bot.nlp.questions import MIN_CONFIDENCE, other_questions, question_sentences

TOPICS = {"transport": ("school_transport", 0.9), "budget": ("personal_budget", 0.8), "hello": ("greet", 0.99),
          "unsure": ("annual_review", MIN_CONFIDENCE - 0.01), "bins": ("out_of_scope", 0.95)}


def fake_classify(sentences: Sequence[str]) -> list[tuple[str, float]]:
    """A classifier that reads one keyword per sentence, and records that it was called."""
    fake_classify.calls += 1  # type: ignore[attr-defined]
    return [next((v for k, v in TOPICS.items() if k in s.lower()), ("request_assessment", 0.9)) for s in sentences]


fake_classify.calls = 0  # type: ignore[attr-defined]


def test_the_second_question_is_offered_with_the_familys_own_words() -> None:
    text = ("My son is 15 and has an EHC plan. He is anxious on buses. How does he get transport to college? "
            "And can we have a personal budget for his support?")
    found = other_questions(text, "school_transport", fake_classify)
    assert [(q.intent, q.text) for q in found] == [("personal_budget", "And can we have a personal budget for his support?")]


def test_one_question_costs_no_extra_classification() -> None:
    before = fake_classify.calls  # type: ignore[attr-defined]
    assert other_questions("He is 15. He is anxious on buses. How does he get transport to college?",
                           "school_transport", fake_classify) == []
    assert fake_classify.calls == before  # type: ignore[attr-defined]


def test_the_main_topic_chit_chat_out_of_scope_and_unsure_sentences_are_not_offered() -> None:
    text = ("Hello, is anyone there to help? What about school transport for him? When are the bins collected here? "
            "I am unsure, do you know when his review is?")
    assert other_questions(text, "school_transport", fake_classify) == []


def test_one_button_per_topic_and_at_most_two() -> None:
    text = ("Can he get a personal budget for respite? Is the budget paid to us directly? How do we ask for an "
            "assessment for his sister? What about transport for both of them?")
    found = other_questions(text, "annual_review", fake_classify)
    assert [q.intent for q in found] == ["request_assessment", "school_transport"]  # the budget (0.8) is third


def test_question_sentences_ignore_statements_and_fragments() -> None:
    assert question_sentences("He is 9. Why? How do I ask for an assessment?\nThanks") == \
        ["How do I ask for an assessment?"]


def test_a_topic_the_whole_message_gives_nothing_is_not_offered() -> None:
    text = "He is 15 and anxious. How does he get transport to college? And can we have a personal budget for it?"
    ranking = {"school_transport": 0.9, "personal_budget": 0.05}
    assert [q.intent for q in other_questions(text, "school_transport", fake_classify, ranking)] == ["personal_budget"]
    ranking["personal_budget"] = 0.001  # read out of its story: confident alone, nothing in the whole message
    assert other_questions(text, "school_transport", fake_classify, ranking) == []


def test_a_question_after_a_comma_or_without_its_mark_is_still_asked() -> None:
    from bot.nlp.questions import asks_something
    assert asks_something("we moved in last month with an ehcp, when will the next review be")
    assert asks_something("moving to essex in jan and will his transport carry on")
    assert asks_something("is that right?")
    assert not asks_something("We're moving from Kent to Colchester and he has an EHCP")
    assert not asks_something("")
