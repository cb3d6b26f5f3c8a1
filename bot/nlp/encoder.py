"""One function for the whole bot: `encode(texts)` gives each text a 384-number meaning vector (L2-normalised).

The Rasa pipeline feeds these to DIET (components/sentence_encoder.py); the answer bank and inbox grouping can
use the same vectors, so similar wording lands near each other everywhere. The model is all-MiniLM-L6-v2
(docs/models.md), read from disk once per process: nothing is downloaded at run time.

Long messages: the model reads at most 256 word pieces. A longer text is not cut: it is split into sentences,
packed into chunks that fit, each chunk encoded, and the vectors averaged, with chunks that carry a question
counted twice (a parent's long story usually ends in the one thing they are asking).
"""
from __future__ import annotations

import json
import logging
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np
import numpy.typing as npt

from bot.config import get_settings
from bot.nlp.minilm import MiniLM
from bot.nlp.model_files import FILES, WEIGHTS, model_dir
from bot.nlp.onnx_graph import GRAPH
from bot.nlp.wordpiece import WordPiece

DIM = 384
MAX_PIECES = 256
CHUNK_PIECES = MAX_PIECES - 2  # room for [CLS] and [SEP]
QUESTION_WEIGHT = 2.0
BATCH = 32
PAD_RATIO = 1.5  # a chunk longer than this times a batch's shortest (plus 8 pieces) starts a new batch
QUESTION_WORDS = ("how", "what", "can", "could", "do", "is", "who", "when", "where", "should", "will", "does",
                  "why", "which", "are", "would")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_lock = threading.Lock()
log = logging.getLogger(__name__)


class Network(Protocol):
    """What Encoder needs from the model: MiniLM (numpy) and OnnxMiniLM (ONNX Runtime) both offer it."""

    def sentence_vectors(self, batch_ids: list[list[int]]) -> npt.NDArray[np.float32]: ...


class Encoder:
    """The tokenizer and the network together; `encode` is the only thing callers need."""

    def __init__(self, tokenizer: WordPiece, network: Network, split_over: int = CHUNK_PIECES) -> None:
        self.tokenizer = tokenizer
        self.network = network
        self.split_over = split_over

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """(len(texts), 384) float32, each row of length 1 (a row of zeros for an empty text)."""
        chunks: list[list[int]] = []
        owners: list[tuple[int, float]] = []
        for index, text in enumerate(texts):
            for ids, weight in self._chunks(text):
                chunks.append(ids)
                owners.append((index, weight))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not chunks:
            return out
        vectors = self._run(chunks)
        for (index, weight), vector in zip(owners, vectors):
            out[index] += weight * vector
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.where(norms > 0, out / np.maximum(norms, 1e-12), out).astype(np.float32)

    def _chunks(self, text: str) -> list[tuple[list[int], float]]:
        """Word-piece ids for each chunk of `text`, with its weight; one chunk when the text fits."""
        text = (text or "").strip()
        if not text:
            return []
        if self.tokenizer.count(text) <= self.split_over:
            return [(self.tokenizer.encode(text, MAX_PIECES), 1.0)]
        pieces: list[tuple[list[int], bool]] = []
        for sentence in split_sentences(text):
            words = [self.tokenizer.word_ids(w) for w in _words(sentence)]
            ids = [i for w in words for i in w]
            question = is_question(sentence)
            for start in range(0, len(ids), CHUNK_PIECES):  # a single sentence longer than the model can read
                pieces.append((ids[start: start + CHUNK_PIECES], question))
        chunks: list[tuple[list[int], float]] = []
        current: list[int] = []
        current_question = False
        for ids, question in pieces:
            if current and (len(current) + len(ids) > self.split_over):
                chunks.append(self._wrap(current, current_question))
                current, current_question = [], False
            current = current + ids
            current_question = current_question or question
        if current:
            chunks.append(self._wrap(current, current_question))
        return chunks

    def _wrap(self, ids: list[int], question: bool) -> tuple[list[int], float]:
        return [self.tokenizer.cls_id, *ids, self.tokenizer.sep_id], (QUESTION_WEIGHT if question else 1.0)

    def _run(self, chunks: list[list[int]]) -> npt.NDArray[np.float32]:
        """Sentence vectors in batches of similar length, so little work goes on padding: a batch closes at BATCH
        chunks or when the next is much longer than its first (a long message's chunks of 254 and 9 pieces are
        two runs, not two runs of 254)."""
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]))
        vectors = np.zeros((len(chunks), DIM), dtype=np.float32)
        batches: list[list[int]] = []
        for i in order:
            if not batches or len(batches[-1]) >= BATCH or len(chunks[i]) > PAD_RATIO * len(chunks[batches[-1][0]]) + 8:
                batches.append([])
            batches[-1].append(i)
        for batch in batches:
            vectors[batch] = self.network.sentence_vectors([chunks[i] for i in batch])
        return vectors


def _words(sentence: str) -> list[str]:
    from bot.nlp.wordpiece import normalise, pre_tokenize

    return pre_tokenize(normalise(sentence))


def split_sentences(text: str) -> list[str]:
    """Sentences by their end marks and line breaks; good enough for parents' messages, which rarely quote."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def is_question(sentence: str) -> bool:
    """Ends in '?' or opens with a question word ("how do I...", "can she...")."""
    stripped = sentence.strip()
    if stripped.endswith("?"):
        return True
    first = re.match(r"[a-z']+", stripped.lower())
    return first is not None and first.group(0) in QUESTION_WORDS


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """Read the tokenizer and the network from disk once per process: ONNX Runtime on model.onnx when the file
    and onnxruntime are there (the numpy weights are then never loaded: the Rasa server must stay small),
    else the numpy forward pass on model.safetensors. Either gives the same vectors (tests/nlp)."""
    folder = model_dir()
    missing = [name for name in FILES if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"sentence encoder files missing in {folder}: {missing} (run `make venv`)")
    vocab = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    return Encoder(WordPiece(vocab), _network(folder))


def _network(folder: Path) -> Network:
    """The ONNX Runtime session if it can be had, else numpy; says once, in the log, which one runs and why."""
    graph = folder / GRAPH
    reason = f"no {GRAPH} in {folder} (`make venv` builds it)"
    if graph.exists():
        threads = get_settings().encoder_threads
        try:
            from bot.nlp.onnx_minilm import RUNTIME, OnnxMiniLM

            network = OnnxMiniLM(graph, threads)
            log.info("Sentence encoder: %s on %s, %d thread(s)", RUNTIME, graph, network.threads)
            return network
        except ImportError as error:
            reason = f"onnxruntime does not import ({error})"
        except Exception as error:  # a damaged or foreign model.onnx: the numpy pass still gives the vectors
            reason = f"{graph} did not load ({error})"
            log.warning("Sentence encoder: %s; using the numpy forward pass", reason)
    from safetensors.numpy import load_file

    log.info("Sentence encoder: numpy forward pass on %s (%s)", folder / WEIGHTS, reason)
    return MiniLM(load_file(str(folder / WEIGHTS)))


def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Meaning vectors for `texts`: shape (len(texts), 384), float32, rows of length 1."""
    encoder = load_encoder()
    with _lock:  # numpy releases the GIL in matrix products; one forward pass at a time keeps memory flat
        return encoder.encode(list(texts))
