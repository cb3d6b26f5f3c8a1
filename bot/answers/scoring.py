"""The ranking itself, with no database: an in-memory index of every answer and a scoring function over it.

Why hybrid: sentence vectors find an answer worded nothing like the question ("is he too old at 19?" -> the
age limit of 25), while words catch the exact terms a parent types that the small encoder blurs (DLA, PIP,
Southend, mediation). The classified intent and the last topic answered are priors: they lift an answer of
that topic, never hide the others, so a misclassified message can still find its answer.

Scores (all for one message, over N answers):
  meaning  = (1 - ANSWER_WEIGHT) * soft maximum of the cosines over the question and its variants
             (TAU * log sum exp(cos / TAU): the best wording counts most, a second close one adds a little)
             + ANSWER_WEIGHT * cosine with the answer text (written to be read, not asked: it counts less)
  words    = IDF-weighted share of the message's content words found in the answer's wordings and title,
             plus the IDF of each adjacent word pair also found ("half term", "section g"): a pair is extra
             evidence on top of the share, so this can pass 1 (measured better than counting pairs in the share)
  score    = meaning + WORD_WEIGHT * words + INTENT_BONUS (topic == intent) or RANKED_BONUS (topic in the
             classifier's top 3) + CONTEXT_BONUS (topic == the last topic answered)
             + SECTION_BONUS when the message names a section of a plan ("section G", "H1") that the answer's own
             question is about: a section letter is an exact name, which the encoder blurs ("section G" sits
             as near "section C" as it does to itself) and which a neighbouring answer may mention in passing;
             - SECTION_BONUS for an answer whose own question is about other sections only
             + KIND_BONUS when the message's question sentences ask the same kind of thing as the answer's own
             question (when / how long, who, how much); - KIND_BONUS for an answer whose question asks only
             what something is, when the message asks one of those kinds and not what it is. Why: the words
             that say what kind of thing is asked ("when", "at what point", "who") are stop-words to the word
             score and weak in the encoder, so "at what point can we ask for a personal budget?" found what a
             personal budget is (0.85) before when to ask for one (0.72). On the seven probe sets written before
             it, +11 of 1,948 first answers, level from 0.04 to 0.12 (bench/answers.md).
             + ANSWER_MODEL_WEIGHT * learned, when there is a message vector and a stored answer model
  learned  = log(p(answer | message) + 1e-9) from the answer model (bot.answers.answer_model: a softmax regression
             fitted on every answer's wording and answer-text vectors), less its largest value for this message.
             Why less the largest: the ranking is that of log p itself, but the model's best pick gets 0, so the
             top score stays on the scale the thresholds were set on (uncentred, 29 of the 130 second-set probes
             fell below NOTHING). An answer the model was not fitted on as it now stands (new, or edited since
             the last fit) gets 0 too: the term cannot then put it below any answer, so a new answer is never
             buried while the refit runs (the median log p, tried, buried a fifth of held-out answers asked in
             their own words; bench/answers.md).
The weights were set on the probes (bench/answers.md); thresholds on the score are in bot.answers.retrieval.

Speed: the cost is reading every wording vector (10,000 answers are ~52,000 vectors, 80 MB). Above EXACT_UP_TO
answers a first pass scores each answer's mean vector (one row each) plus words, priors and the learned term, and
only the CANDIDATES best are scored exactly; the bench checks the top answer is the same as the exact ranking's.
The learned term is one (labels x 384) product for every answer (at most answer_model.MAX_ANSWERS labels).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence, cast

import numpy as np
import numpy.typing as npt

from bot.answers.vectors import DIM
from bot.nlp.intent_model import SoftmaxRegression

Floats = npt.NDArray[np.float32]  # scores and (rows, 384) meaning vectors
Positions = npt.NDArray[np.int64]  # answer or row positions
ANSWER_WEIGHT = 0.35
WORD_WEIGHT = 0.20
TAU = 0.10
INTENT_BONUS = 0.06
RANKED_BONUS = 0.03
CONTEXT_BONUS = 0.04
SECTION_BONUS = 0.10
KIND_BONUS = 0.04
# The kinds of thing a question asks, found in its question sentences (bot.nlp.encoder's reading of them).
QUESTION_KINDS = {
    "time": re.compile(r"\b(?:when (?:can|do|does|will|should|is|are|must|did|would|could|has|have)|at what "
                       r"(?:point|stage|age)|how long|how soon|how quickly|by when|deadlines?|time limits?|how many "
                       r"(?:days|weeks|months)|timescales?)\b"),
    # "who" that asks, not "my daughter who has an EHCP": opening the question, or before what is asked of someone
    "who": re.compile(r"^\W*(?:(?:and|but|so|then|ok|okay)\W+)?who(?:se|'s)?\b|\bwho (?:do|does|did|can|could|should|"
                      r"will|would|pays|decides|must|has to|have to)\b"),
    "cost": re.compile(r"\bhow much\b|\bwho pays\b|\bpay for\b|\bcosts?\b|\bfund(?:s|ed|ing)?\b"),
}
_DEFINES = re.compile(r"^\s*what(?:'s| is| are)\b|\bwhat (?:does|do) .* mean\b|\bstand for\b|\bwhat even is\b"
                      r"|\bsame (?:thing )?as\b")
ANSWER_MODEL_WEIGHT = 0.05  # chosen on the first probe set with C=16; the second set confirms
# "section g", "sections c and d", "sections h1 and h2", "section i": the lettered sections of an EHC plan.
_SECTIONS = re.compile(r"\bsections?\s+((?:[a-k][12]?)(?:\s*(?:,|and|&|or|/)\s*[a-k][12]?\b)*)\b")
_SECTION_NAME = re.compile(r"\b[a-k][12]?\b")
EXACT_UP_TO = 2_000
CANDIDATES = 200
STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been before but by can could did do does doing dont for
from get got had has have he her hers him his how i if im in into is it its ive just me my no not now of on or
our ours she should so than that the their them then there these they this to too us was we were what when
where which who why will with would you your yours ok okay please thanks hi hello really still want need know
tell told say said ask asked son daughter child childs kid kids ds dd dc year years old
""".split())
# Who the child is to the writer: a pair with one of these ("my_autistic", "autistic_son") says no more than
# the other word alone, and let any wording about "my autistic son" pull every such question to its answer.
WHOSE = frozenset("my our his her their son daughter child childs kid kids ds dd dc".split())
# Spellings families use for the same thing, folded to one word before matching.
FOLD = {"ehcp": "ehc", "ehcps": "ehc", "ehcna": "ehc", "ehcnas": "ehc", "senco": "senco", "sencos": "senco",
        "tribunal": "tribunal", "sendist": "tribunal", "la": "council", "lea": "council", "authority": "council",
        "colleges": "college", "schools": "school", "parents": "parent", "carers": "carer"}
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case with curly quotes and dashes made plain, so "child’s" and "child's" are one word."""
    return (text or "").lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace(
        "\u2014", "-")


def stem(word: str) -> str:
    """A very light stem: plural and -ing/-ed endings, enough for 'reviews'/'reviewed'/'reviewing'."""
    word = FOLD.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def named_sections(text: str) -> frozenset[str]:
    """The plan sections a text names: "What are sections C and D?" -> {"c", "d"}; "H1" stands alone as "h1"."""
    found: set[str] = set()
    for match in _SECTIONS.finditer(normalise(text)):
        found.update(_SECTION_NAME.findall(match.group(1)))
    return frozenset(found)


def asked_kinds(text: str) -> frozenset[str]:
    """What kinds of thing a family's message asks (QUESTION_KINDS, and "define" for what something is), read
    from its question sentences only: "missed the boat when it was first written" asks no "when"."""
    from bot.nlp.encoder import is_question, split_sentences

    lowered = normalise(text)
    asked = [s for s in split_sentences(lowered) if is_question(s)] or [lowered]
    kinds = {name for name, pattern in QUESTION_KINDS.items() if any(pattern.search(s) for s in asked)}
    if any(_DEFINES.search(s) for s in asked):
        kinds.add("define")
    return frozenset(kinds)


def answer_kinds(question: str) -> frozenset[str]:
    """The kinds an answer's own question asks; "define" only for a question that asks nothing else."""
    lowered = normalise(question)
    kinds = {name for name, pattern in QUESTION_KINDS.items() if pattern.search(lowered)}
    return frozenset(kinds or ({"define"} if _DEFINES.search(lowered) else set()))


