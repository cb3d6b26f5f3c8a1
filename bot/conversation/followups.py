"""Short follow-up questions the classifier misses but the topic just answered makes clear.

Why: "where do I send the letter to?" after the assessment answer was not understood (the article says "write
to Essex County Council" and stops there). The question only makes sense with the topic, so it is recognised
from its words plus the topic (or words naming the request), not trained as an intent of its own.
"""
from __future__ import annotations

import re

# Topics whose answer tells the family to write to the council.
REQUEST_TOPICS = frozenset({"request_assessment", "assessment_timeline", "assessment_refused"})
_WHERE_TO_SEND = re.compile(
    r"\b(?:where|who|which address|what address)\b[^?.!]{0,40}\b(?:send|post|email|e-mail|submit|hand in|address)\b"
    r"|\b(?:address|email address)\b[^?.!]{0,30}\b(?:send|request|letter|for)\b")
_REQUEST_WORDS = re.compile(r"\b(?:request|letter|assessment|ehcna|ehc|ehcp|application)\b")


def asks_where_to_send_request(text: str, topic: str | None) -> bool:
    """'where do I send the letter to?' after an assessment answer, or 'where do I send my EHCP request?'."""
    lowered = (text or "").lower().replace("’", "'")
    if not _WHERE_TO_SEND.search(lowered):
        return False
    return topic in REQUEST_TOPICS or bool(_REQUEST_WORDS.search(lowered))
