"""A question the classifier took for a reply to the assistant's last turn becomes a follow-up question.

Why: after "Did this help?", "is that right?" was read as yes ("I'm glad that helped"), "are we out of time?" as
goodbye ("Take care") and "should it be like that?" as no. Such a message is a follow-up question
(`bot.conversation.followups.question_not_a_reply`): its intent becomes more_info, which the dialogue answers
from the answer bank in the context of the last answer. The classifier's own ranking stays below it, so officers
can see what the model alone thought. Placed after the FallbackClassifier and before the SafetyNet, which has
the last word.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.conversation.followups import FOLLOW_UP_INTENT, question_not_a_reply


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FollowUpQuestion(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FollowUpQuestion":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if not question_not_a_reply(message.get(TEXT) or "", intent.get("name")):
                continue
            confidence = float(intent.get("confidence") or 0.0)
            message.set(INTENT, {"name": FOLLOW_UP_INTENT, "confidence": confidence, "read_as": intent.get("name")},
                        add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FOLLOW_UP_INTENT]
            message.set(INTENT_RANKING_KEY, [{"name": FOLLOW_UP_INTENT, "confidence": confidence}] + ranking,
                        add_to_output=True)
        return messages
