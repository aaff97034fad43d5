"""Lemmas of the Norwegian spaCy pipeline reach the NLU features: the bag-of-words
featurizer's vocabulary changes with `use_lemma` (bot/config.yml sets it)."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

TEXTS = ["Hun søkte om avlastning for barna", "Barnet trenger pleiepenger", "jeg søker hjelp"]


@pytest.fixture(scope="module")
def tokenized():
    spacy_nlp = SpacyNLP.create({**SpacyNLP.get_default_config(), "model": "nb_parorende"},
                                None, None, None)
    model = spacy_nlp.provide()
    if not any(tok.lemma_ != tok.text for tok in model.model("Hun søkte om hjelp")):
        pytest.skip("the installed nb_parorende pipeline has no lemmatizer (blank pipeline)")
    data = TrainingData([Message(data={"text": t, "intent": "x"}) for t in TEXTS])
    spacy_nlp.process_training_data(data, model)
    tokenizer = SpacyTokenizer(SpacyTokenizer.get_default_config())
    tokenizer.process_training_data(data)
    return data


def vocabulary(data, tmp_path, use_lemma: bool) -> set:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    config = {**CountVectorsFeaturizer.get_default_config(), "use_lemma": use_lemma}
    featurizer = CountVectorsFeaturizer.create(
        config, storage, Resource(f"cvf{use_lemma}"), ExecutionContext(None)
    )
    featurizer.train(data)
    return set(featurizer.vectorizers["text"].vocabulary_)


def test_lemmas_change_the_features(tokenized, tmp_path):
    tokens = {t.text.lower(): t.lemma for t in tokenized.training_examples[0].get("text_tokens")}
    assert tokens["søkte"] == "søke"
    with_lemma = vocabulary(tokenized, tmp_path / "a", True)
    without = vocabulary(tokenized, tmp_path / "b", False)
    assert "søke" in with_lemma and "søkte" not in with_lemma
    assert "søkte" in without
    assert with_lemma != without
