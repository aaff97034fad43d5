"""The standard-aware lemma lookup (bot/nlp/pipeline_code/standard_lemmas.py)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from bot.nlp.pipeline_code import standard_lemmas as sl

# (standard, words, lemmas, UPOS): "er" and "meg" are shared forms with a lemma per standard
TRAIN = [
    ("nob", ["Jeg", "er", "ikke", "hjemme"], ["jeg", "være", "ikke", "hjemme"],
     ["PRON", "AUX", "PART", "ADV"]),
    ("nob", ["Hun", "ringte", "meg", "ikke"], ["hun", "ringe", "jeg", "ikke"],
     ["PRON", "VERB", "PRON", "PART"]),
    ("nno", ["Eg", "er", "ikkje", "heime"], ["eg", "vere", "ikkje", "heime"],
     ["PRON", "AUX", "PART", "ADV"]),
    ("nno", ["Ho", "ringde", "meg", "ikkje"], ["ho", "ringje", "eg", "ikkje"],
     ["PRON", "VERB", "PRON", "PART"]),
]


def _component():
    nlp = spacy.blank("nb")
    comp = nlp.add_pipe(sl.FACTORY)
    sizes = comp.build(TRAIN)
    return nlp, comp, sizes


def _doc(nlp, words, pos, lemma="?"):
    return Doc(nlp.vocab, words=words, pos=pos, lemmas=[lemma] * len(words))


def test_build_sizes():
    _, comp, sizes = _component()
    assert sizes["nob_lemmas"] > 0 and sizes["nno_lemmas"] > 0
    assert comp.weights["ikkje"] > 0 > comp.weights["ikke"]


@pytest.mark.parametrize(
    "words,pos,standard,lemma_of_er",
    [
        (["jeg", "er", "ikke", "her"], ["PRON", "AUX", "PART", "ADV"], "nob", "være"),
        (["eg", "er", "ikkje", "her"], ["PRON", "AUX", "PART", "ADV"], "nno", "vere"),
        # no word points either way: Bokmål, what most chat users write
        (["er", "her"], ["AUX", "ADV"], "nob", "være"),
    ],
)
def test_detects_standard_and_sets_lemma(words, pos, standard, lemma_of_er):
    nlp, comp, _ = _component()
    doc = comp(_doc(nlp, words, pos))
    assert doc._.written_standard == standard
    assert doc[words.index("er")].lemma_ == lemma_of_er


def test_unknown_pairs_keep_the_model_lemma():
    nlp, comp, _ = _component()
    # "er" as NOUN was never seen: the predicted lemma stays
    doc = comp(_doc(nlp, ["eg", "er", "ikkje"], ["PRON", "NOUN", "PART"], lemma="modell"))
    assert doc[1].lemma_ == "modell"
    assert doc[2].lemma_ == "ikkje"


def test_without_tags_nothing_changes():
    nlp, comp, _ = _component()
    doc = comp(Doc(nlp.vocab, words=["eg", "er"], lemmas=["x", "y"]))
    assert [t.lemma_ for t in doc] == ["x", "y"]


def test_serialisation_round_trip(tmp_path):
    nlp, comp, _ = _component()
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    comp2 = nlp2.get_pipe(sl.FACTORY)
    assert comp2.tables == comp.tables and comp2.weights == comp.weights
    doc = comp2(_doc(nlp2, ["eg", "er", "ikkje"], ["PRON", "AUX", "PART"]))
    assert doc[1].lemma_ == "vere"


def test_shipped_pipeline_lemmas_by_standard(nlp):
    if sl.FACTORY not in nlp.pipe_names:
        pytest.skip("the shipped pipeline has no standard-aware lemma lookup")
    nob = nlp("Jeg er sliten og vet ikke hva jeg skal si til henne.")
    nno = nlp("Eg er sliten og veit ikkje kva eg skal seie til henne.")
    assert nob._.written_standard == "nob" and nno._.written_standard == "nno"
    assert nob[1].lemma_ == "være", [(t.text, t.lemma_) for t in nob]
    assert nno[1].lemma_ == "vere", [(t.text, t.lemma_) for t in nno]
