"""Record what the assistant could not answer, so officers can turn it into training data and content.

Personal data is removed before anything is stored, sender ids are hashed, and the classifier's own
ranking is kept (not only 'nlu_fallback'), so an officer sees where the model nearly went. If the
database cannot take a record, it is appended to the spool (bot/insight/spool.py) and loaded when the action
server starts and every minute after (actions/startup.py), exactly once; `bot purge` ages the spool out
like the database. Nothing is lost.
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

from bot.config import get_settings
from bot.db.queries.review import record_feedback, record_unanswered_question, set_family_choice
from bot.db.session import session_scope
from bot.insight import spool as spooling
from bot.privacy.redact import redact

log = logging.getLogger(__name__)
REASONS = ("fallback", "out_of_scope", "not_helped", "no_match", "handoff")


def hash_sender(sender_id: str) -> str:
    """A stable pseudonym: the same family groups together, but the id itself is not kept."""
    return hashlib.sha256(f"{get_settings().sender_salt}:{sender_id}".encode()).hexdigest()


def top_ranking(ranking: Iterable[dict[str, Any]] | None, keep: int = 5) -> list[dict[str, Any]]:
    """The model's own intents with confidences; the fallback pseudo-intent is left out."""
    cleaned = [
        {"name": str(r.get("name")), "confidence": round(float(r.get("confidence") or 0.0), 4)}
        for r in ranking or []
        if r.get("name") and r.get("name") != "nlu_fallback"
    ]
    return cleaned[:keep]


def build_record(sender_id: str, text: str, reason: str, ranking: Iterable[dict[str, Any]] | None = None,
                 topic: str | None = None) -> dict[str, Any]:
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    top = top_ranking(ranking)
    return {
        "sender_hash": hash_sender(sender_id),
        "text_redacted": redact(text or "")[:5000],
        "reason": reason,
        "intent": top[0]["name"] if top else None,
        "confidence": top[0]["confidence"] if top else None,
        "ranking": top,
        "topic": topic,
    }


def record_unanswered(sender_id: str, text: str, reason: str, ranking: Iterable[dict[str, Any]] | None = None,
                      topic: str | None = None, spool_dir: Path | None = None) -> bool:
    """Store one unanswered question; True if it reached the database, False if it was spooled."""
    record = build_record(sender_id, text, reason, ranking, topic)
    try:
        with session_scope() as session:
            record_unanswered_question(session, **record)
        return True
    except Exception:
        log.exception("Could not store an unanswered question; spooling it")
        spooling.append(record, spool_dir)
        return False


def flush_spool(spool_dir: Path | None = None) -> int:
    """Load the spooled questions into the database; the number of new rows (see bot/insight/spool.py)."""
    return spooling.flush(spool_dir).loaded


def record_helpful(sender_id: str, topic: str | None, helpful: bool) -> None:
    """Feedback is useful but not precious: a failure is logged and the conversation goes on."""
    try:
        with session_scope() as session:
            record_feedback(session, hash_sender(sender_id), topic, helpful)
    except Exception:
        log.exception("Could not store feedback")


# A "Did you mean" click comes within moments of the question; an hour is generous and keeps old rows out.
FAMILY_CHOICE_WINDOW = timedelta(hours=1)


def record_family_choice(sender_id: str, text: str, intent: str, now: datetime | None = None) -> bool:
    """Note on the family's unanswered question the topic they then picked from "Did you mean", as a suggested
    label for officers. False (and nothing lost that mattered) when the row or the database is not there."""
    moment = now or datetime.utcnow()
    try:
        with session_scope() as session:
            return set_family_choice(session, hash_sender(sender_id), redact(text or "")[:5000], intent,
                                     moment - FAMILY_CHOICE_WINDOW)
    except Exception:
        log.exception("Could not record the family's choice")
        return False