def content_words(text: str) -> list[str]:
    """The words that carry meaning (stemmed, without stop-words or 's), then each pair of adjacent words
    that is not two stop-words ("half_term", "section_g"), unique, in order."""
    raw = _WORD.findall(normalise(text).replace("'s ", " ").replace("'", ""))
    stems = [stem(word) for word in raw]
    seen: dict[str, None] = {}
    for word, stemmed in zip(raw, stems):
        if word not in STOP_WORDS and len(word) > 1:
            seen.setdefault(stemmed, None)
    for (first, a), (second, b) in zip(zip(raw, stems), zip(raw[1:], stems[1:])):
        if not (first in STOP_WORDS and second in STOP_WORDS) and not {first, second} & WHOSE:
            seen.setdefault(f"{a}_{b}", None)
    return list(seen)


@dataclass
class AnswerIndex:
    """Every answer's vectors and words, laid out so one message is scored with a few numpy operations."""

    ids: list[str]
    topics: list[str]
    titles: list[str]
    questions: list[str]
    answers: list[str]
    related: list[dict[str, Any]]
    checked: list[date | None]  # the date each answer may show as last checked (not used in scoring)
    wordings: Floats  # (R, 384): every question and variant vector, each answer's rows together
    starts: Positions  # (N,): where each answer's rows begin in `wordings`
    answer_vectors: Floats  # (N, 384): the answer text's vector (zeros if none)
    centroids: Floats  # (N, 384): the mean of each answer's wording vectors, for the first pass
    counts: Positions  # (N,): how many wording rows each answer has
    postings: dict[str, Positions] = field(default_factory=dict)  # word -> answers that contain it
    idf: dict[str, float] = field(default_factory=dict)
    topic_codes: dict[str, Positions] = field(default_factory=dict)  # topic -> answers of that topic
    section_codes: dict[str, Positions] = field(default_factory=dict)  # "g" -> answers whose question is about it
    kind_codes: dict[str, Positions] = field(default_factory=dict)  # "time" -> answers whose question asks when
    model: SoftmaxRegression | None = None  # the answer model (bot.answers.answer_model), if one is stored
    model_columns: Positions | None = None  # (N,): each answer's column in `model`, -1 if not fitted on it as is

    def __len__(self) -> int:
        return len(self.ids)


