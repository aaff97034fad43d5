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


# Issue #18: indirect danger by category, Nynorsk and misspelt forms (sentences written for
# this test, not taken from bot/safety/crisis_train.tsv).
@pytest.mark.parametrize(
    "text,category",
    [
        ("eg har bestemt meg, ingen kan stoppe meg no", "suicide"),
        ("har rekna ut kor mange tablettar som trengs", "suicide"),
        ("knytte ei løkke i kveld", "suicide"),
        ("når dere finner denne lappen er jeg borte", "suicide"),
        ("du høyrer ikkje meir frå meg", "suicide"),
        ("siste innlegget mitt, glad i dere alle", "suicide"),
        ("han har gitt bort gitaren sin til meg og sagt unnskyld for alt", "suicide"),
        ("mora mi seier ho vil leggje seg og aldri stå opp igjen", "suicide"),
        ("riv meg til blods kvar kveld", "self_harm"),
        ("straffar meg sjølv med kniven", "self_harm"),
        ("han ristet babyen hardt", "violence"),
        ("far stenger meg ute i kulda utan sko", "violence"),
        ("har tatt sobril og drukke sprit, alt er rart", "overdose"),
        ("bror min har tatt ei ovedose", "overdose"),
        ("krampene stopper ikke", "acute"),
        ("utslettet forsvinner ikke når jeg trykker glasset mot det", "acute"),
    ],
)
def test_indirect_danger_matches_its_category(lexicon, text, category):
    match = lexicon.detect(text)
    assert match is not None, text
    assert match.category == category, (text, match)


@pytest.mark.parametrize(
    "text",
    [
        "takk for hjelpa, ha det bra",
        "vi gir bort klærne hans til fretex etter flyttingen",
        "apoteket sier at pillene er gått ut på dato",
        "det tar livet av meg å fylle ut dette skjemaet",
        "så en krimserie i går der noen ble skutt",
        "bestefar vil dø på sykehjemmet der han bor, og legen er enig",
        "pappa har ladd geværet til jakta i morgen",
    ],
)
def test_indirect_hard_negatives_do_not_match(lexicon, text):
    assert lexicon.detect(text) is None, (text, lexicon.detect(text))


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


def _rule_lists(lexicon: CrisisLexicon):
    for cat in lexicon._categories:
        yield from (cat.patterns, cat.contextual, cat.unless)


def test_the_rule_index_never_leaves_out_a_rule_whose_key_gate_passes(lexicon):
    """The index picks rules by their key words; every rule whose gate passes on a text must
    be among those picked, in the list's order (texts: the crisis set and its variants)."""
    from bot.safety.crisis import _Tokens, canonical

    texts = [text for _label, text in load_tsv()]
    texts += ["", "a", "selvmordstankerrrrrrrrrrrrrrrrrrrrrrrr", "x " * 3000 + "kniv"]
    checked = 0
    for text in texts:
        tokens = _Tokens(canonical(text))
        for rules in _rule_lists(lexicon):
            picked = rules.candidates(tokens)
            passing = [r for r in rules.rules if r.parts[0].keys is None
                       or r.parts[0].gate(tokens)]
            assert [r for r in picked if r in passing] == passing, text
            assert picked == [r for r in rules.rules if r in picked]  # the list's order
            checked += len(passing)
    assert checked > 100


def test_a_keyed_regex_finds_what_its_regex_finds():
    """The grading's alternations are keyed (bot.safety.crisis.KeyedRegex): over the crisis
    set, raw and canonical, long and short, each finds exactly the match its regex finds."""
    from bot.safety import risk
    from bot.safety.crisis import KeyedRegex, canonical

    keyed = [v for v in vars(risk).values() if isinstance(v, KeyedRegex)]
    keyed += [x for v in vars(risk).values() if isinstance(v, tuple)
              for t in v if isinstance(t, tuple) for x in t if isinstance(x, KeyedRegex)]
    assert len(keyed) > 30 and any(not k._always for k in keyed)
    texts = [text for _label, text in load_tsv()]
    long_texts = [" ".join(texts[i:i + 6]) for i in range(0, len(texts), 6)]
    found = 0
    for text in texts + long_texts + ["(Selvmord)", "x " * 100 + "(selvmord)"]:
        for variant in (text, canonical(text)):
            for k in keyed:
                got, want = k.search(variant), k.regex.search(variant)
                assert (got and got.span()) == (want and want.span()), (k.pattern[:60], variant)
                found += want is not None
    assert found > 100
