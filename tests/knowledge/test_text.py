"""Normalisation, LIX and GSM-7 helpers."""

from knowledge.text import fold, gsm7_length, lix, similar, stem, tokens


def test_fold_norwegian_letters_and_ascii_spellings():
    assert fold("Pårørende") == fold("paarorende") == fold("parorende") == "parorende"
    assert fold("Være") == fold("vaere") == fold("vere")
    assert fold("Omsorgsstønad") == "omsorgsstonad"


def test_tokens_drop_stopwords_both_written_standards():
    assert tokens("Hva er omsorgsstønad?") == ["omsorgsstonad"]
    assert tokens("Kva er omsorgsstønad?") == ["omsorgsstonad"]


def test_similar_compounds_inflection_nynorsk():
    assert similar("pleiepengar", "pleiepenger")
    assert similar("avlastning", "avlastningsopphold")
    assert similar("dagar", "dager")
    assert not similar("barn", "bare")
    assert not similar("omsorgspenger", "omsorgsstonad")
    assert stem("tolker") == "tolk"


def test_lix_counts_words_sentences_and_long_words():
    # 6 words, 2 sentences, 0 long words -> 3.0
    assert lix("Jeg er her. Du er der.") == 3.0
    # 2 words, 1 sentence, 1 long word (> 6 letters) -> 2 + 50
    assert lix("Omsorgsstønad finnes.") == 2 + 50
    # list items without end punctuation count as sentences
    assert lix("- en to\n- tre fire") == 2.0


def test_gsm7_length():
    assert gsm7_length("Hei på deg, Åse! § 3-3") == 22
    assert gsm7_length("€") == 2  # extension character
    assert gsm7_length("tankestrek – er ikke GSM-7") is None
    assert gsm7_length("«sitat»") is None


def test_a_keyword_matches_its_compounds_and_inflections_but_not_a_word_it_begins_with():
    from knowledge.text import matches_keyword

    assert matches_keyword("avlastningsopphold", "avlastning")  # a compound of the keyword
    assert matches_keyword("pleiepengar", "pleiepenger")  # Nynorsk inflection
    assert matches_keyword("barn", "barna")  # a short ending
    # a short word of a story is not every longer keyword it begins
    assert not matches_keyword("barn", "barnevernet")
    assert not matches_keyword("syke", "sykemelding")


def test_a_story_about_children_scores_no_child_welfare_keywords(repo):
    text = ("Vi har tre voksne barn. Jeg bekymrer meg for barna hele tiden, for jobben og "
            "pengene deres. Er det normalt å bekymre seg så mye for barn som er voksne?")
    scores = repo.keyword_scores(text, topics=["barn_unge"])
    assert scores["bekymringsmelding-barnevernet"] < 3, scores


def test_the_word_index_answers_as_asking_every_word(repo):
    """WordIndex compares a keyword only with the words that begin like it: the same answers
    as matches_keyword over every word, for every keyword and title word of the articles and
    every word of the articles' texts and example questions (short words, compounds, Nynorsk
    forms)."""
    from knowledge.text import WordIndex, matches_keyword

    arts = repo.all_articles()
    text = " ".join(" ".join((a.body, a.young or "", *a.questions)) for a in arts)
    words = list(dict.fromkeys(tokens(text)))[:3000] + ["ms", "als", "pleiepengar", "barn"]
    index = WordIndex(words)
    keywords = {fold(k) for a in arts for k in a.keywords if " " not in k}
    keywords |= {w for a in arts for w in tokens(a.title)}
    keywords |= {"ms", "al", "barna", "sykemelding"}
    assert len(keywords) > 500 and len(words) > 1000
    found = 0
    for kw in sorted(keywords):
        expected = any(matches_keyword(w, kw) for w in words)
        assert index.matches(kw) == expected, kw
        assert index.has(kw) == (kw in words), kw
        found += expected
    assert 0 < found < len(keywords)  # many keywords occur in the texts, not all
