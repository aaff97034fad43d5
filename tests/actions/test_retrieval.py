"""The single decision module (actions/retrieval.py) on a real knowledge base, no model:
turns are built by hand with the NLU ranking a parse would carry."""

from __future__ import annotations

import pytest

from actions.retrieval import Turn, decide


def ranking(*pairs):
    return tuple({"name": n, "confidence": c} for n, c in pairs)


def turn(text, intent="egen_helse", rank=None, audience="adult", **kw) -> Turn:
    parse = {"text": text, "intent": {"name": intent},
             "intent_ranking": list(rank or ranking((intent, 0.8)))}
    return Turn.from_parse(parse, audience=audience, **kw)


def test_a_button_opens_its_article(repo):
    parse = {"text": '/barn_unge{"article": "sosken"}', "intent": {"name": "barn_unge"},
             "entities": [{"entity": "article", "value": "sosken"}]}
    d = decide(repo, Turn.from_parse(parse))
    assert (d.kind, d.article.id) == ("answer", "sosken")


def test_a_story_about_a_grown_son_on_drugs_gets_a_rus_article_not_a_benefit(repo):
    story = ("Sønnen min er 24 og har brukt hasj og piller i flere år. Han bor hjemme og "
             "sover hele dagen. Vi har prøvd alt. Jeg får ikke sove og er redd for ham. "
             "Hva kan vi som foreldre gjøre når han er voksen?")
    d = decide(repo, turn(story, "okonomi", ranking(("okonomi", 0.4), ("egen_helse", 0.3),
                                                     ("parorende_rolle", 0.2))))
    assert d.kind == "answer"
    assert "rus" in d.article.diagnoses or "rus" in " ".join(d.article.keywords)
    assert d.article.topic != "okonomi"


def test_the_crisis_reply_alone_when_nothing_else_is_asked(repo):
    d = decide(repo, turn("jeg vil ikke leve mer", "krise", ranking(("krise", 1.0))))
    assert d.kind == "silent"


def test_after_the_crisis_reply_the_question_is_still_answered(repo):
    text = ("Jeg er redd broren min skal ta livet sitt, han har sagt det flere ganger. "
            "Hvordan kan jeg snakke med ham om det?")
    d = decide(repo, turn(text, "krise", ranking(("krise", 1.0), ("egen_helse", 0.3))))
    assert d.kind == "answer" and d.article.id != "nodnummer"
    # the crisis articles compete with full confidence: worry about suicide, not rus
    assert d.article.id == "bekymret-for-selvmord", d.article.id


def test_a_follow_up_without_context_asks_what_it_is_about(repo):
    d = decide(repo, turn("hvor mange dager?", "followup", ranking(("followup", 0.9))))
    assert d.kind == "ask_topic"


def test_a_follow_up_keeps_its_article(repo):
    d = decide(repo, turn("hvor mange dager?", "followup", ranking(("followup", 0.9)),
                          context_topic="okonomi", context_article="pleiepenger-livets-sluttfase"))
    assert d.article.id == "pleiepenger-livets-sluttfase"


def test_a_short_unclear_message_gets_a_clarifying_question(repo):
    d = decide(repo, turn("det med mamma", "nlu_fallback", ranking(("nlu_fallback", 0.4))))
    assert d.kind == "clarify"


def test_a_long_unclear_message_is_never_met_with_a_clarifying_question(repo):
    story = ("Mamma har hatt kreft i to år. Nå er hun veldig dårlig og ligger mest i senga. "
             "Jeg jobber fullt og har to små barn. Jeg er helt utslitt.")
    d = decide(repo, turn(story, "nlu_fallback", ranking(("nlu_fallback", 0.4),
                                                          ("egen_helse", 0.3))))
    assert d.kind in ("answer", "no_answer")


def test_an_adult_is_not_given_the_childrens_text_about_a_drinking_parent(repo):
    text = "Faren min drikker mye og jeg vet ikke hva jeg skal gjøre. Jeg er 35."
    adult = decide(repo, turn(text, "egen_helse", ranking(("egen_helse", 0.5),
                                                         ("barn_unge", 0.4))))
    assert adult.article.audience != "young"
    young = decide(repo, turn("pappa drikker mye og jeg vet ikke hva jeg skal gjøre, er 13",
                              "barn_unge", ranking(("barn_unge", 0.5), ("egen_helse", 0.4)),
                              audience="young"))
    assert young.article.audience != "adult"


def test_a_long_story_is_not_given_to_informasjon_by_the_nlus_confidence(repo):
    # a sibling's long story, with the NLU's default for long texts on top: `informasjon`
    story = ("Jeg er 22 år og storesøster til en bror med Downs syndrom. Vi har alltid hatt "
             "det fint sammen, og jeg er glad i ham. Men helt siden jeg var liten har alt "
             "handlet om ham: legetimer, møter med skolen og kommunen, ferier som måtte "
             "planlegges rundt ham. Jeg har ofte følt meg usynlig, og jeg har dårlig "
             "samvittighet for at jeg tenker sånn. Nå har jeg flyttet hjemmefra og kjenner "
             "på hvor mye ansvar jeg har tatt. Er det vanlig å ha det sånn som søsken?")
    assert len(story) >= 300
    rank = ranking(("informasjon", 0.9), ("egen_helse", 0.05))
    d = decide(repo, turn(story, "informasjon", rank))
    assert d.kind == "answer" and d.article.topic != "informasjon", d.article.id
    # a short question keeps the NLU's topic
    short = "pappa ligger i koma etter hjerneslaget. hva får vi vite og hvem tar avgjørelsene nå"
    d = decide(repo, turn(short, "informasjon", ranking(("informasjon", 0.7))))
    assert d.article.topic == "informasjon", d.article.id


def crisis_turn(text, danger, rank, audience="adult", **crisis):
    parse = {"text": text, "intent": {"name": "krise"}, "intent_ranking": list(rank),
             "crisis": {"level": "concern", "danger": danger, "category": "signal", **crisis}}
    return Turn.from_parse(parse, audience=audience)


def test_texts_for_the_bereaved_answer_a_danger_or_a_story_only_when_a_death_is_told(repo):
    from actions.retrieval import BEREAVED_ONLY_ARTICLES, _story_exclusions

    alive = crisis_turn("Broren min har prøvd før. Nå er han innlagt igjen.", "other", ())
    assert BEREAVED_ONLY_ARTICLES <= _story_exclusions(repo, alive)
    bereaved = Turn.from_parse(
        {"text": "x", "intent": {"name": "krise"}, "situation": {"bereaved": True},
         "crisis": {"level": "concern", "danger": "other"}})
    # (the text for those bereaved by suicide has a rule of its own: a story of a suicide)
    assert not (BEREAVED_ONLY_ARTICLES - {"etterlatte-etter-selvmord"}) & _story_exclusions(
        repo, bereaved)


