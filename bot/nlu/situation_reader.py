"""NLU component: reads the situation of a message and the young mode, inside the Rasa server.

Runs before `CrisisOverride`. It adds to the parse data

- ``situation``: what `bot.understanding.situation.read` found (writer, age, relation,
  conditions, strain, asks), so the answer action and the `custom` block can use it;
- entities that fill slots through ordinary `from_entity` mappings (no action server round
  trip, so young mode and the crisis reply work when the action server is down):
  ``young_mode`` ("true"/"false" when this message decides it: the metadata ``mode``, a stated
  age, or the `young_mode` intent), ``age`` (a stated age) and ``condition`` (the first thing
  the message is about).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.understanding.situation import ADULT_AGE, mode_from_metadata, read

EXTRACTOR = "SituationReader"
SITUATION_KEY = "situation"


def slot_entity(name: str, value: Any, extractor: str = EXTRACTOR) -> Dict[str, Any]:
    """An entity that carries a value into a slot (no span in the text)."""
    return {"entity": name, "value": value, "start": 0, "end": 0, "extractor": extractor,
            "confidence_entity": 1.0}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SituationReader(GraphComponent):
    """Adds ``situation`` to the parse data and the entities that carry it into slots."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SituationReader":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    @staticmethod
    def _process_one(message: Message) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):  # a button payload: Rasa's RegexMessageHandler replaces the
            return  # parse (and drops our entities); actions.common.audience reads its metadata
        metadata = message.get("metadata") or {}
        young = mode_from_metadata(metadata)
        situation = read(text, young_hint=young)
        entities = list(message.get(ENTITIES) or [])
        if situation.age is not None:
            entities = [e for e in entities if e.get("entity") != "age"]
            entities.append(slot_entity("age", situation.age))
            if young is None:  # the client did not fix the mode: a stated age decides it
                young = situation.age < ADULT_AGE
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if young is None and intent == "young_mode":
            young = True
        if young is None and situation.writer == "young":  # "jeg går i 9. klasse"
            young = True
        if young is not None:
            entities.append(slot_entity("young_mode", bool(young)))
        if situation.conditions:
            entities.append(slot_entity("condition", situation.conditions[0]))
        message.set(ENTITIES, entities, add_to_output=True)
        message.set(SITUATION_KEY, situation.as_dict(), add_to_output=True)
