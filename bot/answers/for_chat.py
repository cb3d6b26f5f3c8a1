"""The answer bank as the chat uses it: one call that opens its own session, so actions stay free of data access.

Why a failure gives None rather than raising: the answer bank is an improvement on the topic summary, not the
only answer; when the database or the encoder's files cannot be read, the family still gets the summary.
"""
from __future__ import annotations

import logging
from typing import Any

from bot.answers.retrieval import AnswerReply, best_answer_reply, find_answers
from bot.db.session import session_scope

logger = logging.getLogger(__name__)


def reply_for(text: str, intent: str | None = None, intent_ranking: list[dict[str, Any]] | None = None,
              context_topic: str | None = None) -> AnswerReply | None:
    """What to say to `text` from the answer bank: an answer, a choice of one or two, or nothing close;
    None when the bank cannot be read."""
    if not (text or "").strip() or text.startswith("/"):
        return None
    try:
        with session_scope() as session:
            hits = find_answers(session, text, intent, intent_ranking, context_topic)
    except Exception:
        logger.exception("Could not read the answer bank")
        return None
    return best_answer_reply(hits)