def test_the_writers_own_danger_gets_the_text_for_them_and_never_the_worry_for_another():
    from actions.retrieval import OTHERS_DANGER_ARTICLES, WRITER_DANGER_ARTICLES, _crisis_articles

    own = Turn.from_parse(
        {"text": "x", "intent": {"name": "krise"},
         "crisis": {"level": "concern", "danger": "self", "said_of_self": True}})
    assert OTHERS_DANGER_ARTICLES <= _crisis_articles(own)
    assert not WRITER_DANGER_ARTICLES & _crisis_articles(own)
    other = crisis_turn("Broren min sier han vil dø.", "other", ())
    assert WRITER_DANGER_ARTICLES <= _crisis_articles(other)


@pytest.mark.parametrize(
    "text,danger,others,extra,expected",
    [
        # violence: the violence article, not the suicide one
        ("Mannen min har blitt mer og mer kontrollerende, og i går truet han meg når han "
         "hadde drukket. Barna er store og har flyttet ut. Jeg vet ikke om jeg skal bli "
         "eller gå, og hvem kan jeg snakke med om dette?", "violence_adult",
         (("organisasjoner", 0.3),), {}, "vold-og-overgrep"),
        # a friend's attempt with pills, graded as danger to someone else's life (not an
        # overdose): the text about worry for a life, not the naloxone text
        ("Jeg er 16. I natt ringte jeg 113 fordi bestevenninna mi hadde tatt masse piller "
         "etter at hun hadde skrevet at hun ville dø. Hun ligger på sykehuset nå. Jeg "
         "klarer ikke å slutte å tenke på det. Hvordan kan jeg være der for henne?", "other",
         (("sorg", 0.3), ("barn_unge", 0.2)), {}, "bekymret-for-selvmord"),
        # the writer's own danger, said of themself: the text about their own pain
        ("Jeg er 15. Jeg har begynt å kutte meg igjen, og jeg har masse sår. Hvordan kan jeg "
         "si til læreren min at jeg vil ha hjelp?", "self", (("barn_unge", 0.3),),
         {"audience": "young", "said_of_self": True}, "nar-du-selv-har-det-vondt"),
        # a medical danger: the texts on getting help for someone ill, not the suicide text
        ("Mamma har bipolar lidelse og har vært manisk i flere uker. Hun sover nesten ikke, "
         "bruker masse penger og vil ikke til lege. Legevakten sier hun ikke kan legges inn "
         "fordi hun sier nei. Hva kan vi gjøre når hun ikke vil ha hjelp?", "medical",
         (("informasjon", 0.3),), {}, "topic:informasjon"),
        # a friend's suicide threat read as a medical danger (she called 113) keeps its text
        ("Jeg er 16. I natt ringte jeg 113 fordi venninna mi skrev at hun ville dø og ta "
         "livet sitt. Nå er hun på sykehuset. Hvordan kan jeg være der for henne?", "medical",
         (("barn_unge", 0.3),), {}, "bekymret-for-selvmord"),
        # an overdose danger: whether someone who uses drugs can be made to get treatment
        ("Broren min setter sprøyter igjen etter at han kom ut av fengsel. Mamma er livredd for "
         "at han tar en overdose. Finnes det noe som heter tvang for rusavhengige?", "overdose",
         (("egen_helse", 0.3),), {}, "tvang-ved-rus"),
    ],
)
def test_after_the_crisis_reply_the_text_fits_the_danger(repo, text, danger, others, extra,
                                                          expected):
    d = decide(repo, crisis_turn(text, danger, ranking(("krise", 1.0), *others), **extra))
    assert d.kind == "answer", d
    got = f"topic:{d.article.topic}" if expected.startswith("topic:") else d.article.id
    assert got == expected, d.article.id


def test_a_story_gets_no_text_written_for_an_illness_it_does_not_tell_of(repo):
    text = ("Mannen min fikk hjerteinfarkt i vinter. Nå er han redd hele tiden, vil ikke gå ut "
            "og trenger meg til alt. Jeg er sliten og vet ikke hvordan vi skal leve med dette. "
            "Hvordan kan jeg støtte ham uten å gå tom selv?")
    d = decide(repo, turn(text, "egen_helse", ranking(("egen_helse", 0.5), ("informasjon", 0.2))))
    assert d.kind == "answer"
    assert "rus" not in (d.article.diagnoses or ()), d.article.id
    from actions.retrieval import _other_illness_articles

    held_back = _other_illness_articles(repo, Turn.from_parse(
        {"text": text, "intent": {"name": "egen_helse"}}))
    assert "leve-med-rus-i-familien" in held_back and "bekymret-for-selvmord" not in held_back
    told = Turn.from_parse({"text": "Broren min drikker hver dag. " + text,
                            "intent": {"name": "egen_helse"}})
    assert "leve-med-rus-i-familien" not in _other_illness_articles(repo, told)


def test_a_death_told_without_a_living_loss_never_gets_the_text_on_grieving_the_living(repo):
    text = ("Jeg har mistet to koner av kreft. Den siste døde i fjor, etter at NAV hadde truet "
            "med å stanse pengene hennes. Nå sitter jeg alene igjen. Hvordan skal jeg klare "
            "sorgen?")
    d = decide(repo, turn(text, "sorg", ranking(("sorg", 0.6), ("okonomi", 0.2))))
    assert d.kind == "answer" and d.article.id != "sorg-mens-de-lever", d.article.id
    # nor the text on someone suddenly critically ill, when the one who was ill has died
    died = ("Mor døde i går på sykehjemmet. Hun hadde kols og fikk et hjerneslag for tre år "
            "siden, og den siste måneden var kritisk. Vi satt rundt henne til det siste.")
    t = turn(died, "informasjon", ranking(("informasjon", 0.6), ("sorg", 0.3)))
    from actions.retrieval import WEIGHTS as W
    from actions.retrieval import _story_ranking as story_ranking

    assert "plutselig-alvorlig-syk" not in {r.article.id for r in story_ranking(
        repo, t, t.ranking, W)}
    dementia = ("Far døde i vinter, og mor har demens og bor på sykehjem. Hun kjenner meg ikke "
                "lenger igjen. Det er som å miste henne litt etter litt. Hvordan takler jeg "
                "dette?")
    from actions.retrieval import ALIVE_ONLY_ARTICLES, WEIGHTS, _story_ranking

    t = turn(dementia, "sorg", ranking(("sorg", 0.6)))
    assert ALIVE_ONLY_ARTICLES & {r.article.id for r in _story_ranking(repo, t, t.ranking,
                                                                       WEIGHTS)}


def test_a_story_no_article_clearly_answers_gets_the_honest_reply_with_the_likeliest_as_buttons(
        repo):
    # an op-ed about a place to live for a disabled adult: several texts share its words,
    # none clearly answers it (the knowledge base has no text on housing)
    story = ("Vår sønn er 24 år og har en utviklingshemming. Han har bodd hjemme hele livet, "
             "og vi blir eldre. Kommunen sier at det ikke finnes noen bolig til ham, og at "
             "ventetiden er flere år. Vi har skrevet brev til politikerne uten svar. Det er "
             "urimelig at foreldre skal stå alene med dette til de ikke orker mer. Hvem tar "
             "ansvar for at han får et hjem når vi ikke lenger kan?")
    d = decide(repo, turn(story, "avlastning", ranking(("avlastning", 0.4), ("klage", 0.3),
                                                        ("koordinering", 0.2))))
    assert d.kind == "no_answer", (d.kind, d.article and d.article.id)
    assert d.candidates, "the likeliest articles are offered as buttons"
    # what the story was read as is still the best candidate's topic
    assert d.topic == d.candidates[0].topic


