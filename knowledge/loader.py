"""Validate the article YAML and (re)build the knowledge tables.

``load()`` is idempotent: it computes a fingerprint of the schema version, every article
file and the service data, and does nothing when the database already holds that
fingerprint. Any change rebuilds all kb_* tables from the YAML in one transaction (no
migrations: the YAML is the source of truth).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine

from . import config
from .db import SCHEMA_VERSION, ArticleRow, Base, MetaRow, ServiceRow, SourceRow, make_engine
from .facts import facts_available
from .schema import ArticleModel
from .services import service_data
from .text import fold

FTS_TABLE = "kb_article_fts"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    """The article YAML is invalid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} content error(s):\n" + "\n".join(errors))
        self.errors = errors


@dataclass
class LoadResult:
    changed: bool
    fingerprint: str
    articles: int = 0
    services: int = 0
    services_from: str = ""
    warnings: list[str] = field(default_factory=list)


# --- reading and validating ----------------------------------------------------------


def article_files(root: Path | None = None) -> list[Path]:
    root = root or config.articles_dir()
    return sorted(root.glob("*/*.yaml"))


def read_articles(root: Path | None = None) -> list[tuple[Path, ArticleModel]]:
    """Parse and validate every article; raise ContentError listing all problems."""
    root = root or config.articles_dir()
    errors: list[str] = []
    out: list[tuple[Path, ArticleModel]] = []
    for path in article_files(root):
        rel = path.relative_to(root)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
            art = ArticleModel.parse_obj(raw)
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(x) for x in e["loc"])
                errors.append(f"{rel}: {loc}: {e['msg']}")
            continue
        except (yaml.YAMLError, TypeError) as exc:
            errors.append(f"{rel}: cannot parse: {exc}")
            continue
        if path.parent.name != art.topic:
            errors.append(f"{rel}: topic {art.topic!r} does not match its folder")
        if path.stem != art.id:
            errors.append(f"{rel}: id {art.id!r} does not match the file name")
        out.append((path, art))
    ids: dict[str, Path] = {}
    defaults: dict[str, str] = {}
    for path, art in out:
        if art.id in ids:
            errors.append(
                f"{path.relative_to(root)}: duplicate id {art.id!r} (also {ids[art.id].name})"
            )
        ids[art.id] = path
        if art.default:
            if art.topic in defaults:
                errors.append(
                    f"topic {art.topic}: two default articles ({defaults[art.topic]}, {art.id})"
                )
            defaults[art.topic] = art.id
    for path, art in out:
        for rid in art.related:
            if rid not in ids:
                errors.append(f"{path.relative_to(root)}: related id {rid!r} does not exist")
            if rid == art.id:
                errors.append(f"{path.relative_to(root)}: related to itself")
    if errors:
        raise ContentError(errors)
    return out


def fingerprint(root: Path | None = None) -> str:
    """Hash of the schema version, every article file and the service inputs (raw bytes).

    Cheap (no YAML parsing), so ``load()`` and ``reload_if_changed()`` can call it often.
    Service inputs are helplines.yaml + the overlay when ../shared is present, else the
    committed snapshot.
    """
    root = root or config.articles_dir()
    h = hashlib.sha256()
    h.update(f"schema={SCHEMA_VERSION}\n".encode())
    for path in article_files(root):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    for path in service_inputs():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def service_inputs() -> list[Path]:
    if facts_available():
        return [config.facts_dir() / "helplines.yaml", config.OVERLAY_FILE]
    return [config.SNAPSHOT_FILE]


# --- database ------------------------------------------------------------------------


def stored_fingerprint(engine: Engine) -> str | None:
    if not inspect(engine).has_table(MetaRow.__tablename__):
        return None
    with engine.connect() as conn:
        row = conn.execute(select(MetaRow.value).where(MetaRow.key == "fingerprint")).first()
    return row[0] if row else None


def _search_fields(art: ArticleModel) -> dict:
    return {
        "search_title": fold(art.title),
        "search_keywords": fold(
            " ".join(art.keywords + art.benefits + art.diagnoses + art.questions)
        ),
        "search_body": fold(art.body + "\n" + (art.young or "")),
    }


def _rebuild(
    engine: Engine, articles: list[tuple[Path, ArticleModel]], services: list[dict], fp: str
) -> None:
    dialect = engine.dialect.name
    with engine.begin() as conn:
        if dialect == "sqlite":
            conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
        Base.metadata.drop_all(conn)
        Base.metadata.create_all(conn)
        for path, art in articles:
            conn.execute(
                ArticleRow.__table__.insert(),
                {
                    "id": art.id,
                    "topic": art.topic,
                    "title": art.title,
                    "body": art.body,
                    "young": art.young,
                    "sms": art.sms,
                    "reviewed": art.reviewed,
                    "is_default": art.default,
                    "related": list(art.related),
                    "keywords": list(art.keywords),
                    "questions": list(art.questions),
                    "aspects": list(art.aspects),
                    "diagnoses": list(art.diagnoses),
                    "relations": list(art.relations),
                    "benefits": list(art.benefits),
                    "audience": art.audience,
                    "path": f"{path.parent.name}/{path.name}",
                    **_search_fields(art),
                },
            )
            for i, s in enumerate(art.sources):
                conn.execute(
                    SourceRow.__table__.insert(),
                    {
                        "article_id": art.id,
                        "position": i,
                        "title": s.title,
                        "ref": s.ref,
                        "url": s.url,
                        "fact": s.fact,
                        "seed": s.seed,
                        "section": s.section,
                    },
                )
        for i, d in enumerate(services):
            conn.execute(
                ServiceRow.__table__.insert(),
                {
                    "id": d["id"],
                    "position": i,
                    "name": d["name"],
                    "audience": d["audience"],
                    "status": d["status"],
                    "data": d,
                },
            )
        if dialect == "sqlite":
            conn.execute(
                text(
                    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
                    "article_id UNINDEXED, topic UNINDEXED, title, keywords, body, "
                    "tokenize='unicode61 remove_diacritics 2')"
                )
            )
            conn.execute(
                text(
                    f"INSERT INTO {FTS_TABLE}(article_id, topic, title, keywords, body) "
                    "SELECT id, topic, search_title, search_keywords, search_body FROM kb_article"
                )
            )
        elif dialect == "postgresql":
            conn.execute(
                text(
                    "CREATE INDEX kb_article_tsv ON kb_article USING gin (("
                    "setweight(to_tsvector('norwegian', search_title), 'A') || "
                    "setweight(to_tsvector('norwegian', search_keywords), 'B') || "
                    "setweight(to_tsvector('norwegian', search_body), 'C')))"
                )
            )
        conn.execute(
            MetaRow.__table__.insert(),
            [
                {"key": "fingerprint", "value": fp},
                {"key": "schema_version", "value": SCHEMA_VERSION},
            ],
        )


def load(
    url: str | None = None, *, engine: Engine | None = None, force: bool = False
) -> LoadResult:
    """Validate all YAML and rebuild the tables unless the fingerprint is unchanged."""
    engine = engine or make_engine(url)
    fp = fingerprint()
    if not force and stored_fingerprint(engine) == fp:
        return LoadResult(False, fp)
    articles = read_articles()
    services, origin = service_data()
    _rebuild(engine, articles, services, fp)
    return LoadResult(True, fp, len(articles), len(services), origin)
