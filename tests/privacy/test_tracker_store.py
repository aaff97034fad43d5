"""ScrubbingSQLTrackerStore: what reaches the database is scrubbed, the live tracker is not."""

from __future__ import annotations

import asyncio
import json

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.conftest import ROOT
from tests.privacy.conftest import FNR

MESSAGE = (f"Mamma heter Kari Nordmann, fnr {FNR}. Ring meg på 912 34 567 eller "
           "kari.nordmann@example.no, hun bor i Storgata 12")
PII = ["Kari", "Nordmann", FNR, "912 34 567", "91234567", "kari.nordmann@example.no",
       "Storgata 12"]


@pytest.fixture(autouse=True)
def store_class():
    """Imported per test: importing the module installs the PII log filter process-wide
    (wanted in the servers); undone afterwards so other tests' logs stay as they were."""
    from bot.privacy import logs
    from bot.privacy.tracker_store import ScrubbingSQLTrackerStore

    yield ScrubbingSQLTrackerStore
    logs.uninstall()


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "bot" / "domain"))


def _tracker(domain, sender="s1"):
    tracker = DialogueStateTracker(sender, domain.slots)
    parse = {
        "text": MESSAGE,
        "intent": {"name": "avlastning", "confidence": 0.9},
        "entities": [
            {"entity": "relation", "value": "mamma", "start": 0, "end": 5},
            {"entity": "person", "value": "Kari Nordmann", "start": 12, "end": 25},
            {"entity": "age", "value": "912", "start": 55, "end": 58},  # a piece of the phone
            {"entity": "benefit", "value": "avlastning", "start": 0, "end": 0},
        ],
        "metadata": {"phone": "+47 912 34 567"},
    }
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered(MESSAGE, parse["intent"], parse["entities"], parse,
                               metadata={"from": "+4791234567", "mode": "ung"}))
    tracker.update(SlotSet("relation", "mamma"))
    tracker.update(SlotSet("topic", "avlastning"))
    tracker.update(SlotSet("article", "soke-avlastning"))
    tracker.update(SlotSet("diagnosis", "demens hos Kari Nordmann"))
    tracker.update(BotUttered("Ring Pårørendelinjen på 90 90 48 48."))
    return tracker


async def _check_store(store_class, url, domain, sender):
    store = store_class(domain=domain, host=url)
    tracker = _tracker(domain, sender)
    await store.save(tracker)

    # the live tracker (NLU, policies, actions of this turn) still has the original text
    assert tracker.latest_message.text == MESSAGE
    assert tracker.get_slot("diagnosis") == "demens hos Kari Nordmann"

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select type_name, data, intent_name from events "
                                    "where sender_id = :s order by id"), {"s": sender}).all()
    engine.dispose()
    raw = "\n".join(row.data for row in rows)
    for value in PII:
        assert value not in raw, value
    user = [json.loads(r.data) for r in rows if r.type_name == "user"][0]
    assert user["text"] == ("Mamma heter [navn], fnr [fødselsnummer]. Ring meg på [telefon] "
                            "eller [e-post], hun bor i [adresse]")
    assert user["parse_data"]["text"] == user["text"]
    assert [e["value"] for e in user["parse_data"]["entities"]] == [
        "mamma", "[skjult]", "[skjult]", "avlastning"]
    assert user["metadata"] == {"from": "[telefon]", "mode": "ung"}
    assert [r.intent_name for r in rows if r.type_name == "user"] == ["avlastning"]
    assert "90 90 48 48" in raw  # public helpline numbers in bot replies are kept

    # a later turn gets the scrubbed conversation; ids and KB slot values survive
    again = await store.retrieve(sender)
    assert again.latest_message.text == user["text"]
    assert again.get_slot("topic") == "avlastning"
    assert again.get_slot("article") == "soke-avlastning"
    assert again.get_slot("relation") == "mamma"
    assert again.get_slot("diagnosis") == "demens hos [navn]"

    # saving again adds only the new events, scrubbed
    tracker.update(UserUttered("eg heiter Ola, 41 22 33 44", {"name": "smalltalk"}))
    await store.save(tracker)
    full = await store.retrieve_full_tracker(sender)
    texts = [e.text for e in full.events if isinstance(e, UserUttered)]
    assert texts == [user["text"], "eg heiter [navn], [telefon]"]


async def test_sqlite_store_has_no_pii(store_class, tmp_path, domain):
    await _check_store(store_class, f"sqlite:///{tmp_path / 'tracker.db'}", domain, "s1")


async def test_postgres_store_has_no_pii(store_class, pg_url, domain):
    import uuid

    await _check_store(store_class, pg_url, domain, f"privacy-test-{uuid.uuid4().hex}")


def test_rasa_builds_it_from_the_endpoints_config(store_class, tmp_path, domain):
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    config = EndpointConfig(url=url, type="bot.privacy.tracker_store.ScrubbingSQLTrackerStore")
    store = TrackerStore.create(config, domain)
    inner = getattr(store, "_tracker_store", store)  # Rasa may wrap it (AwaitableTrackerStore)
    assert isinstance(inner, store_class)
    assert str(inner.engine.url).split("?")[0] == url
    assert inner.engine.url.query["timeout"]  # waits on a locked file are bounded


