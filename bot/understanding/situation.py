"""Reading a whole message: the ask in it, and the situation it tells.

Real relatives rarely write one question. They tell a story over many sentences and ask
once, often at the end, sometimes without a question mark. This module splits a message
into sentences and finds

- the **asks**: question or request sentences ("Hva kan jeg gjøre?", "Jeg lurer på om …",
  "trenger råd"); the answer is chosen for them, not for every word of the story;
- the **situation**: who writes (adult or young, a stated age), who the message is about and
  how they relate to the writer (mor, far, voksent barn, partner, …), what it is about (rus,
  psykisk lidelse, demens, kreft, …) and whether the writer is worn out (strain).

Pure functions over the text, no Rasa or spaCy: the NLU component
(`bot.nlu.situation.SituationReader`) runs it in the Rasa server for slots and the `custom`
block; the answer action reads its output from the parse data. Word lists are in Bokmål and
Nynorsk with common dialect and typo forms, matched on folded text (lower case, æ→ae, ø→o,
å→a), so "dottera mi", "sønnen min" and "sonnen min" are all found.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Tuple

ADULT_AGE = 18


def fold(text: str) -> str:
    """Lower case, æ→ae, ø→o, other accents dropped; å is kept ("får" is not "far")."""
    text = unicodedata.normalize("NFC", (text or "").lower())
    for src, dst in (("æ", "ae"), ("ø", "o"), ("å", "\x00")):
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).replace("\x00", "å")


def _words(*forms: str) -> str:
    return r"\b(?:" + "|".join(forms) + r")\b"


# --- sentences and asks ---------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|(?<=[.!?])(?=[A-ZÆØÅ])")

# Question words at the start of a sentence (Bokmål, Nynorsk, dialect).
_QUESTION_START = re.compile(
    r"^\s*(?:og |men |så |eller )?(?:"
    + _words(
        "hva",
        "kva",
        "ka",
        "hvordan",
        "korleis",
        "koss",
        "kossen",
        "åssen",
        "hvorfor",
        "kvifor",
        "korfor",
        "hvor",
        "kor",
        "hvem",
        "kven",
        "kem",
        "hvilke",
        "hvilken",
        "finnes",
        "fins",
        "finst",
        "vet noen",
        "veit nokon",
        "når",
        "mon tro",
    )
    + "|"
    + _words(
        "kan",
        "kann",
        "har",
        "skal",
        "ska",
        "bør",
        "burde",
        "får",
        "må",
        "ma",
        "gjelder",
        "er",
        "e",
        "vil",
        "blir",
    )
    + r"\s+(?:det|jeg|eg|e|æ|vi|me|man|ein|en|du|dere|noen|nokon|han|hun|ho|de|dei|hen|"
    r"mamma|pappa|mor|far|barnet|barna|pårørende|pårørande|kommunen|nav|legen|fastlegen)\b)",
)
# Request phrases anywhere in a sentence.
_REQUEST = re.compile(
    _words(
        r"lurer p[aå]",
        r"lure p[aå]",
        r"trenger (?:noen )?(?:råd|hjelp|tips)",
        r"treng (?:råd|hjelp)",
        r"onsker (?:råd|hjelp)",
        r"vil (?:gjerne )?vite",
        r"vil gjerne ha (?:råd|hjelp)",
        r"noen (?:tips|råd)",
        r"nokon (?:tips|råd)",
        r"hva (?:gjor|gjer|skal) (?:jeg|eg|vi)",
        r"kva (?:gjer|skal) eg",
        # the same asked indirectly, subject first ("vanskelig for deg å svare på hva vi skal
        # gjøre den dagen pleiepengene reduseres", "hvordan vi da skal ha råd til medisinene")
        # (only "skal": "hva jeg kan gjøre" is as often told as asked)
        r"(?:hva|kva) (?:jeg|eg|vi|me) (?:\w+ )?skal (?:\w+ )?(?:gjore|gjere)",
        r"(?:hvordan|korleis) (?:jeg|eg|vi|me) (?:\w+ )?skal (?:\w+ )?"
        r"(?:ha råd|klare|greie|få|fa|finne)",
        r"hjelp meg",
        r"er usikker p[aå]",
        r"vet ikke hva",
        r"veit ikkje kva",
        r"vet ikke hvordan",
        r"veit ikkje korleis",
        r"vet ikke hvor",
        r"takknemlig for (?:svar|råd|tips)",
        r"setter pris p[aå] (?:svar|råd)",
        r"gi meg (?:et )?råd",
        r"sporsmålet (?:mitt )?er",
    )
)


def sentences(text: str) -> List[str]:
    """The message's sentences (line breaks and . ! ? … end a sentence)."""
    parts = _SENTENCE_END.split((text or "").strip())
    return [p.strip() for p in parts if p and p.strip()]


def is_ask(sentence: str) -> bool:
    """A question or a request sentence."""
    s = sentence.strip()
    if s.endswith("?"):
        return True
    folded = fold(s)
    return bool(_QUESTION_START.match(folded) and len(folded.split()) >= 3) or bool(
        _REQUEST.search(folded)
    )


def asks(text: str) -> List[str]:
    """The ask sentences of a message, in order (empty when it asks nothing)."""
    return [s for s in sentences(text) if is_ask(s)]


# --- who the message is about -----------------------------------------------------------