def test_a_story_whose_article_is_clearly_best_is_answered(repo):
    story = ("Min mann har demens og jeg passer på ham hele døgnet. Jeg har ikke hatt fri på "
             "et år og er helt utslitt. Naboen sa at kommunen kan gi avlastning, men jeg vet "
             "ikke hvordan jeg søker. Hvordan søker jeg om avlastning?")
    d = decide(repo, turn(story, "avlastning", ranking(("avlastning", 0.8))))
    assert d.kind == "answer" and d.article.topic == "avlastning", d.article and d.article.id


def test_after_the_crisis_reply_a_rest_no_article_clearly_answers_gets_the_honest_reply(repo):
    # the safety lines go out in any case; the rest gets an article only when one is clearly
    # the best, else the honest reply with the likeliest ones as buttons
    text = ("Mora mi er psykotisk og ble skrevet ut i går. Hun har ikke sovet på tre døgn. Vi "
            "bor langt unna og har ikke bil. Hvem betaler reisen når vi skal besøke henne?")
    # the same story with the ask put plainly: one text clearly answers it
    plainly = text.replace("Hvem betaler reisen når vi skal besøke henne?",
                           "Hvem dekker reiseutgiftene når vi skal besøke henne på sykehuset?")

    def crisis_turn_of(danger, *pairs, words=text):
        return Turn.from_parse({"text": words, "intent": {"name": "krise"},
                                "intent_ranking": list(ranking(*pairs)),
                                "crisis": {"level": "concern", "danger": danger}})

    clear = decide(repo, crisis_turn_of("medical", ("krise", 1.0), ("okonomi", 0.3),
                                        ("informasjon", 0.2), words=plainly))
    assert (clear.kind, clear.article.id) == ("answer", "pasientreiser")
    unclear = decide(repo, crisis_turn_of("medical", ("krise", 1.0), ("tolk_sprak", 0.3)))
    # no text answers the rest: the text with the main help for the situation (a mother's
    # psychosis: where relatives of the mentally ill get help), said to be that
    assert (unclear.kind, unclear.article.id) == ("overview", "organisasjoner-psykisk-helse")
    assert unclear.candidates and unclear.topic == unclear.candidates[0].topic
    # with no illness told, no such text: the honest reply
    plain = text.replace("Mora mi er psykotisk", "Mora mi er innlagt")
    honest = decide(repo, crisis_turn_of("medical", ("krise", 1.0), ("tolk_sprak", 0.3),
                                         words=plain))
    assert honest.kind == "no_answer" and honest.article is None, (
        honest.kind, honest.article and honest.article.id)
    # the crisis text made for this kind of danger needs no clear lead: violence
    threat = ("Broren min er psykotisk og truer naboene. Han har en hund som ingen passer på nå. "
              "Kan vi få tolk til møtet med kommunen, for mor snakker bare polsk?")
    made = decide(repo, crisis_turn_of("violence_adult", ("krise", 1.0), ("okonomi", 0.3),
                                       ("informasjon", 0.2), words=threat))
    assert (made.kind, made.article.id) == ("answer", "vold-og-overgrep")
    # an op-ed without an ask: the violence text, even where another text shares more of its
    # words (children as relatives) and would lead clearly
    oped = ("Jeg vokste opp i et hjem der pappa slo mamma. Som barn dekket jeg over for "
            "foreldrene mine, og ingen på skolen skjønte noe. Nå er jeg voksen, og jeg tenker på "
            "alle barna som er pårørende og som sitter inne med det samme nå. Barn som "
            "pårørende trenger at voksne rundt dem ser dem. Mamma er fortsatt redd for ham, og "
            "han truer henne når han drikker.")
    told = decide(repo, crisis_turn_of("violence_adult", ("barn_unge", 0.6), ("egen_helse", 0.2),
                                       words=oped))
    assert (told.kind, told.article.id) == ("answer", "vold-og-overgrep"), told.reason


def test_a_death_after_years_of_drug_use_is_grief_when_the_story_reads_as_grief(repo):
    # a brother writes of his sister who died after years of drug use: the NLU reads grief,
    # and her drug use is not a loss while she lives (she was given the text on grieving
    # someone alive)
    from actions.retrieval import ALIVE_ONLY_ARTICLES

    story = ("Søsteren min døde for snart tre år siden, bare 38 år gammel, etter mange år med "
             "rus. Jeg skriver dette for oss som er igjen. Vi var to søsken som vokste opp i "
             "samme hus, men livene våre gikk hver sin vei. Hun var varm og morsom, og hun var "
             "syk. Det går ikke en dag uten at jeg tenker på henne.")
    d = decide(repo, turn(story, "sorg", ranking(("sorg", 0.7), ("informasjon", 0.2))))
    assert d.article is not None and d.article.id == "sorg-og-etterlatte", (
        d.kind, d.article and d.article.id)
    assert not {a.id for a in d.candidates} & ALIVE_ONLY_ARTICLES


@pytest.mark.parametrize(
    "story",
    [
        # a friend's overdose death, whatever the NLU reads the story as
        "Vennen min døde av en overdose i høst. Ingen visste at vi var venner, så jeg kan ikke "
        "fortelle noen om sorgen. Han ruset seg i mange år, og jeg sluttet å se etter ham. Hva "
        "gjør man med skylden? Jeg tenker på alt jeg kunne ha gjort annerledes.",
        # a mother whose son died of an overdose (not a suicide)
        "Som mor til et overdoseoffer har jeg de siste årene hatt mye sorg og mange spørsmål. "
        "Sønnen min ruset seg i ti år. Politimesteren sier at foreldre må ta mer ansvar for "
        "barna sine som ruser seg. Det gjør vondt å lese. Vi gjorde alt vi kunne for ham, og "
        "vi kunne ikke styre rusen hans.",
    ],
)
def test_a_death_by_drug_use_gets_no_text_for_the_living_nor_the_suicide_loss_text(repo, story):
    # the drug use told beside a death is the dead one's unless the story speaks of losing
    # someone who lives
    from actions.retrieval import ALIVE_ONLY_ARTICLES, LIVING_USER_ARTICLES

    d = decide(repo, turn(story, "egen_helse", ranking(("egen_helse", 0.6), ("sorg", 0.3))))
    shown = {a.id for a in d.candidates} | ({d.article.id} if d.article else set())
    assert d.topic == "sorg" or (d.article and d.article.topic == "sorg"), (d.kind, shown)
    assert not shown & (LIVING_USER_ARTICLES | ALIVE_ONLY_ARTICLES), shown
    assert "etterlatte-etter-selvmord" not in shown, shown  # an overdose is no suicide


