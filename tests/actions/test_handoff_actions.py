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
