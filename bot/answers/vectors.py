"""Sentence vectors for answers: made when an answer is written (load or an officer's edit), stored in its row.

Why a cache of text -> vector: loading the content encodes about 2,500 wordings (some 15 s on two cores), and
every test module and every `make db` loads the same files again. The vector of a text under one model never
changes, so it is kept in memory and in var/answer_vectors.npz (keyed by a hash of model and text); a new
wording is the only thing encoded. Delete the file at any time: it is only a cache.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import numpy as np
import numpy.typing as npt

from bot.config import ROOT

if TYPE_CHECKING:
    from bot.answers.content import AnswerTopicRecord

MODEL = "all-MiniLM-L6-v2"
DIM = 384
CACHE_FILE = Path(os.environ.get("ANSWER_VECTOR_CACHE") or ROOT / "var" / "answer_vectors.npz")
_memory: dict[str, npt.NDArray[np.float32]] = {}
_loaded_from_disk = False
_lock = threading.Lock()


def _key(text: str) -> str:
    return hashlib.sha1(f"{MODEL}\0{text}".encode("utf-8")).hexdigest()


def _read_disk_cache() -> None:
    global _loaded_from_disk
    if _loaded_from_disk:
        return
    _loaded_from_disk = True
    try:
        with np.load(CACHE_FILE) as data:
            keys, matrix = data["keys"], data["vectors"]
        if matrix.shape[1:] == (DIM,):
            _memory.update(zip((str(k) for k in keys), matrix.astype(np.float32)))
    except (OSError, KeyError, ValueError):
        pass  # no cache yet, or an unreadable one: it is rebuilt


def _write_disk_cache() -> None:
    try:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(_memory), dtype="U40")
        matrix = np.stack(list(_memory.values())) if _memory else np.zeros((0, DIM), np.float32)
        tmp = CACHE_FILE.with_name(f"{CACHE_FILE.stem}.{os.getpid()}.tmp.npz")
        np.savez(tmp, keys=keys, vectors=matrix)
        os.replace(tmp, CACHE_FILE)
    except OSError:
        pass  # a read-only checkout still works, only slower


def encode_texts(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """(len(texts), 384) float32 unit vectors, from the cache where possible (bot.nlp.encoder otherwise)."""
    with _lock:
        _read_disk_cache()
        missing = sorted({t for t in texts if _key(t) not in _memory})
        if missing:
            from bot.nlp.encoder import encode

            for text, vector in zip(missing, encode(missing)):
                _memory[_key(text)] = vector
            _write_disk_cache()
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([_memory[_key(t)] for t in texts]).astype(np.float32)


def encoder_available() -> bool:
    from bot.nlp.model_files import FILES, model_dir

    return all((model_dir() / name).exists() for name in FILES)


def to_blob(matrix: npt.NDArray[np.float32]) -> bytes:
    return np.ascontiguousarray(matrix, dtype=np.float32).tobytes()


def from_blob(blob: bytes | None, rows: int) -> npt.NDArray[np.float32]:
    if not blob or rows <= 0:
        return np.zeros((0, DIM), np.float32)
    return np.frombuffer(blob, dtype=np.float32).reshape(rows, DIM)


def answer_texts(question: str, variants: Sequence[str], answer: str) -> list[str]:
    """The wordings stored for an answer, in the order the vector rows follow: question, variants, answer."""
    return [question, *variants, answer]


def search_text(title: str, question: str, variants: Sequence[str], answer: str) -> str:
    """The words the keyword half of retrieval reads: the topic's title and every wording, lower case."""
    return " ".join([title, question, *variants, answer]).lower()


def attach_vectors(topics: Sequence[AnswerTopicRecord]) -> int:
    """Give every answer record its vectors (one encoder call for all new wordings); 0 if there is no encoder.

    Without the encoder's files the answers still load, with no vectors: retrieval then uses words alone for
    them, and `make venv` followed by `python -m bot load` fills them in.
    """
    records = [a for t in topics for a in t.answers]
    if not records or not encoder_available():
        return 0
    matrix = encode_texts([text for r in records for text in r.texts])
    start = 0
    for record in records:
        record.vectors = matrix[start: start + len(record.texts)]
        start += len(record.texts)
    return len(records)