# canonical relation -> patterns (folded text). Order matters only for ties.
RELATION_PATTERNS: Tuple[Tuple[str, str], ...] = (
    (
        "mor",
        _words(
            "mamma\\w*",
            "mor",
            "moren",
            "mora",
            "mora mi",
            "moder",
            "mutter\\w*",
            "mamaen",
            "mammaen",
        ),
    ),
    ("far", _words("pappa\\w*", "far", "faren", "faderen", "fatter\\w*", "paps")),
    ("forelder", _words("foreldre\\w*", "foreldra", "foreldrene")),
    (
        "partner",
        _words(
            "mannen min",
            "min mann",
            "mannen",
            "min kone",
            "mi kone",
            "ektemann\\w*",
            "kona",
            "kona mi",
            "kone\\w*",
            "samboer\\w*",
            "sambo\\w*",
            "kjaereste\\w*",
            "ektefelle\\w*",
            "partner\\w*",
            "typen min",
            "dama mi",
            "husbond\\w*",
        ),
    ),
    (
        "barn",
        _words(
            "sonn\\w{0,3}",
            "son\\w{0,2} min",
            "sonen",
            "sonnen",
            "datter\\w*",
            "dotter\\w*",
            "dottera",
            "jenta mi",
            "jenta min",
            "jenten min",
            "jenta var",
            "gutten min",
            "guttene mine",
            "jentene mine",
            # "min gutt skal ikke på ungdomsskolen": only with the possessive before (a bare
            # "en jente" is often a girl in the writer's class)
            "min gutt",
            "min jente",
            "vår gutt",
            "vår jente",
            "gutten var",
            "barnet\\w*",
            "barna mine",
            "barna vare",
            "ungen\\w*",
            "ungdommen min",
            "tenaringen\\w*",
        ),
    ),
    (
        "sosken",
        _words(
            "bror\\w*",
            "broren",
            "brodern",
            "soster\\w*",
            "sostera",
            "syster\\w*",
            "lillebror\\w*",
            "storebror\\w*",
            "lillesoster\\w*",
            "storesoster\\w*",
            "sosken\\w*",
        ),
    ),
    (
        "besteforelder",
        _words(
            "bestemor\\w*",
            "bestefar\\w*",
            "mormor",
            "morfar",
            "farmor",
            "farfar",
            "besta\\w*",
            "oldemor",
            "oldefar",
        ),
    ),
    (
        "venn",
        _words(
            "venn\\w{0,3}",
            "venninne\\w*",
            "venninna",
            "kompis\\w*",
            "bestevenn\\w*",
            "bestevenninne\\w*",
            "klassekamerat\\w*",
        ),
    ),
    (
        # the wider family: a nephew who lives with the writer's sister is not the sister
        "annen",
        _words(
            "nevo\\w*",
            "niese\\w*",
            "tantebarn\\w*",
            "onkel\\w*",
            "tante\\w*",
            "fetter\\w*",
            "kusine\\w*",
            "svoger\\w*",
            "svigerinne\\w*",
            "sviger\\w+",
        ),
    ),
)
_RELATION_RE = tuple((rel, re.compile(p)) for rel, p in RELATION_PATTERNS)
# "voksen sønn", "sønnen min på 25", "datteren (30)": a grown-up child
_ADULT_CHILD = re.compile(
    r"\b(?:voksen|voksne|vaksen|vaksne)\s+(?:sonn|son|datter|dotter|barn|gutt|jente)\w*|"
    # (each optional word takes the whitespace after it: adjacent `\s*` would backtrack in
    # cubic time over a run of spaces)
    r"\b(?:sonn|son|datter|dotter|gutt|jente)\w*\s+(?:(?:min|mi|mitt|vår)\s*)?"
    r"(?:(?:på|som er|er)\s*)?\(?(?:1[89]|[2-6]\d)\)?(?!\d)|"
    # "en 43 år gammel sterkt utviklingshemmet datter": the age before the child, up to two
    # words between
    r"\b(?:1[89]|[2-6]\d)\s+(?:år|ar)\s+(?:gammel|gamal|gamle)\s+(?:\w+\s+){0,2}?"
    r"(?:sonn|son|datter|dotter|gutt|jente)\w*"
)

# A grown child told of, the writer's own or anyone's ("sitt eget voksne barn", "når
# ungdommen fyller 18 år"): texts for parents of a child under 18 do not answer.
_GROWN_CHILD_TOLD = re.compile(
    r"\b(?:fyller|fylte|har fylt|er fylt|blir|ble|er over|over) 18(?: år| ar)?\b|"
    r"\b(?:voksne|vaksne) (?:barn|born|sonn\w*|dotre|dottrer|dotrer)\b"
)


def tells_of_grown_child(folded: str) -> bool:
    """Whether a (folded) text speaks of a child who is grown up (18 or older)."""
    return bool(_ADULT_CHILD.search(folded) or _GROWN_CHILD_TOLD.search(folded))


# --- what it is about -------------------------------------------------------------------

