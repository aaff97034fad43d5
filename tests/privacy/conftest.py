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
    """The unit tests run the default (rules only, PII_NER=off) unless PII_NER is set; the
    tests that need spaCy ask for it."""
    from bot.privacy import scrub

    monkeypatch.setenv("PII_NER", os.environ.get("PII_NER", "off"))
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