def test_after_the_learned_layers_concern_the_suicide_worry_text_needs_talk_of_suicide(repo):
    # the learned layer alone flagged a sister's blog about her 16-year-old sister on a drip
    # in hospital without a diagnosis: no word of suicide, so not the text on asking whether
    # someone thinks of taking their life
    story = ("Lillesøsteren min har vært syk lenge. Hun får ikke i seg mat, og alt kommer i "
             "retur. I går kveld ble hun innlagt og ligger nå med intravenøst. Legene finner "
             "ikke ut hva det er. Jeg er livredd for at det er noe alvorlig.")

    def crisis_turn(words):
        return Turn.from_parse({"text": words, "intent": {"name": "krise"},
                                "intent_ranking": list(ranking(("krise", 1.0),
                                                               ("informasjon", 0.4))),
                                "crisis": {"level": "concern", "danger": "other",
                                           "category": "classifier"}})

    d = decide(repo, crisis_turn(story))
    assert d.article is None or d.article.id != "bekymret-for-selvmord", d.article.id
    # with talk of suicide, the text competes again
    from actions.retrieval import WEIGHTS, _crisis_articles, _story_ranking

    talk = crisis_turn(story + " Hun sa i går at hun ikke vil leve lenger og snakker om "
                               "selvmord.")
    ids = {r.article.id for r in _story_ranking(repo, talk, talk.ranking, WEIGHTS,
                                                exclude=_crisis_articles(talk))}
    assert "bekymret-for-selvmord" in ids


def test_a_death_with_no_living_loss_is_answered_about_grief(repo):
    story = ("Mannen min døde av kreft i vår etter at jeg hadde pleiet ham hjemme i to år. "
             "Nå er huset så stille. Jeg var sykemeldt en periode og har begynt å jobbe igjen, "
             "men jeg vet ikke hvordan jeg skal komme meg videre.")
    d = decide(repo, turn(story, "egen_helse", ranking(("egen_helse", 0.5), ("okonomi", 0.3))))
    # read as grief: the answer, or (when no text is clearly best) the text for the grieving
    first = d.article if d.kind in ("answer", "overview") else d.candidates[0]
    assert d.topic == "sorg" and first.topic == "sorg", (d.kind, first.id)


def test_a_young_writer_who_self_harms_and_asks_what_her_parents_will_know_is_answered(repo):
    text = ("Jeg er 15 og har begynt å kutte meg igjen. Jeg vil ha hjelp av helsesykepleieren, "
            "men må hun fortelle det til foreldrene mine?")
    crisis = {"level": "concern", "danger": "self", "category": "self_harm",
              "said_of_self": True}
    t = Turn.from_parse({"text": text, "intent": {"name": "krise"}, "crisis": crisis,
                         "intent_ranking": list(ranking(("krise", 1.0), ("taushetsplikt", 0.3)))},
                        audience="young")
    d = decide(repo, t)
    assert (d.kind, d.article.id) == ("answer", "nar-du-selv-har-det-vondt")
    young = d.article.text_for("young")
    assert "taushetsplikt" in young and "12 år" in young and "16 år" in young


@pytest.mark.parametrize(
    "story,intent,relation,held_back",
    [
        # a parent of an ill child: not the texts about children of an ill parent
        ("Sønnen vår på 9 har autisme og sover nesten ikke. Vi har to andre barn og er helt "
         "utslitte. Barnehagen og skolen sier vi må snakke med barna om det. Kommunen har "
         "kuttet avlastningen. Hvordan søker vi om mer?", "avlastning", "barn", "ILL_PARENT"),
        # a sibling: not the texts for parents of an ill child
        ("Jeg er 20 år og broren min har en utviklingshemming. Jeg har alltid følt et stort "
         "ansvar, og nå er jeg bekymret for hvem som skal passe på ham når foreldrene våre blir "
         "gamle. Er det vanlig å føle det sånn som søsken?", "koordinering", "sosken",
         "ILL_CHILD"),
    ],
)
def test_a_text_for_the_other_side_of_the_family_never_answers(repo, story, intent, relation,
                                                                held_back):
    from actions import retrieval

    t = turn(story, intent, ranking((intent, 0.5), ("barn_unge", 0.4)))
    assert t.situation["relation"] == relation
    ids = {r.article.id for r in retrieval._story_ranking(repo, t, t.ranking, retrieval.WEIGHTS)}
    assert ids and not ids & getattr(retrieval, f"{held_back}_ARTICLES")


def test_a_story_that_says_nothing_of_money_or_work_gets_no_benefit_or_sick_leave_text(repo):
    from actions.retrieval import WEIGHTS, _story_ranking

    story = ("Sønnen vår fikk for to måneder siden vite at han har en kronisk sykdom som krever "
             "oppfølging av oss foreldre hele døgnet. Jeg har ikke sovet en hel natt siden. Jeg "
             "er så utslitt at jeg bruker feil ord. Hvordan skal vi orke dette?")
    t = turn(story, "egen_helse", ranking(("egen_helse", 0.5), ("okonomi", 0.3)))
    ids = {r.article.id for r in _story_ranking(repo, t, t.ranking, WEIGHTS)}
    assert "sykemeldt-pga-omsorg" not in ids and "pleiepenger-sykt-barn" not in ids
    work = turn(story + " Jeg klarer ikke jobben lenger.", "egen_helse",
                ranking(("egen_helse", 0.5), ("okonomi", 0.3)))
    ids = {r.article.id for r in _story_ranking(repo, work, work.ranking, WEIGHTS)}
    assert "sykemeldt-pga-omsorg" in ids and "pleiepenger-sykt-barn" in ids


def test_a_suicide_told_as_a_death_is_answered_with_the_text_for_those_bereaved_by_suicide(repo):
    # a daughter after her mother's suicide, with the psychiatric care before it: not the
    # worry about someone alive, not dying at home, not grieving the living
    story = ("Det siste halve året var mamma alvorlig syk og i en selvmordskrise. Hun var "
             "innlagt i psykiatrien flere ganger. Planen for oppfølging etter utskrivelsen ble "
             "ikke fulgt. Taushetsplikten stengte oss ute. Mammas selvmord var så unødvendig, "
             "og nå sitter vi igjen med sinne og sorg.")
    d = decide(repo, turn(story, "informasjon", ranking(("informasjon", 0.5), ("sorg", 0.3),
                                                         ("krise", 0.1))))
    assert (d.kind, d.article.id) == ("answer", "etterlatte-etter-selvmord"), (
        d.kind, d.article and d.article.id)
    # the same story with a worry about someone alive is not answered as a loss
    alive = story.replace("Mammas selvmord var så unødvendig, og nå sitter vi igjen med "
                          "sinne og sorg.", "Jeg er redd hun skal ta livet sitt.")
    d = decide(repo, turn(alive, "informasjon", ranking(("informasjon", 0.5), ("sorg", 0.3),
                                                         ("krise", 0.1))))
    assert not (d.kind == "answer" and d.article.id == "etterlatte-etter-selvmord")


