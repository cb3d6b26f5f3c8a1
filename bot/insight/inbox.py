"""Group the questions the assistant could not answer, so an officer deals with a wording once, not fifty times.

Why greedy "leader" clustering on word and letter overlap: officers need groups they can predict and check by
eye, built in well under a second for a few thousand rows, with no model to train or download. Each question is
normalised (lower case, no punctuation, a few stop words dropped, simple plurals folded) and joins the first
group of the same predicted intent whose leader it is most like, if alike enough; otherwise it leads a new one.

Similarity is the larger of two Jaccard scores against the group's leader:
- word sets, which catch reorderings ("transport to school" / "school transport");
- letter trigrams of the normalised text, which catch typos and word endings ("asessment" / "assessments").
The threshold of 0.5 was chosen on the wordings in tests/insight/test_inbox.py: rewordings of one question score
0.52-1.0 ("how do I ask for an ehcp assessment" / "how can I request an EHCP assessment?" 0.54, "where is the
nearest swimming pool" / "swimming pools near me" 0.52), while different questions that share a topic word
score 0.0-0.33 ("ehcp annual review" / "ehcp school transport" 0.2, "complain about the school" / "change
school" 0.33). At 0.55 and above, real rewordings split; below 0.4, questions about one topic start to merge.
It errs towards merging: "speech therapy colchester" / "occupational therapy colchester" (0.5) share a group.
That is acceptable because a group is a unit for assigning an intent, which they share, and the group page
lists every member so an officer can act on single questions.
Questions are never merged across predicted intents, so a group is always safe to assign in one go.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Sequence

THRESHOLD = 0.5

# Why a question reached the inbox, in the words officers see: the inbox's filter and the dashboard use the
# same labels, so the dashboard never counts one kind under another's name.
REASON_LABELS = {
    "fallback": "Not understood",
    "out_of_scope": "Out of scope",
    "not_helped": "Answer did not help",
    "no_match": "No service found",
    "handoff": "Asked for a person",
}

STOP_WORDS = frozenset(
    "a an the and or but of to in on at for with from by is are was were be been am do does did i im i'm me my we "
    "our you your he she it its they them their his her this that these those there here what which who whom how "
    "can could would should will shall may might must please hi hello thanks thank just about so if as get "
    # Who the question is about rarely changes what is asked ("my son" / "my daughter").
    "son daughter child kid boy girl him".split()
)
_NON_WORD = re.compile(r"[^a-z0-9\s]+")
_SPACES = re.compile(r"\s+")
# Words where stripping a final "s" would make a different word (or where the s is not a plural).
_KEEP_S = frozenset("was has this his its bus yes does gas plus less unless always perhaps sometimes "
                    "send".split())


@dataclass(frozen=True)
class Question:
    """One stored unanswered question, as the grouping needs it (no database types)."""

    id: int
    text: str
    intent: str | None
    created_at: datetime
    reason: str = ""
    status: str = "new"
    ranking: tuple[str, ...] = ()


@dataclass
class Group:
    """Questions worded alike with the same predicted intent."""

    intent: str | None
    leader: Question
    members: list[Question] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def member_ids(self) -> list[int]:
        return [q.id for q in self.members]

    @property
    def representative(self) -> str:
        """The commonest wording (as normalised), shown as typed; ties go to the earliest."""
        counts = Counter(normalise_text(q.text) for q in self.members)
        best = max(counts.values())
        for question in sorted(self.members, key=lambda q: q.created_at):
            if counts[normalise_text(question.text)] == best:
                return question.text
        return self.leader.text  # pragma: no cover - members is never empty

    @property
    def first_seen(self) -> datetime:
        return min(q.created_at for q in self.members)

    @property
    def last_seen(self) -> datetime:
        return max(q.created_at for q in self.members)

    @property
    def intents(self) -> list[tuple[str, int]]:
        """Where the model nearly went: every intent in the members' rankings, with how many members named it."""
        counts: Counter[str] = Counter()
        for question in self.members:
            counts.update(set(question.ranking or ((question.intent,) if question.intent else ())))
        return counts.most_common()

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(q.reason for q in self.members).most_common()

    @property
    def statuses(self) -> list[tuple[str, int]]:
        return Counter(q.status for q in self.members).most_common()


