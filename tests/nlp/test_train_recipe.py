"""Pieces of the training recipe (bot/nlp/train.py) that need no NorNE data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlp import train

PIPELINE_DIR = Path(__file__).resolve().parents[2] / "bot" / "nlp" / "pipeline"


def test_pretrained_start_gets_a_pretraining_block(tmp_path):
    """spaCy applies `initialize.init_tok2vec` only when the config has a [pretraining]
    block; without one, a pretrained tok2vec is silently ignored (run L's first attempt
    started from random weights). The train stage adds the block in that case."""
    from spacy.util import load_config

    original = load_config(train.CONFIG, interpolate=False)
    assert not original.get("pretraining")  # spaCy writes an empty [pretraining] section
    merged = load_config(train._with_pretraining_block(train.CONFIG, tmp_path), interpolate=False)
    assert merged["pretraining"]["component"] == "tok2vec"
    assert merged["pretraining"]["layer"] == ""
    for section in ("components", "training", "initialize"):
        assert merged[section] == original[section]


def test_shipped_config_has_no_training_only_settings():
    from spacy.util import load_config

    cfg = load_config(PIPELINE_DIR / "config.cfg", interpolate=False)
    assert not cfg.get("pretraining")
    assert cfg["paths"]["init_tok2vec"] is None
    assert cfg["paths"]["train"] is None and cfg["paths"]["dev"] is None
    assert cfg["corpora"]["train"]["augmenter"] is None


def test_mention_swap_goes_on_the_training_corpus_only(tmp_path):
    from spacy.util import load_config

    original = load_config(train.CONFIG, interpolate=False)
    merged = load_config(train._with_mention_swap(train.CONFIG, tmp_path, 0.3),
                         interpolate=False)
    aug = merged["corpora"]["train"]["augmenter"]
    assert aug["@augmenters"] == "parorende.mention_swap.v1"
    assert aug["mentions_from"] == "${paths.train}" and aug["level"] == pytest.approx(0.3)
    assert merged["corpora"]["dev"] == original["corpora"]["dev"]
    for section in ("components", "training", "initialize"):
        assert merged[section] == original[section]