def test_a_grief_story_that_tells_of_a_suicide_gets_that_text_before_one_its_words_pull_in(
        repo):
    # a sister a month after her brother's suicide, telling of the funeral: no ask, and the
    # practical text on a funeral shares her words; the text for those bereaved by suicide
    # is made for her
    story = ("Sangen spilte i begravelsen til bror. Litt over en måned har gått siden bror "
             "endte livet sitt, så ut av det blå. Jeg savner praten vår og de gode ordene. "
             "Hodet vet at han er borte, men noe i meg sier at det ikke kan være sant. "
             "Dagene skifter mellom tunge, vonde og lettere dager, og begravelsen føles "
             "fortsatt uvirkelig.")
    t = turn(story, "sorg", ranking(("sorg", 0.8), ("egen_helse", 0.1)))
    d = decide(repo, t)
    assert (d.kind, d.article.id) == ("answer", "etterlatte-etter-selvmord"), (
        d.kind, d.article and d.article.id)
    # the same story without the suicide is the grief of a death
    other = story.replace("endte livet sitt", "døde brått")
    d = decide(repo, turn(other, "sorg", ranking(("sorg", 0.8), ("egen_helse", 0.1))))
    assert d.article is None or d.article.id != "etterlatte-etter-selvmord"


def test_a_story_no_text_clearly_answers_gets_the_text_with_the_main_help_for_its_situation(
        repo):
    # parents asking about a drug test for their 16-year-old: no text answers that ask; the
    # text for parents of a teenager who uses drugs is what helps most, said to be that
    story = ("Sønnen min på 16 røyker hasj og lyver om hvor han er. Vi har prøvd å snakke med "
             "ham mange ganger. Nå vurderer vi å kjøpe en narkotikatest på apoteket. Er det "
             "lurt?")
    d = decide(repo, turn(story, "informasjon", ranking(("informasjon", 0.4),
                                                         ("tolk_sprak", 0.3))))
    assert (d.kind, d.article.id) == ("overview", "ungdom-som-ruser-seg"), (
        d.kind, d.article and d.article.id)
    assert "ungdom-som-ruser-seg" not in {a.id for a in d.candidates}


def test_the_overview_is_chosen_by_the_situation_and_never_one_the_rules_hold_back(repo):
    from actions.retrieval import _overview

    rus = Turn.from_parse({"text": "Samboeren min drikker hver kveld. Hva gjør jeg?",
                           "intent": {"name": "egen_helse"}})
    assert _overview(repo, rus, "egen_helse").id == "leve-med-rus-i-familien"
    assert _overview(repo, rus, "egen_helse", exclude={"leve-med-rus-i-familien"}).id == (
        "egen-helse-og-belastning")
    teen = Turn.from_parse({"text": "Sønnen min på 16 røyker hasj. Hva gjør vi?",
                            "intent": {"name": "egen_helse"}})
    assert _overview(repo, teen, "informasjon").id == "ungdom-som-ruser-seg"
    young = Turn.from_parse({"text": "Pappa drikker hver kveld. Hva gjør jeg?",
                             "intent": {"name": "egen_helse"}}, audience="young")
    assert _overview(repo, young, "informasjon").id == "forelder-som-drikker"
    grief = Turn.from_parse({"text": "Mannen min døde av kreft i vår. Huset er så stille.",
                             "intent": {"name": "egen_helse"}})
    assert _overview(repo, grief, "egen_helse").id == "sorg-og-etterlatte"
    own = Turn.from_parse({"text": "Jeg har tenkt på å ta livet mitt. Mor er syk.",
                           "intent": {"name": "krise"},
                           "crisis": {"level": "acute", "danger": "self", "said_of_self": True}})
    assert _overview(repo, own, "egen_helse").id == "nar-du-selv-har-det-vondt"
    def overview(text, topic, intent=None):
        story = Turn.from_parse({"text": text, "intent": {"name": intent or topic}})
        found = _overview(repo, story, topic)
        return found.id if found is not None else None

    # the illness told first is what the story is about, not the writer's own anxiety: the
    # text for parents of a child with a long-lasting illness, not the psychiatric one
    assert overview("Datteren min ble alvorlig syk av ME. Angsten tok meg, og jeg er helt "
                    "utslitt. Hva gjør jeg?", "egen_helse") == "barn-med-funksjonsnedsettelse"
    # nothing told that has such a text, and a topic without one: the honest reply
    assert overview("Kommunen svarer ikke på brevet vårt. Hva gjør vi?", "klage") is None
    # violence told (r238: grew up with a violent father, stayed with a violent partner),
    # nothing of an illness: the text on violence; not "voldsom", not before the illness's text
    assert overview("Jeg vokste opp med vold, og da kjæresten min begynte å bruke vold, ble "
                    "jeg værende. Ingen spurte.", "klage") == "vold-og-overgrep"
    assert overview("Det var en voldsom uke, kommunen svarer ikke. Hva gjør vi?", "klage") is None
    assert overview("Samboeren min drikker og er voldelig. Hva gjør jeg?",
                    "egen_helse") == "leve-med-rus-i-familien"


def test_a_death_without_suicide_is_never_offered_the_texts_for_suicide_loss_or_dying_at_home(
        repo):
    from actions.retrieval import WEIGHTS, _story_ranking

    story = ("Mannen min døde av kreft i mars. Vi var gift i førti år. Nå er huset så stille, "
             "og barna bor langt unna. Jeg vet ikke hvordan jeg skal klare dagene.")
    t = turn(story, "sorg", ranking(("sorg", 0.6), ("egen_helse", 0.3)))
    ids = {r.article.id for r in _story_ranking(repo, t, t.ranking, WEIGHTS)}
    assert "sorg-og-etterlatte" in ids
    assert not ids & {"etterlatte-etter-selvmord", "dodsfall-hjemme-lindrende"}, ids
    d = decide(repo, t)
    shown = ([d.article] if d.article else []) + list(d.candidates)
    assert not {a.id for a in shown} & {"etterlatte-etter-selvmord", "dodsfall-hjemme-lindrende"}


@pytest.mark.parametrize(
    "story",
    [
        # a grown daughter of a father with dementia
        "Far har demens og bor på sykehjem. Når jeg besøker ham, kjenner han meg ikke og blir "
        "sint. Jeg gruer meg til hvert besøk og får dårlig samvittighet. Hva kan jeg gjøre?",
        # a mother of an autistic daughter
        "Datteren min har autisme og har ikke sovet en hel natt på flere måneder. Jeg er så "
        "sliten at jeg gråter hver dag. Jeg føler at det er min skyld. Hva kan jeg gjøre?",
    ],
)
def test_texts_written_to_a_child_never_answer_a_grown_writer(repo, story):
    from actions.retrieval import CHILDHOOD_ARTICLES, WEIGHTS, _story_ranking

    t = turn(story, "barn_unge", ranking(("barn_unge", 0.5), ("egen_helse", 0.4)))
    ids = {r.article.id for r in _story_ranking(repo, t, t.ranking, WEIGHTS)}
    assert not ids & CHILDHOOD_ARTICLES, ids & CHILDHOOD_ARTICLES
    # a young writer with an ill father keeps them
    young = turn("Jeg er 14. Pappa har kreft og ligger på sykehuset. Ingen forteller meg "
                 "noe. Hva kan jeg få vite?", "barn_unge", ranking(("barn_unge", 0.8)),
                 audience="young")
    assert {r.article.id for r in _story_ranking(repo, young, young.ranking,
                                                 WEIGHTS)} & CHILDHOOD_ARTICLES


