"""The answer bank as the chat uses it: one call that opens its own session, so actions stay free of data access.

Why a failure gives None rather than raising: the answer bank is an improvement on the topic summary, not the
only answer; when the database or the encoder's files cannot be read, the family still gets the summary.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any, Sequence

from bot.answers.retrieval import (
    CONFIDENT,
    NOTHING,
    AnswerHit,
    AnswerReply,
    Ranking,
    answer_index,
    best_answer_reply,
    rank_message,
)
from bot.answers.scoring import AnswerIndex
from bot.db.session import session_scope

logger = logging.getLogger(__name__)


# A message of at most this many words, after an answer, may lean on the question before it ("and after 18?").
FOLLOW_UP_WORDS = 12
# A follow-up that points back ("is that allowed?", "can they do it?", "and if they're late?") is read joined to the
# question before it, whatever the message alone would score: alone, "is that allowed? he has an EHCP" after an
# exclusion answer found "the school can ask for the assessment" (0.97, with the classifier's lean on the short
# message, against 0.90 joined). On the follow-up set v1 through the bank with real classifier rankings, the
# fact came first in 46 of 80 when the higher score won, 47 with a 0.1 lean to the joined reading, and 51 when a
# message that points back always kept it (52 when every follow-up did; a new question such as "what about Carer's
# Allowance?" is left to its score).
# A follow-up whose joined reading finds the answer just said first and surely (`asked_again`) is answered with it
# again when the follow-up alone scores at least this for that answer: it asks what the answer says ("is there a
# limit?" after "no more than 45 school days": 1.06; "how long until the final one?" after the 8 weeks for an
# amended plan: 0.62), not something new that only the first message makes sense of ("what now, and by when?"
# after a permanent exclusion: 0.05; "where do I go next?": -0.04). Chosen on follow-up set v1 (read): 54 -> 62 of
# 80 in the whole chat, against 59 when every such follow-up got the answer again (bench/answers.md).
ASKS_WHAT_WAS_SAID = 0.25
# When the follow-up alone scores higher than its joined reading, the two best answers (alone's and joined's) are
# still weighed on both readings, the joined one counting the rest: a short message alone matches on its own words
# and scores high ("who do i complain to, school or council?" finds a complaint about late school transport at 1.20),
# while a long first message joined to it scores lower on every answer (0.87 for the section G answer it was about).
# Read as both, the joined reading's answer wins unless the message alone is far surer of its own. Offline on the
# read follow-up sets v1 to v4 (bank only, no classifier): 259 -> 267 of 320, and no set lost; the alone share was
# level from 0.1 to 0.3 (266 to 267) and worse from 0.4 (264) to 0.6 (261) (bench/answers.md).
ALONE_SHARE = 0.2
# A follow-up that only checks what was just said ("is that actually true?", "is she right?", "is that a mistake on
# their part?", "does that still count legally then", "are you sure?"): the answer just said is the reply, whatever
# the message alone scores, while the joined reading still finds it surely and within CHECK_MARGIN of its best
# (`_checked_answer`). Alone such a message carries no subject, so it found unrelated answers ("is she right?"
# after "the plan carries on if you home educate": "can I home educate?"); as a section word, "legally" gave the
# article's time limits. Found on follow-up set v2 (read), 5 of its 16 failures (bench/answers.md).
CHECK_WORDS = 8
CHECK_MARGIN = 0.05
_CHECKS = re.compile(
    r"^\W*(?:(?:but|so|and|ok|okay|hang on|wait|sorry|really)\W+)?(?:"
    r"(?:is|isn.?t|are|was|would|does|doesn.?t|do|can|could)\s+(?:that|this|it|she|he|they|the school|the council|"
    r"the senco|that what|this what)\b(?:\s+\w+){0,4}?\s+(?:actually |really |even |definitely |still |all |a )?"
    r"(?:true|right|correct|legal|lawful|allowed|normal|ok|okay|wrong|a mistake|mistake|the law|the case|count|counts|"
    r"binding|standard|usual|fair)"
    # nothing new after it: "is that true for college as well?" asks something new
    r"(?:\s+(?:then|legally|though|tho|or not|at all|really|actually|on (?:their|his|her|your|its) part|of (?:them|it)|"
    r"to do(?: that)?|for them to do(?: that)?))*"
    r"|(?:are you|you) (?:sure|certain)|is that so|really|seriously)\W*$",
    re.IGNORECASE)
# An answer that contradicts one just said is never the next reply: after the transfer rules for a family moving
# INTO Essex, "how long has Essex got to confirm it?" and "when should they have been in touch by?" found the answer
# for moving OUT of Essex first (0.88, 0.75), on the joined reading's words about moving.
MOVING_IN = frozenset({"moving-into-essex-plan-transfers", "moving-into-essex-when-transfers",
                       "moving-into-essex-six-weeks"})
NOT_AFTER: dict[str, frozenset[str]] = {"moving-into-essex-moving-out": MOVING_IN}
# A pronoun or possessive ("when does the college have to be in his plan by") points back at the child or the answer.
_POINTS_BACK = re.compile(r"\b(?:that|this|it|its|they|them|their|those|these|then|there|he|she|him|his|her)\b"
                          r"|^\s*(?:and|but|so|or)\b", re.IGNORECASE)


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
    is not answered with the answer it follows ("what can I do about it?" is not asking the same again), but
    when its joined reading finds that answer first and surely it is kept as `asked_again`, for the caller to say
    again if nothing else is near (the one ranking serves both: no second look-up), and it is the reply itself,
    marked `again`, when the follow-up alone also points at it (ASKS_WHAT_WAS_SAID). Such a follow-up is on the
    subject of what was said, so its joined reading is kept whatever the message alone scores: after the answer on
    a permanent exclusion, "what happens with her education now" alone found plans ending for a job (0.97, over
    the joined reading's 0.96 for the answer said), joined the sixth-day education (followups v1 55 -> 55, v2
    55 -> 56, v3 46 -> 46 of 80 in the whole chat). The topic of a bank answer in `said` is the context, before
    `context_topic` (the conversation's article topic:
    an answer on exclusions, school fines or benefits has no article, so the slot holds the classified intent's
    topic, and "is that allowed? he has an EHCP" after an exclusion answer leaned to the wrong one)."""
    if not (text or "").strip() or text.startswith("/"):
        return None
    asked_again = near_again = None
    try:
        with session_scope() as session:
            index = answer_index(session)
            context_topic = topic_said(index, said) or context_topic
            contrary = _contrary_to(index, said)
            follows = is_follow_up(text, previous, context_topic)
            # A follow-up is ranked whole, alone and joined: a few answers' scores under both readings are needed.
            alone = rank_message(session, text, intent, intent_ranking, context_topic)
            hits = alone.best(3, contrary) if alone is not None else []
            if follows and alone is not None:
                joined_ranking = rank_message(session, f"{str(previous).strip().rstrip('.?!')}. {text}", intent,
                                              intent_ranking, context_topic)
                joined = joined_ranking.best(5, contrary) if joined_ranking is not None else []
                checked = _checked_answer(text, joined, said)
                if checked is not None:
                    return AnswerReply("answer", (replace(checked, again=True),), asked_again=checked)
                joined = joined[:3]
                if joined and joined[0].score >= CONFIDENT and _was_said(joined[0], said):
                    asked_again = joined[0]
                    if alone.score_of(asked_again.id) >= ASKS_WHAT_WAS_SAID:
                        return AnswerReply("answer", (replace(asked_again, again=True),), asked_again=asked_again)
                elif joined and joined[0].score >= NOTHING and _was_said(joined[0], said):
                    near_again = joined[0]
                if joined and joined_ranking is not None and (
                        not hits or leans_on_what_was_said(text) or asked_again is not None
                        or joined[0].score > hits[0].score
                        or _on_both_readings(joined[0], alone, joined_ranking)
                        > _on_both_readings(hits[0], alone, joined_ranking)):
                    hits = joined
                hits = [hit for hit in hits if not _was_said(hit, said)]
    except Exception:
        logger.exception("Could not read the answer bank")
        return None
    reply = best_answer_reply(hits)
    # With nothing else near, the answer just said is said again when its joined reading is only near, not sure:
    # "who do I chase?" after the answer that section G problems go to the NHS (0.72) was told "I can only help
    # with SEND".
    return replace(reply, asked_again=asked_again or (near_again if reply.kind == "none" else None))


