"""Reading a whole message: asks, writer, relation, conditions, strain."""

from __future__ import annotations

import pytest

from bot.understanding.situation import asks, read, sentences, stated_age

STORY = (
    "Hei. Sønnen min på 25 har ruset seg i mange år. Han bor hjemme igjen nå og jeg får ikke "
    "sove. Jeg er helt utslitt. Hva kan jeg gjøre?"
)


def test_a_story_has_one_ask_among_many_sentences():
    assert len(sentences(STORY)) == 5
    assert asks(STORY) == ["Hva kan jeg gjøre?"]


def test_the_situation_of_a_story():
    s = read(STORY)
    assert s.relation == "voksent_barn"
    assert s.conditions == ["rus"]
    assert s.strain is True
    assert s.writer == "adult"  # the parent of a 25-year-old
    assert s.is_story


@pytest.mark.parametrize(
    "text,ask",
    [
        ("jeg vet ikke hva jeg skal gjøre", True),  # a request without a question mark
        ("Eg lurer på kva eg kan gjere", True),  # Nynorsk
        ("Har jeg rett på omsorgsstønad", True),
        ("har vært pårørende i ti år", False),  # "har" starting a statement
        ("Mamma har demens.", False),
        ("trenger råd", True),
        # asked indirectly, subject first (r123, a letter to a minister about pleiepenger)
        ("Jeg kan tenke meg det er vanskelig for deg å svare på hva vi skal gjøre den dagen "
         "pleiepengene reduseres.", True),
        ("Det er vanskelig å svare på hvordan vi da skal ha råd til medisinene.", True),
        ("Jeg har prøvd å finne ut hva jeg kan gjøre, men finner ikke svar.", False),
    ],
)
def test_ask_sentences(text, ask):
    assert bool(asks(text)) is ask


@pytest.mark.parametrize(
    "text,age",
    [
        ("jeg er 14 og pappa drikker", 14),
        ("Eg er 15 år og mor er sjuk", 15),
        ("jente 16 her", 16),
        ("jeg er 45 år og mor har demens", 45),
        ("jeg er 100 % sikker", None),
        ("vi har vært gift i 30 år", None),
        # the signature of a letter to a Q&A column, and "i en alder av"
        ("Pappa drikker hver helg. Hva skal jeg gjøre? Hilsen meg (12)", 12),
        ("Kan jeg snakke med helsesykepleier om dette? Takk på forhånd! Jente, 15", 15),
        ("Hvem kan jeg ringe? Gutt 16 år", 16),
        ("I en alder av 17 år har jeg en bipolar lidelse.", 17),
        # a signature with the place after the age (r060)
        ("Jeg er så i villrede, hva gjør jeg?\nKvinne, 45 år fra [sted]", 45),
        ("Hva gjør jeg? Jente, 14 år, fra [sted].", 14),
        # not the writer's age, or not at the end
        ("Mamma ble syk da jeg var liten. Broren min er nå 15", None),
        ("I en alder av 15 år fikk mamma kreft.", None),
        ("Jente, 15, med spiseforstyrrelse: hvordan hjelper vi henne?", None),
        ("Mannen min, 45 år fra Oslo, har fått demens og vil ikke ha hjelp hjemme.", None),
    ],
)
def test_stated_age(text, age):
    assert stated_age(text) == age