def build_index(rows: Sequence[Any], model: SoftmaxRegression | None = None,
                model_columns: Positions | None = None) -> AnswerIndex:
    """`rows` carry id, topic, title, question, answer, related, search_text and `matrix` (their stored vectors:
    question, variants, answer; empty when there are none), and may carry `checked` (the date to show).
    `model` and `model_columns` (one per row: its column in the model, -1 for none) add the answer model's term."""
    wordings, starts, answer_vectors = [], [], []
    postings: dict[str, list[int]] = {}
    topic_codes: dict[str, list[int]] = {}
    section_codes: dict[str, list[int]] = {}
    kind_codes: dict[str, list[int]] = {}
    offset = 0
    for index, row in enumerate(rows):
        matrix = row.matrix
        if len(matrix) >= 2:
            wordings.append(matrix[:-1])
            answer_vectors.append(matrix[-1])
            rows_added = len(matrix) - 1
        else:  # no vectors yet: one zero row so every answer has a segment
            wordings.append(np.zeros((1, DIM), np.float32))
            answer_vectors.append(np.zeros(DIM, np.float32))
            rows_added = 1
        starts.append(offset)
        offset += rows_added
        for word in set(content_words(row.search_text)):
            postings.setdefault(word, []).append(index)
        topic_codes.setdefault(row.topic, []).append(index)
        for section in named_sections(row.question):
            section_codes.setdefault(section, []).append(index)
        for kind in answer_kinds(row.question):
            kind_codes.setdefault(kind, []).append(index)
    n = max(len(rows), 1)
    usable = model is not None and model_columns is not None and len(model_columns) == len(rows)
    matrix_all = np.concatenate(wordings).astype(np.float32) if wordings else np.zeros((0, DIM), np.float32)
    starts_array = np.array(starts, dtype=np.int64)
    counts = np.diff(np.append(starts_array, len(matrix_all))) if len(starts_array) else np.zeros(0, np.int64)
    centroids = (np.add.reduceat(matrix_all, starts_array) / counts[:, None]).astype(np.float32) if len(rows) \
        else np.zeros((0, DIM), np.float32)
    return AnswerIndex(
        ids=[r.id for r in rows],
        topics=[r.topic for r in rows],
        titles=[r.title for r in rows],
        questions=[r.question for r in rows],
        answers=[r.answer for r in rows],
        related=[dict(r.related or {}) for r in rows],
        checked=[getattr(r, "checked", None) for r in rows],
        wordings=matrix_all,
        starts=starts_array,
        counts=counts,
        centroids=centroids,
        answer_vectors=np.stack(answer_vectors).astype(np.float32)
        if answer_vectors
        else np.zeros((0, DIM), np.float32),
        postings={w: np.array(ix, dtype=np.int64) for w, ix in postings.items()},
        idf={w: math.log(1 + n / len(ix)) for w, ix in postings.items()},
        topic_codes={t: np.array(ix, dtype=np.int64) for t, ix in topic_codes.items()},
        section_codes={s: np.array(ix, dtype=np.int64) for s, ix in section_codes.items()},
        kind_codes={k: np.array(ix, dtype=np.int64) for k, ix in kind_codes.items()},
        model=model if usable else None,
        model_columns=model_columns if usable else None,
    )


