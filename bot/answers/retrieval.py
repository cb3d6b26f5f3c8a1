"""What the chat action calls: `find_answers` ranks the answer bank for a message, `best_answer_reply` says
what to do with the ranking (answer, offer a choice, or say nothing from the bank).

Why a per-process cache keyed by the database's (count, newest updated_at): building the index reads every
answer's stored vectors (a few MB), too slow to do per message, while asking the database whether anything
changed is one indexed query. An officer's edit sets `updated_at`, so the next message in every process sees
it, with no reload. The same query reads when the answer model (bot.answers.answer_model) was fitted, so a
refit is picked up the same way. Nothing is encoded here except the family's message (the answers' vectors
and the model are stored).

Thresholds (score scale: see bot.answers.scoring; measured on the 237 blind probes and 40 off-topic
messages, bench/answers.md):
  NOTHING   below this the bank has no answer: the chat falls back (guidance article, or "I don't know").
  CONFIDENT at or above this, and no rival within CLOSE, the top answer is given directly ('answer').
  CLOSE     a second answer within this margin of the first (both at least NOTHING): 'choose' with both.
  Between NOTHING and CONFIDENT with no close rival: 'choose' with the one.
  The chat says the best answer of a 'choose' too, headed by the question it answers, and offers the rival, the
  topic's overview and a person as buttons (actions/bank_reply.py, `say_closest`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from bot.answers.answer_model import load_answer_model, version_of
from bot.answers.scoring import AnswerIndex, build_index, score, top
from bot.answers.vectors import from_blob
from bot.db.queries.answers import answers_version, list_answer_index_rows
from bot.last_checked import last_checked

# Measured with `python -m bot eval-answers` (figures in bench/answers.md), retrieval alone:
# at 0.60, 98% of probes reach it and 3 of 40 off-topic messages do (two near the subject: Christmas school
# holidays, a blue badge; one naming Southend); at 0.75, 89% of probes reach it and 86% of those are right
# (84% overall), so below it the answer is offered, not stated. A top-two gap under 0.03 is seen in 29% of
# wrong first answers but 13% of right ones, so then both are offered.
NOTHING = 0.60
CONFIDENT = 0.75
CLOSE = 0.03
# When the classifier calls a message out of scope, the bank's answer replaces "I can only help with SEND" only at
# or above this: on the 85 out-of-scope messages of our own four held-out NLU sets, 5 reach CONFIDENT (term dates,
# half term, a council job, free school meals) and 1 reaches this (free school meals -> holiday clubs, which are
# for children on free school meals); SEND questions the classifier put there scored 0.95 to 1.64 ("will I be
# fined, she hasn't been to school since September", "how do I apply for DLA", a Blue Badge). Between CONFIDENT and
# this line the answer is said as the closest, headed by its own question (actions/feedback_actions.py): on the
# blind probes the classifier called out of scope, 7 of the 8 answers there carried the fact asked for.
OUT_OF_SCOPE_CONFIDENT = 0.90
# Below this the classifier's "out of scope" is a guess, and a near answer (NOTHING to CONFIDENT) is offered as the
# closest: "found a small independent school ... not on the approved list" (out_of_scope 0.48, the independent
# school answers at 0.71) was told "I can only help with SEND" (follow-up set v9, read). Of the messages our
# probe sets v1-v12 and held-out NLU sets (with real-dev) put there under 0.5 with a near answer, the closest
# carried the fact for 5 of 6 probes; 4 were SEND questions and 2 of 113 truly out-of-scope messages would get a
# closest answer with its way out instead ("What if a household member turns 18 while you are getting the
# discount?"; an evening about fostering) (bench/answers.md).
WEAK_OUT_OF_SCOPE = 0.5


@dataclass(frozen=True)
class AnswerHit:
    id: str
    topic: str
    title: str  # the topic's title
    question: str
    answer: str
    score: float
    related: dict[str, list[str]]
    # The oldest date the answer's sources were checked, or None when families must not be shown one (its
    # sources need an officer's re-read, or none was checked): bot.last_checked.
    checked: date | None = None
    # The answer the assistant said last, said again because the family's follow-up asks what it says ("so
    # what's the last day?" after the 15 days for a draft): the chat heads it "I think my last answer covers that".
    again: bool = False


@dataclass(frozen=True)
class AnswerReply:
    kind: Literal["answer", "choose", "none"]
    hits: tuple[AnswerHit, ...]  # 'answer': one; 'choose': one or two to offer; 'none': empty
    # A short follow-up whose reading with the question before it finds, first and surely, the answer just said
    # ("will we actually have to go?" after "an appeal on a refusal to assess often has no hearing"). That answer
    # is never among `hits` (a follow-up is not answered with what it follows); callers say it again only when
    # nothing else is near, rather than "I can only help with SEND".
    asked_again: AnswerHit | None = None


def out_of_scope_near(reply: AnswerReply | None, confidence: float | None = None) -> bool:
    """A SEND answer near enough to offer as the closest, not "I can only help with SEND", for a message the
    classifier called out of scope: two close answers both near enough to be stated alone ("Can we get help paying
    for a carer for my son at home" found Family Fund (0.92) and direct payments for care (0.91); on our own
    held-out sets' 99 out-of-scope messages and real-dev's 25, none has such a pair), or any near answer when the
    classifier itself was not even half sure (WEAK_OUT_OF_SCOPE)."""
    if reply is None or reply.kind != "choose":
        return False
    return reply.hits[0].score >= OUT_OF_SCOPE_CONFIDENT or (confidence is not None and confidence < WEAK_OUT_OF_SCOPE)


def out_of_scope_answer(reply: AnswerReply | None) -> AnswerHit | None:
    """The answer to state for a message the classifier called out of scope, when the bank is sure enough."""
    if reply is not None and reply.kind == "answer" and reply.hits[0].score >= OUT_OF_SCOPE_CONFIDENT:
        return reply.hits[0]
    return None


def best_answer_reply(hits: Sequence[AnswerHit]) -> AnswerReply:
    """What the chat should do with `find_answers`' hits (best first): pure, so the action can test it alone."""
    usable = [h for h in hits if h.score >= NOTHING]
    if not usable:
        return AnswerReply("none", ())
    first = usable[0]
    rival = next((h for h in usable[1:] if h.id != first.id and first.score - h.score < CLOSE), None)
    if rival is not None:
        return AnswerReply("choose", (first, rival))
    if first.score >= CONFIDENT:
        return AnswerReply("answer", (first,))
    return AnswerReply("choose", (first,))