@pytest.mark.parametrize(
    "text,relation,conditions",
    [
        ("pappa drikker hver helg", "far", ["rus"]),
        ("jeg får ikke sove", None, []),  # "får" is not "far"
        ("Min mann fikk slag i fjor", "partner", ["hjerneslag"]),
        ("broren min er psykotisk og nekter hjelp", "sosken", ["psykisk_lidelse"]),
        ("mor har alzheimer og bor på sykehjem", "mor", ["demens", "alder"]),
        ("datteren min på 30 røyker hasj", "voksent_barn", ["rus"]),
        ("han må drikke nok vann etter cellegiften", None, ["kreft"]),  # drinking water
        ("bestemor har kreft", "besteforelder", ["kreft"]),
        # false friends: strength is not cancer, "fylles" is not drinking
        ("sønnen min har ikke krefter til å rope på oss", "barn", []),
        ("i år fylles feeden min av bilder av tenåringer", None, []),
        ("pappa var på fylla igjen i går", "far", ["rus"]),
        ("vi har full omsorg for sønnen min døgnet rundt", "barn", []),  # complete, not drunk
        ("pappa er full hver helg", "far", ["rus"]),
        # an age or an older sibling is not old age
        ("sønnen min er 18 år gammel og røyker hasj", "voksent_barn", ["rus"]),
        ("broren min, min eldre bror, drikker hver dag", "sosken", ["rus"]),
        ("mor er gammel og skrøpelig", "mor", ["alder"]),
        # the age before the child: a grown child ("en 43 år gammel sterkt utviklingshemmet
        # datter")
        ("Vi har datteren vår hjemme, en 43 år gammel sterkt utviklingshemmet datter.",
         "voksent_barn", ["utviklingshemming"]),
        # a mind said to be well is no dementia; a failing one is
        ("sønnen min har CP, er kognitivt velfungerende, men trenger hjelp til alt", "barn",
         ["utviklingshemming"]),
        ("mor har kognitiv svikt", "mor", ["demens"]),
        # a parent who describes themself by the child
        ("Jeg er far til en 18 år gammel gutt. Han har røyket hasj.", "voksent_barn", ["rus"]),
        ("Eg er mor til to jenter, og den eldste har anoreksi.", "barn", ["psykisk_lidelse"]),
        # the wider family: a nephew who lives with the writer's sister is not the sister
        ("Jeg har en nevø på 25 år som bor hjemme hos min søster og som ruser seg.", "annen",
         ["rus"]),
        ("Tanten min har demens.", "annen", ["demens"]),
        # "psykisk" as strain, violence or a developmental disability is no mental illness
        ("Pappa drakk, og dagene var tunge både fysisk og psykisk.", "far", ["rus"]),
        ("Faren min utsatte mamma for psykisk vold.", "far", []),
        ("Datteren min er psykisk utviklingshemmet.", "barn", ["utviklingshemming"]),
        ("Broren min er psykisk syk.", "sosken", ["psykisk_lidelse"]),
    ],
)
def test_relation_and_conditions(text, relation, conditions):
    s = read(text)
    assert s.relation == relation
    assert s.conditions == conditions


def test_young_writer_from_age_or_hint():
    assert read("jeg er 13 og mamma er syk").writer == "young"
    assert read("mamma er syk", young_hint=True).writer == "young"
    assert read("jeg er 40 og mamma er syk", young_hint=True).writer == "adult"
    assert read("mamma er syk").writer is None


@pytest.mark.parametrize(
    "text,relation",
    [
        ("Jeg er en mor med en sønn på 28 år som bruker hasj", "voksent_barn"),  # not "mor"
        # the writer is the father, not the ill one: the story is about the son
        ("Jeg er far til en gutt på 18. Han røyker hasj.", "voksent_barn"),
        ("Moren hennes drikker", None),  # someone else's mother
        ("Mor har demens", "mor"),  # kin words without "min"
        ("kona mi har kreft", "partner"),
        # someone else's kin: "sin mor", "barnets mor", "deres far"
        ("Min samboer er innlagt. Barna våre har opplevelser med sin mor som jeg er redd for.",
         "partner"),
        ("Jeg har sett barnets mor synlig beruset på dagtid.", None),
        # both parents together are the parents, not one of them
        ("Mamma og pappa krangler hele tiden og drikker mye.", "forelder"),
        # ... unless a parent writes about their child and calls themselves "mamma og pappa"
        ("Min gutt skal ikke på ungdomsskolen. Han trenger avlastning slik at mamma og pappa "
         "kan hvile litt.", "barn"),
        ("vår jente har en sjelden diagnose", "barn"),
        # becoming a parent, and asking for someone else, name the writer's side
        ("Så ble jeg mamma. For to måneder siden fikk sønnen vår en kronisk sykdom.", "barn"),
        ("Jeg spør på vegne av min mor, som har min bror boende. Han drikker hver helg.",
         "sosken"),
    ],
)
def test_relation_only_when_the_message_names_the_ill_person_plainly(text, relation):
    assert read(text).relation == relation


