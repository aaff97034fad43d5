"""Grading a crisis: how urgent (acute / concern) and who is at risk, which picks the numbers.

The lexicon (`bot.safety.crisis`) says *whether* a message is about danger and of which kind
(suicide, self-harm, violence, overdose, acute medical danger). This module grades it:

- **acute**: a plan or means, an attempt or overdose now, ongoing violence or threats, a child
  unsafe now, acute medical danger → emergency numbers first, then what was asked;
- **concern**: someone talks about dying or not wanting to live, self-harm, fear that someone
  may hurt themselves, violence that is not happening now → the safety lines at the top of
  the reply, then the answer.

and names the *danger* the reply is written for (who is at risk picks the numbers):

| danger | when | numbers first |
|---|---|---|
| ``self`` | the writer's own suicidal thoughts or self-harm | 113, 116 123 |
| ``other`` | someone else talks about dying / harms themselves | 113, 116 123, Kirkens SOS |
| ``violence_child`` | a child (young writer, or children) exposed to violence | 112, 116 111 |
| ``violence_adult`` | violence or threats between adults | 112, 116 006 |
| ``overdose`` | overdose or poisoning | 113 |
| ``medical`` | acute medical danger | 113, 116 117 |

Every message is checked sentence by sentence as well as whole, so a crisis sentence in the
middle of a long story is found and its own words decide who is at risk. All matching runs on
the lexicon's canonical text (lower case, æ→ae ø→o å→a, repeated letters squashed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union

from bot.safety.crisis import (
    CrisisLexicon,
    CrisisMatch,
    KeyedRegex,
    canonical,
    canonical_regex,
    default_lexicon,
    past_lexicon,
)
from bot.understanding.situation import (
    find_conditions,
    fold,
    hurt_at_home,
    sentences,
    tells_of_death,
    tells_of_suicide,
)

ACUTE = "acute"
CONCERN = "concern"
DANGERS = ("self", "other", "violence_child", "violence_adult", "overdose", "medical")


def _rx(*alternatives: str) -> KeyedRegex:
    """Whole-word alternatives on canonical text, run only when one of their words occurs."""
    return KeyedRegex(alternatives,
                      re.compile(canonical_regex(r"\b(?:" + "|".join(alternatives) + r")\b")))


# A plan, means, a time, or a farewell: a suicide or self-harm message becomes acute.
_ACUTE_SUICIDE = _rx(
    r"i kveld",
    r"i natt",
    r"i dag",
    r"nå",
    r"no",
    r"akkurat nå",
    r"snart",
    r"i morgen",
    r"denne helga",
    r"etter skolen",
    r"plan\w*",
    r"planlegg\w*",
    r"bestemt (meg|seg)",
    r"tenkt ut",
    r"funnet ut",
    r"vet hvor",
    r"veit kor",
    r"vet hvordan",
    r"tau",  # a rope (not "taus", "taushetsplikt")
    r"tauet",
    r"taua",
    r"løkke\w*",
    r"hoppe\w*",
    r"bru\w*",
    r"bro",
    r"broen",
    r"tog\w*",
    r"skinnene",
    r"taket",
    r"kanten",
    r"fjellvegg\w*",
    r"kjøre\w*",
    r"køyre\w*",
    r"gevær\w*",
    r"våpen\w*",
    r"pistol\w*",
    r"kniv\w*",
    # a blade at the throat or the wrist ("jeg tar saksa foran halsen")
    r"halsen",
    r"strupen",
    r"pulsåre\w*",
    r"samle\w*",
    r"samla",
    r"samlet",
    r"gøymt",
    r"gjemt",
    r"hamstr\w*",
    r"piller",
    r"pillene",
    r"tabletter",
    r"tablettar",
    r"tablettene",
    r"sovepiller\w*",
    r"avskjed\w*",
    r"farvel\w*",
    r"siste gang",
    r"gitt bort",
    r"gir bort",
    r"gjort (meg|seg) ferdig",
    r"hengt",
    r"henger",
    r"svarer (ikke|ikkje)",
    r"svarar ikkje",
    r"prøvde",
    r"prøvd",
    r"forsøkte",
    r"forsøk",
    r"googlet",
    r"googla",
    r"blør",
    r"dypt",
    r"djupt",
    r"brev\w*",
    r"melding\w*",
    r"slutt\w* å svare",
    r"hvor mange",
    r"kor mange",
    r"hvor mye",
    r"kor mykje",
    r"dødelig\w*",
    # issue #18: a plan, a date, means made ready, bleeding now
    r"regnet",
    r"rekna",
    r"valgt",
    r"datoen",
    r"tidspunkt\w*",
    r"ordnet alt",
    r"ordna alt",
    r"ladd",
    r"ladet",
    r"insulin\w*",
    r"hagl\w*",
    r"stein\w*",
    r"stoppe (meg|ham|han|henne|ho)",
    r"konkret",
    r"bestemte (meg|seg)",
    r"blø\w*",
    r"gjømt",
    r"gøymt",
    r"foran meg",
    r"(piller|pillene|pilsa|tablettene|tablettane|medisinene) (\w+ )?klare",
    r"(er|e) (jeg|eg|æ) klar",
    r"dop",
    r"barberblad\w*",
    r"til blods",
    r"sjøen",
    r"på tide",
    r"spart",
    r"sparer",
    r"\w*tablett\w*",
    r"\w*piller",
    r"\w*pillene",
    r"nok (\w+ ){0,2}?til",
)
# Violence that is happening, threatened or feared now (not an old memory).
_ACUTE_VIOLENCE = _rx(
    r"nå",
    r"no",
    r"akkurat nå",
    r"i kveld",
    r"i natt",
    r"i dag",
    r"på vei",
    r"truer\w*",
    r"truar",
    r"trugar",
    r"truet",
    r"trua",
    r"truga",
    r"skal (ta|drepe|skade|skyte)",
    r"kniv\w*",
    r"våpen\w*",
    r"gevær\w*",
    r"øks\w*",
    r"pistol\w*",
    r"tør (ikke|ikkje)",
    r"redd for (livet|å gå hjem)",
    r"låser oss",
    r"låste oss",
    r"(ikke|ikkje) trygg\w*",
    r"utrygg\w*",
    r"slår",
    r"slår meg",
    r"sparker",
    r"kveler",
    r"holder",
    r"kaster",
    r"denne uka",
    r"denne veka",
    r"hver kveld",
    r"kvar kveld",
    r"hele tiden",
    # issue #18: smothering, confinement, a baby shaken, stalking, "again"
    r"holdt",
    r"puste",
    r"låst\w*",
    r"låser",
    r"stenger",
    r"stengte",
    r"sperret",
    r"ristet",
    r"rista",
    r"babyen",
    r"igjen",
    r"om natta",
    r"overalt",
    r"uten mat",
    r"i kulda",
)
# Possessives ("min sønn", "mamma mi") name a relation, not who is at risk: not counted.
_FIRST_PERSON = _rx(r"jeg", r"eg", r"æ", r"je", r"jæ", r"meg", r"mæ")
# People in general ("unge mennesker som ikke klarer å leve mer"): not the writer.
_PEOPLE_IN_GENERAL = _rx(r"mennesker", r"menneske", r"folk", r"unge", r"ungdommer", r"ungdomar",
                         r"tenåringer", r"tenåringar")
# Someone unnamed as the subject of a suicide ("dagen noen tar sitt eget liv", "de fleste"):
# talk in general, not a person the writer knows
_ANYONE = _rx(r"(noen|nokon|man) (\w+ )?(tar|tek|tok|har tatt)")
# Said to be in general ("når mennesker generelt ikke får …", "folk flest")
_GENERALLY = _rx(r"generelt", r"folk flest", r"de fleste", r"dei fleste", r"i samfunnet")
_THIRD_PERSON = _rx(
    r"han",
    r"hun",
    r"ho",
    r"hu",
    r"hen",
    r"ham",
    r"henne",
    r"mamma\w*",
    r"pappa\w*",
    r"mor",
    r"far",
    r"moren",
    r"faren",
    r"mora",
    r"sønn\w*",
    r"son\w*",
    r"datter\w*",
    r"dotter\w*",
    r"dattera",
    r"mannen",
    r"kona",
    r"samboer\w*",
    r"kjæreste\w*",
    r"bror\w*",
    r"søster\w*",
    r"søstera",
    r"venn\w*",
    r"venninn\w*",
    r"kompis\w*",
    r"bestemor",
    r"bestefar",
    r"mormor",
    r"morfar",
    r"farmor",
    r"farfar",
    r"lillebror\w*",
    r"lillesøster\w*",
    r"storebror\w*",
    r"storesøster\w*",
    r"gutten",
    r"jenta",
    r"eksen",
    r"stefar\w*",
    r"stemor\w*",
)
# The writer worries about someone else ("jeg er redd han skal …").
_WORRY = _rx(
    r"redd (for at|at|han|hun|ho|hu)",
    # someone else's words found or read ("jeg fant en lapp der han skrev …")
    r"(fant|funnet|fann) (\w+ )?(lapp|lappen|brev|brevet|melding|meldingen|dagbok\w*)",
    r"(han|hun|ho|hu) (skrev|skriver|skreiv)",
    r"bekymr\w* for",
    r"sier (han|hun|ho|hu|at)",
    r"seier (han|ho)",
    r"snakker om",
    r"snakkar om",
    r"snakka om",
    r"truer med",
    r"tror (han|hun|ho|hu|at)",
    r"trur (han|ho|at)",
    r"tror \w+ (min|mi|mitt)",
    r"trur \w+ (min|mi)",
    r"har sagt",
    r"har (tatt|teke)",
    r"prøvde",
    r"sendte",
)
# The writer says it of themselves: "jeg vil dø", "vil jeg dø", "eg tenkjer på å …".
_FIRST_PERSON_WISH = _rx(
    r"(jeg|eg|æ|je) (\w+ )?(vil|ville|orker|orkar|ønsker|ønskjer|skal|ska|har lyst|"
    r"(tenker|tenkjer) (mye |ofte )?på (å|selvmord|sjølvmord|døden)|"
    r"kutter|kuttar|skader|skadar|klarer|kjem|kommer|har tenkt|har bestemt)",
    r"(vil|skal|orker|ønsker) (jeg|eg|æ) ",
    # a chat sentence that starts with the verb has the writer as its subject ("har kjøpt tau")
    r"^(har|ha|hadde|kjøpte|kjøpt|knyter|sitter|legger|skal|ska|vil|orker|orke|klarer|kan|takk)",
)
# Someone threatens to kill or hurt the writer or the children: violence, whatever the verb.
_THREAT = _rx(
    r"(truer|truar|trugar|truet|trua|truga) (\w+ ){0,2}?(med å )?(drepe|drep|skade|slå|skyte|ta) "
    r"(\w+ ){0,3}?(meg|mæ|oss|barna|ungene|deg|mamma|pappa|familien)",
)
# Subordinate clauses ("etter at pappa ble syk") do not say who is at risk.
_SUBORDINATE = re.compile(canonical_regex(r"\b(etter at|fordi|siden|sidan|da|når) [^,.]*"))
_CHILDREN = _rx(
    r"barna",
    r"ungene",
    r"borna",
    r"barnet",
    r"lillebror\w*",
    r"lillesøster\w*",
    r"småsøsken",
    r"babyen",
    r"spedbarn\w*",
    r"oss barna",
    r"oss ungene",
)
# A parent or step-parent hurts, locks up or beats the writer or a friend: a child at risk
# (not when the aggressor has dementia: then the writer is an adult carer).
_PARENT_AGGRESSOR = _rx(
    r"(stefar\w*|stemor\w*|stepappa\w*|stemamma\w*)",
    r"(pappa|mamma|far|mor|faren|mora|moren|foreldrene) (min |mi |mine )?(\w+ ){0,3}?"
    r"(slår|slo|låser|låste|stenger|stengte|sparker|denger|juler|banker|dytter|dytta) (meg|mæ|oss)",
    r"(av|fra) (faren|mora|moren|pappaen|mammaen|foreldrene) (sin|si|sine)",
    r"(rommet|senga) mitt",
    r"(pappa|far|mamma|mor) kommer hjem",
)
_CARER_CONTEXT = _rx(r"demens\w*", r"dement\w*", r"alzheimer\w*", r"sykehjem\w*", r"pleie\w*")
_SELF_TARGET = _rx(r"(slår|slo|truer|truet|sparker|kveler|dytter|kaster \w+ etter) (meg|mæ|oss)")


@dataclass(frozen=True)
class Risk:
    level: str  # acute | concern
    danger: str  # one of DANGERS
    category: str  # the lexicon category that matched (or "classifier")
    sentence: str = ""  # the sentence that carried the danger (never logged)

    @property
    def said_of_self(self) -> bool:
        """The danger is to the writer and the writer says so ("jeg kutter meg"), rather than
        "self" as the default when a sentence names nobody ("unge som ikke klarer å leve")."""
        canon = canonical(self.sentence)
        return (self.danger == "self" and bool(_FIRST_PERSON.search(canon))
                and not _PEOPLE_IN_GENERAL.search(canon))

    def as_dict(self) -> dict:
        out = {"level": self.level, "danger": self.danger, "category": self.category}
        if self.said_of_self:
            out["said_of_self"] = True
        return out


def _who(sentence_canon: str) -> str:
    """ "self" or "other": whose life the sentence is about."""
    main = _SUBORDINATE.sub(" ", sentence_canon)
    first = [m.start() for m in _FIRST_PERSON.finditer(main)]
    third = [m.start() for m in _THIRD_PERSON.finditer(main)]
    if _WORRY.search(sentence_canon) and third:
        return "other"
    if _FIRST_PERSON_WISH.search(sentence_canon):
        return "self"
    if first and (not third or first[0] <= third[0]):
        return "self"
    return "other" if third else "self"


def _as_threat(category: str, sent: str) -> str:
    """Someone threatening to kill or hurt the writer or the children is violence, even when
    the lexicon matched it as a suicide pattern ("truer med å drepe meg")."""
    if category in ("suicide", "self_harm") and _THREAT.search(sent):
        return "violence"
    return category


@lru_cache(maxsize=8)
def _children_in(whole: str) -> bool:
    """Whether the whole message names children (asked once per message, not per sentence:
    a search of the whole text per sentence would make grading quadratic)."""
    return bool(_CHILDREN.search(whole))


def _danger(category: str, sent: str, whole: str, young: bool) -> str:
    category = _as_threat(category, sent)
    if category == "overdose":
        return "overdose"
    if category == "acute":
        return "medical"
    if category == "violence":
        child = young or bool(_CHILDREN.search(sent)) or _children_in(whole)
        if _PARENT_AGGRESSOR.search(sent) and not _CARER_CONTEXT.search(sent):
            child = True
        if young and _SELF_TARGET.search(sent):
            child = True
        return "violence_child" if child else "violence_adult"
    return _who(sent)


# An overdose or medical danger that is feared or hypothetical, not happening.
_HYPOTHETICAL = _rx(
    r"redd",
    r"i tilfelle",
    r"hvis",
    r"viss",
    r"om (han|hun|ho) skulle",
    r"en gang",
    r"bekymr\w*",
    r"frykt\w*",
)


def _level(category: str, sent: str, pattern_strong: bool) -> str:
    category = _as_threat(category, sent)
    if category in ("suicide", "self_harm") and _past_only(sent):
        # an attempt told as long past ("i 2013 prøvde jeg å ta mitt eget liv", "som
        # tenåring"), with nothing of now: past self-harm is a concern (issue #18), not acute
        return CONCERN
    if category in ("overdose", "acute"):
        if pattern_strong:
            return ACUTE
        return CONCERN if _HYPOTHETICAL.search(sent) else ACUTE
    if category == "violence":
        return ACUTE if _ACUTE_VIOLENCE.search(sent) else CONCERN
    return ACUTE if _ACUTE_SUICIDE.search(sent) else CONCERN


_VIOLENCE_WORDS = _rx(
    r"slår\w*",
    r"slo",
    r"slått",
    r"vold\w*",
    r"vald\w*",
    r"truer\w*",
    r"truet",
    r"sparker",
    r"dytter",
    r"kaster \w+ etter",
    r"redd for (ham|han|henne|ho)",
)
_OVERDOSE_WORDS = _rx(r"overdose\w*", r"piller", r"tabletter", r"tablettar", r"forgift\w*")


# The empty place a death would leave ("en tom plass i klasserommet"): a concern signal, except
# in a message that tells of a death, where the empty chair is the dead person's.
_EMPTY_PLACE = _rx(
    r"(tom|tomt|tomme) (og \w+ )?(plass|stol|pult|sete) (\w+ ){0,2}?(i|på|ved|rundt) "
    r"(\w+ )?(klasserom\w*|klassen|bordet|middagsbordet|frokostbordet)"
    r"(?!.{0,80}\b(flytt|slutt|bytt|syk|sjuk|ferie|permisjon|døde|døydde|gikk bort))",
    r"(plass|stol|pult|sete) (\w+ ){0,2}?(tom|tomt) (i|på) (\w+ )?(klasserom\w*|klassen)"
    r"(?!.{0,80}\b(flytt|slutt|bytt|syk|sjuk|ferie|permisjon|døde|døydde|gikk bort))",
)

# Concern signals: danger that is talked about rather than happening, which the lexicon
# deliberately lets pass (past self-harm, a fear that someone will die or be poisoned, a
# child living with a drunk or violent parent, threats and rage at home). They never make a
# message acute; they put the safety lines at the top of the answer. Each is (danger kind,
# pattern over the canonical text). Tuned on the dev part of tests/real and on
# tests/safety/crisis_dev.tsv; knowledge and bereavement contexts still exclude them.
_CONCERN_SIGNALS = (
    (
        "self_harm",
        _rx(
            r"selvskad\w*",
            r"sjølvskad\w*",
            r"skade (meg|seg) (selv|sjøl|sjølv)",
            r"skadet (meg|seg) (selv|sjøl|sjølv)",
            r"kuttet (meg|seg)",
            r"kutta (meg|seg)",
            r"risset (meg|seg)",
            r"arrene (mine|hennes|hans)",
            # inverted order after an adverbial ("i går kuttet jeg meg", "da skar eg meg")
            r"(kuttet|kutta|skar|risset|rissa|rispet|rispa|skadet|skada|brente|kutter|kuttar|"
            r"risser|rispar|skader|skadar|brenner|brennar) (jeg|eg|æ|je) (meg|mæ)",
        ),
    ),
    (
        "suicide",
        _rx(
            r"(ønsker|ønskjer|ønske) (\w+ )?(at )?(jeg|eg|han|hun|ho) (ikke|ikkje) "
            r"(fantes|fanst|var her|levde)",
            r"sove for (alltid|godt)",
            r"(mistet|mista|miste) (lysten|gleden|gleda) til å leve",
            r"livslyst\w*",
            r"(bedre|greiare|lettere|lettare) (\w+ ){0,3}?(uten|utan) (henne|ham|han|ho|seg)",
            r"(lettere|lettare|bedre) (om|hvis|viss) (jeg|eg|han|hun|ho) (ikke|ikkje) "
            r"(våknet|vakna|var her|fantes)",
            r"gjøre noe dumt",
            r"gjere noko dumt",
            r"livstrett\w*",
            r"lei av (å leve|livet)",
            r"dødsønske\w*",
            r"tanker om å (dø|døy)",
            r"mørke tanker",
            r"tenker (mye )?på døden",
            r"selvmord\w*",
            r"sjølvmord\w*",
            r"sjølmord\w*",
            r"suicid\w*",
            r"ta livet (sitt|mitt|av seg|av meg)",
            r"tok livet (sitt|av seg)",
            r"dør i forsøket",
            r"døy i forsøket",
            r"(vil|ville|ønsker) (å )?dø(?! (på|hjemme|heime|i fred|i ro|naturlig|med verdighet))",
            r"(vil|ville) (ikke|ikkje) leve",
            # the same in the perfect and past ("I perioder har jeg ikke ønsket å leve", "dager
            # der jeg ikke har orket å leve"), and a wish to disappear said of oneself
            r"(ikke|ikkje) (har |hadde )?(ønsket|ønska|ønskt|villet|orket|orka|giddet) (å )?leve",
            r"(jeg|eg) (\w+ )?vil (bare |berre )?forsvinne$",
            r"vil (jeg|eg) (bare |berre )?forsvinne$",
            r"(skal|kommer til å) (dø|døy)\b(?! (av|alene|aleine|på sykehjem\w*|hjemme|heime))",
            r"(ønske|ønsker|ønskje|håper|håpar) (at )?(morgendagen|i morgen|dagen i morgen) "
            r"(ikke|ikkje) (må|skal|vil) komme",
            # issue #18: no point any more, tired of living, "I can't take any more"
            r"(ikke|ikkje|itj) (er )?(noe |noko |nokon )?vits "
            r"(lenger|lengre|meir|mer|med noe|med noko)",
            r"(det|d) (er|e) (ikke|ikkje|itj) (noe |noko )?vits$",
            r"(ikke|ikkje) (er )?(noe |noko )?vits$",
            r"(sliten|trøtt|trøytt|lei|ferdig|mett) (av|med) (å leve|livet)",
            r"(jeg|eg|æ|e|je) (orker|orke|orkar|klarer|klarar|greier) (ikke|ikkje|itj) (mer|meir)$",
            r"(ingen|ikkje noko|ikke noen) (\w+ )?grunn til å (fortsette|halde fram|holde ut)$",
            r"(aldri|ikke|ikkje) (mer|meir|lenger) (være|vere) (et |eit |en |ei )?"
            r"(problem|byrde|til bry) for (noen|nokon|dere|alle)",
            r"(jeg|eg|æ) (\w+ ){0,3}?(er|e) (ikke|ikkje|itj) her (lenger|meir|mer)",
            r"(har|ha) (det )?(ikke|ikkje) (vondt|vont) (lenger|meir|mer) snart",
            # wishing not to wake up, not to live, to end it; "won't be here" (issue #18:
            # indirect wording, written by the team, not from the real sets)
            r"(best|bedre|greiast|greiare|lettest|lettere|lettare) (\w+ ){0,3}?(om|hvis|viss|at) "
            r"(jeg|eg|æ|han|hun|ho) (ikke|ikkje|itj) (våknet|vakna|våkner|vaknar|våkne|vakne)",
            r"(orker|orke|orkar|klarer|klarar|greier|gidder|gidd) (ikke|ikkje|itj) (å |a )?leve"
            r"(?! (med|et|eit|sammen|saman|uten|utan|under|slik at|sånn at))",
            r"(ikke|ikkje|itj) (\w+ )?lyst (til |på )?(å |a )?leve"
            r"(?! (med|et|eit|sammen|saman|uten|utan|under|slik at|sånn at))",
            r"(gi|gir|gitt|ga) opp livet",
            r"(tenker|tenkjer|tenkt|vurderer|vurdert|tenkte) (\w+ )?på å avslutte "
            r"(livet|(det|alt|det hele|det heile)(?= (nå|no|snart|i kveld|i natt)|$))",
            r"(snart|straks) (\w+ )?(ikke|ikkje) (er|være|vere) her",
            r"(ikke|ikkje) (kommer til å|kjem til å|skal) (være|vere) her (lenger|lengre|meir|mer)",
            r"(trenger|treng|trenge) (ikke|ikkje) (å |a )?(bekymre|uroe|tenke) (\w+ ){0,2}?"
            r"(for|på) (meg|ham|han|henne|ho) (lenger|lengre|meir|mer)",
            r"ingen (vei|veg) ut",
            r"ingen utvei",
            # disappearing for good
            r"(forsvinne|forsvinner|bli borte|blir borte|vere borte|være borte) "
            r"(for godt|for alltid)",
            r"ønske (om |å )(å )?forsvinne",
            r"(best|bedre|greiast|greiare|lettest|lettere|lettare) (\w+ ){0,2}?(å |a )?"
            r"(ikke|ikkje) (være|vere) (her|til)",
            r"(tanken|tanker|tenkt|tenker|tenkte|tenkjer) (\w+ ){0,2}?(på|om) å (gjøre|gjere) "
            r"slutt på (alt|livet|det hele|det heile|meg selv|meg sjølv)",
            r"(tenker|tenkt|tenkte|tenkjer) (\w+ ){0,2}?på å (bare |berre )?(kjøre|kjøyre) "
            r"(av|utfor|ut av) (veien|vegen)",
            r"(ikke|ikkje) (\w+ ){0,2}?(noen|nokon) (\w+ )?grunn til å (fortsette|leve|halde fram|"
            r"holde ut)(?! (med|på) )",
            # more ways of saying it (written for the probes of tests/safety/test_risk.py):
            # an attempt before and the fear of another, preparations and a farewell note,
            # no meaning, hopelessness, wanting away from it all or for it to end, not knowing
            # whether someone is alive
            r"(redd|livredd|frykter) (for at )?(hun|han|ho|hu) (skal )?(prøver|prøve|forsøker|"
            r"forsøke|gjør det|gjer det) (igjen|på nytt)",
            r"(trenger|treng) (ikke|ikkje) (å |a )?bry (oss|dere|dykk|seg) (\w+ )?om "
            r"(meg|ham|han|henne|ho) (lenger|lengre|meir|mer)",
            r"(skrevet|skrive|skreiv|skrev) (\w+ )?brev til (alle|hver|kvar)",
            r"(lei|leit) for alt",
            r"livet (\w+ )?(ikke|ikkje) (har )?(noen|nokon|noe|noko) (mening|meining|verdi)",
            r"(alt|livet) (er|virker|verkar|føles|kjennes) (\w+ )?(håpløst|meningsløst|"
            r"meiningslaust)",
            r"(vil|ville|ønsker|ønskjer) (bare |berre )?(bort|vekk) (fra|frå) alt",
            r"(vil|ville|ønsker) (bare |berre )?at (det|alt) (skal )?(ta|tek) slutt",
            r"slippe (å |a )?(våkne|vakne|leve|være her|vere her)",
            r"(legge|leggje|legg) (meg|seg|meg bare|meg berre) (ned )?og (dø|døy)\b",
            r"(vet|veit) (ikke|ikkje) om (han|hun|ho) (lever|er i live|lever lenger)",
        ),
    ),
    (
        "overdose",
        _rx(
            r"(redd|livredd|frykter|engstelig) (\w+ ){0,8}?(alkoholforgift\w*|forgift\w*|"
            r"overdose\w*|dø|døy|dør|ulykke)",
            r"alkoholforgift\w*",
            r"(blander|blandar|blanda|blandet|tar|tek) (\w+ ){0,2}?(piller|tabletter|tablettar|"
            r"medisiner|medisinar|sovemedisin\w*) (og|med) (alkohol|sprit|drikke|drikking)",
            # sleeping pills, benzodiazepines or opioids with alcohol
            r"(sovepiller|sovetabletter|sovemedisin\w*|benzo\w*|xanax|vival|valium|sobril|"
            r"rivotril|stesolid|imovane|zopiklon|opioid\w*|metadon|subutex|oxy\w*|morfin\w*|"
            r"tramadol|fentanyl) (\w+ ){0,4}?(alkohol|vin|sprit|øl|drikker|drikk\w*|fyll\w*)",
            r"(ruse|ruser|drikke|drikker) (seg|meg) (i hjel|til (han|hun|ho|jeg|eg) (dør|døyr))",
            # pills taken with drink (overdoses someone has had are history: tests/safety's
            # crisis.tsv counts "har hatt overdoser før" as no danger now)
            r"(tar|tek) (\w+ ){0,2}?(piller|tabletter|tablettar) (\w+ ){0,3}?(og|med) "
            r"((drikker|drikk) (\w+ )?(i tillegg|attåt|mye|alkohol|sprit|vin|øl|seg full)|"
            r"alkohol|sprit|vin|øl)",
        ),
    ),
    (
        "medical",
        _rx(
            r"(liv|livet) (\w+ ){0,3}?(står|er) i fare",
            r"underernær\w*",
            r"spiser (nesten )?(ikke|ikkje)",
            r"(spiser|et) (hun|han|ho|hu|hen) (nesten )?(ikke|ikkje)",
            r"(sluttet|slutta) (å |a )?(spise|ete)",
            r"(ikke|ikkje) (spist|ete|ett|drukket) (noe |noko )?på (flere|fleire|mange|\w+) "
            r"(dager|døgn|dagar)",
            r"(redd|livredd) (\w+ ){0,4}?(for (livet|at (han|hun|ho|hen) dør))",
            # issue #18: illnesses that put a life at risk while they last (a psychosis,
            # anorexia): the safety lines belong on top (past ones: _LONG_PAST)
            r"psykotisk\w*",
            r"i (en |ein )?(\w+ )?psykose",
            r"psykosen (\w+ )?(igjen|nå|no|er)",
            r"anoreksi\w*",
            r"anorektisk\w*",
            # signs of a psychosis or mania told in plain words
            r"hører stemmer",
            r"høyrer stemmer",
            r"vrangforestilling\w*",
            r"paranoid\w*",
            r"manisk\w*",
            r"(sover|sovet|sove) (ikke|ikkje) på (flere|fleire|mange|\w+) (døgn|netter|netter)",
        ),
    ),
    (
        "violence",
        _rx(
            r"trusler\w*",
            r"truende",
            r"blåmerker",
            # abuse done or suffered ("mishandler", "ble mishandlet", "utsatt for mishandling
            # fra"), not the word in a list of what is taboo ("familietragedier, mishandling og
            # sykdom er fortsatt tabubelagt")
            r"mishandl(?!ing\b)\w*",
            r"mishandling (av|fra|frå|hjemme|heime|i hjemmet|i heimen)",
            r"(utsatt|utsett|offer|ofre) for (\w+ )?mishandling",
            r"raseriutbrudd\w*",
            r"psykisk vold",
            # abuse named as such, also of money (an elderly or demented person's pension
            # taken by a relative: Vern for eldre's ground)
            r"(er|var|blir|ble|vart) (et |eit )?(økonomisk\w* )?overgrep",
            r"økonomisk\w* (misbruk|overgrep|utnytting|utnyttelse|utnytt\w*)",
            r"utsatt for (\w+ )?overgrep",
            r"kontrollerende",
            r"kontrollbehov",
            r"vold (hjemme|heime|i familien|i hjemmet|i heimen|mot (meg|oss|mamma|mor))",
            r"voldelig mot",
            r"valdeleg mot",
            r"redd for (ham|han|pappa|far|faren|mannen)",
            # aggression towards people, things thrown or broken,
            # a shelter or a restraining order (issue #18: violence told without "slår")
            r"(aggressiv|aggressive|truende|utagerende) (\w+ ){0,2}?(mot|overfor) (meg|oss|mamma|"
            r"mor|pappa|far|henne|ham|han|barna|ungene|familien|kona|mannen)",
            r"(kaster|kastet|kasta|knuser|knuste|knust|slenger|slengte) (\w+ ){0,2}?ting",
            r"slo (\w+ )?(hull i|i) (veggen|døra|døren|bordet)",
            r"krisesenter\w*",
            r"besøksforbud\w*",
            # a police case for violence ("en x-kjæreste som er under etterforskning for vold",
            # "jeg anmeldte ham for vold")
            r"(under etterforskning|under etterforsking|etterforskes|etterforsket|siktet|tiltalt|"
            r"dømt|domfelt|anmeldt) (\w+ ){0,2}?for (\w+ )?(vold\w*|mishandling|trusler|overgrep)",
            r"(anmeldt|anmeldte|anmelder|anmelde|meldt|meldte) (ham|han|henne|ho|mannen|faren|"
            r"pappa|eksen|\w+ (min|mi)) (\w+ )?for (\w+ )?(vold\w*|mishandling|trusler|overgrep)",
            r"voldsalarm\w*",
            r"tør (ikke|ikkje) gå ut av rommet",
            r"glas\w* (vert|blir|ble) knust",
            # violence said as a change or a threat, and fear of it
            r"(begynt|begynte|byrja|byrjar) (å |a )?(slå|sparke|dytte|kvele|lugge|true) "
            r"(meg|oss|henne|ham|han|mamma|mor|pappa|far)",
            r"(dreper|drep|slår|slår i hjel) (han|hun|ho) (meg|oss|deg|henne|ham|barna|ungene)",
            r"holdt (meg|henne|mamma|mor|oss) fast",
            r"(knuste|knuser|tok|tar|gjemte|gjemmer) (\w+ )?(telefonen|mobilen) (min|mi|hennes|vår)"
            r" (\w+ ){0,4}?(ringe|ringt)",
            r"(sover|ligger|sitter) med (døra|døren|dora) låst",
            r"(redd|redde|livredd) (for )?(hva|kva) (han|hun|ho|pappa|far|mannen|faren) (\w+ )?"
            r"(kan|kunne) (finne på|gjøre|gjere)",
            r"låser (meg|oss) inne (på|i) (rommet|badet|soverommet|do)",
            r"(er|blir|vert|ble|var) (så )?(slem|sint|farlig|aggressiv|voldelig|valdeleg|voldsom|"
            r"truende) når (han|hun|ho|pappa|mamma|far|mor|\w+) ((er|blir|vert|var|ble) "
            r"(full|fulle|rusa|ruset|beruset|drukken|påvirket|påverka)|drikker|drakk|har drukket|"
            r"ruser seg)",
            r"kontrollerer (alt|meg|henne|oss)",
            # fights at home, the police called home, violence said as a trait that goes on
            # (written from a synthetic check of violence at home told in passing)
            r"(slåssing|slåsskamp\w*|håndgemeng\w*) (\w+ ){0,2}?(hjemme|heime)",
            r"(krangling|krangel) og (slåssing|slåsskamper)",
            r"politiet (\w+ ){0,2}?(hjemme|heime) (hos oss|hos meg|hos mamma|hos pappa)",
            r"(er|har vært|har vore|blir|vert) (så |veldig |svært )?(voldelig|valdeleg)",
            r"(kniv|kniver|våpen|øks|balltre) (\w+ ){0,2}?(under (senga|puta|sengen|puten)|i lomma|"
            r"på rommet sitt)",
        ),
    ),
    (
        "child_unsafe",
        _rx(
            r"omsorgssvikt\w*",
            r"(mor|mora|moren|far|faren|mamma|pappa|foreldre\w*) (\w+ ){0,4}?"
            r"(synlig )?(beruset|ruset|rusa|drukken)",
            r"(er|var|blir|ble|vart) full (\w+ ){0,3}?(hver|kvar|hele|heile|på dagtid)",
            r"(beruset|ruset) (\w+ ){0,3}?på dagtid",
        ),
    ),
    ("suicide", _EMPTY_PLACE),
)
# Signals that are danger only in a context the whole message gives (issue #18: fear that
# someone may come to harm, said without any danger word): (kind, the sentence's words, what
# the whole message must all have: a pattern, or a condition the situation reader finds,
# bot/understanding/situation.py, the one home of "what it is about").
_FEAR = _rx(r"redd\w*", r"livredd\w*", r"frykt\w*", r"bekymr\w*", r"engstel\w*", r"urolig\w*")
_CONCERN_IN_CONTEXT = (
    (
        # in a story of a mental illness, someone losing hope that life can be good ("det er
        # vanskelig å være tilskuer til at ungdommen mister håpet om at livet kan bli bra": a
        # mother of a teenager with an eating disorder, on a waiting list for BUP)
        "suicide",
        _rx(r"(mister|mistet|miste|mista|misser) (\w+ )?(håpet|trua|troen) (om|for|på) (at )?"
            r"(livet|fremtiden|framtida|framtiden)"),
        ("psykisk_lidelse",),
    ),
    (
        # someone who uses drugs or drinks is gone, or silent, for days
        "overdose",
        _rx(
            r"(borte|forsvunnet|forsvunne|forsvinner|vekk|ute) (i |på )?(\w+ ){0,2}?"
            r"(dager|døgn|dagar|netter)",
            r"(ikke|ikkje|itj) (hørt|høyrt|fått svar|fått tak i \w+) (\w+ ){0,3}?(på|i) "
            r"(\w+ )?(dager|døgn|dagar)",
        ),
        ("rus",),
    ),
    (
        # a relapse after prison, detox or treatment (tolerance is low: overdoses follow),
        # injecting, fear that someone will take too much
        "overdose",
        _rx(
            r"(ut av|ut fra|ut frå|løslatt|sluppet ut|utskrevet fra|utskriven frå|kommet hjem fra) "
            r"(\w+ )?(fengsel\w*|fengsle\w*|avrusning\w*|behandling\w*|institusjon\w*)",
            r"(lav|lavere|redusert|lågare) toleranse",
            r"toleransen (er|hans|hennes) (\w+ )?(lav|lavere|redusert|borte)",
            r"injiser\w*(?! (\w+ )?(insulin\w*|medisin\w*|vaksine\w*|blodfortynn\w*))",
            r"(setter|satt|sette) (\w+ )?sprøyt\w*(?! (med |mot )?(insulin\w*|vaksine\w*))",
            r"(fant|funnet|finner) (\w+ ){0,2}?sprøyter",
            r"(redd|livredd|frykter) (\w+ ){0,4}?(ta|tar|tek) for mye",
        ),
        ("rus", _rx(r"igjen", r"sprukket", r"sprakk", r"sprekk", r"tilbakefall\w*",
                    r"sprøyter", r"for mye", r"heroin", r"opioid\w*")),
    ),
    (
        # afraid that someone who uses drugs or drinks will not wake up (after surgery the
        # same words are no overdose: hence the context)
        "overdose",
        _rx(r"(redd|livredd|frykter|engstelig) (\w+ ){0,4}?(ikke|ikkje) "
            r"(våkner|vaknar|våkne|vakne)"),
        ("rus",),
    ),
    (
        # a seriously ill psychiatric patient sent home too early, and the writer afraid
        "medical",
        _rx(
            r"utskrevet",
            r"utskriven",
            r"utskrevne",
            r"skrevet ut",
            r"skrives ut",
            r"skrive(s)? (\w+ )?ut",
            r"bli utskrevet",
            r"sendt hjem",
            r"sendes hjem",
        ),
        (_rx(r"tvang\w*", r"psykos\w*", r"psykotisk\w*", r"manisk\w*", r"mani",
             r"alvorlig psykisk syk\w*", r"alvorleg psykisk sjuk\w*"), _FEAR),
    ),
)
_CONCERN_UNLESS = _rx(
    r"kurs\w*",
    r"foredrag\w*",
    r"forebygg\w*",
    r"\w*oppgave\w*",
    r"forsk\w*",
    r"film\w*",
    r"serie",
    r"pensum",
    r"studer\w*",
    r"statistikk\w*",
    r"bok",
    r"boka",
    r"boken",
    r"lest",
    r"leser",
    r"artikkel\w*",
)
# Suicide or self-harm named as what a text, a talk or a film is about ("Dette kunne vært et
# innlegg om selvmord. Men det er det ikke." – a daughter's text on her mother, who died):
# a subject, not a danger, unless the sentence also says something of now or of the writer.
_ABOUT_A_TEXT = _rx(
    r"(innlegg|innlegget|innlegga|tekst|teksten|artikkel\w*|kronikk\w*|bok|boka|boken|"
    r"film\w*|serie\w*|foredrag\w*|roman\w*|dikt\w*|podkast\w*|dokumentar\w*) "
    r"(\w+ ){0,2}?(om|handler om|handlar om) (\w+ ){0,2}?(selvmord|sjølvmord|sjølmord|"
    r"selvskad\w*|sjølvskad\w*)",
)


def _only_a_subject(canon: str) -> bool:
    """Suicide or self-harm named only as what a text is about (_ABOUT_A_TEXT), with nothing
    of now or of a worry in the sentence."""
    return bool(_ABOUT_A_TEXT.search(canon) and not _NOW.search(canon)
                and not _WORRY.search(canon))


# Someone has died: talk of a past suicide or death is grief, not danger.
_BEREAVED = _rx(
    r"(tok|tatt|teke) (livet|live) (sitt|sit|av seg)",
    r"tok sitt eget liv",
    r"begikk",
    r"etter (et |eit )?(selvmord|sjølvmord)\w*",
    r"i selvmord",
    r"i sjølvmord",
    r"etterlatt\w*",
    r"mistet",
    r"mista",
    r"sorg\w*",
    r"døde",
    r"døydde",
    r"begravelse\w*",
)


def _past_only(sent: str) -> bool:
    """A sentence that places what it tells long ago (a year, "for fem år siden", "som
    tenåring") and says nothing of now."""
    return bool((_LONG_PAST.search(sent) or _YEAR_PAST.search(sent)) and not _NOW.search(sent)
                and not _PLAN_NOW.search(sent))


# A year told as the time of what happened ("i 2013", "sommeren 2019"), not a future one
_YEAR_PAST = _rx(r"(i|sommeren|høsten|våren|vinteren|julen|jula) (19\d\d|20[01]\d|202[0-5])")
# what makes a past attempt a danger again now
_PLAN_NOW = _rx(r"igjen", r"på nytt", r"plan\w*", r"planlegg\w*", r"denne gangen")

# Long past: "som tenåring", "for mange år siden", "da jeg var yngre".
_LONG_PAST = _rx(
    r"som (tenåring|barn|ung|ungdom|liten|yngre)",
    r"da (\w+ )?(var|vart) (yngre|liten|ung)",
    r"for (\w+ ){0,2}år (siden|sidan)",
    r"flere år (siden|sidan)",
    r"for lenge (siden|sidan)",
    r"i mange år",
    r"fri for det",
    r"har det (godt|bra) nå",
    r"rusfri\w*",
    r"(har vært|har vore) (frisk|rusfri|fri)\w*",
    r"går bra nå",
    r"gått bra",
    # issue #18: well again now ("nå har jeg det bra", "det har snudd", "glad tobarnsmor i dag")
    r"(nå|no|i dag) (har|er|e) (jeg|eg|han|hun|ho|hu) (\w+ ){0,3}?(det bra|det godt|det fint|frisk|"
    r"stabil|glad|mye bedre)",
    r"(har|har jeg|har han|har hun|har ho|har eg) det (bra|godt|fint|stabilt) (nå|no|i dag)",
    r"(har|hat) det snudd",
    r"det har snudd",
    r"(er|e) (en |ei )?glad \w+ i dag",
    r"(sluttet|slutta) (å )?(skade|kutte|risse) (seg|meg)(?! (\w+ ){0,10}?(igjen|på nytt))",
    r"bedringen",
    r"som \w+åring",
    r"i (ungdomsårene|tenårene|tenåra|ungdomsåra)",
    r"da (jeg|eg|han|hun|ho) (gikk|gjekk) på "
    r"(barneskolen|ungdomsskolen|ungdomsskulen|videregående)",
)
# The whole message tells that the ill person is well again or the family safe now ("anoreksien
# slapp taket", "vi fikk jenta vår tilbake", "nå, når livet er trygt og rolig"): the illness it
# names (anorexia, a psychosis, mania) is history, unless a sentence says it is there now.
_RECOVERED = _rx(
    r"(slapp|har sluppet|sleppte|slepte) (\w+ )?taket",
    r"(fikk|fått) (jenta|gutten|datteren|dottera|sønnen|sonen|mamma|pappa|mor|far|"
    r"\w+ (vår|vårt|min|mi|mitt)) (\w+ )?tilbake",
    # drug-free now ("broren min er rusfri", "har holdt seg rusfri i to år")
    r"(er|e|blitt|vorte|vært|vore|holdt seg|held seg) (\w+ ){0,2}?rusfri\w*",
    r"livet (er|e) (\w+ )?(trygt|rolig|godt|bra)",
    r"(er|e) livet (\w+ )?(trygt|rolig|godt|bra)",
    r"(er|e|ble|vart|har blitt|har vorte) (\w+ )?(helt |heilt )?frisk (igjen|nå|no|i dag)",
    r"(nå|no|i dag) (er|e) (hun|han|ho|hu|mamma|pappa|mor|far) (\w+ )?(helt |heilt )?frisk",
)
# Something that goes on still (a long past told together with it is not over)
_STILL = _rx(r"fortsatt", r"framleis", r"fremdeles", r"ennå", r"enno", r"pågår")
_NOW = _rx(r"nå", r"no", r"i dag", r"fortsatt", r"framleis", r"fremdeles",
          r"(er|e|blir|blitt) (\w+ ){0,2}?igjen")
_CHILD_CONTEXT = _rx(
    r"barn\w*",
    r"ungdom\w*",
    r"ungen\w*",
    r"jenta",
    r"gutten",
    r"borna",
    r"datter\w*",
    r"sønn\w*",
    r"venninne\w*",
    r"lillebror\w*",
    r"lillesøster\w*",
)


# The lexicon category each kind of signal is graded as (medical danger: `acute`).
_SIGNAL_CATEGORY = {
    "self_harm": "self_harm",
    "suicide": "suicide",
    "overdose": "overdose",
    "medical": "acute",
    "violence": "violence",
}


@lru_cache(maxsize=8)
def recovered(text: str) -> bool:
    """Whether the message tells that the ill person is well again (read once per message)."""
    return bool(_RECOVERED.search(canonical(text)))


@lru_cache(maxsize=8)
def told_death(text: str) -> bool:
    """Whether the message tells of a death that happened (read once per message)."""
    return tells_of_death(fold(text))


def _in_general(canon: str) -> bool:
    """A sentence about people in general that names no one: not the writer, not a person
    the writer speaks of ("unge mennesker", "folk", "de fleste", "noen tar sitt eget liv")."""
    if _FIRST_PERSON_WISH.search(canon):
        return False
    if _GENERALLY.search(canon):
        return True
    if _THIRD_PERSON.search(canon):
        return False
    return bool(_PEOPLE_IN_GENERAL.search(canon) or _ANYONE.search(canon))


def _told_suicide_not_self(text: str, canon: str) -> bool:
    """The message tells of a suicide that happened and this sentence does not speak of the
    writer: its talk of that suicide (or that person's crisis) is history, not a danger now."""
    return not _FIRST_PERSON.search(canon) and suicide_told(text)


@lru_cache(maxsize=8)
def suicide_told(text: str) -> bool:
    """Whether the message tells of a suicide that happened (read once per message)."""
    return tells_of_suicide(fold(text))


def concern_signal(text: str, young: bool = False) -> Optional[Risk]:
    """A `concern` from the signals above, or from the lexicon without its "past" exceptions
    (self-harm or a suicide attempt some time ago, violence that has happened), or None."""
    whole = canonical(text)  # once: not per sentence (linear time)
    young = young or _writer_hurt_at_home(text)
    conditions: list = []  # the situation reader's, read once and only when needed

    def has(context: Union[str, KeyedRegex]) -> bool:
        """A context of the whole message: a pattern, or a condition the situation reader
        finds (bot/understanding/situation.py)."""
        if isinstance(context, str):
            if not conditions:
                conditions.append(find_conditions(fold(text)))
            return context in conditions[0]
        return bool(context.search(whole))

    old = past_lexicon().detect(text)
    if old is not None:
        for sent in sentences(text) or [text]:
            match = past_lexicon().detect(sent)
            if match is not None and match.category in ("suicide", "self_harm", "violence"):
                if _LONG_PAST.search(whole):
                    break
                canon = canonical(sent)
                if match.category == "suicide" and _told_suicide_not_self(text, canon):
                    continue  # the suicide that happened, told as history: grief
                if _only_a_subject(canon):
                    continue  # the subject of a text
                danger = _danger(match.category, canon, whole, young)
                return Risk(CONCERN, danger, "past", sent)
    for sent in sentences(text) or [text]:
        canon = canonical(sent)
        # (long ago, unless the sentence also says it goes on: "i mange år, og det skjer
        # fortsatt")
        if (_CONCERN_UNLESS.search(canon) or (_LONG_PAST.search(canon) and not _STILL.search(canon))
                or _only_a_subject(canon)):
            continue
        for kind, pattern in _CONCERN_SIGNALS:
            if not pattern.search(canon):
                continue
            if kind == "suicide" and (_BEREAVED.search(canon) or tells_of_death(fold(sent))):
                continue
            # the empty chair at the table in a message that tells of a death is the dead one's
            if pattern is _EMPTY_PLACE and told_death(text):
                continue
            # talk of people in general ("hører om selvmord hos unge mennesker", "regnes det
            # ikke som mishandling når mennesker ikke får dekket sine behov"), naming no one
            if _in_general(canon):
                continue
            # a sentence that tells how someone died ("endte med å ta sitt eget liv etter å ha
            # gått inn i en psykose") tells of that person's illness as history
            if (kind in ("medical", "overdose") and not _FIRST_PERSON.search(canon)
                    and tells_of_death(fold(sent))):
                continue
            # an illness or a drug use the message tells is over (recovered, safe now), unless
            # the sentence says it is now or the writer speaks of their own wish to die
            if (kind in ("medical", "overdose", "suicide") and not _NOW.search(canon)
                    and not _FIRST_PERSON_WISH.search(canon) and recovered(text)):
                continue
            # a message that tells of a suicide that happened: talk of that person's crisis
            # ("hun var i en selvmordskrise") is their history, unless the writer speaks of
            # themself
            if kind == "suicide" and _told_suicide_not_self(text, canon):
                continue
            if kind == "child_unsafe":
                if not (young or _CHILD_CONTEXT.search(whole)):
                    continue
                return Risk(CONCERN, "violence_child", "signal", sent)
            category = _SIGNAL_CATEGORY[kind]
            return Risk(CONCERN, _danger(category, canon, whole, young), "signal", sent)
        for kind, pattern, context in _CONCERN_IN_CONTEXT:
            if pattern.search(canon) and all(has(c) for c in context):
                category = _SIGNAL_CATEGORY[kind]
                return Risk(CONCERN, _danger(category, canon, whole, young), "signal", sent)
    return None


def concern_from_score(text: str, young: bool = False) -> Risk:
    """A `concern` for a message the learned layer flagged and the lexicon did not:
    the danger from its words (violence, overdose) or whose life it is about."""
    canon = canonical(text)
    if _VIOLENCE_WORDS.search(canon):
        category = "violence"
    elif _OVERDOSE_WORDS.search(canon):
        category = "overdose"
    else:
        category = "suicide"
    return Risk(CONCERN, _danger(category, canon, canon, young), "classifier", text)


def grade(
    text: str, young: bool = False, lexicon: Optional[CrisisLexicon] = None
) -> Optional[Risk]:
    """The risk in a message, or None when the lexicon finds no danger."""
    lexicon = lexicon or default_lexicon()
    whole_match = lexicon.detect(text)
    if whole_match is None:
        return None
    young = young or _writer_hurt_at_home(text)
    whole = canonical(text)
    best: Optional[Risk] = None
    history = False  # a match read as the history of a suicide that happened
    for sent in sentences(text) or [text]:
        match = lexicon.detect(sent)
        if match is None:
            continue
        canon = canonical(sent)
        if (match.category in ("suicide", "self_harm") and not match.strong
                and _only_a_subject(canon) and not _FIRST_PERSON_WISH.search(canon)):
            history = True  # the subject of a text, not a danger (nor for the whole message)
            continue
        # in a message that tells of a suicide that happened, a sentence that tells it ("for
        # til slutt å velge livet bort ved å henge seg") or talks of people in general ("dagen
        # noen tar sitt eget liv"), naming neither the writer nor anyone alive now, is history
        if (match.category in ("suicide", "self_harm") and not _NOW.search(canon)
                and not _WORRY.search(canon) and _told_suicide_not_self(text, canon)
                and (tells_of_suicide(fold(sent)) or _in_general(canon))):
            history = True
            continue
        strong = match.strong
        risk = Risk(
            _level(match.category, canon, strong),
            _danger(match.category, canon, whole, young),
            match.category,
            sent,
        )
        # at the same level, the danger the writer says of themself is the one to answer
        # ("i 2013 prøvde jeg å ta mitt eget liv", after a sentence on a series character's
        # suicide): their own text, not the worry for someone else
        if (best is None or (risk.level == ACUTE and best.level != ACUTE)
                or (risk.level == best.level and risk.said_of_self and not best.said_of_self)):
            best = risk
        if best.level == ACUTE:  # nothing later can change it
            break
    if best is None and not history:  # only the whole message matches (the danger spans
        best = grade_whole(text, young, whole_match)  # sentences)
    return best


@lru_cache(maxsize=8)
def _writer_hurt_at_home(text: str) -> bool:
    """The writer tells of being hit at home or by a parent ("Hva gjør jeg når jeg blir slått
    hjemme?", a girl of 16 who gave no age): read as young, so a child at risk, whose reply in
    adult mode also gives adults Vold- og overgrepslinjen (the situation reader's reading)."""
    return hurt_at_home(fold(text))


def grade_whole(
    text: str, young: bool = False, match: Optional[CrisisMatch] = None
) -> Optional[Risk]:
    """The risk of the message read as one whole, without the sentence-by-sentence pass of
    `grade` (a few regex searches: cheap on long texts). `match`: the lexicon's match on
    `text` when already known."""
    match = match or default_lexicon().detect(text)
    if match is None:
        return None
    young = young or _writer_hurt_at_home(text)
    canon = canonical(text)
    return Risk(
        _level(match.category, canon, match.strong),
        _danger(match.category, canon, canon, young),
        match.category,
        text,
    )
