"""Guidance actions answer from the database article and pick the right response.

These tests are about the article path, which a family gets when nothing in the answer bank is close; the
bank is switched off here so they keep testing it (the bank path: tests/actions/test_bank_reply.py)."""
from __future__ import annotations

import pytest

import actions.bank_reply
from actions.guidance_actions import ActionAnswerGuidance, ActionGuidanceSection
from tests.actions.conftest import make_tracker, run_action


@pytest.fixture(autouse=True)
def nothing_close_in_the_answer_bank(monkeypatch) -> None:
    monkeypatch.setattr(actions.bank_reply, "reply_for", lambda *args, **kwargs: None)


def test_answer_comes_from_the_article(loaded_db: str, domain) -> None:
    dispatcher, events = run_action(
        ActionAnswerGuidance(), make_tracker("how long does an EHC needs assessment take?", "assessment_timeline"), domain
    )
    message = dispatcher.messages[0]
    assert message["response"] == "utter_guidance_summary"
    assert "20 weeks" in message["summary"]
    assert message["last_checked"].endswith("2026")
    assert message["link"].startswith("https://")
    assert events == [{"event": "slot", "timestamp": None, "name": "guidance_topic", "value": "assessment_timeline"}]


def test_an_officers_edit_shows_at_once(loaded_db: str, domain, session) -> None:
    from bot.db import models as m

    article = session.get(m.GuidanceArticle, "annual_review")
    article.summary = "Edited by an officer just now."
    session.commit()
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker("annual review?", "annual_review"), domain)
    assert dispatcher.messages[0]["summary"] == "Edited by an officer just now."


def test_missing_article_gives_the_helpline(loaded_db: str, domain) -> None:
    dispatcher, events = run_action(ActionAnswerGuidance(), make_tracker("??", "no_such_topic"), domain)
    assert dispatcher.messages[0]["response"] == "utter_guidance_missing"
    assert "0333" in dispatcher.messages[0]["phone"]
    assert events == []


def test_section_for_the_last_topic(loaded_db: str, domain) -> None:
    tracker = make_tracker('/more_info{"section": "timescales"}', "more_info",
                           slots={"guidance_topic": "assessment_timeline", "section": "timescales"})
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_guidance_section"
    assert message["heading"] == "Time limits in law"
    assert "6 weeks" in message["items"]


def test_typed_follow_up_finds_its_section(loaded_db: str, domain) -> None:
    tracker = make_tracker("who can help me with this", "more_info", slots={"guidance_topic": "draft_plan"})
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    assert dispatcher.messages[0]["heading"] == "Who can help"


def test_section_without_a_topic_asks_which(loaded_db: str, domain) -> None:
    dispatcher, _ = run_action(ActionGuidanceSection(), make_tracker("tell me more", "more_info"), domain)
    assert dispatcher.messages[0]["response"] == "utter_ask_which_topic"
    assert dispatcher.messages[0]["buttons"][-1]["payload"] == "/request_human"  # a way on, never a dead end


def test_a_typed_follow_up_naming_no_section_is_offered_the_sections(loaded_db: str, domain) -> None:
    """Nothing in the bank (switched off here) and no section named: the topic's parts as buttons, not the bare
    'which topic?' it used to get."""
    tracker = make_tracker("what can i do about it", "more_info", slots={"guidance_topic": "assessment_timeline"})
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_which_section"
    assert message["title"] and "{title}" in domain["responses"]["utter_ask_which_section"][0]["text"]
    payloads = [b["payload"] for b in message["buttons"]]
    assert '/more_info{"section": "steps"}' in payloads and payloads[-1] == "/request_human"


def test_a_database_failure_still_gives_a_kind_reply(domain, monkeypatch) -> None:
    import actions.guidance_actions as module

    def broken(_topic):
        raise ConnectionError("database is down")
    monkeypatch.setattr(module, "load_guidance", broken)
    dispatcher, events = run_action(ActionAnswerGuidance(), make_tracker("annual review", "annual_review"), domain)
    assert dispatcher.messages[0]["response"] == "utter_something_went_wrong"
    assert "0333" in dispatcher.messages[0]["phone"]
    assert events == []


def test_a_summary_needing_checks_shows_no_last_checked_date(loaded_db: str, domain) -> None:
    """diagnosis_pathway's summary rests only on undated NHS pages: families get no "last checked" date."""
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker("autism assessment?", "diagnosis_pathway"), domain)
    message = dispatcher.messages[-1]
    assert message["response"] == "utter_guidance_summary_unchecked"
    assert message["last_checked"] == ""
    assert "My Care Bridge" in message["summary"]
    texts = [r["text"] for r in domain["responses"]["utter_guidance_summary_unchecked"]]
    assert all("Last checked" not in text and "{link}" in text for text in texts)