CONDITION_PATTERNS: Tuple[Tuple[str, str], ...] = (
    (
        "rus",
        _words(
            "rus\\w*",
            "ruse\\w*",
            "rusa",
            "rusmisbruk\\w*",
            "rusproblem\\w*",
            "misbruk\\w*",
            "drikk\\w*",
            "drikke\\w*",
            "drekk\\w*",
            "drakk",
            "alkohol\\w*",
            "alkis\\w*",
            # "fylla", "fylleri" (not "fylles", "fylle ut", "fyller 18")
            "fylla",
            "fylleri\\w*",
            "fyllesyk\\w*",
            "fyllesjuk\\w*",
            "fyllik\\w*",
            "fyllefest\\w*",
            "fyllekule\\w*",
            "full",
            "fulle",
            "promille",
            "narkotika",
            "narko(?!se)\\w*",
            "hasj\\w*",
            "cannabis",
            "marihuana",
            "weed",
            "dop\\w*",
            "amfetamin",
            "kokain",
            "heroin",
            "stoff",
            "piller og alkohol",
            # "avhengig av hjelp / av meg / av pustemaskin" is dependence, not addiction
            "avhengig\\w*(?! av (?!(?:alkohol|rus|piller|tabletter|hasj|narkotika|dop|spill|"
            "pengespill|kokain|heroin|amfetamin|sprit|medisin|smertestillende|sovemedisin|"
            "morfin|benzo|snus|gaming|nett|sosiale medier)))",
            "avhengighet\\w*",
            "tablettmisbruk",
            "spill\\w*avhengig\\w*",
            "pengespill\\w*",
            "bakfull",
            "vin hver dag",
            "ol hver dag",
            "royker hasj",
            "overdose\\w*",
        ),
    ),
    (
        "psykisk_lidelse",
        _words(
            # not "både fysisk og psykisk" (strain or violence), a developmental disability
            # ("psykisk utviklingshemmet"), the writer's own strain ("psykisk sliten"), nor
            # violence ("psykisk vold")
            r"(?<!fysisk og )(?<!fysisk eller )psykisk\w*(?! (?:og|eller) fysisk)"
            r"(?! utviklingshem)(?! (?:sliten|slitne|belast\w*|krevende|tungt|tung|toft|"
            r"påkjenning\w*|utmattet|utmatta|vold\w*|mishandl\w*|terror)\b)",
            "psykose\\w*",
            "psykotisk\\w*",
            "schizofren\\w*",
            "bipolar\\w*",
            "maniske?",
            "depresjon\\w*",
            "deprimert\\w*",
            "angst\\w*",
            "spiseforstyrr\\w*",
            "anoreksi\\w*",
            "bulimi\\w*",
            "personlighetsforstyrr\\w*",
            "borderline",
            "ustabil personlighet\\w*",
            "dps",
            "psykiatri\\w*",
            # compounds: "alderspsykiatrien", "akuttpsykiatrisk", "barnepsykiatrien"
            "\\w+psykiatri\\w*",
            "psyk",
            "paranoid\\w*",
            "hører stemmer",
            "horer stemmer",
            "selvskad\\w*",
            "ocd",
            "adhd",
        ),
    ),
    (
        "demens",
        _words(
            "demen\\w*",
            "dement\\w*",
            "alzheimer\\w*",
            "glemsk\\w*",
            "hukommelse\\w*",
            "husker ikke",
            "husker ikkje",
            "hugsar ikkje",
            # a failing mind, not a mind said to be well ("kognitivt velfungerende", "kognitiv
            # frisk": a child with a physical disability) nor a therapy ("kognitiv terapi")
            r"kognitiv\w* (?:svikt\w*|svek\w*|funksjonssvikt\w*|reduser\w*|endring\w*|"
            r"forfall\w*|utfall\w*)",
            r"redusert kognitiv\w*",
        ),
    ),
    (
        "kreft",
        _words(
            "kreft(?!er\\b|ene\\b)\\w*",  # not "krefter" (strength)
            "cancer",
            "svulst\\w*",
            "cellegift\\w*",
            "stralebehandling\\w*",
            "leukemi\\w*",
            "lymfom\\w*",
            "metastas\\w*",
            "tumor\\w*",
        ),
    ),
    (
        "hjerneslag",
        _words(
            "hjerneslag\\w*",
            "(?:fått|fikk|fekk|hatt) (?:et |eit )?slag",
            "drypp\\w*",
            "afasi\\w*",
            "hjerneblodning\\w*",
            "hjerneskade\\w*",
        ),
    ),
    (
        "utviklingshemming",
        _words(
            "utviklingshemm\\w*",
            "psykisk utviklingshemm\\w*",
            "autis\\w*",
            "downs\\w*",
            "funksjonshemm\\w*",
            "funksjonsnedsett\\w*",
            "multifunksjonshemm\\w*",
            "cerebral parese",
            "cp",
        ),
    ),
    (
        "alder",
        _words(
            "sykehjem\\w*",
            "sjukeheim\\w*",
            "hjemmetjeneste\\w*",
            "heimeteneste\\w*",
            "hjemmesykepleie\\w*",
            # not an age ("18 år gammel") or an older sibling ("eldre bror")
            r"(?<!år )gammel",
            r"(?<!år )gamle",
            r"eldre(?! (?:bror|broren|soster|sosteren|sosken|sonn|sonnen|datter|barn|barna))",
            "alderdom\\w*",
            "skrop\\w*",
        ),
    ),
    (
        "somatisk",
        _words(
            "als",
            "ms",
            "parkinson\\w*",
            "hjertesvikt",
            "hjerteinfarkt\\w*",
            "kols",
            "diabetes",
            "nyresvikt",
            "epilepsi\\w*",
            "revma\\w*",
            "kronisk\\w*",
            "alvorlig syk\\w*",
            "alvorleg sjuk\\w*",
            "sjelden diagnose\\w*",
            "sjeldne? sykdom\\w*",
            "ulykke\\w*",
            "operasjon\\w*",
        ),
    ),
)
_CONDITION_RE = tuple((c, re.compile(p)) for c, p in CONDITION_PATTERNS)
# "drikke" in "drikke nok vann", "full" in "full jobb": not about substance use
_RUS_FALSE = re.compile(
    r"\b(?:drikke|drikker|drikk) (?:nok|vann|vatn|melk|mjolk|saft|kaffe|te|naering\w*)\b|"
    r"\bfull\w* av\b|"
    # "full" before a noun is "complete" ("full omsorg", "full jobb", "full forståelse"); drunk
    # is said "er full", "full igjen", "full hver helg"
    r"\bfull (?!(?:og|hver|kvar|igjen|att|på|i|nå|no|hele|heile|om|etter|da|når|og)\b)\w+"
)
# A suicide told as a death that happened ("tok livet sitt", "sønnens selvmord", "bror sitt
# selvmord", "endte opp med å ta sitt eget liv", "berørt av selvmord")
_SUICIDE_DEATH_FORMS = _words(
    r"tok (?:livet|live) (?:sitt|sit|av seg)",
    # the subject after the verb ("i fjor tok min 16 år gamle bror livet sitt")
    r"tok (?:\w+ ){1,5}?(?:livet|live) (?:sitt|sit|av seg)",
    r"tok (?:sitt|sit) (?:eget|eige) liv",
    # "bror endte livet sitt", "hun avsluttet livet", "valgte å ta sitt eget liv": past tense,
    # told (a wish, "jeg vil ende livet", is no death)
    r"(?:endte|avsluttet|avslutta) (?:livet|live)\b",
    r"valgte (?:å|a) (?:avslutte livet|ende livet|ta (?:livet|live) (?:sitt|sit|av seg)|"
    r"ta (?:sitt|sit) (?:eget |eige )?liv)",
    r"(?:dode|dodde|doydde) (?:av|i|ved) (?:selvmord|sjolvmord)",
    # "mistet min mann ved selvmord", "døde min bror, også han ved selvmord": by suicide
    r"ved (?:selvmord|sjolvmord)",
    # a life chosen away, told ("valgte livet bort", "for til slutt å velge livet bort ved å
    # henge seg"), as "greide til slutt å" above
    r"valgte livet bort",
    r"til slutt (?:å|a) (?:velge livet bort|henge seg|ta livet (?:sitt|av seg)|"
    r"ta sitt (?:eget )?liv)",
    r"endte (?:opp )?med (?:å|a) ta (?:sitt|sit) (?:eget |eige )?liv",
    r"(?:greide|klarte|lyktes) (?:\w+ ){0,2}?(?:å|a) (?:avslutte livet|ta livet (?:sitt|av seg)|"
    r"ta sitt (?:eget )?liv)",
    r"(?:begikk|begjekk) (?:selvmord|sjolvmord)",
    r"selvmordet",
    r"sjolvmordet",
    r"(?:etter|siden|sidan) (?:\S+ ){0,2}?(?:selvmord|sjolvmord)(?:et)?",
    r"\w+s (?:selvmord|sjolvmord)",
    r"\w+ (?:sitt|sin|hans|hennes) (?:selvmord|sjolvmord)",
    r"(?:berort|berorte|råka|rammet|ramma|rammede) (?:\w+ )?(?:av|ved) (?:et |eit )?"
    r"(?:selvmord|sjolvmord)",
)
_SUICIDE_DEATH = re.compile(_SUICIDE_DEATH_FORMS)
_DEATH = re.compile(
    _words(
        "dode",
        "doydde",
        # not "nesten død" (nearly dead)
        r"(?<!nesten )(?<!halvt )dod",
        "dau",
        "daud",
        # not walking over somewhere ("gikk bort til naboen")
        r"(?:gikk|gjekk) bort(?! (?:til|fra|mot|for|og|igjen|derfra|dit|hit|på)\b)",
        # the same with the subject after the verb, and in the perfect ("i mars gikk mamma
        # bort", "to av dem har gått bort"), not walking over somewhere
        r"(?:gikk|gjekk) (?:mamma|pappa|mor|far|mora|faren|moren|han|hun|ho|hu|\w+ (?:min|mi))"
        r" (?:stille |fredelig |rolig )?bort(?! (?:til|fra|mot|for|og|igjen|derfra|dit|hit|på)\b)",
        r"(?:gått|gatt) bort(?! (?:til|fra|mot|for|og|igjen|derfra|dit|hit|på)\b)",
        # "mor sitt liv tok slutt", "livet hans tok slutt"
        r"liv(?:et)? (?:\w+ )?tok slutt",
        # "sykdommen tok hennes liv", "kreften tok livet av ham"
        r"tok (?:hennes|hans|hennar|deres|deira) liv\b",
        r"tok livet (?:av|fra|frå) (?:henne|ham|han|ho|hu)\b",
        # "mistet" a person, not sight, a hearing aid or a job
        # (not "mistet han den videre språktreningen": a subject after the verb, then what
        # was lost)
        # (nor "mistet seg selv": losing oneself)
        # (not "miste": the fear of losing someone alive, "redd for å miste ham")
        # (nor "nesten mistet henne", "mistet ham nesten": a near-loss)
        r"(?<!nesten )(?:mistet|mista) (?!(?:seg|meg|oss) (?:selv|sjol|sjolv)\b)"
        r"(?!\w+ (?:nesten|nesta)\b)"
        r"(?!(?:han|hun|ho|hu|vi|de|dei|jeg|eg) (?:den|det|dei|de|sin|si|"
        r"sitt|sine|all|alt|mye|noe|noko)\b)(?!(?:synet|hørselen|horselen|\w*apparat\w*|jobben|jobb|"
        r"arbeidet|troen|motet|kontrollen|kontakten|lappen|førerkortet|forerkortet|nøklene|"
        r"noklene|telefonen|mobilen|lysten|gleden|gleda|matlysten|appetitten|hukommelsen|"
        r"minnet|taleevnen|evnen|retten|plassen|huset|penger|pengene|alt|mye|oversikten|"
        r"balansen|bevisstheten|grepet|tilliten|håpet|hapet|tråden|traden|pusten|vekt|"
        r"fotfestet|også)\b)\w+",
        "begravelse\\w*",
        "gravferd\\w*",
        "etterlatt\\w*",
        # issue #18: how real stories tell a death ("far har akkurat dødd", "første høsten
        # uten min mann")
        "dodd",
        # not falling asleep somewhere ("sovnet inn på sofaen")
        r"(?:sovnet|sovna) (?:stille |rolig |fredelig )?inn"
        r"(?! (?:på|foran|til|under|mens|med|ved)\b)",
        r"avdod\w*",
        "enkemann",
        "enke",
        "enkje",
        r"minnestund\w*",
        r"bisettelse\w*",
        # a death told as an event (a suicide: _SUICIDE_DEATH)
        _SUICIDE_DEATH_FORMS,
        "omkom",
        r"forulykk\w*",
        r"dodsfall\w*",
        "gravlagt",
        # where the dead are, and what follows a death ("ved graven", "mamma er i himmelen")
        r"(?:ved|på|til) (?:graven|grava|gravstedet|kirkegården|kyrkjegarden)",
        r"gravstein\w*",
        # a death by overdose, told (not a suicide: "mor til et overdoseoffer", "døde av en
        # overdose")
        r"overdoseoffer\w*",
        r"overdosedod\w*",
        r"(?:dode|dodde|doydde|omkom) (?:\w+ )?(?:av|i|etter) (?:en |ei )?overdose\w*",
        # Nynorsk past tense with its subject ("eg miste bror min for ti veker sidan"), never
        # the infinitive of a fear ("redd for å miste mamma")
        r"(?:eg|jeg|vi|me|ho|hu|han|hun|dei|de) miste (?:\w+ )?(?:bror|broren|syster|"
        r"systera|soster|mor|mora|far|faren|mamma|pappa|son|sonen|sonn|dotter|dottera|"
        r"datter|mannen|kona|sambuaren|kjaerasten|\w+ (?:min|mi|mitt))\b",
        # "over på de evige jaktmarker"
        r"(?:de|dei) evige jaktmarke\w*",
        r"(?:er|e) i himmelen",
        "bisatt",
        r"urnen",
        r"obduksjon\w*",
        r"dodsattest\w*",
        r"(?:lever|levde) (?:ikke|ikkje) (?:lenger|lenge)(?! (?:hjemme|heime|alene|aleine|sammen))",
        "begravet",
        "begravd",
        r"(?:ikke|ikkje) lenger (?:er )?(?:i live|blant oss)",
        r"(?:forste|fyrste) (?:jula|julen|jul|hosten|sommeren|varen|vinteren|bursdagen|aret|"
        r"julaften|julaftenen) (?:uten|utan) (?:min|mi|mitt|mine|mamma|pappa|mor|far|ham|henne|"
        r"han|ho)",
        # how memorials and grief letters tell a death: "tapte kampen mot kreften", "en av de
        # 800 som årlig rives vekk fra livet", "Så har også du forlatt oss, mamma" (one
        # addressed who left us: a parent who left the family is told in the third person),
        # "trakk sitt siste åndedrag", "hvil i fred", "minneord"
        r"tapte kampen (?:mot|for)",
        r"(?:rives|revet|reve|reven|rive) (?:\w+ )?(?:vekk|bort) (?:fra|frå) (?:livet|oss)",
        r"(?:har|hadde) (?:(?:også|ogsa|nå|na|no) )?(?:du|dere) (?:\w+ )?forlatt (?:oss|meg)",
        r"(?:siste|sitt siste) (?:åndedrag|andedrag|åndedrett|andedrett)",
        r"hvil i fred",
        r"kvil i fred",
        r"minneord\w*",
    )
)

