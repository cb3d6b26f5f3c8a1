"""The answer bank as the chat uses it: one call that opens its own session, so actions stay free of data access.

Why a failure gives None rather than raising: the answer bank is an improvement on the topic summary, not the
only answer; when the database or the encoder's files cannot be read, the family still gets the summary.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

from bot.answers.retrieval import AnswerReply, best_answer_reply, find_answers
from bot.db.session import session_scope

logger = logging.getLogger(__name__)


# A message of at most this many words, after an answer, may lean on the question before it ("and after 18?").
FOLLOW_UP_WORDS = 12


def reply_for(text: str, intent: str | None = None, intent_ranking: list[dict[str, Any]] | None = None,
              context_topic: str | None = None, previous: str | None = None,
              said: Sequence[str] = ()) -> AnswerReply | None:
    """What to say to `text` from the answer bank: an answer, a choice of one or two, or nothing close;
    None when the bank cannot be read.

    `previous` is the family's message before this one. A short message after an answer ("how long do I have to
    reply?" after the draft plan) is also read joined to it, and the reading whose best answer scores higher is
    kept: alone, "how long do I have to reply" finds the reply to a school-move proposal; joined to "we got the
    draft plan", the 15 days for a draft. A new question that stands alone ("what about Carer's Allowance?")
    scores higher alone and keeps its own answer. `said` is what the assistant said in its last reply: a follow-up
    is never answered with the answer it follows ("what can I do about it?" is not asking the same again)."""
    if not (text or "").strip() or text.startswith("/"):
        return None
    try:
        with session_scope() as session:
            hits = find_answers(session, text, intent, intent_ranking, context_topic)
            if is_follow_up(text, previous, context_topic):
                joined = find_answers(session, f"{str(previous).strip().rstrip('.?!')}. {text}", intent,
                                      intent_ranking, context_topic)
                if joined and (not hits or joined[0].score > hits[0].score):
                    hits = joined
                hits = [hit for hit in hits if not any(hit.answer.strip() in text_said for text_said in said)]
    except Exception:
        logger.exception("Could not read the answer bank")
        return None
    return best_answer_reply(hits)


def is_follow_up(text: str, previous: str | None, context_topic: str | None) -> bool:
    """A short typed message after an answered question (a button click is no question to lean on)."""
    return bool(context_topic and previous and previous.strip() and not previous.startswith("/")
                and len(text.split()) <= FOLLOW_UP_WORDS)
