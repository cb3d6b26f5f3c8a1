"""Topics in plain words ("Asking for an EHC needs assessment", not "request_assessment") for staff pages and
for the buttons that offer a family the topics we think they meant.

Why read the answer bank's files: each topic file's `title` is already approved, plain wording, and reading
the files (not the database) keeps the labels available when the database is down. Intents that are not
topics (asking for a person, out of scope) have their words here, kept with the code that needs them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import get_settings

OTHER_INTENTS = {
    "request_human": "Talk to a person",
    "out_of_scope": "Something not about SEND",
    "safeguarding_urgent": "A child may be at risk",
}


@lru_cache(maxsize=4)
def topic_labels(content_dir: Path | None = None) -> dict[str, str]:
    """Topic name -> its plain-words title, from data/local_offer/answers/*.yml."""
    folder = (content_dir or get_settings().content_dir) / "answers"
    labels = dict(OTHER_INTENTS)
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("topic") and data.get("title"):
            labels[str(data["topic"])] = str(data["title"])
    return labels


def topic_label(topic: str | None, content_dir: Path | None = None) -> str:
    """The plain-words title of `topic`; an unknown name is made readable rather than hidden."""
    if not topic:
        return ""
    try:
        labels = topic_labels(content_dir)
    except (OSError, yaml.YAMLError):
        labels = dict(OTHER_INTENTS)
    return labels.get(topic, topic.replace("_", " ").capitalize())
