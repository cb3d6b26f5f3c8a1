"""The encoder under ONNX Runtime: the graph is the pinned bytes and is rebuilt the same, it gives the numpy
pass's vectors (the reference), `load_encoder` uses it when it can and falls back to numpy when it cannot."""
from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pytest

from bot.config import get_settings
from bot.nlp.encoder import Encoder, load_encoder
from bot.nlp.minilm import MiniLM
from bot.nlp.model_files import FILES, WEIGHTS, model_dir, sha256
from bot.nlp.onnx_graph import GRAPH, GRAPH_SHA256, build_graph
from bot.nlp.onnx_minilm import OnnxMiniLM
from bot.nlp.wordpiece import WordPiece
from tests.nlp.test_encoder import KNOWN, SENTENCE

pytestmark = pytest.mark.model
STORY = ("We moved to Essex last year and my daughter has struggled ever since with the noise in class. " * 16
         + "How do I ask the council for an EHC needs assessment?")
Loader = Callable[[], Encoder]
TEXTS = [SENTENCE, "hi", "Can I get a personal budget for respite? He is 14.",
         "is there speech therapy near Colchester", "Mae angen help arnaf gyda'r cynllun EHC", "", STORY]


@pytest.fixture(scope="module")
def tokenizer() -> WordPiece:
    vocab = json.loads((model_dir() / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    return WordPiece(vocab)


@pytest.fixture(scope="module")
def numpy_encoder(tokenizer: WordPiece) -> Encoder:
    from safetensors.numpy import load_file

    return Encoder(tokenizer, MiniLM(load_file(str(model_dir() / WEIGHTS))))


@pytest.fixture(scope="module")
def onnx_encoder(tokenizer: WordPiece) -> Encoder:
    return Encoder(tokenizer, OnnxMiniLM(model_dir() / GRAPH))


@pytest.fixture
def fresh_encoder() -> Iterator[Loader]:
    """load_encoder() read again for this test (with the settings as the test set them), and again after it."""
    load_encoder.cache_clear()
    get_settings.cache_clear()
    yield load_encoder
    load_encoder.cache_clear()
    get_settings.cache_clear()


def _without_graph(folder: Path) -> Path:
    """A model folder with the weights and tokenizer (linked, not copied) but no model.onnx."""
    for name in FILES:
        (folder / name).symlink_to(model_dir() / name)
    return folder


def test_the_graph_is_the_pinned_file() -> None:
    path = model_dir() / GRAPH
    assert path.exists(), f"{path} is missing: run `make venv` (it builds the graph from the weights)"
    assert sha256(path) == GRAPH_SHA256


def test_the_graph_is_rebuilt_byte_for_byte_from_the_weights() -> None:
    from safetensors.numpy import load_file

    model = build_graph(load_file(str(model_dir() / WEIGHTS)))
    assert hashlib.sha256(model.SerializeToString()).hexdigest() == GRAPH_SHA256


def test_onnx_gives_the_numpy_vectors(numpy_encoder: Encoder, onnx_encoder: Encoder) -> None:
    assert len(numpy_encoder._chunks(STORY)) >= 2  # the long one is split into chunks, each run by the network
    reference = numpy_encoder.encode(TEXTS)
    vectors = onnx_encoder.encode(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), 384)
    assert np.allclose(vectors, reference, atol=1e-5)
    alone = np.vstack([onnx_encoder.encode([text]) for text in TEXTS])  # padding in a batch changes nothing
    assert np.allclose(alone, reference, atol=1e-5)


@pytest.mark.parametrize("backend", ["numpy", "onnx"])
def test_both_backends_give_the_known_vector(backend: str, request: pytest.FixtureRequest) -> None:
    encoder: Encoder = request.getfixturevalue(f"{backend}_encoder")
    vector = encoder.encode([SENTENCE])[0]
    assert np.allclose(vector[:8], KNOWN, atol=1e-4)


def test_load_encoder_runs_onnx_when_the_graph_is_there(fresh_encoder: Loader,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="bot.nlp.encoder"):
        encoder = fresh_encoder()
    assert isinstance(encoder.network, OnnxMiniLM) and encoder.network.threads == 1
    assert "onnxruntime" in caplog.text
    assert np.allclose(encoder.encode([SENTENCE])[0][:8], KNOWN, atol=1e-4)


def test_encoder_threads_come_from_the_environment(fresh_encoder: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCODER_THREADS", "2")
    assert fresh_encoder().network.threads == 2


def test_without_the_graph_the_numpy_pass_runs(fresh_encoder: Loader, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("ENCODER_MODEL_DIR", str(_without_graph(tmp_path)))
    with caplog.at_level(logging.INFO, logger="bot.nlp.encoder"):
        encoder = fresh_encoder()
    assert isinstance(encoder.network, MiniLM)
    assert "numpy" in caplog.text and "no model.onnx" in caplog.text
    assert np.allclose(encoder.encode([SENTENCE])[0][:8], KNOWN, atol=1e-4)


def test_without_onnxruntime_the_numpy_pass_runs(fresh_encoder: Loader, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # `import onnxruntime` now raises ImportError
    monkeypatch.delitem(sys.modules, "bot.nlp.onnx_minilm")
    assert isinstance(fresh_encoder().network, MiniLM)


def test_a_damaged_graph_falls_back_to_numpy(fresh_encoder: Loader, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (_without_graph(tmp_path) / GRAPH).write_bytes(b"not a graph")
    monkeypatch.setenv("ENCODER_MODEL_DIR", str(tmp_path))
    with caplog.at_level(logging.WARNING, logger="bot.nlp.encoder"):
        assert isinstance(fresh_encoder().network, MiniLM)
    assert "did not load" in caplog.text


def test_the_onnx_encoder_does_not_load_the_numpy_weights(fresh_encoder: Loader,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import safetensors.numpy

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the numpy weights were read although model.onnx is there")

    monkeypatch.setattr(safetensors.numpy, "load_file", refuse)
    assert isinstance(fresh_encoder().network, OnnxMiniLM)
