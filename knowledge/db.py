"""SQLAlchemy models (2.0 style on 1.4) and the engine factory.

Tables are owned by the loader: a schema or content change rebuilds them from the YAML
files (there are no migrations; the YAML is the source of truth). For PostgreSQL, put the
tables in their own schema with ``?options=-csearch_path%3D<schema>`` in the URL.
"""

from __future__ import annotations

from typing import Any, Dict

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Text, create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import declarative_base, relationship

from bot.settings import env_float

from . import config

Base = declarative_base()

SCHEMA_VERSION = "3"  # bump when the tables change: the next load rebuilds them


class ArticleRow(Base):
    __tablename__ = "kb_article"

    id = Column(String(80), primary_key=True)
    topic = Column(String(40), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    young = Column(Text)
    sms = Column(Text, nullable=False)
    reviewed = Column(Date, nullable=False)
    is_default = Column(Boolean, nullable=False, default=False)
    related = Column(JSON, nullable=False, default=list)
    keywords = Column(JSON, nullable=False, default=list)
    questions = Column(JSON, nullable=False, default=list)
    aspects = Column(JSON, nullable=False, default=list)
    diagnoses = Column(JSON, nullable=False, default=list)
    relations = Column(JSON, nullable=False, default=list)
    benefits = Column(JSON, nullable=False, default=list)
    audience = Column(String(10), nullable=False, default="all")  # all | adult | young
    # folded (lowercase, ø->o, å->a, æ->e) copies for full-text search
    search_title = Column(Text, nullable=False)
    search_keywords = Column(Text, nullable=False)
    search_body = Column(Text, nullable=False)  # body + young
    path = Column(String(300))

    sources = relationship("SourceRow", order_by="SourceRow.position", cascade="all, delete-orphan")


class SourceRow(Base):
    __tablename__ = "kb_source"

    id = Column(Integer, primary_key=True, autoincrement=True)
    article_id = Column(String(80), ForeignKey("kb_article.id", ondelete="CASCADE"), index=True)
    position = Column(Integer, nullable=False)
    title = Column(Text, nullable=False)
    ref = Column(Text, nullable=False)
    url = Column(Text)
    fact = Column(String(120))
    seed = Column(String(120))
    section = Column(Text)


class ServiceRow(Base):
    __tablename__ = "kb_service"

    id = Column(String(80), primary_key=True)
    position = Column(Integer, nullable=False)  # order of the facts file
    name = Column(String(200), nullable=False)
    audience = Column(String(10), nullable=False)
    status = Column(String(20), nullable=False)
    data = Column(JSON, nullable=False)  # the usable snapshot record (see services.py)


class MetaRow(Base):
    __tablename__ = "kb_meta"

    key = Column(String(40), primary_key=True)
    value = Column(Text, nullable=False)


# Bounded waits on every database (knowledge base and tracker store; README "Environment
# variables"). Seconds; each may be overridden from the environment.
DEFAULT_CONNECT_TIMEOUT = 3.0  # DB_CONNECT_TIMEOUT_SECONDS: TCP connect + login
DEFAULT_STATEMENT_TIMEOUT = 3.0  # DB_STATEMENT_TIMEOUT_SECONDS: one statement (PostgreSQL)
DEFAULT_POOL_TIMEOUT = 2.0  # DB_POOL_TIMEOUT_SECONDS: waiting for a free pooled connection


def bounded_url(url: str) -> str:
    """``url`` with connect (and, for PostgreSQL, statement) timeouts in its query, so every
    engine made from it, including ones created by libraries (Rasa's SQL tracker store), is
    bounded. Values already in the URL win."""
    parsed = make_url(url)
    query = dict(parsed.query)
    connect = env_float("DB_CONNECT_TIMEOUT_SECONDS", DEFAULT_CONNECT_TIMEOUT, minimum=1.0)
    if parsed.get_backend_name() == "sqlite":
        query.setdefault("timeout", str(connect))  # waiting for a locked database file
    elif parsed.get_backend_name() == "postgresql":
        query.setdefault("connect_timeout", str(max(1, round(connect))))
        options = query.get("options") or ""
        if "statement_timeout" not in options:
            statement = env_float("DB_STATEMENT_TIMEOUT_SECONDS", DEFAULT_STATEMENT_TIMEOUT,
                                  minimum=0.1)
            query["options"] = f"{options} -c statement_timeout={int(statement * 1000)}".strip()
    return parsed.set(query=query).render_as_string(hide_password=False)


def engine_options(url: str, **kwargs: Any) -> Dict[str, Any]:
    """Keyword arguments for ``create_engine(bounded_url(url), ...)``: SQL parameters (the
    user's words) never reach error messages (``hide_parameters``), and waiting for a pooled
    connection is bounded."""
    kwargs.setdefault("hide_parameters", True)
    if make_url(url).get_backend_name() == "sqlite":
        args = dict(kwargs.get("connect_args") or {})
        args.setdefault("check_same_thread", False)
        kwargs["connect_args"] = args
    else:
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("pool_timeout",
                          env_float("DB_POOL_TIMEOUT_SECONDS", DEFAULT_POOL_TIMEOUT, minimum=0.1))
    return kwargs


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Engine for ``url``, else env ``KB_URL``, else ``sqlite:///<repo>/var/knowledge.db``;
    with bounded waits (`bounded_url`, `engine_options`)."""
    url = url or config.default_db_url()
    return create_engine(bounded_url(url), future=True, **engine_options(url, **kwargs))
