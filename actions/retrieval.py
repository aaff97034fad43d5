"""Which answer: the one place that decides what the bot answers to a message.

Inputs are a `Turn` (the message, the NLU's topic ranking and entities, the situation the
message tells, the conversation's current topic and article, a button's article) and the
knowledge base; the output is a `Decision`: answer with an article, say honestly that no
article answers (and still name the services that fit), ask a clarifying question, ask what
the message is about, or stay silent (after the crisis reply, when nothing else was asked).

The fallback order (first that applies):
1. a button names an article: that article;
2. after the crisis reply: the best article for what else was asked, or silence;
3. a follow-up keeps the current article unless its words point clearly elsewhere;
4. small talk and other non-content intents: their fixed article;
5. content: the NLU's three best topics compete and, within them, the text similarity of the
   **asks** (the question sentences; the whole message when it asks nothing explicitly) and of
   the whole message decide, with entities, the situation's conditions and keywords as
   tie-breakers; an article written for the other audience only loses;
6. a story no article clearly answers: the text with the main help for its situation, said
   to be that (`overview`), else an honest "no answer"; the same for the rest of a message
   after the crisis reply; for a short, ambiguous message, a clarifying question.

The answer and clarify actions, and every evaluation (tests/nlu/retrieval_eval.py,
tests/real/evaluate.py), call `decide`, so the figures measure the shipped decision.
Weights were tuned on development files only (tests/nlu/dev_articles.yml, the dev part of
tests/real/), never on held-out data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from actions.common import INTENT_TOPIC, TOPIC_INTENTS
from bot.safety.risk import recovered
from bot.understanding.situation import asks as find_asks
from bot.understanding.situation import (
    fold,
    speaks_of_eating_disorder,
    speaks_of_loss_while_alive,
    speaks_of_suicide,
    speaks_of_violence,
    story_like,
    tells_of_grown_child,
    tells_of_suicide,
)
from bot.understanding.situation import read as read_situation
from knowledge.text import detect_aspect

# Smalltalk intents and the knowledge-base article that answers each.
SMALLTALK_ARTICLES = {
    "greet": "smalltalk-hei",
    "goodbye": "smalltalk-hade",
    "thank": "smalltalk-takk",
    "bot_challenge": "smalltalk-bot",
}
# situation conditions -> the diagnosis tags articles and services carry
CONDITION_TAGS = {
    "rus": "rus",
    "psykisk_lidelse": "psykisk",
    "demens": "demens",
    "kreft": "kreft",
    "hjerneslag": "hjerneslag",
    "utviklingshemming": "utviklingshemming",
}
CRISIS_INTENT = "krise"
# Topics whose articles may answer a story: the content topics and the crisis articles
# (worried about suicide, violence, overdose), which only a story or a crisis turn reaches.
STORY_TOPICS = TOPIC_INTENTS + (CRISIS_INTENT,)
# the crisis reply already gives the emergency numbers: never repeat them as the "answer"
CRISIS_ONLY_ARTICLES = frozenset({"nodnummer"})
VIOLENCE_ARTICLE = "vold-og-overgrep"
# The text for relatives of someone with an eating disorder answers only a message that names
# one; after a crisis reply it is the text made for that danger (parents of daughters with
# anorexia, read as a danger to life, were given the text on asking about suicide)
EATING_DISORDER_ARTICLE = "spiseforstyrrelse"
# After the crisis reply, crisis articles written for one kind of danger compete only for
# that kind (`custom.crisis.danger`, bot/safety/risk.py): a woman afraid of her husband was
# given the text about suicide. The rest (worry for someone's life) competes for any other.
DANGER_ONLY_ARTICLES = {
    VIOLENCE_ARTICLE: frozenset({"violence_child", "violence_adult"}),
    "overdose-og-nalokson": frozenset({"overdose"}),
}
# An article written for one kind of illness only (tagged with rus, psykisk or kreft alone)
# answers a story only when the story tells of that illness (the situation reader's
# conditions): texts about living with drug use answered a heart patient's wife, a disabled
# boy's brother and a daughter whose old mother had fallen. Dementia tags mark typical cases
# of general texts (consent, nursing homes, courses), and crisis texts are never held back.
CONDITION_SPECIFIC = frozenset({"rus", "psykisk", "kreft"})
# After a crisis reply for a medical danger (a psychosis, mania or anorexia, a discharge feared,
# a collapse), the texts on getting help for someone who is ill compete beside the crisis
# texts: mothers afraid for a manic or psychotic parent or son were given the text about
# suicide, whose advice ("ask whether they think of taking their life") did not fit. The same
# for an overdose danger: whether a drug user can be made to get treatment is an `informasjon`
# text (parents of a 17-year-old on hard drugs were given the text on relapse).
DANGER_TOPICS = {"medical": ("informasjon",), "overdose": ("informasjon",)}
# The text about grieving someone who is still alive (with dementia, drug use or a mental
# illness) never answers a story that tells of a death, unless it speaks of that loss (a
# widower who lost two wives to cancer, and a friend after an overdose death, were given it);
# a daughter whose father died and whose mother with dementia no longer knows her may still
# need it (`_grief_only`). The same holds for the text on someone suddenly critically ill
# (a daughter whose mother died yesterday after years of illness was given it).
# So does the text on someone who wishes to die at home (a daughter whose mother died
# yesterday was given it, and mourners were offered it as a choice).
ALIVE_ONLY_ARTICLES = frozenset(
    {"sorg-mens-de-lever", "plutselig-alvorlig-syk", "dodsfall-hjemme-lindrende"}
)
LIVING_LOSS_CONDITIONS = frozenset({"demens", "rus", "psykisk_lidelse"})
# Texts on living beside someone who drinks or uses drugs now (talking with them, limits,
# relapse, signs, a child's or a parent's drug use, naloxone) never answer grief after a death
# (`_grief_only`): a mother whose son died of an overdose was told she cannot control another
# adult's drug use, and both dev judges read it as a death misread.
LIVING_USER_ARTICLES = frozenset({
    "leve-med-rus-i-familien", "snakke-med-en-som-ruser-seg", "tilbakefall-rus",
    "grenser-og-kutte-kontakt", "er-dette-alkoholisme", "stotte-etter-rusbehandling",
    "ungdom-som-ruser-seg", "voksent-barn-ruser-seg", "forelder-som-drikker",
    "overdose-og-nalokson",
})
# Texts written for one side of a family: for parents of an ill child (benefits, coordinator,
# the rules for patients under 18), and for a family where a parent is ill (talking with the
# children, the children's rights as relatives, school). When the story names who is ill,
# a text for the other side never answers it (autism parents asking about respite were given
# "how to talk to children about illness"; a sibling was given the coordinator text for
# parents).
ILL_CHILD_ARTICLES = frozenset(
    {"barnekoordinator", "pleiepenger-sykt-barn", "opplaeringspenger", "foreldre-til-syke-barn"}
)
# The overview for a family with a disabled child (a coordinator, benefits until 18) answers
# only a story of the writer's own child who is not grown up (stricter than the rule above):
# an op-ed on housing for disabled adults, and a father of a disabled 43-year-old, were given it.
DISABLED_CHILD_ARTICLE = "barn-med-funksjonsnedsettelse"
ILL_PARENT_ARTICLES = frozenset(
    {"snakke-med-barn", "hva-skjer-med-barna", "barn-som-parorende",
     "skole-og-fravaer-syk-forelder", "blandede-folelser-syk-forelder",
     # reporting a worry about a child to the child welfare service: never offered to parents
     # telling of their own ill child (an exhausted autism mother was offered it as a choice)
     "bekymringsmelding-barnevernet"}
)
CHILD_RELATIONS = frozenset({"barn", "voksent_barn"})
# Texts written to a child or teenager in the family (its rights, school, guilt, feelings, who
# to talk to) never answer a writer who is evidently grown up: a stated adult age, a parent
# who is old or has dementia (a daughter struggling with her demented father's visits was
# given the text on what young people may be told), or a parent writing of their own ill
# child (an autism mother was given «Det er ikke din skyld»).
CHILDHOOD_ARTICLES = frozenset(
    {"din-rett-til-informasjon-ung", "ikke-din-skyld", "skole-og-fravaer-syk-forelder",
     "hvem-kan-du-snakke-med", "blandede-folelser-syk-forelder", "forelder-som-drikker"}
)
PARENT_RELATIONS = frozenset({"mor", "far", "forelder"})
OLD_AGE_CONDITIONS = frozenset({"alder", "demens"})
# The text on someone suddenly critically ill answers a story only when it tells of an acute
# state now (intensive care, a coma, a respirator, "plutselig", "i går"): a wife whose husband
# has had anxiety since his infarction, and a disabled man's sister, were given it on the
# words "hjerteinfarkt" and "slag" alone.
ACUTE_ONLY_ARTICLES = frozenset({"plutselig-alvorlig-syk"})
ACUTE_NOW = re.compile(
    r"\b(?:plutselig\w*|brått|bratt|akutt\w*|intensiv\w*|koma|respirator\w*|hjertestans|"
    r"kritisk\w*|livstruende|ambulanse\w*|i går|i gar|i natt|i morges|nettopp|akkurat nå|"
    r"innlagt|innlagd|lagt inn|ligger på sykehus\w*|ligg på sjukehus\w*)\b"
)
# Texts about money, work and benefits answer a story only when it speaks of money, work or a
# benefit: the sick-leave text answered five dev stories (a stroke op-ed, a dementia diagnosis,
# a sleepless mother) that said nothing of work.
MONEY_WORK = re.compile(
    r"\b(?:sykemeld\w*|sjukmeld\w*|sykmeld\w*|sjukemeld\w*|sykepeng\w*|jobb\w*|arbeid\w*|"
    r"sjef\w*|permisjon\w*|pleiepeng\w*|omsorgspeng\w*|opplaeringspeng\w*|opplæringspeng\w*|"
    r"nav|stonad\w*|stønad\w*|penger|pengane|pengene|okonomi\w*|økonomi\w*|lonn\w*|lønn\w*|"
    r"inntekt\w*|trygd\w*|pensjon\w*|betale|betaler|betalt|regning\w*|utgift\w*|"
    r"kostnad\w*|egenandel\w*|reise\w*|billett\w*|lege?erklæring\w*|yrke\w*|"
    r"heltid|deltid|stilling\w*)\b"
)
MONEY_WORK_TOPIC = "okonomi"
MONEY_WORK_ARTICLES = frozenset({"sykemeldt-pga-omsorg"})  # besides the texts of MONEY_WORK_TOPIC
# When no article clearly answers a story, the text that gives the main help for its
# situation is shown as what the bot has (with the honest note that it does not answer the
# exact question): for a writer who is young, who young relatives can talk to (or, with a
# parent who drinks, the text for that); for an adult, by the illness told, the text on living
# with it and where relatives of it get help; otherwise, for a story read as the carer's own
# strain, grief or respite, that topic's main text. Chosen on the dev part of tests/real
# against coverage_dev.yml: of the 36 dev stories held back that some text answers, the
# likeliest candidate would have answered 4, the overview answers 20 of the 31 it is given to
# (in the committed state); two paired judges preferred it on 25–26 of 32 changed dev replies
# and the previous one on 0–1 (tests/real/judged/*_s5ab_*).
OVERVIEW_YOUNG = "hvem-kan-du-snakke-med"
OVERVIEW_YOUNG_BY_CONDITION = {"rus": "forelder-som-drikker"}
OVERVIEW_BY_CONDITION = {
    "rus": "leve-med-rus-i-familien",
    "psykisk_lidelse": "organisasjoner-psykisk-helse",
    "demens": "organisasjoner-demens",
    "kreft": "organisasjoner-kreft",
}
# (the illness of a child of the writer has its own text: a teenager's or a grown child's drug use)
OVERVIEW_BY_RELATION_CONDITION = {
    ("barn", "rus"): "ungdom-som-ruser-seg",
    ("voksent_barn", "rus"): "voksent-barn-ruser-seg",
    # a child with a disability (autism, CP, Down syndrome): the help a family can ask for
    ("barn", "utviklingshemming"): DISABLED_CHILD_ARTICLE,
}
# ... and texts that are only the situation's text when no article answers, without
# competing as the relation's text: a child's long-lasting illness (ME, a rare diagnosis;
# the strain text said "no duty to care for an adult" to the mother of a girl with ME).
# "somatisk" also reads an operation or an accident named in passing, too loose a reading
# to pull a topic forward.
OVERVIEW_ONLY_BY_RELATION_CONDITION = {
    ("barn", "somatisk"): DISABLED_CHILD_ARTICLE,
}
OVERVIEW_BY_RELATION_ANY = {**OVERVIEW_BY_RELATION_CONDITION, **OVERVIEW_ONLY_BY_RELATION_CONDITION}
OVERVIEW_TOPICS = frozenset({"egen_helse", "sorg", "avlastning"})
# Texts about a danger to someone else never answer the writer's own danger, said of
# themself (a 15-year-old who cuts herself was given the text about worrying for a friend);
# the text for the writer's own danger answers only that.
OTHERS_DANGER_ARTICLES = frozenset({"bekymret-for-selvmord", "bekymret-for-en-venn"})
WRITER_DANGER_ARTICLES = frozenset({"nar-du-selv-har-det-vondt"})
# Crisis readings that say nothing of suicide by themselves (the learned layer, a concern
# signal): after them the suicide-worry text needs a story that speaks of suicide, a wish to
# die or a danger to life (`_crisis_articles`).
WORRY_NEEDS_SUICIDE_TALK = frozenset({"classifier", "signal"})
SELF_HARM_TALK = re.compile(
    r"\b(?:skade|skader|skada|skadet|kutte|kutter|kuttet|cutte\w*|rispe\w*) (?:meg|seg)\b|"
    r"\bselvskad\w*|\bsjolvskad\w*")
# ... besides the words of suicide, a wish to die said of someone ("skrev at hun ville dø")
DEATH_WISH = re.compile(
    r"\b(?:vil|ville|onsker å|ønsker å|lyst til å) (?:do|dø)\b|"
    r"\b(?:vil|ville|orker|orka) (?:ikke|ikkje) (?:å )?leve\b|\bgjore slutt\b|"
    # "Livet er for vanskelig å leve", "sove, sånn at tankene og smerten og livet forsvinner"
    # (a boy of 17 who wrote that he will soon die of the pain)
    r"\bfor (?:vanskelig|vanskeleg|tungt|tung|vondt|vont|hardt|smertefullt) å leve\b|"
    r"\blivet (?:mitt )?(?:forsvinner|forsvinn)\b")
# ... or of a danger to life ("om hun dør i forsøket", "livstruende"): the text's steps
# (113, ask directly) still fit (a father of a 14-year-old with anorexia)
LIFE_RISK = re.compile(
    r"\b(?:do|dø|dor|dør|doden|døden|livstruende|livsfare\w*|overlev\w*|miste livet)\b")
# Texts for the bereaved never answer a story that tells of no death (a girl who had just
# called 113 for her friend got the text for those bereaved by suicide; a son looking back on
# his mother's psychoses the practical text on a funeral): `_story_exclusions`.
BEREAVED_ONLY_ARTICLES = frozenset(
    {"etterlatte-etter-selvmord", "praktisk-etter-dodsfall", "sorg-og-etterlatte"}
)
# A story that tells of a suicide that happened gets the text for those bereaved by suicide
# (it needs no clear lead over the other grief texts), never the worry texts
# (OTHERS_DANGER_ARTICLES; a daughter writing after her mother's suicide was given the
# suicide-worry text); and that text answers, or is offered to, only a story that speaks of a
# suicide (a widow whose husband died of cancer was offered it as a choice).
SUICIDE_LOSS_ARTICLE = "etterlatte-etter-selvmord"
# The text on grieving someone who lives (dementia, drug use, a mental illness): made for a
# story that speaks of such a loss ("kjenner hun meg igjen?", "i ferd med å miste mormoren
# min"), and never the answer to one that tells the person is well again (a son looking back
# on his mother's psychoses, "nå er livet trygt", was given it for his words on loss).
LIVING_LOSS_ARTICLE = "sorg-mens-de-lever"

# The text on dying at home answers a story only when it speaks of dying or the last time
# (a father who survived a ruptured aorta was given it for the words of his near-death).
DYING_ARTICLE = "dodsfall-hjemme-lindrende"
DYING_TOLD = re.compile(
    r"\b(?:do|dø|dor|dør|døy|doy) hjemme\b|\bdoende\b|\bdøyande\b|\blindrende\w*|"
    r"\bpalliativ\w*|\blivets (?:slutt\w*|siste)|\bsiste (?:tid|tida|dagene|dagane|fase)\b|"
    r"\bhospice\b|\bterminal\w*|\bsnart (?:do|dø|dor|dør)\b|\b(?:kort tid|ikke lenge) igjen\b"
)

# The text on parents' right to information about their child answers a story only when it
# speaks of information, confidentiality or parental responsibility (a mother's op-ed on
# school turmoil for her son with autism was given it for its words on children and school).
PARENTS_INFO_ARTICLE = "foreldre-rett-til-informasjon-om-barnet"
PARENTS_INFO_TOLD = re.compile(
    r"\b(?:informasjon\w*|informert\w*|opplysning\w*|få vite|fa vite|innsyn\w*|journal\w*|"
    r"taushetsplikt\w*|foreldreansvar\w*|skilt|skilsmisse\w*|samlivsbrudd\w*|samvaer\w*)\b"
)

# The topic of the texts on how to complain (a decision, the pasient- og brukerombud). The
# appeal to Trygderetten is the step after a complaint NAV turned down: a story answers with
# it only when it speaks of that step (a mother refused help at home by the municipality and
# the Statsforvalteren was given it for its words on refusals).
COMPLAINT_TOPIC = "klage"
APPEAL_ARTICLE = "anke-nav-trygderetten"
APPEAL_TOLD = re.compile(
    r"\b(?:trygderett\w*|klageinstans\w*|ank(?:e|et|en|er|esak\w*|ede)|nei igjen)\b")


@dataclass(frozen=True)
class RankWeights:
    """Grid-searched on tests/nlu/dev_articles.yml (``python -m tests.nlu.retrieval_eval
    --tune``): the NLU chooses which topics compete (its three best), and within them the
    text similarity decides, with the keyword/tag score as a tie-breaker. A weight on the
    NLU confidence itself did not help on the dev file (README "Retrieval")."""

    topic: float = 0.0  # NLU confidence of the article's topic
    similarity: float = 2.0  # TF-IDF similarity (0..1)
    keywords: float = 0.02  # keyword/tag score (about 0..20)
    max_topics: int = 3  # how many of the NLU's best content topics compete
    min_topic_conf: float = 0.05  # topics below this confidence do not compete
    # A follow-up ("hvor mange dager?") says little by itself: the article it follows keeps
    # the answer unless the words point clearly (similarity +0.5) to another one. Not tuned
    # (the dev file has no conversations); tests/actions checks the behaviour.
    context_article: float = 1.0
    # Stories (tuned on the dev part of tests/real, 79 messages: topic 0.557 -> 0.620):
    # the asks weigh this much against the whole message, and the NLU's topic confidence
    # counts this much (a story's many words blur the similarity more than the topic).
    ask_share: float = 0.5
    story_topic: float = 0.45
    # An article written only for the other audience (young-first text to an adult, adult
    # legal text to a child) loses this much.
    audience_penalty: float = 0.25
    # A story is answered with an article only when the best one's similarity reaches
    # `story_min_similarity` and its score beats the next article's by `story_min_margin`;
    # otherwise the bot says honestly that it has no article for this, names the services
    # that fit and offers the likeliest articles as buttons (issue #18: never an unrelated
    # article). Chosen on the dev part of tests/real against tests/real/coverage_dev.yml
    # (which articles answer each story), 90 story turns: the rule holds back 31 of the 59
    # articles that answer nothing of the story, and 3 of the 31 that answer it; the two
    # judges of the previous run had graded 42 of its 62 held-back replies unhelpful.
    story_min_similarity: float = 0.15
    story_min_margin: float = 0.03
    # After the crisis reply an article is added for what else was asked from this
    # similarity (the crisis reply already carries the safety lines and the services).
    crisis_min_similarity: float = 0.08
    # Outside the NLU's three best topics an article may still compete in a story when its
    # similarity is at least this much higher than the best inside them.
    outside_margin: float = 0.04
    # In a long story, these topics compete by their text similarity only, not by the NLU's
    # confidence: DIET, trained on short questions, gives long stories to `informasjon`
    # (the right to information) by default, and its articles then won on words a story
    # happens to share (tests/real dev part: topic 0.633 -> 0.696, no dev message lost; a
    # two-sentence question about a father in a coma needs the NLU's topic: hence the length).
    story_similarity_only: tuple = ("informasjon",)
    long_story_chars: int = 300  # short stories with a question keep the NLU's topic
    # A story that tells of a refusal, a decision, a cut or a discharge by a service
    # (`complaint` in the situation): the complaint texts compete with this confidence.
    complaint_topic: float = 1.0


WEIGHTS = RankWeights()


@dataclass(frozen=True)
class Ranked:
    article: Any
    score: float
    topic_conf: float
    similarity: float
    keywords: float


@dataclass(frozen=True)
class Turn:
    """One user message and the context the decision needs."""

    text: str  # the user's words ("" for a button payload)
    intent: str
    ranking: Sequence[Dict[str, Any]] = ()
    entities: Dict[str, List[str]] = field(default_factory=dict)
    audience: str = "adult"
    context_topic: Optional[str] = None
    context_article: Optional[str] = None
    button_article: Optional[str] = None
    situation: Dict[str, Any] = field(default_factory=dict)
    crisis: Optional[Dict[str, Any]] = None

    @property
    def asks(self) -> List[str]:
        return find_asks(self.text)

    @property
    def ask_text(self) -> str:
        return " ".join(self.asks) or self.text

    @property
    def is_story(self) -> bool:
        s = self.situation
        has_situation = bool(s.get("relation") or s.get("conditions"))
        return story_like(int(s.get("sentences") or 0), has_situation, len(self.text))

    @property
    def writer(self) -> str:
        return self.situation.get("writer") or self.audience

    @classmethod
    def from_parse(
        cls,
        parse: Dict[str, Any],
        text: Optional[str] = None,
        audience: str = "adult",
        **context: Any,
    ) -> "Turn":
        """A turn from NLU parse data (as the Rasa server stores it in the tracker)."""
        text = parse.get("text", "") if text is None else text
        if text.startswith("/"):
            text = ""
        ents = entities_of(parse)
        situation = parse.get("situation")
        if situation is None and text:
            situation = read_situation(text, young_hint=audience == "young").as_dict()
        return cls(
            text=text,
            intent=(parse.get("intent") or {}).get("name") or "",
            ranking=tuple(parse.get("intent_ranking") or ()),
            entities=ents,
            audience=audience,
            situation=situation or {},
            crisis=parse.get("crisis"),
            button_article=(ents.get("article") or [None])[0],
            **context,
        )


@dataclass(frozen=True)
class Decision:
    # answer | overview (no article answers the ask; the text with the main help for the
    # situation, said to be that) | no_answer | clarify | ask_topic | silent
    kind: str
    article: Any = None
    topic: Optional[str] = None
    candidates: List[Any] = field(default_factory=list)  # for clarify: the likeliest articles
    reason: str = ""


# Entities the NLU components add for slots; not content signals.
_SLOT_ENTITIES = frozenset({"young_mode", "risk", "danger", "condition", "age"})


def entities_of(parse: Dict[str, Any]) -> Dict[str, List[str]]:
    """Entities of a parse, canonical values, in order, without duplicates."""
    found: Dict[str, List[str]] = {}
    for ent in parse.get("entities") or []:
        name, value = ent.get("entity"), ent.get("value")
        if not name or value is None or name in _SLOT_ENTITIES:
            continue
        value = str(value).strip()
        if name != "article":
            value = value.lower().replace("_", "-")
        values = found.setdefault(name, [])
        if value and value not in values:
            values.append(value)
    return found


def topic_confidences(
    intent_ranking: Sequence[Dict[str, Any]],
    context_topic: Optional[str] = None,
    weights: RankWeights = WEIGHTS,
) -> Dict[str, float]:
    """Content topics with their NLU confidence; a follow-up counts for the context topic."""
    confs: Dict[str, float] = {}
    for item in intent_ranking or ():
        name, conf = item.get("name"), float(item.get("confidence") or 0.0)
        if name == "followup" and context_topic in TOPIC_INTENTS:
            name = context_topic
        if name in TOPIC_INTENTS:
            confs[name] = confs.get(name, 0.0) + conf
    best = sorted(confs.items(), key=lambda kv: -kv[1])[: weights.max_topics]
    return {t: c for t, c in best if c >= weights.min_topic_conf}


def _with_conditions(
    entities: Dict[str, List[str]], situation: Dict[str, Any]
) -> Dict[str, List[str]]:
    ents = {k: list(v) for k, v in (entities or {}).items()}
    tags = [CONDITION_TAGS[c] for c in situation.get("conditions") or [] if c in CONDITION_TAGS]
    if tags:
        diag = ents.setdefault("diagnosis", [])
        diag.extend(t for t in tags if t not in diag)
    return ents


def _audience_of(article: Any) -> str:
    return getattr(article, "audience", None) or "all"


def rank(
    repo: Any,
    text: str,
    intent_ranking: Sequence[Dict[str, Any]],
    entities: Optional[Dict[str, List[str]]] = None,
    aspect: Optional[str] = None,
    context_topic: Optional[str] = None,
    topics: Optional[Iterable[str]] = None,
    weights: RankWeights = WEIGHTS,
    context_article: Optional[str] = None,
    ask_text: Optional[str] = None,
    writer: Optional[str] = None,
    scores: Optional[tuple] = None,
    certain: Optional[Dict[str, float]] = None,
) -> List[Ranked]:
    """Articles of the competing topics, best first.

    ``topics`` restricts the competition (e.g. to the predicted topic only); by default the
    NLU's best content topics compete, or every content topic when none is confident.
    ``ask_text``: the message's ask sentences, weighed against the whole message.
    ``writer``: "adult" or "young"; articles written only for the other audience lose.
    ``scores``: `text_scores` computed once for several rankings of the same message.
    """
    confs = topic_confidences(intent_ranking, context_topic, weights)
    if certain:  # topics known for sure beside the NLU's (after a crisis reply: krise)
        confs = {**confs, **certain}
    pool = list(topics) if topics is not None else (list(confs) or list(TOPIC_INTENTS))
    if scores is None:
        scores = text_scores(repo, text, entities, aspect, pool, weights, ask_text)
    sims, kws = scores
    out: List[Ranked] = []
    for topic in pool:
        for pos, art in enumerate(repo.articles_for_topic(topic)):
            conf = confs.get(topic, 0.0)
            sim = sims.get(art.id, 0.0)
            kw = kws.get(art.id, 0.0)
            score = weights.topic * conf + weights.similarity * sim + weights.keywords * kw
            if pos == 0:  # the topic's default article wins ties
                score += 1e-6
            if context_article and art.id == context_article:
                score += weights.context_article
            aud = _audience_of(art)
            if writer and aud != "all" and aud != writer:
                score -= weights.audience_penalty
            out.append(Ranked(art, score, conf, sim, kw))
    out.sort(key=lambda r: (-r.score, r.article.id))
    return out


def text_scores(repo: Any, text: str, entities: Optional[Dict[str, List[str]]],
                aspect: Optional[str], pool: Sequence[str], weights: RankWeights = WEIGHTS,
                ask_text: Optional[str] = None) -> tuple:
    """(similarity, keyword score) per article id: the text part of the ranking."""
    sims = repo.similarities(text) if text else {}
    if ask_text and ask_text != text:
        ask_sims = repo.similarities(ask_text)
        share = weights.ask_share
        sims = {k: share * ask_sims.get(k, 0.0) + (1 - share) * v for k, v in sims.items()}
    kws = repo.keyword_scores(text, entities, aspect, topics=list(pool))
    return sims, kws


def relevant(r: Ranked, min_similarity: float = 0.08) -> bool:
    """Whether an article is worth offering at all (not just the least bad of nothing)."""
    return r.similarity >= min_similarity or r.keywords >= 2 or r.topic_conf >= 0.2


def _story_ranking(
    repo: Any,
    turn: Turn,
    ranking: Sequence[Dict[str, Any]],
    weights: RankWeights,
    exclude: Iterable[str] = (),
    certain: Optional[Dict[str, float]] = None,
) -> List[Ranked]:
    """A story's candidates: the NLU's best topics, plus any topic whose article fits the
    asks clearly better (a story's many words blur the NLU's topic). ``certain``: topics
    that compete with full confidence (after a crisis reply, the crisis articles: worried
    about suicide, violence, overdose)."""
    ents = _with_conditions(turn.entities, turn.situation)
    aspect = detect_aspect(turn.ask_text)
    exclude = frozenset(exclude) | _story_exclusions(repo, turn)
    if _grief_only(turn):
        # a death told, and no one alive the story is about: grief is what it is about
        certain = {**(certain or {}), "sorg": 1.0}
    # texts that compete as if their topic were the NLU's best:
    # - the text written for whose illness it is (a teenager's drug use, a grown child's): a
    #   father worried about his 17-year-old's cannabis was given the text on talking with any
    #   adult who drinks;
    # - the text on a loss while the person lives, when the story tells one ("Når mamma
    #   gradvis forsvinner og rollene byttes om": the writer's two young children had made the
    #   NLU read a story of children)
    made_for = set(_relation_texts(turn))
    if _living_loss_told(turn):
        made_for.add(LIVING_LOSS_ARTICLE)
    best = max([r.get("confidence") or 0.0 for r in ranking
                if r.get("name") in TOPIC_INTENTS] + [0.0])
    for art in [repo.article(a) for a in sorted(made_for)]:
        if art is not None:
            certain = {**(certain or {}), art.topic: max(best, (certain or {}).get(art.topic, 0))}
    if turn.situation.get("complaint") and weights.complaint_topic:
        conf = max([r.get("confidence") or 0.0 for r in ranking if r.get("name") == COMPLAINT_TOPIC]
                   + [weights.complaint_topic])
        certain = {**(certain or {}), COMPLAINT_TOPIC: conf}
    if len(turn.text) >= weights.long_story_chars:
        ranking = [r for r in ranking if r.get("name") not in weights.story_similarity_only]
    story_weights = replace(weights, topic=weights.story_topic)
    scores = text_scores(repo, turn.text, ents, aspect, STORY_TOPICS, weights, turn.ask_text)
    kwargs = dict(ask_text=turn.ask_text, writer=turn.writer, weights=story_weights,
                  scores=scores, certain=certain)
    inside = [
        r
        for r in rank(repo, turn.text, ranking, ents, aspect, **kwargs)
        if r.article.id not in exclude
    ]
    every = [
        r
        for r in rank(repo, turn.text, ranking, ents, aspect, topics=STORY_TOPICS, **kwargs)
        if r.article.id not in exclude
    ]
    best_inside = inside[0].similarity if inside else 0.0
    if every and every[0].similarity >= best_inside + weights.outside_margin:
        return every
    return inside


def _grief_only(turn: Turn) -> bool:
    """A death is told, and the story does not speak of losing someone who lives (with
    dementia, drug use or a mental illness: "som å miste henne litt etter litt"), or the
    death was a suicide. Of the 13 real dev stories that tell of a death and of such an
    illness, only one told of someone alive with it (a father died, and the mother with
    dementia is in a nursing home); in the others it was the dead one's (a sister who died after
    years of drug use, a friend's overdose). Only the words of a living loss tell that case."""
    if not turn.situation.get("bereaved"):
        return False
    conditions = set(turn.situation.get("conditions") or ())
    living_loss = (bool(conditions & LIVING_LOSS_CONDITIONS)
                   and speaks_of_loss_while_alive(_folded(turn.text)))
    return _suicide_told(turn) or not living_loss