def test_after_the_crisis_reply_the_text_for_the_danger_comes_when_nothing_answers_clearly(repo):
    def crisis_turn(text):
        return Turn.from_parse({"text": text, "intent": {"name": "krise"},
                                "intent_ranking": list(ranking(("krise", 1.0),
                                                               ("parorende_rolle", 0.4),
                                                               ("koordinering", 0.3))),
                                "crisis": {"level": "concern", "danger": "violence_adult"}})

    # money taken from an aunt with dementia who is afraid: no text clearly answers; the
    # violence text (Vern for eldre, 116 006) is among the likeliest and comes
    aunt = ("Tanten min har demens. Noen slektninger har flyttet henne hjem til seg og tar "
            "pensjonen hennes uten å være verge. Hun er redd dem og vil ikke si noe. Hvor kan "
            "vi melde fra om dette?")
    d = decide(repo, crisis_turn(aunt))
    assert (d.kind, d.article.id) == ("answer", "vold-og-overgrep"), (d.kind, d.reason)
    # a complaint that one text clearly answers keeps that answer (the crisis reply already
    # gave the numbers for the danger)
    complaint = ("Mannen min slår meg når han drikker. Jeg vil søke omsorgsstønad for å pleie "
                 "min gamle mor, men kommunen sier nei. Hvordan klager jeg på vedtaket om "
                 "omsorgsstønad?")
    t = Turn.from_parse({"text": complaint, "intent": {"name": "krise"},
                         "intent_ranking": list(ranking(("krise", 1.0), ("barn_unge", 0.5),
                                                        ("klage", 0.4))),
                         "crisis": {"level": "concern", "danger": "violence_adult"}})
    d = decide(repo, t)
    assert d.kind == "answer" and d.article.topic == "klage", (d.kind, d.article.id)


def test_the_text_on_sudden_critical_illness_needs_an_acute_state_now(repo):
    from actions.retrieval import WEIGHTS, _story_ranking

    chronic = ("Min mann har hatt angst siden hjerteinfarktet for tre år siden. Han tør ikke "
               "være alene, og jeg har ikke hatt en kveld for meg selv på lenge. Jeg er så "
               "sliten.")
    t = turn(chronic, "egen_helse", ranking(("egen_helse", 0.6), ("informasjon", 0.3)))
    assert "plutselig-alvorlig-syk" not in {r.article.id for r in _story_ranking(
        repo, t, t.ranking, WEIGHTS)}
    acute = ("Mannen min fikk hjerteinfarkt i natt og ligger på intensiven. Legene vet ikke "
             "om han klarer seg. Jeg sitter alene på sykehuset og klarer ikke tenke.")
    t = turn(acute, "egen_helse", ranking(("egen_helse", 0.6), ("informasjon", 0.3)))
    assert "plutselig-alvorlig-syk" in {r.article.id for r in _story_ranking(
        repo, t, t.ranking, WEIGHTS)}


def test_a_story_of_a_refused_service_is_answered_with_how_to_complain(repo):
    # a mother refused more help at home: the complaint route is what a counsellor names
    # first; the same story without the refusal is not answered with it
    story = ("Sønnen vår på 15 har alvorlig cerebral parese og trenger hjelp døgnet rundt. "
             "Vi søkte kommunen om mer avlastning og assistanse hjemme. Nå har kommunen "
             "gitt oss avslag, og vi står alene med alt. Vi er helt utslitte. "
             "Hva kan vi gjøre nå?")
    rank = ranking(("nlu_fallback", 0.45), ("barn_unge", 0.25), ("avlastning", 0.2))
    d = decide(repo, turn(story, "nlu_fallback", rank))
    assert d.kind == "answer" and d.article.topic == "klage", (d.kind, d.article and d.article.id)
    # the appeal to Trygderetten is for a complaint NAV turned down, not the first step
    assert d.article.id != "anke-nav-trygderetten"
    plain = story.replace("Nå har kommunen gitt oss avslag, og vi står alene med alt. ", "")
    d = decide(repo, turn(plain, "nlu_fallback", rank))
    assert d.article is None or d.article.topic != "klage", d.article.id


def test_a_complaint_nav_turned_down_may_be_answered_with_the_appeal(repo):
    story = ("Datteren min på sju år ligger på respirator. Jeg fikk bare 35 prosent "
             "pleiepenger og klaget. I dag kom vedtaket fra NAV klageinstans: nei igjen. "
             "Jeg vet ikke hvordan vi skal klare oss. Hva gjør jeg nå?")
    d = decide(repo, turn(story, "nlu_fallback", ranking(("nlu_fallback", 0.45),
                                                          ("klage", 0.25), ("okonomi", 0.2))))
    assert d.kind == "answer" and d.article.id == "anke-nav-trygderetten", (
        d.kind, d.article and d.article.id)


def test_grief_over_someone_who_lives_is_answered_where_such_a_loss_is_told(repo):
    # a grandchild whose grandmother with Alzheimer's is slipping away: grief before death,
    # not how to get dementia assessed
    story = ("Mormor har alltid vært en viktig person i livet mitt. For et par år siden "
             "begynte hun å gjenta seg og glemme. I fjor fikk vi vite at mormor har Alzheimer. "
             "Det som gjør vondt, er følelsen av at jeg er i ferd med å miste mormoren min. "
             "Sykdommen gjør at hun glemmer hvem jeg er og tiden vi har hatt sammen.")
    rank = ranking(("informasjon", 0.5), ("sorg", 0.3), ("egen_helse", 0.1))
    d = decide(repo, turn(story, "informasjon", rank))
    assert (d.kind, d.article.id) == ("answer", "sorg-mens-de-lever"), (
        d.kind, d.article and d.article.id)


def test_a_story_of_someone_well_again_gets_no_text_on_grief_or_dying(repo):
    # a son looking back on his mother's psychoses, now well: no text on grieving the
    # living, nor for after a death, nor on dying at home
    story = ("Mamma ble psykotisk da jeg var 15. Hun ble lagt inn, og vi skjønte ikke hva som "
             "skjedde. Åtte år senere ble hun syk igjen, og vi mistet henne nesten en gang til. "
             "Vi snakket aldri om det i familien, og sorgen satt i kroppen lenge. Nå er livet "
             "trygt, og mamma har det godt.")
    d = decide(repo, turn(story, "sorg", ranking(("sorg", 0.6), ("informasjon", 0.3))))
    shown = {d.article.id} if d.article else set()
    shown |= {a.id for a in d.candidates}
    assert not shown & {"sorg-mens-de-lever", "dodsfall-hjemme-lindrende",
                        "praktisk-etter-dodsfall", "etterlatte-etter-selvmord",
                        "sorg-og-etterlatte"}, shown


