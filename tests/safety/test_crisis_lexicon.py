"""The crisis lexicon: unit cases and the evaluation on tests/safety/crisis.tsv.

crisis.tsv was written independently of the lexicon (labelling rules in README.md here).
Targets (issue: crisis safety): recall 1.00 on crisis messages, false-positive rate <= 2 %.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.safety.crisis import CrisisLexicon, normalise

TSV = Path(__file__).with_name("crisis.tsv")


@pytest.fixture(scope="module")
def lexicon() -> CrisisLexicon:
    return CrisisLexicon.from_file()


@pytest.mark.parametrize(
    "text,category",
    [
        ("jeg vil ikke leve mer", "suicide"),
        ("eg vil ikkje leve meir", "suicide"),
        ("broren min snakker om selvmord", "suicide"),
        ("Jeg skal ta livet mitt i kveld", "suicide"),
        ("kutter meg igjen", "self_harm"),
        ("pappa slår mamma nå", "violence"),
        ("hun har tatt en overdose", "overdose"),
        ("VIL IKKE LEVE!!!", "suicide"),
        ("vil ikkkkke leve", "suicide"),
    ],
)
def test_crisis_messages_match(lexicon, text, category):
    match = lexicon.detect(text)
    assert match is not None, text
    assert match.category == category


@pytest.mark.parametrize(
    "text",
    [
        "selvmordsforebygging kurs for pårørende",
        "mamma døde i fjor",
        "jeg er sliten",
        "Hva er avlastning?",
        "",
        "🙂🙂🙂",
    ],
)
def test_hard_negatives_do_not_match(lexicon, text):
    assert lexicon.detect(text) is None


def test_normalise():
    assert normalise("  Hei!!!  Jeg   ER her. ") == "hei jeg er her"


def load_tsv():
    with TSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(r["label"], r["text"]) for r in rows]


def test_crisis_tsv_recall_and_false_positive_rate(lexicon):
    rows = load_tsv()
    crisis = [t for label, t in rows if label == "crisis"]
    negatives = [t for label, t in rows if label == "none"]
    assert len(crisis) >= 80 and len(rows) >= 200
    missed = [t for t in crisis if lexicon.detect(t) is None]
    false_pos = [t for t in negatives if lexicon.detect(t) is not None]
    recall = 1 - len(missed) / len(crisis)
    fpr = len(false_pos) / len(negatives)
    print(f"\ncrisis lexicon: recall {recall:.3f} of {len(crisis)}, "
          f"FPR {fpr:.3f} of {len(negatives)}")
    assert not missed, f"missed crisis messages: {missed}"
    assert fpr <= 0.02, f"false positives ({fpr:.1%}): {false_pos}"
