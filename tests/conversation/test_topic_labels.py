"""Topics in plain words, from the answer bank's approved titles."""
from __future__ import annotations

from pathlib import Path

from bot.config import ROOT
from bot.conversation.topic_labels import topic_label

CONTENT = ROOT / "data" / "local_offer"


def test_every_guidance_topic_has_plain_words() -> None:
    topics = [p.stem for p in (CONTENT / "guidance").glob("*.yml")]
    assert len(topics) == 16
    labels = {t: topic_label(t, CONTENT) for t in topics}
    assert all("_" not in label and label[0].isupper() for label in labels.values()), labels
    assert labels["request_assessment"] == "Asking for an EHC needs assessment"


def test_other_intents_and_unknown_names_read_as_words(tmp_path: Path) -> None:
    assert topic_label("request_human", CONTENT) == "Talk to a person"
    assert topic_label("something_new", CONTENT) == "Something new"
    assert topic_label(None, CONTENT) == ""
    assert topic_label("sen_support", tmp_path) == "Sen support"  # no answer files: still readable