def test_a_dated_section_shows_the_date_it_was_checked(loaded_db: str, domain) -> None:
    tracker = make_tracker('/more_info{"section": "timescales"}', "more_info",
                           slots={"guidance_topic": "assessment_timeline", "section": "timescales"})
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_guidance_section"
    assert dispatcher.messages[0]["last_checked"] == "5 December 2026"


def test_a_section_needing_checks_shows_no_date(loaded_db: str, domain) -> None:
    tracker = make_tracker('/more_info{"section": "steps"}', "more_info",
                           slots={"guidance_topic": "diagnosis_pathway", "section": "steps"})
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_guidance_section_unchecked"
    assert message["last_checked"] == "" and message["link"].startswith("https://")


# Issue #17 item 4: a deadline only when the family asks about one and the facts it needs are known.

def _responses(dispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


def test_no_deadline_for_a_child_with_no_plan_who_did_not_ask(loaded_db: str, domain) -> None:
    for text in ("my 3 year old isn't talking yet, we're in Braintree",
                 "my 3 year old isn't talking yet, he's at nursery in Braintree",
                 "she's at nursery and has no EHCP, when does she start school?"):
        dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, "transition_early_years"), domain)
        assert not {"utter_deadlines", "utter_deadlines_school_year"} & set(_responses(dispatcher)), text


def test_a_school_year_deadline_says_what_it_is_counted_from(loaded_db: str, domain) -> None:
    text = "he is in year 6 and has an EHCP, when will they name his secondary school?"
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, "transition_secondary"), domain)
    message = next(m for m in dispatcher.messages if m.get("response") == "utter_deadlines_school_year")
    assert message["start"] == "Year 6"
    assert "15 February" in message["lines"]
    template = domain["responses"]["utter_deadlines_school_year"][0]["text"]
    assert "date you gave" not in template and "EHC plan" in template


def test_a_birth_date_is_not_a_case_date(loaded_db: str, domain) -> None:
    text = "my son was born on 3 March 2020, how do I ask for an assessment?"
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, "request_assessment"), domain)
    assert "utter_deadlines" not in _responses(dispatcher)


def test_a_date_with_a_question_still_gets_its_deadlines(loaded_db: str, domain) -> None:
    text = "I asked for an assessment on 3 March, when should I hear?"
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, "assessment_timeline"), domain)
    message = next(m for m in dispatcher.messages if m.get("response") == "utter_deadlines")
    assert "March" in message["start"]


# Issue #17 item 5: the personal answer last, where it stays in view on a phone; sections and "Did this help?"
# offered again after a section, so one click does not lose them.

DEADLINE_REPLIES = {"utter_deadlines", "utter_deadlines_school_year", "utter_deadlines_past"}


def _personal_part_is_last(responses: list[str]) -> bool:
    """True when every deadline reply comes after every other reply (the article's text, any buttons)."""
    personal = [i for i, name in enumerate(responses) if name in DEADLINE_REPLIES]
    generic = [i for i, name in enumerate(responses) if name not in DEADLINE_REPLIES]
    return bool(personal) and (not generic or max(generic) < min(personal))


@pytest.mark.parametrize("text, topic", [
    ("I asked for an assessment on 3 March, when should I hear?", "assessment_timeline"),
    ("he is in year 6 and has an EHCP, when will they name his secondary school?", "transition_secondary"),
])
def test_the_personal_deadline_comes_after_the_article_summary(loaded_db: str, domain, text, topic) -> None:
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, topic), domain)
    responses = _responses(dispatcher)
    assert {"utter_guidance_summary", "utter_guidance_summary_unchecked"} & set(responses), responses
    assert _personal_part_is_last(responses), responses


def test_the_personal_deadline_comes_after_a_closest_answer(loaded_db: str, domain, monkeypatch) -> None:
    """When the bank's best answer is near but not sure, the family's dates still come last."""
    from bot.answers.retrieval import AnswerHit, AnswerReply

    hit = AnswerHit(id="a1", topic="assessment_timeline", title="Assessment", related={},
                    question="How long does an assessment take?", answer="20 weeks.", score=0.5)
    monkeypatch.setattr(actions.bank_reply, "reply_for", lambda *a, **k: AnswerReply("choose", (hit,)))
    text = "I asked for an assessment on 3 March, when should I hear?"
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker(text, "assessment_timeline"), domain)
    responses = _responses(dispatcher)
    assert responses[0].removesuffix("_unchecked") == "utter_bank_closest" and "utter_bank_not_it" in responses
    assert _personal_part_is_last(responses), responses


def test_without_dates_the_summary_is_the_answer(loaded_db: str, domain) -> None:
    dispatcher, _ = run_action(ActionAnswerGuidance(), make_tracker("how do I ask for an assessment", "request_assessment"),
                               domain)
    assert not DEADLINE_REPLIES & set(_responses(dispatcher))


