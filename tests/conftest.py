"""Shared fixtures: paths, a real knowledge base on SQLite, the real domain."""

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
