"""Force the safeguarding intent when `bot.safety` patterns match, whatever the classifier predicted.

Placed after the FallbackClassifier, so a message the model was unsure of is still caught. The original
top intent stays in the ranking, so officers can see where the model alone would have gone.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safety import match

SAFEGUARDING_INTENT = "safeguarding_urgent"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyNet":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            group = match(text) if text and not text.startswith("/") else None
            if not group:
                continue
            message.set(INTENT, {"name": SAFEGUARDING_INTENT, "confidence": 1.0, "safety_net": group},
                        add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SAFEGUARDING_INTENT]
            message.set(INTENT_RANKING_KEY, [{"name": SAFEGUARDING_INTENT, "confidence": 1.0}] + ranking,
                        add_to_output=True)
        return messages