# A letter of thanks ("tusen takk til alle dere på avdelingen", "vi vil med dette takke dere",
# "eg vil seie tusen takk"), not a thank-you for an answer
_THANKS = re.compile(
    r"\b(?:(?:tusen|tuusen|stor|hjertelig|varm|en stor|ein stor)\s+)?takk\s+til\b|"
    r"\b(?:vil|ville|kan|må)\s+(?:\w+\s+){0,2}?takke\b|"
    r"\b(?:vi|jeg|eg|me)\s+(?:vil\s+)?(?:takker|takkar)\b|\btusen,?\s+tusen\s+takk\b"
)

# A complaint about a service: a refusal, a decision, a cut or a discharge the story tells of,
# or a complaint made or meant ("fikk avslag", "vedtaket", "kommunen kuttet i avlastningen",
# "ble sendt hjem", "klagen til Statsforvalteren"); not "jeg klager ikke" (issue #18: stories
# of a refused service were given a text on something else, with no word on how to complain).
_COMPLAINT = re.compile(
    r"(?<!ikke )(?<!ikkje )\bavslag\w*|\bavsl[aå]tt\w*|\bavslo\b|\bavslår\b|\bvedtak\w*|"
    r"(?<!ikke )(?<!ikkje )(?<!ikke å )\bklag(?:e|et|de|a|esak\w*|en|ene|emulighet\w*|"
    r"eadgang\w*|efrist\w*)\b(?! ikke)|\bstatsforvalter\w*|\bfylkesmann\w*|\btrygderett\w*|"
    r"\bank(?:et|en|esak\w*|ede)\b|\bombud\w*|\bsendt hjem\b|"
    r"\bsendte (?:ham|han|henne|ho|oss|meg|dem|mor|far|mamma|pappa) hjem\b|"
    r"\bskrevet ut (?:sent|midt|for tidlig|klokka|kl\.?)|"
    # "skulle sendes fra sykehuset i ambulanse om kvelden"
    r"\bsendes (?:hjem|fra (?:sykehuset|sjukehuset))\b|"
    # a cut in a service, never in the skin ("kuttet i armen")
    r"\bkutt(?:er|et|e|ene)? (?:i|ned på) (?:\w+ )?(?:avlastning\w*|tilbud\w*|timer|"
    r"tjenest\w*|stotte\w*|plass\w*|bemanning\w*|budsjett\w*|dagtilbud\w*|assistan\w*|"
    r"hjemmehjelp\w*|hjemmetjenest\w*|bpa)\b|"
    r"\bfikk (?:et )?nei\b|\bikke (?:ble )?innvilget\b|"
    r"\bfikk (?:ikke|ikkje) (?:innvilget|plass|tilbud)\b"
)

