"""The answer bank's learned term: a softmax regression from a message's sentence vector to answer ids.

Why: cosines compare a message with each wording alone; a classifier fitted on all of them learns which
directions tell one answer from its neighbours (the lead's offline measure: +2 of 237 and +8 of 130 blind probes,
bench/answers.md). It is fitted on each answer's stored vectors (the question, every variant, and the answer
text as one more example), so nothing new is encoded, and scored as bot.answers.scoring describes.

Why fitted where content changes, never on a family's message: a fit takes about 10 s for 400 answers on two
cores. `python -m bot load` fits after writing the content; an officer's edit in the console refits in a
background thread of the web process (`refit_later`), never blocking the request. Until that lands, an answer
the model was not fitted on as it now stands (new, or edited since: its `updated_at` differs from the one
stored with the label) gets a neutral term, so an edit is live at once under the cosine and word scores.
A failed refit is logged and the previous model stays.

Why a size limit: the fit's cost grows with answers x examples (10,000 answers are ~60,000 examples and 3.8
million weights per iteration), far too slow to run on every edit. Above MAX_ANSWERS no model is stored and the
term is off; retrieval is then what it was before this term.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from bot.answers.vectors import DIM, MODEL, from_blob
from bot.db.queries.answers import delete_answer_model, get_answer_model, list_answer_index_rows, save_answer_model
from bot.db.session import session_scope
from bot.nlp.intent_model import SoftmaxRegression

log = logging.getLogger(__name__)

C = 16.0  # inverse regularisation strength: the lead's offline choice on the first probe set (bench/answers.md)
MAX_ANSWERS = 2_000
Floats = npt.NDArray[np.float32]
Positions = npt.NDArray[np.int64]


class Example(NamedTuple):
    """One answer as the fit sees it: its id, the version it is at (`updated_at`, ISO) and its stored vectors
    (question, variants, then the answer text)."""

    id: str
    version: str
    matrix: Floats


@dataclass(frozen=True)
class AnswerModel:
    classifier: SoftmaxRegression
    versions: list[str]  # per label: the `updated_at` (ISO) of the answer it was fitted on
    fitted_at: datetime
    fit_seconds: float

    def columns(self, ids: Sequence[str], versions: Sequence[str]) -> Positions:
        """Each answer's column in the model, or -1 for one it was not fitted on as it now stands."""
        known = {(label, version): i for i, (label, version) in
                 enumerate(zip(self.classifier.labels, self.versions))}
        return np.array([known.get((answer_id, version), -1) for answer_id, version in zip(ids, versions)],
                        dtype=np.int64)


def version_of(updated_at: datetime | None) -> str:
    return updated_at.isoformat() if updated_at else ""


def read_examples(session: Session) -> list[Example]:
    """Every answer with stored vectors of the current encoder (an answer without them cannot be learned)."""
    return [Example(r.id, version_of(r.updated_at), from_blob(r.vectors, r.vector_rows or 0))
            for r in list_answer_index_rows(session) if r.vector_model == MODEL and (r.vector_rows or 0) >= 2]


_fits: dict[str, SoftmaxRegression] = {}  # training data hash -> fit: a reload of unchanged content is free
_fits_lock = threading.Lock()


def fit_answer_model(examples: Sequence[Example], now: datetime) -> AnswerModel | None:
    """The model for these answers, or None when there are fewer than 2 or more than MAX_ANSWERS."""
    if not 2 <= len(examples) <= MAX_ANSWERS:
        return None
    vectors = np.concatenate([e.matrix for e in examples]).astype(np.float32)
    labels = [e.id for e in examples for _ in range(len(e.matrix))]
    key = hashlib.sha1(repr((C, MODEL, [(e.id, len(e.matrix)) for e in examples])).encode("utf-8")
                       + vectors.tobytes()).hexdigest()
    started = time.perf_counter()
    with _fits_lock:
        classifier = _fits.get(key)
    if classifier is None:
        classifier = SoftmaxRegression.fit(vectors, labels, C)
        with _fits_lock:
            if len(_fits) >= 4:
                _fits.pop(next(iter(_fits)))
            _fits[key] = classifier
    version = {e.id: e.version for e in examples}
    return AnswerModel(classifier, [version[label] for label in classifier.labels], now,
                       time.perf_counter() - started)