# ------------------------------------------------------------------------------------------------ cache


@dataclass(frozen=True)
class _Row:
    id: str
    topic: str
    title: str
    question: str
    answer: str
    related: dict[str, Any]
    search_text: str
    matrix: npt.NDArray[np.float32]
    checked: date | None


_cache: dict[str, tuple[tuple[int, datetime | None, datetime | None], AnswerIndex]] = {}
_cache_lock = threading.Lock()


def answer_index(session: Session) -> AnswerIndex:
    """The index for this session's database, with the stored answer model, rebuilt only when an answer was
    added, changed or removed, or the model was refitted."""
    key = str(session.get_bind().url)
    version = answers_version(session)
    cached = _cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _cache_lock:
        found = list_answer_index_rows(session)
        rows = [_Row(r.id, r.topic, r.title, r.question, r.answer, r.related or {}, r.search_text or "",
                     from_blob(r.vectors, r.vector_rows or 0), last_checked(r.sources, bool(r.verify)))
                for r in found]
        model = load_answer_model(session)
        columns = model.columns([r.id for r in found], [version_of(r.updated_at) for r in found]) if model else None
        index = build_index(rows, model.classifier if model else None, columns)
        _cache[key] = (version, index)
        return index


def clear_answer_cache() -> None:
    _cache.clear()


def encode_message(text: str) -> npt.NDArray[np.float32] | None:
    """The message's vector, or None when the encoder's files are missing (retrieval then uses words alone)."""
    from bot.answers.vectors import encoder_available

    if not text.strip() or not encoder_available():
        return None
    from bot.nlp.encoder import encode

    vector: npt.NDArray[np.float32] = encode([text])[0]
    return vector


def find_answers(session: Session, text: str, intent: str | None = None,
                 intent_ranking: list[dict[str, Any]] | None = None, context_topic: str | None = None,
                 limit: int = 3) -> list[AnswerHit]:
    """The `limit` best answers for `text`, best first, each with its score (never filtered by a threshold:
    `best_answer_reply` decides). `intent` and `intent_ranking` (Rasa's [{name, confidence}], best first) lift
    answers of those topics; `context_topic` (the topic last answered) lifts its answers a little."""
    ranking = rank_message(session, text, intent, intent_ranking, context_topic)
    return ranking.best(limit) if ranking is not None else []


def rank(index: AnswerIndex, vector: npt.NDArray[np.float32] | None, text: str, intent: str | None = None,
         intent_ranking: list[dict[str, Any]] | None = None, context_topic: str | None = None,
         limit: int = 3) -> list[AnswerHit]:
    """`find_answers` on an index and an already-encoded message (the evaluation and the benchmark use it)."""
    return ranking_of(index, vector, text, intent, intent_ranking, context_topic).best(limit)


@dataclass(frozen=True)
class Ranking:
    """Every answer's score for one message. Why not a list of hits: a follow-up needs the scores of a few answers
    under two readings, and building a hit for each of 10,000 answers takes tens of milliseconds."""

    index: AnswerIndex
    scores: npt.NDArray[np.float32]

    def best(self, limit: int, leave_out: frozenset[str] = frozenset()) -> list[AnswerHit]:
        """The `limit` best answers, best first, without those in `leave_out`."""
        index, scores = self.index, self.scores
        chosen = [i for i in top(scores, limit + len(leave_out)) if index.ids[i] not in leave_out][:limit]
        return [AnswerHit(index.ids[i], index.topics[i], index.titles[i], index.questions[i], index.answers[i],
                          round(float(scores[i]), 4), index.related[i], index.checked[i]) for i in chosen]

    def score_of(self, answer_id: str) -> float:
        """One answer's score (minus infinity for an id not in the bank)."""
        try:
            return round(float(self.scores[self.index.ids.index(answer_id)]), 4)
        except ValueError:
            return float("-inf")


def ranking_of(index: AnswerIndex, vector: npt.NDArray[np.float32] | None, text: str, intent: str | None = None,
               intent_ranking: list[dict[str, Any]] | None = None,
               context_topic: str | None = None) -> Ranking:
    ranked = [str(r.get("name")) for r in (intent_ranking or []) if isinstance(r, dict) and r.get("name")]
    return Ranking(index, score(index, vector, text, intent, ranked, context_topic))


def rank_message(session: Session, text: str, intent: str | None = None,
                 intent_ranking: list[dict[str, Any]] | None = None,
                 context_topic: str | None = None) -> Ranking | None:
    """`find_answers`' ranking kept whole (None for an empty bank or message), for callers that need more than the
    top few: a follow-up read alone and joined to the message before it."""
    index = answer_index(session)
    if not len(index) or not (text or "").strip():
        return None
    return ranking_of(index, encode_message(text), text, intent, intent_ranking, context_topic)
