"""Shared fixtures: paths, a real knowledge base on SQLite, the real domain, and one pair of
real servers (action server + Rasa server) for every end-to-end test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    """A knowledge base loaded from knowledge/ into a fresh SQLite file."""
    from knowledge.loader import load

    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    load(url)
    return url


@pytest.fixture(scope="session")
def repo(kb_url):
    from knowledge.repository import KnowledgeRepository

    return KnowledgeRepository.from_url(kb_url)


@pytest.fixture(scope="session")
def domain_dict():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "bot" / "domain")).as_dict()


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bot(tmp_path_factory, kb_url):
    """The action server and the Rasa server, started once for all e2e tests (REST, SMS,
    widget, degraded mode, Redis locks): loading the Rasa model takes most of a minute.
    Tests that change it (test_degraded restarts the action server) restore it."""
    from tests.bot.test_lock_store import redis_up
    from tests.servers import MODEL, free_port, running_bot, shared_bot_env

    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: `make setup` trains it")
    web_port = free_port()
    env = shared_bot_env(f"http://127.0.0.1:{web_port}", redis=redis_up())
    workdir = tmp_path_factory.mktemp("bot")
    with running_bot(workdir, kb_url, extra_env=env) as servers:
        servers.workdir = workdir
        servers.web_port = web_port
        servers.redis_locks = "LOCK_STORE_URL" in env
        yield servers
    # clean shutdown: both processes ended on SIGINT
    assert servers.exit_codes["rasa"] is not None
    assert servers.exit_codes["actions"] is not None
