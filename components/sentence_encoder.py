"""Dense sentence features for DIET from the bot's own sentence encoder (`bot.nlp.encoder.encode`).

Why: the count-vector features only know words seen in training; a pretrained encoder (all-MiniLM-L6-v2,
docs/models.md) places "he won't get on the bus" near "school transport" without ever being taught that.
Why sentence features only: DIET appends sentence features as its classification token, which is where the
intent is read, and one 384-number vector per message costs one forward pass of the encoder; token-level
vectors would need aligning word pieces to spaCy tokens and would widen every step of DIET's transformer.
Registered like Rasa's own dense featurizers (rasa/nlu/featurizers/dense_featurizer/); not trainable.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.encoder import encode, load_encoder


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
