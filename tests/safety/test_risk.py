"""Crisis grading: acute or concern, and who is at risk (which picks the numbers)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.safety.risk import ACUTE, CONCERN, grade

TSV = Path(__file__).with_name("crisis.tsv")


@pytest.mark.parametrize(
    "text,level,danger",
    [
        # own suicidal thoughts: concern; a plan, a means or a time: acute
        ("jeg vil ikke leve lenger", CONCERN, "self"),
        ("har kjøpt tau og vet hvor jeg skal gjøre det", ACUTE, "self"),
        ("jeg har bestemt meg for å avslutte det i kveld", ACUTE, "self"),
        # someone else
        ("mamma sier hun ikke orker å leve mer", CONCERN, "other"),
        ("venninna mi sier hun skal ta livet sitt etter skolen i dag", ACUTE, "other"),
        ("jeg er redd for at pappa skal ta livet sitt, han har sagt det flere ganger", CONCERN,
         "other"),
        # a subordinate clause about someone else does not make it "other"
        ("risser i armene hver kveld etter at pappa begynte å drikke igjen", CONCERN, "self"),
        # violence: threats to the writer are violence, not suicide
        ("samboeren min truer med å drepe meg", ACUTE, "violence_adult"),
        ("pappa slår mamma akkurat nå", ACUTE, "violence_adult"),
        ("stefaren min slår lillebroren min", ACUTE, "violence_child"),
        # overdose now vs feared
        ("jeg har tatt en overdose, hva gjør jeg nå", ACUTE, "overdose"),
        ("mamma har tatt masse piller og svarer ikke", ACUTE, "overdose"),
        ("tror far har fått slag nå, munnen henger og han snakker rart", ACUTE, "medical"),
    ],
)
def test_grades(text, level, danger):
    risk = grade(text)
    assert risk is not None, text
    assert (risk.level, risk.danger) == (level, danger)


def test_young_writer_exposed_to_violence_gets_the_childrens_numbers():
    risk = grade("pappa slår meg når han er full", young=True)
    assert risk.danger == "violence_child"


@pytest.mark.parametrize(
    "text,danger",
    [
        # a girl of 16 (r253) who gave no age in her text: a child at risk, whose reply in
        # adult mode also gives adults Vold- og overgrepslinjen
        ("Hva gjør jeg når jeg blir slått hjemme?\n\nhei jeg blir slått hjemme", "violence_child"),
        ("jeg ble slått av pappa i går og tør ikke gå hjem", "violence_child"),
        ("eg vart slått heime i helga", "violence_child"),
        # violence between adults, or a carer hit by a parent with dementia, stays adult
        ("jeg blir slått hjemme av mannen min når han drikker", "violence_adult"),
        ("Samboeren min drikker. Jeg blir slått hjemme.", "violence_adult"),
        ("jeg blir slått av mor som har demens når jeg steller henne", "violence_adult"),
    ],
)
def test_being_hit_at_home_is_a_child_at_risk_unless_a_partner_or_carer(text, danger):
    risk = grade(text)
    assert risk is not None, text
    assert risk.danger == danger, text


def test_the_crisis_sentence_in_a_long_story_is_found_and_graded():
    story = (
        "Mamma har hatt depresjon i mange år, og jeg har vært pårørende siden jeg var liten. "
        "Vi har søkt om avlastning og fått avslag. Jeg er sliten. I går sa hun at hun har "
        "samlet opp tablettene sine. Hva har vi rett på fra kommunen?"
    )
    risk = grade(story)
    assert risk is not None and risk.level == ACUTE and risk.danger == "other"


def test_every_crisis_message_of_the_test_set_is_graded_and_no_hard_negative_is():
    rows = list(csv.DictReader(TSV.open(encoding="utf-8"), delimiter="\t"))
    crisis = [r["text"] for r in rows if r["label"] != "none"]
    negatives = [r["text"] for r in rows if r["label"] == "none"]
    assert all(grade(t) is not None for t in crisis)
    assert not [t for t in negatives if grade(t) is not None]


@pytest.mark.parametrize(
    "text,danger",
    [
        ("Vi har begge hatt selvmordstanker etter at sønnen vår ble syk", "self"),
        ("noen ganger ønsker jeg at jeg ikke fantes", "self"),
        ("jeg er redd han skal gjøre noe dumt", "other"),
        ("de siste to årene har jeg slitt med selvskading", "self"),
        ("mannen min har vært voldelig mot meg når han drikker", "violence_adult"),
        # indirect talk of not going on
        ("det er ikke noe vits lenger", "self"),
        ("jeg er så lei av livet", "self"),
        ("jeg orker ikke mer", "self"),
        # danger the whole message gives: a drug user gone for days; an early discharge
        ("Sønnen vår bruker amfetamin. Nå har han vært borte i fire døgn og svarer ikke.",
         "overdose"),
        ("Dattera mi har vært ute på fest med dop. Vi har ikke hørt noe fra henne på to dager.",
         "overdose"),
        ("Far er tvangsinnlagt med en psykose. Nå sier de at han skal skrives ut i morgen, "
         "og jeg er redd.", "medical"),
        # illnesses that put a life at risk while they last
        ("Broren min er psykotisk og har ikke sovet på en uke", "medical"),
        ("Datteren vår på 14 har anoreksi og vekten går ned hver uke", "medical"),
        # wishing not to wake, not to live, to end it; "won't be here"; hopelessness
        ("Noen ganger tenker jeg at det hadde vært best om jeg ikke våknet i morgen.", "self"),
        ("Eg har ikkje lyst å leve lenger.", "self"),
        ("Jeg er så lei av alt at jeg tenker på å avslutte det.", "self"),
        ("Han sa at vi ikke trenger å bekymre oss for ham lenger fordi han snart ikke er her.",
         "other"),
        ("Jeg ser ingen vei ut av dette.", "self"),
        # an overdose feared without the word; rage when drunk
        ("Broren min drikker. Han blander piller og alkohol og jeg er redd han ikke våkner.",
         "overdose"),
        ("Samboeren min er så sint når han er full at jeg gjemmer meg.", "violence_adult"),
        # a relapse after prison or detox, injecting, fear of taking too much (a drug user)
        ("Sønnen min har nettopp kommet ut av fengsel og har begynt å bruke heroin igjen.",
         "overdose"),
        ("Broren min ruser seg. Han injiserer og jeg har funnet sprøyter på badet.", "overdose"),
        ("Datteren min tar mye Xanax og drikker i helgene.", "overdose"),
        # violence said as a change, an inverted threat, a locked door, a broken phone
        ("Sønnen min på 20 har begynt å slå meg når han ikke får penger til dop.",
         "violence_adult"),
        ("Han sa at hvis jeg går fra ham, så dreper han meg.", "violence_adult"),
        ("Han knuste telefonen min så jeg ikke kunne ringe etter hjelp.", "violence_adult"),
        # the empty place a death would leave, and disappearing for good
        ("Tankene kan til slutt gjøre et sete tomt i et klasserom.", "self"),
        ("Noen ganger vil jeg bare forsvinne for godt.", "self"),
        ("Jeg har perioder der jeg tenker at det hadde vært best å ikke være her.", "self"),
        ("Jeg har tenkt tanken på å gjøre slutt på alt.", "self"),
        ("Noen ganger tenker jeg på å bare kjøre av veien.", "self"),
        ("Det har vært dager hvor jeg ikke har sett noen grunn til å fortsette.", "self"),
        ("Jeg kjenner på et ønske om å forsvinne.", "self"),
        ("Broren min drikker. Vi er redde for hva han kan finne på når han er full.",
         "violence_adult"),
        # abuse named as such, of money too
        ("En slektning tar pensjonen til tante som er dement. Dette er et overgrep.",
         "violence_adult"),
        # violence and a psychosis told in plain words
        ("Mannen min blir aggressiv mot meg når han har drukket.", "violence_adult"),
        ("Samboeren min knuser ting når han er sint. Jeg har tenkt på krisesenter.",
         "violence_adult"),
        # a police case for violence (r277: an ex under investigation, asked about blood tests)
        ("Jeg har en x-kjæreste som er under etterforskning for vold, og han tar blodprøver.",
         "violence_adult"),
        ("Jeg anmeldte ham for vold i fjor, og nå vil han ha samvær.", "violence_adult"),
        # violence at home told in passing (written for this test)
        ("Pappa drikker mye. Det er mye krangling og slåssing hjemme.", "violence_adult"),
        ("Det har vært politiet hjemme hos oss flere ganger.", "violence_adult"),
        ("Han har vært voldelig i mange år, og det skjer fortsatt.", "violence_adult"),
        ("Mora mi hører stemmer og tror naboene vil henne vondt.", "medical"),
        ("Sønnen min er manisk og har ikke sovet på flere døgn.", "medical"),
        # more ways real relatives put it (written for this test)
        ("Søsteren min har prøvd før, og jeg er redd hun prøver igjen.", "other"),
        ("Jeg fant en lapp der han skrev at han var lei for alt.", "other"),
        ("Sønnen min sier at livet ikke har noen mening.", "other"),
        ("Han sier at alt er håpløst og at det aldri blir bedre.", "other"),
        ("Mamma sier at hun ikke orker mer og vil bort fra alt.", "other"),
        ("Det hender jeg tenker at det hadde vært greit å slippe å våkne.", "self"),
        ("Jeg har lyst til å bare legge meg ned og dø.", "self"),
        # not wanting to live said in the perfect, a wish to disappear (written for this test)
        ("I perioder har jeg ikke ønsket å leve.", "self"),
        ("Jeg har hatt dager der jeg ikke har orket å leve.", "self"),
        ("Noen ganger vil jeg bare forsvinne.", "self"),
        ("Eg orkar ikkje meir, eg vil berre at det skal ta slutt.", "self"),
        ("Sønnen min har sluttet å ta kontakt, og jeg vet ikke om han lever.", "other"),
        ("Broren min tar masse piller og drikker i tillegg.", "overdose"),
        ("Han blir voldsom når han drikker, og vi er redde.", "violence_adult"),
        ("Mannen min kontrollerer alt jeg gjør og sier jeg ikke er verdt noe.", "violence_adult"),
        ("Hun har sluttet å spise og drikke og ligger bare i senga.", "medical"),
        # a text about suicide with a danger now is still a danger
        ("Hun skrev et innlegg om selvmord på Facebook i går, og jeg er redd for henne.",
         "other"),
        # in a story of a mental illness, hope of a good life lost
        ("Sønnen min er deprimert. Han har mistet håpet om at livet kan bli bra.", "other"),
    ],
)
def test_talked_about_danger_is_a_concern(text, danger):
    from bot.safety.risk import concern_signal

    risk = grade(text) or concern_signal(text)
    assert risk is not None and risk.level == CONCERN and risk.danger == danger, text


@pytest.mark.parametrize(
    "text",
    [
        "bror min var suicidal som tenåring men har det godt nå",
        "hun truer med å flytte hjemmefra hvis vi ikke får avlastning",
        "det som slo meg var hvor lite hjelp vi fikk",
        "har lest mye om selvmord i forbindelse med masteroppgaven min",
        "vi har mistet sønnen vår i selvmord og trenger hjelp til begravelsen",
        # the same words without the context that makes them danger
        "Mannen min er borte på jobbreise i fire døgn, og jeg er alene med barna.",
        "Mor ble skrevet ut fra sykehuset etter hofteoperasjonen, og jeg er redd hun faller.",
        "Søsteren min hadde anoreksi for mange år siden, nå er hun frisk og har to barn.",
        # the words of the new signals in ordinary sentences
        "Jeg var redd hun ikke skulle våkne etter narkosen.",
        "Jeg har ikke lyst til å leve et liv der alt handler om sykdommen hans.",
        "Jeg tenker på å avslutte det forholdet.",
        "Mamma tar piller for blodtrykket og drikker kaffe.",
        "Han er så slem når han er sulten.",
        "Jeg ser ingen vei videre med NAV.",
        "Datteren min har diabetes og må injisere insulin hver dag, men hun drikker på fest.",
        "Mor ble utskrevet fra behandling for kreft i går og jeg er sliten.",
        # suicide as what a text is about (a daughter's text on her mother, who died)
        "Dette kunne vært et innlegg om selvmord. Men det er det ikke. Det er en tekst om "
        "morskjærlighet.",
        "Jeg leste en kronikk om selvmord blant eldre i avisa.",
        # the same words with no mental illness told, or of an injury
        "Bestefar falt på isen og klarte å skade seg i hofta.",
        "Pappa har mistet håpet om at livet blir som før etter at han ble pensjonist.",
        "Sønnen min ruset seg i mange år. Nå er han kommet hjem fra behandlingen og har det bra.",
        "Det står en tom stol i klassen fordi en elev har flyttet.",
        "Det var en tom plass rundt bordet i jula etter at mormor døde.",
        "Det er best å ikke være hjemme når håndverkerne kommer.",
        "Jeg har tenkt på å gjøre slutt på forholdet.",
        "Jeg ser ingen grunn til å fortsette med den medisinen.",
        "Jeg har ikke sett noen grunn til å fortsette med behandlingen.",
        # a suicide told as a death: the dead person's crisis and illness are history
        "Det siste halve året var hun i en selvmordskrise. Mammas selvmord var unødvendig.",
        "At bror endte opp med å ta sitt eget liv kommer av at han gikk over i en psykose.",
        "Helt siden tenåra var pappa deprimert. Pappa greide til slutt å avslutte livet. "
        "Tilbake satt vi i bunnløs sorg.",
        "Som mor til et overdoseoffer har jeg hatt nær kontakt med mange familier.",
        # an illness the message tells is over
        "Mat som anoreksien hadde bannlyst, ble spist. Vi fikk jenta vår tilbake.",
        "For mamma handlet de maniske symptomene om energi. Nå er livet trygt og rolig.",
        # violence denied, a violent past that is over
        "Han er ikke voldelig, men han drikker mye og sover lite.",
        "Pappa var voldelig for mange år siden. Nå er han rusfri og vi har god kontakt.",
    ],
)
def test_no_concern_for_the_long_past_knowledge_threats_of_other_kinds_or_grief(text):
    from bot.safety.risk import concern_signal

    assert grade(text) is None and concern_signal(text) is None, text


# Issue #18: indirect danger, written for these tests (not taken from bot/safety/crisis_train.tsv).
@pytest.mark.parametrize(
    "text,level,danger",
    [
        # a plan or means without the word "selvmord"
        ("jeg har bestemt meg, ingen kan stoppe meg nå", ACUTE, "self"),
        # a first-person text in the real dev set: a wish to die now, a blade at the throat,
        # cuts made on the arm
        ("Jeg har gitt opp. Alt jeg vil nå er å dø. NÅ!", ACUTE, "self"),
        ("Jeg finner en kniv og saksa, og jeg tar saksa foran halsen.", ACUTE, "self"),
        ("Jeg lager små kutt på armen når det blir for mye.", CONCERN, "self"),
        ("har spart på sovetablettene og har dem klare på nattbordet", ACUTE, "self"),
        ("eg veit nøyaktig kor mange eg treng", ACUTE, "self"),
        ("har nok morfin til å slippe", ACUTE, "self"),
        ("søstera mi har ladd hagla og sitter i bilen", ACUTE, "other"),
        # farewells and finality without a stated plan
        ("takk for alt, og tilgi meg", CONCERN, "self"),
        ("ikke vær lei dere når jeg er borte", CONCERN, "self"),
        ("det blir bedre for alle om hun forsvinner, sier mamma", CONCERN, "other"),
        # ongoing violence told without the usual verbs
        ("stefaren min låser meg inne i boden hele helga", ACUTE, "violence_child"),
        ("han presset hånda over munnen hennes så hun ikke fikk puste", ACUTE, "violence_adult"),
        # overdose and medical danger in plain words
        ("har tatt pillene hans og drukket vin, begynner å bli svimmel", ACUTE, "overdose"),
        ("han klager på trykk i brystet og er kaldsvett", ACUTE, "medical"),
        ("tunga hennes hovner opp etter at hun spiste nøtter", ACUTE, "medical"),
        # Nynorsk "dett" (falls) after a subject is still a fall
        ("Mor dett om på kjøkkenet og svarar ikkje", ACUTE, "medical"),
        ("Han har et tau og snakker om å henge seg", ACUTE, "other"),
        # "det på" is no fall: the self-harm is still graded, and it is the sister's
        ("søsteren min kutter seg, og jeg tenker på det på skolen hver dag", CONCERN, "other"),
    ],
)
def test_indirect_danger_is_graded(text, level, danger):
    risk = grade(text)
    assert risk is not None, text
    assert (risk.level, risk.danger) == (level, danger), text


@pytest.mark.parametrize(
    "text",
    [
        "vi gir bort lekene til barnehagen fordi ungene har vokst fra dem",
        "skal si ha det til klassen min når jeg flytter",
        "jeg kuttet meg da jeg gikk på ungdomsskolen, nå har jeg det godt",
        "det tok for mye tid å vente på legen",
        "pappa lader geværet før elgjakta",
        "jeg har en plan for helga med venner",
        "mamma kommer til å drepe meg når hun finner ut at jeg har mistet nøklene",
        "i minecraft ble jeg drept av en zombie",
        "hun sa at pillene ligger klare i dosetten til i morgen",
        "jeg orker ikke mer av ventelistene",
        # false friends of the real dev set (op-eds, r146-r168): the pronoun "det" is not
        # Nynorsk "dett" (falls), "taus" is no rope, a son's suicide told as what happened
        "I erklæringen fra 2019 sies det om utviklingshemmedes situasjon at de skal ha det godt.",
        "Jeg har ringt legekontoret mange ganger, men det svarer ikke.",
        "Pårørende er tause fordi de er redde for at mor skal dø alene på sykehjemmet.",
        "Sønnen ble avvist få dager før selvmordet. Nå er det ikke sikkert det kunne vært unngått.",
        "Etter sønnens selvmord er vi mange som er berørt av selvmord. Nå vil jeg si noe.",
        # the same words of cuts, blades and dying with nothing of self-harm
        "Legen lager et lite kutt i huden under operasjonen.",
        "Han holdt kniven mot brødet og skar en skive.",
        "Alt jeg vil er å dø av latter når jeg ser den filmen.",
        # "låste seg inn" is letting oneself in, not locking oneself in
        "Han låste seg inn hos mor med nøkkelen og la seg til å sove.",
        # "redd for" is also worry for someone, not fear of them
        "Jeg er redd for broren min, han sitter i fengsel og vil ikke snakke med oss.",
        # a dementia story: "vet ikke hvor vi kan henvende oss" is no missing person, "i vinter"
        # no cold
        "Tante er dement. I vinter flyttet en slektning henne til en ny leilighet. Hun har "
        "minstepensjon og husleie i to leiligheter, og husleien dekkes ikke av det som er igjen "
        "av pensjonen hennes hver måned, slik at regningene hoper seg opp. Vi vet ikke hvor vi "
        "kan henvende oss.",
    ],
)
def test_indirect_hard_negatives_raise_nothing(text):
    from bot.safety.risk import concern_signal

    assert grade(text) is None and concern_signal(text) is None, text


@pytest.mark.parametrize(
    "text,said_of_self",
    [
        ("Jeg er en jente på 16 og de siste to årene har jeg slitt med selvskading.", True),
        ("Jeg er 15 og i går kuttet jeg meg igjen.", True),  # inverted order after "i går"
        ("Jeg har tenkt at alle ville hatt det bedre uten meg.", True),
        # "self" by default (nobody named), but the writer speaks of people in general
        ("Jeg leser om flotte, unge mennesker som ikke klarer å leve mer.", False),
    ],
)
def test_danger_to_the_writer_is_marked_only_when_said_of_themself(text, said_of_self):
    from bot.safety.risk import concern_signal

    risk = grade(text) or concern_signal(text)
    assert risk is not None and risk.danger == "self", text
    assert bool(risk.as_dict().get("said_of_self")) is said_of_self, text


def test_a_suicide_told_as_a_death_does_not_hide_the_writers_own_danger():
    """The history rule for a suicide that happened skips others' crisis, not the writer's."""
    from bot.safety.risk import concern_signal, grade

    text = ("Bror sitt selvmord har knust meg. Jeg tenker på å ta livet mitt selv nå, "
            "jeg orker ikke mer.")
    found = grade(text) or concern_signal(text)
    assert found is not None and found.danger == "self"
    assert grade("Søsteren min endte opp med å ta sitt eget liv i fjor.") is None
    assert grade("Jeg er redd søsteren min skal ta sitt eget liv.") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Etter brorens selvmord er jeg redd søsteren min også vil ta livet sitt.",
        "Pappa tok livet sitt i fjor. Nå sier mamma at hun ikke orker mer og at hun vil dø.",
        "Mammas selvmord knuste oss. Lillesøsteren min har begynt å skade seg selv.",
        "Bror sitt selvmord har gjort at storesøster snakker om at livet ikke er verdt å leve.",
    ],
)
def test_after_a_suicide_told_as_a_death_a_danger_to_someone_alive_is_still_found(text):
    from bot.safety.risk import concern_signal, grade

    assert grade(text) is not None or concern_signal(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        # recovered once, ill now
        "Hun ble frisk av anoreksien for to år siden. Nå spiser hun ikke igjen.",
        "Vi fikk mamma tilbake etter forrige psykose. Nå er hun psykotisk igjen.",
        # an overdose now, not a victim
        "Broren min har tatt en overdose og puster dårlig.",
    ],
)
def test_what_is_history_for_one_illness_does_not_hide_a_danger_now(text):
    from bot.safety.risk import concern_signal, grade

    assert grade(text) is not None or concern_signal(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        # a suicide that happened, told ("ved selvmord", "til slutt å velge livet bort")
        "Jeg mistet min bror ved selvmord for elleve år siden. Det var vondt å se ham kjempe "
        "seg gjennom hverdagen for til slutt å velge livet bort ved å gå og henge seg.",
        # talk of people in general after a suicide that happened
        "I fjor tok min 16 år gamle bror livet sitt. For de fleste er dagen noen tar sitt "
        "eget liv bare en dag, men for oss etterlatte varer den.",
        "Pappa tok livet sitt i sommer. Jeg hører mer og mer om selvmord hos unge mennesker, "
        "men aldri om eldre.",
        # the empty chair after a death
        "Etter at broren min døde, var det en tom stol ved middagsbordet. Vi savner ham.",
        # overdoses of people in general, in a policy argument
        "Folk har blitt straffeforfulgt når de har ringt nødetaten ved overdoser.",
        # abuse as a word for neglect of people in general
        "Mor ble sendt hjem fra sykehuset. Regnes det ikke som mishandling når mennesker "
        "generelt ikke får dekket sine primære behov?",
        # abuse as a word in a list of what is taboo
        "Familietragedier, mishandling og sykdom er fortsatt tabubelagt.",
        # a brother well again: a fear the writer will not live in
        "Jeg har fått broren min tilbake, rusfri i to år! Jeg kan ikke gå og være livredd for "
        "at noen jeg er glad i skal dø.",
    ],
)
def test_history_general_talk_and_recovery_raise_nothing(text):
    """Real dev hard negatives (op-eds and blogs, sixth session), in words of our own."""
    from bot.safety.risk import concern_signal, grade

    assert grade(text) is None and concern_signal(text) is None, (
        grade(text), concern_signal(text))


@pytest.mark.parametrize(
    "text",
    [
        # the same kinds of sentence with someone in danger now
        "Jeg mistet min bror ved selvmord. Nå snakker søsteren min om å henge seg.",
        "Pappa tok livet sitt i sommer. Nå vil jeg også ta mitt eget liv.",
        "Sønnen min tok en overdose i natt og puster tungt.",
        "Faren hennes mishandler henne hver kveld.",
        "Jenta var utsatt for mishandling fra noen hun kjente.",
        "Broren min var rusfri i to år, men nå er jeg livredd for at han skal dø av en "
        "overdose.",
        "Det er en tom pult i klasserommet fordi jeg ikke skal være her lenger.",
    ],
)
def test_the_same_words_with_a_danger_now_are_still_found(text):
    from bot.safety.risk import concern_signal, grade

    assert grade(text) is not None or concern_signal(text) is not None, text


@pytest.mark.parametrize(
    "text, level",
    [
        # an attempt told as long past, with nothing of now: past self-harm is a concern
        ("Akkurat samme ensomhet gjorde at jeg, i 2013, prøvde å ta mitt eget liv.", "concern"),
        ("Som tenåring prøvde jeg å ta livet mitt.", "concern"),
        # the same past with a danger now stays acute
        ("For to år siden prøvde han å ta livet sitt, og nå har han planer igjen.", "acute"),
        ("I 2019 prøvde hun å ta livet sitt, og i kveld sier hun at hun vil prøve igjen.",
         "acute"),
        ("Jeg prøvde å ta livet mitt i går.", "acute"),
    ],
)
def test_an_attempt_told_as_long_past_is_a_concern_not_acute(text, level):
    risk = grade(text)
    assert risk is not None and risk.level == level, (text, risk)


@pytest.mark.parametrize("text", [
    ("Irritert for valget om å ta sitt eget liv basert på tenåringsdrama. Samme type ensomhet "
     "gjorde at jeg, i 2013, prøvde å ta mitt eget liv."),
    "Mange unge tenker på å ta sitt eget liv. Som tenåring prøvde jeg å ta livet mitt.",
])
def test_at_the_same_level_the_danger_the_writer_says_of_themself_is_the_one_answered(text):
    risk = grade(text)
    assert risk is not None and risk.level == CONCERN and risk.said_of_self, risk