_STRAIN = re.compile(
    _words(
        r"(?:orker|orkar|klarer|greier|klarar) (?:ikke|ikkje|ikkj|itj|ik) "
        r"(?:mer|meir|lenger|dette|alt|mer av dette)",
        r"(?:helt|heilt|totalt|så) (?:utslitt|utbrent|tom|knust|sliten|utmatta|utmattet)",
        r"utslitt\w*",
        r"utbrent\w*",
        r"utmatt\w*",
        r"sliten",
        r"fortvil\w*",
        r"maktesl\w*",
        r"desperat\w*",
        r"haplos\w*",
        r"går på veggen",
        r"gått på veggen",
        r"på felgen",
        r"gråter",
        r"gret",
        r"grein",
        r"ensom\w*",
        r"ingen å snakke med",
        r"alene om",
        r"sover ikke",
        r"sover dårlig",
        r"orker",
        r"tappet",
        r"kjenner meg tom",
    )
)

_AGE_PATTERNS = (
    re.compile(
        r"\b(?:jeg|eg|e|ae|je)(?: er|e| e)\s+(\d{1,2})\b(?!\s*(?:kg|kilo|timer|dager|uker|%))"
    ),
    re.compile(
        r"\b(?:jeg|eg|ae)\s+(?:er\s+)?(?:ei |en |ein )?(?:jente|gutt|person)\s+"
        r"(?:på\s+)?(\d{1,2})\b"
    ),
    re.compile(r"^\s*(?:jente|gutt|j|g|k|m)\s?(\d{1,2})\b"),
    re.compile(r"\b(?:jeg|eg)\s+(?:er|e)\s+(\d{1,2})\s*(?:år|aar)\b"),
    # a self-description opening a sentence: "En jente på 13 år."
    re.compile(r"(?:^|[.!?]\s+)(?:en|ei|ein) (?:jente|gutt) på (\d{1,2}) år"),
    # the signature of a letter to a Q&A column, at the very end: "Jente, 15", "gutt 16 år",
    # "Hilsen meg (12)", "Kvinne, 45 år", "Kvinne, 45 år fra [sted]"
    re.compile(
        r"(?:^|[\s.!?])(?:jente|gutt|kvinne|mann|dame|(?:hilsen|helsing) [\w ]{1,20}?),?\s+"
        r"\(?(\d{1,2})\)?(?:\s*(?:år|aar))?(?:,? (?:fra|frå|i) [\w\[\] -]{1,30})?[\s.!]*$"
    ),
    # "I en alder av 17 år har jeg ..."
    re.compile(r"\bi en alder av (\d{1,2}) år,? (?:har|er|fikk|ble|vart) (?:jeg|eg)\b"),
)
# A young writer says so in the present tense: "jeg går i 9. klasse", "eg går på ungdomsskulen".
# (An adult remembering "da jeg gikk på ungdomsskolen", or a parent writing about a child's
# class, is not young: a wrong young mode is worse than a missed one.)
_YOUNG_CUES = re.compile(
    r"\b(?:jeg|eg|æ|ae) går (?:i|på) (?:\d{1,2}\.? ?klasse|ungdomsskol\w*|ungdomsskul\w*|"
    r"barneskol\w*|barneskul\w*|videregående|vgs|vg ?[123])|"
    # a pupil's own class, teacher, school and school life; a writer who calls themself a
    # teenager; the parents who must not know (issue #18: young writers who state no age)
    r"\b(?:i|fra|frå) klassen min\b|\bklassen min (?:vet|veit|vil|er|har)\b|"
    r"\bklassekamerat\w* (?:min|mine)\b|\b(?:kontakt)?laereren min\b|\blaeraren min\b|"
    r"\bpå (?:skolen|skulen) min\b|\bfriminutt\w*|\bskoleball\w*|\blekse(?:ne|r)? mine\b|"
    r"\b(?:jeg|eg) skal (?:konfirmere|konfirmerast)\b|\bkonfirmasjonen min\b|"
    r"\btok (?:en|ein) tenåring\b|\b(?:jeg|eg|ae) (?:er|e) (?:bare )?(?:en |ei |ein )?"
    r"(?:tenåring|ungdom)\b|\b(?:vi|oss) (?:ungdommer|ungdomar|tenåringer|tenåringar)\b|"
    r"\b(?:foreldrene mine|foreldra mine|mamma og pappa) (?:vet|veit) (?:ikke|ikkje|ingenting)\b|"
    # the school year in words, the school nurse as one's own, living week about with parents,
    # calling oneself a child
    r"\b(?:jeg|eg|ae) går i (?:femte|sjette|sjuende|syvende|åttende|niende|tiende|"
    r"\d{1,2}\.?) (?:klasse|trinn|klasse\w*)\b|\b(?:jeg|eg|ae) går i (?:åttende|niende|tiende)\b|"
    r"\bhelse(?:soster|sykepleier\w*|sjukepleiar\w*) på (?:skolen|skulen)\b|"
    r"\bannenhver (?:uke|helg|veke) (?:hos|med) (?:mamma|pappa)\b|"
    r"\b(?:jeg|eg|ae) (?:er|e) (?:jo |bare |berre ){0,2}(?:et|eit) barn\b|"
    # one's own school day as a struggle ("tenke at jeg kanskje ikke klarer å gå på skolen
    # imorgen": a boy of 17)
    r"\b(?:jeg|eg|ae) (?:\w+ ){0,2}?(?:klarer|klarar|orker|orkar|greier|gidder|rekker) "
    r"(?:ikke |ikkje )?(?:å )?(?:gå|dra|kome|komme) (?:på|til) (?:skolen|skulen)\b"
)

# ... unless the writer says they are a teacher, a parent or another adult role ("Jeg er
# lærer, og en elev i klassen min ...", "sønnen min"). Patterns are over folded text.
_ADULT_SELF = re.compile(
    r"\b(?:jeg|eg|ae) (?:er|e|jobber som|jobbar som) (?:\w+ )?(?:laerer|laerar|kontaktlaerer|"
    r"rektor|helsesykepleier|sykepleier|miljoterapeut|assistent|pensjonist|bestemor|bestefar|"
    r"mor|far|mamma|pappa)\b|\bsom (?:laerer|laerar|mor|far|forelder)\b|"
    r"\b(?:sonnen|sonen|datteren|dottera|barna|ungene|elevene|elevane) (?:min|mi|mine)\b|"
    r"\b(?:min|mi|mine) (?:sonn|son|datter|dotter|barn|unger|elever|elevar)\b"
)

