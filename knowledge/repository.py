"""Read API for the Rasa actions: articles, search and services.

Everything returned is a plain frozen dataclass (no ORM objects, no open sessions).
Articles and services are cached in memory per content fingerprint; call
``reload_if_changed()`` (cheap: hashes the YAML files) to pick up edited content without
restarting the bot.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from . import loader
from .db import ArticleRow, ServiceRow, SourceRow, make_engine
from .services import Service, service_from_dict
from .text import WordIndex, detect_aspect, fold, similar, stem, tokens

log = logging.getLogger(__name__)

MIN_SCORE = 2.0  # below this, best_article falls back to the topic's default article


@dataclass(frozen=True)
class SourceRef:
    title: str
    ref: str
    url: str | None = None

    def as_contract(self) -> dict:
        """The ``{"title", "ref"}`` shape of the bot contract's custom block."""
        return {"title": self.title, "ref": self.ref}


@dataclass(frozen=True)
class Article:
    id: str
    topic: str
    title: str
    body: str
    young: str | None
    sms: str
    sources: tuple[SourceRef, ...]
    related: tuple[str, ...]
    keywords: tuple[str, ...]
    aspects: tuple[str, ...]
    diagnoses: tuple[str, ...]
    relations: tuple[str, ...]
    benefits: tuple[str, ...]
    reviewed: dt.date
    default: bool = False
    questions: tuple[str, ...] = ()
    audience: str = "all"  # all | adult | young: who the article is written for

    def text_for(self, audience: str = "adult") -> str:
        """``young`` for audience "young" when the article has one, else ``body``."""
        if audience == "young" and self.young:
            return self.young
        return self.body


@dataclass(frozen=True)
class Hit:
    article_id: str
    topic: str
    title: str
    score: float


# Cheap aspect guesses from the user's wording (Bokmål and Nynorsk, folded).
_ENTITY_KEYS = {
    "benefit": "benefit",
    "benefits": "benefit",
    "ytelse": "benefit",
    "diagnosis": "diagnosis",
    "diagnoses": "diagnosis",
    "diagnose": "diagnosis",
    "relation": "relation",
    "relations": "relation",
    "relasjon": "relation",
}


def infer_aspect(text_: str) -> str | None:
    """The aspect of a message (one detector for the whole bot: knowledge.text)."""
    return detect_aspect(text_)


class _Indexed:
    """An article with pre-folded match fields."""

    __slots__ = ("article", "keywords", "title_tokens", "benefits", "diagnoses", "relations")

    def __init__(self, a: Article):
        self.article = a
        self.keywords = [fold(k) for k in a.keywords]
        self.title_tokens = tokens(a.title)
        self.benefits = [fold(b) for b in a.benefits]
        self.diagnoses = [fold(d) for d in a.diagnoses]
        self.relations = [fold(r) for r in a.relations]