def fold_plural(word: str) -> str:
    """'assessments' -> 'assessment', 'therapies' -> 'therapy', 'classes' -> 'class'; short words kept."""
    if len(word) <= 3 or word in _KEEP_S or not word.endswith("s") or word.endswith("ss") or word.endswith("us"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1]


def normalise_tokens(text: str) -> list[str]:
    """The words that carry meaning, in order: lower case, no punctuation, no stop words, plurals folded."""
    lowered = _NON_WORD.sub(" ", text.lower().replace("'", ""))
    folded = (fold_plural(word) for word in lowered.split() if word not in STOP_WORDS)
    return [word for word in folded if word not in STOP_WORDS]


def normalise_text(text: str) -> str:
    return " ".join(normalise_tokens(text))


def trigrams(normalised: str) -> frozenset[str]:
    padded = f"  {normalised} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def jaccard(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> float:
    if not a and not b:
        return 1.0
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity(a: str, b: str) -> float:
    """How alike two raw questions are, from 0 to 1 (the score the grouping uses)."""
    na, nb = normalise_text(a), normalise_text(b)
    return max(jaccard(set(na.split()), set(nb.split())), jaccard(trigrams(na), trigrams(nb)))


class _Bucket:
    """The groups of one predicted intent, with inverted indexes so a new question is compared only with
    leaders it shares a word or trigram with (overlap counts come straight from the index)."""

    def __init__(self, intent: str | None, threshold: float) -> None:
        self.intent = intent
        self.threshold = threshold
        self.groups: list[Group] = []
        self._features: list[tuple[int, int]] = []  # (word count, trigram count) of each leader
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_gram: dict[str, list[int]] = defaultdict(list)

    def add(self, question: Question) -> None:
        norm = normalise_text(question.text)
        words, grams = set(norm.split()), trigrams(norm)
        best, best_score = self._best(words, grams)
        if best is not None and best_score >= self.threshold:
            self.groups[best].members.append(question)
            return
        index = len(self.groups)
        self.groups.append(Group(intent=self.intent, leader=question, members=[question]))
        self._features.append((len(words), len(grams)))
        for word in words:
            self._by_word[word].append(index)
        for gram in grams:
            self._by_gram[gram].append(index)

    def _best(self, words: set[str], grams: frozenset[str]) -> tuple[int | None, float]:
        word_hits: Counter[int] = Counter()
        gram_hits: Counter[int] = Counter()
        for word in words:
            word_hits.update(self._by_word.get(word, ()))
        for gram in grams:
            gram_hits.update(self._by_gram.get(gram, ()))
        best, best_score = None, -1.0
        for index in set(word_hits) | set(gram_hits):
            leader_words, leader_grams = self._features[index]
            shared_w, shared_g = word_hits[index], gram_hits[index]
            score_w = shared_w / (len(words) + leader_words - shared_w) if (words or leader_words) else 1.0
            score_g = shared_g / (len(grams) + leader_grams - shared_g)
            score = max(score_w, score_g)
            if score > best_score or (score == best_score and best is not None and index < best):
                best, best_score = index, score
        return best, best_score


def group_questions(questions: Iterable[Question], threshold: float = THRESHOLD) -> list[Group]:
    """Groups of alike questions, biggest first (then most recent), so the commonest gap is at the top.

    Questions are taken oldest first so a group's leader, and therefore its id order, does not change when
    newer questions arrive.
    """
    buckets: dict[str | None, _Bucket] = {}
    for question in sorted(questions, key=lambda q: (q.created_at, q.id)):
        bucket = buckets.get(question.intent)
        if bucket is None:
            bucket = buckets[question.intent] = _Bucket(question.intent, threshold)
        bucket.add(question)
    groups = [group for bucket in buckets.values() for group in bucket.groups]
    return sorted(groups, key=lambda g: (-g.count, -g.last_seen.timestamp(), g.leader.id))


def parse_ids(raw: str | Sequence[str], limit: int = 5000) -> list[int]:
    """Question ids from a query string ('3,5,8' or repeated values); anything not a positive number is dropped."""
    parts = raw.split(",") if isinstance(raw, str) else [p for value in raw for p in str(value).split(",")]
    ids: dict[int, None] = {}
    for part in parts:
        part = part.strip()
        if part.isdigit() and 0 < int(part) < 2**31:
            ids[int(part)] = None
        if len(ids) >= limit:
            break
    return list(ids)
