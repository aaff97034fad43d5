"""SQLAlchemy models (2.0 style on 1.4) and the engine factory.

Tables are owned by the loader: a schema or content change rebuilds them from the YAML
files (there are no migrations; the YAML is the source of truth). For PostgreSQL, put the
tables in their own schema with ``?options=-csearch_path%3D<schema>`` in the URL.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Text, create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, relationship

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


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Engine for ``url``, else env ``KB_URL``, else ``sqlite:///<repo>/var/knowledge.db``."""
    url = url or config.default_db_url()
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, **kwargs)