def _checked_answer(text: str, joined: Sequence[AnswerHit], said: Sequence[str]) -> AnswerHit | None:
    """The answer just said, when `text` only checks it and the conversation still points at it: the joined reading
    finds it surely (CONFIDENT) and within CHECK_MARGIN of its best. Not when the bank was only near and another
    answer fits as well: "is that allowed?" after a closest answer on what Essex is doing about late plans (0.74),
    when the family's first message was about an educational psychologist's delay (0.73)."""
    if not joined or not checks_what_was_said(text):
        return None
    said_hit = next((hit for hit in joined if _was_said(hit, said)), None)
    if said_hit is None or said_hit.score < CONFIDENT or said_hit.score < joined[0].score - CHECK_MARGIN:
        return None
    return said_hit


def _contrary_to(index: AnswerIndex, said: Sequence[str]) -> frozenset[str]:
    """The answers that contradict an answer just said (NOT_AFTER), to leave out of this reply."""
    ids_said = {answer_id for answer_id, answer in zip(index.ids, index.answers) if answer and _is_said(answer, said)}
    return frozenset(answer_id for answer_id, after in NOT_AFTER.items() if ids_said & after)


def _on_both_readings(hit: AnswerHit, alone: Ranking, joined: Ranking) -> float:
    """An answer's score with the follow-up read alone (ALONE_SHARE) and joined to the message before (the rest)."""
    return ALONE_SHARE * alone.score_of(hit.id) + (1 - ALONE_SHARE) * joined.score_of(hit.id)