@pytest.mark.parametrize(
    "text,writer",
    [
        # a pupil's own class, teacher, school life, parents who must not know
        ("Jeg skal fortelle noe bare noen få i klassen min vet om. Min søster har autisme.",
         "young"),
        ("Kontaktlæreren min sier at jeg må snakke med helsesykepleieren.", "young"),
        ("Foreldrene mine vet ikke at jeg kutter meg.", "young"),
        ("Både politi og ambulanse tok en tenåring på alvor.", "young"),
        # the school year in words, the school nurse, living week about, "et barn"
        ("Jeg går i niende, og pappa drikker hver helg.", "young"),
        ("Jeg har snakket med helsesøster på skolen om mamma.", "young"),
        ("Jeg bor annenhver uke hos pappa, og han er så lei seg.", "young"),
        ("Jeg er jo bare et barn, jeg kan ikke passe på mamma hele tiden.", "young"),
        # a teacher or a parent using the same words is not young: an adult
        ("Jeg er lærer, og en elev i klassen min har en far som drikker.", "adult"),
        ("Sønnen min sier at læreren min fra barneskolen ringte.", "adult"),
        # one's own school day as a struggle (r258, a boy of 17); a parent's is the child's
        ("Det er så tungt å tenke at jeg kanskje ikke klarer å gå på skolen imorgen.", "young"),
        ("Sønnen min klarer ikke å gå på skolen, og jeg vet ikke hva jeg skal gjøre.", "adult"),
    ],
)
def test_young_writer_from_school_life_without_a_stated_age(text, writer):
    assert read(text).writer == writer


@pytest.mark.parametrize(
    "text,writer",
    [
        # a grown-up life told in passing: own children, a spouse, in-laws, a pension
        ("Jeg er mamma for mine to barn på ni år og seks måneder, samboer og fulltidsarbeidende. "
         "Og jeg må passe på deg, kjære mamma.", "adult"),
        ("Så ble vi rammet nok en gang. Denne gangen var det min svigermor som ble syk.",
         "adult"),
        ("Mannen min har fått demens, og barna våre bor langt unna.", "adult"),
        ("Etter at jeg ble pensjonist, har jeg passet på søsteren min.", "adult"),
        # a child's own words about the family are not an adult's
        ("Mamma og pappa krangler hele tiden, og søsteren min gråter.", None),
        ("Pappa drikker, og kjæresten min vet ikke om det.", None),
        ("Mormor har demens. Jeg er barnebarnet hennes og er så lei meg.", None),
        ("Barnebarna mine spør hvorfor bestefar ikke kjenner dem igjen.", "adult"),
    ],
)
def test_adult_writer_from_a_grown_up_life_told_in_passing(text, writer):
    assert read(text).writer == writer


def test_young_writer_from_a_present_school_cue_but_not_from_a_memory():
    assert read("jeg går i 9. klasse og pappa drikker").writer == "young"
    assert read("Da jeg gikk på ungdomsskolen, var pappa syk").writer is None
    assert read("Datteren vår går i 8. klasse").writer is None


