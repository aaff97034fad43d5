"""ScrubbingSQLTrackerStore: what reaches the database is scrubbed, the live tracker is not."""

from __future__ import annotations

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
    assert str(inner.engine.url) == url