def test_a_section_offers_the_other_sections_again_and_asks_if_it_helped(loaded_db: str, domain) -> None:
    tracker = make_tracker('/more_info{"section": "steps"}', "more_info",
                           slots={"guidance_topic": "assessment_timeline", "section": "steps"})
    dispatcher, events = run_action(ActionGuidanceSection(), tracker, domain)
    buttons = dispatcher.messages[0]["buttons"]
    titles = [b["title"] for b in buttons]
    assert "What happens" not in titles  # the one just read
    assert {"Time limits in law", "Who can help", "If it goes wrong"} <= set(titles)
    assert all(b["payload"].startswith('/more_info{"section": ') and "{{" not in b["payload"] for b in buttons)
    assert {"event": "followup", "timestamp": None, "name": "utter_did_that_help"} in events


def test_a_re_offered_section_button_gives_that_section(loaded_db: str, domain) -> None:
    """The payload built for a re-offered button is understood as the section it names."""
    first = make_tracker('/more_info{"section": "steps"}', "more_info",
                         slots={"guidance_topic": "assessment_timeline", "section": "steps"})
    dispatcher, _ = run_action(ActionGuidanceSection(), first, domain)
    button = next(b for b in dispatcher.messages[0]["buttons"] if b["title"] == "Time limits in law")
    section = button["payload"].split('"section": "')[1].split('"')[0]
    second = make_tracker(button["payload"], "more_info",
                          slots={"guidance_topic": "assessment_timeline", "section": section})
    dispatcher, _ = run_action(ActionGuidanceSection(), second, domain)
    assert dispatcher.messages[0]["heading"] == "Time limits in law"
    assert "What happens" in [b["title"] for b in dispatcher.messages[0]["buttons"]]


def test_no_topic_means_no_feedback_question(loaded_db: str, domain) -> None:
    """Nothing was answered, so there is nothing to ask about."""
    _, events = run_action(ActionGuidanceSection(), make_tracker("tell me more", "more_info"), domain)
    assert all(e.get("event") != "followup" for e in events)


def test_a_typed_next_step_after_an_answer_on_another_topic_is_not_the_articles_section(loaded_db: str, domain,
                                                                                        monkeypatch) -> None:
    """After a bank answer on exclusions (no article; the slot still names the EHC plan article), "what do I do
    next" is not the plan article's "What happens"."""
    exclusion = ("Check it is a formal exclusion by the head teacher, and how many days it is for. The number of "
                 "days decides what the governors must do.")
    import actions.guidance_actions as module
    monkeypatch.setattr(module, "topic_of_answer_said", lambda said: "exclusions" if any(
        exclusion in text for text in said) else None)
    tracker = make_tracker("what do I do next", "more_info", slots={"guidance_topic": "what_is_ehcp"})
    tracker.events = [{"event": "user", "text": "my son got excluded today"},
                      {"event": "bot", "text": exclusion + " From day 6, full-time education must be arranged."},
                      {"event": "user", "text": "what do I do next"}]
    dispatcher, _ = run_action(ActionGuidanceSection(), tracker, domain)
    assert all(message.get("response") != "utter_guidance_section" for message in dispatcher.messages)
    same_topic = make_tracker("what do I do next", "more_info", slots={"guidance_topic": "draft_plan"})
    dispatcher, _ = run_action(ActionGuidanceSection(), same_topic, domain)
    assert dispatcher.messages[0]["heading"] == "What happens"


def test_a_typed_section_word_gets_the_banks_sure_answer_before_the_articles_section(loaded_db: str, domain,
                                                                                     monkeypatch) -> None:
    """Found on the read follow-up sets: "whats the deadline?" or "how long have i got" after a message about
    appealing went to the article's whole "Time limits in law" list. Typed (not a button), the bank's sure answer
    comes instead; unsure, the section as before; a button click is always the section."""
    from bot.answers.retrieval import AnswerHit, AnswerReply

    hit = AnswerHit("disagree-appeal-deadline", "disagree_appeal", "Disagreeing", "How long do I have to appeal?",
                    "You have 2 months from the date of the decision letter.", 1.0, {})
    monkeypatch.setattr(actions.bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("answer", (hit,)))
    typed = make_tracker("whats the deadline?", "more_info", slots={"guidance_topic": "disagree_appeal"})
    dispatcher, _ = run_action(ActionGuidanceSection(), typed, domain)
    assert dispatcher.messages[0]["response"].startswith("utter_bank_answer")
    assert dispatcher.messages[0]["answer"] == hit.answer
    clicked = make_tracker('/more_info{"section": "timescales"}', "more_info",
                           slots={"guidance_topic": "disagree_appeal", "section": "timescales"})
    dispatcher, _ = run_action(ActionGuidanceSection(), clicked, domain)
    assert dispatcher.messages[0]["heading"] == "Time limits in law"
    monkeypatch.setattr(actions.bank_reply, "reply_for", lambda *args, **kwargs: AnswerReply("none", ()))
    dispatcher, _ = run_action(ActionGuidanceSection(), typed, domain)
    assert dispatcher.messages[0]["heading"] == "Time limits in law"
