"""The similarity index and the NLU export of the articles' example questions."""

from __future__ import annotations

import yaml

from knowledge import nlu_export
from knowledge.similarity import LemmaAnalyzer, SimilarityIndex


def test_every_content_article_has_example_questions(repo):
    missing = [a.id for a in repo.all_articles()
               if a.topic not in ("smalltalk", "out_of_scope") and len(a.questions) < 5]
    assert not missing, f"articles with fewer than 5 example questions: {missing}"


def test_similar_wording_finds_the_article_among_all(repo):
    sims = repo.similarities("hva er omsorgsstønad og hvem kan få det")
    best = max(sims, key=sims.get)
    assert best == "omsorgsstonad"
    assert 0.0 <= min(sims.values()) <= max(sims.values()) <= 1.0


def test_typos_and_nynorsk_still_match(repo):
    for text, expected in [
        ("kva er omsorgsstønad", "omsorgsstonad"),
        ("hvordn søker jeg avlasting", "soke-avlastning"),
        ("kan eg få innsyn i journalen til mor etter at ho døydde", "journalinnsyn"),
    ]:
        sims = repo.similarities(text)
        assert max(sims, key=sims.get) == expected, (text, sorted(sims.items(),
                                                                  key=lambda kv: -kv[1])[:3])


def test_empty_and_unrelated_text_score_nothing(repo):
    assert repo.similarities("") == {}
    sims = repo.similarities("qqqq zzzz xxxx")
    assert max(sims.values()) < 0.08


def test_lemmas_come_from_the_project_pipeline():
    analyzer = LemmaAnalyzer()
    assert analyzer.available, "nb_parorende should be installed by the set-up"
    lemmas = analyzer("Barna søkte om pleiepengene")
    assert "barn" in lemmas and "soke" in lemmas


def test_index_without_questions_uses_the_profile(repo):
    from dataclasses import replace

    arts = [replace(a, questions=()) for a in repo.all_articles()]
    index = SimilarityIndex(arts)
    sims = index.scores("pleiepenger i livets sluttfase")
    assert max(sims, key=sims.get) == "pleiepenger-livets-sluttfase"


def test_annotation_marks_lookup_values_as_the_hand_written_data_does():
    lookups = nlu_export._lookups()
    text = nlu_export.annotate("Kan mamma få pleiepenger når han har demens?", lookups)
    assert text == ("Kan [mamma](relation) få [pleiepenger](benefit) når han har "
                    "[demens](diagnosis)?")


def test_exported_nlu_file_is_in_sync_with_the_articles():
    assert nlu_export.OUT_FILE.read_text(encoding="utf-8") == nlu_export.render(), (
        "run `python -m knowledge nlu-export` after editing article questions"
    )
    data = yaml.safe_load(nlu_export.OUT_FILE.read_text(encoding="utf-8"))
    intents = {item["intent"] for item in data["nlu"]}
    assert intents <= set(nlu_export.EXPORTED_TOPICS)


def test_an_article_without_intent_examples_is_left_out_of_the_export(repo):
    """`intent_examples: false` (an overview across topics): its questions choose the article
    but are no NLU examples."""
    from knowledge.loader import read_articles

    off = [a for _, a in read_articles() if not a.intent_examples]
    assert off, "no article sets intent_examples: false"
    rendered = yaml.safe_load(nlu_export.render())
    exported = {nlu_export._plain(line[2:]) for item in rendered["nlu"]
                for line in str(item["examples"]).splitlines() if line.startswith("- ")}
    for art in off:
        assert art.questions
        for q in art.questions:
            assert q.strip().lower() not in exported, q
        sims = repo.similarities(art.questions[0])
        assert max(sims, key=sims.get) == art.id


def test_second_analyzer_mixes_into_each_question_before_the_best_is_taken(repo):
    """With lemmas on, a question's score is the mean of both analyzers; then the best counts."""
    from dataclasses import replace

    arts = [replace(a, questions=a.questions[:3]) for a in repo.all_articles()[:5]]
    index = SimilarityIndex(arts, lemma=str.split)
    text = arts[0].questions[1]
    q_char = (index._q_char @ index._char.transform([text]).T).toarray().ravel()
    q_word = (index._q_word @ index._word.transform([text]).T).toarray().ravel()
    p_char = (index._p_char @ index._char.transform([text]).T).toarray().ravel()
    p_word = (index._p_word @ index._word.transform([text]).T).toarray().ravel()
    mixed = (q_char + q_word) / 2
    w = index.weights
    for i, aid in enumerate(index.ids):
        own = [mixed[j] for j, owner in enumerate(index._q_owner) if owner == i]
        expected = w.question * max(own) + w.profile * (p_char[i] + p_word[i]) / 2
        assert abs(index.scores(text)[aid] - expected) < 1e-9