def meaning_scores(index: AnswerIndex, vector: Floats,
                   candidates: npt.NDArray[np.integer[Any]] | None = None) -> Floats:
    """The meaning score of every answer, or (with `candidates`) of those only, the others left at -1."""
    if not len(index):
        return np.zeros(0, np.float32)
    if candidates is None:
        best = TAU * np.log(np.add.reduceat(np.exp((index.wordings @ vector) / TAU), index.starts))
        return cast(Floats, (1 - ANSWER_WEIGHT) * best + ANSWER_WEIGHT * (index.answer_vectors @ vector))
    counts = index.counts[candidates]
    offsets = np.cumsum(counts) - counts
    rows = np.repeat(index.starts[candidates] - offsets, counts) + np.arange(int(counts.sum()))
    best = TAU * np.log(np.add.reduceat(np.exp((index.wordings[rows] @ vector) / TAU), offsets))
    scores = np.full(len(index), -1.0, np.float32)
    scores[candidates] = (1 - ANSWER_WEIGHT) * best + ANSWER_WEIGHT * (index.answer_vectors[candidates] @ vector)
    return scores


def model_scores(index: AnswerIndex, vector: Floats) -> Floats | None:
    """log(p(answer | message) + 1e-9) from the answer model, less its largest value over the answers here, or
    None without a model; an answer the model was not fitted on as it stands (new, or edited since) gets 0, as
    the model's own best pick does (why both: the module docstring)."""
    columns = index.model_columns
    if index.model is None or columns is None:
        return None
    known = columns >= 0
    if not known.any():
        return None
    log_p = np.log(index.model.predict_proba(vector[None, :].astype(np.float32))[0] + 1e-9)
    values = np.zeros(len(index), np.float32)
    values[known] = log_p[columns[known]]
    values[known] -= values[known].max()
    return values


def word_scores(index: AnswerIndex, text: str) -> Floats:
    scores = np.zeros(len(index), np.float32)
    words = content_words(text)
    # The share is of single words only: a matching pair is extra evidence, not a second chance to miss.
    total = sum(index.idf.get(w, math.log(1 + max(len(index), 1))) for w in words if "_" not in w)
    if not total:
        return scores
    for word in words:
        hits = index.postings.get(word)
        if hits is not None:
            scores[hits] += index.idf[word]
    return scores / total


def score(index: AnswerIndex, vector: Floats | None, text: str, intent: str | None = None,
          ranked: Sequence[str] = (), context_topic: str | None = None) -> Floats:
    """One number an answer for the message; higher is better (see the module docstring)."""
    total = word_scores(index, text) * WORD_WEIGHT
    for topic in ranked[:3]:
        if topic != intent and topic in index.topic_codes:
            total[index.topic_codes[topic]] += RANKED_BONUS
    if intent and intent in index.topic_codes:
        total[index.topic_codes[intent]] += INTENT_BONUS
    if context_topic and context_topic in index.topic_codes:
        total[index.topic_codes[context_topic]] += CONTEXT_BONUS
    sections = named_sections(text)
    named = [index.section_codes[s] for s in sections if s in index.section_codes]
    if named:
        lifted = np.unique(np.concatenate(named))
        others = [codes for s, codes in index.section_codes.items() if s not in sections]
        if others:  # an answer about other sections only ("sections C and D" for "section G") drops as much
            total[np.setdiff1d(np.concatenate(others), lifted)] -= SECTION_BONUS
        total[lifted] += SECTION_BONUS
    kinds = asked_kinds(text) if index.kind_codes else frozenset()
    for kind in kinds - {"define"}:
        if kind in index.kind_codes:
            total[index.kind_codes[kind]] += KIND_BONUS
    if kinds and "define" not in kinds and "define" in index.kind_codes:
        total[index.kind_codes["define"]] -= KIND_BONUS
    if vector is None:
        return total
    learned = model_scores(index, vector)
    if learned is not None:
        total += ANSWER_MODEL_WEIGHT * learned
    candidates = None
    if len(index) > EXACT_UP_TO:  # first pass: one mean vector an answer, plus words, priors, learned term
        rough = index.centroids @ vector + total
        candidates = np.sort(np.argpartition(-rough, CANDIDATES - 1)[:CANDIDATES])
    return total + meaning_scores(index, vector, candidates)


def top(scores: Floats, limit: int) -> list[int]:
    """The `limit` best positions, best first (argpartition: no full sort of 10,000 scores)."""
    if not len(scores) or limit <= 0:
        return []
    limit = min(limit, len(scores))
    best = np.argpartition(-scores, limit - 1)[:limit]
    return [int(i) for i in best[np.argsort(-scores[best], kind="stable")]]