def store_answer_model(session: Session, model: AnswerModel | None) -> None:
    """Write the model (or, for None, remove the stored one: the term is then off)."""
    if model is None:
        delete_answer_model(session)
        return
    save_answer_model(session, labels=model.classifier.labels, label_versions=model.versions,
                      weights=np.ascontiguousarray(model.classifier.weights, np.float32).tobytes(),
                      bias=np.ascontiguousarray(model.classifier.bias, np.float32).tobytes(), vector_model=MODEL,
                      fit_seconds=model.fit_seconds, fitted_at=model.fitted_at)


def load_answer_model(session: Session) -> AnswerModel | None:
    """The stored model, or None (none stored, or fitted on another encoder's vectors)."""
    row = get_answer_model(session)
    if row is None or row.vector_model != MODEL:
        return None
    labels: list[str] = list(row.labels or [])
    weights = np.frombuffer(row.weights, dtype=np.float32)
    bias = np.frombuffer(row.bias, dtype=np.float32)
    if not labels or weights.size != len(labels) * DIM or bias.size != len(labels):
        return None
    return AnswerModel(SoftmaxRegression(labels, weights.reshape(len(labels), DIM), bias),
                       [str(v) for v in row.label_versions or []], row.fitted_at, float(row.fit_seconds or 0.0))


def refit_answer_model(database_url: str | None = None, now: datetime | None = None) -> AnswerModel | None:
    """Read the answers, fit, store: three steps, so no transaction is held open during the fit. On any error
    nothing is written (the previous model stays) and the error is raised."""
    with session_scope(database_url) as session:
        examples = read_examples(session)
    model = fit_answer_model(examples, now or datetime.utcnow())
    with session_scope(database_url) as session:
        store_answer_model(session, model)
    if model is None:
        log.info("answer model: not fitted (%d answers with vectors; the limit is %d): the term is off",
                 len(examples), MAX_ANSWERS)
    else:
        log.info("answer model: fitted on %d answers in %.1f s", len(examples), model.fit_seconds)
    return model


def refit_logged(database_url: str | None) -> AnswerModel | None:
    """`refit_answer_model` for a background thread: a failure is logged, never raised (the old model stays)."""
    try:
        return refit_answer_model(database_url)
    except Exception:  # whatever failed (database, fit), the saved edit stands and the old model serves
        log.exception("answer model: the refit failed; the previous model stays in use")
        return None


_running: dict[str, threading.Thread] = {}
_again: set[str] = set()
_state_lock = threading.Lock()


def refit_later(database_url: str) -> threading.Thread | None:
    """Refit in a background thread after the caller's change is committed. Edits in quick succession share
    fits: while one runs, further requests make one more run after it (which reads every change so far).
    Returns the thread started, or None when a running one will do the work."""
    with _state_lock:
        if database_url in _running:
            _again.add(database_url)
            return None
        thread = threading.Thread(target=_refit_until_current, args=(database_url,), name="answer-model-refit",
                                  daemon=True)
        _running[database_url] = thread
    thread.start()
    return thread


def wait_for_refits(timeout: float | None = None) -> None:
    """Wait for every background refit to finish (tests, so none outlives its database; a graceful shutdown)."""
    with _state_lock:
        threads = list(_running.values())
    for thread in threads:
        thread.join(timeout)


def _refit_until_current(database_url: str) -> None:
    while True:
        refit_logged(database_url)
        with _state_lock:
            if database_url not in _again:
                _running.pop(database_url, None)
                return
            _again.discard(database_url)