def _suicide_told(turn: Turn) -> bool:
    return bool(turn.situation.get("bereaved")) and tells_of_suicide(_folded(turn.text))


@functools.lru_cache(maxsize=16)
def _folded(text: str) -> str:
    """The folded text of a turn, once per turn (the story rules read it several times)."""
    return fold(text)


def _story_exclusions(repo: Any, turn: Turn) -> frozenset:
    """The articles that never answer this story (the tables above, each with its reason)."""
    exclude = set(_other_illness_articles(repo, turn))
    if not MONEY_WORK.search(turn.text.lower()):
        exclude |= MONEY_WORK_ARTICLES | {a.id for a in
                                          repo.articles_for_topic(MONEY_WORK_TOPIC)}
    relation = turn.situation.get("relation")
    conditions = set(turn.situation.get("conditions") or ())
    if turn.situation.get("writer") == "adult" or (
            relation in PARENT_RELATIONS and conditions & OLD_AGE_CONDITIONS) or (
            relation in CHILD_RELATIONS and turn.writer != "young"):
        exclude |= CHILDHOOD_ARTICLES
    if relation in CHILD_RELATIONS and turn.writer != "young":
        exclude |= ILL_PARENT_ARTICLES
    elif relation and relation not in CHILD_RELATIONS:
        exclude |= ILL_CHILD_ARTICLES
    if relation != "barn":
        exclude.add(DISABLED_CHILD_ARTICLE)
    # the texts for parents of a child under 18 never answer a story of a grown child (an
    # op-ed on parents who get no information once their ill child is 18 was told the rules
    # for under-16s and 16–18s), unless the writer's own child is a minor
    if relation == "voksent_barn" or (relation != "barn"
                                      and tells_of_grown_child(_folded(turn.text))):
        exclude |= ILL_CHILD_ARTICLES
    if not ACUTE_NOW.search(turn.text.lower()):
        exclude |= ACUTE_ONLY_ARTICLES
    if not speaks_of_suicide(_folded(turn.text)):
        exclude.add(SUICIDE_LOSS_ARTICLE)
    if _suicide_told(turn):
        exclude |= OTHERS_DANGER_ARTICLES
    if _grief_only(turn):
        exclude |= ALIVE_ONLY_ARTICLES | LIVING_USER_ARTICLES
    if not APPEAL_TOLD.search(_folded(turn.text)):
        exclude.add(APPEAL_ARTICLE)
    if recovered(turn.text):
        exclude.add(LIVING_LOSS_ARTICLE)
    if not PARENTS_INFO_TOLD.search(_folded(turn.text)):
        exclude.add(PARENTS_INFO_ARTICLE)
    if not turn.situation.get("bereaved"):
        exclude |= BEREAVED_ONLY_ARTICLES
    if not DYING_TOLD.search(_folded(turn.text)):
        exclude.add(DYING_ARTICLE)
    if not _eating_disorder_told(turn):
        exclude.add(EATING_DISORDER_ARTICLE)
    return frozenset(exclude)


