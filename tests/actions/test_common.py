"""What every action shares: the transcript staff read."""
from __future__ import annotations

import actions.common as common
from tests.actions.conftest import make_tracker


def test_transcripts_show_the_words_of_the_button_a_family_clicked() -> None:
    tracker = make_tracker("/affirm", "affirm")
    tracker.events.extend([
        {"event": "user", "text": "what is an ehcp"},
        {"event": "bot", "text": "Did this help?", "data": {"buttons": [{"title": "Yes, thanks", "payload": "/affirm"},
                                                                        {"title": "No", "payload": "/deny"}]}},
        {"event": "user", "text": "/affirm"},
        {"event": "user", "text": "/something_never_offered"},
    ])
    assert common.transcript(tracker) == [("user", "what is an ehcp"), ("bot", "Did this help?"),
                                          ("user", "[clicked: Yes, thanks]"), ("user", "[clicked a button]")]
