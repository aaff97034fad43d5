"""NLU component: the learned layer of crisis detection, beside the lexicon.

A logistic regression over character n-grams (inside word boundaries: robust to typos,
dialect and Nynorsk) and words, trained at `rasa train` time on the NLU data (the `krise`
intent's examples against every other intent's) and on the project-written crisis sets
(`TRAIN_FILES`: tests/safety/crisis_dev.tsv, the set the lexicon is tuned on, and
bot/safety/crisis_train.tsv, 2,134 sentences the project wrote: 773 short indirect crisis
sentences and hard negatives by category (plans and means without "selvmord", farewells, third
person, misspellings, Nynorsk), then 914 ordinary sentences of long stories, written as 115
stories of consecutive lines (scene-setting, illness, grief, idioms: the register real stories
are in, where a model trained on short sentences alone fired), and 447 crisis sentences in that
register (danger to someone else, said indirectly, inside a story); never tests/safety/crisis.tsv
or the real messages, which measure it). It scores
every sentence and every pair of neighbouring sentences of a message, so one crisis sentence
in a long story counts with its context; the message's score is the highest.
`CrisisOverride` treats a score at or above ``threshold`` as a `concern` when the lexicon
found nothing (the lexicon alone decides `acute`). The threshold was chosen on development
data (bot/config.yml; README "Safety").

Only texts the project wrote go into the trained weights (no third-party text is shipped).
"""

from __future__ import annotations

import csv
import logging
import pickle
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.understanding.situation import sentences

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
TRAIN_FILES = (
    ROOT / "tests" / "safety" / "crisis_dev.tsv",
    ROOT / "bot" / "safety" / "crisis_train.tsv",
)
SCORE_KEY = "crisis_score"
CRISIS_INTENT = "krise"


def windows(text: str) -> List[str]:
    """The units a message is scored on: each sentence and each pair of neighbours."""
    sents = sentences(text) or [text]
    pairs = [f"{a} {b}" for a, b in zip(sents, sents[1:])]
    return [s for s in sents + pairs if s.strip()]


def read_tsv(path: Path) -> List[tuple[str, int]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return [(r["text"], int(r["label"] != "none")) for r in csv.DictReader(fh, delimiter="\t")]


class CrisisModel:
    """The vectoriser + classifier pair, trainable and picklable without Rasa."""

    def __init__(self, c: float = 4.0) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(2, 5),
                        lowercase=True,
                        sublinear_tf=True,
                        min_df=1,
                    ),
                ),
                (
                    "words",
                    TfidfVectorizer(
                        analyzer="word",
                        ngram_range=(1, 2),
                        lowercase=True,
                        sublinear_tf=True,
                        token_pattern=r"(?u)\b\w+\b",
                    ),
                ),
            ]
        )
        self.pipeline = make_pipeline(
            features, LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        )

    def fit(self, texts: List[str], labels: List[int]) -> "CrisisModel":
        self.pipeline.fit(texts, labels)
        return self

    def score(self, text: str) -> float:
        units = windows(text)
        if not units:
            return 0.0
        return float(max(self.pipeline.predict_proba(units)[:, 1]))


def training_examples(training_data: Optional[TrainingData]) -> tuple[List[str], List[int]]:
    texts: List[str] = []
    labels: List[int] = []
    for ex in training_data.intent_examples if training_data else []:
        text = ex.get(TEXT)
        if text:
            texts.append(text)
            labels.append(int(ex.get(INTENT) == CRISIS_INTENT))
    for path in TRAIN_FILES:
        for text, label in read_tsv(path):
            texts.append(text)
            labels.append(label)
    return texts, labels


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisClassifier(GraphComponent):
    """Adds ``crisis_score`` (0..1) to every message; `CrisisOverride` reads it."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"threshold": 0.5, "c": 4.0}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Optional[CrisisModel] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = training_examples(training_data)
        if len(set(labels)) < 2:
            logger.warning("crisis classifier: no positive or no negative examples; not trained")
            return self._resource
        self._model = CrisisModel(self._config.get("c", 4.0)).fit(texts, labels)
        with self._storage.write_to(self._resource) as directory:
            (Path(directory) / "crisis_model.pkl").write_bytes(pickle.dumps(self._model))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisClassifier":
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((Path(directory) / "crisis_model.pkl").read_bytes())
        except (ValueError, FileNotFoundError, OSError) as exc:
            logger.warning("crisis classifier not loaded (%s): the lexicon alone decides", exc)
        return cls(config, model_storage, resource, model)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if self._model is None or not text or text.startswith("/"):
                continue
            score = self._model.score(text)
            message.set(
                SCORE_KEY,
                {"score": round(score, 4), "threshold": self._config.get("threshold", 0.5)},
                add_to_output=True,
            )
        return messages
