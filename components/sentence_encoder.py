"""Dense sentence features for DIET from the bot's own sentence encoder (`bot.nlp.encoder.encode`).

Why: the count-vector features only know words seen in training; a pretrained encoder (all-MiniLM-L6-v2,
docs/models.md) places "he won't get on the bus" near "school transport" without ever being taught that.
Why sentence features only: DIET appends sentence features as its classification token, which is where the
intent is read, and one 384-number vector per message costs one forward pass of the encoder; token-level
vectors would need aligning word pieces to spaCy tokens and would widen every step of DIET's transformer.
Registered like Rasa's own dense featurizers (rasa/nlu/featurizers/dense_featurizer/); not trainable.

`EncoderIntentClassifier` is the same vector's second use in the pipeline: measured on real families'
wording, DIET leant on the sparse word features and drew almost nothing from the dense vector, while a
softmax regression on the vector alone read long real messages far better (bench/README.md). So after DIET
the two are averaged (`encoder_weight`), and the FallbackClassifier and the safety net see the blend. When a
message asks two or more questions, each question sentence is also classified on its own, and a confident
second SEND topic is written as `also_asked` for the actions to offer (bot/nlp/questions.py). Each sentence of a
long message is also set beside the training examples: one that reads like a safeguarding example is written as
`risk_sentence` for the safety net (bot/safeguarding/sentences.py). Both share one encoder call for the sentences.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.encoder import encode, load_encoder
from bot.nlp.intent_model import SoftmaxRegression
from bot.nlp.questions import other_questions
from bot.safeguarding.sentences import PARSE_KEY as RISK_SENTENCE
from bot.safeguarding.sentences import RiskExamples, sentences_to_check
from components.safety_net import SAFEGUARDING_INTENT

# Where a second SEND question in the same message is written on the parse result (bot/nlp/questions.py).
ALSO_ASKED = "also_asked"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one dense sentence feature (384 numbers) to the text of every message."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEncoderFeaturizer":
        return cls(config, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        load_encoder()  # read the weights when the model loads, not on the first family's message

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check: the encoder has no settings in config.yml."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize([m for m in messages if m.get(TEXT)])
        return messages

    def _featurize(self, messages: List[Message]) -> None:
        if not messages:
            return
        vectors = encode([m.get(TEXT) for m in messages])
        for message, vector in zip(messages, vectors):
            self.add_features_to_message(sequence=None, sentence=np.asarray(vector[None, :]), attribute=TEXT,
                                         message=message)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EncoderIntentClassifier(GraphComponent):
    """Softmax regression on the encoder's sentence vector, blended into DIET's intent ranking.

    Placed after DIETClassifier (set DIET's `ranking_length: 0` so every intent has a score) and before the
    FallbackClassifier. Reads the dense sentence feature that SentenceEncoderFeaturizer set.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"encoder_weight": 0.5, "C": 16.0}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 model: Optional[SoftmaxRegression] = None, risk_examples: Optional[RiskExamples] = None) -> None:
        self.weight = float(config.get("encoder_weight", 0.5))
        self.c = float(config.get("C", 16.0))
        self._storage, self._resource, self.model = model_storage, resource, model
        self.risk_examples = risk_examples

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EncoderIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "EncoderIntentClassifier":
        try:
            with model_storage.read_from(resource) as folder:
                return cls(config, model_storage, resource, SoftmaxRegression.load(folder), RiskExamples.load(folder))
        except ValueError:  # nothing was trained (no intents): the component passes DIET's answer through
            return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        pairs = [(_vector(m), m.get(INTENT)) for m in training_data.intent_examples]
        pairs = [(v, label) for v, label in pairs if v is not None and label]
        if len({label for _, label in pairs}) >= 2:
            vectors, labels = np.vstack([v for v, _ in pairs]), [label for _, label in pairs]
            self.model = SoftmaxRegression.fit(vectors, labels, self.c)
            self.risk_examples = RiskExamples.from_examples(vectors, labels, SAFEGUARDING_INTENT)
            with self._storage.write_to(self._resource) as folder:
                self.model.save(folder)
                if self.risk_examples is not None:
                    self.risk_examples.save(folder)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        for message in messages:
            vector = _vector(message)
            if vector is None or not message.get(INTENT_RANKING_KEY):
                continue
            mine = dict(zip(self.model.labels, self.model.predict_proba(vector[None, :])[0]))
            diet = {r["name"]: float(r["confidence"]) for r in message.get(INTENT_RANKING_KEY)}
            blend = {name: self.weight * float(mine.get(name, 0.0)) + (1 - self.weight) * diet.get(name, 0.0)
                     for name in set(mine) | set(diet)}
            ranking = [{"name": name, "confidence": round(score, 6)}
                       for name, score in sorted(blend.items(), key=lambda item: -item[1])]
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:10], add_to_output=True)
            text = message.get(TEXT) or ""
            known = self._check_sentences(message, text)
            others = other_questions(text, ranking[0]["name"], partial(self._classify, known=known), blend)
            if others:
                message.set(ALSO_ASKED, [other.as_dict() for other in others], add_to_output=True)
        return messages

    def _check_sentences(self, message: Message, text: Text) -> Dict[Text, np.ndarray]:
        """Sets `risk_sentence` when a sentence of a long message reads like a safeguarding example; returns the
        sentences' vectors, so the two-questions check does not encode them again."""
        sentences = sentences_to_check(text) if self.risk_examples is not None else []
        if not sentences:
            return {}
        vectors = encode(sentences)
        assert self.risk_examples is not None
        found = self.risk_examples.find(vectors)
        if found is not None:
            message.set(RISK_SENTENCE, found.as_dict(), add_to_output=True)
        return dict(zip(sentences, vectors))

    def _classify(self, sentences: List[Text], known: Dict[Text, np.ndarray]) -> List[tuple]:
        """Each sentence's most likely intent by the encoder's own regression, with its probability."""
        assert self.model is not None
        missing = [s for s in sentences if s not in known]
        known = {**known, **dict(zip(missing, encode(missing)))} if missing else known
        probabilities = self.model.predict_proba(np.vstack([known[s] for s in sentences]))
        return [(self.model.labels[int(row.argmax())], float(row.max())) for row in probabilities]


def _vector(message: Message) -> Optional[np.ndarray]:
    """The encoder's sentence vector on this message, if SentenceEncoderFeaturizer has set it."""
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features[0], dtype=np.float32)
