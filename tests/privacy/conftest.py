"""Fixtures for the privacy tests: a valid synthetic fødselsnummer, PostgreSQL if reachable."""

from __future__ import annotations

import os

import pytest

# synthetic: born 11.03.1945, individual number 333; valid control digits (tests/safety/pii.tsv)
FNR = "11034533395"
PG_URL = os.environ.get(
    "PRIVACY_TEST_PG_URL",
    os.environ.get("KB_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"),
)


@pytest.fixture(autouse=True)
def _rules_only_names(monkeypatch):
    """Keep the unit tests independent of the interim spaCy pipeline (PII_NER=auto decides
    from its recorded PER precision; the tests that need spaCy ask for it)."""
    from bot.privacy import scrub

    monkeypatch.setenv("PII_NER", os.environ.get("PII_NER", "auto"))
    yield
    scrub.reset_ner()


@pytest.fixture(scope="session")
def pg_url():
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.exec_driver_sql("select 1")
        engine.dispose()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({type(error).__name__}): "
                    "set PRIVACY_TEST_PG_URL or start PostgreSQL to run this test")
    return PG_URL
