"""Force the safeguarding intent when there is any real sign of danger, whatever the classifier decided.

Three signs, in order: the `bot.safety` patterns match (kept as data officers extend); the classifier's own
first choice was safeguarding but the FallbackClassifier overruled it as unsure; or the classifier gave
safeguarding at least `classifier_floor` of its belief. Missing a child at risk is the worst error this
product can make, so doubt resolves towards the emergency routes (which also tell a family who was not in
danger how to carry on). Placed after the FallbackClassifier; the original top intent stays in the ranking,
so officers can see where the model alone would have gone.
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
FALLBACK_INTENT = "nlu_fallback"


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
        return cls(float(config.get("classifier_floor", cls.get_default_config()["classifier_floor"])))

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"classifier_floor": 0.3}

    def __init__(self, classifier_floor: float = 0.3) -> None:
        self.classifier_floor = classifier_floor

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            score = self._classifier_score(message)
            group = match(text) or self._classifier_sign(message, score)
            if not group:
                continue
            # The classifier's own score is kept so officers (and `bot eval`) can see what the model alone thought.
            message.set(INTENT, {"name": SAFEGUARDING_INTENT, "confidence": 1.0, "safety_net": group,
                                 "classifier_confidence": round(score, 4)}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SAFEGUARDING_INTENT]
            message.set(INTENT_RANKING_KEY, [{"name": SAFEGUARDING_INTENT, "confidence": 1.0}] + ranking,
                        add_to_output=True)
        return messages

    @staticmethod
    def _classifier_score(message: Message) -> float:
        ranking = message.get(INTENT_RANKING_KEY) or []
        return next((float(r.get("confidence") or 0.0) for r in ranking if r.get("name") == SAFEGUARDING_INTENT), 0.0)

    def _classifier_sign(self, message: Message, score: float) -> str | None:
        """'classifier' when the model itself leaned towards safeguarding, else None."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
        if not ranking:
            return None
        overruled = (message.get(INTENT) or {}).get("name") == FALLBACK_INTENT and ranking[0].get("name") == SAFEGUARDING_INTENT
        return "classifier" if overruled or score >= self.classifier_floor else None
