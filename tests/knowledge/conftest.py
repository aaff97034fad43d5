"""Fixtures for the knowledge-base tests: real databases, created per test, nothing at import."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from knowledge import config

PG_URL = os.environ.get("KB_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def shared_facts_present() -> bool:
    from knowledge import facts

    return facts.facts_available()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'knowledge.db'}"


@pytest.fixture
def pg_url():
    """A PostgreSQL URL whose tables live in a throw-away schema (dropped afterwards)."""
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - depends on the environment
        pytest.skip("psycopg2 not installed: PostgreSQL tests skipped")
    try:
        conn = psycopg2.connect(PG_URL, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any connection failure means: skip
        pytest.skip(
            f"PostgreSQL not reachable at {PG_URL} ({exc.__class__.__name__}): PG tests skipped"
        )
    schema = f"kb_test_{uuid.uuid4().hex[:10]}"
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        yield url
    finally:
        from sqlalchemy import create_engine

        # dispose any pooled connections first so DROP is not blocked
        create_engine(url).dispose()
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str:
    """The same tests on SQLite (file in tmp_path) and PostgreSQL (skips if unreachable)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def kb(db_url):
    """A repository on a freshly loaded database; engines are disposed afterwards."""
    from knowledge.loader import load
    from knowledge.repository import KnowledgeRepository

    load(db_url)
    repo = KnowledgeRepository.from_url(db_url)
    yield repo
    repo.engine.dispose()


@pytest.fixture
def articles_copy(tmp_path: Path, monkeypatch) -> Path:
    """A writable copy of knowledge/articles, used via KB_ARTICLES_DIR."""
    dst = tmp_path / "articles"
    shutil.copytree(config.ARTICLES_DIR, dst)
    monkeypatch.setenv("KB_ARTICLES_DIR", str(dst))
    return dst