@pytest.mark.parametrize(
    "text,bereaved",
    [
        ("Far har akkurat dødd, og mor har flyttet på sykehjem.", True),
        ("Dette er første høsten uten min mann, og barna savner ham.", True),
        ("Mormor sovnet stille inn i natt.", True),
        ("Som enke etter mange år med pleie vet jeg ikke hva jeg skal gjøre med dagene.", True),
        ("Vi skal ha minnestund for farfar på lørdag.", True),
        # a death told as an event
        ("Sønnen vår tok livet sitt for to år siden.", True),
        ("Han ble avvist av legen få dager før selvmordet.", True),
        ("Broren min omkom i en trafikkulykke i sommer.", True),
        ("Pappa er ikke lenger i live, og jeg er alene med mamma.", True),
        ("På bedringens vei gikk det galt. Sykdommen tok hennes liv.", True),
        ("At bror endte opp med å ta sitt eget liv, forstår jeg ikke.", True),
        ("Bror sitt selvmord kom etter en psykose.", True),
        # losing oneself is no death
        ("Søsteren min ble et beinrangel som hadde mistet seg selv totalt.", False),
        # the fear of losing someone alive, walking over somewhere, falling asleep, nearly dead
        ("Jeg er så redd for å miste mamma.", False),
        ("Jeg er redd sykdommen skal ta hennes liv.", False),
        ("Tanken på å miste ham til rusen gjør meg syk.", False),
        ("Han gikk bort til naboen og ringte på.", False),
        ("Mamma sovnet inn på sofaen i går kveld.", False),
        ("Hun var nesten død da ambulansen kom.", False),
        ("Far gikk bort i mars.", True),
        # the subject after the verb, the perfect, a life that ended
        ("Etter en uke på sykehuset gikk mamma bort.", True),
        ("Hun hadde tre barn, og to av dem har gått bort.", True),
        ("Mor sitt liv tok slutt rett før jul.", True),
        ("Så gikk han bort til bilen.", False),
        ("Hun har gått bort til butikken.", False),
        ("Ferien tok slutt, og livet gikk videre.", False),
        # Nynorsk past tense with its subject; the infinitive of a fear is no death
        ("Eg miste bror min for ti veker sidan.", True),
        ("Eg er redd for å miste bror min.", False),
        ("Vi har fulgt pappa over på de evige jaktmarker.", True),
        # where the dead are, and what follows a death
        ("Jeg var ved graven til pappa i går.", True),
        ("Mamma er i himmelen nå, sier mormor.", True),
        ("Han lever ikke lenger, og jeg vet ikke hvem jeg skal snakke med.", True),
        ("Mor lever ikke lenger hjemme, hun har flyttet på sykehjem.", False),
        # not a death
        ("Mannen min har kreft, og jeg er redd for høsten uten arbeid.", False),
        ("Jeg er redd datteren min skal ta livet sitt.", False),
        ("Hun har tenkt på selvmord før, og nå er jeg redd igjen.", False),
        ("Jeg har en enkel plan for uka, og mor sovner tidlig.", False),
        # how memorials tell a death (r202, r245)
        ("Så har også du forlatt oss, mamma.", True),
        ("Hun er en av de 800 som årlig rives vekk fra livet på grunn av den.", True),
        ("Pappa tapte kampen mot kreften i vinter.", True),
        ("Hun trakk sitt siste åndedrag med oss rundt senga.", True),
        ("Minneord om min kjære far", True),
        # a parent who left the family, a fight still going on
        ("Pappa har forlatt oss, han flyttet til en annen by.", False),
        ("Han forlot oss da jeg var fem.", False),
        ("Mamma kjemper kampen mot kreften, og vi er redde.", False),
    ],
)
def test_a_death_is_read_in_the_words_real_stories_use(text, bereaved):
    assert read(text).bereaved is bereaved, text


def test_dependence_on_help_is_not_addiction():
    assert read("Han er helt avhengig av meg etter infarktet.").conditions == []
    assert read("Barna er avhengige av pustemaskin.").conditions == []
    assert read("Sønnen min er avhengig av hasj.").conditions == ["rus"]


def test_confusion_after_an_operation_is_not_dementia():
    assert "demens" not in read("Mor ble veldig forvirret etter operasjonen.").conditions
    assert read("Far er ofte forvirret og finner ikke veien hjem.").conditions == ["demens"]


@pytest.mark.parametrize(
    "text,bereaved",
    [
        ("Vi mistet mamma i fjor.", True),
        ("Jeg har mistet to koner av kreft.", True),
        ("Eg mista han i fjor, og sorga er tung.", True),
        # a subject after the verb, then the thing lost
        ("I mai mistet han den videre språktreningen fordi kommunen ikke ser behovet.", False),
        ("Eg mista far min i vinter.", True),
        # losing sight, a hearing aid or a job is no death
        ("Mor mistet synet på det ene øyet i morges.", False),
        ("Hun mistet høreapparatet sitt under oppholdet.", False),
        ("Han mistet jobben da han ble syk.", False),
    ],
)
def test_a_death_is_told_by_losing_a_person_not_a_thing(text, bereaved):
    assert read(text).bereaved is bereaved


