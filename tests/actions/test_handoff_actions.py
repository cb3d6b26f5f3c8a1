"""Handoff and safeguarding replies."""
from __future__ import annotations

from actions.handoff_actions import ActionSafeguarding
from tests.actions.conftest import make_tracker, run_action


def test_safeguarding_gives_emergency_routes_first(loaded_db, domain) -> None:
    dispatcher, _ = run_action(ActionSafeguarding(), make_tracker("he said he wants to die", "safeguarding_urgent"),
                               domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_safeguarding"
    assert first["routes"].startswith("- Police, fire or ambulance: 999")
    assert "0800 1111" in first["routes"] and "116 123" in first["routes"]
    assert dispatcher.messages[1]["response"] == "utter_safeguarding_then_helpline"


def test_safeguarding_without_its_file_still_says_999(domain, monkeypatch) -> None:
    import actions.handoff_actions as module

    def broken():
        raise OSError("file missing")
    monkeypatch.setattr(module, "get_emergency", broken)
    dispatcher, _ = run_action(ActionSafeguarding(), make_tracker("help", "safeguarding_urgent"), domain)
    assert dispatcher.messages[0]["response"] == "utter_safeguarding_fallback"


def _tracker_with_ranking(text: str, ranking: list[tuple[str, float]]):
    tracker = make_tracker(text, "safeguarding_urgent")
    tracker.latest_message["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    return tracker


def test_the_question_behind_a_safeguarding_message_is_answered_after_the_routes(loaded_db, domain) -> None:
    tracker = _tracker_with_ranking("he is not safe at home and when will the EHC assessment decision come",
                                    [("safeguarding_urgent", 1.0), ("assessment_timeline", 0.41), ("sen_support", 0.1)])
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[:2] == ["utter_safeguarding", "utter_safeguarding_then_helpline"]
    assert responses[2] == "utter_safeguarding_also_asked"
    assert responses[-1] == "utter_guidance_summary"
    assert {"event": "slot", "name": "guidance_topic", "value": "assessment_timeline", "timestamp": None} in events


def test_no_extra_answer_when_the_model_had_no_other_real_idea(loaded_db, domain) -> None:
    tracker = _tracker_with_ranking("she has gone and we cannot find her",
                                    [("safeguarding_urgent", 1.0), ("find_service", 0.05)])
    dispatcher, events = run_action(ActionSafeguarding(), tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_safeguarding", "utter_safeguarding_then_helpline"]
    assert events == []


def test_a_cautious_classifier_flag_still_answers_the_clear_question_behind_it() -> None:
    from actions.handoff_actions import question_behind

    ranking = [{"name": "safeguarding_urgent", "confidence": 1.0}, {"name": "diagnosis_pathway", "confidence": 0.004},
               {"name": "sen_support", "confidence": 0.001}]
    cautious = {"intent": {"name": "safeguarding_urgent", "safety_net": "classifier"}, "intent_ranking": ranking}
    pattern = {"intent": {"name": "safeguarding_urgent", "safety_net": "suicide_self_harm"}, "intent_ranking": ranking}
    noise = {"intent": {"name": "safeguarding_urgent", "safety_net": "classifier"},
             "intent_ranking": [ranking[0], {"name": "sen_support", "confidence": 0.0002}]}
    assert question_behind(cautious) == "diagnosis_pathway"
    assert question_behind(pattern) is None
    assert question_behind(noise) is None