def _eating_disorder_told(turn: Turn) -> bool:
    """The story names an eating disorder that is not told as over (recovered)."""
    return speaks_of_eating_disorder(_folded(turn.text)) and not recovered(turn.text)


def _eating_disorder_danger(turn: Turn) -> bool:
    """A crisis read in a story of an eating disorder, told by someone else (not the writer's
    own danger) and without talk of suicide or a wish to die. (A short question keeps the
    text for what it asks: "my sister has anorexia and everything at home is about her" is
    answered by the text for siblings.)"""
    folded = _folded(turn.text)
    return (turn.is_story and _eating_disorder_told(turn)
            and not (turn.crisis or {}).get("said_of_self")
            and not speaks_of_suicide(folded) and not DEATH_WISH.search(folded))


def _overview(repo: Any, turn: Turn, topic: Optional[str], exclude: Iterable[str] = ()) -> Any:
    """The text with the main help for the story's situation (OVERVIEW_*), or None; never
    one the story's rules hold back."""
    held_back = frozenset(exclude) | _story_exclusions(repo, turn)
    conditions = list(turn.situation.get("conditions") or ())
    ids: List[str] = []
    if (turn.crisis or {}).get("said_of_self"):
        ids.extend(sorted(WRITER_DANGER_ARTICLES))  # the writer's own danger
    # grief after a death (beside an illness too, unless the story speaks of a living loss)
    if _grief_only(turn):
        if _suicide_told(turn):
            ids.append(SUICIDE_LOSS_ARTICLE)
        ids.append("sorg-og-etterlatte")
    elif turn.writer == "young":
        if turn.situation.get("relation") in PARENT_RELATIONS:
            ids.extend(OVERVIEW_YOUNG_BY_CONDITION[c] for c in conditions
                       if c in OVERVIEW_YOUNG_BY_CONDITION)
        ids.append(OVERVIEW_YOUNG)
    else:
        relation = turn.situation.get("relation")
        # the illness the story tells of first is what it is about ("datteren fikk ME … angsten
        # tok meg": the mother's anxiety is not the illness the story is about)
        main = conditions[:1]
        if _eating_disorder_told(turn):
            ids.append(EATING_DISORDER_ARTICLE)
        ids.extend(OVERVIEW_BY_RELATION_ANY[(relation, c)] for c in main
                   if (relation, c) in OVERVIEW_BY_RELATION_ANY)
        ids.extend(OVERVIEW_BY_CONDITION[c] for c in main if c in OVERVIEW_BY_CONDITION)
        if topic in OVERVIEW_TOPICS:
            default = repo.default_article(topic)
            if default is not None:
                ids.append(default.id)
        # violence the story tells (a woman who grew up with a violent father and stayed with
        # a violent partner was told there was no text for her): the text on violence, with
        # 116 006 and the krisesenter, when nothing of the illness or relation answers
        if speaks_of_violence(_folded(turn.text)):
            ids.append(VIOLENCE_ARTICLE)
    for aid in ids:
        art = repo.article(aid)
        if art is not None and aid not in held_back:
            return art
    return None


