"""NLU component: a crisis-lexicon match always yields the intent `krise`, graded.

Placed last in the pipeline (after DIET, the FallbackClassifier and the SituationReader), so
neither a wrong prediction nor low confidence can route a crisis message anywhere else.
The match is graded (`bot.safety.risk`): the level (acute / concern) and the danger (who is
at risk) go into the parse data (``crisis``) and, as the entities ``risk`` and ``danger``,
into slots that pick the variation of `utter_crisis` (bot/domain/crisis.yml): the right
numbers come from the Rasa server itself, whatever the action server does. Every message
sets the two entities (``none`` when there is no danger), so the slots always describe the
current message. The classifier's own ranking is kept below `krise`, so the answer action
can still answer what was asked.

A message the channel cut (bot/channels/text.py) carries the grading of its whole text in the
metadata key `CRISIS_KEY`: when the cut text shows no crisis (or a milder one), that grading
counts. The channels drop the key from what a client sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.channels.text import CRISIS_KEY
from bot.nlu.crisis_classifier import SCORE_KEY
from bot.nlu.situation_reader import SITUATION_KEY, slot_entity
from bot.safety.crisis import LEXICON_PATH, CrisisLexicon
from bot.safety.risk import (
    ACUTE,
    CONCERN,
    DANGERS,
    Risk,
    concern_from_score,
    concern_signal,
    grade,
    recovered,
)
from bot.understanding.situation import mode_from_metadata

CRISIS_INTENT = "krise"
# DIET alone (no lexicon match) must be this sure before its `krise` counts as a concern.
CLASSIFIER_MIN_CONFIDENCE = 0.5


def _young(message: Message) -> bool:
    mode = mode_from_metadata(message.get("metadata"))
    if mode is not None:
        return mode
    situation = message.get(SITUATION_KEY) or {}
    return situation.get("writer") == "young"


def _before_cut(message: Message, young: bool) -> Risk | None:
    """The crisis grading of the whole text of a message the channel cut, if any."""
    carried = (message.get("metadata") or {}).get(CRISIS_KEY)
    if not isinstance(carried, dict):
        return None
    level, danger = carried.get("level"), carried.get("danger")
    if level not in (ACUTE, CONCERN) or danger not in DANGERS:
        return None
    if young and danger == "violence_adult":  # graded without the page's mode
        danger = "violence_child"
    return Risk(level, danger, str(carried.get("category") or "lexicon"))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
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
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        if text.startswith("/"):  # a button payload
            return
        risk = grade(text, young=_young(message), lexicon=self._lexicon)
        whole = _before_cut(message, _young(message))
        if whole is not None and (risk is None or (whole.level == ACUTE != risk.level)):
            risk = whole
        if risk is None:  # talked-about danger (bot/safety/risk.py): a concern
            risk = concern_signal(text, young=_young(message))
        # the learned layer (bot/nlu/crisis_classifier.py): a concern, except in a story of a
        # death, whose talk of dying a word model cannot tell from danger (its only flags on
        # the real dev messages were two bereavement stories; the lexicon and the signals
        # above still grade danger in them)
        # (nor in a message that tells the ill person is well again: "fått broren min tilbake,
        # rusfri … kan ikke gå og være livredd for at noen skal dø")
        bereaved = bool((message.get(SITUATION_KEY) or {}).get("bereaved"))
        if risk is None and not bereaved and not recovered(text):
            learned = message.get(SCORE_KEY) or {}
            if float(learned.get("score") or 0) >= float(learned.get("threshold") or 2):
                risk = concern_from_score(text, young=_young(message))
        crisis = risk.as_dict() if risk else None
        intent = message.get(INTENT) or {}
        if crisis is None and intent.get(INTENT_NAME_KEY) == self._intent:
            if float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0) >= CLASSIFIER_MIN_CONFIDENCE:
                crisis = {"level": CONCERN, "danger": "unknown", "category": "classifier"}
        entities = [
            e for e in message.get(ENTITIES) or [] if e.get("entity") not in ("risk", "danger")
        ]
        level, danger = (crisis["level"], crisis["danger"]) if crisis else ("none", "none")
        entities.append(slot_entity("risk", level, "CrisisOverride"))
        entities.append(slot_entity("danger", danger, "CrisisOverride"))
        message.set(ENTITIES, entities, add_to_output=True)
        if crisis is None:
            return
        ranking = [
            r
            for r in (message.get(INTENT_RANKING_KEY) or [])
            if r.get(INTENT_NAME_KEY) != self._intent
        ]
        top = {INTENT_NAME_KEY: self._intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
        message.set("crisis", crisis, add_to_output=True)
