"""The encoder component gives DIET one 384-number sentence feature per message, the same vector the rest of
the bot gets from `bot.nlp.encoder.encode`, and the trained model parses with the network blocked."""
from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.encoder import encode
from components.sentence_encoder import EncoderIntentClassifier, SentenceEncoderFeaturizer

pytestmark = pytest.mark.model
MODEL = Path(__file__).resolve().parents[2] / "models" / "local-offer.tar.gz"


def _featurizer() -> SentenceEncoderFeaturizer:
    return SentenceEncoderFeaturizer({**SentenceEncoderFeaturizer.get_default_config()}, "sentence_encoder")


def test_process_adds_the_encoder_vector_as_a_dense_sentence_feature() -> None:
    message = Message(data={TEXT: "Can my son get help with transport to school?"})
    _featurizer().process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 384)
    assert np.allclose(sentence.features[0], encode([message.get(TEXT)])[0], atol=1e-6)


def test_training_examples_get_the_feature_and_empty_ones_are_left_alone() -> None:
    examples = [Message(data={TEXT: "what is an EHCP", "intent": "what_is_ehcp"}), Message(data={"intent": "x"})]
    _featurizer().process_training_data(TrainingData(training_examples=examples))
    assert examples[0].get_dense_features(TEXT)[1].features.shape == (1, 384)
    assert examples[1].get_dense_features(TEXT) == (None, None)


def test_the_trained_model_parses_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make model`")
    from rasa.core.agent import Agent

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked in this test")

    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", "false")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from bot.nlp.encoder import load_encoder

    load_encoder.cache_clear()  # so the weights are read again, offline
    agent = Agent.load(str(MODEL))
    result = asyncio.run(agent.parse_message("how long does an EHC needs assessment take?"))
    assert result["intent"]["name"] == "assessment_timeline"
    assert "SentenceEncoderFeaturizer" in _pipeline_components(agent)


def _pipeline_components(agent: object) -> list[str]:
    """The names of the graph's nodes, to check the model really contains the encoder."""
    schema = agent.processor.model_metadata.predict_schema  # type: ignore[attr-defined]
    return [node.uses.__name__ for node in schema.nodes.values()]


def _trained_classifier(tmp_path: Path, pairs: list[tuple[str, str]], **config: float) -> EncoderIntentClassifier:
    """An EncoderIntentClassifier trained on (text, intent) pairs and loaded back from its model storage."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.constants import INTENT

    training = TrainingData(training_examples=[Message(data={TEXT: t, INTENT: i}) for t, i in pairs])
    _featurizer().process_training_data(training)
    storage, resource = LocalModelStorage(tmp_path), Resource("encoder_classifier")
    settings = {**EncoderIntentClassifier.get_default_config(), **config}
    EncoderIntentClassifier.create(settings, storage, resource, None).train(training)  # type: ignore[arg-type]
    return EncoderIntentClassifier.load(settings, storage, resource, None)  # type: ignore[arg-type]


def _parse_after_diet(classifier: EncoderIntentClassifier, text: str, ranking: list[tuple[str, float]]) -> Message:
    """The message as the classifier sees it in the pipeline: featurized, with DIET's ranking already set."""
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    message = Message(data={TEXT: text})
    _featurizer().process([message])
    message.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": score} for name, score in ranking])
    classifier.process([message])
    return message


def test_the_encoder_classifier_blends_its_probabilities_with_diets(tmp_path: Path) -> None:
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

    classifier = _trained_classifier(tmp_path, [
        ("how do I get a taxi to school for my son", "school_transport"), ("is there a school bus", "school_transport"),
        ("travel help to college", "school_transport"), ("how long does the EHC assessment take", "assessment_timeline"),
        ("when will the council decide", "assessment_timeline"), ("is there a deadline for the plan", "assessment_timeline")],
        encoder_weight=0.8)

    message = Message(data={TEXT: "can my daughter get transport to her special school?"})
    _featurizer().process([message])
    message.set(INTENT, {"name": "assessment_timeline", "confidence": 0.6})
    message.set(INTENT_RANKING_KEY, [{"name": "assessment_timeline", "confidence": 0.6},
                                     {"name": "school_transport", "confidence": 0.4}])
    classifier.process([message])
    ranking = message.get(INTENT_RANKING_KEY)
    assert message.get(INTENT)["name"] == ranking[0]["name"] == "school_transport"  # the encoder outvoted DIET
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0, abs=1e-4)
    mine = classifier.model.predict_proba(encode([message.get(TEXT)]))[0]  # type: ignore[union-attr]
    expected = 0.8 * mine[classifier.model.labels.index("school_transport")] + 0.2 * 0.4  # type: ignore[union-attr]
    assert ranking[0]["confidence"] == pytest.approx(expected, abs=1e-5)


def test_a_second_question_in_the_message_is_written_for_the_actions(tmp_path: Path) -> None:

    from components.sentence_encoder import ALSO_ASKED

    classifier = _trained_classifier(tmp_path, [
        ("how do I get a taxi to school for my son", "school_transport"), ("is there a school bus", "school_transport"),
        ("travel help to college", "school_transport"), ("can we get a personal budget", "personal_budget"),
        ("how are direct payments paid", "personal_budget"), ("money to pay for his support", "personal_budget")])

    def parse(text: str) -> Message:
        return _parse_after_diet(classifier, text, [("school_transport", 0.7), ("personal_budget", 0.3)])

    two = parse("He is 15. How does he get a taxi to college? And can we get a personal budget for his support?")
    assert [(q["intent"], q["text"]) for q in two.get(ALSO_ASKED)] == [
        ("personal_budget", "And can we get a personal budget for his support?")]
    assert parse("He is 15 and gets anxious. How does he get a taxi to college?").get(ALSO_ASKED) is None


def test_a_long_message_with_a_sentence_like_a_risk_example_is_marked_for_the_safety_net(tmp_path: Path) -> None:

    from bot.safeguarding.sentences import PARSE_KEY

    classifier = _trained_classifier(tmp_path, [
        ("how do I get a taxi to school for my son", "school_transport"), ("is there a school bus", "school_transport"),
        ("travel help to college", "school_transport"),
        ("my son has gone out and he is not answering his phone", "safeguarding_urgent"),
        ("she ran off an hour ago and it is getting dark", "safeguarding_urgent"),
        ("he left the house and we cannot find him", "safeguarding_urgent")])

    def parse(text: str) -> Message:
        return _parse_after_diet(classifier, text, [("school_transport", 0.7), ("safeguarding_urgent", 0.3)])

    story = ("We applied for school transport in March and the council turned it down in June. The school is nine "
             "miles away and he cannot use the bus on his own. {} Who do I write to about the appeal?")
    found = parse(story.format("He went out two hours ago and he is not answering his phone."))
    assert found.get(PARSE_KEY) is not None and found.get(PARSE_KEY)["sentence"] == 2
    assert parse(story.format("He likes the driver on the old route very much.")).get(PARSE_KEY) is None
    assert parse("He went out two hours ago and he is not answering his phone.").get(PARSE_KEY) is None  # short