@pytest.mark.parametrize(
    "text,age",
    [
        ("Jeg er fjorten år og mamma drikker.", 14),
        ("jeg er 14 år gammel", 14),
        ("Eg er ein 15-åring", 15),
        ("Jeg er tjue år", 20),
        ("Jeg er ti minutter unna", None),
    ],
)
def test_an_age_in_words_or_as_years_old_is_stated(text, age):
    assert read(text).age == age


def test_words_that_only_look_like_a_condition():
    # "narkose" (anaesthesia) is no drug use; a psychiatric ward in a compound is mental illness
    assert "rus" not in read("Han trenger øyeundersøkelser i narkose, og har kreft.").conditions
    assert "rus" in read("Sønnen min bruker narkotika.").conditions
    assert "psykisk_lidelse" in read("Mor var lenge innlagt i alderspsykiatrien.").conditions


def test_a_suicide_that_happened_is_told_apart_from_a_fear_of_one():
    from bot.understanding.situation import fold, tells_of_suicide

    assert tells_of_suicide(fold("Mammas selvmord var så unødvendig."))
    assert tells_of_suicide(fold("Han tok sitt eget liv i fjor."))
    # the past tense of ending one's life, as real grief stories tell it
    assert tells_of_suicide(fold("Det er en måned siden bror endte livet sitt så brutalt."))
    assert tells_of_suicide(fold("Hun avsluttet livet sitt i fjor."))
    assert tells_of_suicide(fold("Han valgte å ta sitt eget liv."))
    assert tells_of_suicide(fold("Sonen min døydde i sjølvmord."))
    assert not tells_of_suicide(fold("Jeg vil ende livet mitt."))
    # a death by overdose is a death told, not a suicide
    assert not tells_of_suicide(fold("Som mor til et overdoseoffer har jeg hatt det tungt."))
    assert read("Som mor til et overdoseoffer har jeg hatt det tungt.").bereaved
    assert read("Sønnen min døde av en overdose i fjor.").bereaved
    assert not read("Jeg er redd han skal dø av en overdose.").bereaved
    assert not tells_of_suicide(fold("Hun vil avslutte livet sitt."))
    assert not tells_of_suicide(fold("Jeg er redd han skal ta sitt eget liv."))
    assert not tells_of_suicide(fold("Hun har snakket om selvmord."))


def test_a_loss_while_the_person_lives_is_told_apart_from_a_death():
    from bot.understanding.situation import fold, speaks_of_loss_while_alive

    assert speaks_of_loss_while_alive(fold("Det er som å miste henne litt etter litt."))
    assert speaks_of_loss_while_alive(fold("Mor kjenner meg ikke lenger."))
    assert speaks_of_loss_while_alive(fold("Jeg sørger mens han lever."))
    assert not speaks_of_loss_while_alive(fold("Søsteren min døde etter mange år med rus."))


