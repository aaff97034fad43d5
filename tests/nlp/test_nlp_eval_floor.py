"""Evaluation floor on the NorNE UD test splits (Bokmål and Nynorsk).

Floors are the figures reached by the committed pipeline (bot/nlp/README.md)
minus 0.01. The issue's floor is "better than nb_core_news_sm 3.4 on UD Bokmål test"
(ents_f 0.753, lemma_acc 0.969, pos_acc 0.968): lemma_acc (0.9750) and pos_acc (0.9704) are
past it (asserted); ents_f is not yet, so its comparison is an xfail test that turns green
(XPASS) once a better model lands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.nlp import evaluate

PIPELINE_DIR = Path(__file__).resolve().parents[2] / "bot" / "nlp" / "pipeline"

# reached (README, nb_parorende 1.3.0): ents_f 0.7261, lemma 0.9750, pos 0.9704,
# nno: ents_f 0.7467, lemma 0.9750, pos 0.9619
FLOOR = {
    "ents_f": 0.7161,
    "lemma_acc": 0.9650,
    "pos_acc": 0.9604,
    "nno_ents_f": 0.7367,
    "nno_lemma_acc": 0.9650,
    "nno_pos_acc": 0.9519,
    # entity mentions whose text never occurs in training (1.3.0: 0.6248 / nno 0.6523)
    "ents_unseen_f": 0.6148,
    "nno_ents_unseen_f": 0.6423,
}
NB_CORE_NEWS_SM = {"ents_f": 0.753, "lemma_acc": 0.969, "pos_acc": 0.968}
PASSED = ("lemma_acc", "pos_acc")
NOT_YET = ("ents_f",)


@pytest.fixture(scope="module")
def scores(norne):
    if not (PIPELINE_DIR / "meta.json").is_file():
        pytest.skip("bot/nlp/pipeline missing; run `python -m bot.nlp.train`")
    return evaluate.evaluate(PIPELINE_DIR, norne)


@pytest.mark.parametrize("key", sorted(FLOOR))
def test_floor(scores, key):
    assert scores[key] >= FLOOR[key], (key, scores[key])


@pytest.mark.parametrize("key", PASSED)
def test_better_than_nb_core_news_sm(scores, key):
    assert scores[key] > NB_CORE_NEWS_SM[key], (key, scores[key])


@pytest.mark.xfail(reason="issue 4 floor not reached yet, see bot/nlp/README.md", strict=False)
@pytest.mark.parametrize("key", NOT_YET)
def test_ents_better_than_nb_core_news_sm(scores, key):
    assert scores[key] > NB_CORE_NEWS_SM[key], (key, scores[key])


def test_size_and_output_shape(scores):
    assert scores["size_mb"] <= 25
    assert scores["words_per_s"] > 0
    assert "GPE_LOC" in scores["ents_per_type"]
    # 1,383 gold mentions in UD Bokmål test: 812 unseen in training, 571 seen
    assert scores["ents_unseen_n"] + scores["ents_seen_n"] == 1383
    assert scores["ents_unseen_n"] > scores["ents_seen_n"]
    json.dumps(scores)  # one JSON-serialisable line


def test_cli_skips_without_norne(monkeypatch, capsys):
    monkeypatch.setenv("NORNE_DIR", "/nonexistent/norne")
    assert evaluate.main([]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["skipped"] is True


def test_seen_unseen_split_counts_by_surface_form():
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("nb")
    gold = nlp("Kari Nordmann bor i Tromsø og Bodø .")
    gold.ents = [
        gold.char_span(0, 13, "PER"),
        gold.char_span(20, 26, "GPE_LOC"),
        gold.char_span(30, 34, "GPE_LOC"),
    ]
    pred = nlp.make_doc(gold.text)
    pred.ents = [pred.char_span(0, 13, "PER"), pred.char_span(30, 34, "ORG")]
    seen = {evaluate.mention_key("Kari  Nordmann"), "Bodø"}
    s = evaluate.seen_unseen_scores([Example(pred, gold)], seen)
    assert (s["ents_seen_n"], s["ents_unseen_n"]) == (2, 1)
    assert (s["ents_seen_p"], s["ents_seen_r"]) == (0.5, 0.5)  # Bodø mislabelled
    assert (s["ents_unseen_p"], s["ents_unseen_r"], s["ents_unseen_f"]) == (0.0, 0.0, 0.0)


def test_training_mentions(norne):
    seen = evaluate.training_mentions(norne)
    assert {"Oslo", "Norge", "Stortinget"} <= seen
    assert len(seen) > 5000  # 8,182 distinct surface forms
    assert not any(" " in k for k in seen)


def test_fold_scores_count_unseen_against_the_folds_own_training_part(tmp_path):
    """evaluate --fold-dir: per-standard scores of a fold's held-out texts; "unseen" means
    not in that fold's train.spacy (not in the full training split)."""
    if not (PIPELINE_DIR / "meta.json").is_file():
        pytest.skip("bot/nlp/pipeline missing; run `python -m bot.nlp.train`")
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("nb")

    def doc(text, spans):
        d = nlp(text)
        d.ents = [d.char_span(a, b, label) for a, b, label in spans]
        return d

    DocBin(docs=[doc("Kari bor i Tromsø .", [(0, 4, "PER"), (11, 17, "GPE_LOC")])]).to_disk(
        tmp_path / "train.spacy"
    )
    DocBin(
        docs=[
            doc(
                "Kari flyttet fra Tromsø til Bodø .",
                [(0, 4, "PER"), (17, 23, "GPE_LOC"), (28, 32, "GPE_LOC")],
            )
        ]
    ).to_disk(tmp_path / "heldout_nob.spacy")
    DocBin(docs=[doc("Ola budde i Førde .", [(0, 3, "PER"), (12, 17, "GPE_LOC")])]).to_disk(
        tmp_path / "heldout_nno.spacy"
    )
    assert evaluate.docbin_mentions(tmp_path / "train.spacy") == {"Kari", "Tromsø"}
    s = evaluate.evaluate_fold(PIPELINE_DIR, tmp_path)
    assert (s["ents_seen_n"], s["ents_unseen_n"]) == (2, 1)  # Bodø unseen
    assert (s["nno_ents_seen_n"], s["nno_ents_unseen_n"]) == (0, 2)
    assert {"ents_f", "lemma_acc", "pos_acc", "nno_ents_f", "nno_pos_acc"} <= set(s)