def _was_said(hit: AnswerHit, said: Sequence[str]) -> bool:
    return _is_said(hit.answer, said)


def _is_said(answer: str, said: Sequence[str]) -> bool:
    """An answer's text is in what the assistant said (a reply may hold it with more around it)."""
    return any(answer.strip() in text_said for text_said in said)


def is_follow_up(text: str, previous: str | None, context_topic: str | None) -> bool:
    """A short typed message after an answered question (a button click is no question to lean on)."""
    return bool(context_topic and previous and previous.strip() and not previous.startswith("/")
                and len(text.split()) <= FOLLOW_UP_WORDS)


def topic_said(index: AnswerIndex, said: Sequence[str]) -> str | None:
    """The topic of the bank answer the assistant said last, if its reply held one."""
    for text_said in reversed(said):
        for position, answer in enumerate(index.answers):
            if answer and answer.strip() in text_said:
                return index.topics[position]
    return None


def checks_what_was_said(text: str) -> bool:
    """A short message that only asks whether what was said is true, right or allowed (CHECK_WORDS, _CHECKS)."""
    return len((text or "").split()) <= CHECK_WORDS and bool(_CHECKS.search(text or ""))


def leans_on_what_was_said(text: str) -> bool:
    """A short message that points back at what was said: a pronoun or a leading 'and', 'but', 'so'."""
    return bool(_POINTS_BACK.search(text or ""))


def topic_of_answer_said(said: Sequence[str]) -> str | None:
    """`topic_said` with its own session: None when nothing from the bank was said or the bank cannot be read."""
    if not said:
        return None
    try:
        with session_scope() as session:
            return topic_said(answer_index(session), said)
    except Exception:
        logger.exception("Could not read the answer bank")
        return None

