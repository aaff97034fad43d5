"""Fixtures for action tests: trackers named after the situation, a real SQLite KB."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.conftest import load_json

TRACKERS = Path(__file__).with_name("trackers")


@pytest.fixture(autouse=True)
def _use_test_kb(repo):
    from actions.common import reset_repository

    reset_repository(repo)
    yield
    reset_repository(None)


@pytest.fixture
def tracker():
    """tracker("asks_what_omsorgsstonad_is") -> rasa_sdk Tracker from trackers/<name>.json."""

    def make(name: str) -> Tracker:
        state = load_json(TRACKERS / f"{name}.json")
        state.setdefault("events", [])
        return Tracker.from_dict(state)

    return make


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


async def run_action(action, dispatcher, tracker, domain):
    return await action.run(dispatcher, tracker, domain)


def custom_of(dispatcher: CollectingDispatcher) -> dict:
    blocks = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert blocks, f"no custom block in {dispatcher.messages}"
    return blocks[0]


def text_of(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)
