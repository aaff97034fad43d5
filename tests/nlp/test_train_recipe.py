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
    merged = load_config(train._with_mention_swap(train.CONFIG, tmp_path, 0.3), interpolate=False)
    aug = merged["corpora"]["train"]["augmenter"]
    assert aug["@augmenters"] == "parorende.mention_swap.v1"
    assert aug["mentions_from"] == "${paths.train}" and aug["level"] == pytest.approx(0.3)
    assert merged["corpora"]["dev"] == original["corpora"]["dev"]
    for section in ("components", "training", "initialize"):
        assert merged[section] == original[section]


def test_document_id_groups_the_numbered_parts_of_one_text():
    from bot.nlp import corpus

    assert corpus.document_id("nob/ap001_0003.conll") == "nob/ap001"
    assert corpus.document_id("nno/firda-nn012_0000.conll") == "nno/firda-nn012"
    assert corpus.document_id("nob/db001a_0001.conll") == "nob/db001a"
    assert corpus.document_id("nob/kk_x.conll") == "nob/kk_x"  # no part number


def test_folds_hold_out_whole_documents_once_each():
    from bot.nlp import corpus

    sents = [
        corpus.Sentence(["x"], ["x"], ["X"], ["O"], [True], source=f"{std}/{doc}_{part:04d}.conll")
        for std in ("nob", "nno")
        for doc in ("ap001", "ap002", "bt001", "db003", "kk004", "vg005", "st006")
        for part in range(2)
    ]
    folds = [corpus.fold_documents(sents, k, 3) for k in range(3)]
    every = {corpus.document_id(s.source) for s in sents}
    assert set().union(*folds) == every  # every document in some fold ...
    assert sum(len(f) for f in folds) == len(every)  # ... and in one only
    for f in folds:  # both standards in every fold
        assert {d.split("/")[0] for d in f} == {"nob", "nno"}
    import pytest

    with pytest.raises(ValueError):
        corpus.fold_documents(sents, 3, 3)