def _made_for_the_danger(article_id: str, turn: Turn) -> bool:
    """A crisis text written for the danger of this turn (DANGER_ONLY_ARTICLES, or the text
    for the writer's own danger when it is said of themself)."""
    crisis = turn.crisis or {}
    if crisis.get("said_of_self") and article_id in WRITER_DANGER_ARTICLES:
        return True
    # the danger to life of someone with an eating disorder: the text on that illness, unless
    # the story speaks of suicide or a wish to die (then the text on that worry comes first)
    if article_id == EATING_DISORDER_ARTICLE and _eating_disorder_danger(turn):
        return True
    return crisis.get("danger") in DANGER_ONLY_ARTICLES.get(article_id, ())


def _made_for_the_loss(best: Ranked, turn: Turn) -> bool:
    """The text for those bereaved by suicide, best for a story that tells of a suicide
    that happened: it answers without having to beat the other grief texts clearly."""
    return best.article.id == SUICIDE_LOSS_ARTICLE and _suicide_told(turn)


def _living_loss_told(turn: Turn) -> bool:
    """The story speaks of losing someone who lives, and tells of no death it grieves."""
    return speaks_of_loss_while_alive(_folded(turn.text)) and not _grief_only(turn)


def _relation_texts(turn: Turn) -> frozenset:
    """The texts written for the story's relation and its main illness
    (OVERVIEW_BY_RELATION_CONDITION)."""
    relation = turn.situation.get("relation")
    main = list(turn.situation.get("conditions") or ())[:1]
    return frozenset(OVERVIEW_BY_RELATION_CONDITION[(relation, c)] for c in main
                     if (relation, c) in OVERVIEW_BY_RELATION_CONDITION)