# A grown-up life told in passing: one's own children, spouse, in-laws or grandchildren, a
# pension ("Jeg er mamma for mine to barn på ni år og seks måneder, samboer, ..."; "min
# svigermor"). A daughter grieving her mother's dementia was given the text for children of
# an ill parent. Over folded text.
_ADULT_CUES = re.compile(
    r"\b(?:mine|mina) (?:\w+ )?(?:barn|unger|born|sonner|dotre|dottrer)\b|"
    r"\b(?:barna|ungene|borna) (?:mine|mina|vare)\b|\bvare (?:to |tre |fire )?barn\b|"
    r"\b(?:mannen|kona|kone|ektemannen|ektefellen|samboeren|sambuaren) (?:min|mi)\b|"
    r"\b(?:min|mi) (?:mann|kone|ektemann|ektefelle|samboer|sambuar)\b|"
    # (one's own grandchildren, never "barnebarnet hennes": a grandchild may be young)
    r"\bsvigermor\w*|\bsvigerfar\w*|\bsvigerforeldr\w*|"
    r"\b(?:mine|mina) (?:barnebarn|oldebarn)\b|\b(?:barnebarna|oldebarna) (?:mine|mina)\b|"
    r"\b(?:jeg|eg) (?:er|ble|vart|blei) (?:pensjonist|uforetrygd\w*|enke|enkemann)\b"
)

# The writer is hit or hurt at home or by a parent ("Hva gjør jeg når jeg blir slått hjemme?",
# a girl of 16 who gave no age; "stefaren min slår meg"): a child's words, unless the message
# tells of an adult's life (_ADULT_SELF, _ADULT_CUES: a partner, one's own children) or of
# caring for a parent (a carer hit by a mother with dementia is an adult).
_HURT_AT_HOME = re.compile(
    r"\b(?:jeg|eg|ae|je) (?:blir|ble|vart|blei|har blitt|har vorte) (?:\w+ )?"
    r"(?:slått|slatt|banket|banka|denget|denga|sparket|sparka|lugget|lugga|mishandlet|"
    r"mishandla|kvalt|kvelt|dyttet|dytta|låst inne|innelåst) (?:\w+ ){0,2}?"
    r"(?:hjemme|heime|av (?:pappa|mamma|far|mor|"
    r"faren|moren|mora|foreldrene|foreldra|stefar\w*|stemor\w*|stepappa\w*|stemamma\w*))\b|"
    r"\b(?:pappa|mamma|stefar\w*|stemor\w*|stepappa\w*|stemamma\w*) (?:min |mi )?(?:\w+ )?"
    r"(?:slår|slo|sparker|sparka|lugger|lugga|denger|banker|banka) (?:meg|oss)\b"
)
_CARING_FOR = re.compile(
    r"\b(?:demens\w*|dement\w*|alzheimer\w*|sykehjem\w*|sjukeheim\w*|pleie\w*|steller|"
    r"stell\w*|hjemmetjenest\w*|heimeteneste\w*)"
)


def hurt_at_home(folded: str) -> bool:
    """Whether a (folded) message tells that its writer is hit or hurt at home or by a parent,
    with nothing of an adult's life or of caring for a parent (_HURT_AT_HOME): a child at
    risk (the situation's young writer; the crisis grading's `violence_child`)."""
    return bool(_HURT_AT_HOME.search(folded) and not _ADULT_SELF.search(folded)
                and not _ADULT_CUES.search(folded) and not _CARING_FOR.search(folded))


@dataclass
class Situation:
    """What a message tells about the writer's situation (empty fields: not told)."""

    writer: Optional[str] = None  # "adult" | "young" (None: not evident from the text)
    age: Optional[int] = None  # a stated age of the writer
    relation: Optional[str] = None  # the ill person's relation to the writer
    conditions: List[str] = field(default_factory=list)  # rus, psykisk_lidelse, demens, …
    strain: bool = False
    bereaved: bool = False  # someone has died
    thanks: bool = False  # a letter of thanks (to staff, a service)
    complaint: bool = False  # a refusal, decision, cut or discharge by a service is told
    asks: int = 0  # number of ask sentences
    sentences: int = 0
    chars: int = 0  # length of the message

    def as_dict(self) -> Dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], False)}

    @property
    def is_story(self) -> bool:
        """A message that tells a situation rather than only asking a short question."""
        return story_like(self.sentences, bool(self.relation or self.conditions), self.chars)


def mode_from_metadata(metadata: Optional[Dict[str, object]]) -> Optional[bool]:
    """True (young) / False (adult) when the client says which mode; None when it does not."""
    mode = str((metadata or {}).get("mode") or "").strip().lower()
    if mode in ("ung", "young"):
        return True
    if mode in ("voksen", "adult"):
        return False
    return None


def story_like(sentences: int, has_situation: bool, chars: int) -> bool:
    """A message that tells a situation rather than only asking a short question."""
    return sentences >= 3 or (sentences >= 2 and has_situation) or chars >= 160


# Ages written as words ("jeg er fjorten år"), Bokmål and Nynorsk, folded.
_AGE_WORDS = {
    "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
    "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19, "tjue": 20,
}
_AGE_IN_WORDS = re.compile(
    r"\b(?:jeg|eg|ae|je) (?:er|e) (?:bare )?(" + "|".join(_AGE_WORDS) + r")(?: år\b| aar\b|$|[.,!])"
)
# "14 år gammel", "en 15 år gammel jente", "14-åring" said of oneself
_AGE_OLD = re.compile(
    r"\b(?:jeg|eg|ae) (?:er|e) (?:en |ei |ein )?(\d{1,2})(?: år gammel| aar gammel|-?åring\b)"
)


# A death ahead, not one that happened: "når han er død", "etter at hun er død", "før mamma
# dør", "hvis han dør" (removed before a death is looked for)
_FUTURE_DEATH = re.compile(
    r"\b(?:når|nar|etter at|før|for|hvis|om|dersom|den dagen|til)\s+(?:\w+\s+){0,2}?"
    r"(?:(?:er|blir|e)\s+)?(?:dod|dor|døyr|doyr|doy|døydd|doydd)\b"
)
# A story of someone dying now or soon ("skal dø", "døende", "kort tid igjen", "på hospice"):
# there, planning a funeral, "etterlatte" and the like are what lies ahead, and only a death
# told as done ("døde", "gikk bort", "sovnet inn") is one (issue #18: a practical after-death
# checklist was given about someone alive and terminally ill)
_DYING_AHEAD = re.compile(_words(
    r"(?:skal|kommer til å|kjem til å|vil|ska) (?:snart |nok |trolig |sannsynligvis )?"
    r"(?:do|dø|doy|døy)",
    r"doende",
    r"døyande",
    r"doyande",
    r"terminal\w*",
    r"palliativ\w*",
    r"lindrende\w*",
    r"hospice",
    r"livets (?:slutt\w*|siste \w+)",
    r"(?:kort tid|ikke lenge|ikkje lenge|få (?:uker|dager|måneder)) igjen",
    r"uhelbredelig\w*",
    r"ligger for doden",
    r"(?:går|gar) mot slutten",
))
_AHEAD_OF_DEATH = re.compile(_words(
    "begravelse\\w*", "gravferd\\w*", "etterlatt\\w*", "dodsfall\\w*", "urnen",
    "obduksjon\\w*", "dodsattest\\w*", "minnestund\\w*", "bisettelse\\w*", "dod",
    r"(?:mistet|mista) (?:så|sa|mye|mykje|mange)",
))