@pytest.mark.parametrize("story", [
    ("Vi har en sønn på 17 år som bruker cannabis. Vi tok ham første gang da han var 15. Vi "
     "trodde han hadde sluttet, men nå har han spist kaker med hasj. Han tar det ikke innover seg "
     "og mener hasj ikke er farlig. Det nytter ikke å prate med ham, vi har prøvd mange ganger. "
     "Han nekter å si hvor han får tak i stoffet. Vi er veldig bekymret. Har dere noen råd til "
     "oss?"),
    ("Datteren vår på 16 drikker seg full nesten hver helg og har begynt å ta piller. Vi snakker "
     "med henne, men hun blir bare sint og går. Hun skulker skolen. Vi er redde og vet ikke hva "
     "vi skal gjøre. Hva kan vi gjøre som foreldre?"),
])
def test_a_parent_worried_about_a_teenagers_drug_use_gets_the_text_written_for_that(
        repo, story):
    # the NLU reads the story as the parents' own strain; the text for a teenager's drug use
    # still competes and is given (as the answer, or as the main help when it does not
    # answer the ask itself), not the text on talking with any adult who drinks
    d = decide(repo, turn(story, "egen_helse", ranking(("egen_helse", 0.8),
                                                        ("informasjon", 0.15))))
    assert d.kind in ("answer", "overview") and d.article.id == "ungdom-som-ruser-seg", (
        d.kind, d.article and d.article.id)


def test_the_text_on_parents_right_to_information_needs_a_story_about_information(repo):
    story = ("Sønnen vår på ti år har autisme, ADHD og Tourettes. Han får god hjelp på skolen "
             "bare fordi jeg roper høyest. I høst har han hatt nye lærere hele tiden, og skolen "
             "vet ikke hva de skal gjøre med ham. Barn som ham trenger ro og faste voksne. Det "
             "sliter på hele familien at vi alltid må kjempe.")
    rank = ranking(("parorende_rolle", 0.4), ("barn_unge", 0.3), ("informasjon", 0.2))
    d = decide(repo, turn(story, "parorende_rolle", rank))
    assert d.article is None or d.article.id != "foreldre-rett-til-informasjon-om-barnet"
    asked = story + (" Faren hans og jeg er skilt. Har jeg rett til å få opplysninger fra "
                     "skolen når han bor mest hos faren?")
    d = decide(repo, turn(asked, "parorende_rolle", rank))
    assert d.article is not None and d.article.id == "foreldre-rett-til-informasjon-om-barnet", (
        d.kind, d.article and d.article.id)


@pytest.mark.parametrize("category", ["signal", "classifier"])
def test_after_a_signal_of_harm_to_someone_else_the_suicide_worry_text_needs_suicide_talk(
        repo, category):
    from actions.retrieval import _crisis_articles

    # a sister afraid her drunk brother will hurt himself: the crisis reply carries the
    # numbers; the text on asking about suicide does not fit a story that speaks of none
    story = ("Broren min drikker seg full hver helg og blir helt ustyrlig. Mamma er redd han skal "
             "skade seg selv når han er full, velte ting eller falle. Vi har prøvd å snakke med "
             "ham, men han blir bare sint. Hvordan kan vi få ham til å ta imot hjelp?")
    rank = ranking(("krise", 1.0), ("egen_helse", 0.4), ("informasjon", 0.2))

    def excluded(text):
        return _crisis_articles(Turn.from_parse(
            {"text": text, "intent": {"name": "krise"}, "intent_ranking": list(rank),
             "crisis": {"level": "concern", "danger": "other", "category": category}}))

    assert "bekymret-for-selvmord" in excluded(story)
    # talk of suicide, or a wish to die, lets the text compete again
    assert "bekymret-for-selvmord" not in excluded(
        story + " Han har også sagt at han vil ta livet sitt.")
    assert "bekymret-for-selvmord" not in excluded(
        story + " I går skrev han til meg at han ville dø.")
    # a danger to life keeps it too (paired judges preferred its steps for a girl whose
    # anorexia threatens her life)
    assert "bekymret-for-selvmord" not in excluded(
        story + " Legen sier han kan dø av dette hvis det fortsetter.")


def test_after_self_harm_to_someone_else_the_suicide_worry_text_still_competes():
    from actions.retrieval import _crisis_articles

    turn_ = Turn.from_parse(
        {"text": "Datteren min på 15 slo hodet i veggen til det blødde. Hun har anoreksi.",
         "intent": {"name": "krise"},
         "crisis": {"level": "acute", "danger": "other", "category": "self_harm"}})
    assert "bekymret-for-selvmord" not in _crisis_articles(turn_)


def test_the_text_for_the_writers_own_danger_after_a_signal_needs_their_words_of_it():
    from actions.retrieval import WRITER_DANGER_ARTICLES, _crisis_articles

    def own(text, category="signal"):
        return Turn.from_parse({"text": text, "intent": {"name": "krise"},
                                "crisis": {"level": "concern", "danger": "self",
                                           "said_of_self": True, "category": category}})

    # an adult's memory of a childhood night in a drunk father's boat: no self-harm told
    memoir = ("Eg sit i båten med to redningsvestar på meg. Eg er sikker på at eg skal døy. "
              "Pappa ler, han har drukke. Det er det du gjer borna hugsar, ikkje orda.")
    assert WRITER_DANGER_ARTICLES <= _crisis_articles(own(memoir))
    assert not WRITER_DANGER_ARTICLES & _crisis_articles(
        own("Jeg kutter meg når det blir for mye hjemme. Pappa drikker hver helg."))
    # the lexicon's own reading of self-harm keeps the text whatever the words
    assert not WRITER_DANGER_ARTICLES & _crisis_articles(own(memoir, category="self_harm"))


def test_a_family_with_a_disabled_child_gets_the_help_they_can_ask_for(repo):
    # an exhausted mother of an autistic 8-year-old who hardly sleeps: the help a family can
    # ask for (coordinator, respite, NAV), not an honest "no article" with unrelated buttons
    story = ("Jeg har et barn med diagnose. Datteren min har autisme. Hun er åtte år og har "
             "knapt sovet en hel natt siden i sommer. Det skorter ikke på gode søvnråd, men "
             "ingen av dem virker for henne. Hele familien vår påvirkes av dette, og vi er "
             "på felgen. Ingen av oss orker mer.")
    rank = ranking(("egen_helse", 0.4), ("barn_unge", 0.3), ("avlastning", 0.2))
    d = decide(repo, turn(story, "egen_helse", rank))
    assert d.article is not None and d.article.id == "barn-med-funksjonsnedsettelse", (
        d.kind, d.article and d.article.id)