def _made_for_the_complaint(r: Ranked, turn: Turn) -> bool:
    """A text on how to complain, for a story that tells of a refusal, a decision, a cut or
    a discharge by a service (`complaint` in the situation)."""
    return r.article.topic == COMPLAINT_TOPIC and bool(turn.situation.get("complaint"))


def _made_text(ranked: Sequence[Ranked], turn: Turn, weights: RankWeights,
               made_for: Callable[[Ranked], bool]) -> Optional[Ranked]:
    """The text made for the turn's situation (`made_for`: the danger's, the loss's) when it
    is among the three likeliest and should answer: it is the likeliest, or the writer asks
    nothing that another text clearly answers."""
    made = next((r for r in ranked[:3] if made_for(r)), None)
    if made is None or made is ranked[0]:
        return made
    return None if turn.asks and _clear_best(ranked, weights) else made


def _clear_best(ranked: Sequence[Ranked], weights: RankWeights) -> bool:
    """Whether a story's best article is likely to answer it: similar enough to the story,
    and clearly ahead of the next one (RankWeights.story_min_similarity)."""
    best = ranked[0]
    if best.similarity < weights.story_min_similarity:
        return False
    return len(ranked) < 2 or best.score - ranked[1].score >= weights.story_min_margin


def _other_illness_articles(repo: Any, turn: Turn) -> frozenset:
    """Articles written for an illness the story does not tell of (CONDITION_SPECIFIC)."""
    told = {CONDITION_TAGS[c] for c in turn.situation.get("conditions") or ()
            if c in CONDITION_TAGS}
    out = set()
    for topic in TOPIC_INTENTS:
        for art in repo.articles_for_topic(topic):
            tags = set(getattr(art, "diagnoses", ()) or ())
            if len(tags) == 1 and tags <= CONDITION_SPECIFIC and not tags & told:
                out.add(art.id)
    return frozenset(out)


