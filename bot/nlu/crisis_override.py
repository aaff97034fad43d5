"""NLU component: a crisis-lexicon match always yields the intent `krise`.

Placed last in the pipeline (after DIET and the FallbackClassifier), so neither a wrong
prediction nor low confidence can route a crisis message anywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.safety.crisis import LEXICON_PATH, CrisisLexicon

CRISIS_INTENT = "krise"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CrisisOverride(GraphComponent):
    """Overrides the intent with `krise` when the crisis lexicon matches."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # lexicon: a path to another lexicon file; None = the packaged bot/safety lexicon,
        # resolved at run time (a trained model must not hold a path of the training machine)
        return {"intent": CRISIS_INTENT, "lexicon": None}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._intent = config.get("intent", CRISIS_INTENT)
        self._lexicon = CrisisLexicon.from_file(Path(config.get("lexicon") or LEXICON_PATH))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisOverride":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            match = self._lexicon.detect(message.get(TEXT) or "")
            if match is None:
                continue
            ranking = [
                r for r in (message.get(INTENT_RANKING_KEY) or [])
                if r.get(INTENT_NAME_KEY) != self._intent
            ]
            top = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
            message.set("crisis", {"category": match.category}, add_to_output=True)
        return messages