def test_the_disabled_child_text_never_answers_a_story_of_a_grown_child_or_of_no_child(repo):
    from actions.retrieval import _story_exclusions

    def excluded(text):
        return _story_exclusions(repo, turn(text, "koordinering"))

    own = "Datteren min har autisme og trenger hjelp hele døgnet. Vi er utslitte."
    assert "barn-med-funksjonsnedsettelse" not in excluded(own)
    # a father of a disabled 43-year-old, and an op-ed on housing for disabled adults
    assert "barn-med-funksjonsnedsettelse" in excluded(
        "Selv har jeg en 43 år gammel sterkt utviklingshemmet datter. Hun bor fortsatt "
        "hjemme uten utsikt til egen bolig.")
    assert "barn-med-funksjonsnedsettelse" in excluded(
        "Utviklingshemmede har krav på omsorg, men ikke på bolig. Alle utredninger foreslår "
        "at bolig skal være en rett.")


def test_a_loss_while_the_person_lives_is_answered_with_its_text_whatever_topic_the_nlu_read(
        repo):
    # r119: a daughter with two young children of her own; the NLU read a story of children
    story = ("Når mamma gradvis forsvinner og rollene byttes om.\n"
             "Mamma er ikke lengre mamma, og jeg er nå hennes mamma. Jeg er mamma for mine to "
             "barn på ni år og seks måneder, samboer og fulltidsarbeidende. Og jeg må passe på "
             "deg, kjære mamma. Jeg må også passe på pappa, så han ikke sliter seg ut. "
             "Pappa har vært sinna på meg. Mamma har endret seg. Det er min sorg.")
    t = turn(story, "barn_unge", ranking(("barn_unge", 0.95), ("egen_helse", 0.02)))
    d = decide(repo, t)
    assert (d.kind, d.article.id) == ("answer", "sorg-mens-de-lever"), (d.kind, d.reason)


def test_texts_for_parents_of_a_minor_never_answer_a_story_of_a_grown_child(repo):
    from actions.retrieval import WEIGHTS, _story_ranking

    # r057: an op-ed on parents who get no information once their ill child turns 18
    story = ("Mange foreldre har psykisk syke barn boende hjemme. Når ungdommen fyller 18 år, "
             "har foreldrene ingen rett til informasjon fra helsevesenet. Det er en håpløs "
             "situasjon. Hvordan kan foreldre forsvare seg mot sitt eget voksne barn?")
    t = turn(story, "parorende_rolle", ranking(("parorende_rolle", 0.98)))
    ids = [r.article.id for r in _story_ranking(repo, t, t.ranking, WEIGHTS)]
    assert "foreldre-til-syke-barn" not in ids, ids
    d = decide(repo, t)
    assert d.article is None or d.article.id != "foreldre-til-syke-barn"
    # the writer's own child under 18 still gets it
    minor = turn("Sønnen min på 15 er innlagt på psykiatrisk. Hva får vi vite av sykehuset? "
                 "Han fyller 16 snart.", "parorende_rolle", ranking(("parorende_rolle", 0.98)))
    ids = [r.article.id for r in _story_ranking(repo, minor, minor.ranking, WEIGHTS)]
    assert "foreldre-til-syke-barn" in ids, ids


def test_an_eating_disorder_in_danger_is_answered_with_its_text_not_the_suicide_worry(repo):
    # r063/r117/r212: parents of daughters with anorexia, read as a danger to life, were given
    # the text on asking whether someone thinks of suicide
    story = ("Jenta vår har hatt anoreksi siden hun var ti. Hvis hun dør i forsøket, så er det "
             "bare en konsekvens, sa legen. Vi er så redde for å miste henne. Hvordan kan vi "
             "hjelpe henne?")
    def crisis_turn(text):
        return Turn.from_parse({
            "text": text, "intent": {"name": "krise"},
            "intent_ranking": list(ranking(("krise", 1.0), ("informasjon", 0.2))),
            "crisis": {"level": "concern", "danger": "other", "category": "signal"}})

    d = decide(repo, crisis_turn(story))
    assert (d.kind, d.article.id) == ("answer", "spiseforstyrrelse"), (d.kind, d.reason)
    # talk of suicide: the worry text keeps its place
    d = decide(repo, crisis_turn(story + " Hun sier hun heller vil ta livet sitt enn å spise."))
    assert d.article is None or d.article.id != "spiseforstyrrelse", d.reason


def test_the_eating_disorder_text_never_takes_a_specific_ask_or_a_story_without_one(repo):
    # a money question about a son with an eating disorder gets the money text
    q = turn("gutten vår har alvorlig spiseforstyrrelse og må ha tilsyn døgnet rundt. gjelder "
             "pleiepenger ved psykisk sykdom også", "okonomi", ranking(("okonomi", 0.9)))
    d = decide(repo, q)
    assert d.article is not None and d.article.id != "spiseforstyrrelse", d.reason
    # no eating disorder named, or one told as over: never offered
    from actions.retrieval import WEIGHTS, _story_exclusions, _story_ranking

    plain = turn("Mamma har depresjon og spiser lite. Hun vil ikke gå til legen. Hva gjør jeg?",
                 "informasjon", ranking(("informasjon", 0.9)))
    assert "spiseforstyrrelse" in _story_exclusions(repo, plain)
    well = turn("Datteren min hadde anoreksi i tre år. Nå er hun frisk igjen, og vi er så glade. "
                "Men jeg er redd for å slippe kontrollen.", "egen_helse",
                ranking(("egen_helse", 0.9)))
    assert "spiseforstyrrelse" not in {r.article.id for r in _story_ranking(
        repo, well, well.ranking, WEIGHTS)}
    d = decide(repo, well)
    assert d.article is None or d.article.id != "spiseforstyrrelse"


def test_the_writers_own_pain_in_words_without_suicide_gets_the_text_for_it(repo):
    # r258: a boy of 17, read by the learned layer as his own danger; "for vanskelig å leve"
    # and "livet forsvinner" are his words of it (he was given the text on school absence)
    story = ("Livet er for vanskelig å leve. I flere år har jeg prøvd å ignorere smertene, men "
             "jeg klarer det ikke mer. Hovedpunktet med hver dag er å sove. Sånn at tankene og "
             "smerten og livet forsvinner. Hva skal jeg gjøre? Hjelp meg.")
    t = Turn.from_parse({
        "text": story, "intent": {"name": "krise"},
        "intent_ranking": list(ranking(("krise", 1.0), ("barn_unge", 0.3))),
        "crisis": {"level": "concern", "danger": "self", "category": "classifier",
                   "said_of_self": True}}, audience="young")
    d = decide(repo, t)
    assert (d.kind, d.article.id) == ("answer", "nar-du-selv-har-det-vondt"), (d.kind, d.reason)


def test_a_question_that_names_an_eating_disorder_may_get_its_text_and_no_other_question_does(
        repo):
    q = turn("hvordan kan jeg hjelpe søsteren min som har anoreksi", "informasjon",
             ranking(("informasjon", 0.9)))
    d = decide(repo, q)
    assert (d.kind, d.article.id) == ("answer", "spiseforstyrrelse"), (d.kind, d.reason)
    other = turn("hvordan kan jeg hjelpe søsteren min som har depresjon", "informasjon",
                 ranking(("informasjon", 0.9)))
    assert decide(repo, other).article.id != "spiseforstyrrelse"
