"""A message that asks two SEND questions: find the second one, so the family is offered both topics.

Why sentence by sentence: a parent's post often reads "...what do we do about transport? And can we still ask
for a personal budget?". The whole message gets one intent (usually the first or the longest part); each
question sentence classified on its own shows the other topic. Only sentences that read as questions count
(`is_question`), and only a confident, different SEND topic is offered: a story sentence never becomes a topic.
The whole message must lend the topic some weight too (`MIN_SUPPORT`): a short question read out of its story
("When do we have to decide?") is often confidently wrong on its own, and the whole message then gives that
topic almost nothing (measured on the held-out sets: bench/README.md, "Two questions in one message").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from bot.nlp.encoder import is_question, split_sentences

# Intents that are SEND topics a family could be offered as "you also asked about".
NOT_TOPICS = frozenset({"nlu_fallback", "safeguarding_urgent", "out_of_scope", "request_human", "greet", "goodbye",
                        "thank", "affirm", "deny", "bot_challenge", "inform", "more_info", "more_services"})
# A sentence's topic must be at least this sure to be offered (measured in bench/README.md, two questions).
MIN_CONFIDENCE = 0.6
# Shorter "questions" ("why?", "what now?") carry no topic of their own.
MIN_CHARACTERS = 15
MAX_OFFERED = 2
# The topic's share in the whole message's ranking; below this the sentence was read out of its context.
MIN_SUPPORT = 0.01

Classify = Callable[[Sequence[str]], Sequence[tuple[str, float]]]
_CLAUSES = re.compile(r"[.,;:!]+|\b(?:and|but|so)\b")


@dataclass(frozen=True)
class OtherQuestion:
    intent: str
    confidence: float
    text: str

    def as_dict(self) -> dict[str, object]:
        return {"intent": self.intent, "confidence": round(self.confidence, 4), "text": self.text}


def asks_something(text: str) -> bool:
    """Some clause of `text` reads as a question: families often leave out the '?' and ask after a comma ("we
    moved in last month with an ehcp, when will the next review be")."""
    return "?" in (text or "") or any(is_question(clause) for clause in _CLAUSES.split((text or "").lower())
                                      if clause.strip())


def question_sentences(text: str) -> list[str]:
    """The sentences of `text` that ask something, long enough to carry a topic."""
    return [s for s in split_sentences(text or "") if is_question(s) and len(s) >= MIN_CHARACTERS]


def other_questions(text: str, main_intent: str | None, classify: Classify,
                    support: Mapping[str, float] | None = None) -> list[OtherQuestion]:
    """Questions in `text` about SEND topics other than `main_intent`, best first, one per topic.

    `classify` maps sentences to (intent, confidence) pairs; it is only called when the message holds two or
    more question sentences, so a one-question message costs nothing extra. `support` is the whole message's
    intent ranking (name -> confidence); when given, a topic it rates under MIN_SUPPORT is not offered."""
    sentences = question_sentences(text)
    if len(sentences) < 2:
        return []
    found: dict[str, OtherQuestion] = {}
    for sentence, (intent, confidence) in zip(sentences, classify(sentences)):
        if intent in NOT_TOPICS or intent == main_intent or confidence < MIN_CONFIDENCE:
            continue
        if support is not None and support.get(intent, 0.0) < MIN_SUPPORT:
            continue
        if intent not in found or confidence > found[intent].confidence:
            found[intent] = OtherQuestion(intent, float(confidence), sentence)
    return sorted(found.values(), key=lambda q: -q.confidence)[:MAX_OFFERED]
