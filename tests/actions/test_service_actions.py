"""The service search action: what the family asked, from the database, said back plainly."""
from __future__ import annotations

from actions.service_actions import ActionSearchServices
from tests.actions.conftest import make_tracker, run_action


def test_speech_therapy_in_colchester(loaded_db: str, domain) -> None:
    tracker = make_tracker("is there speech therapy in Colchester", "find_service",
                           slots={"search_topic": "speech therapy", "search_area": "Colchester", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] in {"utter_services_intro", "utter_services_widened"}
    assert "utter_service_card" in responses
    intro = next(m for m in dispatcher.messages if m["response"] == "utter_services_intro")
    assert "speech and language therapy" in intro["described"] and "Colchester" in intro["described"]
    cards = [m for m in dispatcher.messages if m["response"] == "utter_service_card"]
    assert 1 <= len(cards) <= 3


def test_families_outside_essex_are_sent_to_their_own_local_offer(loaded_db: str, domain) -> None:
    tracker = make_tracker("autism groups in Southend", "find_service",
                           slots={"search_topic": "autism", "search_area": "Southend-on-Sea", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_outside_area"
    assert "Southend" in dispatcher.messages[0]["area"]


def test_no_match_gives_the_helpline(loaded_db: str, domain) -> None:
    tracker = make_tracker("underwater basket weaving", "find_service",
                           slots={"search_topic": "underwater basket weaving", "search_area": "any", "search_age": "any"})
    dispatcher, _ = run_action(ActionSearchServices(), tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_services_none"
    assert "0333" in dispatcher.messages[0]["phone"]