def tells_of_death(folded: str) -> bool:
    """Whether a (folded) text tells of someone's death: the one home of that reading, also
    for the crisis grading (bot/safety/risk.py: talk of a suicide that happened is grief)."""
    text = _FUTURE_DEATH.sub(" ", folded)
    if not _DYING_AHEAD.search(text):
        return bool(_DEATH.search(text))
    return any(not _AHEAD_OF_DEATH.fullmatch(m.group(0).strip()) for m in _DEATH.finditer(text))


def tells_of_suicide(folded: str) -> bool:
    """Whether a (folded) text tells of a suicide that happened (a death, not a danger)."""
    return bool(_SUICIDE_DEATH.search(folded))


# Any talk of suicide, past or feared (the text for those bereaved by suicide is offered only
# to a story that has it)
_SUICIDE_TALK = re.compile(r"selvmord|sjolvmord|livet sitt|sitt eget liv|livet av seg|tok livet|"
                           r"ta livet")


def speaks_of_suicide(folded: str) -> bool:
    """Whether a (folded) text speaks of suicide at all."""
    return bool(_SUICIDE_TALK.search(folded))


# A loss while the person lives ("som å miste henne litt etter litt", "hun kjenner meg ikke
# lenger", "sorg mens han lever"): the grief of dementia, drug use or mental illness
_LOSS_WHILE_ALIVE = re.compile(_words(
    # (not of everyone's loved ones: "sorgen vi pårørende opplever ved å miste våre kjære litt
    # etter litt", what a course for relatives taught)
    r"(?<!vare kjaere )(?<!våre kjaere )(?<!sine kjaere )(?<!deira kjaere )(?<!deres kjaere )"
    r"(?:litt|bit|stykke) (?:etter|for) (?:litt|bit|stykke)",
    r"mens (?:han|hun|ho|hu|de|dei) (?:ennå |enno |fortsatt |framleis )?lever",
    r"(?:kjenner|kjenn) (?:meg|oss) (?:ikke|ikkje)",
    r"(?:kjenner|kjenn) (?:ikke|ikkje) (?:meg|oss)",
    r"(?:forsvinner|forsvinn|blir borte) (?:for|frå|fra) (?:meg|oss)",
    r"sorg mens",
    r"levende dod\w*",
    # "kjenner hun meg igjen?", "glemmer hvem jeg er", "husker meg ikke"
    r"(?:kjenner|kjenn) (?:han|hun|ho|hu) (?:meg|oss) (?:igjen|att)",
    r"glemmer hvem (?:jeg|eg|vi|me) er",
    r"(?:husker|hugsar|hugser) (?:ikke|ikkje) (?:meg|oss|hvem (?:jeg|eg) er)",
    r"(?:husker|hugsar|hugser) (?:meg|oss) (?:ikke|ikkje)",
    # "i ferd med å miste mormoren min", "mamma gradvis forsvinner", "er ikke lenger mamma"
    r"(?:i ferd med|holder på|held på) å miste (?:henne|ham|han|ho|mamma\w*|pappa\w*|mor\w*|"
    r"far\w*|bestemor\w*|bestefar\w*|mannen|kona|kjaeresten)",
    r"gradvis (?:forsvinn\w*|blir borte)",
    r"(?:forsvinn\w*|blir borte) (?:gradvis|litt og litt|mer og mer|sakte)",
    r"(?:er|e) (?:ikke|ikkje) (?:lenger|lengre) (?:mamma|pappa|mor|far|seg selv|seg sjolv|"
    r"den (?:han|hun|ho) var)",
))


def speaks_of_loss_while_alive(folded: str) -> bool:
    """Whether a (folded) text speaks of losing someone who lives."""
    return bool(_LOSS_WHILE_ALIVE.search(folded))


# Violence in a family or a couple, told ("Jeg vokste opp med vold", "kjæresten min begynte å
# bruke vold", "pappa slo mamma"): not "voldsom" (fierce), nor violence in the news
_VIOLENCE_TOLD = re.compile(_words(
    r"vold", r"volden", r"valden", r"vald",
    r"(?:partner|familie|samlivs|nære? relasjon\w*)vold\w*",
    r"voldelig\w*", r"valdeleg\w*", r"voldsutsatt\w*", r"voldsutover\w*",
    r"mishandl\w*",
    r"(?:slo|slår|slar|banket|banka|denget|denga|sparket|sparka) (?:meg|oss|mamma|mor|mora|moren|"
    r"henne|ho|kona|barna|ungene|borna)",
))


# An eating disorder told ("datteren vår har anoreksi", "spiseforstyrrelsen", "kaster opp all
# maten hun spiser" is not enough: an illness's sign, not its name)
_EATING_DISORDER = re.compile(_words(
    r"anoreks\w*", r"anorektisk\w*", r"bulimi\w*", r"bulimisk\w*", r"spiseforstyrr\w*",
    r"eteforstyrr\w*", r"spiseproblem\w*", r"overspisingslidelse\w*",
))


# ... not one told of other people's children ("andre om døtre som sliter med
# spiseforstyrrelser": what a mother heard from friends about theirs)
_OTHERS_CHILDREN = re.compile(
    r"\b(?:andre|andres|mange|flere|fleire|noen|nokon) (?:\w+ ){0,3}?"
    r"(?:dotre|døtre|dottrer|sonner|sønner|barn|born|ungdommer|ungdomar|jenter|gutter)\b"
)


@lru_cache(maxsize=8)
def speaks_of_eating_disorder(folded: str) -> bool:
    """Whether a (folded) text names an eating disorder of someone it is about."""
    return any(_EATING_DISORDER.search(s) and not _OTHERS_CHILDREN.search(s)
               for s in _SENTENCE_END.split(folded))


def speaks_of_violence(folded: str) -> bool:
    """Whether a (folded) text tells of violence in a family or a couple."""
    return bool(_VIOLENCE_TOLD.search(folded))


def stated_age(text: str) -> Optional[int]:
    folded = fold(text)
    for pattern in _AGE_PATTERNS + (_AGE_OLD,):
        m = pattern.search(folded)
        if m:
            age = int(m.group(1))
            if 5 <= age <= 99:
                return age
    m = _AGE_IN_WORDS.search(folded)
    if m:
        return _AGE_WORDS[m.group(1)]
    return None


def _first_positions(folded: str, table) -> Dict[str, int]:
    found: Dict[str, int] = {}
    for name, pattern in table:
        m = pattern.search(folded)
        if m:
            found[name] = m.start()
    return found