@pytest.mark.parametrize(
    "text, living_loss",
    [
        ("Hver morgen spør jeg meg selv: kjenner hun meg igjen?", True),
        ("Jeg er i ferd med å miste mormoren min til en sykdom jeg hater.", True),
        ("Sykdommen gjør at hun glemmer hvem jeg er.", True),
        ("Når mamma gradvis forsvinner, bytter vi roller.", True),
        ("Pappa er ikke lenger den han var.", True),
        ("Bestefar husker meg ikke når jeg kommer på besøk.", True),
        # not a loss of someone who lives: a job, a fear that is over, a death
        ("Jeg holder på å miste jobben fordi jeg er så mye borte.", False),
        ("Jeg er ikke lenger redd for å si fra.", False),
        ("Vi mistet pappa i fjor, han døde på sykehuset.", False),
        # what a course taught of everyone's loved ones (r220), not one's own loss
        ("Vi hørte om sorgen vi pårørende opplever ved å miste våre kjære litt etter litt.",
         False),
    ],
)
def test_a_loss_while_the_person_lives_in_the_words_real_stories_use(text, living_loss):
    from bot.understanding.situation import fold, speaks_of_loss_while_alive

    assert speaks_of_loss_while_alive(fold(text)) is living_loss, text


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("Vi fikk avslag på søknaden om avlastning i fjor.", True),
        ("Kommunen og Statsforvalteren sa nei til assistanse i hjemmet.", True),
        ("Nå har kommunen kuttet i avlastningen med femti prosent.", True),
        ("Svigermor ble sendt hjem fra sykehuset sent på kvelden.", True),
        ("Hun ble skrevet ut midt på natta, alene.", True),
        ("Da kom vedtaket fra NAV klageinstans.", True),
        ("Søknaden om pleiepenger er avslått to ganger.", True),
        ("Hun skulle sendes fra sykehuset i ambulanse om kvelden.", True),
        # not a complaint: a complaint denied, relaxing, a cut finger, being sent home a gift
        ("Bare man har helsa, sier den syke. Da skal man ikke klage. Så jeg klager ikke.", False),
        ("Vi hadde en avslappende helg sammen på hytta.", False),
        ("Hun kuttet seg på kniven da hun laget middag.", False),
        ("Hun har kuttet i armen igjen.", False),
        ("Mamma har demens og bor fortsatt hjemme med pappa.", False),
    ],
)
def test_a_refusal_a_cut_or_a_discharge_by_a_service_is_read_as_a_complaint(text, complaint):
    assert read(text).complaint is complaint, text


@pytest.mark.parametrize(
    "text, bereaved",
    [
        # a death ahead, not one that happened
        ("Legen sa at pappa kommer til å dø innen kort tid. Vi må planlegge begravelsen.", False),
        ("Mamma er døende. Hva skal jeg gjøre etter at hun er død?", False),
        ("Pappa har uhelbredelig kreft og har kort tid igjen. Vi har mistet så mye av ham.", False),
        ("Vi har snakket om hva som skjer når han er død.", False),
        ("Vi mistet henne nesten en gang til.", False),
        # a death that happened, also in a story of the last time
        ("Han døde på hospice etter lang tids sykdom.", True),
        ("Mannen min gikk bort i mars, etter lindrende behandling.", True),
        ("Pappa er død.", True),
        ("Vi mistet mamma i fjor.", True),
    ],
)
def test_a_death_ahead_is_told_apart_from_a_death_that_happened(text, bereaved):
    assert read(text).bereaved is bereaved, text


@pytest.mark.parametrize(
    "text,writer",
    [
        # being hit at home or by a parent, in the writer's words: a child (r253, a girl of 16
        # who gave no age in her text)
        ("Hva gjør jeg når jeg blir slått hjemme?\n\nhei jeg blir slått hjemme", "young"),
        ("eg vart slått av stefaren min i går", "young"),
        ("Stefaren min slår meg når mamma er på jobb.", "young"),
        # an adult's life, a partner or the care of a parent: not a child
        ("Jeg blir slått hjemme av mannen min når han har drukket.", "adult"),
        ("Mamma har demens og slår meg når jeg steller henne.", None),
        ("Jeg er sykepleier, og jeg ble slått av en pasient.", "adult"),
        ("Pappa slår mamma når han er full.", None),
    ],
)
def test_young_writer_from_being_hit_at_home(text, writer):
    assert read(text).writer == writer


@pytest.mark.parametrize(
    "text, told",
    [
        ("Datteren vår på 15 har anoreksi.", True),
        ("Som mor til en ungdom som sliter med en alvorlig spiseforstyrrelse ber jeg om hjelp.",
         True),
        # other people's children, in what a mother heard from friends (r091)
        ("Venninnene mine forteller om sønner som har droppet ut, andre om døtre som sliter "
         "med spiseforstyrrelser og tvangstanker.", False),
        ("Mamma spiser lite etter at hun ble deprimert.", False),
    ],
)
def test_an_eating_disorder_is_told_of_someone_the_story_is_about(text, told):
    from bot.understanding.situation import fold, speaks_of_eating_disorder

    assert speaks_of_eating_disorder(fold(text)) is told
