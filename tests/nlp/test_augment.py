"""The mention-swap augmenter (bot/nlp/augment.py) on hand-made documents."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Example

from bot.nlp import augment


def make(nlp, words, ents, pos=None):
    return Doc(nlp.vocab, words=words, ents=ents, pos=pos or ["X"] * len(words),
               lemmas=[w.lower() for w in words])


@pytest.fixture()
def nlp():
    return spacy.blank("nb")


@pytest.fixture()
def bank_path(nlp, tmp_path):
    docs = [
        make(nlp, ["Kari", "Nordmann", "bor", "i", "Tromsø", "."],
             ["B-PER", "I-PER", "O", "O", "B-GPE_LOC", "O"],
             ["PROPN", "PROPN", "VERB", "ADP", "PROPN", "PUNCT"]),
        make(nlp, ["Universitetet", "i", "Bergen", "svarte", "."],
             ["B-ORG", "I-ORG", "I-ORG", "O", "O"],
             ["NOUN", "ADP", "PROPN", "VERB", "PUNCT"]),
    ]
    path = tmp_path / "train.spacy"
    DocBin(docs=docs).to_disk(path)
    return path


def test_bank_holds_each_mention_with_its_own_tokens(nlp, bank_path):
    bank = augment.mention_bank(DocBin().from_disk(bank_path).get_docs(nlp.vocab))
    assert sorted(bank) == ["GPE_LOC", "ORG", "PER"]
    assert [t[0] for t in bank["ORG"][0]] == ["Universitetet", "i", "Bergen"]
    assert [t[2] for t in bank["ORG"][0]] == ["NOUN", "ADP", "PROPN"]


def test_swapped_mentions_keep_label_and_context(nlp, bank_path):
    bank = augment.mention_bank(DocBin().from_disk(bank_path).get_docs(nlp.vocab))
    doc = make(nlp, ["Hei", ",", "Ola", "jobber", "i", "NRK", "."],
               ["O", "O", "B-PER", "O", "O", "B-ORG", "O"],
               ["INTJ", "PUNCT", "PROPN", "VERB", "ADP", "PROPN", "PUNCT"])
    new = augment.swap_mentions(doc, bank, replace_prob=1.0, rng=random.Random(0))
    assert new.text.strip() == "Hei , Kari Nordmann jobber i Universitetet i Bergen ."
    assert [(e.text, e.label_) for e in new.ents] == [
        ("Kari Nordmann", "PER"), ("Universitetet i Bergen", "ORG")]
    # the donor's POS and lemmas come along; the context keeps its own
    assert [t.pos_ for t in new] == ["INTJ", "PUNCT", "PROPN", "PROPN", "VERB", "ADP",
                                     "NOUN", "ADP", "PROPN", "PUNCT"]
    assert new[6].lemma_ == "universitetet" and new[4].lemma_ == "jobber"


def test_level_zero_and_sentences_without_entities_pass_unchanged(nlp, bank_path):
    never = augment.create_mention_swap(str(bank_path), level=0.0)
    always = augment.create_mention_swap(str(bank_path), level=1.0, replace_prob=1.0)
    with_ent = make(nlp, ["Ola", "kom", "."], ["B-PER", "O", "O"])
    without = make(nlp, ["Hun", "kom", "."], ["O", "O", "O"])
    for doc in (with_ent, without):
        ex = Example(nlp.make_doc(doc.text), doc)
        assert list(never(nlp, ex)) == [ex]
    assert list(always(nlp, Example(nlp.make_doc(without.text), without)))[0].reference \
        is without
    swapped = list(always(nlp, Example(nlp.make_doc(with_ent.text), with_ent)))
    assert len(swapped) == 1
    assert swapped[0].reference.ents[0].text == "Kari Nordmann"
    assert swapped[0].reference.text.strip() == "Kari Nordmann kom ."