_POSSESSIVE = r"(?:min|mi|mitt|mine|vår|vårt|våre)"
_BEFORE_STRONG = re.compile(r"(?:\b" + _POSSESSIVE + r"|\b(?:har|med) (?:en|ei|et|ein|eit))\s+$")
_AFTER_STRONG = re.compile(r"^\s+" + _POSSESSIVE + r"\b")
# The writer describing themself ("jeg er mor til", "som far", "vi foreldre"): not the ill person.
_SELF_DESCRIPTION = re.compile(
    r"(?:\b(?:jeg|eg|æ|ae) (?:er|e) (?:en |ei |ein )?(?:\w+ )?|\bsom (?:en |ei )?|"
    r"\b(?:vi|oss|me) (?:som )?|"
    # becoming a parent ("så ble jeg mamma"), and asking for someone else ("jeg spør på vegne
    # av min mor, som har min bror boende"): the one who asks is not the ill person
    r"\b(?:ble|vart) (?:jeg|eg) |\b(?:jeg|eg) (?:ble|vart|har blitt) (?:en |ei )?|"
    r"\bpå vegne av (?:min |mi )?)$"
)
# Kin words Norwegians use without "min" for their own family ("Mor har demens").
_PARENT_WORDS = re.compile(
    r"^(?:mamma|pappa|mammaen|pappaen|mamman|pappan|mor|far|mora|faren|moren|bestemor|bestefar|"
    r"mormor|morfar|farmor|farfar|besta|bestemora|oldemor|oldefar)$"
)
_OTHERS = re.compile(r"^\s+(?:hennes|hans|deres|dykkar|til|sin|si|sitt|sine|din|di|ditt)\b")
# Someone else's kin ("sin mor", "barnets mor", "deres far"): not the writer's family.
_GENITIVE_BEFORE = re.compile(
    r"\b(?:sin|si|sitt|sine|hans|hennes|hennar|deres|dykkar|\w+(?:ets|ens|enes|as))\s+$"
)
# Both parents named together ("mamma og pappa", "mor/far"): the parents, not one of them;
# in a parent's story about their child it is how the writer names themself and the partner.
_PARENT_PAIR = re.compile(
    r"\b(mamma|mor|pappa|far)(?: og |/| eller | \+ )(mamma|mor|pappa|far)\b"
)


# A parent describing themself by their child ("Jeg er far til en 18 år gammel gutt", "eg er
# mor til to jenter"): the child is who the story is about.
_PARENT_OF = re.compile(
    r"\b(?:jeg|eg|æ|ae) (?:er|e) (?:en |ei |ein )?(?:\w+ )?(?:mor|far|mamma|pappa|forelder) "
    r"til (?:en|ei|et|ein|eit|to|tre|fire) (?:[\w-]+ ){0,4}?"
    r"(?:gutt|gutter|gutar|jente|jenter|sonn|sonner|son|soner|datter|dotter|dotre|"
    r"dottrer|barn|born|tenåring\w*|ungdom\w*)\b"
)


def _strong_mention(folded: str, start: int, end: int) -> bool:
    """A mention that names the ill person: possessive ("sønnen min", "min mor", "har en
    sønn") or mamma/pappa, and not the writer's description of themself."""
    before = folded[max(0, start - 30) : start]
    if _SELF_DESCRIPTION.search(before) or _GENITIVE_BEFORE.search(before):
        return False
    if re.search(r"\b" + _POSSESSIVE + r"\b", folded[start:end]):  # "min mann", "kona mi"
        return True
    after = folded[end : end + 10]
    if _OTHERS.match(after):
        return False
    if _BEFORE_STRONG.search(before) or _AFTER_STRONG.match(after):
        return True
    return bool(_PARENT_WORDS.match(folded[start:end]))


def find_relation(folded: str) -> Optional[str]:
    """Who the message is about, when it says so plainly: the relation with the most strong
    mentions (the first on ties); None when no mention is clear enough to name in a reply."""
    counts: Dict[str, Tuple[int, int]] = {}
    pairs = list(_PARENT_PAIR.finditer(folded))
    # where each parent word of a pair starts (a set: one lookup per mention, linear time)
    in_pairs = {m.start(g) for m in pairs for g in (1, 2)}
    for rel, pattern in _RELATION_RE:
        hits = [
            m.start()
            for m in pattern.finditer(folded)
            if not (rel in ("mor", "far") and m.start() in in_pairs)
            and _strong_mention(folded, m.start(), m.end())
        ]
        if rel == "barn":
            hits = sorted(hits + [m.start() for m in _PARENT_OF.finditer(folded)])
        if hits:
            counts[rel] = (len(hits), -hits[0])
    if pairs and "barn" not in counts:
        # the parents together, unless a parent writes about their child ("mamma og pappa
        # kan hvile litt" in a mother's story about her son)
        hits = [m.start() for m in pairs
                if not _GENITIVE_BEFORE.search(folded[max(0, m.start() - 30) : m.start()])]
        if hits:
            n, first = counts.get("forelder", (0, 0))
            counts["forelder"] = (n + len(hits), max(first, -hits[0]) if n else -hits[0])
    if not counts:
        return None
    rel = max(counts, key=lambda r: counts[r])
    if rel == "barn" and _ADULT_CHILD.search(folded):
        return "voksent_barn"
    return rel


# Confusion is read as dementia only when nothing else explains it: after an operation, with
# an infection or in a delirium it is acute confusion ("forvirret etter operasjonen").
_CONFUSED = re.compile(r"\bforvirr(?:et|a|ing)\b")
_ACUTE_CONFUSION = re.compile(
    r"\b(?:operasjon\w*|opererte?|narkose\w*|delir\w*|infeksjon\w*|feber|urinveis\w*|"
    r"lungebetennelse\w*|hjernerystelse\w*)"
)


def find_conditions(folded: str) -> List[str]:
    text = _RUS_FALSE.sub(" ", folded)
    found = _first_positions(text, _CONDITION_RE)
    if "demens" not in found:
        confused = _CONFUSED.search(text)
        if confused and not _ACUTE_CONFUSION.search(text):
            found["demens"] = confused.start()
    return [c for c, _ in sorted(found.items(), key=lambda kv: kv[1])]


def read(text: str, young_hint: Optional[bool] = None) -> Situation:
    """The situation a message tells. ``young_hint``: the conversation is in young mode."""
    folded = fold(text)
    sents = sentences(text)
    age = stated_age(text)
    writer: Optional[str]
    if age is not None:
        writer = "young" if age < ADULT_AGE else "adult"
    elif young_hint is not None:
        writer = "young" if young_hint else "adult"
    elif _YOUNG_CUES.search(folded) and not _ADULT_SELF.search(folded):
        writer = "young"
    elif hurt_at_home(folded):
        writer = "young"
    elif _ADULT_SELF.search(folded) or _ADULT_CUES.search(folded):
        writer = "adult"
    else:
        writer = None
    return Situation(
        writer=writer,
        age=age,
        relation=find_relation(folded),
        conditions=find_conditions(folded),
        strain=bool(_STRAIN.search(folded)),
        bereaved=tells_of_death(folded),
        thanks=bool(_THANKS.search(folded)),
        complaint=bool(_COMPLAINT.search(folded)),
        asks=sum(1 for s in sents if is_ask(s)),
        sentences=len(sents),
        chars=len(text or ""),
    )
