"""The queue's preview is what the family typed last, not the button they clicked last (issue #17 item 9)."""
from __future__ import annotations

from bot.db import models as m
from bot.helpline.queue import PREVIEW_LENGTH, preview


def _request(transcript: str) -> m.HandoffRequest:
    return m.HandoffRequest(reference="LO-PREV22", transcript_redacted=transcript)


def test_the_last_typed_words_not_a_click() -> None:
    transcript = ("Family: my son needs speech therapy in Harlow\nAssistant: Did this help?\nFamily: [clicked: No]\n"
                  "Assistant: Let me put you in touch with a person.\nFamily: [clicked: Talk to a person]")
    assert preview(_request(transcript)) == "my son needs speech therapy in Harlow"


def test_a_click_is_shown_when_nothing_was_typed() -> None:
    assert preview(_request("Assistant: Hello\nFamily: [clicked: Talk to a person]")) == "[clicked: Talk to a person]"
    assert preview(_request("")) == ""


def test_long_words_are_cut_for_a_row() -> None:
    shown = preview(_request("Family: " + "word " * 100))
    assert len(shown) == PREVIEW_LENGTH and shown.endswith("…")
