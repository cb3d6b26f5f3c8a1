"""Put every message in its safeguarding tier (`bot.safeguarding.tiers.assess`) before the dialogue sees it.

- immediate (a danger pattern matched): the intent becomes safeguarding_urgent, so the emergency routes
  come first whatever the classifier thought.
- concern, where safeguarding was the classifier's own first choice (even if the FallbackClassifier then
  overruled it as unsure): the intent becomes safeguarding_urgent too, and the action answers the question
  behind it with one short line of routes, never the full emergency list.
- concern otherwise (the classifier gave safeguarding at least `classifier_floor`, distress words, or a sentence
  of a long message that reads like a safeguarding example, set by EncoderIntentClassifier): the classified intent
  stands, so the family's question is answered; the actions add the one-line note.

Every tier is written to the parse result under `safeguarding` ({tier, reason}) so actions, the helpline
queue and `bot eval` read one decision. Placed after the FallbackClassifier; the original top intent stays
in the ranking, so officers can see where the model alone would have gone.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.safeguarding.sentences import PARSE_KEY as RISK_SENTENCE
from bot.safeguarding.tiers import CLASSIFIER, assess

SAFEGUARDING_INTENT = "safeguarding_urgent"
FALLBACK_INTENT = "nlu_fallback"
SAFEGUARDING_KEY = "safeguarding"


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
            top = self._classifier_top(message)
            assessment = assess(text, score, self.classifier_floor, classifier_top=top,
                                risk_sentence=self._risk_sentence(message))
            if not assessment.tier:
                continue
            message.set(SAFEGUARDING_KEY, assessment.as_dict(), add_to_output=True)
            if not (assessment.immediate or top):
                continue
            # The classifier's own score is kept so officers (and `bot eval`) can see what the model alone thought.
            cause = assessment.reason if assessment.immediate else CLASSIFIER
            message.set(INTENT, {"name": SAFEGUARDING_INTENT, "confidence": 1.0, "safety_net": cause,
                                 "tier": assessment.tier, "classifier_confidence": round(score, 4)},
                        add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SAFEGUARDING_INTENT]
            message.set(INTENT_RANKING_KEY, [{"name": SAFEGUARDING_INTENT, "confidence": 1.0}] + ranking,
                        add_to_output=True)
        return messages

    @staticmethod
    def _risk_sentence(message: Message) -> float | None:
        found = message.get(RISK_SENTENCE)
        return float(found["similarity"]) if isinstance(found, dict) and "similarity" in found else None

    @staticmethod
    def _classifier_score(message: Message) -> float:
        ranking = message.get(INTENT_RANKING_KEY) or []
        return next((float(r.get("confidence") or 0.0) for r in ranking if r.get("name") == SAFEGUARDING_INTENT), 0.0)

    @staticmethod
    def _classifier_top(message: Message) -> bool:
        """Safeguarding was the classifier's first choice, whether or not the fallback then overruled it."""
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
        return bool(ranking) and ranking[0].get("name") == SAFEGUARDING_INTENT