def _crisis_articles(turn: Turn) -> frozenset:
    """The articles that must not answer what else was asked after the crisis reply."""
    danger = (turn.crisis or {}).get("danger")
    exclude = set(CRISIS_ONLY_ARTICLES)
    exclude.update(a for a, dangers in DANGER_ONLY_ARTICLES.items() if danger not in dangers)
    if any(danger in dangers for dangers in DANGER_ONLY_ARTICLES.values()):
        exclude.add("bekymret-for-selvmord")  # its own article answers this kind
    # the text on a worry that someone will take their life needs a story that speaks of it,
    # of a wish to die or of a danger to life when the danger was read from the learned layer
    # or a concern signal: a sister of a 16-year-old on a drip in hospital was told to ask her
    # sister whether she thinks of taking her life, and a sister afraid her brother would hurt
    # himself when drunk was given that text (paired judges preferred it kept for self-harm
    # and for a girl whose anorexia threatens her life)
    folded = _folded(turn.text)
    if ((turn.crisis or {}).get("category") in WORRY_NEEDS_SUICIDE_TALK and danger != "self"
            and not speaks_of_suicide(folded) and not DEATH_WISH.search(folded)
            and not LIFE_RISK.search(folded)):
        exclude.add("bekymret-for-selvmord")
    if not _eating_disorder_danger(turn):
        exclude.add(EATING_DISORDER_ARTICLE)  # after a crisis reply, only as its danger's text
    if (turn.crisis or {}).get("said_of_self"):
        exclude.update(OTHERS_DANGER_ARTICLES)
        # the text for the writer's own suicidal thoughts or self-harm, after a reading that
        # names neither (a signal, the learned layer), needs the writer's words of them: an
        # adult's memoir of a childhood fear in a drunk father's boat was given wound care
        if ((turn.crisis or {}).get("category") in ("signal", "classifier")
                and not _speaks_of_self_harm(turn)):
            exclude.update(WRITER_DANGER_ARTICLES)
    else:
        exclude.update(WRITER_DANGER_ARTICLES)
    return frozenset(exclude)