class KnowledgeRepository:
    def __init__(self, engine: Engine, *, use_lemmas: bool | None = None):
        self.engine = engine
        # lemma features in the similarity index: off unless KB_LEMMAS=1 (measured: within
        # noise on the dev file, +6 s to build the index and ~3 ms per message; README)
        self.use_lemmas = (
            os.environ.get("KB_LEMMAS", "0") == "1" if use_lemmas is None else use_lemmas
        )
        self._similarity = None
        self._lock = threading.RLock()
        self._reload_lock = threading.Lock()  # one reload at a time
        self._fingerprint: str | None = None
        self._articles: dict[str, _Indexed] = {}
        self._by_topic: dict[str, list[_Indexed]] = {}
        self._services: list[Service] = []
        self._refresh()

    @classmethod
    def from_url(cls, url: str | None = None, *, load: bool = True) -> "KnowledgeRepository":
        """Repository on ``url`` / ``KB_URL`` / the default SQLite file.

        With ``load=True`` (default) the YAML is loaded first (a no-op when unchanged). If
        the YAML is invalid but the database already has content, that content is used and
        the errors are logged.
        """
        engine = make_engine(url)
        if load:
            try:
                loader.load(engine=engine)
            except loader.ContentError as exc:
                if loader.stored_fingerprint(engine) is None:
                    raise
                log.error("knowledge YAML invalid, serving the previous content: %s", exc)
        return cls(engine)

    # -- cache -----------------------------------------------------------------------

    def _refresh(self) -> None:
        # The database is read without holding the lock (a slow or hung database must not
        # stall readers of the current content, e.g. `similarity_index`); the new content
        # is swapped in under the lock.
        with self._reload_lock:
            fp = loader.stored_fingerprint(self.engine)
            articles: dict[str, _Indexed] = {}
            services: list[Service] = []
            if fp is not None:
                with self.engine.connect() as conn:
                    sources: dict[str, list[SourceRef]] = {}
                    for s in conn.execute(
                        select(
                            SourceRow.article_id, SourceRow.title, SourceRow.ref, SourceRow.url
                        ).order_by(SourceRow.article_id, SourceRow.position)
                    ):
                        sources.setdefault(s.article_id, []).append(
                            SourceRef(s.title, s.ref, s.url)
                        )
                    rows = conn.execute(
                        select(ArticleRow.__table__).order_by(ArticleRow.topic, ArticleRow.id)
                    )
                    for r in rows:
                        a = Article(
                            id=r.id,
                            topic=r.topic,
                            title=r.title,
                            body=r.body,
                            young=r.young,
                            sms=r.sms,
                            sources=tuple(sources.get(r.id, ())),
                            related=tuple(r.related or ()),
                            keywords=tuple(r.keywords or ()),
                            questions=tuple(r.questions or ()),
                            aspects=tuple(r.aspects or ()),
                            diagnoses=tuple(r.diagnoses or ()),
                            relations=tuple(r.relations or ()),
                            benefits=tuple(r.benefits or ()),
                            audience=r.audience or "all",
                            reviewed=r.reviewed,
                            default=bool(r.is_default),
                        )
                        articles[a.id] = _Indexed(a)
                    for row in conn.execute(select(ServiceRow.data).order_by(ServiceRow.position)):
                        services.append(service_from_dict(row.data))
            by_topic: dict[str, list[_Indexed]] = {}
            for ix in articles.values():
                by_topic.setdefault(ix.article.topic, []).append(ix)
            for lst in by_topic.values():  # default first, then by id
                lst.sort(key=lambda ix: (not ix.article.default, ix.article.id))
            # a repository in use gets the new content's similarity index before the swap,
            # here (a reload runs in a background thread): never in a request, where its
            # build (about 0.5 s) would eat the second the answer after a crisis reply has
            index = self._build_index(list(articles.values())) if self.index_ready else None
            with self._lock:
                self._articles, self._by_topic, self._services = articles, by_topic, services
                self._similarity = index  # None: built on first use (or by `warm`)
                self._fingerprint = fp

    def reload_if_changed(self) -> bool:
        """Reload when the YAML (or service data) changed or another process reloaded.

        Returns True when the served content changed. Invalid YAML is logged and the
        current content kept.
        """
        try:
            loader.load(engine=self.engine)
        except loader.ContentError as exc:
            log.error("knowledge YAML invalid, keeping the current content: %s", exc)
        if loader.stored_fingerprint(self.engine) != self._fingerprint:
            self._refresh()
            return True
        return False

    @property
    def fingerprint(self) -> str | None:
        return self._fingerprint

    # -- articles --------------------------------------------------------------------

    def article(self, article_id: str) -> Article | None:
        ix = self._articles.get(article_id)
        return ix.article if ix else None

    def articles_for_topic(self, topic: str) -> list[Article]:
        """The topic's articles, its default article first."""
        return [ix.article for ix in self._by_topic.get(topic, [])]

    def all_articles(self) -> list[Article]:
        return [ix.article for ix in self._articles.values()]

    def default_article(self, topic: str) -> Article | None:
        lst = self._by_topic.get(topic)
        return lst[0].article if lst else None

    def best_article(
        self,
        topic: str,
        text: str = "",
        entities: dict[str, list[str]] | None = None,
        aspect: str | None = None,
    ) -> Article | None:
        """Pick the article within ``topic`` that best answers the user.

        Scores: entity tags (benefit 6, diagnosis 4, relation 3 per match; x0.8 when the
        article carries several tags of that kind; a keyword hit counts a bit less), keyword
        matches in ``text`` (folded, compound/inflection tolerant: 2-3 per word, 5+ per
        multi-word phrase), title words (1 each) and the aspect (explicit, else guessed
        from the wording: 2). Below MIN_SCORE the topic's default article is returned.
        """
        candidates = self._by_topic.get(topic)
        if not candidates:
            return None
        scores = self.keyword_scores(text, entities, aspect, topics=[topic])
        best, best_score = candidates[0], 0.0
        for ix in candidates:  # default first: it wins ties
            if scores[ix.article.id] > best_score:
                best, best_score = ix, scores[ix.article.id]
        if best_score < MIN_SCORE:  # a lone title word or aspect is too weak a signal
            return candidates[0].article
        return best.article

    @staticmethod
    def _entities(entities: dict[str, list[str]] | None) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, values in (entities or {}).items():
            kind = _ENTITY_KEYS.get(key.lower())
            if not kind or not values:
                continue
            if isinstance(values, str):
                values = [values]
            out.setdefault(kind, []).extend(fold(v) for v in values if v)
        return out

    @staticmethod
    def _score(
        ix: _Indexed, words: WordIndex, folded: str, ents: dict[str, list[str]], asp: str | None
    ) -> float:
        score = 0.0

        def tag_score(weight: float, tags: list[str]) -> float:
            # an article tagged with one value is more specific than one tagged with many
            return weight if len(tags) <= 1 else weight * 0.8

        for value in ents.get("benefit", ()):
            v = value.replace(" ", "-").replace("_", "-")
            if any(v == b or similar(v, b) for b in ix.benefits):
                score += tag_score(6, ix.benefits)
            elif any(similar(value, k) for k in ix.keywords):
                score += 4
        for value in ents.get("diagnosis", ()):
            if any(similar(value, d) for d in ix.diagnoses):
                score += tag_score(4, ix.diagnoses)
            elif any(similar(value, k) for k in ix.keywords):
                score += 3
        for value in ents.get("relation", ()):
            if any(similar(value, r) for r in ix.relations):
                score += tag_score(3, ix.relations)
        for kw in ix.keywords:
            if " " in kw:
                if f" {kw} " in folded:
                    score += 4 + kw.count(" ")
            elif words.has(kw):
                score += 3
            elif words.matches(kw):
                score += 2
        for tt in ix.title_tokens:
            if words.matches(tt):
                score += 1
        if asp and asp in ix.article.aspects:
            score += 2
        return score

    def search(self, text: str, topic: str | None = None, limit: int = 3) -> list[Hit]:
        """Full-text search (SQLite FTS5 / PostgreSQL tsvector 'norwegian'), re-ranked
        with the keyword score; falls back to keyword matching when full text finds nothing."""
        toks = [t for t in tokens(text) if len(t) > 1]
        if not toks:
            return []
        fts = self._fts(toks, topic, max(limit * 5, 20))
        folded = " " + " ".join(tokens(text, keep_stopwords=True)) + " "
        words = WordIndex(toks)
        scored: dict[str, float] = {}
        for aid, s in fts.items():
            ix = self._articles.get(aid)
            if ix:
                scored[aid] = s + self._score(ix, words, folded, {}, None)
        if not scored:
            pool = self._by_topic.get(topic, []) if topic else list(self._articles.values())
            for ix in pool:
                s = self._score(ix, words, folded, {}, None)
                if s > 0:
                    scored[ix.article.id] = s
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [
            Hit(
                aid,
                self._articles[aid].article.topic,
                self._articles[aid].article.title,
                round(s, 4),
            )
            for aid, s in ranked
        ]

    def _fts(self, toks: list[str], topic: str | None, limit: int) -> dict[str, float]:
        dialect = self.engine.dialect.name
        try:
            with self.engine.connect() as conn:
                if dialect == "sqlite":
                    q = " OR ".join(sorted({f'"{stem(t)}"*' for t in toks}))
                    sql = (
                        f"SELECT article_id, bm25({loader.FTS_TABLE}, 0, 0, 10.0, 5.0, 1.0) AS r "
                        f"FROM {loader.FTS_TABLE} WHERE {loader.FTS_TABLE} MATCH :q "
                        + ("AND topic = :topic " if topic else "")
                        + "ORDER BY r LIMIT :limit"
                    )
                    rows = conn.execute(text(sql), {"q": q, "topic": topic, "limit": limit})
                    return {r.article_id: -float(r.r) for r in rows}
                if dialect == "postgresql":
                    q = " | ".join(sorted({f"{stem(t)}:*" for t in toks}))
                    doc = (
                        "(setweight(to_tsvector('norwegian', search_title), 'A') || "
                        "setweight(to_tsvector('norwegian', search_keywords), 'B') || "
                        "setweight(to_tsvector('norwegian', search_body), 'C'))"
                    )
                    sql = (
                        "SELECT id AS article_id, "
                        f"ts_rank({doc}, to_tsquery('norwegian', :q)) * 10 AS r "
                        f"FROM kb_article WHERE {doc} @@ to_tsquery('norwegian', :q) "
                        + ("AND topic = :topic " if topic else "")
                        + "ORDER BY r DESC LIMIT :limit"
                    )
                    rows = conn.execute(text(sql), {"q": q, "topic": topic, "limit": limit})
                    return {r.article_id: float(r.r) for r in rows}
        except Exception:  # full text is an optimisation; keyword matching still works
            log.exception("full-text search failed; falling back to keyword matching")
        return {}

    # -- ranking across topics -------------------------------------------------------

    def _build_index(self, indexed: list[_Indexed]):
        from .similarity import LemmaAnalyzer, SimilarityIndex

        lemma = None
        if self.use_lemmas:
            analyzer = LemmaAnalyzer()
            lemma = analyzer if analyzer.available else None
        return SimilarityIndex([ix.article for ix in indexed], lemma=lemma)

    @property
    def index_ready(self) -> bool:
        """Whether the similarity index of the current content is built."""
        return self._similarity is not None

    def warm(self) -> "KnowledgeRepository":
        """Build the similarity index now (at start, off the request path)."""
        self.similarity_index()
        return self

    def similarity_index(self):
        """The TF-IDF similarity index over the current articles (built on first use)."""
        with self._lock:
            if self._similarity is None:
                self._similarity = self._build_index(list(self._articles.values()))
            return self._similarity

    def similarities(self, text: str) -> dict[str, float]:
        """Similarity in [0, 1] of ``text`` to every article (id -> score)."""
        return self.similarity_index().scores(text) if text else {}

    def keyword_scores(
        self,
        text: str,
        entities: dict[str, list[str]] | None = None,
        aspect: str | None = None,
        topics: Iterable[str] | None = None,
    ) -> dict[str, float]:
        """The keyword/tag score of :meth:`best_article` for every article (of ``topics``)."""
        # each distinct word once, grouped for the keywords (a long story repeats its words,
        # and the score only asks whether a word occurs)
        words = WordIndex(tokens(text) if text else ())
        folded = " " + " ".join(tokens(text, keep_stopwords=True)) + " " if text else ""
        ents = self._entities(entities)
        asp = aspect or (infer_aspect(text) if text else None)
        pool = (
            [ix for t in topics for ix in self._by_topic.get(t, [])]
            if topics is not None
            else list(self._articles.values())
        )
        return {ix.article.id: self._score(ix, words, folded, ents, asp) for ix in pool}

    # -- services --------------------------------------------------------------------

    def service(self, service_id: str) -> Service | None:
        for s in self._services:
            if s.id == service_id:
                return s
        return None

    def services(self, audience: str | None = None, topic: str | None = None) -> list[Service]:
        """Services for ``audience`` ("adult"/"young": also those for "all") and ``topic``."""
        out = []
        for s in self._services:
            if audience and s.audience not in (audience, "all"):
                continue
            if topic and topic not in s.topics:
                continue
            out.append(s)
        return out


def has_tables(engine: Engine) -> bool:
    return inspect(engine).has_table(ArticleRow.__tablename__)