def test_settings_from_the_environment(store_class, tmp_path, domain, monkeypatch):
    """bot/settings.py rules: whole numbers stay whole, bad values fall back, floors hold."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    for name, value in (("TRACKER_TIMEOUT_SECONDS", "0"), ("TRACKER_RETRY_SECONDS", "-1"),
                        ("TRACKER_MEMORY_MAX", "2.5"), ("TRACKER_MEMORY_TTL_SECONDS", "soon"),
                        ("TRACKER_DB_THREADS", "0")):
        monkeypatch.setenv(name, value)
    store = store_class(domain=domain, host=url)
    try:
        assert (store.timeout, store.retry_after) == (0.1, 0.0)
        assert (store.memory.max_items, store.memory.ttl) == (1000, 3600.0)
        assert store._executor._max_workers == 1
    finally:
        store._executor.shutdown()
        store.engine.dispose()
    monkeypatch.setenv("TRACKER_MEMORY_MAX", "1e2")
    monkeypatch.setenv("TRACKER_DB_THREADS", "3")
    store = store_class(domain=domain, host=url)
    try:
        assert (store.memory.max_items, store._executor._max_workers) == (100, 3)
        assert type(store.memory.max_items) is int
    finally:
        store._executor.shutdown()
        store.engine.dispose()


# -- bounded waits (review H3, M4): real PostgreSQL behind a fault-injecting TCP proxy -------

@pytest.fixture
def pg_proxy(pg_url):
    import sqlalchemy as sa

    from tests.servers import FaultProxy

    url = sa.engine.make_url(pg_url)
    with FaultProxy(url.port or 5432, url.host or "127.0.0.1") as proxy:
        yield proxy, url.set(port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture
def bounded(monkeypatch):
    monkeypatch.setenv("TRACKER_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("TRACKER_RETRY_SECONDS", "0.3")


def _events_in_db(url, sender):
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select type_name, data from events where sender_id = :s "
                                    "order by id"), {"s": sender}).all()
    engine.dispose()
    return rows


def test_engine_hides_parameters_and_bounds_statements(store_class, pg_url, domain):
    store = store_class(domain=domain, host=pg_url)
    assert store.engine.hide_parameters is True
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("show statement_timeout").scalar() == "3s"
        with pytest.raises(sa.exc.DBAPIError) as error:
            conn.exec_driver_sql("select pg_sleep(%(s)s), %(secret)s",
                                 {"s": 10, "secret": "Kari Nordmann"})
    assert "statement timeout" in str(error.value)
    assert "Kari" not in str(error.value)  # the words of a turn never reach error logs


@pytest.mark.parametrize("fault", ["hang", "down", "slow"])
async def test_a_failing_database_costs_a_turn_at_most_the_timeout(store_class, pg_proxy,
                                                                  bounded, domain, fault):
    import time
    import uuid

    proxy, url = pg_proxy
    store = store_class(domain=domain, host=url)
    sender = f"fault-{fault}-{uuid.uuid4().hex[:8]}"
    tracker = _tracker(domain, sender)
    await store.save(tracker)  # the database works: written
    before = len(_events_in_db(url, sender))
    assert before == len(tracker.events)

    proxy.set(fault, delay=2.0)
    start = time.monotonic()
    again = await store.retrieve(sender)  # gives up after the timeout: a fresh conversation
    retrieve_s = time.monotonic() - start
    assert again is None
    assert retrieve_s < 1.5, retrieve_s
    fresh = DialogueStateTracker(sender, domain.slots)
    fresh.update(ActionExecuted("action_listen"))
    fresh.update(UserUttered("hei igjen", {"name": "greet"}))
    start = time.monotonic()
    await store.save(fresh)  # never raises; held in memory
    assert time.monotonic() - start < 1.5
    # the next turn continues from memory at once (the database is left alone for a while)
    start = time.monotonic()
    held = await store.retrieve(sender)
    assert time.monotonic() - start < 0.2
    assert [e.text for e in held.events if isinstance(e, UserUttered)] == ["hei igjen"]
    held.update(UserUttered("er du der?", {"name": "greet"}))
    await store.save(held)

    # the database comes back: what was held is written, once, scrubbed
    proxy.set("pass")
    await asyncio.sleep(0.4)
    other = _tracker(domain, f"other-{uuid.uuid4().hex[:8]}")
    for _ in range(20):
        await store.save(other)  # a successful call starts writing what was held
        if not store.memory.pending():
            break
        await asyncio.sleep(0.3)
    await asyncio.sleep(2.5 if fault == "slow" else 0.5)  # a late write of the slow case
    rows = _events_in_db(url, sender)
    texts = [json.loads(r.data).get("text") for r in rows if r.type_name == "user"]
    assert texts.count("hei igjen") == 1 and texts.count("er du der?") == 1, texts
    assert not store.memory.pending()


def test_memory_is_bounded(store_class, tmp_path, domain, monkeypatch):
    from bot.privacy.tracker_store import _Memory

    memory = _Memory(max_items=3, ttl=3600)
    for i in range(10):
        memory.put(f"s{i}", "{}", 0)
    assert len(memory) == 3 and memory.pending() == ["s7", "s8", "s9"]
    assert memory.dropped == 7
