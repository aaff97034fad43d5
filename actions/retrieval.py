"""Which article answers the user: the NLU's topic ranking combined with the knowledge base.

The NLU gives a ranking of intents with confidences; the knowledge base gives, for every
article, a text similarity (example questions and profile, ``knowledge.similarity``) and a
keyword/tag score (entities, keywords, aspect). ``rank`` mixes the three over the articles of
the NLU's best topics, so that a question the NLU puts in the right topic gets the right
article within it ("Hva er omsorgsstønad?" -> omsorgsstønad), and a question that sits between
two topics ("Nav sa nei til pleiepenger, kan jeg anke?") can still reach the better article.

The answer action sends the first article; when the NLU is unsure (fallback), the clarify
action offers the first three as buttons instead of guessing. The weights were tuned on
``tests/nlu/dev_articles.yml``, never on the held-out file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence

from actions.common import TOPIC_INTENTS


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


WEIGHTS = RankWeights()


@dataclass(frozen=True)
class Ranked:
    article: Any
    score: float
    topic_conf: float
    similarity: float
    keywords: float


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
) -> List[Ranked]:
    """Articles of the competing topics, best first.

    ``topics`` restricts the competition (e.g. to the predicted topic only); by default the
    NLU's best content topics compete, or every content topic when none is confident.
    """
    confs = topic_confidences(intent_ranking, context_topic, weights)
    pool = list(topics) if topics is not None else (list(confs) or list(TOPIC_INTENTS))
    sims = repo.similarities(text) if text else {}
    kws = repo.keyword_scores(text, entities, aspect, topics=pool)
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
            out.append(Ranked(art, score, conf, sim, kw))
    out.sort(key=lambda r: (-r.score, r.article.id))
    return out


def relevant(r: Ranked, min_similarity: float = 0.08) -> bool:
    """Whether an article is worth offering at all (not just the least bad of nothing)."""
    return r.similarity >= min_similarity or r.keywords >= 2 or r.topic_conf >= 0.2