def _speaks_of_self_harm(turn: Turn) -> bool:
    """Whether a message speaks of suicide, a wish to die or self-harm at all."""
    folded = _folded(turn.text)
    return bool(speaks_of_suicide(folded) or DEATH_WISH.search(folded)
                or SELF_HARM_TALK.search(folded))


def decide(repo: Any, turn: Turn, weights: RankWeights = WEIGHTS) -> Decision:
    """What the bot answers to this turn (see the module docstring for the order)."""
    # 1. a button opens its article
    if turn.button_article:
        art = repo.article(turn.button_article)
        if art is not None:
            return Decision("answer", art, art.topic, reason="button")
    intent = turn.intent
    # 2. after the crisis reply: answer what else was asked, or stay silent
    if intent == CRISIS_INTENT:
        if not turn.text or not (turn.asks or turn.is_story):
            return Decision("silent", topic="krise", reason="crisis reply only")
        certain = {CRISIS_INTENT: 1.0}
        certain.update({t: 1.0 for t in DANGER_TOPICS.get((turn.crisis or {}).get("danger"), ())})
        ranked = _story_ranking(repo, turn, turn.ranking, weights,
                                exclude=_crisis_articles(turn), certain=certain)
        eating = repo.article(EATING_DISORDER_ARTICLE) if _eating_disorder_danger(turn) else None
        if eating is not None and ranked and _clear_best(ranked, weights) and (
                ranked[0].article.id not in OTHERS_DANGER_ARTICLES | {eating.id}):
            eating = None
        if eating is not None:
            # the danger of an eating disorder: its text competes beside the crisis texts and
            # takes the place of the worry about suicide, never of a text that clearly
            # answers what else is asked
            ranked = _story_ranking(repo, turn, turn.ranking, weights,
                                    exclude=_crisis_articles(turn),
                                    certain={**certain, eating.topic: 1.0})
        if ranked and ranked[0].similarity >= weights.crisis_min_similarity:
            # the crisis text written for this kind of danger (violence, overdose, the
            # writer's own) answers when it is among the likeliest, unless the writer asks
            # something another text clearly answers: it is what a counsellor would add (a
            # violence text after a story of violence at home: 116 006 and the krisesenter,
            # issue #18; an op-ed on children in violent homes was given the text on
            # children's rights as relatives, whose words it shared)
            made = _made_text(ranked, turn, weights, lambda r: (
                _made_for_the_danger(r.article.id, turn)
                and (r.article.id != EATING_DISORDER_ARTICLE or eating is not None)
                and r.similarity >= weights.crisis_min_similarity))
            if made is not None:
                return Decision("answer", made.article, made.article.topic,
                                reason="crisis + the text for the danger")
            if _clear_best(ranked, weights):
                return Decision(
                    "answer", ranked[0].article, ranked[0].article.topic, reason="crisis + ask"
                )
            # the safety lines are out; for the rest, honestly no article that answers it
            # (as for a story), with the text that helps most in the situation if there is one
            return _no_clear_answer(repo, turn, ranked, ranked[0].article.topic,
                                    exclude=_crisis_articles(turn),
                                    reason="crisis, no article clearly fits the rest")
        return Decision("silent", topic="krise", reason="crisis, no article for the rest")
    # 3. a follow-up in the current topic
    if intent == "followup":
        if not turn.context_topic and not (turn.text and topic_confidences(turn.ranking)):
            return Decision("ask_topic", reason="follow-up without context")
        ents = dict(turn.entities)
        ranked = rank(
            repo,
            turn.text,
            turn.ranking,
            ents,
            detect_aspect(turn.text),
            turn.context_topic,
            topics=None if turn.text else [turn.context_topic],
            context_article=turn.context_article,
            weights=weights,
        )
        if ranked:
            return Decision(
                "answer", ranked[0].article, ranked[0].article.topic, reason="follow-up"
            )
        return Decision("ask_topic", reason="follow-up, nothing ranked")
    # 4. small talk and other fixed intents
    if intent in SMALLTALK_ARTICLES:
        art = repo.article(SMALLTALK_ARTICLES[intent])
        if art is not None:
            return Decision("answer", art, "smalltalk", reason="small talk")
    topic = INTENT_TOPIC.get(intent)
    if topic is not None and topic not in TOPIC_INTENTS:
        art = repo.default_article(topic) or repo.best_article(topic, turn.text, turn.entities)
        if art is not None:
            return Decision("answer", art, topic, reason="fixed topic")
    # 5. content: a story or a question
    if not turn.text:
        if topic in TOPIC_INTENTS:
            art = repo.default_article(topic)
            return Decision("answer", art, topic, reason="topic button")
        return Decision("ask_topic", reason="no words")
    if turn.is_story:
        # (the text on an eating disorder answers a story as the text for its danger after a
        # crisis reply, or as the situation's text when no article answers: a specific ask,
        # such as pleiepenger for a son with an eating disorder, gets its own text)
        ranked = _story_ranking(repo, turn, turn.ranking, weights,
                                exclude={EATING_DISORDER_ARTICLE})
        # the text for those bereaved by suicide, made for a story that tells of one: among
        # the likeliest, it answers unless the writer asks something another text clearly
        # answers ("bror endte livet sitt … jeg savner praten vår": not the practical text on
        # a funeral that the story's words pulled in)
        loss = _made_text(ranked, turn, weights, lambda r: _made_for_the_loss(r, turn))
        if loss is not None:
            return Decision("answer", loss.article, loss.article.topic,
                            candidates=[r.article for r in ranked[:3]],
                            reason="story told of a suicide")
        # the text on grieving someone who lives, for a story that tells such a loss (a
        # grandchild whose grandmother with Alzheimer's "glemmer hvem jeg er" was given the
        # text on getting dementia assessed)
        living = _made_text(ranked, turn, weights, lambda r: (
            r.article.id == LIVING_LOSS_ARTICLE and _living_loss_told(turn)))
        if living is not None:
            return Decision("answer", living.article, living.article.topic,
                            candidates=[r.article for r in ranked[:3]],
                            reason="story told of a loss while the person lives")
        # the text on how to complain, for a story of a refusal, a cut or a discharge: what
        # a counsellor names first when a service said no (issue #18: such stories were
        # given a text on the service itself, with no word on how to complain)
        complaint = _made_text(ranked, turn, weights,
                               lambda r: _made_for_the_complaint(r, turn))
        if complaint is not None:
            return Decision("answer", complaint.article, complaint.article.topic,
                            candidates=[r.article for r in ranked[:3]],
                            reason="story told of a refusal or a cut")
        if ranked and _clear_best(ranked, weights):
            return Decision(
                "answer",
                ranked[0].article,
                ranked[0].article.topic,
                candidates=[r.article for r in ranked[:3]],
                reason="story",
            )
        # what the story is about is still the best article's topic: only the article is
        # held back
        return _no_clear_answer(repo, turn, ranked,
                                ranked[0].article.topic if ranked else _guess_topic(turn),
                                reason="story, no article fits")
    ents = _with_conditions(turn.entities, turn.situation)
    if intent == "nlu_fallback" or topic is None:
        ranked = [r for r in rank(repo, turn.text, turn.ranking, ents, None,
                                  writer=turn.writer, weights=weights)
                  if r.article.id != EATING_DISORDER_ARTICLE or _eating_disorder_told(turn)]
        return Decision(
            "clarify",
            topic=_guess_topic(turn),
            reason="unsure",
            candidates=[r.article for r in ranked[:3] if relevant(r)],
        )
    ranked = rank(
        repo,
        turn.text,
        turn.ranking,
        ents,
        detect_aspect(turn.text),
        turn.context_topic,
        writer=turn.writer,
        weights=weights,
    )
    # (the eating-disorder text answers only a question that names one)
    ranked = [r for r in ranked
              if r.article.id != EATING_DISORDER_ARTICLE or _eating_disorder_told(turn)]
    if ranked:
        return Decision(
            "answer",
            ranked[0].article,
            ranked[0].article.topic,
            candidates=[r.article for r in ranked[:3]],
            reason="question",
        )
    art = repo.best_article(topic, turn.text, ents, detect_aspect(turn.text))
    if art is not None:
        return Decision("answer", art, topic, reason="keywords")
    return Decision("no_answer", topic=topic, reason="nothing ranked")


def _no_clear_answer(repo: Any, turn: Turn, ranked: Sequence[Ranked], topic: str,
                     reason: str, exclude: Iterable[str] = ()) -> Decision:
    """No article clearly answers what the story asks: the text with the main help for its
    situation, said to be that (`overview`), or the honest reply; the likeliest articles are
    offered as choices either way."""
    overview = _overview(repo, turn, topic, exclude)
    candidates = [r.article for r in ranked[:3] if relevant(r)]
    if overview is not None:
        return Decision("overview", overview, topic, reason=reason + "; the situation's text",
                        candidates=[a for a in candidates if a.id != overview.id])
    return Decision("no_answer", topic=topic, reason=reason, candidates=candidates)


def _guess_topic(turn: Turn) -> str:
    for item in turn.ranking or ():
        if item.get("name") in TOPIC_INTENTS:
            return item["name"]
    return "out_of_scope"
